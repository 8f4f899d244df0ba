"""A printed form as a page the portal prints (portal.documents: A4 PDF, or Word through a
county's template): title, facts, paragraphs, sections of rows. The pieces every procedure's
forms are made of: what the records hold is written in, the rest left blank for a hand."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

BLANK = "　" * 6  # a space to write in by hand


def text(value) -> str:
    if value is None or value == "":
        return BLANK
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def fact(label: str, value) -> dict:
    return {"label": label, "text": text(value), "url": ""}


def cells(*values) -> list[dict]:
    return [{"text": text(value), "url": ""} for value in values]


def section(title: str, columns: list[str], rows: list[list], note: str = "") -> dict:
    return {"title": title, "note": note, "columns": columns, "rows": [cells(*r) for r in rows]}


def signatures(*who: str) -> dict:
    return section(
        "签字盖章",
        ["", "意见", "签字（盖章）", "日期"],
        [[name, "", "", "　　年　　月　　日"] for name in who],
    )


@dataclass(frozen=True)
class Document:
    """A named document a procedure prints from one of its records (a 介绍信, a form): its
    title, the page it builds from the record, and when it may not be printed yet (the
    refusal's text, or "" when it may). A procedure declares its records' documents with
    their subject (`workflows.subjects`: "documents": {name: Document}); the portal prints
    them (A4 PDF, or Word through the county's template for "<subject key>-<name>")."""

    title: str
    build: Callable[[Any, Any], dict]  # (record, user) -> the page
    refusal: Callable[[Any, Any], str] = lambda subject, user: ""  # (record, user) -> why not
    # Listed with the record's page's own print links (False: its page links it elsewhere,
    # a case's forms in its file's checklist).
    listed: bool = True
    # The county's Word template's key, where it is not "<subject key>-<name>" (a name
    # counties' uploaded templates already carry).
    template_key: str = ""
