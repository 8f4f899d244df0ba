from datetime import date, timedelta

import pytest

from procedures.people import delegations
from procedures.people.models import Person
from procedures.publicity.models import Notice
from procedures.village import services
from procedures.village.deadlines import rulebook_of as rulebooks_of
from procedures.village.models import Matter, MatterMeeting
from procedures.village.steps import Category, Method, Status
from tests.factories import refusal
from workflows.audit import verify_chain
from workflows.errors import Conflict, NotAllowed

from .world import (
    D,
    T,
    advance,
    committee_attendees,
    joint_attendees,
    meeting,
    register,
    village_world,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("method", [Method.THREE, Method.FOUR])
def test_a_matter_goes_through_every_step_to_the_archive(method):
    w = village_world(method)
    matter = advance(w, register(w))
    assert matter.status == Status.ARCHIVED
    kinds = set(Notice.objects.filter(subject_id=matter.pk).values_list("kind", flat=True))
    assert kinds == {"resolution", "result"}
    assert matter.acknowledgements.exists() is (method == Method.THREE)
    assert verify_chain() == []


def test_four_deliberations_merge_proposal_and_consultation_where_one_holds_both_posts():
    w = village_world(Method.FOUR)
    matter = register(w)
    services.matter_propose_and_consult(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
    )
    assert Matter.objects.get(pk=matter.pk).status == Status.CONSULTED


def test_three_deliberations_do_not_merge_steps():
    w = village_world(Method.THREE)
    matter = register(w)
    assert refusal(
        lambda: services.matter_propose_and_consult(
            matter_id=matter.pk, actor=None, meeting=meeting(w, D["propose"])
        )
    ).code == ("step_not_available")


def test_steps_cannot_be_skipped():
    w = village_world()
    matter = register(w)
    error = refusal(
        lambda: services.matter_deliberate(
            matter_id=matter.pk,
            actor=None,
            meeting=meeting(w, D["deliberate"], attendees=w.members[:7], yes=7),
        )
    )
    assert isinstance(error, Conflict)
    assert Matter.objects.get(pk=matter.pk).status == Status.REGISTERED
    assert not MatterMeeting.objects.exists()


# ---- chairs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "chair", [T.LIAISON_LEADER, T.LIAISON_CADRE, T.DEPUTY_SECRETARY, T.COMMITTEE_DIRECTOR]
)
def test_the_proposal_meeting_is_never_chaired_by_these(chair):
    w = village_world()
    matter = register(w)
    error = refusal(
        lambda: services.matter_propose(
            matter_id=matter.pk,
            actor=None,
            meeting=meeting(w, D["propose"], chair=chair, attendees=committee_attendees(w)),
        )
    )
    if chair == T.DEPUTY_SECRETARY:  # chairs only on the secretary's recorded delegation
        assert error.code == "chair_proposal_delegation" and "工作法" in error.message
    else:
        assert error.code == "chair_proposal"
        assert "不能由包村领导和包村干部主持" in error.message and "工作法" in error.message
    assert Matter.objects.get(pk=matter.pk).status == Status.REGISTERED


@pytest.mark.parametrize(
    ("starts", "ends", "ok"),
    [
        (1, 10, False),  # begins the day after the meeting
        (0, 10, True),  # begins on the meeting's day
        (-10, 0, True),  # ends on the meeting's day
        (-10, -1, False),  # ended the day before
        (None, None, False),  # no delegation: the secretary is not recorded absent
    ],
)
def test_the_first_secretary_chairs_the_proposal_only_during_a_recorded_delegation(
    starts, ends, ok
):
    w = village_world()
    matter = register(w)
    held_on = D["propose"]
    if starts is not None:
        delegations.delegation_record(
            actor=None, branch=w.branch, principal=w.people[T.SECRETARY],
            delegate=w.people[T.FIRST_SECRETARY], starts_on=held_on + timedelta(days=starts),
            ends_on=held_on + timedelta(days=ends), reason="外出学习",
        )  # fmt: skip
    call = lambda: services.matter_propose(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, held_on, chair=T.FIRST_SECRETARY, attendees=committee_attendees(w)),
    )
    if not ok:
        refused = refusal(call)
        # What is missing is said: the secretary's delegation for that day, and where to
        # record it; the rule cited once, as the chair rule's.
        assert refused.code == "chair_proposal_delegation"
        assert f"须有书记对{held_on.year}年{held_on.month}月{held_on.day}日的委托记录" in (
            refused.message
        )
        assert "菜单“委托”" in refused.message and "第一书记" in refused.message
        assert refused.citation == rulebooks_of(matter).citation("chair_proposal")
        assert Matter.objects.get(pk=matter.pk).status == Status.REGISTERED
        return
    call()
    assert MatterMeeting.objects.get().chair_title == "第一书记（受书记委托主持）"


@pytest.mark.parametrize(
    ("chair", "ok"),
    [
        (T.LIAISON_LEADER, True),
        (T.LIAISON_CADRE, True),
        (T.SECRETARY, True),
        (T.COMMITTEE_DIRECTOR, True),
        (T.DEPUTY_SECRETARY, False),
        (T.VILLAGE_CLERK, False),
    ],
)
def test_who_may_chair_the_joint_consultation(chair, ok):
    w = village_world()
    matter = advance(w, register(w), until="consult")
    call = lambda: services.matter_consult(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["consult"], chair=chair, attendees=joint_attendees(w)),
    )
    if ok:
        assert call().status == Status.CONSULTED
    else:
        assert refusal(call).code == "chair_consultation"


@pytest.mark.parametrize(
    ("chair", "ok"),
    [
        (T.SECRETARY, True),
        (T.FIRST_SECRETARY, True),
        (T.LIAISON_LEADER, False),
        (T.COMMITTEE_DIRECTOR, False),
    ],
)
def test_who_may_chair_the_party_members_meeting(chair, ok):
    w = village_world()
    matter = advance(w, register(w), until="deliberate")
    call = lambda: services.matter_deliberate(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["deliberate"], chair=chair, attendees=w.members[:7], yes=7),
    )
    if ok:
        call()
    else:
        assert refusal(call).code == "chair_deliberation"


@pytest.mark.parametrize(
    ("method", "chair", "ok"),
    [
        (Method.THREE, T.SECRETARY, True),
        (Method.THREE, T.COMMITTEE_DIRECTOR, False),
        (Method.THREE, T.LIAISON_CADRE, False),
        (Method.FOUR, T.COMMITTEE_DIRECTOR, True),
    ],
)
def test_who_may_chair_the_villagers_representatives_meeting(method, chair, ok):
    w = village_world(method)
    matter = advance(w, register(w), until="resolve")
    call = lambda: services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["resolve"], chair=chair, attendees=w.representatives[:7], yes=6, no=1),
    )
    if ok:
        call()
    else:
        assert refusal(call).code == "chair_resolution"


@pytest.mark.parametrize(
    ("recorder", "ok", "flagged"),
    [
        (T.VILLAGE_CLERK, True, False),
        (T.LIAISON_CADRE, True, True),
        (T.LIAISON_LEADER, False, False),
        (T.DEPUTY_SECRETARY, False, False),
    ],
)
def test_minutes_are_kept_by_the_clerk_or_visibly_by_a_liaison_cadre(recorder, ok, flagged):
    w = village_world()
    matter = register(w)
    call = lambda: services.matter_propose(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["propose"], recorder=recorder, attendees=committee_attendees(w)),
    )
    if ok:
        call()
        assert MatterMeeting.objects.get().recorder_stand_in is flagged
    else:
        assert refusal(call).code == "recorder"


# ---- quorums and votes -------------------------------------------------------------------


# 9 party members: more than half is 5 (三议), at least two thirds is 6 (四议两公开).
@pytest.mark.parametrize(
    ("method", "present", "ok"),
    [
        (Method.THREE, 4, False),
        (Method.THREE, 5, True),
        (Method.THREE, 6, True),
        (Method.FOUR, 5, False),
        (Method.FOUR, 6, True),
        (Method.FOUR, 7, True),
    ],
)
def test_party_members_meeting_quorum(method, present, ok):
    w = village_world(method)
    matter = advance(w, register(w), until="deliberate")
    call = lambda: services.matter_deliberate(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["deliberate"], attendees=w.members[:present], yes=present),
    )
    if ok:
        call()
    else:
        assert refusal(call).code == "members_quorum"


@pytest.mark.parametrize(("yes", "ok"), [(4, False), (5, True), (6, True)])
def test_party_members_meeting_passes_with_more_than_half_of_those_who_should_attend(yes, ok):
    w = village_world()
    matter = advance(w, register(w), until="deliberate")
    call = lambda: services.matter_deliberate(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(w, D["deliberate"], attendees=w.members[:7], yes=yes, no=7 - yes),
    )
    if ok:
        call()
    else:
        assert refusal(call).code == "members_majority"


# 9 representatives: two thirds is 6; more than half of those present.
@pytest.mark.parametrize(
    ("present", "yes", "code"),
    [
        (5, 5, "representatives_quorum"),
        (6, 3, "representatives_majority"),
        (6, 4, None),
        (7, 4, None),
        (7, 3, "representatives_majority"),
    ],
)
def test_representatives_meeting_quorum_and_majority(present, yes, code):
    w = village_world()
    matter = advance(w, register(w), until="resolve")
    call = lambda: services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w, D["resolve"], attendees=w.representatives[:present], yes=yes, no=present - yes
        ),
    )
    if code is None:
        assert call().status == Status.RESOLVED
    else:
        assert refusal(call).code == code
        assert Matter.objects.get(pk=matter.pk).status == Status.DELIBERATED


# 30 adults in 10 households: more than half is 16 adults; two thirds of households is 7.
@pytest.mark.parametrize(
    ("present", "households", "ok"),
    [
        (15, 6, False),
        (16, 0, True),
        (17, 0, True),
        (10, 7, True),
        (10, 6, False),
    ],
)
def test_villagers_meeting_quorum_by_adults_or_households(present, households, ok):
    w = village_world()
    matter = advance(w, register(w, Category.LAND_CONTRACT), until="resolve")
    call = lambda: services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w,
            D["resolve"],
            villagers_meeting=True,
            present=present,
            households_present=households,
            yes=present,
            no=0,
            announced_on=date(2026, 3, 10),
        ),
    )
    if ok:
        call()
    else:
        assert refusal(call).code == "villagers_meeting_quorum"


@pytest.mark.parametrize(
    ("announced_on", "ok"),
    [
        (date(2026, 3, 11), False),
        (date(2026, 3, 10), True),
        (date(2026, 3, 9), True),
    ],
)
def test_villagers_meeting_announced_ten_days_ahead(announced_on, ok):
    w = village_world()
    matter = advance(w, register(w), until="resolve")
    call = lambda: services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w,
            D["resolve"],
            villagers_meeting=True,
            present=20,
            yes=15,
            no=5,
            announced_on=announced_on,
        ),
    )
    if ok:
        call()
    else:
        assert refusal(call).citation.article == "第二十一条"


@pytest.mark.parametrize(
    ("villagers_meeting", "delegated", "ok"),
    [
        (False, False, False),
        (False, True, True),
        (True, False, True),
    ],
)
def test_reserved_matters_go_to_the_villagers_meeting_unless_delegated(
    villagers_meeting, delegated, ok
):
    w = village_world()
    matter = advance(w, register(w, Category.LAND_COMPENSATION), until="resolve")
    call = lambda: services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w,
            D["resolve"],
            villagers_meeting=villagers_meeting,
            delegated=delegated,
            attendees=[] if villagers_meeting else w.representatives[:7],
            present=20,
            yes=6 if not villagers_meeting else 15,
            no=1 if not villagers_meeting else 5,
            announced_on=date(2026, 3, 1),
        ),
    )
    if ok:
        call()
    else:
        error = refusal(call)
        assert error.code == "reserved_matter" and error.citation.article == "第二十四条"


def test_a_meeting_that_failed_is_recorded_and_the_matter_not_passed():
    w = village_world()
    matter = advance(w, register(w), until="resolve")
    services.matter_resolve(
        matter_id=matter.pk,
        actor=None,
        meeting=meeting(
            w, D["resolve"], attendees=w.representatives[:5], yes=5, record_failure=True
        ),
    )
    matter.refresh_from_db()
    assert matter.status == Status.NOT_PASSED
    assert "三分之二" in matter.closed_reason
    assert MatterMeeting.objects.get(step="resolve").passed is False


def test_votes_cannot_exceed_attendance_and_strangers_cannot_attend():
    w = village_world()
    matter = advance(w, register(w), until="deliberate")
    assert refusal(
        lambda: services.matter_deliberate(
            matter_id=matter.pk,
            actor=None,
            meeting=meeting(w, D["deliberate"], attendees=w.members[:5], yes=6),
        )
    ).code == ("tally_mismatch")
    assert refusal(
        lambda: services.matter_deliberate(
            matter_id=matter.pk,
            actor=None,
            meeting=meeting(w, D["deliberate"], attendees=[w.villagers[20]], yes=1),
        )
    ).code == ("not_expected")


# ---- 一公开 and 一知晓 -------------------------------------------------------------------


def test_acknowledgement_needs_a_channel_and_households_confirm_reading():
    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    assert refusal(
        lambda: services.matter_acknowledge(
            matter_id=matter.pk, actor=None, on=D["acknowledge"], channels=[]
        )
    ).code == ("channels_required")
    read = lambda number: services.matter_read(
        matter_id=matter.pk, household_number=number, client_key="browser"
    )
    read("003")
    with pytest.raises(Conflict):
        read("003")
    assert refusal(lambda: read("999")).code == "household_unknown"
    assert matter.read_receipts.count() == 1


def test_a_late_resolution_notice_is_recorded_as_late():
    w = village_world()
    matter = advance(w, register(w), until="publish_resolution")
    services.matter_publish_resolution(
        matter_id=matter.pk, actor=None, published_on=date(2026, 4, 10)
    )
    from workflows.models import AuditEvent

    event = AuditEvent.objects.filter(action="publish_resolution").get()
    assert event.payload["late"][0]["code"] == "publish_promptly"


def test_an_outsider_cannot_record_and_nothing_changes():
    from tests import factories
    from workflows.errors import NotFound

    w = village_world()
    matter = register(w)
    # Another village's secretary: to him the matter does not exist.
    with pytest.raises(NotFound):
        services.matter_propose(
            matter_id=matter.pk,
            actor=w.outsider_user,
            meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
        )
    # A villagers' representative sees his village, but does not record its matters.
    representative = factories.user_for(w.representatives[0], "v-representative")
    with pytest.raises(NotAllowed) as refused:
        services.matter_propose(
            matter_id=matter.pk,
            actor=representative,
            meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
        )
    assert refused.value.code == "step_forbidden"
    assert Matter.objects.get(pk=matter.pk).status == Status.REGISTERED
    assert Person.objects.exists()


def test_publishing_and_acknowledging_are_deadline_rows():
    from workflows import deadlines

    w = village_world()
    matter = advance(w, register(w), until="publish_resolution")
    [row] = deadlines.open_for(matter)
    assert row.key == "step:publish_resolution" and row.audience == "branch"
    matter = advance(w, matter, until="acknowledge")
    [row] = deadlines.open_for(matter)
    assert row.key == "step:acknowledge"
    matter = advance(w, matter)
    assert deadlines.open_for(matter) == []


@pytest.mark.parametrize(("method", "allowed"), [(Method.THREE, False), (Method.FOUR, True)])
def test_archiving_waits_for_the_acknowledgement_only_where_the_method_has_one(
    client, method, allowed
):
    from django.urls import reverse

    w = village_world(method)
    matter = advance(w, register(w), until="acknowledge")  # result published, no 知晓
    assert matter.status == Status.RESULT_PUBLISHED
    client.force_login(w.secretary_user)
    response = client.post(
        reverse("api:subject_step", args=["matters", matter.pk, "archive"]),
        {"on": "2026-11-30"},
        content_type="application/json",
    )
    matter.refresh_from_db()
    if allowed:
        assert response.status_code == 200 and matter.status == Status.ARCHIVED
    else:
        assert response.status_code == 409
        assert matter.status == Status.RESULT_PUBLISHED


def test_objections_to_a_village_notice_are_for_the_township_to_settle():
    """The village cannot verify objections (policy): the notice's close, and the
    reminders when objections are still open, go to the township."""
    from workflows import deadlines

    w = village_world()
    matter = advance(w, register(w), until="record_progress")
    notice = Notice.objects.get(subject_id=matter.pk, kind="resolution")
    [row] = [row for row in deadlines.open_for(notice) if row.key == "notice_close"]
    assert row.audience == "township"


def test_a_result_completed_after_its_publication_is_refused():
    w = village_world()
    matter = advance(w, register(w), until="publish_result")
    error = refusal(
        lambda: services.matter_publish_result(
            matter_id=matter.pk,
            actor=None,
            completed_on=date(2175, 1, 1),
            result="完工",
            published_on=D["publish_result"],
        )
    )
    assert error.code == "completed_after_publication"
    assert Matter.objects.get(pk=matter.pk).status == Status.IMPLEMENTING


def test_the_acknowledgement_s_period_is_the_county_s_rule():
    """一知晓 is due ten days after the result notice ends, a county setting like every
    rule: changed, the deadline row moves; switched off, there is none."""
    from django.utils import timezone as tz

    from procedures.publicity.models import Notice
    from procedures.village.deadlines import sync
    from procedures.village.rulebooks import VILLAGE_THREE
    from workflows import deadlines
    from workflows.models import RuleSetting
    from workflows.rules import clear_cache

    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    ends_on = Notice.objects.get(kind="result", subject_id=matter.pk).ends_on

    def due():
        sync(Matter.objects.get(pk=matter.pk))
        rows = [r for r in deadlines.open_for(matter) if r.key == "step:acknowledge"]
        return tz.localtime(rows[0].due_at).date() if rows else None

    assert due() == ends_on + timedelta(days=10)
    setting = RuleSetting.objects.create(
        rulebook=VILLAGE_THREE, rule_id="acknowledge_promptly", params={"days": 3}
    )
    clear_cache()
    assert due() == ends_on + timedelta(days=3)
    setting.enabled = False
    setting.save()
    clear_cache()
    assert due() is None


def test_a_reserved_matter_s_next_step_says_the_notice_period_the_rule_holds():
    """The 10 days before a villagers' meeting are the rule's (村民委员会组织法 第二十一条), as a
    county's setting may change them: the next-step hint reads the rule, not a typed number."""
    from procedures.village import selectors
    from procedures.village.deadlines import rulebook_of
    from workflows import rules
    from workflows.models import RuleSetting

    w = village_world()
    matter = advance(w, register(w, Category.LAND_COMPENSATION), until="resolve")
    assert any("村民会议须提前10日通知" in text for text in selectors.next_step(matter).missing)
    RuleSetting.objects.create(
        rulebook=rulebook_of(matter).key, rule_id="villagers_meeting_notice", params={"days": 15}
    )
    rules.clear_cache()
    assert any("村民会议须提前15日通知" in text for text in selectors.next_step(matter).missing)
