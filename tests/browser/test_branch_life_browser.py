"""The branch secretary keeps the 工作手册 on his phone: from the 工作台 to his branch's 手册,
a 主题党日 recorded through the folded form, the record's page, no sideways scrolling."""

import pytest

from fixtures import demo_county
from procedures.branchlife.models import BranchMeeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_records_a_theme_day_on_a_phone(browser, live_server, axe_source):
    demo_county.load()
    held_before = BranchMeeting.objects.filter(status="held").count()
    # The test injects axe-core into the page: that script is ours, not the page's.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", demo_county.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("link", name="柳树村支部委员会工作手册").click()
    assert "完成情况（凡评必审）" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("link", name="登记组织生活").click()  # the form, a page of its own
    page.select_option("#sf-hold-kind", "theme_day")
    page.fill("#sf-hold-topic", "主题党日：学习和清扫村道")
    page.fill("#sf-hold-place", "村党群服务中心")
    chair = page.locator("#sf-hold-chair option", has_text="（正式党员）").first
    page.select_option("#sf-hold-chair", chair.get_attribute("value"))
    boxes = page.locator("#sf-hold-present input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).check()  # a tap per person
    page.fill("#sf-hold-summary", "集中学习，清扫村道。")
    page.locator("form[action$='/hold/'] button[type=submit]").click()
    assert "已办理：登记组织生活" in page.locator(".messages").inner_text()
    assert BranchMeeting.objects.filter(status="held").count() == held_before + 1
    assert "出席情况" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path="var/branch-life-phone.png", full_page=False)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(v => v.id + ' ' + v.nodes.slice(0, 2).map(n => n.target).join(','))"
    )
    assert violations == []
    context.close()
