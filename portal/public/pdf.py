"""The printable A4 PDF of a notice, for the village's paper board, with its QR code: a 公文
laid out as GB/T 9704 sets it (版心 156 × 225 mm; the 发文机关标志 in red over a red rule; the
title in 2号小标宋; the text in 3号仿宋, each paragraph indented two characters; the 发文机关署名
and 成文日期 at the right), in the fonts the standard names where installed and the serif CJK
faces otherwise, which the page says.

Only the notice's public fields are written; glyphs come from embedded CJK fonts."""

from __future__ import annotations

from fpdf.enums import WrapMode, XPos, YPos

from procedures.publicity.models import Notice
from workflows.notices import NoticeStatus

from . import fonts, qr
from .texts import chinese_date, period_text

# GB/T 9704-2012 §5.2.1: top margin 37 mm, left 28 mm; 版心 156 × 225 mm.
_LEFT, _TOP, _WIDTH, _HEIGHT = 28, 37, 156, 225
_RED = (230, 0, 18)
_PT = 25.4 / 72  # a point in mm
_TITLE_PT = 22  # 2号
_TEXT_PT = 16  # 3号
_LINE = _TEXT_PT * _PT * 1.75  # 22 lines to the 版心's height, near enough
_INDENT = "\u3000\u3000"  # 首行缩进两个字


def _pdf() -> fonts.CJKDocument:
    document = fonts.CJKDocument(official=True, format="A4", unit="mm")
    document.set_margins(_LEFT, _TOP, 210 - _LEFT - _WIDTH)
    document.set_auto_page_break(True, margin=297 - _TOP - _HEIGHT)
    return document


def _paragraph(document, text: str, *, size: float = _TEXT_PT, align: str = "L") -> None:
    document.set_font("body", size=size)
    for line in str(text).splitlines() or [""]:
        document.paragraph(_WIDTH, _LINE, f"{_INDENT}{line.strip()}", align=align)


def _printed(text: str) -> str:
    """A notice's text as paper says it: the web page it speaks of is the QR code's."""
    return str(text).replace("通过本页面", "扫描下方二维码")


def notice_pdf(notice: Notice, *, url: str) -> bytes:
    document = _pdf()
    document.set_title(notice.title)
    document.set_creator("基层流程引擎")
    document.set_subject(fonts.official_note())  # which fonts: in the file's properties
    document.add_page()

    # 发文机关标志, in red, over a red rule the 版心's width.
    document.set_text_color(*_RED)
    document.set_font("title", size=26)
    document.multi_cell(
        _WIDTH, 14, notice.issuer, align="C", wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    document.set_draw_color(*_RED)
    document.set_line_width(0.6)
    rule = document.get_y() + 3
    document.line(_LEFT, rule, _LEFT + _WIDTH, rule)
    document.set_draw_color(0, 0, 0)
    document.set_line_width(0.2)
    document.set_text_color(0, 0, 0)
    document.set_y(rule + 10)

    document.set_font("title", size=_TITLE_PT)
    document.paragraph(_WIDTH, _TITLE_PT * _PT * 1.6, notice.title, align="C")
    if notice.status == NoticeStatus.WITHDRAWN:
        document.set_text_color(176, 23, 31)
        _paragraph(document, f"本公示已撤回：{notice.withdrawn_reason}", align="C")
        document.set_text_color(0, 0, 0)
    document.ln(_LINE / 2)

    _paragraph(document, _printed(notice.body))
    for label, value in notice.public_fields:
        _paragraph(document, f"{label}：{value}")
    _paragraph(document, period_text(notice))
    if notice.provisional_note:
        _paragraph(document, notice.provisional_note)

    # 发文机关署名 and 成文日期, at the right, the date four characters in from the margin.
    issued = chinese_date(notice.published_on) if notice.published_on else ""
    # A blank line, then the 署名 and its date, which stay together (the blank line gives way
    # before they would go to a page of their own).
    bottom = _TOP + _HEIGHT
    gap = _LINE if document.get_y() + 3 * _LINE <= bottom else 0
    if document.get_y() + gap + 2 * _LINE > bottom:
        document.add_page()
        gap = 0
    document.ln(gap)
    document.set_font("body", size=_TEXT_PT)
    document.multi_cell(
        _WIDTH, _LINE, f"{notice.issuer}\u3000\u3000\n{issued}\u3000\u3000\u3000\u3000",
        align="R", wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    document.ln(_LINE / 2)

    # The QR code below the text; where the 版心 has no room left, in the bottom margin of
    # the same page (never a page holding nothing but the code).
    size = 32
    top = document.get_y()
    if top + size > _TOP + _HEIGHT:
        size = 24
        if top + size > 297 - 8:
            document.add_page()
            top, size = document.get_y(), 32
    document.set_auto_page_break(False)
    document.image(qr.png(url), x=_LEFT, y=top, w=size, h=size)
    document.set_xy(_LEFT + size + 6, top + 2)
    document.set_font("body", size=10)
    document.paragraph(_WIDTH - size - 6, 5, f"用手机扫码查看本公示、收听朗读或反映问题：\n{url}")
    return bytes(document.output())
