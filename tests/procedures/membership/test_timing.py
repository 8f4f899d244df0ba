"""A step's deadline and earliest day come from the rules its timing declares (steps.TIMING):
a county's rule setting moves the projection, the deadline row, the flow's timer and the
form's hint together, and a rule switched off bounds nothing (no default of its own)."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from procedures.membership import deadlines, flows, projection, services
from procedures.membership.pages import hints
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import STEP_RULES, TIMING
from workflows import deadlines as rows
from workflows.models import RuleSetting
from workflows.rules import clear_cache, get_rulebook

from .walk import APPLIED_ON, walk, world

pytestmark = pytest.mark.django_db


def _setting(rulebook, rule_id, **fields):
    RuleSetting.objects.create(rulebook=rulebook, rule_id=rule_id, **fields)
    clear_cache()


def _talk(case):
    [talk] = projection.project(case, limit=1)
    assert talk.code == "talk"
    return talk


def _row(case, key):
    return next((row for row in rows.open_for(case) if row.key == key), None)


def test_a_rule_setting_moves_the_projection_the_deadline_row_and_the_hint_together():
    w = world()
    case = walk(w, until="talk")
    assert _talk(case).deadline == APPLIED_ON + relativedelta(months=1)
    assert timezone.localtime(_row(case, "step:talk").due_at).date() == date(2023, 4, 1)
    _setting(case.rulebook, "talk_deadline", params={"months": 2})
    deadlines.sync(case)
    assert _talk(case).deadline == date(2023, 5, 1)
    assert timezone.localtime(_row(case, "step:talk").due_at).date() == date(2023, 5, 1)
    assert any("2个月" in hint for hint in hints(case, "talk")["citations"])


def test_a_rule_switched_off_bounds_nothing():
    w = world()
    case = walk(w, until="talk")
    _setting(case.rulebook, "talk_deadline", enabled=False)
    deadlines.sync(case)
    assert _talk(case).deadline is None
    assert _row(case, "step:talk") is None
    assert hints(case, "talk")["citations"] == []


def test_the_cultivation_timer_follows_the_cultivation_period_the_county_set():
    w = world()
    _setting(CPC_2014, "cultivation_period", params={"years": 2})
    case = walk(w, until="file_activist")
    walk(w, case=case, until="propose_candidate")
    case.refresh_from_db()
    timer = flows.process_of(case).task_set.get(flow_task_type="TIMER")
    assert timezone.localtime(timer.scheduled).date() == case.activist_on + relativedelta(years=2)
    assert projection.earliest_of(case, "propose_candidate", case.activist_on) == (
        case.activist_on + relativedelta(years=2)
    )


def test_every_timing_rule_is_a_rule_and_every_step_cites_its_timing():
    for code, timing in TIMING.items():
        assert set(timing.rules) <= set(STEP_RULES[code]), code
        for rule_id in timing.rules:
            assert any(rule_id in get_rulebook(key) for key in (CPC_2014, CPC_2026)), rule_id
    # The hint the 2026 pre-review lacked: its one-month deadline.
    assert "pre_review_deadline" in STEP_RULES["pre_review"]


def test_the_conversion_meeting_is_due_when_the_probation_ends_until_it_is_held():
    """第三十三条: once the conversion is applied for, the 支部大会 is due on the day the
    probation ends; the row follows the case through the notice and closes on the vote."""
    from .walk import attendance

    w = world()
    case = walk(w, until="apply_conversion")
    assert _row(case, "conversion_meeting") is None  # not applied for: the other row asks
    assert _row(case, "probation_end") is not None
    case = walk(w, until="publish_conversion", case=case)
    meeting = _row(case, "conversion_meeting")
    assert _row(case, "probation_end") is None
    assert timezone.localtime(meeting.due_at).date() == case.probation_ends_on
    assert "支部大会讨论转正" in meeting.title and meeting.audience == "branch"
    assert "第三十三条" in meeting.citation
    case = walk(w, until="branch_convert", case=case)  # the notice runs: still due
    assert _row(case, "conversion_meeting").pk == meeting.pk
    deadlines.sync(case)
    assert _row(case, "conversion_meeting").pk == meeting.pk  # kept, not reopened
    services.case_branch_convert(
        case_id=case.pk, actor=None, attendance=attendance(w, case.probation_ends_on)
    )
    assert _row(case, "conversion_meeting") is None
