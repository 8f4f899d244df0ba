"""Bad input is a Chinese 400 (or an ignored filter), never a 500 and never half-written
data: the inputs an attacker's probe once found answering 500, each kept here."""

from datetime import date

import pytest
from django.urls import reverse

from procedures.membership.models import Case
from procedures.publicity import services as publicity
from procedures.publicity.models import Objection
from procedures.village.models import Matter
from workflows.models import AuditEvent

from ..procedures.membership.walk import walk, world

pytestmark = pytest.mark.django_db
NUL = "a\x00b"


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("api:cases", {"branch": "²"}),
        ("api:cases", {"stage": "²"}),
        ("api:cases", {"township": "١"}),
        ("api:people", {"organisation": "²"}),
        ("api:matters", {"village": "²"}),
        ("staff:cases", {"branch": "²", "stage": "²"}),
        ("staff:people", {"organisation": "²"}),
    ],
)
def test_a_malformed_id_filter_is_no_filter_not_a_500(client, name, params):
    w = world()
    client.force_login(w.organiser)
    assert client.get(reverse(name), params).status_code == 200


def test_written_opinion_keys_must_be_member_numbers(client):
    w = world()
    case = walk(w, until="branch_admit")
    client.force_login(w.secretary)
    body = {
        "held_on": "2024-07-15",
        "present": [m.pk for m in w.members[:7]],
        "yes": 6,
        "no": 1,
        "abstain": 0,
        "written": {"²": "yes"},
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
    }
    response = client.post(
        reverse("api:case_step", args=[case.pk, "branch_admit"]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_a_village_that_is_no_number_on_the_new_matter_form(client):
    w = world()
    client.force_login(w.secretary)
    response = client.post(
        reverse("staff:matter_new"), {"village": "abc", "title": "修路", "category": "general"}
    )
    assert response.status_code in (302, 400)
    assert not Matter.objects.exists()


def test_a_one_megabyte_note_is_refused(client):
    w = world()
    client.force_login(w.secretary)
    response = client.post(
        reverse("api:cases"),
        {
            "person": w.applicant.pk,
            "branch": w.branch.pk,
            "applied_on": "2026-11-02",
            "note": "长" * 1_100_000,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and not Case.objects.exists()


def test_every_text_and_list_input_has_a_length():
    """Every text and list field any form or API body takes is bounded."""
    from rest_framework import serializers

    from portal import case_steps, matter_steps
    from portal.api import cases
    from portal.api import serializers as api_serializers

    inputs = {serializer for serializer, _call in case_steps.STEP_INPUTS.values()}
    inputs |= {serializer for serializer, _call in matter_steps.STEP_INPUTS.values()}
    inputs |= {serializer for serializer, _call in cases.RECORD_INPUTS.values()}
    inputs |= {
        case_steps.OpenCaseInput,
        case_steps.MaterialInput,
        cases.BackfillInput,
        matter_steps.RegisterInput,
        api_serializers.WithdrawSerializer,
        api_serializers.VerificationSerializer,
        api_serializers.FindingSerializer,
    }
    unbounded = []
    for serializer in inputs:
        for name, field in serializer().fields.items():
            if isinstance(field, serializers.ChoiceField):
                continue
            if isinstance(field, serializers.CharField | serializers.ListField):
                if getattr(field, "max_length", None) is None:
                    unbounded.append(f"{serializer.__name__}.{name}")
    assert unbounded == []


@pytest.mark.parametrize(
    ("who", "name", "args", "body"),
    [
        ("secretary", "staff:matter_new", [], {"title": NUL, "category": "general"}),
        ("secretary", "api:cases", [], {"note": NUL}),
        ("organiser", "staff:notice_withdraw", ["notice"], {"reason": NUL}),
        (None, "public:concern", ["notice"], {"text": f"反映的情况{NUL}内容足够长"}),
        (None, "public:receipt", [], {"no": NUL}),
        ("organiser", "staff:people", [], {"q": NUL}),
    ],
)
def test_a_nul_byte_anywhere_is_a_400_and_nothing_is_written(client, who, name, args, body):
    w = world()
    notice = publicity.notice_draft(
        actor=None,
        village=w.branch.village,
        kind="candidate",
        issuer="测试",
        fields={"name": "某某"},
    )
    publicity.notice_publish(actor=None, notice=notice, published_on=date(2026, 11, 30))
    if who:
        client.force_login(getattr(w, who))
    if "village" not in body and name == "staff:matter_new":
        body["village"] = w.branch.village_id
    url = reverse(name, args=[notice.pk for _ in args])
    events = AuditEvent.objects.count()
    if name in ("public:receipt", "staff:people"):
        response = client.get(url, body)
    elif name.startswith("api:"):
        response = client.post(url, body, content_type="application/json")
    else:
        response = client.post(url, body)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert AuditEvent.objects.count() == events
    assert not Objection.objects.exists() and not Matter.objects.exists()
