"""The Excel round trip: download a department's month, fill it (openpyxl, as a user's
spreadsheet program would), upload it back; bad files and bad rows refused whole."""

import io
import zipfile
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import ProjectProgress
from reporting.excel.layout import DATA_SHEET, FIRST_DATA_ROW, HELP_SHEET, INDEX
from reporting.excel.reader import FORMULA
from targets.models import EntryState, PendingRecompute, ProgressEntry, TargetSnapshot
from tests import factories as f
from tests.reporting.conftest import JUNE, MAY
from tests.reporting.helpers import footprint, pdf_bytes, zip_bomb_bytes
from workflow.wording import PROJECT_FIGURE_COLUMN, TARGET_FIGURE_COLUMN

TEMPLATE = "/report/excel/template/?month=2025-06"


def download(world, who="own_staff", url=TEMPLATE) -> openpyxl.Workbook:
    response = world.client(who).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows_by_code(sheet) -> dict[str, int]:
    return {
        sheet.cell(row=n, column=INDEX["code"]).value: n
        for n in range(FIRST_DATA_ROW, sheet.max_row + 1)
    }


def fill(sheet, code: str, **cells) -> None:
    row = rows_by_code(sheet)[code]
    for key, value in cells.items():
        sheet.cell(row=row, column=INDEX[key]).value = value


def as_upload(book: openpyxl.Workbook, name: str = "月报.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(world, file, who="own_staff", submit="1"):
    return world.client(who).post("/report/excel/", {"workbook": file, "submit": submit})


def test_excel_template_has_one_row_per_manual_target_and_project_with_values(world):
    f.entry(world.cumulative, MAY, value=D(100))
    f.entry(world.cumulative, JUNE, value=D(150), state=EntryState.DRAFT, narrative="草稿")
    book = download(world)
    assert book.sheetnames == [DATA_SHEET, HELP_SHEET]
    sheet = book[DATA_SHEET]
    assert sheet["A1"].value == "ZY-MONTH|v2|own|2025-06"
    assert sheet.column_dimensions["A"].hidden is True
    assert sheet.protection.sheet is True
    codes = rows_by_code(sheet)
    # Manual targets and the project; not the derived target, nor another department's.
    assert sorted(codes) == ["1.2", "1.3", "1.4", "8.1", "8.3", "P-OWN"]
    row = codes["8.1"]
    cell = lambda key: sheet.cell(row=row, column=INDEX[key])  # noqa: E731
    assert [cell(k).value for k in ("id", "unit", "previous", "figure", "narrative", "state")] == [
        f"target-{world.cumulative.pk}-v1",
        "万平方米",
        100,
        150,
        "草稿",
        "草稿",
    ]
    assert cell("id").protection.locked is True
    assert cell("figure").protection.locked is False
    assert cell("done_on").protection.locked is True  # not a milestone
    assert "累计数" in book[HELP_SHEET]["A5"].value


def test_excel_targets_and_projects_have_their_own_headed_figure_columns(world):
    """One meaning per column: a target's year-to-date total and a project's month
    amount are typed in differently headed columns, the unit named, and each row
    says what it asks for in the words of the web form."""
    from reporting.excel.layout import HEADER_ROW

    book = download(world)
    sheet = book[DATA_SHEET]
    header = lambda key: sheet.cell(row=HEADER_ROW, column=INDEX[key]).value  # noqa: E731
    assert header("figure") == "指标数值（累计型填1月至本月累计，单位见“单位”列）"
    assert header("investment") == "本月完成投资（亿元）"
    codes = rows_by_code(sheet)
    cell = lambda code, key: sheet.cell(row=codes[code], column=INDEX[key])  # noqa: E731
    assert cell("8.1", "measure").value == "1—6月累计（万平方米）"
    assert cell("P-OWN", "measure").value == "本月完成投资（亿元）"
    # Each row may fill only its own figure column.
    assert cell("8.1", "figure").protection.locked is False
    assert cell("8.1", "investment").protection.locked is True
    assert cell("P-OWN", "investment").protection.locked is False
    assert cell("P-OWN", "figure").protection.locked is True
    # The web forms use the same words.
    target_page = world.client("own_staff").get(f"/report/target/{world.cumulative.pk}/2025-06/")
    assert "1—6月累计（万平方米）" in target_page.content.decode()
    project_page = world.client("own_staff").get(f"/report/project/{world.project.pk}/2025-06/")
    assert "本月完成投资（亿元）" in project_page.content.decode()


def test_excel_a_project_figure_in_the_target_column_is_refused(world):
    book = download(world)
    fill(book[DATA_SHEET], "P-OWN", figure=3)
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    row = rows_by_code(book[DATA_SHEET])["P-OWN"]
    assert [(e.row, e.column, e.message) for e in response.context["row_errors"]] == [
        (row, TARGET_FIGURE_COLUMN, "这一行不填写此列，请留空。")
    ]


def test_excel_round_trip_fills_the_month_and_recomputes(world, django_capture_on_commit_callbacks):
    book = download(world)
    sheet = book[DATA_SHEET]
    fill(sheet, "8.1", figure=200, narrative="6月交付 200 万平方米。")
    fill(sheet, "1.2", figure="９.６", problems="个别企业口径不一。", next_steps="逐户核实。")
    fill(sheet, "8.3", figure=1)
    fill(sheet, "1.3", figure=70)
    fill(sheet, "1.4", choice="正常推进")
    fill(sheet, "P-OWN", investment="1,234.5", narrative="主体施工。")
    PendingRecompute.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(world, as_upload(book))
    assert response.status_code == 302, response.context and response.context.get("row_errors")
    assert len(callbacks) == 1  # one batched recompute for the whole file
    entries = {
        e.target.code: e for e in ProgressEntry.objects.filter(period=JUNE).select_related("target")
    }
    assert {code: (e.state, e.value, e.percent, e.assessment) for code, e in entries.items()} == {
        "8.1": (EntryState.SUBMITTED, D(200), None, ""),
        "1.2": (EntryState.SUBMITTED, D("9.6"), None, ""),
        "8.3": (EntryState.SUBMITTED, D(1), None, ""),
        "1.3": (EntryState.SUBMITTED, None, D(70), ""),
        "1.4": (EntryState.SUBMITTED, None, None, "on_track"),
    }
    progress = ProjectProgress.objects.get(project=world.project, period=JUNE)
    assert (progress.investment, progress.stage, progress.notes) == (
        D("1234.5"),
        "under_construction",
        "主体施工。",
    )
    statuses = dict(
        TargetSnapshot.objects.filter(period=JUNE).values_list("target__code", "status")
    )
    assert {code: statuses[code] for code in entries} == {
        "8.1": "on_track",
        "1.2": "lagging",
        "8.3": "on_track",
        "1.3": "on_track",
        "1.4": "on_track",
    }
    assert not PendingRecompute.objects.exists()
    # Uploading the same file again changes nothing.
    before = footprint()
    again = download(world)
    response = upload(world, as_upload(again))
    assert response.status_code == 302
    assert footprint() == before


def test_excel_upload_as_draft_saves_drafts(world):
    book = download(world)
    fill(book[DATA_SHEET], "8.1", figure=10)
    assert upload(world, as_upload(book), submit="0").status_code == 302
    assert ProgressEntry.objects.get(target=world.cumulative).state == EntryState.DRAFT


def test_excel_bad_rows_refuse_the_whole_file_and_every_row_is_reported(world):
    f.entry(world.level, JUNE, value=D(9), state=EntryState.APPROVED)
    book = download(world)
    sheet = book[DATA_SHEET]
    fill(sheet, "8.3", figure=1)  # a good row: not saved either
    fill(sheet, "8.1", figure="四百")
    fill(sheet, "1.2", figure=9.9)  # approved and locked
    fill(sheet, "1.3", figure=50, done_on="2025-07-30")
    fill(sheet, "1.4", choice="很好", correction_reason="多余")
    fill(sheet, "P-OWN", investment=-2)
    last = sheet.max_row
    extra = {
        last + 1: f"target-{world.foreign.pk}-v0",  # another department's target
        last + 2: "target-999999-v0",  # unknown
        last + 3: f"target-{world.derived.pk}-v0",  # derived
        last + 4: f"project-{world.foreign_project.pk}-v0",
        last + 5: "hacked",
    }
    for row, identity in extra.items():
        sheet.cell(row=row, column=INDEX["id"]).value = identity
        sheet.cell(row=row, column=INDEX["figure"]).value = 5
    sheet.cell(row=last + 6, column=INDEX["figure"]).value = 7  # a row without an id
    rows = rows_by_code(sheet)
    before = footprint()
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    assert [(e.row, e.column, e.message) for e in response.context["row_errors"]] == [
        (rows["1.3"], "完成日期", "完成日期不能晚于今天（2025-07-20）。"),
        (rows["1.3"], TARGET_FIGURE_COLUMN, "已填写完成日期，完成进度应为 100。"),
        (
            rows["1.4"],
            "评估结论/达到阶段",
            "“很好”不是可选项，请从下拉列表中选择：已完成、正常推进、进度滞后、严重滞后。",
        ),
        (rows["1.4"], "数值下调说明", "这一行不填写此列，请留空。"),
        (
            rows["8.1"],
            TARGET_FIGURE_COLUMN,
            "请用阿拉伯数字填写（如 400），不能用汉字数字（如“四百”）。",
        ),
        (
            rows["1.2"],
            "当前状态",
            "该记录已审核通过并锁定，不能通过上传修改；如需修改，请联系督查室重新打开。",
        ),
        (rows["P-OWN"], PROJECT_FIGURE_COLUMN, "不能为负数。"),
        (last + 1, "编号", "8.2 由其他局负责，不属于自有局，不能填报。"),
        (last + 2, "行标识（勿改）", "找不到这一行对应的指标或项目，请重新下载模板。"),
        (last + 3, "编号", "派生指标由系统根据重点项目台账自动汇总，不能手工填报。"),
        (last + 4, "编号", "P-OTHER 由其他局负责，不属于自有局，不能填报。"),
        (last + 5, "行标识（勿改）", "行标识“hacked”无效，请不要修改隐藏的 A 列。"),
        (
            last + 6,
            "行标识（勿改）",
            "这一行没有行标识：请不要自行增加行；表中没有的指标或项目请联系督查室。",
        ),
    ]
    assert footprint() == before
    html = response.content.decode()
    assert "共 13 处问题" in html


def test_excel_row_changed_on_the_web_since_download_is_refused(world):
    entry = f.entry(world.cumulative, JUNE, value=D(100), state=EntryState.DRAFT)
    book = download(world)
    entry.value, entry.version = D(120), 2
    entry.save()
    fill(book[DATA_SHEET], "8.1", figure=200)
    fill(book[DATA_SHEET], "8.3", figure=1)
    before = footprint()
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    [error] = response.context["row_errors"]
    assert error.row == rows_by_code(book[DATA_SHEET])["8.1"]
    assert "（当前为第2版，您打开的是第1版）" in error.message
    assert footprint() == before
    assert not ProgressEntry.objects.filter(target=world.ceiling).exists()


def test_excel_formula_cell_is_refused_and_never_evaluated(world):
    book = download(world)
    fill(book[DATA_SHEET], "8.1", figure="=100+100")
    fill(book[DATA_SHEET], "8.3", narrative='=HYPERLINK("http://example.com","点击")')
    rows = rows_by_code(book[DATA_SHEET])
    before = footprint()
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    assert [(e.row, e.column, e.message) for e in response.context["row_errors"]] == sorted(
        [(rows["8.3"], "进展情况", FORMULA), (rows["8.1"], TARGET_FIGURE_COLUMN, FORMULA)]
    )
    assert footprint() == before


def test_excel_text_that_looks_like_a_formula_is_exported_as_text(world):
    f.entry(world.cumulative, JUNE, value=D(1), state=EntryState.DRAFT, narrative="=1+1 不是公式")
    sheet = download(world)[DATA_SHEET]
    cell = sheet.cell(row=rows_by_code(sheet)["8.1"], column=INDEX["narrative"])
    assert (cell.value, cell.data_type) == ("=1+1 不是公式", "s")


def test_excel_parser_uses_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def rewrite(data: bytes, member: str, content: bytes) -> bytes:
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(item, content if item.filename == member else source.read(item))
    return target.getvalue()


def test_excel_entity_expansion_is_refused(world):
    original = world.client("own_staff").get(TEMPLATE).content
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    hostile = rewrite(original, "xl/worksheets/sheet1.xml", laughs)
    before = footprint()
    response = upload(world, SimpleUploadedFile("月报.xlsx", hostile))
    assert response.status_code == 400
    assert response.context["file_error"] == (
        "无法读取该 Excel 文件（EntitiesForbidden），请使用本系统下载的模板。"
    )
    assert footprint() == before


@pytest.mark.parametrize(
    ("name", "content", "field_error", "file_error"),
    [
        (
            "bomb.xlsx",
            None,
            None,
            "上传的文件解压后过大（200 MB，上限 50 MB），疑似压缩炸弹，已拒绝。",
        ),
        (
            "report.xlsx",
            pdf_bytes(),
            None,
            "上传的文件不是有效的压缩格式文档（.xlsx / .docx 实为 zip 包）。",
        ),
        (
            "report.csv",
            b"code,value\n8.1,200\n",
            "只接受 .xlsx 格式的 Excel 文件（请使用本系统下载的模板）。",
            None,
        ),
        ("big.xlsx", b"PK" + b"0" * 3000, "文件大小为 3 KB，超过上限 2 KB。", None),
    ],
)
def test_excel_bad_file_is_refused_whole(world, settings, name, content, field_error, file_error):
    settings.UPLOAD_WORKBOOK_MAX_BYTES = 2048 if name == "big.xlsx" else 5 * 1024 * 1024
    content = zip_bomb_bytes() if content is None else content
    before = footprint()
    response = upload(world, SimpleUploadedFile(name, content))
    assert response.status_code in (200, 400)
    if field_error:
        assert response.context["form"].errors["workbook"] == [field_error]
    else:
        assert response.context["file_error"] == file_error
    assert footprint() == before


def test_excel_macro_workbook_and_foreign_zip_are_refused(world):
    original = world.client("own_staff").get(TEMPLATE).content
    source, target = zipfile.ZipFile(io.BytesIO(original)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("xl/vbaProject.bin", b"\0" * 10)
    response = upload(world, SimpleUploadedFile("月报.xlsx", target.getvalue()))
    assert response.context["file_error"] == "不接受含宏的工作簿，请使用本系统下载的 .xlsx 模板。"
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = upload(world, SimpleUploadedFile("月报.xlsx", plain.getvalue()))
    assert response.context["file_error"] == "上传的文件不是 Excel（.xlsx）工作簿。"


def test_excel_workbook_not_from_the_template_is_refused(world):
    book = openpyxl.Workbook()
    book.active.title = DATA_SHEET
    book.active["A1"] = "随便写的"
    response = upload(world, as_upload(book))
    assert response.status_code == 400
    assert response.context["file_error"].startswith("这不是本系统下载的月度填报模板")


def test_excel_admin_uploads_for_the_department_named_in_the_file(world):
    book = download(world, "admin", TEMPLATE + "&department=own")
    fill(book[DATA_SHEET], "8.3", figure=2)
    response = upload(world, as_upload(book), who="admin")
    assert response.status_code == 302
    assert response["Location"] == "/report/?month=2025-06&department=own"
    entry = ProgressEntry.objects.get(target=world.ceiling)
    assert (entry.value, entry.created_by) == (D(2), world.users["admin"])


def zip_of(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {f"xl/m{n}.xml": b"<a/>" for n in range(201)},
            "上传的文件包含的内部文件过多（201 个），已拒绝。",
        ),
        (
            {"xl/worksheets/sheet1.xml": b"\0" * (5 * 1024 * 1024)},
            "上传的文件的压缩比异常（内部文件 xl/worksheets/sheet1.xml），疑似压缩炸弹，已拒绝。",
        ),
    ],
    ids=["too-many-members", "compression-ratio"],
)
def test_excel_zip_is_bounded_before_it_is_opened(members, message):
    from django.core.exceptions import ValidationError

    from workflow.uploads import check_zip

    with pytest.raises(ValidationError) as refused:
        check_zip(zip_of(members), what="上传的文件")
    assert refused.value.messages == [message]


def test_excel_row_for_a_month_before_the_target_starts_is_refused(world):
    world.ceiling.starts_on = world.ceiling.starts_on.replace(month=7)
    world.ceiling.save()
    book = download(world)
    fill(book[DATA_SHEET], "8.3", figure=1)
    response = upload(world, as_upload(book))
    [error] = response.context["row_errors"]
    assert (error.column, error.message) == ("编号", "该指标自2025年7月开始，此前的月份无需填报。")
