"""Finding a CJK font for PDFs: the setting, then Debian's Noto Sans CJK (its SC face), then
other common system CJK fonts, then the Noto Sans CJK face shipped on PyPI."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
