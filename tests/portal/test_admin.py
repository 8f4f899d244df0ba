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
