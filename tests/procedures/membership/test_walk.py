import pytest

from procedures.membership.rulebooks import CPC_2014, CPC_2026
from procedures.membership.steps import Status, Variant
from procedures.people.models import Person
from workflows.audit import verify_chain

from .walk import walk, world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rulebook", [CPC_2014, CPC_2026])
@pytest.mark.parametrize("variant", [Variant.STANDARD, Variant.LOCAL])
def test_a_case_walks_from_application_to_archive(rulebook, variant):
    w = world(rulebook=rulebook, variant=variant)
    case = walk(w)
    assert case.status == Status.ARCHIVED
    person = Person.objects.get(pk=w.applicant.pk)
    assert person.standing == Person.Standing.FULL
    assert person.full_member_since == case.probation_ends_on == case.converted_on
    assert verify_chain() == []
