from datetime import timedelta

import pytest
from django.utils import timezone

from procedures.people import scopes, selectors
from procedures.people.models import Organisation, Position
from tests import factories
from workflows.errors import NotFound

pytestmark = pytest.mark.django_db
T = Position.Title


@pytest.fixture
def world():
    tree = factories.tree()
    people = {branch.pk: [factories.person(branch) for _ in range(3)] for branch in tree.branches}
    return tree, people


def _user_holding(organisation, title, **dates):
    holder = factories.person(organisation)
    factories.hold(holder, organisation, title, **dates)
    return factories.user_for(holder)


def test_branch_secretary_sees_only_his_branch(world):
    tree, people = world
    user = _user_holding(tree.branches[0], T.SECRETARY)
    visible = set(scopes.visible_persons(user))
    assert set(people[tree.branches[0].pk]) <= visible
    assert not visible & set(people[tree.branches[1].pk])


def test_township_organiser_sees_every_branch_of_his_township_and_no_other(world):
    tree, people = world
    user = _user_holding(tree.townships[0], T.ORGANISER)
    visible = set(scopes.visible_persons(user))
    for branch in tree.branches[:2]:
        assert set(people[branch.pk]) <= visible
    for branch in tree.branches[2:]:
        assert not visible & set(people[branch.pk])


def test_county_organisation_department_sees_the_whole_county(world):
    tree, people = world
    user = _user_holding(tree.department, T.STAFF)
    visible = set(scopes.visible_persons(user))
    assert all(set(group) <= visible for group in people.values())


def test_party_group_position_sees_its_branch(world):
    tree, people = world
    group = factories.services.organisation_create(
        actor=None, name="第一党小组", kind=Organisation.Kind.PARTY_GROUP, parent=tree.branches[0]
    )
    user = _user_holding(group, T.COMMITTEE_MEMBER)
    assert set(people[tree.branches[0].pk]) <= set(scopes.visible_persons(user))


def test_village_liaison_cadre_sees_the_village_he_is_assigned_to(world):
    tree, people = world
    liaison = factories.person(tree.townships[0])
    factories.hold(liaison, tree.branches[1], T.LIAISON_CADRE)
    user = factories.user_for(liaison)
    visible = set(scopes.visible_persons(user))
    assert set(people[tree.branches[1].pk]) <= visible
    assert not visible & set(people[tree.branches[0].pk])


def test_user_without_a_position_sees_nothing(world):
    tree, _people = world
    user = factories.user_for(factories.person(tree.branches[0]))
    assert not scopes.visible_persons(user).exists()
    assert not scopes.visible_villages(user).exists()


@pytest.mark.parametrize(("end_offset", "sees"), [(-1, False), (0, True), (1, True)])
def test_a_position_counts_until_and_including_its_end_date(world, end_offset, sees):
    tree, people = world
    today = timezone.localdate()
    user = _user_holding(tree.branches[0], T.SECRETARY, end=today + timedelta(days=end_offset))
    assert (
        scopes.visible_persons(user).filter(pk=people[tree.branches[0].pk][0].pk).exists() is sees
    )


@pytest.mark.parametrize(("start_offset", "sees"), [(-1, True), (0, True), (1, False)])
def test_a_position_counts_from_its_start_date(world, start_offset, sees):
    tree, people = world
    today = timezone.localdate()
    user = _user_holding(tree.branches[0], T.SECRETARY, start=today + timedelta(days=start_offset))
    assert (
        scopes.visible_persons(user).filter(pk=people[tree.branches[0].pk][0].pk).exists() is sees
    )


def test_reading_a_person_outside_the_scope_is_not_found(world):
    tree, people = world
    user = _user_holding(tree.branches[0], T.SECRETARY)
    outsider = people[tree.branches[2].pk][0]
    with pytest.raises(NotFound) as raised:
        selectors.person_get(user=user, pk=outsider.pk)
    assert raised.value.status == 404
    assert selectors.person_get(user=user, pk=people[tree.branches[0].pk][0].pk)


def test_visible_villages_follow_the_scope(world):
    tree, _people = world
    township_user = _user_holding(tree.townships[1], T.ORGANISER)
    assert set(scopes.visible_villages(township_user)) == set(tree.villages[2:])
    branch_user = _user_holding(tree.branches[0], T.SECRETARY)
    assert set(scopes.visible_villages(branch_user)) == {tree.villages[0]}


def test_titles_over_an_organisation_include_those_held_above_it(world):
    tree, _people = world
    holder = factories.person(tree.townships[0])
    factories.hold(holder, tree.townships[0], T.ORGANISER)
    user = factories.user_for(holder)
    assert scopes.titles_over(user, tree.branches[0]) == {T.ORGANISER}
    assert scopes.titles_over(user, tree.branches[2]) == set()


def test_superuser_sees_everything(world):
    _tree, people = world
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="root-pass-123")
    assert scopes.visible_persons(admin).count() == sum(len(group) for group in people.values())
