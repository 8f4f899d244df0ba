"""What the engine's pipeline needs to know of the people's records (`workflows.pipeline`): a
person, an organisation and a household are subjects whose writes (a registration, a move, a
period not counted, a 党纪处分, a party standing given by a procedure's step, a plan, a new
户码) take one path: locked, checked by the service, written, audited on the subject's own
stream. None of them has steps of its own: the procedures' steps change them."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from workflows import pipeline

from .models import Household, Organisation, Person

MSG_PERSON_NOT_FOUND = gettext_noop("没有找到该人员。")
MSG_ORGANISATION_NOT_FOUND = gettext_noop("没有找到该组织。")
MSG_HOUSEHOLD_NOT_FOUND = gettext_noop("没有找到该户。")
MSG_NOT_NOW = gettext_noop("当前为“%(status)s”，现在不能办理“%(step)s”。")
MSG_FORBIDDEN = gettext_noop("“%(step)s”应由%(role)s办理。")


class _Records(pipeline.Procedure):
    # Who may write them is each service's check, refused with its own message; a service
    # holds them with `actor=None` where its caller (a procedure's step, a staff view) has
    # checked the scope.
    msg_not_now = MSG_NOT_NOW
    msg_forbidden = MSG_FORBIDDEN


class PersonRecords(_Records):
    model = Person
    not_found = ("person_not_found", MSG_PERSON_NOT_FOUND)


class OrganisationRecords(_Records):
    model = Organisation
    not_found = ("organisation_not_found", MSG_ORGANISATION_NOT_FOUND)


class HouseholdRecords(_Records):
    model = Household
    not_found = ("household_not_found", MSG_HOUSEHOLD_NOT_FOUND)


PEOPLE = PersonRecords()
ORGANISATIONS = OrganisationRecords()
HOUSEHOLDS = HouseholdRecords()
