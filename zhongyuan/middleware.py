"""Refuse an oversized request before anything reads its body.

Django checks an upload's size only after writing the whole body to a temporary
file; one logged-in user posting gigabytes would fill the disk first. The form
limits (EVIDENCE_MAX_BYTES a file, UPLOAD_WORKBOOK_MAX_BYTES a workbook) still give
the precise message; this is the outer bound.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

TOO_LARGE = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8">
<title>上传内容过大</title><body style="font-family:sans-serif;margin:2rem">
<h1>上传内容过大</h1><p>本次提交的内容超过 {limit} MB,未被接收,也没有保存任何内容。
请减少一次上传的文件数量,或压缩文件后重试(单个佐证材料不超过 {per_file} MB)。</p>
<p><a href="/">返回总览</a></p></body></html>"""


class RequestSizeLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            body = TOO_LARGE.format(
                limit=settings.MAX_REQUEST_BYTES // (1024 * 1024),
                per_file=settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
            )
            return HttpResponse(body, status=413)
        return self.get_response(request)
