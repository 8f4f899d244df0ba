"""组织关系转接 at its boundaries (members-and-transfers.md T2–T8): the letter's validity
(its last day and the day after, three months at most), the 回执's month, the member's
organisation changing on the acceptance day only (a 支部大会 the day before is the old
branch's, the day of acceptance the new one's), numbers per committee per year, refusals
that change nothing, each side's deadline rows, and an activist's case that moves with him
and keeps its periods."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from fixtures import case_script
from portal.staff import workbench
from procedures.branchlife import standing
from procedures.membership import projection
from procedures.membership import services as membership_services
from procedures.membership.models import Case
from procedures.people import history as people
from procedures.people import meetings
from procedures.people.models import Membership, Person
from procedures.transfers import pages, services
from procedures.transfers.models import Transfer
from procedures.transfers.steps import Status
from tests import factories
from workflows.audit import events_of, stream_of, verify_chain
from workflows.errors import NotFound, ProcedureError
from workflows.models import Deadline

from ..membership.walk import walk
from .sides import accepted, issued, member, proposed, sides

pytestmark = pytest.mark.django_db
ISSUED = date(2026, 1, 10)


def _open_rows(transfer) -> dict[str, tuple]:
    rows = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Transfer),
        subject_id=transfer.pk,
        status=Deadline.Status.OPEN,
    )
    return {row.key: (row.due_at.date(), row.audience, row.scope_path) for row in rows}


def _refused(call) -> ProcedureError:
    with pytest.raises(ProcedureError) as raised:
        call()
    return raised.value


def test_a_transfer_walks_from_proposal_to_receipt_and_moves_the_member_on_acceptance():
    s = sides()
    person = member(s)
    transfer = proposed(s, person, ISSUED - timedelta(days=2))
    assert transfer.status == Status.PROPOSED and _open_rows(transfer) == {}
    transfer = services.transfer_issue(
        transfer_id=transfer.pk,
        actor=s.w.organiser,
        on=ISSUED,
        valid_days=None,  # the county's default: 30 days
        dues_paid_to=date(2025, 12, 1),
    )
    assert (transfer.status, transfer.letter_number, transfer.valid_days) == (Status.ISSUED, 1, 30)
    assert transfer.valid_until == date(2026, 2, 8)  # the day of issue is the first
    assert transfer.member_kind == Transfer.MemberKind.FULL
    assert transfer.issued_by == s.w.township
    # Each side sees what waits on it: the receiving township to accept, the sending one
    # warned when the letter runs out.
    assert _open_rows(transfer) == {
        "accept": (date(2026, 2, 8), "township", s.to_branch.path),
        "expiry": (date(2026, 2, 8), "township", s.from_branch.path),
        # Six months past the validity: the branch's 党章第九条 decision (T7).
        "lapse": (date(2026, 8, 8), "branch", s.from_branch.path),
    }
    # Until acceptance he is the sending branch's (T2).
    assert Person.objects.get(pk=person.pk).organisation == s.from_branch

    on = date(2026, 1, 20)
    transfer = services.transfer_accept(transfer_id=transfer.pk, actor=s.to_organiser, on=on)
    assert (transfer.status, transfer.accepted_on) == (Status.ACCEPTED, on)
    assert meetings.organisation_on(person, on - timedelta(days=1)) == s.from_branch
    assert meetings.organisation_on(person, on) == s.to_branch
    moved = Membership.objects.get(person=person, ends_on__isnull=True)
    assert (moved.starts_on, moved.started_why) == (on, Membership.Reason.TRANSFERRED)
    assert _open_rows(transfer) == {"receipt": (date(2026, 2, 20), "township", s.from_branch.path)}

    transfer = services.transfer_receipt(
        transfer_id=transfer.pk, actor=s.w.organiser, on=date(2026, 2, 3)
    )
    assert transfer.status == Status.CLOSED and _open_rows(transfer) == {}
    actions = [e.action for e in events_of(stream_of(transfer))]
    assert actions == ["propose", "issue", "accept", "receipt"]
    assert verify_chain(stream=stream_of(transfer)) == []


@pytest.mark.parametrize(
    ("accepted_on", "papers", "taken"),
    [
        (date(2026, 2, 7), "", True),  # the day before the last
        (date(2026, 2, 8), "", True),  # the letter's last day
        (date(2026, 2, 9), "", False),  # the day after: not without the papers
        (date(2026, 2, 9), "党支部证明及本人申请（2026-02-09）", True),
    ],
)
def test_a_letter_is_accepted_within_its_validity_and_after_it_only_with_the_papers(
    accepted_on, papers, taken
):
    s = sides()
    person = member(s)
    transfer = issued(s, person, ISSUED)  # 30 days: to 2026-02-08
    accept = lambda: services.transfer_accept(
        transfer_id=transfer.pk, actor=s.to_organiser, on=accepted_on, late_papers=papers
    )
    if taken:
        assert accept().late_papers == (papers if accepted_on > date(2026, 2, 8) else "")
        return
    error = _refused(accept)
    assert error.code == "accept_within_validity" and "2026-02-08" in error.message
    after = Transfer.objects.get(pk=transfer.pk)
    assert (after.status, after.accepted_on) == (Status.ISSUED, None)
    assert meetings.organisation_on(person, accepted_on) == s.from_branch


def test_a_letter_runs_three_months_at_most():
    s = sides()
    assert services.longest_validity(ISSUED) == 90  # 2026-01-10 to 2026-04-09
    longest = issued(s, member(s, "甲"), ISSUED, days=90)
    assert longest.valid_until == date(2026, 4, 9)
    too_long = proposed(s, member(s, "乙"), ISSUED)
    error = _refused(
        lambda: services.transfer_issue(
            transfer_id=too_long.pk,
            actor=s.w.organiser,
            on=ISSUED,
            valid_days=91,
            dues_paid_to=ISSUED,
        )
    )
    assert error.code == "letter_validity" and "3个月" in error.message
    assert Transfer.objects.get(pk=too_long.pk).letter_number is None


@pytest.mark.parametrize(
    ("receipt_on", "late"),
    [(date(2026, 4, 30), False), (date(2026, 5, 1), True)],  # accepted 03-31: a month on
)
def test_the_receipt_is_due_within_the_month_after_acceptance(receipt_on, late):
    s = sides()
    transfer = accepted(s, member(s), date(2026, 3, 20), date(2026, 3, 31))
    assert _open_rows(transfer)["receipt"][0] == date(2026, 4, 30)
    transfer = services.transfer_receipt(
        transfer_id=transfer.pk, actor=s.w.organiser, on=receipt_on
    )
    assert transfer.status == Status.CLOSED  # late is recorded, never refused
    [event] = [e for e in events_of(stream_of(transfer)) if e.action == "receipt"]
    assert [v["code"] for v in event.payload["late"]] == (["receipt_within"] if late else [])


def test_a_general_meeting_the_day_before_acceptance_counts_him_in_the_old_branch():
    s = sides()
    person = member(s)
    on = date(2026, 1, 20)
    accepted(s, person, ISSUED, on)
    day_before = on - timedelta(days=1)
    assert person.pk in [p.pk for p in meetings.voters(s.from_branch, day_before)]
    assert person.pk not in [p.pk for p in meetings.voters(s.to_branch, day_before)]
    assert person.pk not in [p.pk for p in meetings.voters(s.from_branch, on)]
    assert person.pk in [p.pk for p in meetings.voters(s.to_branch, on)]


def test_letters_are_numbered_per_issuing_committee_per_year():
    s = sides()
    first = issued(s, member(s, "甲"), date(2025, 12, 30))
    second = issued(s, member(s, "乙"), date(2026, 1, 5))
    third = issued(s, member(s, "丙"), date(2026, 1, 6))
    assert [(t.letter_year, t.letter_number) for t in (first, second, third)] == [
        (2025, 1),
        (2026, 1),
        (2026, 2),
    ]


def test_refusals_say_why_and_change_nothing():
    s = sides()
    person = member(s)
    transfer = issued(s, person, ISSUED)
    # A second open transfer of the same member; a transfer to his own branch; one who is
    # no member nor on his way to be one.
    assert _refused(lambda: proposed(s, person, ISSUED)).code == "transfer_open"
    other = member(s, "乙")
    own = lambda: services.transfer_propose(
        actor=s.w.secretary, branch=s.from_branch, person_id=other.pk,
        to_branch_id=s.from_branch.pk, reason="迁居", on=ISSUED,
    )  # fmt: skip
    assert _refused(own).code == "to_same"
    masses = factories.person(s.from_branch, name="群众")
    assert _refused(lambda: proposed(s, masses, ISSUED)).code == "member_transfers"
    # Refused, returned and withdrawn need their reason.
    for verb in ("transfer_refuse", "transfer_send_back"):
        call = getattr(services, verb)
        error = _refused(
            lambda call=call: call(
                transfer_id=transfer.pk, actor=s.to_organiser, on=ISSUED, reason=" "
            )
        )
        assert error.code == "answer_required"
    # The sending side cannot accept its own letter; a branch on neither side sees nothing.
    forbidden = _refused(
        lambda: services.transfer_accept(transfer_id=transfer.pk, actor=s.w.organiser, on=ISSUED)
    )
    assert forbidden.code == "step_forbidden" and "转入地乡镇党委" in forbidden.message
    with pytest.raises(NotFound):
        services.transfer_accept(transfer_id=transfer.pk, actor=s.bystander, on=ISSUED)
    assert Transfer.objects.get(pk=transfer.pk).status == Status.ISSUED
    assert Transfer.objects.count() == 1


def test_a_returned_letter_is_issued_anew_and_a_withdrawn_one_closes_its_rows():
    s = sides()
    transfer = issued(s, member(s), ISSUED)
    transfer = services.transfer_send_back(
        transfer_id=transfer.pk, actor=s.to_organiser, on=ISSUED, reason="身份证号有误"
    )
    assert transfer.status == Status.RETURNED and _open_rows(transfer) == {}
    transfer = services.transfer_issue(
        transfer_id=transfer.pk, actor=s.w.organiser, on=ISSUED, valid_days=20,
        dues_paid_to=ISSUED,
    )  # fmt: skip
    assert (transfer.letter_number, transfer.answer) == (2, "")
    transfer = services.transfer_withdraw(
        transfer_id=transfer.pk, actor=s.w.secretary, on=ISSUED, reason="本人不再外出"
    )
    assert transfer.status == Status.WITHDRAWN and _open_rows(transfer) == {}


def test_an_activist_moved_mid_cultivation_reaches_candidate_on_the_same_day():
    """细则 第十二条 (T8): his cultivation continues in the new branch; nothing is reset."""
    s = sides()
    case = walk(s.w, until="choose_candidate")  # an 积极分子 since 2023-04-10
    looked_at = date(2023, 7, 1)

    def earliest() -> date:
        fresh = Case.objects.get(pk=case.pk)
        return next(
            step.earliest
            for step in projection.project(fresh, today=looked_at)
            if step.code == "choose_candidate"
        )

    before = earliest()
    transfer = proposed(s, s.w.applicant, date(2023, 6, 1))
    transfer = services.transfer_issue(
        transfer_id=transfer.pk, actor=s.w.organiser, on=date(2023, 6, 5), valid_days=30,
        dues_paid_to=date(2023, 6, 1),
    )  # fmt: skip
    assert transfer.member_kind == Transfer.MemberKind.ACTIVIST
    services.transfer_accept(transfer_id=transfer.pk, actor=s.to_organiser, on=date(2023, 6, 20))
    moved = Case.objects.get(pk=case.pk)
    assert moved.branch == s.to_branch and moved.activist_on == date(2023, 4, 10)
    assert earliest() == before


PROBATION_ENDS = date(2025, 7, 15)  # the scripted admission of 2024-07-15, a year on


def _probationer(s):
    case = walk(s.w, until="apply_conversion")  # a 预备党员 since 2024-07-15
    assert Case.objects.get(pk=case.pk).probation_ends_on == PROBATION_ENDS
    return case


def test_a_probation_run_out_is_decided_by_the_sending_branch_before_he_moves():
    """T10: the letter of a 预备党员 whose probation has ended is not issued, nor accepted,
    until the sending branch's 支部大会 has decided his 转正."""
    s = sides()
    _probationer(s)
    person = s.w.applicant
    # Issued the day before the probation's end: may go; accepted after it: refused.
    transfer = issued(s, person, PROBATION_ENDS - timedelta(days=1))
    assert transfer.member_kind == Transfer.MemberKind.PROBATIONARY
    error = _refused(
        lambda: services.transfer_accept(
            transfer_id=transfer.pk, actor=s.to_organiser, on=PROBATION_ENDS + timedelta(days=1)
        )
    )
    assert error.code == "probation_ended" and "应由" in error.message
    assert Transfer.objects.get(pk=transfer.pk).status == Status.ISSUED
    assert meetings.organisation_on(person, PROBATION_ENDS + timedelta(days=1)) == s.from_branch
    # Accepted on the day the probation ends: his last day in the old branch is the day
    # before, when it still ran.
    services.transfer_accept(transfer_id=transfer.pk, actor=s.to_organiser, on=PROBATION_ENDS)
    assert Case.objects.get(person=person).branch == s.to_branch


def test_a_letter_is_not_issued_once_the_probation_has_run_out_undecided():
    s = sides()
    _probationer(s)
    transfer = proposed(s, s.w.applicant, PROBATION_ENDS - timedelta(days=3))
    error = _refused(
        lambda: services.transfer_issue(
            transfer_id=transfer.pk,
            actor=s.w.organiser,
            on=PROBATION_ENDS,
            valid_days=30,
            dues_paid_to=PROBATION_ENDS,
        )
    )
    assert error.code == "probation_ended"
    assert Transfer.objects.get(pk=transfer.pk).letter_number is None


def test_a_probationer_moved_is_not_converted_early_in_the_new_branch():
    s = sides()
    case = _probationer(s)
    accepted(s, s.w.applicant, date(2025, 3, 2), date(2025, 3, 10))
    moved = Case.objects.get(pk=case.pk)
    assert (moved.branch, moved.probation_ends_on) == (s.to_branch, PROBATION_ENDS)
    members = []
    for index in range(9):
        voter = factories.person(s.to_branch, name=f"乙村党员{index}")
        Person.objects.filter(pk=voter.pk).update(
            standing=Person.Standing.FULL, full_member_since=date(2000, 7, 1)
        )
        members.append(voter)
    cast = case_script.Cast(members=members, group=s.w.group)
    # The new branch takes his application and its notice, on the days it would have.
    case_script.advance(moved, cast, until="branch_convert")
    early = PROBATION_ENDS - timedelta(days=1)
    error = _refused(
        lambda: membership_services.case_branch_convert(
            case_id=case.pk, actor=None, attendance=case_script.attendance(cast, early)
        )
    )
    codes = [error.code, *(v["code"] for v in error.extra.get("violations", ()))]
    assert "conversion_after_probation" in codes
    converted = membership_services.case_branch_convert(
        case_id=case.pk,
        actor=None,
        attendance=case_script.attendance(cast, PROBATION_ENDS),
    )
    assert converted.branch == s.to_branch


@pytest.mark.parametrize(
    ("day", "overdue"),
    [(date(2026, 8, 7), False), (date(2026, 8, 8), False), (date(2026, 8, 9), True)],
)
def test_six_months_past_the_letters_validity_the_branch_is_due_to_decide(day, overdue):
    """T7: a letter valid to 2026-02-08 and not presented: the branch's secretary has the
    党章第九条 decision in his 工作台, due 2026-08-08 and overdue the day after."""
    s = sides()
    issued(s, member(s), ISSUED)
    items = [i for i in workbench.today(s.w.secretary, on=day).items if "党章第九条" in i.title]
    assert [(i.due, i.overdue) for i in items] == [(date(2026, 8, 8), overdue)]
    # The other branch's secretary has nothing of it.
    assert not [i for i in workbench.today(s.bystander, on=day).items if "党章第九条" in i.title]


@pytest.mark.parametrize(
    ("days", "written"),
    [(5, "伍"), (10, "壹拾"), (15, "壹拾伍"), (30, "叁拾"), (90, "玖拾"), (105, "壹佰零伍"),
     (110, "壹佰壹拾"), (366, "叁佰陆拾陆")],
)  # fmt: skip
def test_the_validity_is_written_in_capital_numerals(days, written):
    assert pages.capital(days) == written


def test_a_candidates_transfer_warns_that_admission_waits_in_the_new_branch():
    """T9: the page of a 发展对象's transfer says the new branch generally waits three
    months before admitting him; a member's says nothing of it."""
    s = sides()
    candidate = factories.person(s.from_branch, name="发展对象")
    Person.objects.filter(pk=candidate.pk).update(standing=Person.Standing.CANDIDATE)
    moving = proposed(s, Person.objects.get(pk=candidate.pk), ISSUED)
    facts = dict(pages.transfer_page(moving, s.w.secretary, {})["facts"])
    assert "3个月后再办理接收预备党员手续" in facts["提示"]
    member_page = pages.transfer_page(proposed(s, member(s), ISSUED), s.w.secretary, {})
    assert "提示" not in dict(member_page["facts"])


@pytest.mark.parametrize(
    ("paid_to", "behind"),
    [
        (date(2026, 3, 1), 1),  # prepaid to March: April alone is behind by May
        (date(2025, 12, 1), 4),  # paid to before his arrival: January to April are
    ],
)
def test_the_receiving_branch_counts_dues_from_the_month_after_the_letters(paid_to, behind):
    """The letter's 党费交至 carries over: the receiving branch tracks his dues from the
    month after it, or from his arrival (January) if that is later."""
    s = sides()
    host = member(s, "乙村党员")
    people.membership_move(actor=None, person=host, to=s.to_branch, on=date(2020, 1, 1))
    factories.dues_paid(
        s.to_branch, host, date(2026, 1, 1), 12
    )  # the branch records dues from January
    person = member(s)
    transfer = proposed(s, person, ISSUED)
    services.transfer_issue(
        transfer_id=transfer.pk, actor=s.w.organiser, on=ISSUED, valid_days=30,
        dues_paid_to=paid_to,
    )  # fmt: skip
    services.transfer_accept(transfer_id=transfer.pk, actor=s.to_organiser, on=date(2026, 1, 20))
    owed = {a.member.pk: a.months for a in standing.arrears(s.to_branch, date(2026, 5, 10))}
    assert owed[person.pk] == behind and owed[host.pk] == 0
    [event] = [e for e in events_of(stream_of(person)) if e.action == "membership_moved"]
    assert event.payload["dues_paid_to"] == f"{paid_to:%Y-%m}"
