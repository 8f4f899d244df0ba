"""A transfer between two townships on phones (390 px): 柳树村's secretary proposes it on
his branch's 组织关系转接 page, 东岭镇's organiser issues the 介绍信 and prints it, 南山镇's
organiser finds it in his 工作台 and accepts it, and 东岭镇 records the 回执; each page
without sideways scrolling, the transfer's page clean under axe."""

import pytest
from django.utils import timezone

from fixtures import demo_county
from procedures.people.models import Person, Position
from procedures.transfers.models import Transfer
from procedures.transfers.steps import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _signed_in(browser, live_server, username):
    # The test injects axe-core into a page: that script is ours, not the page's.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo_county.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/staff/")
    return context, page


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _done(page, step: str) -> None:
    assert f"已办理：{step}" in page.locator(".messages").inner_text()
    assert _fits(page)


def test_a_transfer_between_two_townships_walked_on_phones(browser, live_server, axe_source):
    demo_county.load()
    posts = Position.objects.values_list("person_id", flat=True)
    moving = (
        Person.objects.filter(organisation__name__contains="柳树村", standing="full")
        .exclude(pk__in=posts)
        .exclude(pk__in=Transfer.objects.values("person"))
        .order_by("pk")
        .first()
    )

    # 柳树村's secretary: from the 工作台 to the branch's desk, the proposal's own page.
    context, page = _signed_in(browser, live_server, "secretary")
    page.get_by_role("link", name="中共东岭镇柳树村支部委员会：组织关系转接").click()
    assert _fits(page)
    page.get_by_role("link", name="提出转接").click()
    page.select_option("#sf-propose-member", str(moving.pk))
    target = page.locator("#sf-propose-to_branch option", has_text="竹溪村")
    page.select_option("#sf-propose-to_branch", target.get_attribute("value"))
    page.fill("#sf-propose-reason", "到竹溪村开办农家乐")
    page.locator("form[action$='/propose/'] button[type=submit]").click()
    _done(page, "提出转接")
    transfer = Transfer.objects.get(person=moving)
    context.close()

    # 东岭镇's organiser: the transfer's page, the letter issued on it, then printed.
    context, page = _signed_in(browser, live_server, "township")
    page.goto(f"{live_server.url}/staff/s/transfers/{transfer.pk}/")
    page.fill("#f-issue-dues_paid_to", f"{timezone.localdate():%Y-%m}")
    page.locator("form[action$='/issue/'] button[type=submit]").click()
    _done(page, "开具介绍信")
    letter = page.locator("a[href$='/documents/letter.pdf']")
    assert "组织关系介绍信" in letter.inner_text()  # its name, for a screen reader too
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    context.close()

    # 南山镇's organiser: from his 工作台 to his desk, where the letter waits among those
    # coming in (due in 30 days: not yet in the week's list); he accepts it on its page.
    context, page = _signed_in(browser, live_server, "nanshan")
    page.get_by_role("link", name="中共南山镇委员会：组织关系转接").click()
    assert _fits(page)
    page.get_by_role("link", name=moving.name).first.click()
    assert "待接收" in page.content() and _fits(page)
    page.locator("form[action$='/accept/'] button[type=submit]").click()
    _done(page, "接收")
    page.screenshot(path="var/transfer-phone.png", full_page=False)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".map(v => v.id + ' ' + v.nodes.slice(0, 2).map(n => n.target).join(','))"
    )
    assert violations == []
    context.close()

    # Back at 东岭镇: the 回执 in its 工作台's desk, recorded; the transfer is done.
    context, page = _signed_in(browser, live_server, "township")
    page.goto(f"{live_server.url}/staff/s/transfers/{transfer.pk}/")
    page.locator("form[action$='/receipt/'] button[type=submit]").click()
    _done(page, "回执已退回")
    context.close()
    transfer.refresh_from_db()
    assert transfer.status == Status.CLOSED
    assert Person.objects.get(pk=moving.pk).organisation.name.endswith("竹溪村支部委员会")
