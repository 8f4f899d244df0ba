"""The 工作台: what the signed-in person must act on, from every procedure's deadline rows,
overdue first, each with its deadline in working days and the page to act on; nobody sees
another village's work."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.urls import reverse
from django.utils import timezone

from portal.staff import workbench
from procedures.branchlife import services as life
from procedures.branchlife.steps import Kind
from procedures.membership import services as membership
from procedures.people.models import Position
from tests import factories

from ..procedures.village.world import D, advance, register, village_world

pytestmark = pytest.mark.django_db


def _day_of_three_procedures():
    """A village whose secretary has work in member development (a talk long overdue),
    village matters (a decision not published) and the branch's ledger (a plan due today)."""
    w = village_world()
    applicant = factories.person(w.branch, name="申请人甲", born=date(1998, 3, 1))
    case = membership.case_open(
        actor=None, person=applicant, branch=w.branch, applied_on=date(2023, 3, 1)
    )
    matter = register(w)
    advance(w, matter, until="publish_resolution")  # decided 2026-03-20
    plan = life.meeting_plan(
        actor=None,
        branch=w.branch,
        kind=Kind.THEME_DAY,
        planned_on=timezone.localdate(),
        topic="主题党日",
    )
    return w, case, matter, plan


def _workdays(first: date, last: date) -> int:
    """Working days from `first` to `last`, both included, by the other calendar library."""
    return len(chinese_calendar.get_workdays(first, last))


def test_the_secretary_sees_today_s_work_of_three_procedures_overdue_first():
    w, case, matter, plan = _day_of_three_procedures()
    today = workbench.today(w.secretary_user)
    kinds = [item.kind for item in today.items]
    assert {"发展党员", "村级事务", "组织生活"} <= set(kinds)
    assert [item.overdue for item in today.items] == sorted(
        (item.overdue for item in today.items), reverse=True
    )
    by_url = {item.url: item for item in today.items}
    assert by_url[reverse("staff:subject", args=["cases", case.pk])].kind == "发展党员"
    late = by_url[reverse("staff:subject", args=["matters", matter.pk])]
    planned = by_url[reverse("staff:subject", args=["branch-meetings", plan.pk])]
    assert (late.kind, planned.kind) == ("村级事务", "组织生活")
    # The decision was due five working days after 2026-03-20: 2026-03-27.
    assert late.due == date(2026, 3, 27)
    past = _workdays(date(2026, 3, 28), timezone.localdate())
    assert late.when == f"已超期{past}个工作日"
    assert planned.when == "今天到期"
    counts = {kind: (overdue, soon) for kind, overdue, soon in today.counts}
    assert counts["组织生活"][1] == 1 and counts["村级事务"][0] >= 1


def test_another_village_s_secretary_and_a_stranger_see_none_of_it():
    w, _case, _matter, _plan = _day_of_three_procedures()
    assert workbench.today(w.outsider_user).items == []
    stranger = factories.user_for(factories.person(w.tree.townships[1], name="无职务者"), "nobody")
    assert workbench.today(stranger).items == []


def test_the_township_sees_the_rows_that_are_its_own_to_act_on():
    """A branch's steps are the branch's: the township sees its own (the 预审 of a case
    in one of its villages), not the branch's."""
    w, case, _matter, _plan = _day_of_three_procedures()
    organiser = factories.person(w.tree.townships[0], name="组织员甲")
    factories.hold(organiser, w.tree.townships[0], Position.Title.ORGANISER)
    user = factories.user_for(organiser, "t-organiser")
    assert [item.kind for item in workbench.today(user).items] == []
    from workflows.models import Deadline

    row = Deadline.objects.filter(subject_id=case.pk, status="open").first()
    Deadline.objects.filter(pk=row.pk).update(audience="township")
    [item] = workbench.today(user).items
    assert item.url == reverse("staff:subject", args=["cases", case.pk])


def test_a_row_due_beyond_the_week_waits_and_one_due_within_it_shows_its_working_days():
    w, _case, _matter, plan = _day_of_three_procedures()
    from workflows.models import Deadline

    today = timezone.localdate()
    row = Deadline.objects.get(subject_id=plan.pk, key="plan")
    for days, shown in [(workbench.WEEK, True), (workbench.WEEK + 1, False)]:
        due = timezone.localtime(row.due_at) + timedelta(days=days)
        Deadline.objects.filter(pk=row.pk).update(due_at=due)
        url = reverse("staff:subject", args=["branch-meetings", plan.pk])
        items = [i for i in workbench.today(w.secretary_user).items if i.url == url]
        assert bool(items) == shown, days
        if shown:
            expected = _workdays(today + timedelta(days=1), today + timedelta(days=days))
            assert items[0].when == f"还剩{expected}个工作日"


def test_the_home_page_lists_the_items_with_their_counts(client):
    w, _case, matter, _plan = _day_of_three_procedures()
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:home")).content.decode()
    assert "今天要办" in page and "超期" in page and "今天到期" in page
    assert reverse("staff:subject", args=["matters", matter.pk]) in page
    assert "<title>工作台 · 基层流程引擎</title>" in page
    assert D["resolve"]  # the world's dates are the ones the rows were derived from


def test_a_case_and_a_matter_show_their_own_deadlines_beside_their_forms(client):
    w, case, matter, _plan = _day_of_three_procedures()
    client.force_login(w.secretary_user)
    case_page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    [talk] = workbench.due_for(case)
    assert talk.overdue and talk.title.endswith("党组织派人谈话")
    assert f'{talk.title}<br><span class="late">{talk.when}</span>' in case_page
    assert case_page.index('class="items due"') < case_page.index('class="card step-form"')
    matter_page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert [i.title for i in workbench.due_for(matter)] == [
        i.title for i in workbench.today(w.secretary_user).items if "matters" in i.url
    ]
    assert "已超期" in matter_page.split('class="items due"')[1].split("</ul>")[0]
