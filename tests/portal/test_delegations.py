"""委托 on the staff page and the API: recorded by the secretary or the township, refused
to others, ended early; then the 第一书记's acts carry 代."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from procedures.people.models import Delegation, Position
from tests import factories

from ..procedures.membership.walk import world

pytestmark = pytest.mark.django_db


def _first_secretary(w):
    first = factories.person(w.branch, name="第一书记甲")
    factories.hold(first, w.branch, Position.Title.FIRST_SECRETARY)
    return first


def test_the_secretary_records_his_absence_on_the_staff_page_and_ends_it(client):
    w = world()
    first = _first_secretary(w)
    client.force_login(w.secretary)
    page = client.get(reverse("staff:delegations")).content.decode()
    assert "第一书记甲" in page and "登记委托" in page
    start = date(2026, 11, 2)
    response = client.post(
        reverse("staff:delegation_new"),
        {
            "branch": w.branch.pk,
            "delegate": first.pk,
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=9)).isoformat(),
            "reason": "参加县委党校培训",
        },
        follow=True,
    )
    assert "已登记委托" in response.content.decode()
    delegation = Delegation.objects.get()
    assert delegation.principal_id == w.members[0].pk and delegation.delegate_id == first.pk
    response = client.post(
        reverse("staff:delegation_end", args=[delegation.pk]),
        {"ended_on": (start + timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "委托已提前结束" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.last_day == start + timedelta(days=3)


def test_the_api_records_a_delegation_and_refuses_one_outside_the_scope(client):
    w = world()
    first = _first_secretary(w)
    body = {
        "branch": w.branch.pk,
        "delegate": first.pk,
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-05",
        "reason": "病假",
    }
    client.force_login(w.other_secretary)
    response = client.post(reverse("api:delegations"), body, content_type="application/json")
    assert response.status_code == 400 and "第一书记甲" not in response.content.decode()
    assert not Delegation.objects.exists()
    client.force_login(w.organiser)
    response = client.post(reverse("api:delegations"), body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["principal"] == w.members[0].name
    listed = client.get(reverse("api:delegations")).json()
    assert [d["delegate"] for d in listed] == ["第一书记甲"]
    client.force_login(w.other_secretary)
    assert client.get(reverse("api:delegations")).json() == []
    response = client.post(
        reverse("api:delegation_end", args=[listed[0]["id"]]),
        {"ended_on": "2026-11-03"},
        content_type="application/json",
    )
    assert response.status_code == 404
