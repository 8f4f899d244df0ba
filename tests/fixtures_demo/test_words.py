"""The words users see are theirs: every download is named in Chinese (RFC 5987 filename*),
the rulebook is called by its title, a plan's 下达人 is a person, page titles and the admin
speak Chinese, and the public audit page says what its files are for without a command."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from procedures.branchlife.models import BranchLife
from procedures.membership.models import Case, DevelopmentPlan
from procedures.publicity.models import Notice
from procedures.village.models import MatterMeeting
from workflows import publication
from workflows.notices import NoticeStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]
YEAR = timezone.localdate().year
CJK = re.compile(r"[\u4e00-\u9fff]")


def _login(client, name: str):
    client.force_login(get_user_model().objects.get(username=name))
    return client


def _downloads(client, import_worker) -> dict[str, str]:
    """Every download a user can take, by what it is."""
    import io

    from procedures.people import workbook

    notice = Notice.objects.filter(status=NoticeStatus.PUBLISHED).order_by("pk").first()
    case = Case.objects.order_by("pk").first()
    life = BranchLife.objects.order_by("pk").first()
    meeting = MatterMeeting.objects.order_by("pk").first()
    imports = reverse("staff:people_import")
    upload = io.BytesIO(workbook.template())
    upload.name = "人员.xlsx"
    with import_worker(execute=True):
        run = client.post(imports, {"workbook": upload, "action": "check"}).url.split("=")[1]
    stats = reverse("staff:statistics")
    return {
        "notice": reverse("public:notice_pdf", args=[notice.pk]),
        "form pdf": reverse(
            "staff:subject_named_document", args=["cases", case.pk, "application", "pdf"]
        ),
        "form docx": reverse(
            "staff:subject_named_document", args=["cases", case.pk, "application", "docx"]
        ),
        "handbook pdf": reverse("staff:subject_document", args=["branch-life", life.pk, "pdf"]),
        "handbook docx": reverse("staff:subject_document", args=["branch-life", life.pk, "docx"]),
        "minutes": reverse("staff:matter_minutes", args=[meeting.matter_id, meeting.pk, "pdf"]),
        "statistics xlsx": f"{stats}?format=xlsx",
        "statistics pdf": f"{stats}?format=pdf",
        "plans xlsx": f"{reverse('staff:plans')}?format=xlsx",
        "life xlsx": f"{reverse('staff:life_statistics')}?format=xlsx",
        "report docx": f"{reverse('staff:report')}?year={YEAR}&format=docx",
        "ledger": f"{reverse('staff:development_ledger')}?year={YEAR}",
        "people template": f"{imports}?template=1",
        "cases template": f"{imports}?template=cases",
        "export": f"{imports}?export=1",
        "annotated": f"{imports}?run={run}&annotated=1",
    }


def test_every_download_is_named_in_chinese(client, import_worker, settings, tmp_path):
    settings.JICENG_AUDIT_PUBLICATION_DIR = str(tmp_path)
    publication.publish(day=date(2026, 11, 30))
    _login(client, "county")
    urls = _downloads(client, import_worker)
    urls["audit heads"] = reverse("public:audit_heads_file", args=["2026-11-30"])
    for what, url in urls.items():
        answer = client.get(url)
        assert answer.status_code == 200, (what, answer.status_code)
        disposition = answer["Content-Disposition"]
        found = re.search(r"filename\*=utf-8''([^;]+)", disposition)
        assert found, (what, disposition)
        name = unquote(found.group(1))
        stem = name.rsplit(".", 1)[0]
        assert CJK.search(stem), (what, name)
        assert not re.search(r"[A-Za-z]{3,}", stem), (what, name)  # no English word in it


def test_the_case_list_names_the_rulebook_by_its_title(client):
    page = _login(client, "county").get(reverse("staff:cases")).content.decode()
    assert "cpc-2014" not in page and "cpc-2026" not in page
    assert "《中国共产党发展党员工作细则》" in page


def test_a_plan_s_issuer_is_a_person_not_a_login(client):
    plan = DevelopmentPlan.objects.filter(set_by__isnull=False).order_by("pk").first()
    _login(client, "county")
    page = client.get(reverse("staff:plan", args=[plan.organisation_id, plan.year]))
    body = page.content.decode()
    row = body.split('data-label="下达人">', 1)[1].split("<", 1)[0]
    assert row == plan.set_by.person.name and row != plan.set_by.username


def test_page_titles_and_the_admin_speak_chinese(client):
    for name in ("secretary", "county"):
        _login(client, name)
        for url in (reverse("staff:home"), reverse("staff:cases"), reverse("staff:overview")):
            title = client.get(url).content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
            assert "Jiceng" not in title and CJK.search(title), title
    _login(client, "admin")
    index = client.get(reverse("admin:index")).content.decode()
    for english in ("Access attempts", "Access logs", "Access failures", "Process list", "Tasks"):
        assert english not in index, english
    assert "登录失败记录" in index and "流程实例" in index
    changelist = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "IP Address" not in changelist and "User Agent" not in changelist


def test_the_public_audit_page_says_what_its_files_are_for_in_chinese(client):
    body = client.get(reverse("public:audit_heads")).content.decode()
    assert "manage.py" not in body and "verify_audit" not in body
    assert "任何人" in body and "核对" in body


def test_the_compiled_catalogue_holds_what_its_source_says():
    """locale/ ships django.mo beside django.po (no gettext needed on a new machine): the
    two must agree, entry for entry."""
    import gettext
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"
    source = (folder / "django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, flags=re.MULTILINE)
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert pairs and all(catalogue.gettext(msgid) == msgstr for msgid, msgstr in pairs)
