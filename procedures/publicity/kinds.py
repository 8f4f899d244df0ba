"""What each kind of notice may show: a whitelist of public fields, and its default period.
The kinds are registered by the procedures that post them (membership/notice_kinds.py,
village/notice_kinds.py), each with who verifies the concerns raised on it.

Nothing else reaches a public page: a field that is not listed is refused when the notice is
drafted, and no value may contain a resident ID number or a phone number. Periods are the
defaults of the kind; a procedure's rulebook may pass its own when it drafts the notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.notices import Period


@dataclass(frozen=True)
class NoticeKind:
    key: str
    label: str
    fields: tuple[tuple[str, str], ...]  # (key, label) in display order
    period: Period
    body: str  # the standing text of the notice: what it is for and how to raise a concern
    # Who verifies the concerns raised on it, and is reminded when they stay open at its
    # close: the township (or above) for every kind so far; never the village that posts it.
    verifier: str = "township"

    def labels(self) -> dict[str, str]:
        return dict(self.fields)


_REGISTRY: dict[str, NoticeKind] = {}
# Every registered kind, by key: the procedures register theirs when their app is ready.
KINDS = _REGISTRY


def register(*kinds: NoticeKind) -> None:
    """A procedure registers the notices it posts (at its app's start)."""
    for kind in kinds:
        _REGISTRY[kind.key] = kind


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def person_fields(kind: str, person, organisation_name: str, **facts) -> dict[str, str]:
    """A person's public facts for a notice of `kind`: only what the kind whitelists; dates
    written the Chinese way. Never the ID number, phone or address (not whitelisted)."""
    fields = {
        "name": person.name,
        "gender": person.get_gender_display(),
        "birth_month": f"{person.birth_date.year}年{person.birth_date.month}月",
        "ethnicity": person.ethnicity,
        "education": person.get_education_display(),
        "occupation": person.get_occupation_display(),
        "branch": organisation_name,
    }
    for key, value in facts.items():
        fields[key] = chinese_date(value) if hasattr(value, "year") else value
    allowed = KINDS[kind].labels()
    return {key: value for key, value in fields.items() if value and key in allowed}
