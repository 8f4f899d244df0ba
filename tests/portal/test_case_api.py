"""Member development through the API, as the branch, the township and the county do it."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from procedures.membership.models import Case, Observation
from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import CHECKLIST, LOCAL_ONLY, Status, Variant
from workflows.models import AuditEvent

from ..procedures.membership.walk import attendance, date_of, walk, world

pytestmark = pytest.mark.django_db


def _meeting(w, held_on):
    a = attendance(w, held_on)
    return {
        "held_on": held_on,
        "present": a.present_ids,
        "yes": a.yes,
        "no": a.no,
        "abstain": a.abstain,
        "written": {},
        "chair": a.chair_id,
        "recorder": a.recorder_id,
    }


def _payloads(w):
    d = date_of
    return [
        ("secretary", "talk", {"on": d("talk"), "talker": "支部书记"}),
        (
            "secretary",
            "choose_activist",
            {"on": d("choose_activist"), "present": 4, "yes": 4, "recommendation": "youth_league"},
        ),
        ("organiser", "file_activist", {"on": d("file_activist")}),
        (
            "secretary",
            "assign_mentors",
            {"on": d("assign_mentors"), "people": [w.members[4].pk, w.members[5].pk]},
        ),
        ("secretary", "propose_candidate", {"on": d("propose_candidate"), "present": 4, "yes": 4}),
        ("secretary", "choose_candidate", {"on": d("choose_candidate"), "present": 4, "yes": 4}),
        ("organiser", "file_candidate", {"on": d("file_candidate")}),
        (
            "secretary",
            "assign_sponsors",
            {"on": d("assign_sponsors"), "people": [w.members[4].pk, w.members[6].pk]},
        ),
        ("secretary", "record_review", {"on": d("record_review"), "passed": True}),
        ("organiser", "record_training", {"on": d("record_training"), "days": 3, "hours": 24}),
        ("secretary", "committee_review", {"on": d("committee_review"), "present": 4, "yes": 4}),
        ("organiser", "pre_review", {"on": d("pre_review"), "reply": "同意发展"}),
        ("organiser", "publish_admission", {"on": d("publish_admission")}),
        ("secretary", "fill_form", {"on": d("fill_form")}),
        ("secretary", "branch_admit", _meeting(w, d("branch_admit"))),
        ("organiser", "committee_talk", {"on": d("committee_talk"), "talker": "组织员"}),
        ("organiser", "approve", {"on": d("approve"), "present": 3, "yes": 3}),
        ("organiser", "notify_admission", {"on": d("notify_admission")}),
        ("county", "file_upper", {"on": d("file_upper")}),
        ("secretary", "assign_group", {"on": d("assign_group"), "group": w.group.pk}),
        ("secretary", "take_oath", {"on": d("take_oath")}),
        ("secretary", "apply_conversion", {"on": d("apply_conversion")}),
        ("secretary", "publish_conversion", {"on": d("publish_conversion")}),
        ("secretary", "branch_convert", _meeting(w, d("branch_convert"))),
        ("organiser", "approve_conversion", {"on": d("approve_conversion")}),
        ("organiser", "notify_conversion", {"on": d("notify_conversion")}),
        ("secretary", "archive", {"on": d("archive")}),
    ]


def _observations(client, case_id, start, end):
    quarter = 0
    while True:
        quarter += 1
        month = start.month - 1 + 3 * quarter
        on = date(start.year + month // 12, month % 12 + 1, start.day)
        if on > end:
            return
        kinds = [Observation.Kind.THOUGHT_REPORT] + (
            [Observation.Kind.ASSESSMENT] if quarter % 2 == 0 else []
        )
        for kind in kinds:
            response = client.post(
                reverse("api:subject_step", args=["cases", case_id, "observe"]),
                {"kind": kind, "on": on},
                content_type="application/json",
            )
            assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    ("rulebook", "variant"),
    [
        (CPC_2014, Variant.STANDARD),
        (CPC_2026, Variant.STANDARD),
        (CPC_2026, Variant.LOCAL),
    ],
)
def test_a_case_from_application_to_archive_through_the_api(client, rulebook, variant):
    w = world(rulebook=rulebook, variant=variant)
    users = {"secretary": w.secretary, "organiser": w.organiser, "county": w.county}
    client.force_login(w.secretary)
    opened = client.post(
        reverse("api:cases"),
        {"person": w.applicant.pk, "branch": w.branch.pk, "applied_on": "2023-03-01"},
        content_type="application/json",
    )
    assert opened.status_code == 201, opened.json()
    case_id = opened.json()["id"]
    assert opened.json()["rulebook"] == rulebook
    for role, step, payload in _payloads(w):
        case = Case.objects.get(pk=case_id)
        if step == "propose_candidate" and rulebook != CPC_2026:
            continue
        if step in LOCAL_ONLY and variant != Variant.LOCAL:
            continue
        if step in ("propose_candidate", "choose_candidate") and not case.observations.exists():
            client.force_login(w.secretary)
            _observations(client, case_id, case.activist_on, date_of("propose_candidate"))
        if step == "archive":
            for material_step, items in CHECKLIST.items():
                for kind, _label in items:
                    client.post(
                        reverse("api:subject_step", args=["cases", case_id, "add_material"]),
                        {"step": material_step, "kind": kind},
                        content_type="application/json",
                    )
        client.force_login(users[role])
        response = client.post(
            reverse("api:subject_step", args=["cases", case_id, step]),
            payload,
            content_type="application/json",
        )
        assert response.status_code == 200, (step, response.json())
    assert Case.objects.get(pk=case_id).status == Status.ARCHIVED
    client.force_login(w.secretary)
    timeline = client.get(reverse("api:case_timeline", args=[case_id])).json()
    assert timeline["missing_materials"] == []
    assert {entry["role"] for entry in timeline["timeline"] if entry["kind"] == "step"} >= {
        f"{w.branch.name}书记",
        f"{w.township.name}组织员",
    }
    events = client.get(reverse("api:case_events", args=[case_id])).json()
    assert events[0]["action"] == "apply" and events[-1]["action"] == "archive"


def test_a_refusal_answers_code_message_and_citation(client):
    w = world()
    case = walk(w, until="choose_candidate")
    client.force_login(w.secretary)
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "choose_candidate"]),
        {"on": "2024-04-09", "present": 4, "yes": 4},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "cultivation_period"
    assert body["message"].startswith("培养教育考察时间不足一年（《细则》第十三条）")
    assert body["citation"]["article"] == "第十三条"


def test_another_branch_cannot_see_or_act_on_a_case(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.other_secretary)
    before = AuditEvent.objects.count()
    assert client.get(reverse("api:case", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "talk"]),
        {"on": "2023-03-20"},
        content_type="application/json",
    )
    assert response.status_code == 404 and response.json()["code"] == "case_not_found"
    assert Case.objects.get(pk=case.pk).status == Status.APPLIED
    assert AuditEvent.objects.count() == before
    assert client.get(reverse("api:cases")).json()["count"] == 0


def test_the_branch_cannot_approve_and_nothing_changes(client):
    w = world()
    case = walk(w, until="approve")
    client.force_login(w.secretary)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "approve"]),
        {"on": "2024-08-15", "present": 3, "yes": 3},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "step_forbidden" and "乡镇党委" in response.json()["message"]
    assert Case.objects.get(pk=case.pk).status == Status.COMMITTEE_TALKED
    assert AuditEvent.objects.count() == before


def test_nobody_approves_his_own_case(client):
    from procedures.membership import services
    from procedures.people.models import Household, Person

    w = world()
    organiser_person = w.organiser.person
    # The township's organiser lives in the village: he may apply there, never act on it.
    home = Household.objects.create(village=w.branch.village, number="99")
    Person.objects.filter(pk=organiser_person.pk).update(household=home)
    organiser_person.refresh_from_db()
    services.case_open(
        actor=None, person=organiser_person, branch=w.branch, applied_on=date(2023, 3, 1)
    )
    case = Case.objects.get(person=organiser_person)
    client.force_login(w.organiser)
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "talk"]),
        {"on": "2023-03-10"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_step_out_of_order_is_a_conflict_and_a_bad_body_is_400(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    early = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "branch_admit"]),
        _meeting(w, date(2023, 3, 20)),
        content_type="application/json",
    )
    assert early.status_code == 409 and early.json()["code"] == "step_not_available"
    bad = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "talk"]),
        {"on": "yesterday"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    unknown = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "teleport"]),
        {},
        content_type="application/json",
    )
    assert unknown.status_code == 404


def test_filters_and_overdue(client):
    w = world()
    walk(w, until="talk")  # applied 2023-03-01, no talk: long overdue
    client.force_login(w.organiser)
    assert client.get(reverse("api:cases"), {"township": w.township.pk}).json()["count"] == 1
    assert client.get(reverse("api:cases"), {"stage": 2}).json()["count"] == 0
    assert client.get(reverse("api:cases"), {"stage": 1}).json()["count"] == 1
    page = client.get(reverse("api:cases"), {"overdue": "1"}).json()
    # A page like every other list: the count, the links, the rows.
    assert page["count"] == 1 and page["next"] is None
    overdue = page["results"]
    projection = client.get(reverse("api:case_projection", args=[overdue[0]["id"]])).json()
    assert projection[0]["step"] == "talk" and projection[0]["overdue"] is True
    assert projection[0]["deadline"] == "2023-04-01"


def test_backfill_enters_a_case_under_way_checked_by_the_same_rules(client):
    w = world()
    client.force_login(w.organiser)
    history = [
        {"step": "talk", "on": "2023-03-20"},
        {
            "step": "choose_activist",
            "on": "2023-04-10",
            "present": 4,
            "yes": 4,
            "recommendation": "youth_league",
        },
        {"step": "file_activist", "on": "2023-04-15"},
    ]
    body = {
        "person": w.applicant.pk,
        "branch": w.branch.pk,
        "applied_on": "2023-03-01",
        "history": history,
    }
    response = client.post(reverse("api:case_import"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == Status.ACTIVIST_FILED
    roles = set(Case.objects.get().records.values_list("role", flat=True))
    assert roles == {"补录：组织员"}


def test_backfill_brings_every_kind_of_record_past_the_candidate(client):
    """Thought reports, assessments, materials and a committee vote that failed come in with
    the steps, each on its original date, checked as live: without them the 确定发展对象
    would be refused for want of the half-yearly assessments."""
    w = world()
    client.force_login(w.organiser)
    quarterly = ["2023-07-10", "2023-10-10", "2024-01-10", "2024-04-10"]
    observations = []
    for index, on in enumerate(quarterly, start=1):
        observations.append({"record": "observation", "kind": "thought_report", "on": on})
        if index % 2 == 0:
            observations.append(
                {"record": "observation", "kind": "assessment", "on": on, "summary": "表现良好"}
            )
    history = [
        {"step": "talk", "on": "2023-03-20", "talker": "支部书记"},
        {
            "step": "choose_activist",
            "on": "2023-04-10",
            "present": 4,
            "yes": 4,
            "recommendation": "youth_league",
        },
        {"record": "material", "step": "choose_activist", "kind": "recommendation"},
        {"step": "file_activist", "on": "2023-04-15"},
        {"step": "assign_mentors", "on": "2023-04-20", "people": [w.members[4].pk]},
        *observations,
        {
            "step": "choose_candidate",
            "on": "2024-04-15",
            "present": 4,
            "yes": 2,
            "record_failure": True,
        },
        {"step": "choose_candidate", "on": "2024-04-22", "present": 4, "yes": 4},
        {"step": "file_candidate", "on": "2024-04-25"},
    ]
    body = {
        "person": w.applicant.pk,
        "branch": w.branch.pk,
        "applied_on": "2023-03-01",
        "history": history,
    }
    response = client.post(reverse("api:case_import"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert case.status == Status.CANDIDATE_FILED and case.candidate_on == date(2024, 4, 22)
    assert case.observations.count() == 6
    assert [o.on for o in case.observations.filter(kind="assessment")] == [
        date(2023, 10, 10),
        date(2024, 4, 10),
    ]
    assert case.materials.get().kind == "recommendation"
    failed = case.records.get(step="choose_candidate", outcome="failed")
    assert failed.act_date == date(2024, 4, 15) and failed.role == "补录：组织员"


@pytest.mark.parametrize(
    "item",
    [
        {"step": ["talk"]},
        {"step": {"x": 1}},
        {"record": "photo"},
        {"record": ["observation"]},
        {},
    ],
)
def test_backfill_refuses_an_item_that_is_neither_a_step_nor_a_record(client, item):
    w = world()
    client.force_login(w.organiser)
    response = client.post(
        reverse("api:case_import"),
        {
            "person": w.applicant.pk,
            "branch": w.branch.pk,
            "applied_on": "2023-03-01",
            "history": [item],
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["message"].startswith("第1项")
    assert not Case.objects.exists()


def test_backfill_refuses_the_whole_entry_when_one_step_breaks_a_rule(client):
    w = world()
    client.force_login(w.organiser)
    history = [
        {"step": "talk", "on": "2023-03-20"},
        {
            "step": "choose_activist",
            "on": "2023-04-10",
            "present": 1,
            "yes": 1,
            "recommendation": "youth_league",
        },
    ]
    response = client.post(
        reverse("api:case_import"),
        {
            "person": w.applicant.pk,
            "branch": w.branch.pk,
            "applied_on": "2023-03-01",
            "history": history,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("第2项（choose_activist）")
    assert not Case.objects.exists()


def test_the_branch_cannot_backfill(client):
    w = world()
    client.force_login(w.secretary)
    response = client.post(
        reverse("api:case_import"),
        {
            "person": w.applicant.pk,
            "branch": w.branch.pk,
            "applied_on": "2023-03-01",
            "history": [],
        },
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_approvals_give_one_approval_and_one_conflict():
    from django.test import Client

    w = world()
    case = walk(w, until="approve")
    barrier = threading.Barrier(2)
    answers = []

    def approve():
        client = Client()
        client.force_login(w.organiser)
        barrier.wait()
        try:
            response = client.post(
                reverse("api:subject_step", args=["cases", case.pk, "approve"]),
                {"on": "2024-08-15", "present": 3, "yes": 3},
                content_type="application/json",
            )
            answers.append((response.status_code, response.json().get("code")))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in answers) == [200, 409]
    assert Case.objects.get(pk=case.pk).status == Status.APPROVED
    assert AuditEvent.objects.filter(action="approve").count() == 1


def test_the_import_s_documentation_shows_every_item_a_history_may_hold(client):
    """The JSON import takes the workbook's acts (steps, thought reports, half-yearly
    assessments, materials): its OpenAPI body says so item by item, with the assessment's
    code, not a bare list of dicts; the schema is generated without a warning."""
    import io
    from contextlib import redirect_stderr

    import yaml
    from django.core.management import call_command

    w = world()
    client.force_login(w.organiser)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        call_command("spectacular", stdout=out)
    assert "Warning" not in err.getvalue()
    schema = yaml.safe_load(out.getvalue())
    body = schema["paths"]["/api/cases/import/"]["post"]["requestBody"]["content"]
    documented = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    history = schema["components"]["schemas"][documented]["properties"]["history"]
    items = schema["components"]["schemas"][history["items"]["$ref"].rsplit("/", 1)[1]]
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in items["oneOf"]}
    assert {"_ObservationRecord", "_MaterialRecord", "CaseChooseCandidateInput"} <= names
    kinds = schema["components"]["schemas"]["ObservationKindEnum"]["enum"]
    assert kinds == ["thought_report", "assessment"]
    description = schema["paths"]["/api/cases/import/"]["post"]["description"]
    assert '"assessment"' in description and "考察意见" in description
