from datetime import date

import pytest

from procedures.people import identity
from procedures.people.models import Organisation, Person
from tests import factories
from workflows.errors import ProcedureError
from workflows.models import AuditEvent

VALID = "11010519491231002X"  # the example number of GB 11643-1999


def test_the_standard_example_number_is_valid():
    assert identity.problems(VALID) == []
    assert identity.birth_date_of(VALID) == date(1949, 12, 31)
    assert identity.is_male(VALID) is False


def test_lower_case_check_letter_is_accepted():
    assert identity.problems(VALID.lower()) == []


@pytest.mark.parametrize("length", [17, 19])
def test_wrong_length_is_refused(length):
    assert identity.problems((VALID * 2)[:length]) == [identity.MSG_LENGTH]


def test_letters_in_the_body_are_refused():
    assert identity.problems("1101051949123100AX") == [identity.MSG_DIGITS]


def test_wrong_check_digit_is_refused():
    assert identity.problems("110105194912310021") == [identity.MSG_CHECK]


def test_impossible_birth_date_is_refused():
    number = "11010519490230002"  # 30 February
    assert identity.MSG_BIRTH in identity.problems(number + identity.check_digit(number))


def test_unknown_province_is_refused():
    number = "99010519491231002"
    assert identity.MSG_REGION in identity.problems(number + identity.check_digit(number))


@pytest.mark.parametrize(
    ("born", "ok"),
    [(date(1949, 12, 30), False), (date(1949, 12, 31), True), (date(1950, 1, 1), False)],
)
def test_birth_date_must_match_the_number(born, ok):
    assert (identity.problems(VALID, birth_date=born) == []) is ok


def test_gender_must_match_the_number():
    [message] = identity.problems(VALID, male=True)
    assert message == identity.MSG_GENDER_MISMATCH % {"in_number": "女", "given": "男"}


def test_made_numbers_are_valid_for_both_genders():
    for male in (True, False):
        number = identity.make_number("529901", date(2000, 2, 29), 998, male=male)
        assert identity.problems(number, birth_date=date(2000, 2, 29), male=male) == []


@pytest.mark.django_db
def test_registering_a_person_with_a_mismatched_number_is_refused_and_saves_nothing():
    tree = factories.tree()
    with pytest.raises(ProcedureError) as raised:
        factories.person(tree.branches[0], born=date(1990, 3, 7), id_number=VALID)
    assert raised.value.code == "invalid"
    assert "出生日期" in raised.value.message
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person_registered").exists()


@pytest.mark.django_db
def test_registering_a_valid_person_records_an_audit_event_without_the_number():
    tree = factories.tree()
    person = factories.person(tree.branches[0])
    event = AuditEvent.objects.get(action="person_registered", stream=f"people.person:{person.pk}")
    assert person.id_number not in str(event.payload)
    assert person.standing == Person.Standing.MASSES


@pytest.mark.django_db
def test_age_counts_full_years():
    branch = factories.tree().branches[0]
    person = factories.person(branch, born=date(2008, 11, 24))
    assert person.age_on(date(2026, 11, 23)) == 17
    assert person.age_on(date(2026, 11, 24)) == 18
    assert person.age_on(date(2026, 11, 25)) == 18
    assert Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH).count() == 4
