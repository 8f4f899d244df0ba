from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from procedures.people.models import Membership, Person
from tests import factories
from workflows.audit import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return factories.person(factories.tree().branches[0])


def _staff(username, *, personal_data):
    user = get_user_model().objects.create_user(username, password="pw-123456", is_staff=True)
    codenames = ["view_person", "change_person"] + (["view_personal_data"] if personal_data else [])
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_admin_masks_the_number_for_staff_without_the_permission(client, person):
    client.force_login(_staff("clerk", personal_data=False))
    change = client.get(reverse("admin:people_person_change", args=[person.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert person.id_number not in page and person.phone not in page
    assert person.masked_id_number in page
    listing = client.get(reverse("admin:people_person_changelist")).content.decode()
    assert person.id_number not in listing


def test_admin_shows_the_number_to_staff_with_the_permission(client, person):
    client.force_login(_staff("officer", personal_data=True))
    page = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert person.id_number in page


def test_audit_events_cannot_be_changed_or_deleted_in_the_admin(client):
    event = record_event(stream="x:1", action="apply")
    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    assert client.get(reverse("admin:workflows_auditevent_changelist")).status_code == 200
    delete = client.post(reverse("admin:workflows_auditevent_delete", args=[event.pk]))
    assert delete.status_code == 403
    event.refresh_from_db()
    assert event.action == "apply"


def test_the_development_setting_offers_only_the_known_rulebooks(client):
    from procedures.membership.models import DevelopmentSettings

    tree = factories.tree()
    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    url = reverse("admin:membership_developmentsettings_add")
    typed = client.post(
        url, {"county": tree.county.pk, "rulebook": "2026修订版", "variant": "standard-25"}
    )
    assert typed.status_code == 200  # the form again, with its error
    assert not DevelopmentSettings.objects.exists()
    chosen = client.post(
        url, {"county": tree.county.pk, "rulebook": "cpc-2026", "variant": "standard-25"}
    )
    assert chosen.status_code == 302
    assert DevelopmentSettings.objects.get().rulebook == "cpc-2026"


def test_a_rule_setting_must_name_a_known_rulebook_rule_and_parameter(client):
    from workflows.models import RuleSetting

    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    client.force_login(admin)
    url = reverse("admin:workflows_rulesetting_add")
    base = {"rule_id": "talk_deadline", "article": "第七条", "enabled": "on", "note": ""}
    for wrong in (
        {"rulebook": "2026修订版", "params": "{}"},
        {"rulebook": "cpc-2014", "rule_id": "no_such_rule", "params": "{}"},
        {"rulebook": "cpc-2014", "params": '{"weeks": 2}'},
        {"rulebook": "cpc-2014", "params": '{"months": "一个月"}'},
    ):
        response = client.post(url, {**base, **wrong})
        assert response.status_code == 200, wrong
    assert not RuleSetting.objects.exists()
    ok = client.post(url, {**base, "rulebook": "cpc-2014", "params": '{"months": 2}'})
    assert ok.status_code == 302 and RuleSetting.objects.get().params == {"months": 2}


def test_the_branch_s_records_cannot_be_edited_in_the_admin(admin_client):
    """A 党员大会, a payment: visible in the admin, never changed by hand (a correction is a
    new audited record, made through its service)."""
    from datetime import date

    from procedures.branchlife import services
    from procedures.branchlife.models import BranchMeeting, DuesPayment

    from ..procedures.membership.walk import world

    w = world()
    meeting = services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind="general_meeting",
        minutes=services.Minutes(
            held_on=date(2026, 11, 3), topic="党员大会", summary="议事。", place="村部",
            chair_id=w.members[0].pk, present_ids=[m.pk for m in w.members[:6]],
        ),
    )  # fmt: skip
    payment = services.dues_pay(
        actor=None,
        branch=w.branch,
        payment=services.Payment(
            w.members[3].pk, date(2026, 1, 1), 1, "0.5", "rural", date(2026, 1, 5)
        ),
    )
    for name, pk in (("branchmeeting", meeting.pk), ("duespayment", payment.pk)):
        url = reverse(f"admin:branchlife_{name}_change", args=[pk])
        page = admin_client.get(url)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert admin_client.post(url, {"topic": "改过的"}).status_code == 403
        assert (
            admin_client.get(reverse(f"admin:branchlife_{name}_delete", args=[pk])).status_code
            == 403
        )
    assert BranchMeeting.objects.get(pk=meeting.pk).topic == "党员大会"
    assert DuesPayment.objects.filter(pk=payment.pk).exists()


def test_a_person_added_in_the_admin_is_registered_with_his_membership(client):
    tree = factories.tree()
    admin_user = get_user_model().objects.create_superuser("root", password="pw-123456")
    client.force_login(admin_user)
    born = "1988-04-02"
    form = {
        "name": "新登记人",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": born,
        "id_number": factories.id_number(date(1988, 4, 2)),
        "education": "junior",
        "occupation": "farmer",
        "phone": "",
        "organisation": tree.branches[0].pk,
    }
    for prefix in ("positions", "memberships", "not_counted", "disciplines"):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    answer = client.post(reverse("admin:people_person_add"), form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    person = Person.objects.get(name="新登记人")
    [row] = Membership.objects.filter(person=person)
    assert (row.organisation, row.starts_on) == (tree.branches[0], None)
    # His organisation is no field to edit any more: a move keeps the one before.
    change = client.get(reverse("admin:people_person_change", args=[person.pk])).content.decode()
    assert 'id="id_organisation"' not in change
    assert tree.branches[0].name in change


def _member_of(branch, name):
    member = factories.person(branch, name=name)
    Person.objects.filter(pk=member.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2001, 7, 1)
    )
    return member


def test_a_period_not_counted_is_recorded_through_its_service_and_refused_with_its_reason(client):
    from procedures.people.models import NotCounted
    from workflows.audit import events_of, stream_of

    tree = factories.tree()
    member = _member_of(tree.branches[0], "外出党员")
    client.force_login(get_user_model().objects.create_superuser("root2", password="pw-123456"))
    url = reverse("admin:people_notcounted_add")
    form = {
        "person": member.pk,
        "kind": NotCounted.Kind.AWAY_WITH_LEAVE,
        "reason": "外出务工，已向支部请假",
        "starts_on": "2026-03-01",
        "ends_on": "",
    }
    assert client.post(url, form).status_code == 302
    row = NotCounted.objects.get()
    assert (row.person, row.ends_on) == (member, None)
    assert events_of(stream_of(member))[-1].action == "not_counted_recorded"
    # An overlapping period: the service's refusal, on the form, and nothing written.
    again = client.post(url, {**form, "starts_on": "2026-05-01"})
    assert again.status_code == 200 and "重叠" in again.content.decode()
    assert NotCounted.objects.count() == 1
    # A record is never edited here.
    change = client.post(reverse("admin:people_notcounted_change", args=[row.pk]), form)
    assert change.status_code == 403


def test_a_probation_recorded_in_the_admin_takes_the_members_vote_for_its_days(client):
    from procedures.people.meetings import voters
    from procedures.people.models import Discipline

    tree = factories.tree()
    member = _member_of(tree.branches[0], "受处分党员")
    client.force_login(get_user_model().objects.create_superuser("root3", password="pw-123456"))
    url = reverse("admin:people_discipline_add")
    form = {
        "person": member.pk,
        "kind": Discipline.Kind.PROBATION,
        "decided_on": "2026-02-10",
        "deciding_body": "县纪委",
        "ends_on": "",
        "matter": "违反群众纪律",
    }
    refused = client.post(url, form)  # a 留党察看 names its last day
    assert refused.status_code == 200 and "留党察看" in refused.content.decode()
    assert client.post(url, {**form, "ends_on": "2027-02-09"}).status_code == 302
    assert member not in voters(tree.branches[0], date(2026, 6, 1))
    assert member in voters(tree.branches[0], date(2026, 2, 9))
