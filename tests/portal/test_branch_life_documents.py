"""The printed 《党支部工作手册》: an A4 PDF with Chinese glyphs and a Word file from the county's
template, both read from the records, every line linking to its record; a template that
does not render is refused in the admin with what failed."""

from __future__ import annotations

import io
import re
from datetime import date

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import documents
from portal.models import DocumentTemplate
from procedures.branchlife import services
from procedures.branchlife.steps import Kind
from procedures.village.models import Matter
from tests.factories import word_template

from ..procedures.membership.walk import world
from ..procedures.village.world import advance, register, village_world

pytestmark = pytest.mark.django_db


def _hold(w, kind=Kind.THEME_DAY):
    return services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=kind,
        minutes=services.Minutes(
            held_on=date(2026, 11, 12),
            topic="主题党日：学习和志愿服务",
            summary="集中学习，清扫村道。",
            place="村党群服务中心",
            chair_id=w.members[0].pk,
            present_ids=[m.pk for m in w.members[:6]],
        ),
    )


def _document(client, w, fmt: str):
    url = reverse("staff:subject_document", args=["branch-life", w.branch.pk, fmt])
    return client.get(url + "?year=2026")


def test_the_printed_handbook_is_a4_with_chinese_glyphs_and_links_to_each_record(client):
    w = world()
    meeting = _hold(w)
    client.force_login(w.secretary)
    response = _document(client, w, "pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(response.content)
    first = pdf[0]
    assert (round(first.get_width()), round(first.get_height())) == (595, 842)  # A4
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "党支部工作手册（2026年）" in text and "主题党日：学习和志愿服务" in text
    assert "本文件字体" not in text  # in the file's properties, not on paper
    assert pdf.get_metadata_dict()["Subject"].startswith("本文件字体：")
    image = first.render(scale=1).to_pil().convert("L")
    dark = sum(1 for value in image.get_flattened_data() if value < 128)
    assert dark > 0.002 * image.width * image.height  # glyphs drawn, not empty boxes
    record_url = reverse("staff:subject", args=["branch-meetings", meeting.pk])
    assert f"http://testserver{record_url}".encode() in response.content  # the line's link


def test_the_handbook_s_general_meeting_line_comes_from_the_village_matter(client):
    """A 党员大会 recorded once, as a village matter's 审议: in the matter, in the ledger and
    in the printed handbook, each linking to the matter."""
    w = village_world()
    matter = advance(w, register(w), until="resolve")
    client.force_login(w.secretary_user)
    branch = matter.village.organisations.get(kind="village_branch")
    year = Matter.objects.get(pk=matter.pk).meetings.get(step="deliberate").held_on.year
    url = reverse("staff:subject_document", args=["branch-life", branch.pk, "pdf"])
    response = client.get(f"{url}?year={year}")
    text = "".join(
        page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(response.content)
    )
    assert "审议" in text and matter.title in text
    matter_url = reverse("staff:subject", args=["matters", matter.pk])
    assert f"http://testserver{matter_url}".encode() in response.content


def test_the_word_file_reads_the_same_records_with_their_links(client):
    from docx import Document

    w = world()
    meeting = _hold(w)
    client.force_login(w.secretary)
    response = _document(client, w, "docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "党支部工作手册（2026年）" in text and "完成情况（凡评必审）" in text
    assert "主题党日：学习和志愿服务" in cells
    links = {rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    assert f"http://testserver{reverse('staff:subject', args=['branch-meetings', meeting.pk])}" in (
        links
    )


def test_a_county_s_template_restyles_the_word_file_and_a_broken_one_is_refused(admin_client):
    from portal.admin import DocumentTemplateForm

    broken = DocumentTemplateForm(
        data={"key": "branch-life", "active": True},
        files={"upload": SimpleUploadedFile("t.docx", word_template("{{ title }"))},
    )
    assert not broken.is_valid()
    assert "文书模板有误" in str(broken.errors["upload"])
    unknown = DocumentTemplateForm(
        data={"key": "branch-life", "active": True},
        files={"upload": SimpleUploadedFile("t.docx", word_template("{{ title.nothing.here }}"))},
    )
    assert not unknown.is_valid() and "文书模板有误" in str(unknown.errors["upload"])
    assert not DocumentTemplate.objects.exists()
    good = DocumentTemplateForm(
        data={"key": "branch-life", "active": True},
        files={
            "upload": SimpleUploadedFile(
                "county.docx", word_template("县委组织部印制：{{ title }}")
            )
        },
    )
    assert good.is_valid(), good.errors
    good.save()
    w = world()
    from docx import Document

    client = admin_client
    response = client.get(
        reverse("staff:subject_document", args=["branch-life", w.branch.pk, "docx"])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert re.search(r"县委组织部印制：.*党支部工作手册", text)


def test_the_default_template_renders_a_page_without_records():
    body = documents.page_docx(
        {"title": "空手册", "facts": [], "sections": []}, base_url="http://localhost"
    )
    assert body.startswith(b"PK")
