"""What a branch meeting may take up from another procedure's business (议事事项): a village
matter's 民主议事 carried by a 主题党日, which then counts as that period's 党员大会 too. The
procedure whose business it is registers it here (in its `AppConfig.ready`); the branch's
records offer it, check it and name it through this registry, and keep it as a generic
relation, never importing that procedure or its tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import Organisation


@dataclass(frozen=True)
class Business:
    key: str  # the name of the input that names it ("matter")
    model: type[models.Model]
    label: str  # what it is, in Chinese ("村级事务")
    options: Callable[[Organisation], list[tuple[int, str]]]  # a branch's, newest first
    of_branch: Callable[[Organisation, int], bool]  # this one is the branch's
    title: Callable[[Any], str]


_registry: dict[str, Business] = {}


def register(business: Business) -> None:
    _registry[business.key] = business


def business(key: str) -> Business | None:
    return _registry.get(key)


def of_record(record: Any) -> Business | None:
    return next((b for b in _registry.values() if isinstance(record, b.model)), None)


def named(record: Any) -> str:
    """How a carried record is named: its kind and its title, 村级事务“修缮村道”."""
    found = of_record(record)
    return f"{found.label}“{found.title(record)}”" if found else str(record)
