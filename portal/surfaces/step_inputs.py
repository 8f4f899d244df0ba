"""The one adapter between a procedure's declared steps (workflows.inputs) and the portal's
surfaces: the API body (a DRF serializer built from the declaration, which the OpenAPI schema
describes), the staff form (its fields and their options) and the form's parsing, and the
performing of a step (or only checking it, for the form's live hints)."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from rest_framework import serializers

from workflows.errors import ProcedureError
from workflows.inputs import MAX_COUNT, MAX_ID, TODAY, Field, Kind, StepInput

from .params import positive_int

Inputs = dict[str, tuple[type[serializers.Serializer], Any]]


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def count_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT, **kwargs)


# The API body: a serializer per declared step.


def _optional(field: Field) -> dict:
    return {} if field.required else {"required": False, "default": field.default}


def _drf_field(field: Field) -> serializers.Field:
    label = field.label
    if field.kind == Kind.DATE:
        if field.default is TODAY:
            return serializers.DateField(default=timezone.localdate, label=label)
        if not field.required:
            return serializers.DateField(required=False, allow_null=True, default=None, label=label)
        return serializers.DateField(label=label)
    if field.kind == Kind.TEXT:
        return serializers.CharField(
            max_length=field.max_length, allow_blank=field.blank, label=label, **_optional(field)
        )
    if field.kind == Kind.NUMBER:
        nullable = {"allow_null": True} if not field.required and field.default is None else {}
        return serializers.IntegerField(
            min_value=0, max_value=field.maximum, label=label, **nullable, **_optional(field)
        )
    if field.kind == Kind.ID:
        if not field.required:
            return id_field(label=label, required=False, allow_null=True, default=None)
        return id_field(label=label)
    if field.kind == Kind.IDS:
        optional = {} if field.required else {"required": False, "default": list}
        return serializers.ListField(
            child=id_field(), max_length=field.max_length, label=label, **optional
        )
    if field.kind == Kind.FLAG:
        return serializers.BooleanField(label=label, **_optional(field))
    if field.kind == Kind.CHOICE:
        errors = {"invalid_choice": field.invalid_choice} if field.invalid_choice else {}
        return serializers.ChoiceField(
            choices=field.choices, label=label, error_messages=errors, **_optional(field)
        )
    if field.kind == Kind.CHOICES:
        return serializers.ListField(
            child=serializers.ChoiceField(choices=field.choices),
            max_length=field.max_length,
            label=label,
        )
    if field.kind == Kind.VOTES:
        return serializers.DictField(
            child=serializers.ChoiceField(choices=[vote for vote, _label in field.choices]),
            required=False,
            default=dict,
            label=label,
        )
    if field.kind == Kind.FILES:
        return serializers.ListField(
            child=serializers.FileField(allow_empty_file=False, max_length=200),
            max_length=field.max_length,
            required=False,
            default=list,
            label=label,
        )
    raise ValueError(f"no API field for {field.kind}")


def _votes_validator(field: Field):
    def validate(self, value: dict) -> dict:
        if len(value) > field.max_length or any(positive_int(str(k)) is None for k in value):
            raise serializers.ValidationError(
                field.invalid_choice or f"{field.label}应按编号填写。"
            )
        return value

    return validate


@functools.cache
def serializer_for(prefix: str, declared: StepInput) -> type[serializers.Serializer]:
    """The step's body as a serializer, named for the schema (e.g. CaseTalkInput)."""
    attrs: dict[str, Any] = {field.name: _drf_field(field) for field in declared.fields}
    for field in declared.fields:
        if field.kind == Kind.VOTES:
            attrs[f"validate_{field.name}"] = _votes_validator(field)
    camel = "".join(part.capitalize() for part in declared.code.split("_"))
    name = f"{prefix}{camel}Input"
    attrs["__module__"] = __name__
    attrs["__qualname__"] = name
    return type(name, (serializers.Serializer,), attrs)


def table(prefix: str, declared: dict[str, StepInput]) -> Inputs:
    """A procedure's steps as {code: (body serializer, perform)}."""
    return {code: (serializer_for(prefix, step), step.perform) for code, step in declared.items()}


# Performing a step.


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
    return ProcedureError(
        "invalid",
        f"填写的内容有误：{labels.get(name, name)}：{first_message(errors)}",
        extra={"fields": parsed.errors},
    )


def first_message(errors) -> str:
    """The first message of a field's errors, however nested (a list field's errors come as
    {index: [message]}): text, never a repr."""
    while isinstance(errors, dict | list | tuple) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors)


# The staff form.


def form_fields(declared: StepInput, subject, *, earliest: date | None = None) -> list[dict]:
    """The step's fields for a plain HTML form (no JavaScript needed to submit): each with
    its input type, its bounds, and the options a record field may pick."""
    today = timezone.localdate()
    described = []
    for field in declared.fields:
        if field.kind == Kind.VOTES:  # one row per person, one box per vote
            described.append(
                {
                    "name": field.name,
                    "label": field.label,
                    "type": "votes",
                    "options": field.options(subject, today) if field.options else [],
                    "choices": list(field.choices),
                }
            )
            continue
        item = {"name": field.name, "label": field.label, "required": field.required}
        if field.kind == Kind.DATE and field.future:
            item.update(type="date", value="", min=today.isoformat())
        elif field.kind == Kind.DATE:
            prefilled = field.required or field.default is TODAY
            item.update(
                type="date",
                value=today.isoformat() if prefilled else "",
                max=today.isoformat(),
                min=earliest.isoformat() if earliest and earliest <= today else "",
            )
        elif field.kind == Kind.FLAG:
            item.update(type="checkbox", checked=field.required or bool(field.default))
        elif field.kind in (Kind.CHOICE, Kind.CHOICES):
            kind = "select" if field.kind == Kind.CHOICE else "multi"
            offered = field.options(subject, today) if field.options else field.choices
            item.update(type=kind, options=list(offered))
        elif field.kind in (Kind.ID, Kind.IDS) and field.options:
            kind = "select" if field.kind == Kind.ID else "multi"
            item.update(type=kind, options=field.options(subject, today), quorum=field.quorum)
        elif field.kind in (Kind.NUMBER, Kind.ID):
            item.update(type="number", min=0)
        elif field.kind == Kind.FILES:
            item.update(type="files", accept=".pdf,.jpg,.jpeg,.png")
        else:
            item.update(type="text", maxlength=field.max_length or 300)
        described.append(item)
    return described


def form_data(request, serializer_class: type[serializers.Serializer]) -> dict:
    """An HTML form's values shaped as the step's input: lists where it takes lists, an
    unticked checkbox as False, empty optional fields left out, written votes gathered."""
    data = {}
    for name, field in serializer_class().fields.items():
        if isinstance(field, serializers.DictField):  # written votes: one list per vote
            votes: dict[str, str] = {}
            for vote in field.child.choices:
                for person_id in request.POST.getlist(f"{name}_{vote}"):
                    # One person, two votes: kept as a conflict, refused by the parser.
                    votes[person_id] = "conflict" if person_id in votes else vote
            data[name] = votes
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.FileField
        ):
            data[name] = request.FILES.getlist(name)
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
