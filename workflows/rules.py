"""Rulebooks: versioned sets of rules, each with its citation, parameters and check.

A rule is data: an id, where it comes from (document, article, rulebook), its parameters, and
a predicate over facts. Checking a rule returns violations that carry the citation, so every
refusal says what is wrong and which article says so. Article texts and parameters can be
edited per rulebook in the admin (`RuleSetting`) without a code change; a *reported* rule
(from secondary sources) can be switched off there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .errors import ProcedureError
from .models import RuleSetting

MSG_UNKNOWN_RULEBOOK = gettext_noop(
    "规则集“%(key)s”不存在。请县委组织部在后台设置中从已有的规则集中选择：%(known)s。"
)


@dataclass(frozen=True)
class Citation:
    document: str
    short: str
    article: str
    rulebook: str
    reported: bool = False

    def __str__(self) -> str:
        return f"《{self.short}》{self.article}" if self.article else f"《{self.short}》"

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "article": self.article,
            "rulebook": self.rulebook,
            "reported": self.reported,
            "text": str(self),
        }


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    citation: Citation

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "citation": self.citation.as_dict()}


Predicate = Callable[..., bool]


@dataclass(frozen=True)
class Rule:
    """`predicate(params, **facts)` is True when the facts satisfy the rule. `message` is a
    Chinese template formatted with the parameters and the facts; the citation is appended."""

    id: str
    message: str
    predicate: Predicate
    document: str
    short: str
    article: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    reported: bool = False
    enabled: bool = True
    # "refuse": a broken rule stops the action. "record": the action goes ahead and the
    # breach (a deadline missed) is kept with the record and shown, with its citation.
    severity: str = "refuse"

    def citation(self, rulebook: str) -> Citation:
        return Citation(self.document, self.short, self.article, rulebook, self.reported)


class Rulebook:
    def __init__(self, key: str, title: str, rules: list[Rule]) -> None:
        self.key = key
        self.title = title
        self._rules = {rule.id: rule for rule in rules}
        if len(self._rules) != len(rules):
            raise ValueError(f"duplicate rule ids in rulebook {key}")

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self._rules

    def ids(self) -> list[str]:
        return list(self._rules)

    def base_rule(self, rule_id: str) -> Rule:
        """The rule as the code declares it, before any admin setting."""
        return self._rules[rule_id]

    def rule(self, rule_id: str) -> Rule:
        """The rule as this rulebook applies it today: code defaults, then admin settings."""
        base = self._rules[rule_id]
        setting = _settings.get(self.key).get(rule_id)
        if setting is None:
            return base
        article, params, enabled = setting
        return replace(
            base,
            article=article or base.article,
            params={**base.params, **params},
            enabled=enabled,
        )

    def citation(self, rule_id: str) -> Citation:
        return self.rule(rule_id).citation(self.key)

    def param(self, rule_id: str, name: str) -> Any:
        return self.rule(rule_id).params[name]

    def check(self, rule_id: str, **facts: Any) -> list[Violation]:
        rule = self.rule(rule_id)
        if not rule.enabled or rule.predicate(rule.params, **facts):
            return []
        citation = rule.citation(self.key)
        text = rule.message.format_map({**rule.params, **facts})
        return [Violation(rule.id, f"{text}（{citation}）", citation)]

    def require(self, *checks: list[Violation]) -> list[Violation]:
        """Raise one refusal carrying every refusing violation found by the given checks;
        return the violations that are only to be recorded (missed deadlines)."""
        found = [violation for batch in checks for violation in batch]
        refusing = [v for v in found if self._rules[v.code].severity == "refuse"]
        if refusing:
            raise ProcedureError.from_violations(refusing)
        return [v for v in found if v not in refusing]


class _SettingsCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._books: dict[str, tuple[float, dict[str, tuple[str, dict, bool]]]] = {}

    def get(self, rulebook: str) -> dict[str, tuple[str, dict, bool]]:
        now = time.monotonic()
        cached = self._books.get(rulebook)
        if cached is not None and now - cached[0] < settings.JICENG_CALENDAR_CACHE_SECONDS:
            return cached[1]

        loaded = {
            row.rule_id: (row.article, row.params or {}, row.enabled)
            for row in RuleSetting.objects.filter(rulebook=rulebook)
        }
        with self._lock:
            self._books[rulebook] = (now, loaded)
        return loaded

    def clear(self) -> None:
        with self._lock:
            self._books.clear()


_settings = _SettingsCache()
_registry: dict[str, Rulebook] = {}


def clear_cache() -> None:
    _settings.clear()


def register(rulebook: Rulebook) -> Rulebook:
    _registry[rulebook.key] = rulebook
    return rulebook


def get_rulebook(key: str) -> Rulebook:
    """The rulebook registered under `key`. An unknown key (a setting typed by hand, an
    import, an API body) is a refusal that names the known ones, never a crash."""
    rulebook = _registry.get(key)
    if rulebook is None:
        raise ProcedureError(
            "unknown_rulebook",
            _(MSG_UNKNOWN_RULEBOOK) % {"key": str(key)[:40], "known": "、".join(_registry)},
        )
    return rulebook


def rulebooks() -> dict[str, Rulebook]:
    return dict(_registry)
