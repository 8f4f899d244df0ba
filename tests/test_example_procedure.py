"""The recipe of docs/procedures.md, proven: the example procedure (群众来信,
tests/example_procedure/) is its own package and one line in INSTALLED_APPS
(config/settings/test.py), and every surface takes it: its page with its forms, the one
staff and API step endpoints with their refusals, the schema, reminders' links and the
工作台's count of work, the audit chain, the engine's corrections (抄送), the printed
page, and the start-up check that holds its transitions to its step records."""

from __future__ import annotations

import dataclasses
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications import links
from portal.documents import spreadsheets
from procedures.people.roles import Role
from workflows.audit import events_of, stream_of, verify_chain
from workflows.models import AuditEvent

from .example_procedure import services, steps
from .example_procedure.models import Letter
from .example_procedure.steps import Status
from .procedures.membership.walk import world

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _letter(w) -> Letter:
    return services.letter_receive(
        actor=w.secretary,
        branch=w.branch,
        title="村东排水沟堵塞",
        received_on=timezone.localdate() - timedelta(days=3),
    )


def test_nothing_outside_its_package_names_it_but_its_installed_apps_line():
    code = ("config", "workflows", "procedures", "notifications", "portal", "fixtures")
    naming = sorted(
        str(path.relative_to(ROOT))
        for top in code
        for path in (ROOT / top).rglob("*")
        if path.suffix in (".py", ".html", ".txt", ".toml")
        and "example_procedure" in path.read_text(encoding="utf-8")
    )
    assert naming == ["config/settings/test.py"]
    own = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/example_procedure").rglob("*.py"))
    assert own == [
        f"tests/example_procedure/{name}"
        for name in (
            "__init__.py",
            "apps.py",
            "checks.py",
            "declaration.py",
            "migrations/0001_initial.py",
            "migrations/__init__.py",
            "models.py",
            "pages.py",
            "policy.py",
            "services.py",
            "steps.py",
            "subjects.py",
        )
    ]


def test_its_page_offers_its_steps_and_takes_them_through_the_one_staff_endpoint(client):
    w = world()
    letter = _letter(w)
    client.force_login(w.secretary)
    page = client.get(reverse("staff:subject", args=["letters", letter.pk])).content.decode()
    assert "村东排水沟堵塞 · 已登记" in page and "答复来信" in page
    answer = reverse("staff:subject_step", args=["letters", letter.pk, "answer"])
    assert f'action="{answer}"' in page  # the form on the page itself
    assert "审核办结" not in page  # the township's step: not offered to the branch
    blank = client.post(answer, {"reply": "  "}, follow=True).content.decode()
    assert "请填写答复内容" in blank and Letter.objects.get().status == Status.RECEIVED
    done = client.post(answer, {"reply": "已组织疏通"}, follow=True).content.decode()
    assert "已办理：答复来信" in done and "已组织疏通" in done
    assert Letter.objects.get().status == Status.ANSWERED


def test_the_one_api_endpoint_takes_its_steps_and_refuses_in_chinese(client):
    w = world()
    letter = _letter(w)
    services.letter_answer(
        letter_id=letter.pk, actor=w.secretary, on=timezone.localdate(), reply="已组织疏通"
    )
    url = reverse("api:subject_step", args=["letters", letter.pk, "close"])
    client.force_login(w.secretary)
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "step_forbidden"
    assert "乡镇党委或县委" in refused.json()["message"]
    client.force_login(w.organiser)
    read = client.get(reverse("api:subject", args=["letters", letter.pk])).json()
    assert [o["step"] for o in read["offered"]] == ["close", "copy"]
    closed = client.post(url, {}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == Status.CLOSED
    client.force_login(w.other_secretary)  # another branch's: no such letter for him
    assert client.get(reverse("api:subject", args=["letters", letter.pk])).status_code == 404


def test_the_schema_lists_each_of_its_steps_with_its_body(client):
    w = world()
    client.force_login(w.organiser)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    body = schema["paths"]["/api/s/letters/{id}/steps/answer/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/LetterAnswerInput")
    assert set(schema["components"]["schemas"]["LetterAnswerInput"]["properties"]) == {
        "on",
        "reply",
    }
    assert "/api/s/letters/{id}/steps/copy/" in schema["paths"]


def test_reminders_link_its_page_and_the_workbench_counts_its_work():
    w = world()
    letter = _letter(w)
    kind = ContentType.objects.get_for_model(Letter)
    assert links.link(kind.pk, letter.pk) == reverse("staff:subject", args=["letters", letter.pk])
    assert "群众来信" in links.kinds() and links.kind_of(kind.pk) == "群众来信"


def test_its_acts_and_its_copy_are_on_the_audit_chain(client):
    w = world()
    letter = _letter(w)
    services.letter_answer(
        letter_id=letter.pk, actor=w.secretary, on=timezone.localdate(), reply="已组织疏通"
    )
    client.force_login(w.organiser)
    copied = client.post(
        reverse("api:subject_step", args=["letters", letter.pk, "copy"]),
        {"users": [w.county.pk], "note": "请县委组织部知悉"},
        content_type="application/json",
    )
    assert copied.status_code in (200, 201), copied.content
    events = events_of(stream_of(letter))
    assert [e.action for e in events] == ["receive", "answer", "copy"]
    assert events[1].payload["reply"] == "已组织疏通"
    assert verify_chain(stream=stream_of(letter)) == []
    assert AuditEvent.objects.filter(stream=stream_of(letter)).count() == 3


def test_its_page_prints(client):
    w = world()
    letter = _letter(w)
    client.force_login(w.secretary)
    printed = client.get(reverse("staff:subject_document", args=["letters", letter.pk, "pdf"]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert b"".join(printed.streaming_content if printed.streaming else [printed.content])[:5] == (
        b"%PDF-"
    )


def test_its_page_is_a_workbook_its_facts_and_record_as_text(client):
    """The generic workbook surface: the page's facts a sheet, each section a sheet, every
    value as text (a reply that looks like a formula stays text); out of scope: not found."""
    w = world()
    letter = _letter(w)
    client.force_login(w.secretary)
    reply = '=HYPERLINK("http://x","点此")'
    client.post(
        reverse("staff:subject_step", args=["letters", letter.pk, "answer"]), {"reply": reply}
    )
    url = reverse("staff:subject_document", args=["letters", letter.pk, "xlsx"])
    got = client.get(url)
    assert got.status_code == 200
    assert got["Content-Type"] == spreadsheets.XLSX
    assert got["Content-Disposition"].endswith("%E5%B7%B2%E7%AD%94%E5%A4%8D.xlsx")  # 已答复
    book = load_workbook(io.BytesIO(got.content))
    assert book.sheetnames == ["基本情况", "全程纪实"]
    facts = {row[0]: row[1] for row in book["基本情况"].iter_rows(min_row=3, values_only=True)}
    assert facts["党支部"] == w.branch.name and facts["答复内容"] == reply
    answer_cell = next(
        cell for row in book["基本情况"].iter_rows(min_row=3) for cell in row if cell.value == reply
    )
    assert answer_cell.data_type == "s"  # text, never a formula
    record = list(book["全程纪实"].iter_rows(min_row=2, values_only=True))
    assert record[0] == ("日期", "办理", "经办人")
    assert [row[1] for row in record[1:]] == ["receive", "answer"]
    client.force_login(w.other_secretary)
    assert client.get(url).status_code == 404
    # A named form is printed, never a sheet.
    assert client.get(url.replace(".xlsx", ".csv")).status_code == 404


def test_manage_py_check_fails_naming_its_step_whose_role_disagrees(monkeypatch):
    call_command("check")  # passes as it stands
    close = steps.BOOK.by_code["close"]
    monkeypatch.setitem(steps.BOOK.by_code, "close", dataclasses.replace(close, role=Role.BRANCH))
    with pytest.raises(SystemCheckError) as failed:
        call_command("check")
    assert "example_procedure.E003" in str(failed.value)
    assert "步骤“审核办结”（close）" in str(failed.value)
