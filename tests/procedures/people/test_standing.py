import pytest
from django_fsm import TransitionNotAllowed

from procedures.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_party_standing_cannot_be_written_directly():
    person = factories.person(factories.tree().branches[0])
    with pytest.raises(AttributeError):
        person.standing = Person.Standing.FULL


def test_standing_moves_only_along_the_procedure():
    person = factories.person(factories.tree().branches[0])
    steps = [
        (person.apply, Person.Standing.APPLICANT),
        (person.make_activist, Person.Standing.ACTIVIST),
        (person.make_candidate, Person.Standing.CANDIDATE),
        (person.admit, Person.Standing.PROBATIONARY),
        (person.convert, Person.Standing.FULL),
    ]
    for step, expected in steps:
        step()
        assert person.standing == expected


def test_skipping_a_stage_is_refused():
    person = factories.person(factories.tree().branches[0])
    person.apply()
    with pytest.raises(TransitionNotAllowed):
        person.admit()
    assert person.standing == Person.Standing.APPLICANT


@pytest.mark.parametrize("stage", ["apply", "make_activist", "make_candidate"])
def test_dropping_out_returns_to_the_masses_from_any_stage_before_admission(stage):
    person = factories.person(factories.tree().branches[0])
    for step in ["apply", "make_activist", "make_candidate"]:
        getattr(person, step)()
        if step == stage:
            break
    person.drop_out()
    assert person.standing == Person.Standing.MASSES


def test_a_probationary_member_is_cancelled_not_dropped():
    person = factories.person(factories.tree().branches[0])
    for step in ["apply", "make_activist", "make_candidate", "admit"]:
        getattr(person, step)()
    with pytest.raises(TransitionNotAllowed):
        person.drop_out()
    person.cancel_probation()
    assert person.standing == Person.Standing.MASSES


def test_a_saved_standing_survives_reload():
    person = factories.person(factories.tree().branches[0])
    person.apply()
    person.save(update_fields=["standing"])
    assert Person.objects.get(pk=person.pk).standing == Person.Standing.APPLICANT


@pytest.mark.parametrize(
    ("on", "counted"),
    [("2025-07-14", False), ("2025-07-15", True), ("2025-07-16", True)],
)
def test_a_member_votes_at_meetings_from_the_day_he_became_a_full_member(on, counted):
    """A 支部大会 entered after the day it was held counts the full members it had: one who
    was converted later was a probationary member then, with no vote."""
    from datetime import date

    from procedures.people.meetings import voters as voters_on

    tree = factories.tree()
    branch = tree.branches[0]
    older = factories.person(branch, name="老党员")
    newer = factories.person(branch, name="新党员")
    Person.objects.filter(pk=older.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2000, 7, 1)
    )
    Person.objects.filter(pk=newer.pk).update(
        standing=Person.Standing.FULL, full_member_since=date(2025, 7, 15)
    )
    voters = {p.name for p in voters_on(branch, date.fromisoformat(on))}
    assert voters == ({"老党员", "新党员"} if counted else {"老党员"})
