"""A refusal never tells a user who is who outside his scope, and nobody acts on people of
another village: voters, chairs, recorders, attendees and applicants must be of the branch
or the village. A check (?check=1) refuses the same way, so names cannot be looked up by id."""

import pytest
from django.urls import reverse

from procedures.membership.models import Ballot, Case
from tests import factories

from ..procedures.membership.walk import walk, world
from ..procedures.village.world import D, T, advance, register, village_world

pytestmark = pytest.mark.django_db


def _meeting(w, **changes):
    body = {
        "held_on": "2024-07-15",
        "present": [m.pk for m in w.members[:7]],
        "yes": 6,
        "no": 1,
        "abstain": 0,
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
    }
    return {**body, **changes}


@pytest.mark.parametrize("check", ["", "?check=1"])
def test_voters_of_another_village_are_refused_without_their_names(client, check):
    w = world()
    strangers = [factories.person(w.tree.branches[1], name=f"邻村人{i}") for i in range(2)]
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    url = reverse("api:subject_step", args=["cases", case.pk, "branch_admit"]) + check
    body = _meeting(w, present=[m.pk for m in w.members[:5]] + [s.pk for s in strangers], yes=7)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "not_of_branch" and "邻村人" not in answer["message"]
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"chair": "stranger"}, {"recorder": 999_999}, {"chair": "stranger", "recorder": 999_999}],
)
def test_a_chair_of_another_village_or_an_unknown_recorder_is_refused_not_a_500(client, changes):
    w = world()
    stranger = factories.person(w.tree.branches[1], name="邻村书记甲")
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    body = _meeting(w, **{k: stranger.pk if v == "stranger" else v for k, v in changes.items()})
    for suffix in ("?check=1", ""):
        response = client.post(
            reverse("api:subject_step", args=["cases", case.pk, "branch_admit"]) + suffix,
            body,
            content_type="application/json",
        )
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "chair_not_of_branch"
        assert "邻村书记甲" not in response.json()["message"]
    assert Case.objects.get(pk=case.pk).status == "form_filled"


def test_the_first_secretary_cannot_open_a_case_for_a_villager_of_another_village(client):
    w = world()
    first = factories.person(w.tree.department, name="第一书记")
    factories.hold(first, w.tree.department, T.STAFF)  # sent by the department: sees the county
    factories.hold(first, w.branch, T.FIRST_SECRETARY)
    client.force_login(factories.user_for(first, "first"))
    neighbour = factories.person(w.tree.branches[1], name="邻村青年")
    response = client.post(
        reverse("api:cases"),
        {"person": neighbour.pk, "branch": w.branch.pk, "applied_on": "2026-11-02"},
        content_type="application/json",
    )
    assert response.status_code == 400  # he sees the person (the county is his scope)
    assert response.json()["code"] == "applicant_not_of_branch"
    assert not Case.objects.exists()
    own = client.post(
        reverse("api:cases"),
        {"person": w.applicant.pk, "branch": w.branch.pk, "applied_on": "2026-11-02"},
        content_type="application/json",
    )
    assert own.status_code == 201


def test_attendees_of_another_village_at_a_members_meeting_are_not_named(client):
    w = village_world()
    matter = advance(w, register(w), until="deliberate")
    stranger = factories.person(w.tree.branches[2], name="外村党员乙")
    client.force_login(w.secretary_user)
    response = client.post(
        reverse("api:subject_step", args=["matters", matter.pk, "deliberate"]),
        {
            "held_on": D["deliberate"].isoformat(),
            "place": "村委会",
            "chair": w.people[T.SECRETARY].pk,
            "recorder": w.people[T.VILLAGE_CLERK].pk,
            "attendees": [m.pk for m in w.members[:6]] + [stranger.pk],
            "yes": 6,
            "no": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_of_village"
    assert "外村党员乙" not in response.json()["message"]
