"""Real files to upload (built byte by byte, no mocks) and a footprint of everything
a save could write, to prove that a refused one wrote nothing."""

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook

from projects.models import ProjectProgress
from targets.models import Evidence, PendingRecompute, ProgressEntry


def pdf_bytes() -> bytes:
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    )
    xref = len(body)
    return body + (
        b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
        b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    )


def png_bytes() -> bytes:
    """A valid 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# The smallest well-formed JPEG (1×1, grey).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////////"
    "//////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgB"
    "AQABPxA="
)


def jpeg_bytes() -> bytes:
    return JPEG


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>佐证</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active["A1"] = "佐证材料"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb_bytes(size: int = 200 * 1024 * 1024) -> bytes:
    """A small zip that claims (and would inflate to) ``size`` bytes of zeros, laid out
    like a workbook so that only the size checks can refuse it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(size // len(block)):
                member.write(block)
    return buffer.getvalue()


def media_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def footprint() -> dict:
    """Everything a save writes: rows, history rows, evidence rows and files, outbox."""
    return {
        "entries": ProgressEntry.objects.count(),
        "entry_history": ProgressEntry.history.count(),
        "evidence": Evidence.objects.count(),
        "files": media_files(),
        "outbox": PendingRecompute.objects.count(),
        "progress": ProjectProgress.objects.count(),
        "progress_history": ProjectProgress.history.count(),
    }
