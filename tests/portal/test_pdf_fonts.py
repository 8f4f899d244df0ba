"""PDFs embed from a font made once of what nearly every document writes (GB 2312 and the
punctuation); a document with a character outside it (a rare 生僻字 in a name) draws it from
the whole CJK font, the same glyph as before, never an empty box."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from fontTools.ttLib import TTFont
from fpdf import FPDF
from PIL import Image, ImageChops, ImageDraw, ImageFont

from portal import documents
from portal.public import fontfiles, fonts
from tests.conftest import FONT_SOURCES


def _page(title: str) -> dict:
    return {"title": title, "facts": [], "paragraphs": [], "sections": []}


def _drawn(pdf: bytes) -> tuple[str, bytes]:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=2).to_pil().convert("L")
    return document[0].get_textpage().get_text_range(), image.crop((0, 0, 1190, 140)).tobytes()


def _whole_font_only(title: str) -> bytes:
    """The same title drawn as every PDF was before: the whole font, nothing else."""
    document = FPDF(format="A4", unit="mm")
    document.set_margins(15, 15, 15)
    source = fontfiles.cjk_font()
    document.add_font("cjk", fname=source.path, collection_font_number=source.index)
    document.add_page()
    document.set_font("cjk", size=18)
    document.multi_cell(180, 10, title, align="C")
    return bytes(document.output())


def test_the_common_font_draws_gb2312_and_a_rare_character_falls_back_to_the_whole_font():
    common = fontfiles.common_characters()
    assert {ord(c) for c in "中共演示县委员会发展党员，。（）《》“”—0-9Aa"} <= common
    assert ord("堃") not in common and ord("㛃") not in common  # GBK only, Ext-A
    plain = documents.page_pdf(_page("发展党员工作情况"), base_url="http://x")
    rare = documents.page_pdf(_page("王堃、李㛃同志"), base_url="http://x")
    assert plain.count(b"/Type /FontDescriptor") == 1  # the common font alone
    assert rare.count(b"/Type /FontDescriptor") == 2  # and the whole font, for two characters
    text, pixels = _drawn(rare)
    assert "王堃、李㛃同志" in text
    _same_text, same_pixels = _drawn(_whole_font_only("王堃、李㛃同志"))
    # The title drawn from the two fonts is the title drawn from the whole font alone (the
    # margins and size of page_pdf's title): the same glyphs, not boxes. The common font's
    # outlines are TrueType curves within 1/1000 em of the original: an edge's shade may move.
    differing = [abs(a - b) for a, b in zip(pixels, same_pixels, strict=True) if a != b]
    assert len(differing) < 0.005 * len(pixels) and max(differing, default=0) < 64


def _fresh(text: str) -> bytes:
    """The text drawn by fpdf2's own add_font of the common font, in a new document."""
    document = FPDF(format="A4", unit="mm")
    document.add_font("cjk", fname=fontfiles.common_font())
    document.add_page()
    document.set_font("cjk", size=14)
    document.multi_cell(180, 8, text)
    return bytes(document.output())


def _cloned(text: str) -> bytes:
    document = fonts.CJKDocument(format="A4", unit="mm")
    document.add_page()
    document.set_font("cjk", size=14)
    document.multi_cell(180, 8, text)
    return bytes(document.output())


def test_a_document_s_font_read_once_a_process_draws_what_add_font_draws_and_keeps_nothing():
    """The font is read once a process and copied for each document: each document still
    embeds only its own glyphs and draws exactly what fpdf2's add_font would."""
    first, second = "拟接收预备党员公示", "支部大会讨论通过"
    _cloned(first)
    again = _cloned(second)
    assert _drawn(again) == _drawn(_fresh(second))
    assert len(again) < len(_cloned(first + second))  # the first document's glyphs not in it


@pytest.mark.parametrize("font_source", FONT_SOURCES, indirect=True)
def test_a_notice_is_laid_out_as_gb_t_9704_in_the_fonts_it_names(font_source, settings):
    """The 发文机关标志 red over a red rule, the title and the text in the standard's fonts or
    their stand-ins, said on the page; nothing left of the 版心's 28 mm margin. With only one
    CJK font (the setting's, or the PyPI face) the title and the text are both drawn in it:
    fpdf2 wrote such a PDF with an object missing from its table (KeyError, a 500)."""
    from datetime import date

    from portal.public import pdf
    from procedures.publicity.models import Notice
    from workflows.notices import NoticeStatus

    notice = Notice(
        title="关于王堃同志拟列为发展对象的公示", body="经党支部委员会研究，拟列为发展对象。",
        issuer="中共东岭镇委员会", status=NoticeStatus.PUBLISHED,
        published_on=date(2026, 11, 2), starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 9),
        period_length=5, period_unit="workdays", count_publish_day=True,
        public_fields=[["姓名", "王堃"], ["所在党支部", "中共东岭镇柳树村支部委员会"]],
    )  # fmt: skip
    content = pdf.notice_pdf(notice, url="http://x/n/1/")
    document = pypdfium2.PdfDocument(content)
    page = document[0]
    text = page.get_textpage().get_text_range().replace("\r", "").replace("\n", "")
    assert "关于王堃同志拟列为发展对象的公示" in text and "中共东岭镇委员会" in text
    note = fonts.official_note()
    # Which fonts stand in: said in the file's properties, not printed on the 公文.
    assert document.get_metadata_dict()["Subject"] == note and note not in text
    assert "方正小标宋未安装，以此代替" in note  # Debian has neither font
    if font_source == "debian":
        assert b"NotoSerifCJK" in content  # the serif faces stand in
    else:  # the one font there is stands in, by a name a reader understands
        name = "NotoSansCJKtc-Regular.otf" if font_source == "setting" else "Noto Sans CJK"
        assert f"标题 {name}（简体字形）（方正小标宋未安装" in note
    image = page.render(scale=1).to_pil().convert("RGB")
    width, _height = image.size
    pixels = image.load()
    mm = 72 / 25.4
    red = sum(
        1 for x in range(width) for y in range(int(37 * mm), int(60 * mm))
        if pixels[x, y][0] > 200 and pixels[x, y][1] < 80 and pixels[x, y][2] < 80
    )  # fmt: skip
    assert red > 200  # the issuer and the rule, in red
    left = min(
        (x for y in range(int(37 * mm), int(120 * mm)) for x in range(width)
         if sum(pixels[x, y]) < 300),
        default=width,
    )  # fmt: skip
    assert left >= int(28 * mm) - 1
    # A county that installed the standard's font names it in the settings: no stand-in said.
    settings.JICENG_TITLE_FONT = fontfiles.cjk_font().path + f"#{fontfiles.cjk_font().index}"
    fonts.official_fonts.cache_clear()
    title = fonts.official_note().split("；")[0]
    assert fontfiles.cjk_font().path.rsplit("/", 1)[-1] in title and "未安装" not in title
    # A setting naming no usable font is passed over (and the system check says so).
    settings.JICENG_TITLE_FONT = "/nowhere/FZXBS.ttf"
    fonts.official_fonts.cache_clear()
    assert "方正小标宋未安装，以此代替" in fonts.official_note()


def _drawn_alone(path: str, character: str, index: int = 0) -> Image.Image:
    face = ImageFont.truetype(path, 200, index=index)
    image = Image.new("L", (240, 240), 255)
    ImageDraw.Draw(image).text((20, 0), character, font=face, fill=0)
    return image


def _differ(first: Image.Image, second: Image.Image) -> int:
    return sum(ImageChops.difference(first, second).point(lambda v: 255 if v > 128 else 0)
               .histogram()[255:])  # fmt: skip


@pytest.mark.parametrize("font_source", ["fallback"], indirect=True)
def test_the_pypi_face_is_drawn_in_its_simplified_forms(font_source):
    """The package ships Noto Sans CJK's TC face. 骨 and 角 differ between 简体 and 繁体
    (the stroke inside 骨's top, the foot of 角); mainland papers print the 简体 forms: the
    face's own 简体 glyphs (cid45223, cid37677 in Noto Sans CJK 1.004) are what a PDF draws,
    not its default 繁体 ones (cid45224). 直 and 中 are one glyph in both."""
    source = fontfiles.cjk_font()
    shipped = TTFont(source.path, lazy=True).getBestCmap()
    assert (shipped[ord("骨")], shipped[ord("角")]) == ("cid45224", "cid37676")
    drawn = TTFont(fontfiles.simplified(source).path, lazy=True).getBestCmap()
    assert (drawn[ord("骨")], drawn[ord("角")]) == ("cid45223", "cid37677")
    assert drawn[ord("直")] == shipped[ord("直")] and drawn[ord("中")] == shipped[ord("中")]
    common = fontfiles.common_font()
    for character in "骨角":  # the subset PDFs embed draws the 简体 outline, not the 繁体
        ours = _drawn_alone(common, character)
        simplified = _drawn_alone(fontfiles.simplified(source).path, character)
        assert _differ(ours, simplified) * 3 < _differ(ours, _drawn_alone(source.path, character))
    # Where Debian's face is installed, its SC face (collection face 2) agrees.
    debian = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    if Path(debian).exists():
        for character in "骨角":
            mainland = _drawn_alone(debian, character, index=2)
            ours, theirs = _drawn_alone(common, character), _drawn_alone(source.path, character)
            assert _differ(ours, mainland) * 3 < _differ(theirs, mainland)
