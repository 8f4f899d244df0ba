"""Each kind of deadline row at its moments: not due, due, overdue, escalated."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from procedures.membership.rulebooks import CPC_2026
from workflows import deadlines

from ..procedures.membership.walk import walk, world
from ..procedures.village.world import advance, register, village_world

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def _case_deadline(rulebook, until, key):
    w = world(rulebook=rulebook)
    case = walk(w, until=until)
    return next(row for row in deadlines.open_for(case) if row.key == key)


def _matter_deadline(until, key):
    w = village_world()
    matter = advance(w, register(w), until=until)
    return next(row for row in deadlines.open_for(matter) if row.key == key)


def _notice_deadline():
    from procedures.membership.services.notices import candidate_notice

    w = world(rulebook=CPC_2026)
    case = walk(w, until="choose_candidate")  # the candidate notice is running
    return next(
        row for row in deadlines.open_for(candidate_notice(case)) if row.key == "notice_close"
    )


def _villagers_meeting_notice():
    from procedures.village import services as village

    w = village_world()
    matter = advance(w, register(w), until="resolve")
    village.matter_plan_villagers_meeting(
        matter_id=matter.pk,
        actor=None,
        planned_on=date(2026, 4, 10),
        place="村文化广场",
        today=date(2026, 3, 12),
    )
    return next(row for row in deadlines.open_for(matter) if row.key == "villagers_meeting_notice")


KINDS = {
    "notice close": _notice_deadline,
    "talk": lambda: _case_deadline("cpc-2014", "talk", "step:talk"),
    "pre-review answer": lambda: _case_deadline("cpc-2014", "pre_review", "step:pre_review"),
    "branch meeting (2026)": lambda: _case_deadline(CPC_2026, "branch_admit", "step:branch_admit"),
    "approval": lambda: _case_deadline("cpc-2014", "approve", "step:approve"),
    "oath (2026)": lambda: _case_deadline(CPC_2026, "take_oath", "step:take_oath"),
    "conversion approval": lambda: _case_deadline(
        "cpc-2014", "approve_conversion", "step:approve_conversion"
    ),
    "probation end": lambda: _case_deadline("cpc-2014", "apply_conversion", "probation_end"),
    "conversion meeting": lambda: _case_deadline(
        "cpc-2014", "branch_convert", "conversion_meeting"
    ),
    "thought report": lambda: _case_deadline(
        "cpc-2014", "propose_candidate", "observation:thought_report"
    ),
    "assessment": lambda: _case_deadline("cpc-2014", "propose_candidate", "observation:assessment"),
    "resolution published": lambda: _matter_deadline(
        "publish_resolution", "step:publish_resolution"
    ),
    "acknowledgement": lambda: _matter_deadline("acknowledge", "step:acknowledge"),
    "villagers' meeting notice": _villagers_meeting_notice,
}


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize("kind", list(KINDS))
def test_not_due_due_overdue_escalated(kind, settings):
    settings.JICENG_REMIND_BEFORE_DAYS = 3
    settings.JICENG_ESCALATE_COUNTY_AFTER_DAYS = 10
    row = KINDS[kind]()
    due = timezone.localtime(row.due_at).date()

    def kinds_at(day):
        return {kind for kind, _level in services.moments(row, _at(day))}

    assert kinds_at(due - timedelta(days=4)) == set()  # not due
    assert kinds_at(due - timedelta(days=3)) == {Kind.REMINDER}  # due
    assert kinds_at(due) == {Kind.REMINDER}
    overdue = kinds_at(due + timedelta(days=1))
    if row.audience == "branch":  # the branch is late: the township hears, then the county
        assert overdue == {Kind.OVERDUE, Kind.ESCALATED_TOWNSHIP}
        assert kinds_at(due + timedelta(days=10)) == overdue
        assert kinds_at(due + timedelta(days=11)) == overdue | {Kind.ESCALATED_COUNTY}
    else:  # the township is late: the county hears at once
        assert row.audience == "township"
        assert overdue == {Kind.OVERDUE, Kind.ESCALATED_COUNTY}
    assert services.sweep(now=_at(due + timedelta(days=11))) >= 1
