"""Reads of organisations and people, always through the user's data scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows.audit import record_event, stream_of
from workflows.errors import NotAllowed, NotFound

from . import scopes
from .models import Organisation, Person

MSG_PERSON_NOT_FOUND = gettext_noop("没有找到该人员，或不在您的管理范围内。")
MSG_ORGANISATION_NOT_FOUND = gettext_noop("没有找到该组织，或不在您的管理范围内。")
MSG_NO_PERSONAL_DATA_PERMISSION = gettext_noop("您没有查看完整身份证号码和电话的权限。")


def persons_list(
    *,
    user,
    organisation_id: int | None = None,
    standing: str | None = None,
    query: str = "",
    among: list[int] | None = None,
) -> QuerySet[Person]:
    """The people the user sees, filtered; `among`: only these (those an import registered)."""
    persons = scopes.visible_persons(user).select_related("organisation", "household__village")
    if among is not None:
        persons = persons.filter(pk__in=among)
    if organisation_id:
        persons = persons.filter(organisation_id=organisation_id)
    if standing:
        persons = persons.filter(standing=standing)
    if query:
        persons = persons.filter(name__contains=query.strip())
    return persons.order_by("organisation__path", "name", "pk")


def person_get(*, user, pk: int) -> Person:
    person = (
        scopes.visible_persons(user)
        .select_related("organisation", "household__village")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise NotFound("person_not_found", _(MSG_PERSON_NOT_FOUND))
    return person


def person_history(person: Person) -> dict:
    """A person's history as his page shows it: his organisations over time, his periods not
    counted in 应到, his 党纪处分 (for a person already read through the user's scope)."""
    return {
        "memberships": list(
            person.memberships.select_related("organisation").order_by("starts_on", "pk")
        ),
        "not_counted": list(person.not_counted.order_by("starts_on", "pk")),
        "disciplines": list(person.disciplines.order_by("decided_on", "pk")),
    }


def person_personal_data(*, user, pk: int, reason: str = "") -> Person:
    """The explicit, authorised read of a person's full ID number and phone. Each read is
    recorded in the audit chain (who, when, why), never the data itself."""
    person = person_get(user=user, pk=pk)
    if not user.has_perm("people.view_personal_data"):
        raise NotAllowed("personal_data_forbidden", _(MSG_NO_PERSONAL_DATA_PERMISSION))
    record_event(
        stream=stream_of(person),
        action="personal_data_viewed",
        actor=user,
        payload={"reason": reason[:200]},
    )
    return person


def organisations_list(*, user) -> QuerySet[Organisation]:
    return scopes.visible_organisations(user).select_related("parent", "village")


def organisation_get(*, user, pk: int) -> Organisation:
    organisation = organisations_list(user=user).filter(pk=pk).first()
    if organisation is None:
        raise NotFound("organisation_not_found", _(MSG_ORGANISATION_NOT_FOUND))
    return organisation
