"""退回, 撤回, 更正, 催办 and 抄送 on the staff case page and the API: offered to whom may
take them, performed through the one adapter, and shown in the 全程纪实 as the paper record
would show them."""

import pytest
from django.urls import reverse

from procedures.membership.models import Case
from procedures.membership.steps import Status

from ..procedures.membership.walk import date_of, walk, world

pytestmark = pytest.mark.django_db


def _page(client, case) -> str:
    return client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()


def test_the_township_returns_a_pre_review_from_the_case_page(client):
    w = world()
    case = walk(w, until="pre_review")
    client.force_login(w.secretary)
    assert f'action="/staff/s/cases/{case.pk}/send_back/"' not in _page(client, case)
    client.force_login(w.organiser)
    page = _page(client, case)
    assert f'action="/staff/s/cases/{case.pk}/send_back/"' in page
    # The form offers only the steps the rules allow a 预审 to return to.
    form = page.split('/send_back/"', 1)[1].split("</form>", 1)[0]
    assert '<option value="record_review"' in form and '<option value="talk"' not in form
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "send_back"]),
        {"on": date_of("pre_review").isoformat(), "to": "record_review", "reason": "缺外调函"},
        follow=True,
    )
    assert Case.objects.get(pk=case.pk).status == Status.SPONSORED
    page = response.content.decode()
    assert "（已退回）" in page and "缺外调函" in page and "退回到：政治审查" in page


def test_a_return_without_a_reason_is_refused_in_chinese_and_changes_nothing(client):
    w = world()
    case = walk(w, until="pre_review")
    client.force_login(w.organiser)
    response = client.post(
        reverse("staff:subject_step", args=["cases", case.pk, "send_back"]),
        {"on": date_of("pre_review").isoformat(), "to": "record_review", "reason": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "请说明理由" in page or "退回理由：该字段是必填项" in page
    assert Case.objects.get(pk=case.pk).status == Status.COMMITTEE_REVIEWED


def test_the_api_corrects_a_date_and_the_timeline_shows_both(client):
    w = world()
    case = walk(w, until="choose_candidate")
    record = case.records.get(step="choose_activist")
    client.force_login(w.organiser)
    url = reverse("api:subject_step", args=["cases", case.pk, "correct"])
    new = date_of("choose_activist").replace(day=1)
    response = client.post(
        url,
        {"record": record.pk, "new_date": new.isoformat(), "reason": "以会议记录为准"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    timeline = client.get(reverse("api:case_timeline", args=[case.pk])).json()
    text = str(timeline)
    assert "以会议记录为准" in text
    page = _page(client, case)
    assert f"已更正为 {new.isoformat()}" in page
    assert f"原记录日期：{date_of('choose_activist').isoformat()}" in page
    # A branch secretary is not offered the correction; asked anyway, it is refused.
    client.force_login(w.secretary)
    assert '/correct/"' not in _page(client, case)
    response = client.post(
        url,
        {"record": record.pk, "new_date": new.isoformat(), "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "乡镇党委" in response.json()["message"]


def test_the_api_schema_lists_the_corrections(client):
    w = world()
    client.force_login(w.organiser)
    schema = client.get(reverse("api:schema")).content.decode()
    for step in ("send_back", "take_back", "correct", "press", "copy"):
        assert f"/api/s/cases/{{id}}/steps/{step}/" in schema


def test_the_case_list_counts_the_cases_pressed(client, monkeypatch):
    from notifications import services as notification_services
    from procedures.membership import services

    monkeypatch.setattr(notification_services, "_enqueue", lambda items: None)
    w = world()
    case = walk(w, until="talk")  # applied in 2023: the talk is long overdue
    client.force_login(w.organiser)
    url = reverse("staff:cases")
    assert "1次" not in client.get(url).content.decode()
    services.case_press(case_id=case.pk, actor=w.organiser, note="请本周内谈话")
    row = client.get(url).content.decode().split(f"/staff/s/cases/{case.pk}/", 1)[1]
    assert '<strong class="late">1次</strong>' in row.split("</tr>", 1)[0]


def test_the_timeline_api_marks_returns_and_keeps_original_dates_as_the_matter_api_does(client):
    """One shape for every procedure: a case's timeline entry carries `undone` (已退回,
    已撤回) and its date's `corrections` with the original date, as a matter's meetings do."""
    from procedures.membership import services

    w = world()
    case = walk(w, until="choose_candidate")
    record = case.records.get(step="choose_activist")
    new = date_of("choose_activist").replace(day=1)
    services.case_correct(
        case_id=case.pk, actor=w.organiser, record=record.pk, new_date=new, reason="以会议记录为准"
    )
    case = walk(w, case=case, until="pre_review")
    services.case_send_back(
        case_id=case.pk, actor=w.organiser, decided_on=date_of("pre_review"),
        to_step="record_review", reason="缺外调函",
    )  # fmt: skip
    client.force_login(w.organiser)
    timeline = client.get(reverse("api:case_timeline", args=[case.pk])).json()["timeline"]
    [corrected] = [e for e in timeline if e["corrections"]]
    assert corrected["on"] == new.isoformat() and corrected["undone"] == ""
    [fix] = corrected["corrections"]
    assert fix == {
        "original": date_of("choose_activist").isoformat(), "held_on": new.isoformat(),
        "reason": "以会议记录为准", "requested_by": "", "approver": "组织员",
    }  # fmt: skip
    undone = [e for e in timeline if e["undone"] == "已退回"]
    assert undone and all(e["kind"] == "step" for e in undone)
    from ..procedures.village.world import advance, register, village_world

    v = village_world()
    matter = advance(v, register(v), until="consult")
    client.force_login(v.secretary_user)
    meetings = client.get(reverse("api:matter", args=[matter.pk])).json()["meetings"]
    assert {"undone", "corrections"} <= set(meetings[0])
    assert set(corrected) >= {"undone", "corrections"}
