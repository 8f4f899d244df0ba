"""退回, 撤回, 更正, 催办 and 抄送 of a village matter on the staff matter page and the API:
offered to whom may take them, performed through the one adapter, and shown on the
matter's record (the meetings marked, the corrected date with the original folded)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from procedures.village.models import Matter, MatterMeeting
from procedures.village.steps import Status

from ..procedures.village.test_corrections import _upper
from ..procedures.village.world import D, advance, register, village_world

pytestmark = pytest.mark.django_db


def _page(client, matter) -> str:
    return client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()


def test_the_township_returns_a_matter_from_its_page_and_the_meetings_show_it(client):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    action = f'action="/staff/s/matters/{matter.pk}/send_back/"'
    client.force_login(w.secretary_user)
    page = _page(client, matter)
    assert action not in page and '/correct/"' not in page
    client.force_login(township)
    page = _page(client, matter)
    assert action in page and '/correct/"' in page and '/copy/"' in page
    # The form offers the meetings that stand, and only those.
    form = page.split('/send_back/"', 1)[1].split("</form>", 1)[0]
    assert '<option value="consult"' in form and '<option value="resolve"' not in form
    response = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "send_back"]),
        {"on": D["deliberate"].isoformat(), "to": "consult", "reason": "商议未通知工作队"},
        follow=True,
    )
    assert Matter.objects.get(pk=matter.pk).status == Status.PROPOSED
    page = response.content.decode()
    assert "已办理：退回" in page
    assert page.count("（已退回）") == 2 and "商议未通知工作队" in page
    assert "退回到：商议（联席会议）" in page


def test_a_return_without_a_reason_is_refused_in_chinese_and_changes_nothing(client):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    client.force_login(township)
    response = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "send_back"]),
        {"on": D["deliberate"].isoformat(), "to": "consult", "reason": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "请说明理由" in page or "退回理由：该字段是必填项" in page
    assert Matter.objects.get(pk=matter.pk).status == Status.DELIBERATED


def test_the_api_corrects_a_meeting_date_and_the_record_shows_both(client):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    consult = MatterMeeting.objects.get(step="consult")
    new = D["consult"] + timedelta(days=1)
    url = reverse("api:subject_step", args=["matters", matter.pk, "correct"])
    # The secretary is not offered the correction; asked anyway, it is refused.
    client.force_login(w.secretary_user)
    response = client.post(
        url,
        {"record": consult.pk, "new_date": new.isoformat(), "reason": "笔误"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "乡镇党委或县委" in response.json()["message"]
    client.force_login(township)
    response = client.post(
        url,
        {
            "record": consult.pk,
            "new_date": new.isoformat(),
            "reason": "以会议记录为准",
            "requested_by": "村党支部",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    detail = client.get(reverse("api:matter", args=[matter.pk])).json()
    held = {m["step"]: m for m in detail["meetings"]}
    assert held["consult"]["held_on"] == new.isoformat()
    assert held["consult"]["corrections"][0]["original"] == D["consult"].isoformat()
    assert detail["amends"][-1]["action"] == "更正"
    page = _page(client, matter)
    assert f"已更正为 {new.year}年{new.month}月{new.day}日" in page
    assert f"原记录日期：{D['consult'].year}年{D['consult'].month}月{D['consult'].day}日" in page
    assert "以会议记录为准" in page and "村党支部" in page


def test_the_secretary_takes_back_his_meeting_through_the_api(client):
    from procedures.village import services

    from ..procedures.village.world import committee_attendees, meeting

    w = village_world()
    matter = register(w)
    services.matter_propose(
        matter_id=matter.pk,
        actor=w.secretary_user,
        meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
    )
    client.force_login(w.secretary_user)
    assert '/take_back/"' in _page(client, matter)
    response = client.post(
        reverse("api:subject_step", args=["matters", matter.pk, "take_back"]),
        {"reason": "会议日期录错"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.REGISTERED
    assert "（已撤回）" in _page(client, matter)


def test_the_openapi_schema_names_every_correction_of_a_matter(client):
    w = village_world()
    client.force_login(w.secretary_user)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/s/matters/{id}/steps/")]
    text = str({p: schema["paths"][p] for p in paths})
    for step in ("send_back", "take_back", "correct", "press", "copy"):
        assert step in text, step


def test_the_township_overview_counts_the_matters_pressed(client, monkeypatch):
    from notifications import services as notification_services
    from procedures.village.services.matters import MATTERS
    from workflows import amend

    monkeypatch.setattr(notification_services, "_enqueue", lambda items: None)
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="publish_resolution")  # decided in March: overdue
    client.force_login(township)

    def pressed_cell() -> str:
        page = client.get(reverse("staff:matters")).content.decode()
        row = page.split(f"· {w.village.name}</td>", 1)[1].split("</tr>", 1)[0]
        return row.rsplit("<td>", 1)[1].split("</td>", 1)[0]

    assert pressed_cell() == "0"
    amend.press(MATTERS, pk=matter.pk, actor=township, note="请公开决议")
    amend.press(MATTERS, pk=matter.pk, actor=township, note="再次催办")
    assert pressed_cell() == "2"
