"""Every field a village matter's step declares reaches the matter's record: its meetings,
progress, acknowledgements, plans and read receipts, and the audit events of its stream.

The matter is walked through every declared step of both methods, each performed through
the parser the staff page and the API use, with a distinct value in every free-text field;
then each value typed in is looked for in what was recorded (as member development's
test_step_records does for a case)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from rest_framework import serializers

from portal import surfaces
from portal.surfaces import step_inputs
from procedures.people.models import Household, Person
from procedures.village import declaration
from procedures.village.declaration import AMENDS, EXITS
from procedures.village.models import Matter, VillagersMeetingPlan
from procedures.village.steps import Method, Status
from tests.records import flatten
from workflows.audit import events_of, stream_of

from .world import D, committee_attendees, joint_attendees, register, village_world

pytestmark = pytest.mark.django_db

FLAGS = {"record_failure", "villagers_meeting", "delegated"}


def _meeting(w, held_on: date, attendees, **extra) -> dict:
    return {
        "held_on": held_on.isoformat(),
        "chair": w.people["secretary"].pk,
        "recorder": w.people["village_clerk"].pk,
        "attendees": [p.pk for p in attendees],
        **extra,
    }


def _steps(w, method: str) -> list[tuple[str, dict]]:
    today = timezone.localdate()
    steps = [
        ("propose", _meeting(w, D["propose"], committee_attendees(w))),
        ("consult", _meeting(w, D["consult"], joint_attendees(w))),
        ("plan_villagers_meeting", {"planned_on": (today + timedelta(days=12)).isoformat()}),
        ("announce_villagers_meeting", {"announced_on": today.isoformat()}),
        ("deliberate", _meeting(w, D["deliberate"], w.members[:7], yes=6, no=1)),
        ("resolve", _meeting(w, D["resolve"], w.representatives[:7], yes=6, no=1)),
        ("publish_resolution", {"on": D["publish_resolution"].isoformat()}),
        ("record_progress", {"on": D["progress"].isoformat()}),
        ("publish_result", {"on": D["publish_result"].isoformat(), "completed_on": "2026-07-30"}),
        ("acknowledge", {"on": D["acknowledge"].isoformat(), "channels": ["broadcast"]}),
        ("record_visits", {"on": D["acknowledge"].isoformat(), "households": []}),
        ("archive", {"on": D["archive"].isoformat()}),
    ]
    if method == Method.FOUR:
        steps = [step for step in steps if step[0] != "acknowledge"]
    return steps


def _with_texts(step: str, body: dict) -> dict:
    """A distinct value in every free-text field the step's body declares."""
    serializer_class = surfaces.get("matters").table[step][0]
    for name, field in serializer_class().fields.items():
        if name not in body and (
            isinstance(field, serializers.CharField)
            and not isinstance(field, serializers.ChoiceField)
        ):
            body[name] = f"{step}的{name}"
    return body


def _recorded(matter: Matter) -> set[str]:
    found: set[str] = set()
    rows = [
        *matter.meetings.all(),
        *matter.progress.all(),
        *matter.acknowledgements.all(),
        *VillagersMeetingPlan.objects.filter(matter=matter),
        *matter.read_receipts.all(),
    ]
    for row in rows:
        flatten(model_to_dict(row), found)
    for event in events_of(stream_of(matter)):
        flatten(event.payload, found)
        found.add(str(event.act_date))
    return found


@pytest.mark.parametrize("method", [Method.THREE, Method.FOUR])
def test_every_declared_field_of_every_matter_step_reaches_its_record(method):
    w = village_world(method)
    matter = register(w)
    walked, lost = set(), []
    households = {h.pk: h.number for h in Household.objects.all()}
    for step, body in _steps(w, method):
        if step == "record_visits":
            body["households"] = [w.households[0].pk]
        body = _with_texts(step, body)
        _perform(Matter.objects.get(pk=matter.pk), step, None, body)
        walked.add(step)
        recorded = _recorded(matter)
        names = dict(Person.objects.values_list("pk", "name"))
        for name, value in body.items():
            if name in FLAGS:
                continue
            for item in value if isinstance(value, list) else [value]:
                if not {str(item), names.get(item), households.get(item)} & recorded:
                    lost.append(f"{step}.{name}={item!r}")
    assert Matter.objects.get(pk=matter.pk).status == Status.ARCHIVED
    assert lost == [], f"typed in and not recorded: {lost}"
    # The corrections and hand-offs reach their records in test_corrections.
    declared = set(declaration.STEP_INPUTS) - set(EXITS) - set(AMENDS) - {"propose_and_consult"}
    assert walked | ({"acknowledge"} if method == Method.FOUR else set()) == declared


@pytest.mark.parametrize("step", EXITS)
def test_every_declared_field_of_every_matter_exit_reaches_its_record(step):
    w = village_world()
    matter = register(w)
    body = _with_texts(step, {"on": D["propose"].isoformat()})
    _perform(matter, step, None, body)
    recorded = _recorded(matter)
    assert [name for name, value in body.items() if str(value) not in recorded] == []


def _perform(subject, step, actor, payload):
    """The step, parsed and performed as the staff page and the API do."""
    return step_inputs.run(surfaces.get("matters").table, subject, step, actor, payload)
