"""The printable A4 PDF of a notice: for the village's paper board, with its QR code.

Only the notice's public fields are written; glyphs come from an embedded CJK font.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos

from procedures.publicity.models import Notice
from workflows.notices import NoticeStatus

from . import fonts, qr
from .texts import chinese_date, period_text

_MARGIN = 20
_WIDTH = 210 - 2 * _MARGIN


def _pdf() -> FPDF:
    document = fonts.CJKDocument(format="A4", unit="mm")
    document.set_margins(_MARGIN, _MARGIN, _MARGIN)
    document.set_auto_page_break(True, margin=_MARGIN)
    return document


def notice_pdf(notice: Notice, *, url: str) -> bytes:
    document = _pdf()
    document.set_title(notice.title)
    document.set_creator("Jiceng")
    document.add_page()

    document.set_font("cjk", size=20)
    document.multi_cell(
        _WIDTH,
        11,
        notice.title,
        align="C",
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if notice.status == NoticeStatus.WITHDRAWN:
        document.set_font("cjk", size=14)
        document.set_text_color(176, 23, 31)
        document.multi_cell(
            _WIDTH,
            9,
            f"本公示已撤回：{notice.withdrawn_reason}",
            align="C",
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        document.set_text_color(0, 0, 0)
    document.ln(4)

    document.set_font("cjk", size=12)
    document.multi_cell(
        _WIDTH, 7, notice.body, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    document.ln(3)

    label_width = 50
    for label, value in notice.public_fields:
        document.set_font("cjk", size=12)
        document.multi_cell(
            label_width,
            8,
            f"{label}",
            border=0,
            wrapmode=WrapMode.CHAR,
            new_x=XPos.RIGHT,
            new_y=YPos.TOP,
        )
        document.multi_cell(
            _WIDTH - label_width,
            8,
            str(value),
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        document.line(_MARGIN, document.get_y(), _MARGIN + _WIDTH, document.get_y())
    document.ln(4)
    document.multi_cell(
        _WIDTH, 7, period_text(notice), wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    if notice.provisional_note:
        document.multi_cell(
            _WIDTH,
            7,
            notice.provisional_note,
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    document.ln(6)

    size = 40
    if document.get_y() + size > 297 - _MARGIN:
        document.add_page()
    top = document.get_y()
    document.image(qr.png(url), x=_MARGIN, y=top, w=size, h=size)
    document.set_xy(_MARGIN + size + 6, top + 4)
    document.set_font("cjk", size=11)
    document.multi_cell(
        _WIDTH - size - 6,
        6,
        f"用手机扫码查看本公示、收听朗读或反映问题：\n{url}",
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    document.set_xy(_MARGIN, top + size + 6)
    document.set_font("cjk", size=12)
    issued = chinese_date(notice.published_on) if notice.published_on else ""
    document.multi_cell(
        _WIDTH,
        8,
        f"{notice.issuer}\n{issued}",
        align="R",
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(document.output())
