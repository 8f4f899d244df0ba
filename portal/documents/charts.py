"""Charts drawn on the server as SVG: horizontal bars, one a row, each with its value written
beside it. A chart is never alone: the page puts the table of the same numbers under it, and
the SVG carries a title and a description (its text alternative) naming every bar."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

ROW = 30  # px a bar's row
LABEL = 120  # px for the labels on the left
BAR = 200  # px for the longest bar
VALUE = 90  # px for the value on the right
FILL = "#1f5fa8"  # the bars (on white: 6.6:1)
MARK = "#b3261e"  # a target or the 100% line


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | None
    text: str  # the value as written beside the bar ("61.6%", "12名")
    mark: Decimal | int | None = None  # a target on the same scale, drawn as a line


def bars(bars: list[Bar], *, scale: Decimal | int, title: str, centred: bool = False) -> SafeString:
    """`scale`: the value of a full bar (100 for shares, the largest count for a funnel).
    `centred`: bars grow from the middle (a funnel)."""
    width = LABEL + BAR + VALUE
    height = ROW * max(len(bars), 1) + 6
    scale = scale or 1
    items = []
    for index, bar in enumerate(bars):
        y = 3 + index * ROW
        length = 0 if not bar.value else max(1, round(BAR * float(bar.value) / float(scale)))
        length = min(length, BAR)
        x = LABEL + ((BAR - length) // 2 if centred else 0)
        items.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}">{}</text>',
                LABEL - 6,
                y + 19,
                bar.label,
                x,
                y + 5,
                length,
                ROW - 10,
                FILL,
                LABEL + BAR + 6,
                y + 19,
                bar.text,
            )
        )
        if bar.mark is not None and not centred:
            mark = LABEL + min(BAR, round(BAR * float(bar.mark) / float(scale)))
            items.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"></line>',
                    mark,
                    y + 1,
                    mark,
                    y + ROW - 1,
                    MARK,
                )
            )
    described = "；".join(f"{bar.label}：{bar.text}" for bar in bars)
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'aria-label="{}" font-size="13">'
        "<title>{}</title><desc>{}</desc>{}</svg>",
        width, height, width, height, f"{title}。{described}",
        title, described, format_html_join("", "{}", ((item,) for item in items)),
    )  # fmt: skip
