"""The report's paragraph, as seed 004 writes it, from the structure of the period."""

from __future__ import annotations

from .composition import Share, Structure

# The report's paragraph, as seed 004 writes it.

REPORT_LABELS = ("高中以上文化", "女党员", "少数民族党员", "35岁以下党员", "生产一线党员")


def paragraph(
    *,
    period: str,
    who: str,
    unit: str | None,
    units: int,
    structure: Structure,
    quota: int | None,
) -> str:
    """ "上半年，有14个党委发展新党员102名，占全年计划的19.4%。在新党员中，高中以上文化74名，
    占72.5%；…". `unit`: what the organisation's parts are called (党委, 党支部), None for a
    branch; `units`: how many of them developed any; `quota`: the year's plan, if set."""
    total = structure.total
    if not total:
        return f"{period}，{who}尚未发展新党员。"
    head = f"有{units}个{unit}发展新党员{total}名" if unit else f"{who}发展新党员{total}名"
    if quota:
        head += f"，占全年计划的{Share('', total, quota).percent}%"
    parts = "；".join(
        f"{label}{share.count}名，占{share.percent}%"
        for label, share in zip(REPORT_LABELS, structure.seed, strict=True)
    )
    return f"{period}，{head}。在新党员中，{parts}。"
