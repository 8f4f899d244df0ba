"""Every kind of PDF Jiceng prints (the public notice, a named form of a case, the branch's
手册, the county's report, a village meeting's minutes), drawn from each font source in turn:
Debian's Noto CJK, the JICENG_PDF_FONT setting and the face shipped on PyPI, the system's
fonts hidden for the last two. Without any CJK font each answers the Chinese 503 page, never a
500, and the system check names what to install."""

from __future__ import annotations

import pypdfium2
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from portal import checks
from portal.public import fonts
from portal.public.fontfiles import MSG_NO_FONT
from procedures.branchlife.models import BranchLife
from procedures.membership.models import Case
from procedures.publicity.models import Notice
from procedures.village.models import MatterMeeting
from tests.conftest import FONT_SOURCES
from workflows.notices import NoticeStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]


def _printed(client) -> dict[str, tuple[str, str]]:
    """Each kind of PDF: its URL, and a text it must show."""
    notice = Notice.objects.filter(status=NoticeStatus.PUBLISHED).order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    life = BranchLife.objects.order_by("pk").first()
    meeting = MatterMeeting.objects.order_by("pk").first()
    client.force_login(get_user_model().objects.get(username="county"))
    return {
        "notice": (reverse("public:notice_pdf", args=[notice.pk]), notice.title[:8]),
        "form": (
            reverse("staff:subject_named_document", args=["cases", case.pk, "application", "pdf"]),
            "入党申请书",
        ),
        "handbook": (
            reverse("staff:subject_document", args=["branch-life", life.pk, "pdf"]),
            "工作手册",
        ),
        "report": (
            f"{reverse('staff:report')}?year={timezone.localdate().year}&format=pdf",
            "发展党员",
        ),
        "minutes": (
            reverse("staff:matter_minutes", args=[meeting.matter_id, meeting.pk, "pdf"]),
            meeting.matter.title[:8],
        ),
    }


def _text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    return text.replace("\r", "").replace("\n", "")


@pytest.mark.parametrize("font_source", FONT_SOURCES, indirect=True)
def test_every_pdf_prints_its_chinese_text_from_each_font_source(client, font_source):
    for kind, (url, shown) in _printed(client).items():
        response = client.get(url)
        assert response.status_code == 200, (kind, response.status_code)
        assert response["Content-Type"] == "application/pdf", kind
        text = _text(response.content)
        subject = pypdfium2.PdfDocument(response.content).get_metadata_dict()["Subject"]
        assert shown in text and subject.startswith("本文件字体："), (kind, text[:200])
    assert checks.pdf_fonts() == []


@pytest.mark.parametrize("font_source", ["none"], indirect=True)
def test_without_a_cjk_font_every_pdf_link_answers_the_chinese_503_page(client, font_source):
    for kind, (url, _shown) in _printed(client).items():
        response = client.get(url)
        assert response.status_code == 503, (kind, response.status_code)
        assert MSG_NO_FONT in response.content.decode(), kind
    [warning] = checks.pdf_fonts()
    assert warning.id == "jiceng.W001" and "fonts-noto-cjk" in warning.hint


@pytest.mark.parametrize("font_source", ["fallback"], indirect=True)
def test_a_setting_that_names_no_usable_font_is_said_at_start_and_passed_over(
    client, font_source, settings, tmp_path
):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    for value, said in (("/nowhere/font.ttc#2", "不存在"), (str(broken), "无法读取")):
        settings.JICENG_PDF_FONT = value
        fonts.forget()
        [warning] = checks.pdf_fonts()
        assert "JICENG_PDF_FONT" in warning.msg and said in warning.msg
        url, shown = _printed(client)["notice"]
        assert shown in _text(client.get(url).content)  # the PyPI face serves meanwhile


@pytest.mark.parametrize("text", ["中共党员发展公示", "骨直", "ᚠ", "中ᚠ", "A"])
def test_the_glyph_probe_reads_the_face_s_map_as_fonttools_builds_it(text):
    """The start-up check reads the cmap's format-12 subtable as it lies in the file (the
    whole map cost 35 MiB at each process's start): on every font this machine has, it
    answers what fontTools' built map answers."""
    from fontTools.ttLib import TTFont

    from portal.public import fontfiles

    fonts = fontfiles._candidates()
    assert fonts  # the machine has a font (Debian's, or the PyPI package's)
    for font in fonts:
        built = TTFont(font.path, fontNumber=font.index, lazy=True).getBestCmap()
        assert fontfiles._draws(font, text) == all(ord(c) in built for c in text), font.path
