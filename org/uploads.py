"""Defences for uploaded files that every app shares (the bottom of the house, so
that org's account import and reporting's workbooks and evidence use one set).

A zip (.xlsx, .docx) is looked at through its central directory only (names and
declared sizes), before anything is decompressed, so a compressed bomb is refused
without being expanded. Python's zipfile never inflates a member past its declared
size (it stops and fails the CRC), so the declared sizes checked here bound what a
later reader can be made to expand. openpyxl parses XML through defusedxml.

Moved here from reporting/uploads.py (which re-exports them) for the account import.
"""

import zipfile
from typing import IO

import openpyxl
from django.core.exceptions import ValidationError

# Bounds for a zip we are about to open. A monthly workbook is a few dozen members
# and well under a megabyte unpacked; these leave room for large honest files.
ZIP_MAX_MEMBERS = 200
ZIP_MAX_TOTAL_BYTES = 50 * 1024 * 1024
# XML compresses well (10–30×); a bomb compresses by thousands. The ratio is judged
# only for members big enough to matter.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".0 ", " ")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def check_zip(file: IO[bytes], *, what: str = "文件") -> zipfile.ZipFile:
    """Open ``file`` as a zip after checking it is one and that its central directory
    promises nothing unreasonable. Raises ValidationError with a message for the user."""
    file.seek(0)
    if not zipfile.is_zipfile(file):
        raise ValidationError(f"{what}不是有效的压缩格式文档（.xlsx / .docx 实为 zip 包）。")
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(f"{what}已损坏，无法读取。") from error
    if len(members) > ZIP_MAX_MEMBERS:
        raise ValidationError(f"{what}包含的内部文件过多（{len(members)} 个），已拒绝。")
    total = sum(member.file_size for member in members)
    if total > ZIP_MAX_TOTAL_BYTES:
        raise ValidationError(
            f"{what}解压后过大（{human_size(total)}，上限 {human_size(ZIP_MAX_TOTAL_BYTES)}），"
            "疑似压缩炸弹，已拒绝。"
        )
    for member in members:
        if member.file_size < ZIP_RATIO_FLOOR_BYTES:
            continue
        if member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
            raise ValidationError(
                f"{what}的压缩比异常（内部文件 {member.filename}），疑似压缩炸弹，已拒绝。"
            )
    return archive


def open_xlsx(file: IO[bytes], *, what: str = "上传的文件") -> openpyxl.Workbook:
    """An uploaded .xlsx opened read-only after the zip checks; no macros, formulas
    never evaluated (data_only=False: the caller refuses formula cells). Raises
    ValidationError with a message for the user."""
    archive = check_zip(file, what=what)
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError(f"{what}不是 Excel（.xlsx）工作簿。")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError("不接受含宏的工作簿。")
    file.seek(0)
    try:
        return openpyxl.load_workbook(file, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on malformed or hostile files
        root = error
        while root.__cause__ is not None:
            root = root.__cause__
        raise ValidationError(f"无法读取{what}（{type(root).__name__}）。") from error
