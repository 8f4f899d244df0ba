"""The staff pages as their users meet them, on a 390 px phone and a 1366 px screen.

A secretary's day: the 工作台 lists today's work from every procedure; the overdue 支部大会
on a conversion opens in one tap; members are tapped present; the quorum verdict changes as
they are tapped, before anything is sent; the record goes in; and the township's overview
turns that village's cell from red. Then every staff page: no WCAG 2.2 A/AA violation at
either size, no sideways scrolling on the phone, and small enough for a poor connection.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from fixtures import demo_county
from procedures.membership.models import Case
from procedures.membership.steps import Status
from workflows.models import Deadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
# `make screens` sets this to docs/screens; a test run keeps its pictures under var/.
SCREENS = Path(os.environ.get("JICENG_SCREENS_DIR", "var/screens"))
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_BUDGET = 50 * 1024  # HTML and CSS of a staff page, in bytes
# The controls of the page shown (not folded away) lower than a thumb (44 px): a box or a
# radio counts by the label that holds it, which is what the thumb meets.
SMALL_TARGETS = """() => [...document.querySelectorAll('main input, main select, main button')]
  .filter(el => el.type !== 'hidden' && el.getClientRects().length)
  .map(el => ['checkbox', 'radio'].includes(el.type) ? (el.closest('label') || el) : el)
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => el.outerHTML.slice(0, 90))"""


def _signed_in(browser, live_server, username, viewport):
    # The tests inject axe-core into the pages: that script is ours, not the pages'.
    context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + reverse("staff:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", demo_county.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + reverse("staff:home"))
    return page


def _cell(page, village, kind):
    row = page.locator("table.overview tbody tr", has=page.locator("th", has_text=village))
    return row.locator(f"td[data-label='{kind}']")


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)


def _a_secretarys_day(browser, live_server, viewport, *, record: bool):
    """The walk, at one size; `record`: the vote is sent (the walk at the other size stops
    before, so that both find the case where the demo left it)."""
    late = Case.objects.get(branch__name__contains="柳树村", status=Status.CONVERSION_APPLIED)
    title = f"{late.person.name}：预备期满，支部大会讨论转正"
    phone = viewport is PHONE

    township = _signed_in(browser, live_server, "township", viewport)
    township.goto(live_server.url + reverse("staff:overview"))
    before = _cell(township, "柳树村", "发展党员")
    assert "red" in before.get_attribute("class") and "超期1" in before.inner_text()
    if phone:
        assert _no_sideways_scroll(township)
        _shot(township, "overview-before")

    page = _signed_in(browser, live_server, "secretary", viewport)
    counts = page.locator("ul.counts li .kind").all_inner_texts()
    assert {"发展党员", "村级事务", "组织生活"} <= set(counts)  # three procedures, one list
    items = page.locator("ul.items li")
    assert items.first.get_attribute("class") == "overdue"  # overdue first
    item = page.locator("ul.items li.overdue", has_text=title)
    assert "已超期" in item.inner_text() and "个工作日" in item.inner_text()
    if phone:
        assert _no_sideways_scroll(page)
        _shot(page, "workbench")
    item.get_by_role("link").click()
    assert page.url.endswith(reverse("staff:subject", args=["cases", late.pk]))

    due = page.locator("ul.due li.overdue", has_text=title)  # why the case is late, on top
    assert "已超期" in due.inner_text() and "第三十三条" in due.inner_text()
    form = page.locator("form[action$='/branch_convert/']")
    assert form.is_visible()  # the current step's form comes first, not folded
    verdict = form.locator(".check-result")
    present = form.locator("fieldset.taps input[type=checkbox]")
    eligible = present.count()
    needed = eligible // 2 + 1  # more than half of those entitled to vote
    # Ticked before the counts are typed: each empty count is said beside its own field.
    present.nth(0).check()
    form.locator("[data-field=yes] .field-error").wait_for()
    assert "请填写合法的整数值" not in verdict.inner_text()
    for field, value in (("yes", "5"), ("no", "0"), ("abstain", "0")):
        form.locator(f"input[name={field}]").fill(value)
    for i in range(1, needed - 1):
        present.nth(i).check()  # a tap per person
    tally = form.locator("fieldset.taps output").inner_text()
    assert f"已选{needed - 1}人（应到{eligible}人，须超过半数，至少{needed}人）：尚差1人" in tally
    # The quorum verdict, from the rules, before anything is sent.
    verdict.filter(has_text="未超过应到会人数").wait_for()
    assert f"有表决权的到会人数{needed - 1}人" in verdict.inner_text()
    present.nth(needed - 1).check()
    assert "已达到法定人数" in form.locator("fieldset.taps output").inner_text()
    form.locator("input[name=yes]").fill(str(needed))
    form.locator("input[name=yes]").dispatch_event("change")
    verdict.filter(has_text="符合规则").wait_for()
    assert "ok" in verdict.get_attribute("class")
    if phone:
        assert _no_sideways_scroll(page)
        # A full-page picture resizes the window; Chromium then scrolls a focused input
        # back into view as a phone does for its keyboard, so nothing stays focused.
        page.evaluate("document.activeElement.blur()")
        _shot(page, "case")
    if not record:
        township.context.close()
        page.context.close()
        return
    form.locator("button[type=submit]").click()
    assert "已办理" in page.locator(".messages").inner_text()
    late.refresh_from_db()
    assert late.status == Status.CONVERSION_VOTED
    assert not Deadline.objects.filter(
        subject_id=late.pk, key="conversion_meeting", status="open"
    ).exists()

    township.reload()
    after = _cell(township, "柳树村", "发展党员")
    assert "red" not in after.get_attribute("class")
    assert after.inner_text() in {"正常"} or after.inner_text().startswith("本周到期")
    if phone:
        _shot(township, "overview")
    township.context.close()
    page.context.close()


def _staff_pages(live_server):
    """Every staff page a user opens, with who opens it: (username, url)."""
    from procedures.branchlife.models import BranchLife, BranchMeeting, DuesPayment, TownshipLife
    from procedures.people.models import Person
    from procedures.publicity.models import Notice
    from procedures.village.models import Matter
    from procedures.village.steps import Status as MatterStatus

    branch_case = Case.objects.filter(branch__name__contains="柳树村")
    case = branch_case.get(status=Status.CONVERSION_VOTED)  # the walk's
    early = branch_case.filter(status=Status.APPLIED).first()
    matters = Matter.objects.filter(village__name="柳树村")
    matter = matters.filter(status=MatterStatus.RESOLVED).first()  # meetings, forms
    known = matters.filter(status=MatterStatus.RESULT_PUBLISHED).first()  # slips to print
    notice = Notice.objects.filter(village__name="柳树村", objections__isnull=False).first()
    life = BranchLife.objects.get(branch__name__contains="柳树村")
    meeting = BranchMeeting.objects.filter(branch=life.branch, status="held").last()
    payment = DuesPayment.objects.filter(branch=life.branch).first()
    person = Person.objects.filter(organisation=life.branch).first()
    township_life = TownshipLife.objects.get(pk=life.branch.parent_id)
    u = reverse
    pages = [
        ("secretary", u("staff:home")),
        ("secretary", u("staff:inbox")),
        ("secretary", u("staff:notifications")),
        ("secretary", u("staff:cases")),
        ("secretary", u("staff:subject", args=["cases", case.pk])),
        ("secretary", u("staff:subject", args=["cases", early.pk])),
        ("secretary", u("staff:matters")),
        ("secretary", u("staff:subject", args=["matters", matter.pk])),
        ("secretary", u("staff:subject", args=["matters", known.pk])),
        ("secretary", u("staff:matter_slips", args=[known.pk])),
        ("secretary", u("staff:notices")),
        ("secretary", u("staff:notice", args=[notice.pk])),
        ("secretary", u("staff:people")),
        ("township", u("staff:people_import")),
        ("secretary", u("staff:person", args=[person.pk])),
        ("secretary", u("staff:delegations")),
        ("secretary", u("staff:subject", args=["branch-life", life.pk])),
        ("secretary", u("staff:subject", args=["branch-life", life.pk]) + "?payments=all"),
        ("secretary", u("staff:subject_step", args=["branch-life", life.pk, "hold"])),
        ("secretary", u("staff:subject_step", args=["branch-life", life.pk, "pay"])),
        ("secretary", u("staff:subject", args=["branch-meetings", meeting.pk])),
        ("secretary", u("staff:subject", args=["branch-dues", payment.pk])),
        ("township", u("staff:home")),
        ("township", u("staff:overview")),
        ("township", u("staff:statistics") + "?start=2024-01-01"),
        ("secretary", u("staff:statistics")),
        ("county", u("staff:statistics")),
        ("county", u("staff:plans")),
        ("county", u("staff:plan", args=[life.branch.parent_id, date.today().year])),
        ("township", u("staff:plans")),
        ("county", u("staff:life_statistics")),
        ("county", u("staff:report") + "?half=1"),
        ("county", u("staff:report")),
        ("secretary", u("staff:report")),
        ("township", u("staff:subject", args=["township-life", township_life.pk])),
        ("township", u("staff:cases") + f"?branch={life.branch_id}"),
        ("county", u("staff:person", args=[person.pk])),
        # The full record is a POST with a reason: the test fills the person page's form.
        ("county", u("staff:person_personal_data", args=[person.pk])),
    ]
    return [(user, live_server.url + url) for user, url in pages]


def _axe(page, axe_source):
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: {'target-size': {enabled: true}}})",
        WCAG,
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def _platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the element's text with, and how many glyphs from each."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def _statistics_in_chinese_glyphs(browser, live_server):
    """The county's report and statistics at a phone's size: the title, the paragraph and
    the charts' labels drawn from a CJK font (not boxes), kept as pictures."""
    page = _signed_in(browser, live_server, "county", PHONE)
    for url, name, selectors in (
        (reverse("staff:report"), "report", ("h1", "p.lead")),
        (reverse("staff:statistics"), "statistics", ("h1", "svg.chart text")),
    ):
        page.goto(live_server.url + url)
        for selector in selectors:
            text = page.locator(selector).first.text_content()
            han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
            fonts = _platform_fonts(page, selector)
            drawn = sum(f["glyphCount"] for f in fonts if "CJK" in f["familyName"])
            assert han and drawn >= han, (selector, text, fonts)
        _shot(page, name)
    page.context.close()


def test_a_secretarys_day_and_every_staff_page(browser, live_server, axe_source):
    """One demo county for the walk at both sizes and then every page (a load is ~25 s)."""
    demo_county.load()
    _a_secretarys_day(browser, live_server, DESKTOP, record=False)
    _a_secretarys_day(browser, live_server, PHONE, record=True)
    _statistics_in_chinese_glyphs(browser, live_server)
    pages = _staff_pages(live_server)
    css = (Path(django_settings.BASE_DIR) / "portal/static/portal/staff.css").stat().st_size
    problems, wide, heavy, small, sizes = {}, [], {}, {}, {}
    for viewport in (PHONE, DESKTOP):
        signed_in = {}
        for user, url in pages:
            if user not in signed_in:
                signed_in[user] = _signed_in(browser, live_server, user, viewport)
            page = signed_in[user]
            if url.endswith("/personal-data/"):
                page.fill("#reason", "核对入党材料中的身份信息")
                with page.expect_navigation() as navigation:
                    page.click("form[action$='/personal-data/'] button[type=submit]")
                response = navigation.value
            else:
                response = page.goto(url)
            assert response.status == 200, url
            violations = _axe(page, axe_source)
            if violations:
                problems[f"{viewport['width']} {user} {url}"] = violations
            if viewport is PHONE:
                if not _no_sideways_scroll(page):
                    wide.append(url)
                if targets := page.evaluate(SMALL_TARGETS):
                    small[url] = targets
                size = len(response.body()) + css
                sizes[url.removeprefix(live_server.url)] = size
                # The year's every payment is asked for, to print: it grows with the branch.
                if size > PAGE_BUDGET and "payments=all" not in url:
                    heavy[url] = size
        for page in signed_in.values():
            page.context.close()
    # The login page, signed out.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    login = context.new_page()
    login.goto(live_server.url + reverse("staff:login"))
    if violations := _axe(login, axe_source):
        problems["login"] = violations
    context.close()
    print("HTML+CSS bytes:", json.dumps(sizes, indent=1))
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    assert wide == []
    assert small == {}, json.dumps(small, ensure_ascii=False, indent=1)
    assert heavy == {}
