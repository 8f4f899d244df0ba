"""PDF documents in Chinese (`CJKDocument`): each with its own copy of the chosen
face, the common subset embedded and the whole face added only for a character
outside it, lines broken by 避头尾; and the official document fonts (GB/T 9704) where a
county has them. Which face, and its files, are `fontfiles`."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import SubsetMap

from . import fontfiles
from .fontfiles import (
    _CONTROLS,
    NO_LINE_END,
    NO_LINE_START,
    FontFile,
    _chosen,
    _configured,
    _file,
    _read,
    _system,
    cjk_font,
    common_characters,
    common_font,
    simplified,
    unusable,
)


class CJKDocument(FPDF):
    """An A4 document whose font "cjk" is the common font; the whole CJK font is added as the
    fallback the first time a text needs it (every text passes `normalize_text`, before it is
    measured or drawn). `official`: also the families "title" and "body", the fonts GB/T 9704
    asks of a 公文 (`official_fonts`)."""

    def __init__(self, *, official: bool = False, **kwargs):
        super().__init__(**kwargs)
        # Each family is read when first set: every font a document holds is subset and
        # embedded at its end, used or not.
        self._families = {"cjk": lambda: common_font()}
        if official:
            for role, found in official_fonts().items():
                self._families[role] = lambda found=found: common_font(found.file)
        self.whole_font = False

    def set_font(self, family=None, style="", size=0):
        if family in self._families and family not in self.fonts:
            self._add(family, self._families[family]())
        return super().set_font(family, style, size)

    def _add(self, family: str, path: str, index: int = 0) -> None:
        """fpdf2's add_font, from the font as read once in this process: what it reads of the
        font (its character map, every glyph's width) is the same for every document; what a
        document changes (the glyphs it uses, its own copy of the font to subset at the end)
        is its own."""
        font = copy.copy(_read(path, index))
        font.fontkey = family
        font.i = len(self.fonts) + 1
        # fpdf2 numbers the descriptor as an object of the document that embeds it: shared
        # between two families of one document (both read from one file, as the official
        # faces are when only one CJK font is installed) it was numbered twice and written
        # once, and the PDF's object table missed an object (KeyError in fpdf's output).
        font.desc = copy.copy(font.desc)
        font.ttfont = TTFont(
            io.BytesIO(_file(path)), recalcTimestamp=False, fontNumber=index, lazy=True
        )
        # The subset embedded keeps the font's bounding box: recomputing it from every
        # glyph's outline was half of the time a document took.
        font.ttfont.recalcBBoxes = False
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        font._hbfont = None
        self.fonts[family] = font
        if font.is_cff and font.is_cid_keyed:
            self._set_min_pdf_version("1.6")

    def text_lines(self, text: str, width: float) -> list[str]:
        """`text` broken into lines `width` wide (mm, the cell's padding counted) as Chinese is
        set (避头尾): no line begins with closing punctuation, which hangs at the end of the
        line before (标点悬挂), and none ends with opening punctuation, which goes down with
        the character it opens. Each "\n" begins a line."""
        room = width - 2 * self.c_margin
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            line, used, broke = "", 0.0, False
            for character in paragraph:
                wide = self.get_string_width(character)
                if broke and not line and character in NO_LINE_START:
                    lines[-1] += character  # a second closing mark hangs with the first
                    continue
                broke = False
                if line and used + wide > room:
                    if character in NO_LINE_START:
                        lines.append(line + character)
                        line, used, broke = "", 0.0, True
                        continue
                    carried = ""
                    while line and line[-1] in NO_LINE_END:
                        carried, line = line[-1] + carried, line[:-1]
                    if not line:  # nothing but opening marks: nothing to carry them with
                        line, carried = carried, ""
                    lines.append(line)
                    line, used, broke = carried, self.get_string_width(carried), True
                line += character
                used += wide
            lines.append(line)
        return lines

    def paragraph(self, w: float, h: float, text: str, *, align: str = "L", **kwargs) -> None:
        """`text` in lines broken by `text_lines`, each a cell of its own below the last (a
        line with a hanging mark a hair wider than `w`)."""
        for line in self.text_lines(text, w):
            wide = max(w, self.get_string_width(line) + 2 * self.c_margin + 0.01)
            self.multi_cell(
                wide, h, line, align=align, wrapmode=WrapMode.CHAR,
                new_x=XPos.LEFT, new_y=YPos.NEXT, **kwargs,
            )  # fmt: skip
        self.set_x(self.l_margin)

    def normalize_text(self, text: str) -> str:
        drawn = getattr(self.current_font, "cmap", None) or common_characters()
        if not self.whole_font and any(
            code not in drawn and code not in _CONTROLS for code in map(ord, text)
        ):
            source = simplified(cjk_font())
            self._add("cjk-full", source.path, source.index)
            self.set_fallback_fonts(["cjk-full"])
            self.whole_font = True
        return super().normalize_text(text)


# GB/T 9704 (党政机关公文格式): the 发文机关标志 and the title in 小标宋, the text in 仿宋. Neither
# ships with Debian; a county that has them installs them (or names them in the settings),
# and otherwise the serif CJK faces stand in, and the document says so.


@dataclass(frozen=True)
class Official:
    file: FontFile
    wanted: str  # the font the standard asks for
    standard: bool  # found installed (not a stand-in)

    @property
    def note(self) -> str:
        name = simplified(self.file).name
        return name if self.standard else f"{name}（{self.wanted}未安装，以此代替）"


_WANTED = {
    "title": ("方正小标宋", ("小标宋", "XiaoBiaoSong", "FZXBS"), "JICENG_TITLE_FONT",
              ("opentype/noto/NotoSerifCJK-Bold.ttc", 2)),
    "body": ("仿宋", ("仿宋", "FangSong", "simfang", "STFANGSO"), "JICENG_BODY_FONT",
             ("opentype/noto/NotoSerifCJK-Regular.ttc", 2)),
}  # fmt: skip


def _installed(hints: tuple[str, ...]) -> FontFile | None:
    for root in fontfiles.SYSTEM_FONT_DIRS:  # (tests hide them there)
        for path in sorted(Path(root).rglob("*")) if Path(root).is_dir() else ():
            lowered = path.name.lower()
            if path.suffix.lower() in (".ttf", ".otf", ".ttc") and any(
                hint.lower() in lowered for hint in hints
            ):
                return FontFile(str(path))
    return None


@lru_cache(maxsize=1)
def official_fonts() -> dict[str, Official]:
    found = {}
    for role, (wanted, hints, setting, stand_in) in _WANTED.items():
        configured = getattr(settings, setting, "")
        if configured and unusable(_configured(configured)) is None:
            found[role] = Official(_configured(configured), wanted, True)
            continue
        installed = _installed(hints)
        if installed is not None:
            found[role] = Official(installed, wanted, True)
        else:
            found[role] = Official(_system(*stand_in) or cjk_font(), wanted, False)
    return found


def official_note() -> str:
    fonts = official_fonts()
    return f"本文件字体：标题 {fonts['title'].note}；正文 {fonts['body'].note}。"


def forget() -> None:
    """Find the fonts again (tests, or after a font was installed)."""
    for cached in (_chosen, simplified, common_font, common_characters, official_fonts):
        cached.cache_clear()
