"""Parsing a step's input and performing it, shared by the member development and village
matter steps, and by the API and the staff pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework import serializers

from workflows.errors import ProcedureError

Inputs = dict[str, tuple[type[serializers.Serializer], Any]]

# Bounds of every number a form or body takes: a database key, and a count of people.
MAX_ID = 2**31 - 1
MAX_COUNT = 100_000


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def count_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, **kwargs)


class _DryRun(Exception):
    """Raised to roll back a checked step."""


def run(inputs: Inputs, subject, step: str, actor, data, *, check_only: bool = False):
    """Parse `data` for `step` and perform it; with `check_only`, run every check and roll
    everything back (the staff forms use it to show a broken rule before submitting)."""
    serializer_class, call = inputs[step]
    parsed = serializer_class(data=data)
    if not parsed.is_valid():
        raise invalid_input(parsed)
    if not check_only:
        return call(subject, actor, parsed.validated_data)
    try:
        with transaction.atomic():
            call(subject, actor, parsed.validated_data)
            raise _DryRun
    except _DryRun:
        pass
    return subject


def invalid_input(parsed: serializers.Serializer) -> ProcedureError:
    """A refusal naming the first bad field, in Chinese, with every field's errors attached."""
    labels = {name: str(field.label or name) for name, field in parsed.fields.items()}
    name, errors = next(iter(parsed.errors.items()))
    first = errors[0] if isinstance(errors, list) else errors
    return ProcedureError(
        "invalid",
        f"填写的内容有误：{labels.get(name, name)}：{first}",
        extra={"fields": parsed.errors},
    )


# A meeting's written opinions (书面意见) of members who could not attend, on a plain form:
# one list of members per vote, gathered into the {person id: vote} the step takes.
WRITTEN_VOTES = (
    ("yes", "书面意见：同意（未到会党员）"),
    ("no", "书面意见：不同意（未到会党员）"),
    ("abstain", "书面意见：弃权（未到会党员）"),
)


def form_data(request, serializer_class: type[serializers.Serializer]) -> dict:
    """An HTML form's values shaped as the step's input: lists where it takes lists, an
    unticked checkbox as False, empty optional fields left out."""
    data = {}
    for name, field in serializer_class().fields.items():
        if name == "written" and isinstance(field, serializers.DictField):
            written: dict[str, str] = {}
            for vote, _label in WRITTEN_VOTES:
                for person_id in request.POST.getlist(f"written_{vote}"):
                    if person_id in written:  # one member, two opinions: refused below
                        written[person_id] = "conflict"
                    else:
                        written[person_id] = vote
            data[name] = written
        elif isinstance(field, serializers.ListField):
            data[name] = request.POST.getlist(name)
        elif isinstance(field, serializers.BooleanField):
            data[name] = request.POST.get(name) == "on"
        elif isinstance(field, serializers.DateField) and name in request.POST:
            # A date the browser could not read arrives empty: it is refused like any
            # unreadable date, never silently taken as today (the field's API default).
            value = request.POST[name]
            data[name] = None if value == "" and field.allow_null else value
        elif request.POST.get(name, "") != "":
            data[name] = request.POST[name]
    return data
