"""The 月度督查通报 as a Word document (python-docx), laid out after GB/T 9704-2012
(党政机关公文格式) as far as a generated document can be:

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
- 红头: the issuing office's name in red 方正小标宋简体, the 文号 (〔2025〕N号, N set by
  the reviewer; left blank to fill in by hand), a red rule under it;
- title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 (16 pt), level-one headings in
  黑体, tables in 四号 (14 pt);
- page numbers "— 1 —" in the footer (a PAGE field, 宋体 四号).

Font names are set for East Asian text (``w:eastAsia``), and the font table declares
each one's fallbacks (``w:altName``: 方正小标宋简体 → 宋体, 仿宋_GB2312 → 仿宋, 黑体 →
SimHei, 宋体 → SimSun), so a machine without the 方正 fonts shows 宋体 / 仿宋, not a
Latin font.

Deterministic: the text comes from supervision/prose.py over the closed month's
frozen rows, and the document's own dates are the month's closing date, so the same
month generated twice reads the same.
"""

import hashlib
import io
from datetime import datetime, time

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from supervision import prose, ranking
from supervision.queries import BulletinData

ISSUER = "中原区人民政府督查室"
ISSUER_SHORT = "中督通"
ADDRESSEES = "各街道办事处，区直各部门，各有关单位："
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xFF, 0x00, 0x00)
# 字号：初号 42 pt，二号 22 pt，三号 16 pt，四号 14 pt.
SIZE_ISSUER, SIZE_TITLE, SIZE_BODY, SIZE_TABLE = Pt(36), Pt(22), Pt(16), Pt(14)
FALLBACKS = {
    TITLE_FONT: ("宋体", "SimSun"),
    BODY_FONT: ("仿宋", "FangSong"),
    HEADING_FONT: ("SimHei",),
    NUMBER_FONT: ("SimSun",),
    "楷体_GB2312": ("楷体", "KaiTi"),
}


def number_text(year: int, number: int | None) -> str:
    """The 文号: "中督通〔2025〕3号"; without a number, a blank to fill in by hand."""
    return f"{ISSUER_SHORT}〔{year}〕{number}号" if number else f"{ISSUER_SHORT}〔{year}〕　号"


# --- low-level helpers -----------------------------------------------------------


def _font(run, name: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None):
    run.font.name = LATIN_FONT if name == BODY_FONT else name
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")
    return run


def _paragraph(
    container,
    text: str,
    *,
    font: str = BODY_FONT,
    size: Pt = SIZE_BODY,
    bold: bool = False,
    color: RGBColor | None = None,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(size.pt * 2) if indent else None
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # 每页22行、每行28字 (GB/T 9704 §5.2.1): a fixed 28.9 pt line for 三号.
    fmt.line_spacing = Pt(28.9) if size == SIZE_BODY else None
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph) -> None:
    """The red line under the 文号 (a paragraph border, 红色 1.5 pt)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "4"),
        ("w:color", "FF0000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    # In the schema's place (after keepNext … before shd, spacing, ind, jc): Word
    # refuses a document whose paragraph properties are out of order.
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    )  # fmt: skip


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) inside ``paragraph``."""
    run = _font(paragraph.add_run(), NUMBER_FONT, SIZE_TABLE)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _declare_fallbacks(document) -> None:
    """Name each Chinese font's fallbacks in the font table (w:altName)."""
    part = next(
        (p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"),
        None,
    )
    if part is None:
        return
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alts[0]}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"roman" if name in (TITLE_FONT, NUMBER_FONT) else "modern"}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, alts in FALLBACKS.items()
    )
    blob = part.blob.decode("utf-8")
    part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")


def _defaults(document) -> None:
    """Document defaults: 仿宋_GB2312 三号, East Asian fallback 宋体 (SimSun)."""
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = SIZE_BODY
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault"))
        if rpr is not None and rpr.find(qn("w:rPr")) is not None:
            rfonts = rpr.find(qn("w:rPr")).find(qn("w:rFonts"))
            if rfonts is None:
                rfonts = OxmlElement("w:rFonts")
                rpr.find(qn("w:rPr")).insert(0, rfonts)
            rfonts.set(qn("w:eastAsia"), "宋体")
            rfonts.set(qn("w:ascii"), LATIN_FONT)
            rfonts.set(qn("w:hAnsi"), LATIN_FONT)
            for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                rfonts.attrib.pop(qn(theme), None)


def _page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Pt(14)  # 页码 7 mm below the 版心
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), NUMBER_FONT, SIZE_TABLE)
    _field(footer, "PAGE")
    _font(footer.add_run(" —"), NUMBER_FONT, SIZE_TABLE)


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(
                paragraph.add_run(value),
                HEADING_FONT if r == 0 else BODY_FONT,
                SIZE_TABLE,
            )
    return table


# --- the document ----------------------------------------------------------------


PROGRAMME_HEADER = ["工程", "平均完成率", "序时进度", "状态", "指标数", "已完成", "正常推进",
                    "进度滞后", "严重滞后", "逾期未完成", "未报送"]  # fmt: skip
RANKING_HEADER = ["名次", "单位", "按时率", "正常推进比例", "严重滞后及逾期", "榜单"]


def _count(counts, *codes: str) -> str:
    return str(sum(counts.get(code, 0) for code in codes))


def programme_rows(data: BulletinData) -> list[list[str]]:
    rows = []
    for _number, figures, _targets in data.programmes:
        c = figures.counts
        rows.append(
            [
                figures.name,
                prose.percent(figures.ratio),
                prose.percent(figures.expected),
                prose.STATUS.get(figures.status, figures.status),
                str(figures.target_count),
                _count(c, "completed", "completed_late"),
                _count(c, "on_track"),
                _count(c, "lagging"),
                _count(c, "behind"),
                _count(c, "overdue"),
                _count(c, "not_reported"),
            ]
        )
    return rows


def ranking_rows(data: BulletinData) -> list[list[str]]:
    return [
        [
            str(r.rank),
            r.figures.name,
            prose.percent(r.figures.rate),
            prose.percent(r.figures.progress),
            str(r.figures.bad),
            r.board_label or "—",
        ]
        for r in data.ranking
    ]


def build(data: BulletinData, *, number: int | None) -> bytes:
    """The bulletin as .docx bytes."""
    document = Document()
    _defaults(document)
    _declare_fallbacks(document)
    _page(document)
    period = data.period
    issued = data.issued_on

    # 红头
    _paragraph(document, ISSUER + "文件", font=TITLE_FONT, size=SIZE_ISSUER, color=RED,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)  # fmt: skip
    _paragraph(document, "", indent=False)
    rule = _paragraph(document, number_text(period.year, number), align=WD_ALIGN_PARAGRAPH.CENTER,
                      indent=False)  # fmt: skip
    _red_rule(rule)
    _paragraph(document, "", indent=False)
    _paragraph(document, prose.document_title(period), font=TITLE_FONT, size=SIZE_TITLE,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)  # fmt: skip
    _paragraph(document, "", indent=False)
    _paragraph(document, ADDRESSEES, indent=False)
    _paragraph(document, prose.opening(period))

    _paragraph(document, "一、总体情况", font=HEADING_FONT)
    _paragraph(document, prose.year_paragraph(period, data.year))
    corrected = prose.corrections_sentence(data.corrections)
    if corrected:  # none: not a paragraph more, the document reads as before
        _paragraph(document, corrected)

    _paragraph(document, "二、各工程推进情况", font=HEADING_FONT)
    for number_, figures, targets in data.programmes:
        _paragraph(document, prose.programme_paragraph(number_, figures, targets))
    _paragraph(document, f"附表：{period.year}年{prose.period_label(period)}“八大工程”推进情况",
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)  # fmt: skip
    _table(document, PROGRAMME_HEADER, programme_rows(data))

    _paragraph(document, "三、严重滞后和逾期未完成事项", font=HEADING_FONT)
    if data.lagging:
        for index, item in enumerate(data.lagging, start=1):
            _paragraph(
                document, prose.lagging_item(index, item.figures, item.problems, item.next_steps)
            )
    else:
        _paragraph(document, "本月无严重滞后和逾期未完成事项。")
    if data.red_cards:
        _paragraph(document, "连续滞后、列入通报的事项（红牌）：")
        for index, card in enumerate(data.red_cards, start=1):
            _paragraph(
                document,
                prose.red_card_item(
                    index, card.title, card.department, period, card.behind, card.run, card.level
                ),
            )

    _paragraph(document, "督办单办理情况：")
    for text in prose.overdue_orders_paragraphs(period, data.overdue_orders):
        _paragraph(document, text)

    _paragraph(document, "四、各单位报送及推进情况", font=HEADING_FONT)
    _paragraph(
        document,
        "按各单位年度累计按时报送率排序，按时率相同的按牵头指标正常推进比例排序。",
    )
    _table(document, RANKING_HEADER, ranking_rows(data))
    red = ranking.on_board(data.ranking, ranking.RED_BOARD)
    black = ranking.on_board(data.ranking, ranking.BLACK_BOARD)
    for text in prose.ranking_sentence(red, black):
        _paragraph(document, text)

    _paragraph(document, "五、下步工作要求", font=HEADING_FONT)
    _paragraph(document, prose.REQUIREMENTS)

    _paragraph(document, "", indent=False)
    _paragraph(document, ISSUER, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, f"{issued.year}年{issued.month}月{issued.day}日",
               align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)  # fmt: skip

    properties = document.core_properties
    properties.title = prose.document_title(period)
    properties.author = ISSUER
    properties.last_modified_by = ISSUER
    moment = datetime.combine(issued, time(0, 0))
    properties.created = moment
    properties.modified = moment
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def document_text(content: bytes) -> str:
    """The document's text in reading order: paragraphs, and each table's cells row by
    row (what two generations are compared by)."""
    document = Document(io.BytesIO(content))
    body = document.element.body
    lines = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            lines.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = [
                    "".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row.iter(qn("w:tc"))
                ]
                lines.append("\t".join(cells))
    return "\n".join(lines)


def text_digest(content: bytes) -> str:
    return hashlib.sha256(document_text(content).encode("utf-8")).hexdigest()
