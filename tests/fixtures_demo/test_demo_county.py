import pytest
from django.contrib.auth import get_user_model

from fixtures import demo_county
from procedures.people import identity, scopes
from procedures.people.models import Household, Organisation, Person, Position, Village
from workflows.audit import verify_chain

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]
Kind = Organisation.Kind


def test_demo_county_shape():
    assert Organisation.objects.filter(kind=Kind.COUNTY_COMMITTEE).count() == 1
    assert Organisation.objects.filter(kind=Kind.ORG_DEPARTMENT).count() == 1
    assert Organisation.objects.filter(kind=Kind.TOWNSHIP_COMMITTEE).count() == 3
    assert Organisation.objects.filter(kind=Kind.VILLAGE_BRANCH).count() == 9
    assert Organisation.objects.filter(kind=Kind.VILLAGERS_COMMITTEE).count() == 9
    assert Organisation.objects.filter(kind=Kind.PARTY_GROUP).count() == 18
    assert Village.objects.count() == 9
    assert Household.objects.count() == 81
    assert 280 <= Person.objects.count() <= 330


def test_every_demo_id_number_is_valid_consistent_and_fictitious():
    for person in Person.objects.all():
        assert person.id_number.startswith(demo_county.REGION)
        male = person.gender == Person.Gender.MALE
        assert identity.problems(person.id_number, birth_date=person.birth_date, male=male) == []
        assert person.phone.startswith("1990000")


def test_every_branch_has_a_secretary_clerk_and_director():
    for branch in Organisation.objects.filter(kind=Kind.VILLAGE_BRANCH):
        titles = set(
            Position.objects.filter(organisation__path__startswith=branch.path).values_list(
                "title", flat=True
            )
        )
        assert {
            Position.Title.SECRETARY,
            Position.Title.COMMITTEE_DIRECTOR,
            Position.Title.VILLAGE_CLERK,
            Position.Title.LIAISON_CADRE,
            Position.Title.LIAISON_LEADER,
            Position.Title.VILLAGER_REPRESENTATIVE,
        } <= titles
        members = Person.objects.filter(organisation=branch, standing=Person.Standing.FULL)
        assert members.count() >= 10


def test_one_login_per_role_with_the_documented_scope():
    users = get_user_model().objects
    expected = {
        "admin",
        "county",
        "township",
        "township_secretary",
        "nanshan",
        "secretary",
        "first_secretary",
        "liaison",
        "clerk",
    }
    assert set(users.values_list("username", flat=True)) == expected
    total = Person.objects.count()
    assert scopes.visible_persons(users.get(username="county")).count() == total
    township_visible = scopes.visible_persons(users.get(username="township")).count()
    branch_visible = scopes.visible_persons(users.get(username="secretary")).count()
    assert branch_visible < township_visible < total
    assert users.get(username="county").has_perm("people.view_personal_data")
    assert not users.get(username="secretary").has_perm("people.view_personal_data")
    for user in users.all():
        assert user.check_password(demo_county.DEMO_PASSWORD)


def test_demo_load_is_audited_and_the_chain_is_intact():
    assert verify_chain() == []
    assert demo_county.is_loaded()


def test_demo_cases_wait_at_every_step_and_show_each_exit():
    from procedures.membership import projection
    from procedures.membership.models import Case
    from procedures.membership.steps import Status

    statuses = set(Case.objects.values_list("status", flat=True))
    expected = set(Status.values) - {  # the demo county runs the 25-step 2014 rulebook
        Status.CANDIDATE_NOTICE,
        Status.ADMISSION_NOTICE,
        Status.CONVERSION_NOTICE,
        Status.ADMISSION_NOTIFIED,
        Status.CONVERSION_NOTIFIED,
    }
    assert expected <= statuses
    assert Case.objects.filter(probation_extended=True).exists()
    overdue = [
        c for c in Case.objects.all() if any(p.overdue for p in projection.project(c, limit=1))
    ]
    assert {c.status for c in overdue} >= {Status.APPLIED, Status.COMMITTEE_TALKED}
    assert verify_chain() == []


def test_demo_matters_at_every_step_with_a_failed_quorum():
    from procedures.village.models import Matter
    from procedures.village.steps import Status

    statuses = set(Matter.objects.values_list("status", flat=True))
    assert {
        Status.REGISTERED,
        Status.PROPOSED,
        Status.CONSULTED,
        Status.DELIBERATED,
        Status.RESOLVED,
        Status.RESOLUTION_PUBLISHED,
        Status.IMPLEMENTING,
        Status.RESULT_PUBLISHED,
        Status.ACKNOWLEDGED,
        Status.ARCHIVED,
        Status.NOT_PASSED,
    } <= statuses
    failed = Matter.objects.get(status=Status.NOT_PASSED)
    assert failed.meetings.get(step="resolve").passed is False
    assert Matter.objects.filter(description__contains="包村干部主持").exists()


def test_the_demo_branches_keep_a_year_of_organisational_life_with_every_warning():
    """`make run` shows complete branches and each warning of the 工作手册."""
    from django.utils import timezone

    from procedures.branchlife import ledger, standing
    from procedures.branchlife.models import BranchLife, BranchMeeting, DuesPayment
    from workflows.deadlines import open_for

    today = timezone.localdate()
    branches = list(Organisation.objects.filter(kind=Kind.VILLAGE_BRANCH).order_by("pk"))
    first, second = branches[0], branches[1]
    assert BranchMeeting.objects.filter(branch=first, status="held").count() >= 20
    assert BranchMeeting.objects.filter(branch=first, status="planned").exists()
    assert DuesPayment.objects.filter(branch=first).exists()
    grounds = {flag.ground for flag in standing.flags(first, today)}
    assert grounds == {"dues", "absence"}
    done = {row.kind: row for row in ledger.completion(second, today.year, today=today)}
    assert done["general_meeting"].missing  # its second quarter's 党员大会
    assert any(a.months >= 3 for a in standing.arrears(second, today))
    keys = {row.key.split(":")[0] for row in open_for(BranchLife.objects.get(branch=first))}
    assert {"frequency", "lapse"} <= keys


@pytest.mark.parametrize("login", ["township", "county"])
def test_every_overview_cell_opens_exactly_the_items_it_counts(client, login):
    """各村情况 on the demo county: each cell's count (超期 n，本周 m) is the number of items
    its page lists, overdue and due this week, each linking to its record; another
    township's village is not found."""
    import re

    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from portal.staff import overview

    user = get_user_model().objects.get(username=login)
    client.force_login(user)
    _kinds, rows = overview.villages(user)
    assert any(cell.overdue for row in rows for cell in row.cells)
    for row in rows:
        for cell in row.cells:
            page = client.get(cell.url).content.decode()
            listed = (
                page.split('<ul class="items">', 1)[1].split("</ul>", 1)[0]
                if (cell.overdue or cell.soon)
                else ""
            )
            overdue = len(re.findall(r'<li class="overdue">', listed))
            everything = len(re.findall(r"<li[ >]", listed))
            assert (overdue, everything - overdue) == (cell.overdue, cell.soon), (
                row.branch.name,
                cell.kind,
            )
    if login == "township":
        elsewhere = [
            o
            for o in overview._branches(get_user_model().objects.get(username="county"))
            if o not in [row.branch for row in rows]
        ]
        answer = client.get(
            reverse("staff:overview_cell", args=[elsewhere[0].pk]), {"kind": "发展党员"}
        )
        assert answer.status_code == 404
