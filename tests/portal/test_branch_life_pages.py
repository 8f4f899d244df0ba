"""The branch's 工作手册 through the portal's generic subject page and API: registered once,
no view of its own. The secretary records; the township reads plans and outcomes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from procedures.branchlife.models import BranchMeeting
from procedures.branchlife.steps import Kind, Status

from ..procedures.membership.walk import world

pytestmark = pytest.mark.django_db


def _ledger(w) -> str:
    return reverse("staff:subject", args=["branch-life", w.branch.pk])


def _form(w, **extra) -> dict:
    return {
        "kind": Kind.THEME_DAY,
        "on": "2026-11-12",
        "topic": "主题党日：学习与志愿服务",
        "place": "村党群服务中心",
        "chair": w.members[0].pk,
        "recorder": w.members[2].pk,
        "present": [m.pk for m in w.members[:6]],
        "on_leave": [w.members[6].pk],
        "leave_reason": "外出务工",
        "summary": "集中学习，清扫村道。",
        **extra,
    }


def test_the_secretary_records_on_the_ledger_page_and_the_line_links_its_record(client):
    w = world()
    client.force_login(w.secretary)
    page = client.get(_ledger(w)).content.decode()
    assert "党支部工作手册" in page and "完成情况（凡评必审）" in page
    assert reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"]) in page
    response = client.post(
        reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"]),
        _form(w),
        follow=True,
    )
    meeting = BranchMeeting.objects.get()
    assert meeting.status == Status.HELD and meeting.attended == 6
    body = response.content.decode()
    assert "已办理：登记组织生活" in body and "外出务工" in body  # on the record's own page
    ledger = client.get(_ledger(w) + "?year=2026").content.decode()
    assert reverse("staff:subject", args=["branch-meetings", meeting.pk]) in ledger


def test_each_form_is_a_page_of_its_own_and_a_refusal_comes_back_to_it(client):
    w = world()
    client.force_login(w.secretary)
    hold = reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"])
    ledger = client.get(_ledger(w)).content.decode()
    assert f'href="{hold}"' in ledger and 'name="present"' not in ledger  # a link, no form
    form = client.get(hold).content.decode()
    assert f'action="{hold}"' in form and 'name="present"' in form and "登记组织生活" in form
    response = client.post(hold, _form(w, summary="   "), follow=True)
    assert response.redirect_chain[-1][0] == hold  # back to the form, which keeps the draft
    assert "请填写内容摘要" in response.content.decode()
    assert not BranchMeeting.objects.exists()


def test_a_form_the_user_may_not_take_is_not_shown(client):
    w = world()
    client.force_login(w.organiser)  # the township reads the ledger; the branch records
    hold = reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"])
    response = client.get(hold, follow=True)
    assert response.redirect_chain[-1][0] == _ledger(w)
    assert "您现在不能办理这一步骤" in response.content.decode()
    assert 'name="present"' not in response.content.decode()
    client.force_login(w.other_secretary)
    assert client.get(hold).status_code == 404  # another branch's: not found, not refused
    assert client.put(hold).status_code in (404, 405)


def test_the_township_reads_the_ledger_and_gets_no_form(client):
    w = world()
    client.force_login(w.organiser)
    page = client.get(_ledger(w)).content.decode()
    assert "党支部工作手册" in page
    assert reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"]) not in page
    response = client.post(
        reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"]), _form(w)
    )
    assert response.status_code in (302, 403)
    assert not BranchMeeting.objects.exists()


def test_another_branch_s_ledger_is_not_found(client):
    w = world()
    client.force_login(w.other_secretary)
    assert client.get(_ledger(w)).status_code == 404
    assert client.get(reverse("api:subject", args=["branch-life", w.branch.pk])).status_code == 404


def test_the_api_plans_records_and_reads(client):
    w = world()
    client.force_login(w.secretary)
    planned_on = (timezone.localdate() + timedelta(days=5)).isoformat()
    made = client.post(
        reverse("api:subject_step", args=["branch-life", w.branch.pk, "plan"]),
        {"kind": Kind.PARTY_LECTURE, "planned_on": planned_on, "topic": "书记讲党课"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    meeting_id = made.json()["id"]
    assert made.json()["url"] == reverse("staff:subject", args=["branch-meetings", meeting_id])
    read = client.get(reverse("api:subject", args=["branch-meetings", meeting_id])).json()
    assert read["title"] == "党课：书记讲党课"
    assert [o["step"] for o in read["offered"]] == ["record", "cancel"]
    bad = client.post(
        reverse("api:subject_step", args=["branch-meetings", meeting_id, "record"]),
        {**_form(w), "on": date.today().isoformat(), "present": []},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "attendees_required"
    unknown = client.post(
        reverse("api:subject_step", args=["branch-meetings", meeting_id, "approve"]), {}
    )
    assert unknown.status_code == 404


def test_the_schema_lists_each_step_of_each_registered_subject(client):
    client.force_login(world().secretary)
    schema = client.get(reverse("api:schema") + "?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/s/branch-life/{id}/steps/plan/",
        "/api/s/branch-life/{id}/steps/hold/",
        "/api/s/branch-meetings/{id}/steps/record/",
        "/api/s/branch-meetings/{id}/steps/cancel/",
    ):
        assert path in paths, path
    body = paths["/api/s/branch-life/{id}/steps/hold/"]["post"]["requestBody"]
    name = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"kind", "present", "summary", "grades"} <= set(
        schema["components"]["schemas"][name]["properties"]
    )
    assert "/api/s/{key}/{id}/steps/{step}/" not in paths


def test_dues_are_recorded_on_the_ledger_page_and_corrected_on_the_payment_s_page(client):
    from procedures.branchlife.models import DuesPayment

    w = world()
    client.force_login(w.secretary)
    response = client.post(
        reverse("staff:subject_step", args=["branch-life", w.branch.pk, "pay"]),
        {
            "member": w.members[3].pk,
            "first_month": "2026-01",
            "months": 6,
            "amount": "3",
            "basis": "rural",
            "paid_on": "2026-01-10",
            "collector": w.members[2].pk,
            "receipt_no": "DF-0001",
        },
        follow=True,
    )
    payment = DuesPayment.objects.get()
    body = response.content.decode()
    assert "已办理：登记党费" in body and "DF-0001" in body  # on the payment's own page
    ledger = client.get(_ledger(w) + "?year=2026").content.decode()
    assert "党费收缴（按月）" in ledger and "党费交纳情况（按党员）" in ledger
    assert "2026年06月" in ledger  # paid through June, one line for the member
    assert reverse("staff:subject", args=["branch-dues", payment.pk]) in ledger
    assert "year=2026&amp;payments=all" in ledger  # and every payment on the same page
    every = client.get(_ledger(w) + "?year=2026&payments=all").content.decode()
    assert "2026年01月起6个月" in every and "DF-0001" in every
    assert "?year=2026&amp;payments=all" in every.split("打印（A4 PDF）")[0]  # printed so
    bad = client.post(
        reverse("staff:subject_step", args=["branch-life", w.branch.pk, "pay"]),
        {"member": w.members[4].pk, "first_month": "2026年1月", "months": 1, "amount": "0.5",
         "basis": "rural", "paid_on": "2026-01-10"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "起始月份应写成" in bad and DuesPayment.objects.count() == 1
    corrected = client.post(
        reverse("staff:subject_step", args=["branch-dues", payment.pk, "supersede"]),
        {
            "first_month": "2026-01",
            "months": 6,
            "amount": "6",
            "basis": "rural",
            "paid_on": "2026-01-10",
            "reason": "金额登记错误",
        },
        follow=True,
    ).content.decode()
    assert "已办理：更正" in corrected
    assert DuesPayment.objects.get(pk=payment.pk).status == DuesPayment.Status.SUPERSEDED
    assert DuesPayment.objects.get(corrects=payment).amount == 6


def test_the_workbench_links_to_the_handbooks_in_scope(client):
    w = world()
    client.force_login(w.secretary)
    home = client.get(reverse("staff:home")).content.decode()
    assert _ledger(w) in home and f"{w.branch.name}工作手册" in home
    client.force_login(w.other_secretary)
    assert _ledger(w) not in client.get(reverse("staff:home")).content.decode()


def test_the_township_reads_its_branches_side_by_side_and_a_village_does_not(client):
    w = world()
    client.force_login(w.organiser)
    url = reverse("staff:subject", args=["township-life", w.township.pk])
    home = client.get(reverse("staff:home")).content.decode()
    assert url in home
    page = client.get(url + "?year=2026").content.decode()
    assert "各村党支部工作手册汇总" in page and w.branch.name in page
    assert _ledger(w) in page  # each branch links to its 手册
    client.force_login(w.secretary)
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("staff:home")).content.decode()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def test_photos_and_the_sign_in_sheet_are_kept_with_the_record_and_served_in_scope(
    client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from procedures.branchlife.models import MeetingAttachment
    from workflows.audit import events_of, stream_of

    settings.MEDIA_ROOT = tmp_path
    w = world()
    client.force_login(w.secretary)
    hold = reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"])
    refused = client.post(
        hold,
        {**_form(w), "attachments": [SimpleUploadedFile("签到表.png", EXE)]},
        follow=True,
    ).content.decode()
    assert "只接收 PDF、JPG、PNG" in refused
    assert not BranchMeeting.objects.exists() and not MeetingAttachment.objects.exists()
    client.post(
        hold,
        {**_form(w), "attachments": [SimpleUploadedFile("签到表.png", PNG, "image/png")]},
    )
    meeting = BranchMeeting.objects.get()
    [attachment] = meeting.attachments.all()
    assert attachment.content_type == "image/png" and attachment.name == "签到表.png"
    [event] = [e for e in events_of(stream_of(meeting)) if e.action == "hold"]
    assert event.payload["attachments"][0]["sha256"] == attachment.sha256
    url = reverse("staff:subject_file", args=["branch-meetings", meeting.pk, attachment.pk])
    assert (
        url
        in client.get(
            reverse("staff:subject", args=["branch-meetings", meeting.pk])
        ).content.decode()
    )
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert "attachment" in download["Content-Disposition"]
    client.force_login(w.other_secretary)
    assert client.get(url).status_code == 404


def test_a_theme_day_that_carried_a_matter_s_deliberation_shows_on_the_matter(client):
    from procedures.branchlife import services

    from ..procedures.village.world import D, register, village_world

    w = village_world()
    matter = register(w)
    branch = matter.village.organisations.get(kind="village_branch")
    day = services.meeting_hold(
        actor=None,
        branch=branch,
        kind=Kind.THEME_DAY,
        minutes=services.Minutes(
            held_on=D["propose"], topic="主题党日：民主议事", summary="议村道硬化。",
            place="村部", chair_id=w.members[0].pk,
            present_ids=[m.pk for m in w.members[:6]], matter_id=matter.pk,
        ),
    )  # fmt: skip
    client.force_login(w.secretary_user)
    page = client.get(reverse("staff:subject", args=["matters", matter.pk])).content.decode()
    assert "主题党日民主议事" in page
    assert reverse("staff:subject", args=["branch-meetings", day.pk]) in page
    record = client.get(reverse("staff:subject", args=["branch-meetings", day.pk])).content
    assert reverse("staff:subject", args=["matters", matter.pk]) in record.decode()


def test_a_member_s_page_shows_his_organisational_life_of_the_year(client):
    from procedures.branchlife import services

    w = world()
    services.meeting_hold(
        actor=None,
        branch=w.branch,
        kind=Kind.THEME_DAY,
        minutes=services.Minutes(
            held_on=date(2026, 11, 12), topic="主题党日", summary="学习。", place="村部",
            chair_id=w.members[0].pk, present_ids=[m.pk for m in w.members[:6]],
        ),
    )  # fmt: skip
    client.force_login(w.secretary)
    present = client.get(reverse("staff:person", args=[w.members[1].pk])).content.decode()
    absent = client.get(reverse("staff:person", args=[w.members[8].pk])).content.decode()
    assert "出席1次" in present and "出席率100%" in present
    assert "无故缺席1次" in absent and "出席率0%" in absent
    applicant = client.get(reverse("staff:person", args=[w.applicant.pk])).content.decode()
    assert "年组织生活" not in applicant


@pytest.mark.parametrize("sent_as", ["x.php", "page.html", "logo.svg", "..\\..\\evil.png.exe"])
def test_an_attachment_is_kept_and_served_under_the_extension_of_its_bytes(
    client, settings, tmp_path, sent_as
):
    """A PNG named x.php, .html or .svg is stored as .png and served as a .png download with
    nosniff: the name a browser sends never decides how the file is stored or served."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = world()
    client.force_login(w.secretary)
    hold = reverse("staff:subject_step", args=["branch-life", w.branch.pk, "hold"])
    client.post(hold, {**_form(w), "attachments": [SimpleUploadedFile(sent_as, PNG, "text/html")]})
    [attachment] = BranchMeeting.objects.get().attachments.all()
    assert attachment.name.endswith(".png") and attachment.file.name.endswith(".png")
    assert "/" not in attachment.name and "\\" not in attachment.name
    assert [p.suffix for p in tmp_path.rglob("*") if p.is_file()] == [".png"]
    url = reverse(
        "staff:subject_file", args=["branch-meetings", attachment.meeting_id, attachment.pk]
    )
    download = client.get(url)
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment") and ".png" in disposition
    assert not any(bad in disposition for bad in (".php", ".html", ".svg", ".exe"))


def test_a_list_field_s_error_is_said_in_words_and_a_rule_is_cited_once(client):
    """The live check of a form with a file field said `{0: [ErrorDetail(...)]}`; a refused
    step flashed its citation twice (（…第三十三条）（依据：…第三十三条）)."""
    from portal.errors import flash  # noqa: F401 - the one place a refusal becomes a message
    from portal.surfaces import step_inputs
    from workflows.errors import ProcedureError
    from workflows.rules import Citation

    w = world()
    client.force_login(w.secretary)
    url = reverse("api:subject_step", args=["branch-life", w.branch.pk, "hold"]) + "?check=1"
    answer = client.post(url, {**_form(w), "attachments": "not a file"})
    body = answer.json()
    assert answer.status_code == 400 and "ErrorDetail" not in body["message"]
    assert "{0:" not in body["message"] and body["message"].startswith("填写的内容有误：")
    assert step_inputs.first_message({0: ["第一条"], 1: ["第二条"]}) == "第一条"
    cited = Citation("《细则》", "细则", "第三十三条", "cpc-2014")
    twice = ProcedureError("x", f"不符合规定（{cited}）", cited)
    assert twice.uncited_source is None
    assert ProcedureError("y", "不符合规定", cited).uncited_source == cited
