"""Every procedure's steps go through one staff endpoint (`/staff/s/<key>/<pk>/<step>/`)
and one API endpoint (`/api/s/<key>/<pk>/steps/<step>/`): a step of every registered
subject that takes input is posted through both and lands, and the per-procedure step
endpoints are gone. A subject registered without a scenario here fails the first test."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal import surfaces
from procedures.branchlife import services as branch_services
from procedures.branchlife.models import BranchMeeting, DuesPayment
from procedures.branchlife.steps import Kind
from procedures.branchlife.steps import Status as MeetingStatus
from procedures.membership.models import Case
from procedures.membership.steps import Status as CaseStatus
from procedures.transfers.models import Transfer
from procedures.transfers.steps import Status as TransferStatus
from procedures.village.models import Matter
from procedures.village.steps import Status as MatterStatus

from ..procedures.membership.walk import walk, world
from ..procedures.transfers.sides import member as transfer_member
from ..procedures.transfers.sides import proposed as transfer_proposed
from ..procedures.transfers.sides import sides as transfer_sides
from ..procedures.village.world import register, village_world

pytestmark = pytest.mark.django_db


def _case():
    w = world()
    case = walk(w, until="talk")
    body = {"on": "2023-03-20", "talker": "支部书记"}
    return w.secretary, case, "talk", body, lambda: Case.objects.get().status == CaseStatus.TALKED


def _matter():
    w = village_world()
    matter = register(w)
    body = {"on": timezone.localdate().isoformat(), "reason": "不属于村级重大事项"}
    declined = MatterStatus.NOT_PROPOSED
    return (
        w.secretary_user,
        matter,
        "decline",
        body,
        lambda: Matter.objects.get().status == declined,
    )


def _branch_life():
    w = world()
    planned_on = (timezone.localdate() + timedelta(days=5)).isoformat()
    body = {"kind": Kind.PARTY_LECTURE, "planned_on": planned_on, "topic": "书记讲党课"}
    life = surfaces.get("branch-life").find(w.secretary, w.branch.pk)
    return (
        w.secretary,
        life,
        "plan",
        body,
        lambda: BranchMeeting.objects.filter(topic="书记讲党课").exists(),
    )


def _branch_meeting():
    w = world()
    planned = branch_services.meeting_plan(
        actor=w.secretary,
        branch=w.branch,
        kind=Kind.PARTY_LECTURE,
        planned_on=timezone.localdate() + timedelta(days=5),
        topic="书记讲党课",
    )
    body = {"reason": "书记外出开会"}
    cancelled = MeetingStatus.CANCELLED
    return (
        w.secretary,
        planned,
        "cancel",
        body,
        lambda: BranchMeeting.objects.get().status == cancelled,
    )


def _dues():
    w = world()
    paid = branch_services.dues_pay(
        actor=w.secretary,
        branch=w.branch,
        payment=branch_services.Payment(
            member_id=w.members[3].pk,
            first_month=date(2026, 1, 1),
            months=6,
            amount=Decimal("3"),
            basis="rural",
            paid_on=date(2026, 1, 10),
            collector_id=None,
            receipt_no="DF-0001",
            note="",
        ),
    )
    body = {
        "first_month": "2026-01",
        "months": 6,
        "amount": "6",
        "basis": "rural",
        "paid_on": "2026-01-10",
        "reason": "金额登记错误",
    }
    return w.secretary, paid, "supersede", body, lambda: DuesPayment.objects.count() == 2


def _letter():
    from tests.example_procedure import services as letters
    from tests.example_procedure.models import Letter
    from tests.example_procedure.steps import Status as LetterStatus

    w = world()
    letter = letters.letter_receive(
        actor=w.secretary, branch=w.branch, title="村东排水沟堵塞", received_on=date(2026, 1, 5)
    )
    body = {"on": "2026-01-08", "reply": "已组织疏通"}
    answered = LetterStatus.ANSWERED
    return w.secretary, letter, "answer", body, lambda: Letter.objects.get().status == answered


def _transfer_desk():
    s = transfer_sides()
    person = transfer_member(s)
    body = {"member": person.pk, "to_branch": s.to_branch.pk, "reason": "外出务工"}
    desk = surfaces.get("transfer-desks").find(s.w.secretary, s.from_branch.pk)
    return (
        s.w.secretary,
        desk,
        "propose",
        body,
        lambda: Transfer.objects.filter(person=person).exists(),
    )


def _transfer():
    s = transfer_sides()
    transfer = transfer_proposed(s, transfer_member(s), timezone.localdate())
    body = {"dues_paid_to": f"{timezone.localdate():%Y-%m}"}
    issued = TransferStatus.ISSUED
    return (
        s.w.organiser,
        transfer,
        "issue",
        body,
        lambda: Transfer.objects.get().status == issued,
    )


SCENARIOS = {
    "cases": _case,
    "matters": _matter,
    "branch-life": _branch_life,
    "branch-meetings": _branch_meeting,
    "branch-dues": _dues,
    "letters": _letter,  # the example procedure (tests/example_procedure)
    "transfer-desks": _transfer_desk,
    "transfers": _transfer,
}


def test_every_registered_subject_that_takes_input_is_tried_here():
    taking = {key for key, surface in surfaces.all_surfaces().items() if surface.inputs}
    assert taking == set(SCENARIOS)


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_a_step_through_the_one_staff_endpoint(client, key):
    user, subject, step, body, landed = SCENARIOS[key]()
    client.force_login(user)
    response = client.post(
        reverse("staff:subject_step", args=[key, subject.pk, step]), body, follow=True
    )
    assert "已办理" in response.content.decode(), key
    assert landed(), key
    # The page it landed on, as a workbook: the facts a sheet, then a sheet per section.
    surface = surfaces.get(key)
    page = surfaces.page_of(surface, surface.find(user, subject.pk), user, {})
    got = client.get(reverse("staff:subject_document", args=[key, subject.pk, "xlsx"]))
    assert got.status_code == 200, key
    book = load_workbook(io.BytesIO(got.content))
    assert len(book.sheetnames) == 1 + len(page["sections"]), (key, book.sheetnames)
    assert book.sheetnames[0] == "基本情况"
    facts = [row[0] for row in book["基本情况"].iter_rows(min_row=3, values_only=True)]
    assert facts == [str(label) for label, _value in page["facts"]], key


@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_a_step_through_the_one_api_endpoint(client, key):
    user, subject, step, body, landed = SCENARIOS[key]()
    client.force_login(user)
    url = reverse("api:subject_step", args=[key, subject.pk, step])
    checked = client.post(f"{url}?check=1", body, content_type="application/json")
    assert checked.status_code == 200 and not landed(), (key, checked.content)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code in (200, 201), (key, response.content)
    assert landed(), key


@pytest.mark.parametrize(
    "name", ["staff:case_step", "api:case_step", "staff:matter_step", "api:matter_step"]
)
def test_the_per_procedure_step_endpoints_are_gone(name):
    with pytest.raises(NoReverseMatch):
        reverse(name, args=[1, "talk"])


def test_a_case_s_and_a_matter_s_old_addresses_lead_to_their_page(client):
    w = world()
    case = walk(w, until="talk")
    client.force_login(w.secretary)
    response = client.get(reverse("staff:case", args=[case.pk]))
    assert response.status_code == 301
    assert response["Location"] == reverse("staff:subject", args=["cases", case.pk])
    v = village_world()
    matter = register(v)
    client.force_login(v.secretary_user)
    response = client.get(reverse("staff:matter", args=[matter.pk]))
    assert response["Location"] == reverse("staff:subject", args=["matters", matter.pk])
