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
        reverse("api:subject_step", args=["cases", case.pk, "branch_admit"]),
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
    """Every text, list and number field any form or API body takes is bounded (a huge
    number once reached the database and overflowed its integer: a 500)."""
    from rest_framework import serializers

    from portal import surfaces
    from portal.api import cases, matters
    from portal.api import serializers as api_serializers

    inputs = {
        serializer
        for surface in surfaces.all_surfaces().values()
        for serializer, _call in surface.table.values()
    }
    inputs |= {serializer for serializer, _call in cases.RECORD_INPUTS.values()}
    inputs |= {
        cases.OpenCaseInput,
        cases.BackfillInput,
        matters.RegisterInput,
        api_serializers.WithdrawSerializer,
        api_serializers.VerificationSerializer,
        api_serializers.FindingSerializer,
    }
    unbounded = []
    for serializer in inputs:
        for name, field in serializer().fields.items():
            if isinstance(field, serializers.ChoiceField):
                continue
            if isinstance(field, serializers.ListField):
                field_items = [field, field.child]
            else:
                field_items = [field]
            for item in field_items:
                if isinstance(item, serializers.CharField | serializers.ListField):
                    if getattr(item, "max_length", None) is None:
                        unbounded.append(f"{serializer.__name__}.{name}")
                if isinstance(item, serializers.IntegerField) and item.max_value is None:
                    unbounded.append(f"{serializer.__name__}.{name} (number)")
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


@pytest.mark.parametrize(
    ("content", "declared", "ok"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf", True),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "application/pdf", True),  # the bytes decide
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg", True),
        (b"<html><script>alert(1)</script>", "application/pdf", False),
        (b"MZ\x90\x00 an executable", "image/png", False),
    ],
)
def test_an_upload_is_judged_by_its_bytes(client, tmp_path, settings, content, declared, ok):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    upload = SimpleUploadedFile("scan.pdf", content, content_type=declared)
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "add_material"]),
        {"step": "apply", "kind": "application", "file": upload},
    )
    assert response.status_code == (200 if ok else 400), response.content
    assert case.materials.exists() is ok


def test_an_upload_over_the_size_limit_is_refused(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procedures.membership.services.materials import MAX_MATERIAL_MB

    settings.MEDIA_ROOT = tmp_path
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    big = SimpleUploadedFile(
        "scan.pdf",
        b"%PDF-" + b"0" * (MAX_MATERIAL_MB * 1024 * 1024),
        content_type="application/pdf",
    )
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "add_material"]),
        {"step": "apply", "kind": "application", "file": big},
    )
    assert response.status_code == 400 and not case.materials.exists()


@pytest.mark.parametrize(("days", "ok"), [(180, True), (181, False), (54_000, False)])
def test_a_villagers_meeting_is_planned_within_the_county_horizon(client, days, ok):
    from datetime import timedelta

    from django.utils import timezone

    from procedures.village.models import VillagersMeetingPlan

    from ..procedures.village.world import advance, register, village_world

    w = village_world()
    matter = advance(w, register(w), until="resolve")
    client.force_login(w.secretary_user)
    response = client.post(
        reverse("api:subject_step", args=["matters", matter.pk, "plan_villagers_meeting"]),
        {
            "planned_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
            "place": "村委会",
        },
        content_type="application/json",
    )
    assert response.status_code == (200 if ok else 400)
    assert VillagersMeetingPlan.objects.exists() is ok
    if not ok:
        assert response.json()["code"] == "villagers_meeting_horizon"
