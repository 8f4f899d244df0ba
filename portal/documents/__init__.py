"""Any registered subject's page as a printable document (portal/surfaces/): an A4 PDF, a
.docx from a template the county may replace in the admin without code (docxtpl), and an
Excel workbook (its facts a sheet, each section a sheet). All read the same page the staff
see (title, facts, sections of rows), so a printed 手册 is the records themselves; every row
that names a record links to its page.

The template is a Word file with Jinja tags over the page: `title`, `facts` (each `label`,
`text`, `url`), `paragraphs` (text written out, e.g. a report's), `sections` (each
`title`, `note`, `columns`, `rows`: lists of cells with
`text`, `url` and `link`, the text as a hyperlink where there is one), `printed_on`,
`font_note`. A template that does not render is refused with the field it names, never a
500."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace

from workflows.errors import ProcedureError

from ..errors import flash
from ..headers import name_download
from ..models import DocumentTemplate, template_for
from ..public import fontfiles, fonts
from . import spreadsheets, word

_MARGIN = 15
_WIDTH = 210 - 2 * _MARGIN
# Printed pages that are not a registered subject's: their template keys and names.
REPORT_KEY = "statistics_report"
REPORTS = {REPORT_KEY: gettext_noop("发展党员统计和半年、年度报告")}


PRODUCER = "基层流程引擎"


def font_note() -> str:
    font = fontfiles.simplified(fontfiles.cjk_font())
    return f"本文件字体：{font.name}（方正小标宋、仿宋未安装时以此代替）"


def _absolute(url: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}{url}" if url.startswith("/") else url


def page_pdf(page: dict, *, base_url: str) -> bytes:
    document = fonts.CJKDocument(format="A4", unit="mm")
    document.set_margins(_MARGIN, _MARGIN, _MARGIN)
    document.set_auto_page_break(True, margin=_MARGIN)
    document.set_title(page["title"])
    document.set_creator(PRODUCER)
    document.set_subject(font_note())  # which fonts: in the file's properties, not on paper
    document.add_page()
    document.set_font("cjk", size=18)
    document.paragraph(_WIDTH, 10, page["title"], align="C")
    document.set_font("cjk", size=10)
    for fact in page["facts"]:
        text = f"{fact['label']}：{fact['text']}"
        link = _absolute(fact["url"], base_url) if fact["url"] else ""
        document.paragraph(_WIDTH, 6, text, link=link)
    document.set_font("cjk", size=11)
    for paragraph in page.get("paragraphs", ()):
        document.ln(2)
        document.paragraph(_WIDTH, 7, paragraph)
    for section in page["sections"]:
        document.ln(3)
        document.set_font("cjk", size=13)
        document.paragraph(_WIDTH, 8, section["title"])
        document.set_font("cjk", size=9)
        if section["note"]:
            document.paragraph(_WIDTH, 5, section["note"])
        rows = section["rows"] or [[{"text": "暂无记录。", "url": ""}]]
        with document.table(
            width=_WIDTH,
            col_widths=_widths(section["columns"], section["rows"]),
            wrapmode=WrapMode.CHAR,
            text_align="LEFT",
            headings_style=FontFace(fill_color=(235, 235, 235)),
            line_height=5,
        ) as table:
            heading = table.row()
            for column in section["columns"]:
                heading.cell(str(column))
            for cells in rows:
                row = table.row()
                span = len(section["columns"]) if len(cells) == 1 else 1
                for cell in cells:
                    link = _absolute(cell["url"], base_url) if cell["url"] else None
                    row.cell(cell["text"], link=link, colspan=span)
    document.ln(4)
    document.set_font("cjk", size=8)
    document.paragraph(_WIDTH, 5, f"{timezone.localdate():%Y年%m月%d日}打印。")
    return bytes(document.output())


def _widths(columns: list, rows: list) -> tuple[float, ...]:
    """Columns as wide as what they hold (within bounds), so long text gets the room."""
    wanted = []
    for index, column in enumerate(columns):
        lengths = [len(str(column))] + [
            len(row[index]["text"]) for row in rows if len(row) == len(columns)
        ]
        wanted.append(max(4, min(24, max(lengths))))
    return tuple(wanted)


# The .docx: a docxtpl template over the page.


@lru_cache(maxsize=1)
def default_template() -> bytes:
    """The template used until a county uploads its own: the same tags a county's may use,
    built with python-docx (so the repository holds no binary)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:  # A4, not python-docx's US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(10.5)
    title = document.add_paragraph("{{ title }}")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.runs[0].font.size = Pt(18)
    document.add_paragraph("{%p for fact in facts %}")
    document.add_paragraph("{{ fact.label }}：{{ fact.link }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for text in paragraphs %}")
    document.add_paragraph("{{ text }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for section in sections %}")
    heading = document.add_paragraph("{{ section.title }}")
    heading.runs[0].font.size = Pt(14)
    document.add_paragraph("{{ section.note }}")
    # docxtpl's table tags: {%tc %} replaces its cell, {%tr %} its row; the middle cell of
    # each looped row is repeated once a column.
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    for row, middle in ((0, "{{ column }}"), (2, "{{ cell.link }}")):
        loop = "column in section.columns" if row == 0 else "cell in row"
        table.cell(row, 0).text = "{%tc for " + loop + " %}"
        table.cell(row, 1).text = middle
        table.cell(row, 2).text = "{%tc endfor %}"
    table.cell(1, 0).text = "{%tr for row in section.rows %}"
    table.cell(3, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{{ printed_on }}打印。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _context(template, page: dict, base_url: str, note: str) -> dict:
    from docxtpl import RichText

    def linked(item: dict) -> dict:
        text = item["text"]
        if item["url"]:
            rich = RichText()
            rich.add(text, url_id=template.build_url_id(_absolute(item["url"], base_url)))
            return {**item, "link": rich}
        return {**item, "link": text}

    return {
        "title": page["title"],
        "facts": [linked(fact) for fact in page["facts"]],
        "paragraphs": list(page.get("paragraphs", ())),
        "sections": [
            {**section, "rows": [[linked(cell) for cell in row] for row in section["rows"]]}
            for section in page["sections"]
        ],
        "printed_on": f"{timezone.localdate():%Y年%m月%d日}",
        "font_note": note,
    }


def page_docx(page: dict, *, base_url: str, template: bytes | None = None) -> bytes:
    """The page through the county's template (or the default), in the sandbox and the
    bounded child process of `word`. A template error is a refusal naming what failed."""
    # Read here, not in the bounded child: finding (or first making) the font is no
    # template's work. A Word file needs no font of ours: without one the note is empty.
    try:
        note = font_note()
    except ProcedureError:
        note = ""
    return word.render(
        template or default_template(), lambda document: _context(document, page, base_url, note)
    )


SAMPLE_PAGE = {
    "title": "样例：党支部工作手册",
    "facts": [{"label": "党支部", "text": "样例村党支部", "url": ""}],
    "sections": [
        {
            "title": "支部党员大会",
            "note": "",
            "columns": ["日期", "主题"],
            "rows": [[{"text": str(date(2026, 1, 5)), "url": ""}, {"text": "样例", "url": "/"}]],
        }
    ],
}


def check_template(template: bytes) -> None:
    """Refuse an uploaded template that reaches past a page's fields (`word.inspect`) or
    does not render a sample page."""
    word.inspect(template)
    page_docx(SAMPLE_PAGE, base_url="http://localhost", template=template)


FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A subject's page may also be had as a workbook (a named form is printed, never a sheet).
PAGE_FORMATS = {**FORMATS, "xlsx": spreadsheets.XLSX}
MSG_FACTS = gettext_noop("基本情况")
MSG_ITEM = gettext_noop("项目")
MSG_CONTENT = gettext_noop("内容")


def download(request, page: dict, *, fmt: str, template_key: str, back: str):
    """The page as an A4 PDF or through the county's Word template for `template_key`, as an
    attachment named by the page's title (its subtitle too where it has one); a template
    that does not render sends the user `back` with what failed."""

    if fmt not in PAGE_FORMATS:
        raise Http404
    base_url = request.build_absolute_uri("/")
    if fmt == "pdf":  # without a CJK font: the refusal's own page (503), not a redirect
        body = page_pdf(page, base_url=base_url)
    elif fmt == "xlsx":
        body = spreadsheets.workbook(as_workbook(page))
    else:
        try:
            body = page_docx(page, base_url=base_url, template=template_for(template_key))
        except ProcedureError as error:
            flash(request, error)
            return redirect(back)

    response = HttpResponse(body, content_type=PAGE_FORMATS[fmt])
    return name_download(response, f"{title_of(page)}.{fmt}")


def as_workbook(page: dict) -> dict:
    """A rendered page as `spreadsheets.workbook` reads it: its facts a first sheet, then a
    sheet per section; every value as the page shows it, text as text."""
    facts = {
        "title": _(MSG_FACTS),
        "columns": [_(MSG_ITEM), _(MSG_CONTENT)],
        "rows": [[{"text": fact["label"]}, {"text": fact["text"]}] for fact in page["facts"]],
    }
    return {
        "title": page["title"],
        "subtitle": page.get("subtitle") or "",
        "sections": [facts, *page["sections"]],
    }


def title_of(page: dict) -> str:
    """A printed page's name: its title, with its subtitle (organisation, period) if any."""
    subtitle = page.get("subtitle")
    return f"{page['title']}（{subtitle}）" if subtitle else str(page["title"])


def recheck_templates(model=None) -> list:
    """Check every enabled template again as an upload is checked; disable each that fails,
    with its reason. Returns the templates disabled. `model`: a migration's own."""
    model = model or DocumentTemplate
    disabled = []
    for row in model.objects.filter(active=True).order_by("pk"):
        try:
            check_template(bytes(row.content))
        except ProcedureError as error:
            row.active, row.problem = False, error.message
            row.save(update_fields=["active", "problem"])
            disabled.append(row)
    return disabled
