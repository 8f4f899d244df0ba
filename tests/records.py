"""What the step-record walks look for: every value a record, its rows and its audit events
hold, as strings (tests/procedures/*/test_step_records.py)."""

from __future__ import annotations


def flatten(value, into: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            into.add(str(key))
            flatten(item, into)
    elif isinstance(value, list | tuple | set):
        for item in value:
            flatten(item, into)
    elif hasattr(value, "pk"):
        into.add(str(value.pk))
    else:
        into.add(str(value))
    return into
