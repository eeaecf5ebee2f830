"""Checks for uploaded files, which are untrusted: evidence (佐证材料) and workbooks.

A file's type is decided by its content (magic bytes; for xlsx and docx, a zip that
holds ``xl/`` or ``word/``) and must agree with its name's extension. A zip is looked
at through its central directory only (names and declared sizes), before anything
is decompressed, so a compressed bomb is refused without being expanded. Python's
zipfile never inflates a member past its declared size (it stops and fails the CRC),
so the declared sizes checked here bound what a later reader can be made to expand.
"""

from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError

# Shared with org's account import; re-exported for reporting's callers.
from org.uploads import (  # noqa: F401
    ZIP_MAX_MEMBERS,
    ZIP_MAX_RATIO,
    ZIP_MAX_TOTAL_BYTES,
    ZIP_RATIO_FLOOR_BYTES,
    check_zip,
    human_size,
)


@dataclass(frozen=True)
class FileType:
    extensions: tuple[str, ...]
    content_type: str
    label: str


PDF = FileType((".pdf",), "application/pdf", "PDF")
JPEG = FileType((".jpg", ".jpeg"), "image/jpeg", "JPG 图片")
PNG = FileType((".png",), "image/png", "PNG 图片")
XLSX = FileType(
    (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
)
DOCX = FileType(
    (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"
)
EVIDENCE_TYPES = (PDF, JPEG, PNG, XLSX, DOCX)
EVIDENCE_EXTENSIONS = tuple(ext for kind in EVIDENCE_TYPES for ext in kind.extensions)
EVIDENCE_ACCEPT = ",".join(EVIDENCE_EXTENSIONS)

ORIGINAL_NAME_MAX = 200


def clean_name(name: str) -> str:
    """The uploader's file name, for display and downloads only (never for storage):
    no directories, no control characters, at most 200 characters, extension kept."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "未命名文件"
    if len(name) > ORIGINAL_NAME_MAX:
        suffix = PurePath(name).suffix[:20]
        name = name[: ORIGINAL_NAME_MAX - len(suffix)] + suffix
    return name


def _zip_kind(file: IO[bytes]) -> FileType | None:
    try:
        archive = check_zip(file)
    except ValidationError:
        return None
    names = archive.namelist()
    if "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return None


def sniff(file: IO[bytes]) -> FileType | None:
    """The file's type from its content, or None if it is none of ours."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(file)
        file.seek(0)
        return kind
    return None


def check_evidence(upload) -> tuple[str, FileType]:
    """Check one evidence upload; returns (display name, type). Raises ValidationError."""
    name = clean_name(upload.name or "")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(f"“{name}”是空文件。")
    if upload.size > limit:
        raise ValidationError(
            f"“{name}”大小为 {human_size(upload.size)}，超过上限 {human_size(limit)}。"
        )
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            f"“{name}”的类型不支持。佐证材料只接受 PDF、JPG、PNG、Excel（xlsx）、Word（docx）文件。"
        )
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(f"“{name}”的内容不是有效的 PDF、JPG、PNG、xlsx 或 docx 文件。")
    if extension not in kind.extensions:
        raise ValidationError(f"“{name}”的扩展名与文件内容（{kind.label}）不符，请检查后重新上传。")
    return name, kind
