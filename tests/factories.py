"""Builders for tests: a small organisation tree and valid persons. One place for all."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from procedures.people import history, identity, services
from procedures.people.models import Membership, Organisation, Person, Position, Village
from workflows.errors import ProcedureError

_sequence = itertools.count(1)
TEST_REGION = "529902"


def id_number(born: date, *, male: bool = True) -> str:
    return identity.make_number(TEST_REGION, born, next(_sequence) * 2, male=male)


def person(
    organisation: Organisation,
    *,
    name: str | None = None,
    born=date(1990, 3, 7),
    male: bool = True,
    **extra,
) -> Person:
    number = next(_sequence)
    fields = {
        "name": name or f"测试人{number}",
        "gender": Person.Gender.MALE if male else Person.Gender.FEMALE,
        "birth_date": born,
        "id_number": identity.make_number(TEST_REGION, born, number * 2, male=male),
        "education": Person.Education.SENIOR,
        "occupation": Person.Occupation.FARMER,
        "phone": f"138{number % 100_000_000:08d}",  # eleven digits however many are made
        "organisation": organisation,
    }
    fields.update(extra)
    return services.person_register(actor=None, **fields)


def user_for(person_: Person, username: str | None = None, **extra):
    user = get_user_model().objects.create_user(
        username=username or f"user{person_.pk}", password="test-pass-123", **extra
    )
    Person.objects.filter(pk=person_.pk).update(user=user)
    person_.refresh_from_db(fields=["user"])
    user.refresh_from_db()
    return user


def hold(
    person_: Person, organisation: Organisation, title: str, *, start=date(2020, 1, 1), end=None
) -> Position:
    return services.position_assign(
        actor=None,
        person=person_,
        organisation=organisation,
        title=title,
        start_date=start,
        end_date=end,
    )


@dataclass
class Tree:
    county: Organisation
    department: Organisation
    townships: list[Organisation]
    branches: list[Organisation]  # two per township
    villages: list[Village]


def tree() -> Tree:
    """A county with 2 townships of 2 villages each."""
    create = services.organisation_create
    county = create(actor=None, name="测试县委", kind=Organisation.Kind.COUNTY_COMMITTEE)
    department = create(
        actor=None, name="测试县委组织部", kind=Organisation.Kind.ORG_DEPARTMENT, parent=county
    )
    townships, branches, villages = [], [], []
    for t in range(2):
        township = create(
            actor=None,
            name=f"测试{t}镇党委",
            kind=Organisation.Kind.TOWNSHIP_COMMITTEE,
            parent=county,
        )
        townships.append(township)
        for v in range(2):
            village = Village.objects.create(name=f"测试{t}-{v}村", township=township)
            villages.append(village)
            branch = create(
                actor=None,
                name=f"测试{t}-{v}村党支部",
                kind=Organisation.Kind.VILLAGE_BRANCH,
                parent=township,
                village=village,
            )
            branches.append(branch)
    return Tree(county, department, townships, branches, villages)


def refusal(call) -> ProcedureError:
    """The refusal `call` raises (the test fails if it goes through)."""
    with pytest.raises(ProcedureError) as raised:
        call()
    return raised.value


def word_template(*lines: str) -> bytes:
    """A county's Word template: a .docx of these paragraphs (docxtpl tags among them)."""
    import io

    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def regroup(persons, group: Organisation, *, on: date = date(2019, 12, 31)) -> None:
    """Members put into a party group of their branch (through the people service, as a
    move between its own groups): `on` is their last day outside it."""
    for member in persons:
        history.membership_move(
            actor=None, person=member, to=group, on=on, why=Membership.Reason.REGROUPED
        )


def dues_paid(branch: Organisation, member: Person, first: date, months: int, actor=None):
    """A rural member's dues of `months` months from `first`, paid in the branch."""
    from procedures.branchlife import services as dues
    from procedures.branchlife.models import DuesPayment

    return dues.dues_pay(
        actor=actor,
        branch=branch,
        payment=dues.Payment(
            member_id=member.pk,
            first_month=first,
            months=months,
            amount=f"{0.5 * months:.2f}",
            basis=DuesPayment.Basis.RURAL,
            paid_on=date(2026, 1, 10),
            note="",
        ),
    )
