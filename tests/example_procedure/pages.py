"""A letter as the generic subject page shows it: its facts and its record (全程纪实), read
from the audit chain the pipeline wrote."""

from __future__ import annotations

from workflows.audit import events_of, stream_of

from .models import Letter


def letter_page(letter: Letter, user, query) -> dict:
    facts = [("党支部", letter.branch.name), ("收到日期", f"{letter.received_on:%Y-%m-%d}")]
    if letter.answered_on:
        facts += [("答复日期", f"{letter.answered_on:%Y-%m-%d}"), ("答复内容", letter.reply)]
    events = events_of(stream_of(letter))
    return {
        "title": f"{letter.title} · {letter.get_status_display()}",
        "facts": facts,
        "sections": [
            {
                "title": "全程纪实",
                "columns": ["日期", "办理", "经办人"],
                "rows": [[f"{e.act_date:%Y-%m-%d}", e.action, e.actor_name] for e in events],
            }
        ],
    }
