"""The staff pages of member development, as a branch secretary and a township organiser."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from fixtures import case_script
from procedures.membership.models import Case
from procedures.membership.steps import Status
from workflows.models import AuditEvent

from ..procedures.membership.walk import walk, world

pytestmark = pytest.mark.django_db


def test_the_secretary_sees_the_talk_in_his_inbox_and_records_it(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    inbox = client.get(reverse("staff:inbox")).content.decode()
    assert "党组织派人谈话" in inbox and "已超期" in inbox
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    assert 'aria-current="step"' in page and "第七条" in page
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "talk"]),
        {"on": "2023-03-20", "talker": "支部书记"},
        follow=True,
    )
    assert "已办理：党组织派人谈话" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.TALKED


def test_the_step_form_takes_a_past_date_from_the_last_act_to_today(client):
    """An act is often entered after it happened: the date field allows what the rules
    allow, from the last act (or the end of a waiting period) to today."""
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    today = timezone.localdate().isoformat()
    assert f'name="on" value="{today}" max="{today}" min="{case.applied_on.isoformat()}"' in page


def test_the_step_form_after_a_waiting_period_takes_dates_from_its_end(client):
    w = world()
    case = walk(w, until="choose_candidate")
    client.force_login(w.secretary)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    today = timezone.localdate().isoformat()
    year_on = (case.activist_on + relativedelta(years=1)).isoformat()
    assert f'name="on" value="{today}" max="{today}" min="{year_on}"' in page


def test_a_refused_step_shows_its_rule_and_changes_nothing(client):
    w = world()
    case = walk(w, until="choose_candidate")
    client.force_login(w.secretary)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "choose_candidate"]),
        {"on": "2024-04-09", "present": "4", "yes": "4"},
        follow=True,
    )
    page = response.content.decode()
    assert "培养教育考察时间不足一年（《细则》第十三条）" in page
    flashed = page.split('class="messages"', 1)[1].split("</ul>", 1)[0]
    assert flashed.count("《细则》第十三条") == 1  # cited once, not again as （依据：…）
    assert Case.objects.get(pk=case.pk).status == Status.CULTIVATING
    assert AuditEvent.objects.count() == before


def test_the_live_check_answers_without_saving(client):
    w = world()
    case = walk(w, until="choose_candidate")
    client.force_login(w.secretary)
    url = reverse("api:subject_step", args=["cases", case.pk, "choose_candidate"]) + "?check=1"
    refused = client.post(url, {"on": "2024-04-09", "present": "4", "yes": "4"})
    assert refused.status_code == 400 and refused.json()["code"] == "cultivation_period"
    case_script.observe(case, case.activist_on, date(2024, 4, 10))
    ok = client.post(url, {"on": "2024-04-22", "present": "4", "yes": "4"})
    assert ok.json() == {"ok": True}
    assert Case.objects.get(pk=case.pk).status == Status.CULTIVATING


def test_meeting_form_takes_the_list_of_those_present(client):
    w = world()
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    form = {
        "held_on": "2024-07-15",
        "present": [m.pk for m in w.members[:6]],
        "yes": "5",
        "no": "1",
        "abstain": "0",
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
    }
    client.post(reverse("staff:subject_step", args=["cases", case.pk, "branch_admit"]), form)
    assert Case.objects.get(pk=case.pk).status == Status.BRANCH_ADMITTED


def test_written_opinions_of_absent_members_count_on_the_staff_form(client):
    """Five of nine came, four voted yes: not more than half of nine. Two absent members'
    written yes (书面意见) make six, and the meeting admits."""
    w = world()
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    # One row per member, one box per vote (the written opinions are per person).
    assert "<legend>书面意见（未到会人员）</legend>" in page and 'name="written_yes"' in page
    assert f'aria-label="{w.members[5].name}：同意"' in page
    form = {
        "held_on": "2024-07-15",
        "present": [m.pk for m in w.members[:5]],
        "yes": "4",
        "no": "1",
        "abstain": "0",
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
    }
    url = reverse("staff:subject_step", args=["cases", case.pk, "branch_admit"])
    refused = client.post(url, form, follow=True).content.decode()
    assert "第二十一条" in refused
    assert Case.objects.get(pk=case.pk).status != Status.BRANCH_ADMITTED
    both = client.post(
        url,
        {**form, "written_yes": [w.members[5].pk], "written_no": [w.members[5].pk]},
        follow=True,
    ).content.decode()
    assert "书面意见" in both and Case.objects.get(pk=case.pk).status != Status.BRANCH_ADMITTED
    client.post(url, {**form, "written_yes": [w.members[5].pk, w.members[6].pk]})
    assert Case.objects.get(pk=case.pk).status == Status.BRANCH_ADMITTED


def test_written_opinions_keyed_by_anything_but_a_member_number_are_refused(client):
    w = world()
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    answer = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "branch_admit"]),
        {
            "held_on": "2024-07-15",
            "present": [m.pk for m in w.members[:6]],
            "yes": 5,
            "no": 1,
            "abstain": 0,
            "written": {"abc": "yes"},
            "chair": w.members[0].pk,
            "recorder": w.members[2].pk,
        },
        content_type="application/json",
    )
    assert answer.status_code == 400 and "党员编号" in answer.json()["message"]


def test_the_branch_gets_no_approval_form_and_the_township_approves(client):
    w = world()
    case = walk(w, until="approve")
    client.force_login(w.secretary)
    assert (
        'id="f-approve-present"'
        not in client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    )
    refused = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "approve"]),
        {"on": "2024-08-15", "present": "3", "yes": "3"},
        follow=True,
    )
    assert "应由乡镇党委办理" in refused.content.decode()
    client.force_login(w.organiser)
    assert (
        'id="f-approve-present"'
        in client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    )
    client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "approve"]),
        {"on": "2024-08-15", "present": "3", "yes": "3"},
    )
    assert Case.objects.get(pk=case.pk).status == Status.APPROVED


def test_other_branches_cases_are_not_found(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.other_secretary)
    assert client.get(reverse("staff:subject", args=["cases", case.pk])).status_code == 404
    assert "申请人" not in client.get(reverse("staff:cases")).content.decode().split("</thead>")[1]


def test_materials_and_observations_from_the_case_page(client):
    w = world()
    case = walk(w, until="propose_candidate")
    client.force_login(w.secretary)
    client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "observe"]),
        {"kind": "thought_report", "on": "2023-07-10", "summary": "思想汇报"},
    )
    assert case.observations.count() == 1
    bad = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "observe"]),
        {"kind": "gossip", "on": "2023-07-10"},
        follow=True,
    )
    assert "请选择思想汇报或考察意见" in bad.content.decode()
    client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "add_material"]),
        {"step": "apply", "kind": "application"},
    )
    assert case.materials.filter(kind="application").exists()
    assert date(2023, 7, 10) == case.observations.get().on


def test_the_case_page_shows_viewflows_chart_with_the_current_step(client):
    w = world()
    case = walk(w, until="approve")
    client.force_login(w.secretary)
    svg = client.get(reverse("staff:case_chart", args=[case.pk]))
    assert svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    assert "17 上级党委审批" in body and "⑥ 培养教育考察期" in body
    client.force_login(w.other_secretary)
    assert client.get(reverse("staff:case_chart", args=[case.pk])).status_code == 404


@pytest.mark.parametrize("on", ["", "2026-02-30", "昨天"])
def test_a_date_the_form_could_not_read_is_refused_not_taken_as_today(client, on):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "talk"]),
        {"on": on, "talker": "支部书记"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "发生日期" in page and "日期格式错误" in page
    assert Case.objects.get(pk=case.pk).status == Status.APPLIED


@pytest.mark.parametrize("on", ["", "2026-02-30", "昨天"])
def test_an_observation_with_an_unreadable_date_is_refused_on_the_page(client, on):
    w = world()
    case = walk(w, until="propose_candidate")  # cultivating: observations are due
    before = case.observations.count()
    client.force_login(w.secretary)
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "observe"]),
        {"kind": "thought_report", "on": on, "summary": "思想汇报"},
        follow=True,
    )
    assert response.status_code == 200 and "日期格式错误" in response.content.decode()
    assert case.observations.count() == before


def test_a_material_title_over_200_characters_is_refused_on_the_page(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "add_material"]),
        {"step": "apply", "kind": "application", "title": "申" * 201},
        follow=True,
    )
    assert response.status_code == 200 and "标题" in response.content.decode()
    assert not case.materials.exists()


def test_the_case_page_shows_what_the_upper_committee_locked_and_takes_a_correction(client):
    w = world()
    case = walk(w, until="pre_review")
    client.force_login(w.secretary)
    url = reverse("staff:subject_step", args=["cases", case.pk, "add_material"])
    client.post(url, {"step": "record_review", "kind": "political_review", "title": "政审材料"})
    case = walk(w, case=case, until="fill_form")  # 预审 locks it
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    assert "上级党委预审时审核" in page and "已锁定" in page
    refused = client.post(url, {"step": "record_review", "kind": "political_review"}, follow=True)
    assert "已锁定；更正须上传新的材料并说明更正原因" in refused.content.decode()
    corrected = client.post(
        url,
        {"step": "record_review", "kind": "political_review", "title": "政审材料（补正）",
         "reason": "补外调函"},
        follow=True,
    )  # fmt: skip
    body = corrected.content.decode()
    assert (
        "已办理：存入档案材料" in body
        and "更正“政审材料”，原因：补外调函" in body
        and "已被更正" in body
    )


def test_the_case_list_shows_a_page_at_a_time_and_keeps_its_filters(client, monkeypatch):
    from portal.staff import cases as case_pages
    from procedures.membership import services
    from tests import factories

    from ..procedures.membership.walk import APPLIED_ON

    monkeypatch.setattr(case_pages, "CASES_PER_PAGE", 2)
    w = world()
    for _ in range(3):
        services.case_open(
            actor=None, person=factories.person(w.branch), branch=w.branch, applied_on=APPLIED_ON
        )
    client.force_login(w.organiser)
    first = client.get(reverse("staff:cases"), {"status": "applied"}).content.decode()
    assert "第 1 / 2 页，共 3 件" in first and "status=applied&amp;page=2" in first
    second = client.get(reverse("staff:cases"), {"status": "applied", "page": "2"})
    rows = second.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1 and "上一页" in second.content.decode()
    # A page past the end shows the last; a page that is no number, the first.
    assert "第 2 / 2 页" in client.get(reverse("staff:cases"), {"page": "9"}).content.decode()
    assert "第 1 / 2 页" in client.get(reverse("staff:cases"), {"page": "x"}).content.decode()
