"""A villager on a phone-sized window, and the accessibility of every portal page."""

import json
import re

import pytest
from django.urls import reverse

from fixtures import demo_county
from procedures.people.models import Village
from procedures.publicity.models import Notice, Objection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _a_villager_reads_the_notices_of_her_village_and_raises_a_concern(browser, live_server):
    village = Village.objects.get(name="柳树村")
    notice = Notice.objects.filter(village=village, status="published", kind="candidate").get()
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    blocked = []  # the real pages, under their real Content-Security-Policy
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
    page.goto(live_server.url + "/")
    assert page.evaluate("document.styleSheets.length") >= 1  # the portal's own stylesheet
    page.fill("#q", "柳树")
    page.click("button[type=submit]")
    page.get_by_role("link", name="柳树村").first.click()
    assert page.locator("h1").inner_text() == "柳树村公示栏"
    page.get_by_role("link", name=notice.title).click()
    assert page.locator("h1").inner_text() == notice.title
    assert "公示期" in page.locator("#notice-text").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#text", "该同志去年外出务工，很少参加村里的活动，请组织核实。")
    page.click("form.stack button[type=submit]")
    receipt = page.locator("#receipt-number").inner_text()
    assert re.fullmatch(r"\d{4} \d{4} \d{2}", receipt)  # read aloud in groups
    assert Objection.objects.filter(receipt=receipt.replace(" ", ""), notice=notice).exists()
    page.get_by_role("link", name="以后查询请打开这个链接").click()
    assert page.locator("#receipt-status").inner_text() == "已受理"
    assert blocked == []
    page.close()


def _axe(page, axe_source):
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                             'wcag22aa', 'best-practice']},
            rules: {'target-size': {enabled: true}},
        })"""
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def _pages(live_server):
    village = Village.objects.get(name="柳树村")
    current = Notice.objects.filter(village=village, status="published").first()
    closed = Notice.objects.filter(village=village, status="closed").first()
    withdrawn = Notice.objects.filter(village=village, status="withdrawn").first()
    base = live_server.url
    return [
        base + reverse("public:home"),
        base + reverse("public:home") + "?q=村",
        base + reverse("public:township", args=[village.township_id]),
        base + reverse("public:village", args=[village.pk]),
        base + reverse("public:notice", args=[current.pk]),
        base + reverse("public:notice", args=[closed.pk]),
        base + reverse("public:notice", args=[withdrawn.pk]),
        base + reverse("public:receipt"),
        base + reverse("public:receipt") + "?no=" + Objection.objects.first().receipt,
    ]


def test_portal_pages_are_accessible_and_never_scroll_sideways(browser, live_server, axe_source):
    """A villager's visit on a phone, then every portal page: no WCAG violation in normal and
    elder mode; no sideways scrolling at 320 px and at 640 px with the text at 200 %. One demo
    county for all of it (a load takes ~20 s)."""
    demo_county.load()
    _a_villager_reads_the_notices_of_her_village_and_raises_a_concern(browser, live_server)
    urls = _pages(live_server)
    _no_horizontal_scrolling_at_320_px_and_at_200_percent_text(browser, urls)
    problems = {}
    for elder in (False, True):
        # The test injects axe-core into the page: that script is ours, not the page's.
        context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
        if elder:
            context.add_cookies([{"name": "jc_elder", "value": "1", "url": live_server.url}])
        page = context.new_page()
        for url in urls:
            page.goto(url)
            violations = _axe(page, axe_source)
            if violations:
                problems[f"{'elder ' if elder else ''}{url}"] = violations
            if elder:
                checks = page.evaluate(
                    """() => {
                      const size = parseFloat(getComputedStyle(document.body).fontSize);
                      const targets = 'a, button, input, textarea, select';
                      const small = [...document.querySelectorAll(targets)]
                        .filter(el => { const r = el.getBoundingClientRect();
                                        return r.width > 0 && r.left >= 0 && r.height < 60; })
                        .map(el => el.outerHTML.slice(0, 80));
                      return {size, small};
                    }"""
                )
                assert checks["size"] >= 18, url
                assert checks["small"] == [], (url, checks["small"])
                assert page.locator("text=标准版").count() == 1  # the way back, on every page
        context.close()
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)


def _no_horizontal_scrolling_at_320_px_and_at_200_percent_text(browser, urls):
    for width, text_scale in [(320, "100%"), (640, "200%")]:
        page = browser.new_page(
            viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True
        )
        for url in urls:
            page.goto(url)
            page.add_style_tag(content=f"html {{ font-size: {text_scale} !important; }}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, (url, width, overflow)
        viewport = page.locator('meta[name="viewport"]').get_attribute("content")
        assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport
        page.close()
