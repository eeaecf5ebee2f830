"""Requests refused before any view sees them: oversized bodies, NUL bytes.

Refuse an oversized request before anything reads its body.

Django checks an upload's size only after writing the whole body to a temporary
file; one logged-in user posting gigabytes would fill the disk first. The form
limits (EVIDENCE_MAX_BYTES a file, UPLOAD_WORKBOOK_MAX_BYTES a workbook) still give
the precise message; this is the outer bound.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string

TOO_LARGE = (
    "本次提交的内容超过 {limit} MB，未被接收，也没有保存任何内容。"
    "请减少一次上传的文件数量，或压缩文件后重试（单个佐证材料不超过 {per_file} MB）。"
)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            message = TOO_LARGE.format(
                limit=settings.MAX_REQUEST_BYTES // (1024 * 1024),
                per_file=settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
            )
            body = render_to_string("400.html", {"title": "上传内容过大", "message": message})
            return HttpResponse(body, status=413)
        return self.get_response(request)


NUL_MESSAGE = "链接或提交的内容中含有不可见的控制字符（NUL），系统没有处理，也没有保存任何内容。"


def _has_nul(data: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )


class RejectNulBytesMiddleware:
    """A NUL byte in the query string or a posted form is never meant: refuse it here,
    once, with the Chinese 400 page. Left through, it reaches the database as a filter
    value (``?department=%00``) and PostgreSQL refuses it with an error, a 500.

    Reading the posted form here reads nothing the CSRF check would not read next
    anyway; a body that cannot be parsed raises as it would there (Django's 400).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(render_to_string("400.html", {"message": NUL_MESSAGE}))
        return self.get_response(request)
