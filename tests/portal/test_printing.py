"""Printed pages as paper should look: no line begins with closing punctuation (避头尾), a
notice fits its QR code on its page instead of spilling it onto a page of its own, a printed
notice speaks of its QR code rather than "本页面", and the fonts used are said in the file's
properties, not on the page."""

from __future__ import annotations

from datetime import date

import pypdfium2
import pytest

from portal import documents
from portal.public import fonts, pdf
from procedures.publicity.models import Notice
from workflows.notices import NoticeStatus

OPENING = "（《“"


def _lines(content: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(content)
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return [line.strip("\r") for line in text.splitlines() if line.strip()]


def _notice(body: str, fields=()) -> Notice:
    return Notice(
        title="关于王某同志拟列为发展对象的公示", body=body, issuer="中共东岭镇委员会",
        status=NoticeStatus.PUBLISHED, published_on=date(2026, 11, 2),
        starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 9), period_length=5,
        period_unit="workdays", count_publish_day=True, public_fields=list(fields),
    )  # fmt: skip


@pytest.mark.parametrize("shift", range(0, 30))
def test_no_line_begins_with_closing_punctuation_nor_ends_with_opening(shift):
    """Wherever the break falls, a comma, a full stop or a closing bracket stays on the line
    before (it hangs), and an opening bracket goes down with what it opens."""
    document = fonts.CJKDocument(format="A4", unit="mm")
    document.add_page()
    document.set_font("cjk", size=16)
    text = "党" * shift + "，。（支部大会）“反映问题”，《细则》第三十三条。" * 4
    lines = document.text_lines(text, 156)
    assert "".join(lines) == text
    assert all(line[:1] not in fonts.NO_LINE_START for line in lines[1:]), lines
    assert all(line[-1:] not in fonts.NO_LINE_END for line in lines[:-1]), lines
    assert all(
        document.get_string_width(line.rstrip("".join(fonts.NO_LINE_START)))
        <= 156 - 2 * document.c_margin + 1e-6
        for line in lines
    )


def test_a_notice_and_a_page_print_no_line_starting_with_a_closing_mark():
    body = "".join(f"{'党员' * n}，同意。（第{n}项）" for n in range(1, 12))
    printed = pdf.notice_pdf(_notice(body), url="http://x/n/1/")
    page = documents.page_pdf(
        {"title": "手册", "facts": [], "paragraphs": [body], "sections": []}, base_url="http://x"
    )
    for content in (printed, page):
        lines = _lines(content)
        assert not [line for line in lines if line[:1] in "，。、；：？！）》”"], lines


def test_a_printed_notice_speaks_of_its_qr_code_and_says_its_fonts_in_its_properties():
    body = "公示期间，党员和群众可以通过本页面“反映问题”，或当面、书面向乡镇党委反映。"
    content = pdf.notice_pdf(_notice(body), url="http://x/n/1/")
    text = "".join(_lines(content))
    assert "本页面" not in text and "扫描下方二维码“反映问题”" in text
    assert "本文件字体" not in text
    assert pypdfium2.PdfDocument(content).get_metadata_dict()["Subject"] == fonts.official_note()


@pytest.mark.parametrize("fields", [10, 11, 12, 13, 14])
def test_a_notice_whose_text_ends_near_the_foot_keeps_its_qr_code_on_its_page(fields):
    """The text fills the 版心 to near its foot: the QR code goes in the bottom margin of the
    same page, never alone on a page of its own."""
    rows = [[f"第{n}项", "党员大会讨论通过"] for n in range(fields)]
    content = pdf.notice_pdf(_notice("经研究，现予公示。", rows), url="http://x/n/1/")
    document = pypdfium2.PdfDocument(content)
    last = document[len(document) - 1]
    texts = last.get_textpage().get_text_range().replace("\r", "").replace("\n", "")
    caption = "用手机扫码查看本公示、收听朗读或反映问题：http://x/n/1/"
    assert texts.replace(caption, "").strip(), "a page with only the QR code"
    images = [o for o in last.get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    assert len(images) == 1  # the QR code is on the last page, with the text
