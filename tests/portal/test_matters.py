"""Village matters through the staff pages, the API and the portal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procedures.publicity.models import Notice
from procedures.village.models import Matter, VillagersMeetingPlan
from procedures.village.steps import Status

from ..procedures.village.world import (
    D,
    T,
    advance,
    committee_attendees,
    joint_attendees,
    register,
    village_world,
)

pytestmark = pytest.mark.django_db


def _form(w, held_on, attendees, chair=T.SECRETARY, **extra):
    return {
        "held_on": held_on.isoformat(),
        "place": "村委会议室",
        "chair": w.people[chair].pk,
        "recorder": w.people[T.VILLAGE_CLERK].pk,
        "attendees": [p.pk for p in attendees],
        **extra,
    }


def test_a_secretary_records_a_matter_through_deliberation_on_the_staff_pages(client):
    w = village_world()
    client.force_login(w.secretary_user)
    client.post(
        reverse("staff:matter_new"),
        {"village": w.village.pk, "title": "村道硬化", "category": "general"},
    )
    matter = Matter.objects.get()
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert "提议（村党支部会议）" in page and "第一书记或副书记（书记委托期间）" in page
    for step, attendees, extra in [
        ("propose", committee_attendees(w), {}),
        ("consult", joint_attendees(w), {}),
        ("deliberate", w.members[:7], {"yes": "6", "no": "1"}),
    ]:
        response = client.post(
            reverse("staff:subject_step", args=["matters", matter.pk, step]),
            _form(w, D[step], attendees, **extra),
            follow=True,
        )
        assert "已办理" in response.content.decode(), step
    assert Matter.objects.get().status == Status.DELIBERATED


def test_a_villagers_meeting_is_planned_and_announced_on_the_staff_page(client):
    w = village_world()
    matter = advance(w, register(w), until="resolve")
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert "安排村民会议" in page and "通知村民会议" not in page
    today = timezone.localdate()
    too_soon = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "plan_villagers_meeting"]),
        {"planned_on": (today + timedelta(days=9)).isoformat(), "place": "村文化广场"},
        follow=True,
    ).content.decode()
    assert "应当提前10日通知村民" in too_soon and "第二十一条" in too_soon
    assert not VillagersMeetingPlan.objects.exists()
    planned = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "plan_villagers_meeting"]),
        {"planned_on": (today + timedelta(days=12)).isoformat(), "place": "村文化广场"},
        follow=True,
    ).content.decode()
    assert "已办理：安排村民会议" in planned and "尚未通知村民" in planned
    assert "村民会议改期" in planned and "通知村民会议" in planned
    announced = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "announce_villagers_meeting"]),
        {"announced_on": today.isoformat(), "how": "广播、微信群"},
        follow=True,
    ).content.decode()
    assert "已办理：通知村民会议" in announced and "广播、微信群" in announced
    assert VillagersMeetingPlan.objects.get().announced_on == today


def test_a_wrong_chair_is_refused_on_the_staff_page_and_nothing_changes(client):
    w = village_world()
    matter = register(w)
    client.force_login(w.secretary_user)
    response = client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "propose"]),
        _form(w, D["propose"], committee_attendees(w), chair=T.LIAISON_CADRE),
        follow=True,
    )
    assert "不能由包村领导和包村干部主持" in response.content.decode()
    assert Matter.objects.get().status == Status.REGISTERED
    assert not matter.meetings.exists()


def test_the_township_sees_its_villages_overdue_first(client):
    from procedures.people.models import Position
    from tests import factories

    w = village_world()
    advance(w, register(w), until="acknowledge")  # result published, no 知晓 yet
    organiser = factories.person(w.tree.townships[0])
    factories.hold(organiser, w.tree.townships[0], Position.Title.ORGANISER)
    client.force_login(factories.user_for(organiser, "org"))
    page = client.get(reverse("staff:matters")).content.decode()
    assert "缺知晓记录" in page and w.village.name in page
    rows = client.get(reverse("api:matters")).json()["results"]
    assert rows[0]["next"]["step"] == "acknowledge" and rows[0]["next"]["overdue"] is True


def test_api_registers_and_refuses_with_code_message_citation(client):
    w = village_world()
    client.force_login(w.secretary_user)
    created = client.post(
        reverse("api:matters"),
        {"village": w.village.pk, "title": "修路", "category": "land_contract"},
        content_type="application/json",
    )
    assert created.status_code == 201
    matter_id = created.json()["id"]
    refused = client.post(
        reverse("api:subject_step", args=["matters", matter_id, "propose"]),
        _form(w, D["propose"], committee_attendees(w), chair=T.LIAISON_LEADER),
        content_type="application/json",
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "chair_proposal" and body["citation"]["document"].startswith("县委")
    skipped = client.post(
        reverse("api:subject_step", args=["matters", matter_id, "deliberate"]),
        _form(w, D["deliberate"], w.members[:7], yes=7),
        content_type="application/json",
    )
    assert skipped.status_code == 409
    detail = client.get(reverse("api:matter", args=[matter_id])).json()
    assert detail["next"]["step"] == "propose"
    assert detail["next"]["chairs"] == ["书记", "第一书记或副书记（书记委托期间）"]
    assert detail["status"] == "registered" and detail["meetings"] == []


def test_an_outsider_gets_404(client):
    w = village_world()
    matter = register(w)
    client.force_login(w.outsider_user)
    assert client.get(reverse("api:matter", args=[matter.pk])).status_code == 404
    assert client.get(reverse("staff:subject", args=["matters", matter.pk])).status_code == 404


def test_villagers_read_the_decision_and_say_their_household_knows_the_result(client):
    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    resolution = Notice.objects.get(subject_id=matter.pk, kind="resolution")
    page = client.get(reverse("public:notice", args=[resolution.pk])).content.decode()
    assert "村道硬化工程" in page and "同意6" in page
    result = Notice.objects.get(subject_id=matter.pk, kind="result")
    page = client.get(reverse("public:notice", args=[result.pk])).content.decode()
    assert "我家已知晓" in page
    done = client.post(reverse("public:read", args=[result.pk]), {"household": "002"})
    assert "自报（未凭户码）1户" in done.content.decode()  # no code: kept as a self-report
    again = client.post(reverse("public:read", args=[result.pk]), {"household": "002"})
    assert again.status_code == 409 and "已经确认知晓" in again.content.decode()
    unknown = client.post(reverse("public:read", args=[result.pk]), {"household": "777"})
    assert unknown.status_code == 400
    assert matter.read_receipts.count() == 1


def test_only_the_code_on_a_household_s_slip_makes_its_acknowledgement_evidence(client):
    """一知晓 is evidence: a household's word counts when it carries the code printed on the
    明白纸 delivered to it, or when a village cadre records telling it in person; a bare
    household number is kept, marked as a self-report."""
    from procedures.village.models import ReadReceipt

    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    result = Notice.objects.get(subject_id=matter.pk, kind="result")
    url = reverse("public:read", args=[result.pk])
    household = w.households[1]
    wrong = "000000" if household.read_code != "000000" else "111111"
    refused = client.post(url, {"household": household.number, "code": wrong})
    assert refused.status_code == 400 and "户码不对" in refused.content.decode()
    assert not ReadReceipt.objects.exists()
    client.post(url, {"household": household.number})  # a self-report first
    confirmed = client.post(url, {"household": household.number, "code": household.read_code})
    assert confirmed.status_code == 200 and "凭户码确认1户" in confirmed.content.decode()
    assert ReadReceipt.objects.get().how == ReadReceipt.How.CODE
    # The village cadre records the households told in person, on the matter's page.
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert "登记入户告知" in page and "打印各户明白纸" in page
    client.post(
        reverse("staff:subject_step", args=["matters", matter.pk, "record_visits"]),
        {"on": "2026-08-20", "households": [w.households[2].pk, w.households[3].pk]},
    )
    visits = ReadReceipt.objects.filter(how=ReadReceipt.How.VISIT)
    assert visits.count() == 2 and {r.recorded_by_id for r in visits} == {w.secretary_user.pk}
    slips = client.get(reverse("staff:matter_slips", args=[matter.pk])).content.decode()
    assert household.read_code in slips and slips.count('class="slip"') == len(w.households)


def test_the_slips_with_codes_are_for_the_village_s_recorders_only(client):
    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    client.force_login(w.outsider_user)
    assert client.get(reverse("staff:matter_slips", args=[matter.pk])).status_code == 404
    household = w.households[0]
    public = client.get(
        reverse("public:notice", args=[Notice.objects.get(subject_id=matter.pk, kind="result").pk])
    ).content.decode()
    assert household.read_code not in public


def test_codes_cannot_be_tried_one_after_another(client):
    from procedures.village.services.acknowledgement import READ_PER_CLIENT

    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    url = reverse("public:read", args=[Notice.objects.get(subject_id=matter.pk, kind="result").pk])
    household = w.households[0]
    guesses = [f"{n:06d}" for n in range(READ_PER_CLIENT + 2) if f"{n:06d}" != household.read_code]
    codes = [
        client.post(url, {"household": household.number, "code": g}).status_code for g in guesses
    ]
    assert codes[:READ_PER_CLIENT] == [400] * READ_PER_CLIENT
    assert set(codes[READ_PER_CLIENT:]) == {429}
    right = client.post(url, {"household": household.number, "code": household.read_code})
    assert right.status_code == 429  # even the right code waits: the limit is spent


@pytest.mark.parametrize("method", ["three", "four"])
def test_every_declared_step_answers_its_success_through_the_api(client, method):
    """A step that was recorded is answered 200 with the matter as it now stands: never a
    500 for a committed act (planning a villagers' meeting once answered 500 after saving)."""
    from procedures.village.declaration import AMENDS, STEP_INPUTS
    from workflows.audit import events_of, stream_of

    w = village_world(method)
    client.force_login(w.secretary_user)
    matter = register(w)
    today = timezone.localdate()
    members = [p.pk for p in w.members[:7]]
    reps = [p.pk for p in w.representatives[:7]]
    steps = [
        ("propose", _form(w, D["propose"], committee_attendees(w))),
        ("consult", _form(w, D["consult"], joint_attendees(w))),
        (
            "plan_villagers_meeting",
            {"planned_on": (today + timedelta(days=12)).isoformat(), "place": "村文化广场"},
        ),
        ("announce_villagers_meeting", {"announced_on": today.isoformat(), "how": "广播"}),
        ("deliberate", {**_form(w, D["deliberate"], []), "attendees": members, "yes": 6, "no": 1}),
        ("resolve", {**_form(w, D["resolve"], []), "attendees": reps, "yes": 6, "no": 1}),
        ("publish_resolution", {"on": D["publish_resolution"].isoformat()}),
        ("record_progress", {"on": D["progress"].isoformat(), "text": "路基完成"}),
        (
            "publish_result",
            {"on": D["publish_result"].isoformat(), "completed_on": "2026-07-30", "result": "完工"},
        ),
        ("acknowledge", {"on": D["acknowledge"].isoformat(), "channels": ["broadcast"]}),
        ("record_visits", {"on": D["acknowledge"].isoformat(), "households": [w.households[0].pk]}),
        ("archive", {"on": D["archive"].isoformat()}),
    ]
    walked = set()
    for step, body in steps:
        if step == "acknowledge" and method == "four":
            continue
        events = len(events_of(stream_of(matter)))
        response = client.post(
            reverse("api:subject_step", args=["matters", matter.pk, step]),
            body,
            content_type="application/json",
        )
        assert response.status_code == 200, (step, response.content)
        assert response.json()["id"] == matter.pk
        assert response.json()["status"] == Matter.objects.get().status
        assert len(events_of(stream_of(matter))) == events + 1, step  # the step, once
        walked.add(step)
    assert Matter.objects.get().status == Status.ARCHIVED
    # The corrections and hand-offs answer through the API in test_matter_corrections.
    exits = {"decline", "withdraw", "propose_and_consult", *AMENDS}
    assert walked | exits | ({"acknowledge"} if method == "four" else set()) == set(STEP_INPUTS)


def test_the_matter_page_offers_forms_only_to_those_who_may_take_them(client):
    """What a page offers is the pipeline's answer over the declared steps: a villagers'
    representative sees his village's matter and no form; the township sees the step's
    form and the exits; an implementing matter offers its progress and its result."""
    from tests import factories

    w = village_world()
    matter = register(w)
    representative = factories.user_for(w.representatives[0], "v-representative")
    client.force_login(representative)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert matter.title in page
    for step in ("propose", "decline", "withdraw"):
        assert reverse("staff:subject_step", args=["matters", matter.pk, step]) not in page, step
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    for step in ("propose", "decline", "withdraw"):
        assert reverse("staff:subject_step", args=["matters", matter.pk, step]) in page, step
    assert reverse("staff:subject_step", args=["matters", matter.pk, "consult"]) not in page
    matter = advance(w, matter, until="publish_result")
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    for step in ("record_progress", "publish_result"):
        assert reverse("staff:subject_step", args=["matters", matter.pk, step]) in page, step
    assert reverse("staff:subject_step", args=["matters", matter.pk, "withdraw"]) not in page


def test_only_the_village_s_own_staff_read_the_codes_and_the_levels_above_reissue_them(
    client, admin_client
):
    """README: only the village's own staff see each household's 户码. A township's organiser
    and the county's staff (who may record a village's matters) do not; they may have a code
    made anew in the admin, which shows no code either, and the audit keeps no code."""
    from django.contrib.auth import get_user_model

    from procedures.people.models import Household
    from procedures.people.models import Position as P
    from tests import factories
    from workflows.models import AuditEvent

    w = village_world()
    matter = advance(w, register(w), until="acknowledge")
    slips = reverse("staff:matter_slips", args=[matter.pk])
    household = w.households[0]
    organiser = factories.person(w.tree.townships[0], name="组织员")
    factories.hold(organiser, w.tree.townships[0], P.Title.ORGANISER)
    county = factories.person(w.tree.department, name="组织部干事")
    factories.hold(county, w.tree.department, P.Title.STAFF)
    clerk = factories.user_for(w.people[P.Title.VILLAGE_CLERK], "v-clerk")
    liaison = factories.user_for(w.people[P.Title.LIAISON_CADRE], "v-liaison")
    for user, reads in (
        (w.secretary_user, True), (clerk, True), (liaison, True),
        (factories.user_for(organiser, "t-organiser"), False),
        (factories.user_for(county, "c-staff"), False),
        (get_user_model().objects.get(username="admin"), False),
    ):  # fmt: skip
        client.force_login(user)
        page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
        answer = client.get(slips)
        assert (answer.status_code == 200) is reads, user
        assert (household.read_code in answer.content.decode()) is reads, user
        assert ("打印各户明白纸" in page) is reads, user
    admin_url = reverse("admin:people_household_change", args=[household.pk])
    assert household.read_code not in admin_client.get(admin_url).content.decode()
    before = household.read_code
    admin_client.post(
        reverse("admin:people_household_changelist"),
        {"action": "reissue_codes", "_selected_action": [household.pk]},
    )
    household.refresh_from_db()
    assert household.read_code != before and len(household.read_code) == 6
    [event] = AuditEvent.objects.filter(action="household_code_reissued")
    assert before not in str(event.payload) and household.read_code not in str(event.payload)
    assert Household.objects.filter(read_code=before, pk=household.pk).count() == 0
