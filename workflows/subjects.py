"""The records a procedure shows through the generic surfaces (a case, a matter, a branch's
工作手册): each procedure declares them here from its own `AppConfig.ready`, with the sections
it adds to another procedure's page; the portal, which makes every page and endpoint of
them, hears each as it is declared (and those declared before it listened)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Section = Callable[[Any, Any], dict | None]

_subjects: list[dict] = []
_sections: list[tuple[str, Section]] = []
_listeners: list[tuple[Callable[[dict], None], Callable[[str, Section], None]]] = []


def declare(*subjects: dict, sections: tuple[tuple[str, Section], ...] = ()) -> None:
    """`subjects`: each a dict of the portal's `Surface` fields (key, label, model, find,
    inputs, page, ...); `sections`: (the key of another procedure's page, a function of its
    record and the user giving a section or None)."""
    for subject in subjects:
        _subjects.append(subject)
        for on_subject, _on_section in _listeners:
            on_subject(subject)
    for key, section in sections:
        _sections.append((key, section))
        for _on_subject, on_section in _listeners:
            on_section(key, section)


def listen(on_subject: Callable[[dict], None], on_section: Callable[[str, Section], None]):
    """Hear every subject and section declared, those before first."""
    _listeners.append((on_subject, on_section))
    for subject in _subjects:
        on_subject(subject)
    for key, section in _sections:
        on_section(key, section)
