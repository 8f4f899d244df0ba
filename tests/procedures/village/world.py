"""A village with its branch, committee, representatives, households and villagers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django_fsm import can_proceed

from procedures.people.models import Household, Organisation, Person, Position
from procedures.village import services
from procedures.village.models import DecisionSettings
from procedures.village.steps import Category, Method
from tests import factories

T = Position.Title


@dataclass
class VillageWorld:
    tree: factories.Tree
    village: object
    branch: Organisation
    committee: Organisation
    people: dict  # title -> Person
    members: list[Person]  # 9 full members
    representatives: list[Person]  # 9
    households: list[Household]  # 10
    villagers: list[Person]  # 30 adults
    secretary_user: object
    outsider_user: object


def village_world(method: str = Method.THREE) -> VillageWorld:
    tree = factories.tree()
    DecisionSettings.objects.create(county=tree.county, method=method)
    village, branch = tree.villages[0], tree.branches[0]
    committee = factories.services.organisation_create(
        actor=None,
        name="村民委员会",
        kind=Organisation.Kind.VILLAGERS_COMMITTEE,
        parent=branch,
        village=village,
    )
    members = []
    for index in range(9):
        member = factories.person(branch, name=f"党员{index}", born=date(1970, 1, 1 + index))
        Person.objects.filter(pk=member.pk).update(standing=Person.Standing.FULL)
        members.append(Person.objects.get(pk=member.pk))
    people = {
        T.SECRETARY: members[0],
        T.DEPUTY_SECRETARY: members[1],
        T.ORGANISATION_MEMBER: members[2],
        T.COMMITTEE_MEMBER: members[3],
    }
    for title, person in people.items():
        factories.hold(person, branch, title)
    for title, organisation in [
        (T.FIRST_SECRETARY, branch),
        (T.LIAISON_LEADER, branch),
        (T.LIAISON_CADRE, branch),
        (T.COMMITTEE_DIRECTOR, committee),
        (T.VILLAGE_CLERK, committee),
    ]:
        holder = factories.person(
            tree.townships[0] if "liaison" in title else branch, name=str(T(title).label)
        )
        factories.hold(holder, organisation, title)
        people[title] = holder
    households, villagers = [], []
    for number in range(10):
        household = Household.objects.create(village=village, number=f"{number + 1:03d}")
        households.append(household)
        for _ in range(3):
            villagers.append(factories.person(branch, household=household, born=date(1980, 5, 5)))
    representatives = villagers[:9]
    for representative in representatives:
        factories.hold(representative, committee, T.VILLAGER_REPRESENTATIVE)
    outsider = factories.person(tree.branches[2], name="外村书记")
    factories.hold(outsider, tree.branches[2], T.SECRETARY)
    return VillageWorld(
        tree=tree,
        village=village,
        branch=branch,
        committee=committee,
        people=people,
        members=members,
        representatives=representatives,
        households=households,
        villagers=villagers,
        secretary_user=factories.user_for(members[0], "v-secretary"),
        outsider_user=factories.user_for(outsider, "v-outsider"),
    )


def meeting(
    w: VillageWorld,
    held_on: date,
    *,
    chair=T.SECRETARY,
    recorder=T.VILLAGE_CLERK,
    attendees=(),
    **kwargs,
) -> services.MeetingInput:
    return services.MeetingInput(
        held_on=held_on,
        place="村委会议室",
        chair_id=w.people[chair].pk,
        recorder_id=w.people[recorder].pk,
        attendee_ids=[p.pk for p in attendees],
        proposal="村道硬化工程方案",
        outcome="同意实施",
        **kwargs,
    )


def register(w: VillageWorld, category: str = Category.GENERAL):
    return services.matter_register(
        actor=None, village=w.village, title="村道硬化工程", category=category
    )


D = {
    "propose": date(2026, 3, 2),
    "consult": date(2026, 3, 5),
    "deliberate": date(2026, 3, 10),
    "resolve": date(2026, 3, 20),
    "publish_resolution": date(2026, 3, 23),
    "progress": date(2026, 5, 10),
    "publish_result": date(2026, 8, 3),
    "acknowledge": date(2026, 8, 20),
    "archive": date(2026, 9, 1),
}


def committee_attendees(w):
    return [w.people[t] for t in (T.SECRETARY, T.DEPUTY_SECRETARY, T.ORGANISATION_MEMBER)]


def joint_attendees(w):
    return [
        w.people[t]
        for t in (
            T.SECRETARY,
            T.COMMITTEE_DIRECTOR,
            T.LIAISON_LEADER,
            T.LIAISON_CADRE,
            T.VILLAGE_CLERK,
        )
    ]


def advance(w: VillageWorld, matter, *, until: str | None = None):
    steps = [
        (
            "propose",
            lambda: services.matter_propose(
                matter_id=matter.pk,
                actor=None,
                meeting=meeting(w, D["propose"], attendees=committee_attendees(w)),
            ),
        ),
        (
            "consult",
            lambda: services.matter_consult(
                matter_id=matter.pk,
                actor=None,
                meeting=meeting(w, D["consult"], attendees=joint_attendees(w)),
            ),
        ),
        (
            "deliberate",
            lambda: services.matter_deliberate(
                matter_id=matter.pk,
                actor=None,
                meeting=meeting(w, D["deliberate"], attendees=w.members[:7], yes=6, no=1),
            ),
        ),
        (
            "resolve",
            lambda: services.matter_resolve(
                matter_id=matter.pk,
                actor=None,
                meeting=meeting(w, D["resolve"], attendees=w.representatives[:7], yes=6, no=1),
            ),
        ),
        (
            "publish_resolution",
            lambda: services.matter_publish_resolution(
                matter_id=matter.pk, actor=None, published_on=D["publish_resolution"]
            ),
        ),
        (
            "record_progress",
            lambda: services.matter_record_progress(
                matter_id=matter.pk, actor=None, on=D["progress"], text="路基完成"
            ),
        ),
        (
            "publish_result",
            lambda: services.matter_publish_result(
                matter_id=matter.pk,
                actor=None,
                completed_on=date(2026, 7, 30),
                result="全长1.2公里村道硬化完工并验收",
                published_on=D["publish_result"],
            ),
        ),
        (
            "acknowledge",
            lambda: services.matter_acknowledge(
                matter_id=matter.pk,
                actor=None,
                on=D["acknowledge"],
                channels=["broadcast", "board"],
            ),
        ),
        (
            "archive",
            lambda: services.matter_archive(matter_id=matter.pk, actor=None, on=D["archive"]),
        ),
    ]
    for step, call in steps:
        if step == until:
            break
        if step == "acknowledge" and matter.method == Method.FOUR:
            continue
        if not can_proceed(getattr(matter, step)):
            continue  # done already (advancing a matter walked part of the way)
        call()
        matter.refresh_from_db()
    return matter
