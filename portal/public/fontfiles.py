"""Finding a CJK font for PDFs: the setting, then Debian's Noto Sans CJK (its SC
face), then other common system CJK fonts, then the Noto Sans CJK face shipped on
PyPI. A font is used only if it opens and draws Chinese; with none, a PDF is refused
with a Chinese page (503) and the system check says what to install. Every face is
drawn in its simplified (mainland) glyph forms: a face whose default forms are
another region's (the PyPI package ships the TC face) is used through its own `locl`
substitutions for 简体中文; and the common subset each document embeds is made once and
kept."""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import fontTools
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from fpdf import FPDF
from fpdf.fonts import TTFFont

from workflows.errors import ProcedureError

MSG_NO_FONT = gettext_noop("打印版暂不可用：服务器缺少中文字体，请联系管理员。")
INSTALL_HINT = (
    "apt-get install fonts-noto-cjk（或 pip install cvttf-notosanscjk-regular，"
    "或设置 JICENG_PDF_FONT）"
)


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0  # face number inside a .ttc collection
    label: str = ""  # what a printed page calls it, where the file's name would mislead

    @property
    def name(self) -> str:
        return self.label or self.path.rsplit("/", 1)[-1]


# Where the system's fonts are (tests hide them by emptying this).
SYSTEM_FONT_DIRS: tuple[str, ...] = ("/usr/share/fonts", "/usr/local/share/fonts")
_SYSTEM = [  # under a system font folder, the first found serves
    ("opentype/noto/NotoSansCJK-Regular.ttc", 2),  # 2 = SC
    ("opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("truetype/wqy/wqy-zenhei.ttc", 0),
    ("truetype/wqy/wqy-microhei.ttc", 0),
]


def _system(relative: str, index: int) -> FontFile | None:
    for root in SYSTEM_FONT_DIRS:
        if (Path(root) / relative).exists():
            return FontFile(str(Path(root) / relative), index)
    return None


_PROBE = "中共党员发展公示"  # what any usable face must draw


def _pypi_font() -> FontFile | None:
    try:
        import cvttf_NotoSansCJK_Regular as package
    except ImportError:
        return None
    path = Path(package.__file__).parent / "NotoSansCJKtc-Regular.otf"
    return FontFile(str(path), label="Noto Sans CJK")


def _configured(value: str) -> FontFile:
    path, _sep, index = value.partition("#")
    return FontFile(path, int(index) if index.isdigit() else 0)


def unusable(font: FontFile) -> str | None:
    """Why a font cannot serve (missing, unreadable, no Chinese), or None."""
    if not Path(font.path).is_file():
        return f"{font.path} 不存在"
    try:
        draws = _draws(font, _PROBE)
    except Exception as error:  # any parse failure makes the file unusable
        return f"{font.path} 无法读取（{type(error).__name__}）"
    if not draws:
        return f"{font.path} 不含中文字形"
    return None


def _draws(font: FontFile, characters: str) -> bool:
    """Whether the face maps every one of `characters` to a glyph. Read from the cmap's
    Unicode full-repertoire subtable (format 12) as it lies in the file, without building
    the face's whole map: a CJK face maps some 44,000 characters, and building that map
    took 35 MiB at every process's start (the system check runs in the Celery worker too).
    A face without such a subtable is read the usual way."""
    face = TTFont(font.path, fontNumber=font.index, lazy=True)
    raw = face.reader["cmap"]
    count = struct.unpack_from(">H", raw, 2)[0]
    for index in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", raw, 4 + 8 * index)
        if (platform, encoding) in ((3, 10), (0, 4), (0, 6)) and struct.unpack_from(
            ">H", raw, offset
        )[0] == 12:
            groups = struct.unpack_from(">I", raw, offset + 12)[0]
            ranges = [
                struct.unpack_from(">III", raw, offset + 16 + 12 * group) for group in range(groups)
            ]
            return all(_in_ranges(ord(character), ranges) for character in characters)
    drawn = face.getBestCmap() or {}
    return all(ord(character) in drawn for character in characters)


def _in_ranges(code: int, ranges: list[tuple[int, int, int]]) -> bool:
    low, high = 0, len(ranges) - 1
    while low <= high:
        middle = (low + high) // 2
        start, end, glyph = ranges[middle]
        if code < start:
            high = middle - 1
        elif code > end:
            low = middle + 1
        else:
            return glyph + (code - start) != 0
    return False


def _candidates() -> list[FontFile]:
    found = [_configured(settings.JICENG_PDF_FONT)] if settings.JICENG_PDF_FONT else []
    found += [font for font in (_system(*entry) for entry in _SYSTEM) if font is not None]
    pypi = _pypi_font()
    return found + ([pypi] if pypi is not None else [])


@lru_cache(maxsize=1)
def _chosen() -> FontFile | None:
    return next((font for font in _candidates() if unusable(font) is None), None)


def cjk_font() -> FontFile:
    """The font PDFs are drawn in; a refusal (503, in Chinese) where the server has none."""
    found = _chosen()
    if found is None:
        raise ProcedureError("pdf_font_missing", _(MSG_NO_FONT), status=503)
    return found


def font_problems() -> list[tuple[str, str]]:
    """What the system check reports, each with its hint: a configured font that cannot
    serve, or no usable font at all."""
    problems = []
    chosen = _chosen()
    if settings.JICENG_PDF_FONT:
        reason = unusable(_configured(settings.JICENG_PDF_FONT))
        if reason is not None:
            instead = f"现改用 {chosen.path}" if chosen is not None else "也没有其他可用字体"
            problems.append(
                (
                    f"JICENG_PDF_FONT 指定的字体不可用：{reason}；{instead}。",
                    "把 JICENG_PDF_FONT 改为中文字体文件的路径（集合字体 .ttc 加 #序号）。",
                )
            )
    if chosen is None:
        problems.append(
            ("没有可用的中文字体，打印版（PDF）将无法生成。", f"请安装：{INSTALL_HINT}")
        )
    return problems


# 简体字形: Noto Sans CJK's region faces hold every region's glyphs; which one a character
# shows is the face's default, changed per language by its `locl` feature. The TC face shows
# 骨 and 直 in their Taiwanese forms; its ZHS language system names the mainland ones.


def _zhs_substitutions(font: TTFont) -> dict[str, str]:
    """glyph → glyph, as the face's `locl` lookups for 简体中文 (ZHS) substitute them, less
    those every Chinese language system shares (the same for 繁体 and 香港: not a 简体 form):
    a face that shows the 简体 forms already has none left."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    by_language: dict[str, set[int]] = {}
    for script in table.ScriptList.ScriptRecord:
        for language in script.Script.LangSysRecord:
            for index in language.LangSys.FeatureIndex:
                record = table.FeatureList.FeatureRecord[index]
                if record.FeatureTag == "locl":
                    by_language.setdefault(language.LangSysTag, set()).update(
                        record.Feature.LookupListIndex
                    )
    chinese = [by_language[tag] for tag in ("ZHS ", "ZHT ", "ZHH ") if tag in by_language]
    lookups = sorted(by_language.get("ZHS ", set()) - set.intersection(*chinese or [set()]))
    result: dict[str, str] = {}
    for index in lookups:  # applied in lookup order, each on what the one before made
        single: dict[str, str] = {}
        for subtable in table.LookupList.Lookup[index].SubTable:
            subtable = getattr(subtable, "ExtSubTable", subtable)
            single.update(getattr(subtable, "mapping", None) or {})
        result = {glyph: single.get(target, target) for glyph, target in result.items()}
        for glyph, target in single.items():
            result.setdefault(glyph, target)
    return result


@lru_cache(maxsize=8)
def simplified(source: FontFile) -> FontFile:
    """The face with its character map pointing at the 简体 glyphs: the source itself where it
    shows them already, else a copy with its character map rewritten (outlines untouched),
    made once and kept beside the common font."""

    path = _kept(source, "cjk-sc", ".otf")
    named = f"{source.name}（简体字形）"
    if path.exists():
        return FontFile(str(path), 0, named)
    substitutions = _zhs_substitutions(TTFont(source.path, fontNumber=source.index, lazy=True))
    font = TTFont(source.path, fontNumber=source.index, lazy=True, recalcTimestamp=False)
    font.recalcBBoxes = False
    changed = 0
    for table in font["cmap"].tables:
        if table.isUnicode():
            for code, glyph in table.cmap.items():
                if glyph in substitutions:
                    table.cmap[code] = substitutions[glyph]
                    changed += 1
    if not changed:
        return source
    partial = path.with_suffix(f".{os.getpid()}.part")
    font.save(str(partial))  # only the character map is compiled again
    os.replace(partial, path)
    return FontFile(str(path), 0, named)


# Speed: the CJK font is 16-19 MB with 65,000 glyphs; parsing it for every PDF and subsetting
# it at the end took 0.3-1 s a document. A PDF instead embeds from a font made once (and kept
# on disk) of what nearly every document writes: ASCII and Latin-1, the punctuation and full-
# width forms, and every character of GB 2312 (its 6,763 hanzi and symbols). The first text
# with a character outside it (a rare 生僻字 in a name) adds the whole font as the fallback
# for that document, so nothing is ever drawn as an empty box.

_COMMON_VERSION = "4"  # raise to rebuild the kept files
# 避头尾: marks no line may begin with, and marks no line may end with.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·％,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
_CONTROLS = {0x09, 0x0A, 0x0D}


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
        return Path(tempfile.gettempdir())


def _kept(source: FontFile, kind: str, suffix: str) -> Path:
    """Where a font made from `source` is kept: named by the source file, its size and time,
    fontTools' version and `_COMMON_VERSION`, so a changed source or builder makes it anew."""
    stat = os.stat(source.path)
    key = hashlib.sha256(
        f"{kind}:{source.path}#{source.index}:{stat.st_size}:{stat.st_mtime_ns}:"
        f"{fontTools.version}:{_COMMON_VERSION}".encode()
    ).hexdigest()[:16]
    return _cache_dir() / f"{kind}-{key}{suffix}"


def _to_truetype(font) -> None:
    """CFF outlines to TrueType ones (quadratic, within 1/1000 em), and one character map:
    subsetting a document's glyphs then runs no outline and reads one table, where CFF had
    each used glyph's outline run (its closure) on every document."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
        "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints",
        "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth",
    ):  # fmt: skip
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: decoding 7,000 of them was a table read per document
    cmap = font["cmap"]
    cmap.tables = [table for table in cmap.tables if (table.platformID, table.platEncID) == (3, 1)]
    font.sfntVersion = "\x00\x01\x00\x00"


@lru_cache(maxsize=8)
def common_font(source: FontFile | None = None) -> str:
    """The path of the common subset of a font (`cjk_font()`), built on first use and kept."""
    source = simplified(source or cjk_font())
    path = _kept(source, "cjk-common", ".ttf")
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
        _to_truetype(font)
        partial = path.with_suffix(f".{os.getpid()}.part")
        font.save(str(partial))
        os.replace(partial, path)  # two processes building at once: either file is whole
    return str(path)


@lru_cache(maxsize=1)
def common_characters() -> frozenset[int]:
    """What the common font draws (with the line breaks and tabs text carries)."""
    drawn = TTFont(common_font(), lazy=True).getBestCmap()
    return frozenset(drawn) | {0x09, 0x0A, 0x0D}


@lru_cache(maxsize=8)
def _file(path: str) -> bytes:
    with open(path, "rb") as source:
        return source.read()


@lru_cache(maxsize=8)
def _read(path: str, index: int) -> TTFFont:
    """The font as fpdf2 reads it (character map, widths, descriptor), once a process."""
    reader = FPDF()
    reader.add_font("f", fname=path, collection_font_number=index)
    return reader.fonts["f"]
