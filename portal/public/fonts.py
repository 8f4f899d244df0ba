"""Finding a CJK font for PDFs: the setting, then Debian's Noto Sans CJK (its SC face), then
other common system CJK fonts, then the Noto Sans CJK face shipped on PyPI."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # face number inside a .ttc collection


_SYSTEM = [
    FontFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # 2 = SC
    FontFile("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    FontFile("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    FontFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]


def _pypi_font() -> FontFile | None:
    try:
        import cvttf_NotoSansCJK_Regular as package
    except ImportError:
        return None
    path = Path(package.__file__).parent / "NotoSansCJKtc-Regular.otf"
    return FontFile(str(path)) if path.exists() else None


@lru_cache(maxsize=1)
def cjk_font() -> FontFile:
    if settings.JICENG_PDF_FONT:
        path, _, index = settings.JICENG_PDF_FONT.partition("#")
        return FontFile(path, int(index or 0))
    for candidate in _SYSTEM:
        if Path(candidate.path).exists():
            return candidate
    found = _pypi_font()
    if found is None:
        raise ImproperlyConfigured(
            "no CJK font found: install fonts-noto-cjk or set JICENG_PDF_FONT"
        )
    return found


# Speed: the CJK font is 16-19 MB with 65,000 glyphs; parsing it for every PDF and subsetting
# it at the end took 0.3-1 s a document. A PDF instead embeds from a font made once (and kept
# on disk) of what nearly every document writes: ASCII and Latin-1, the punctuation and full-
# width forms, and every character of GB 2312 (its 6,763 hanzi and symbols). The first text
# with a character outside it (a rare 生僻字 in a name) adds the whole font as the fallback
# for that document, so nothing is ever drawn as an empty box.

_COMMON_VERSION = "2"  # raise to rebuild the kept files


def _wanted_characters() -> set[int]:
    wanted = {0x09, 0x0A, 0x0D, *range(0x20, 0x7F), *range(0xA0, 0x100)}
    wanted |= {*range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)}
    for code in range(0x80, 0x10000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        wanted.add(code)
    return wanted


def _cache_dir() -> Path:
    wanted = Path(settings.JICENG_CACHE_DIR)
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        return wanted
    except OSError:  # a read-only installation: the system's temporary directory
        import tempfile

        return Path(tempfile.gettempdir())


@lru_cache(maxsize=1)
def common_font() -> str:
    """The path of the common subset of `cjk_font()`, built on first use and kept."""
    import hashlib
    import os

    import fontTools
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = cjk_font()
    stat = os.stat(source.path)
    key = hashlib.sha256(
        f"{source.path}#{source.index}:{stat.st_size}:{stat.st_mtime_ns}:"
        f"{fontTools.version}:{_COMMON_VERSION}".encode()
    ).hexdigest()[:16]
    path = _cache_dir() / f"cjk-common-{key}.otf"
    if not path.exists():
        font = TTFont(source.path, fontNumber=source.index, lazy=True)
        options = subset.Options()
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        # Without subroutines a document's subset needs no outline run to find which it uses.
        options.desubroutinize = True
        options.recommended_glyphs = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=_wanted_characters())
        subsetter.subset(font)
        partial = path.with_suffix(f".{os.getpid()}.part")
        font.save(str(partial))
        os.replace(partial, path)  # two processes building at once: either file is whole
    return str(path)


@lru_cache(maxsize=1)
def common_characters() -> frozenset[int]:
    """What the common font draws (with the line breaks and tabs text carries)."""
    from fontTools.ttLib import TTFont

    drawn = TTFont(common_font(), lazy=True).getBestCmap()
    return frozenset(drawn) | {0x09, 0x0A, 0x0D}


@lru_cache(maxsize=4)
def _file(path: str) -> bytes:
    with open(path, "rb") as source:
        return source.read()


@lru_cache(maxsize=4)
def _read(path: str, index: int) -> TTFFont:
    """The font as fpdf2 reads it (character map, widths, descriptor), once a process."""
    reader = FPDF()
    reader.add_font("f", fname=path, collection_font_number=index)
    return reader.fonts["f"]


class CJKDocument(FPDF):
    """An A4 document whose font "cjk" is the common font; the whole CJK font is added as the
    fallback the first time a text needs it (every text passes `normalize_text`, before it is
    measured or drawn)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._add("cjk", common_font())
        self.whole_font = False

    def _add(self, family: str, path: str, index: int = 0) -> None:
        """fpdf2's add_font, from the font as read once in this process: what it reads of the
        font (its character map, every glyph's width) is the same for every document; what a
        document changes (the glyphs it uses, its own copy of the font to subset at the end)
        is its own."""
        font = copy.copy(_read(path, index))
        font.fontkey = family
        font.i = len(self.fonts) + 1
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

    def normalize_text(self, text: str) -> str:
        if not self.whole_font and not common_characters().issuperset(map(ord, text)):
            source = cjk_font()
            self._add("cjk-full", source.path, source.index)
            self.set_fallback_fonts(["cjk-full"])
            self.whole_font = True
        return super().normalize_text(text)
