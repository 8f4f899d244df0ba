"""The named forms of member development, filled from a case's records: each as an A4 PDF (its
text extracted, its first page drawn with Chinese glyphs) and as Word (read back), linked from
the case's checklist once its step allows; a county's template is used for the next one, a
broken template is a message."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from django.urls import reverse
from docx import Document

from portal.models import DocumentTemplate
from procedures.membership.forms import FORMS
from tests.factories import word_template

from ..procedures.membership.walk import walk, world

pytestmark = pytest.mark.django_db

# What each form must say of the walked case, besides its title and the applicant's name.
FILLED = {
    "application": ["2023年3月1日", "支部书记"],  # applied, and who talked with him
    "cultivation_record": ["2023年4月10日", "党员4、党员5", "团组织推优", "按时递交思想汇报"],
    "thought_reports": ["按时递交思想汇报"],
    "mass_forum": ["2023年4月10日"],
    "political_review": ["合格", "2024年5月20日"],
    "training_assessment": ["24", "2024年6月10日"],
    "training_certificate": ["共3天、24学时", "准予结业"],
    "pre_review_reply": ["党员4、党员6", "经预审，同意发展，请按程序办理。", "2024年6月20日"],
    "admission_form": ["党员4、党员6", "2024年7月15日", "2024年8月15日"],
    "admission_vote_tally": ["2024年7月15日", "通过"],
    "conversion_application": ["2024年7月15日", "2025年7月1日"],
    "probation_record": ["第一党小组"],
    "conversion_vote_tally": ["2025年7月15日", "通过"],
    "full_record": ["上级党委审批", "支部大会讨论"],
    "archive_index": ["入党申请书", "发展对象预审表"],
}


@pytest.fixture
def walked(client):
    w = world()
    case = walk(w)  # every step, archived
    client.force_login(w.secretary)
    return w, case


def _pdf_text(content: bytes) -> tuple[str, object]:
    pdf = pypdfium2.PdfDocument(content)
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    return text.replace("\r", "").replace("\n", ""), pdf[0]


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "".join([p.text for p in document.paragraphs] + cells)


def test_every_named_form_is_filled_from_the_records_in_pdf_and_word(client, walked):
    _w, case = walked
    assert set(FILLED) == set(FORMS)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    for kind, form in FORMS.items():
        for fmt in ("pdf", "docx"):
            url = reverse("staff:subject_named_document", args=["cases", case.pk, kind, fmt])
            assert f'href="{url}"' in page, kind  # the checklist links to it
            response = client.get(url)
            assert response.status_code == 200, (kind, fmt)
            if fmt == "pdf":
                text, first = _pdf_text(response.content)
                assert (round(first.get_width()), round(first.get_height())) == (595, 842)
                image = first.render(scale=1).to_pil().convert("L")
                dark = sum(1 for value in image.get_flattened_data() if value < 128)
                assert dark > 0.002 * image.width * image.height, kind  # glyphs, not boxes
                # Which font was used: in the file's properties, not printed on the form.
                assert "本文件字体" not in text
                subject = pypdfium2.PdfDocument(response.content).get_metadata_dict()["Subject"]
                assert subject.startswith("本文件字体：")
            else:
                text = _docx_text(response.content)
            assert f"《{form.title}》" in text and case.person.name in text, (kind, fmt)
            for filled in FILLED[kind]:
                assert filled in text, (kind, fmt, filled)


def test_a_form_waits_for_its_step_and_an_unknown_one_is_not_found(client):
    w = world()
    case = walk(w, until="talk")  # applied only
    client.force_login(w.secretary)
    page = client.get(reverse("staff:subject", args=["cases", case.pk])).content.decode()
    assert (
        reverse("staff:subject_named_document", args=["cases", case.pk, "application", "pdf"])
        in page
    )
    assert (
        reverse("staff:subject_named_document", args=["cases", case.pk, "pre_review_reply", "pdf"])
        not in page
    )
    early = client.get(
        reverse("staff:subject_named_document", args=["cases", case.pk, "pre_review_reply", "pdf"])
    )
    assert early.status_code == 302
    message = client.get(early["Location"]).content.decode()
    assert "《发展对象预审表》要在“支部委员会审查”办理后才能填写" in message
    assert client.get(f"/staff/cases/{case.pk}/forms/nothing.pdf").status_code == 404
    assert client.get(f"/staff/cases/{case.pk}/forms/application.exe").status_code == 404
    client.force_login(w.other_secretary)  # another village's case: not found, nothing said
    response = client.get(
        reverse("staff:subject_named_document", args=["cases", case.pk, "application", "pdf"])
    )
    assert response.status_code == 404


def test_a_county_s_template_is_used_for_the_next_form_and_a_broken_one_is_a_message(
    client, walked
):
    _w, case = walked

    DocumentTemplate.objects.create(
        key="form-pre_review_reply", name="县预审表.docx",
        content=word_template("演示县委组织部制", "{{ title }}", "{%p for fact in facts %}",
                         "{{ fact.label }}：{{ fact.link }}", "{%p endfor %}"),
    )  # fmt: skip
    url = reverse(
        "staff:subject_named_document", args=["cases", case.pk, "pre_review_reply", "docx"]
    )
    paragraphs = [p.text for p in Document(io.BytesIO(client.get(url).content)).paragraphs]
    assert paragraphs[:2] == ["演示县委组织部制", "《发展对象预审表》"]
    assert f"姓名：{case.person.name}" in paragraphs
    DocumentTemplate.objects.create(
        key="form-pre_review_reply", name="坏.docx", content=word_template("{{ title ")
    )
    response = client.get(url, follow=True)
    assert response.status_code == 200 and "文书模板有误" in response.content.decode()
