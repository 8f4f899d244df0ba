"""A transfer through the generic surfaces: the branch proposes on its 组织关系转接 page, the
township issues through the one API step endpoint, the receiving township finds it in its
工作台 and on its desk and accepts it on the transfer's page; a branch on neither side finds
nothing; the receiving side reads the letter's fields, never an ID number in full."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from procedures.transfers import services
from procedures.transfers.models import Transfer
from procedures.transfers.steps import Status
from workflows.audit import events_of, stream_of

from .sides import member, proposed, sides

pytestmark = pytest.mark.django_db


def test_a_transfer_is_proposed_issued_and_accepted_through_the_generic_pages(client):
    s = sides()
    person = member(s)
    today = timezone.localdate()
    desk = reverse("staff:subject", args=["transfer-desks", s.from_branch.pk])
    client.force_login(s.w.secretary)
    assert "提出转接" in client.get(desk).content.decode()
    propose = reverse("staff:subject_step", args=["transfer-desks", s.from_branch.pk, "propose"])
    form = client.get(propose).content.decode()
    assert person.name in form and s.to_branch.name in form  # offered among its members
    blank = client.post(
        propose, {"member": person.pk, "to_branch": s.to_branch.pk, "reason": " "}, follow=True
    ).content.decode()
    assert "请填写转接原因" in blank and not Transfer.objects.exists()
    client.post(
        propose,
        {"member": person.pk, "to_branch": s.to_branch.pk, "reason": "外出务工"},
        follow=True,
    )
    transfer = Transfer.objects.get()
    assert transfer.status == Status.PROPOSED

    client.force_login(s.w.organiser)
    issue = reverse("api:subject_step", args=["transfers", transfer.pk, "issue"])
    bad = client.post(issue, {"dues_paid_to": "2026年11月"}, content_type="application/json")
    assert bad.status_code == 400 and "年-月" in bad.json()["message"]
    done = client.post(
        issue,
        {"dues_paid_to": f"{today:%Y-%m}", "valid_days": 5},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == Status.ISSUED

    client.force_login(s.to_organiser)
    home = client.get(reverse("staff:home")).content.decode()
    assert f"接收{person.name}的组织关系" in home  # due this week: in his 工作台
    assert "组织关系转接" in home  # and his desk among its entries
    incoming = client.get(
        reverse("staff:subject", args=["transfer-desks", s.to_branch.parent_id])
    ).content.decode()
    assert person.name in incoming and "待接收" in incoming
    page = client.get(reverse("staff:subject", args=["transfers", transfer.pk])).content.decode()
    assert "伍天" in page and person.masked_id_number in page
    assert person.id_number not in page
    accept = reverse("staff:subject_step", args=["transfers", transfer.pk, "accept"])
    client.post(accept, {"on": f"{today:%Y-%m-%d}"}, follow=True)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.accepted_on) == (Status.ACCEPTED, today)
    assert transfer.valid_until == today + timedelta(days=4)

    client.force_login(s.bystander)
    assert client.get(reverse("staff:subject", args=["transfers", transfer.pk])).status_code == 404
    api = client.get(reverse("api:subject", args=["transfers", transfer.pk]))
    assert api.status_code == 404


def _docx_text(body: bytes) -> str:
    document = docx.Document(io.BytesIO(body))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_letter_prints_in_three_parts_for_the_sending_side_only(client):
    s = sides()
    person = member(s)
    letter = lambda t, fmt: reverse(
        "staff:subject_named_document", args=["transfers", t.pk, "letter", fmt]
    )
    transfer = proposed(s, person, timezone.localdate())
    client.force_login(s.w.organiser)
    page = reverse("staff:subject", args=["transfers", transfer.pk])
    assert letter(transfer, "pdf") not in client.get(page).content.decode()  # not yet
    early = client.get(letter(transfer, "pdf"), follow=True).content.decode()
    assert "介绍信开具后才能打印" in early
    transfer = services.transfer_issue(
        transfer_id=transfer.pk,
        actor=s.w.organiser,
        on=timezone.localdate(),
        valid_days=None,
        dues_paid_to=timezone.localdate(),
    )
    pdf = client.get(letter(transfer, "pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    word = client.get(letter(transfer, "docx"))
    content = _docx_text(word.content)
    for part in ("第一联　存根", "第二联　介绍信", "第三联　回执", "有效期叁拾天", "请接洽"):
        assert part in content, part
    # The organiser may not read full ID numbers: masked, and no access recorded.
    assert person.masked_id_number in content and person.id_number not in content
    # One who may read it prints it whole, and the read is on the person's stream.
    personal = Permission.objects.get(codename="view_personal_data")
    s.w.organiser.user_permissions.add(personal)
    client.force_login(get_user_model().objects.get(pk=s.w.organiser.pk))
    whole = _docx_text(client.get(letter(transfer, "docx")).content)
    assert person.id_number in whole
    assert [e.action for e in events_of(stream_of(person))].count("personal_data_viewed") == 1
    assert letter(transfer, "pdf") in client.get(page).content.decode()
    # The receiving side keeps the original it receives: it prints none, nor is offered it.
    client.force_login(s.to_organiser)
    assert letter(transfer, "pdf") not in client.get(page).content.decode()
    refused = client.get(letter(transfer, "pdf"), follow=True).content.decode()
    assert "由转出地党委开具和打印" in refused
    assert client.get(letter(transfer, "xlsx")).status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"dues_paid_to": "2026-\x0011"}, 400),  # a NUL byte
        ({"dues_paid_to": "2" * 11}, 400),  # longer than the field's ten
        ({"dues_paid_to": "2026-11", "valid_days": "三十"}, 400),  # no number
        ({"dues_paid_to": "2026-11", "valid_days": 367}, 400),  # beyond its bound
        ({"dues_paid_to": ["2026-11"]}, 400),  # a list for a text
    ],
)
def test_bad_bodies_are_a_chinese_400_and_write_nothing(client, body, status):
    s = sides()
    transfer = proposed(s, member(s), timezone.localdate())
    client.force_login(s.w.organiser)
    url = reverse("api:subject_step", args=["transfers", transfer.pk, "issue"])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == status, response.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])
    transfer.refresh_from_db()
    assert (transfer.status, transfer.letter_number) == (Status.PROPOSED, None)


def test_a_proposal_with_a_nul_or_an_overlong_reason_is_refused(client):
    s = sides()
    person = member(s)
    client.force_login(s.w.secretary)
    url = reverse("api:subject_step", args=["transfer-desks", s.from_branch.pk, "propose"])
    for reason in ("外出\x00务工", "理" * 301):
        body = {"member": person.pk, "to_branch": s.to_branch.pk, "reason": reason}
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400, response.content
        assert person.name not in response.content.decode()
    assert not Transfer.objects.exists()
