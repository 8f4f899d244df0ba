"""The tests' world (a branch with its members and committees, a township, a county) and a
case walked along the shared script (fixtures/case_script.py) to any step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fixtures import case_script
from procedures.membership import services
from procedures.membership.models import Case, DevelopmentSettings
from procedures.membership.rulebooks import CPC_2014
from procedures.membership.steps import Variant
from procedures.people.models import Organisation, Person, Position
from tests import factories

T = Position.Title
APPLIED_ON = date(2023, 3, 1)


@dataclass
class World:
    tree: factories.Tree
    branch: Organisation
    township: Organisation
    group: Organisation
    members: list[Person]  # 9 full members of the branch, the first 4 on its committee
    applicant: Person
    secretary: object  # users
    organiser: object
    county: object
    other_secretary: object

    @property
    def cast(self) -> case_script.Cast:
        return case_script.Cast(members=self.members, group=self.group)


def world(*, rulebook: str = CPC_2014, variant: str = Variant.STANDARD) -> World:
    tree = factories.tree()
    branch, township = tree.branches[0], tree.townships[0]
    DevelopmentSettings.objects.create(county=tree.county, rulebook=rulebook, variant=variant)
    group = factories.services.organisation_create(
        actor=None, name="第一党小组", kind=Organisation.Kind.PARTY_GROUP, parent=branch
    )
    members = []
    for index in range(9):
        member = factories.person(branch, name=f"党员{index}", born=date(1970, 1, 1 + index))
        Person.objects.filter(pk=member.pk).update(
            standing=Person.Standing.FULL, full_member_since=date(2000, 7, 1)
        )
        members.append(Person.objects.get(pk=member.pk))
    committee = [T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER, T.COMMITTEE_MEMBER]
    for member, title in zip(members, committee, strict=False):
        factories.hold(member, branch, title)
    for title in committee:
        factories.hold(factories.person(township), township, title)
    organiser = factories.person(township, name="组织员")
    factories.hold(organiser, township, T.ORGANISER)
    county_staff = factories.person(tree.department, name="组织部干事")
    factories.hold(county_staff, tree.department, T.STAFF)
    other = factories.person(tree.branches[1], name="邻村书记")
    factories.hold(other, tree.branches[1], T.SECRETARY)
    applicant = factories.person(branch, name="申请人", born=date(1995, 6, 1))
    return World(
        tree=tree,
        branch=branch,
        township=township,
        group=group,
        members=members,
        applicant=applicant,
        secretary=factories.user_for(members[0], "w-secretary"),
        organiser=factories.user_for(organiser, "w-organiser"),
        county=factories.user_for(county_staff, "w-county"),
        other_secretary=factories.user_for(other, "w-other"),
    )


def attendance(w: World, held_on: date, **kwargs) -> services.Attendance:
    return case_script.attendance(w.cast, held_on, **kwargs)


def open_case(w: World) -> Case:
    return services.case_open(
        actor=None, person=w.applicant, branch=w.branch, applied_on=APPLIED_ON
    )


def walk(w: World, *, until: str | None = None, case: Case | None = None) -> Case:
    """Perform every step before `until` (all steps when None)."""
    return case_script.advance(case or open_case(w), w.cast, until=until)


def date_of(step: str) -> date:
    return case_script.dates(APPLIED_ON)[step]


refusal = factories.refusal  # the membership tests import it from here
