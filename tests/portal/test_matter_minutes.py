"""A village matter's meeting minutes (提议、商议、审议、决议记录), filled from each meeting as it
stands, as A4 PDF and Word, linked from the matter's page; a corrected date is the date
printed, with the correction said."""

from __future__ import annotations

import io

import pypdfium2
import pytest
from django.urls import reverse
from docx import Document

from procedures.village.models import Matter

from ..procedures.village.test_corrections import D, _correct, _upper
from ..procedures.village.world import advance, register, village_world

pytestmark = pytest.mark.django_db


def test_each_meeting_s_minutes_are_filled_from_it_in_pdf_and_word(client):
    w = village_world()
    matter = advance(w, register(w), until="publish_resolution")  # through the 决议
    matter = Matter.objects.get(pk=matter.pk)
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    meetings = list(matter.meetings.select_related("chair").order_by("held_on", "pk"))
    assert len(meetings) >= 3
    for meeting in meetings:
        pdf_url = reverse("staff:matter_minutes", args=[matter.pk, meeting.pk, "pdf"])
        assert f'href="{pdf_url}"' in page
        pdf = pypdfium2.PdfDocument(client.get(pdf_url).content)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        text = text.replace("\r", "").replace("\n", "")
        word = client.get(reverse("staff:matter_minutes", args=[matter.pk, meeting.pk, "docx"]))
        document = Document(io.BytesIO(word.content))
        paragraphs = "".join(p.text for p in document.paragraphs)
        for found in (text, paragraphs):
            assert f"《{matter.village.name}村级事务" in found and "会议记录》" in found
            assert matter.title in found and meeting.chair.name in found
            assert meeting.get_kind_display() in found
            held = meeting.held_on
            assert f"{held.year}年{held.month}月{held.day}日" in found
    client.force_login(w.outsider_user)  # not this village's: not found, nothing said
    url = reverse("staff:matter_minutes", args=[matter.pk, meetings[0].pk, "pdf"])
    assert client.get(url).status_code == 404
    client.force_login(w.secretary_user)
    elsewhere = reverse("staff:matter_minutes", args=[matter.pk, 999999, "pdf"])
    assert client.get(elsewhere).status_code == 404


def test_a_corrected_meeting_prints_its_corrected_date_and_says_so(client):
    w = village_world()
    township, _county = _upper(w)
    matter = register(w)
    advance(w, matter, until="resolve")
    _correct(matter, township, "consult", D["propose"], reason="会议记录日期笔误")
    consult = matter.meetings.get(step="consult")
    client.force_login(w.secretary_user)
    url = reverse("staff:matter_minutes", args=[matter.pk, consult.pk, "docx"])
    text = "".join(p.text for p in Document(io.BytesIO(client.get(url).content)).paragraphs)
    new, old = D["propose"], D["consult"]
    assert f"日期：{new.year}年{new.month}月{new.day}日" in text
    assert f"原记录{old.year}年{old.month}月{old.day}日" in text and "会议记录日期笔误" in text
