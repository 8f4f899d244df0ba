"""A secretary records a village matter through 审议 in the browser; a villager reads a
decision on a phone (one test: the demo county is loaded once)."""

import pytest

from fixtures import demo_county
from procedures.publicity.models import Notice
from procedures.village.models import Matter
from procedures.village.steps import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _meeting(page, step, count, chair, yes=None, no=None):
    boxes = page.locator(f"#f-{step}-attendees input[type=checkbox]")
    for i in range(min(count, boxes.count())):
        boxes.nth(i).check()  # a tap per person
    assert (
        f"已选{min(count, boxes.count())}人"
        in page.locator(f"#f-{step}-attendees output").inner_text()
    )
    page.fill(f"#f-{step}-place", "村委会议室")
    page.select_option(
        f"#f-{step}-chair",
        page.locator(f"#f-{step}-chair option", has_text=chair).first.get_attribute("value"),
    )
    page.select_option(
        f"#f-{step}-recorder",
        page.locator(f"#f-{step}-recorder option", has_text="村文书").first.get_attribute("value"),
    )
    if yes is not None:
        page.fill(f"#f-{step}-yes", str(yes))
        page.fill(f"#f-{step}-no", str(no))
    page.click(f"form[action$='/{step}/'] button[type=submit]")
    return page.locator(".messages").inner_text()


def test_a_secretary_records_a_matter_and_a_villager_reads_a_decision(browser, live_server):
    demo_county.load()
    page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="zh-CN")
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", "secretary")
    page.fill("#id_password", demo_county.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/staff/matters/")
    page.fill("#m-title", "村口小桥加固")
    page.click("form.card button[type=submit]")
    assert "包村干部" in _meeting(page, "propose", 3, "包村干部")  # refused: wrong chair
    assert Matter.objects.get(title="村口小桥加固").status == Status.REGISTERED
    # What was typed and tapped survives the refusal: only the chair needs changing.
    assert page.input_value("#f-propose-place") == "村委会议室"
    assert "已选3人" in page.locator("#f-propose-attendees output").inner_text()
    assert "已办理" in _meeting(page, "propose", 3, "（书记）")
    assert "已办理" in _meeting(page, "consult", 5, "村委会主任")
    assert "已办理" in _meeting(page, "deliberate", 9, "（书记）", yes=8, no=1)
    assert Matter.objects.get(title="村口小桥加固").status == Status.DELIBERATED
    page.close()
    _a_villager_reads_a_decision_on_a_phone(browser, live_server)


def _a_villager_reads_a_decision_on_a_phone(browser, live_server):
    """On the same demo county (one load for the module's one test)."""
    notice = Notice.objects.filter(
        kind="resolution", status="published", village__name="柳树村"
    ).first()
    page = browser.new_page(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page.goto(live_server.url + "/")
    page.fill("#q", "柳树")
    page.click("button[type=submit]")
    page.get_by_role("link", name="柳树村").first.click()
    page.get_by_role("link", name=notice.title).click()
    text = page.locator("#notice-text").inner_text()
    assert "决议内容" in text and "表决结果" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.close()
