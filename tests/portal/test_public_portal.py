import logging
import re
from datetime import timedelta

import pypdfium2
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from procedures.publicity import services
from procedures.publicity.models import Notice, Objection
from tests import factories
from workflows.notices import NoticeStatus, receipt_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    tree = factories.tree()
    village = tree.villages[0]
    person = factories.person(tree.branches[0], name="李四")
    current = services.notice_draft(
        actor=None,
        village=village,
        kind="candidate",
        subject=person,
        issuer="测试村党支部",
        title="关于李四同志拟列为发展对象的公示",
        fields={"name": "李四", "gender": "男"},
    )
    services.notice_publish(actor=None, notice=current)
    draft = services.notice_draft(
        actor=None,
        village=village,
        kind="candidate",
        issuer="测试村党支部",
        title="草稿不公开",
        fields={"name": "王五"},
    )
    withdrawn = services.notice_draft(
        actor=None,
        village=village,
        kind="candidate",
        issuer="测试村党支部",
        title="已撤回的公示",
        fields={"name": "赵六"},
    )
    services.notice_withdraw(actor=None, notice=withdrawn, reason="重新公示")
    return {
        "tree": tree,
        "village": village,
        "current": current,
        "draft": draft,
        "withdrawn": withdrawn,
    }


def test_home_lists_townships_and_finds_a_village_by_name(client, board):
    page = client.get(reverse("public:home")).content.decode()
    assert "测试0镇党委" in page and "测试1镇党委" in page
    found = client.get(reverse("public:home"), {"q": "0-0"}).content.decode()
    assert "测试0-0村" in found and "测试1-1村" not in found
    assert "没有找到" in client.get(reverse("public:home"), {"q": "不存在"}).content.decode()


def test_village_board_separates_current_and_archived_and_hides_drafts(client, board):
    page = client.get(reverse("public:village", args=[board["village"].pk])).content.decode()
    assert "关于李四同志拟列为发展对象的公示" in page
    assert "已撤回的公示" in page and "已撤回" in page
    assert "草稿不公开" not in page


def test_a_draft_notice_is_not_public(client, board):
    assert client.get(reverse("public:notice", args=[board["draft"].pk])).status_code == 404
    assert client.get(reverse("public:notice_pdf", args=[board["draft"].pk])).status_code == 404


def test_notice_page_has_title_description_and_open_graph_tags(client, board):
    page = client.get(reverse("public:notice", args=[board["current"].pk])).content.decode()
    assert "<title>关于李四同志拟列为发展对象的公示 · 基层公示栏</title>" in page
    assert re.search(r'<meta name="description" content="[^"]*公示中', page)
    assert '<meta property="og:title" content="关于李四同志拟列为发展对象的公示">' in page
    assert 'property="og:description"' in page and 'property="og:url"' in page
    assert "发布当日计入" in page  # the convention is stated
    assert 'id="read-aloud"' in page and "portal/read_aloud.js" in page
    script = finders.find("portal/read_aloud.js")
    assert "speechSynthesis" in open(script, encoding="utf-8").read()


def test_every_public_page_is_small(client, board):
    for url in [
        reverse("public:home"),
        reverse("public:township", args=[board["village"].township_id]),
        reverse("public:village", args=[board["village"].pk]),
        reverse("public:notice", args=[board["current"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) < 20_000, url  # no framework: one small HTML document


def test_raising_a_concern_gives_a_receipt_to_check_later(client, board):
    url = reverse("public:concern", args=[board["current"].pk])
    response = client.post(url, {"text": "该同志长期不参加村里活动。", "name": "", "phone": ""})
    assert response.status_code == 200
    objection = Objection.objects.get()
    code = objection.receipt
    assert receipt_checks(code)  # ten digits, the last a check digit
    page = response.content.decode()
    assert f"{code[:4]} {code[4:8]} {code[8:]}" in page  # shown in groups, to read aloud
    # It says who checks the concern and by when: the township, by the day after the period.
    notice = Notice.objects.get(pk=board["current"].pk)
    township = notice.village.township.name
    due = notice.ends_on + timedelta(days=1)
    assert f"{township}核查" in page and f"{due.year}年{due.month}月{due.day}日前办结" in page
    said = f"{code[:3]}-{code[3:7]} {code[7:]}"  # however it is written down
    status = client.get(reverse("public:receipt"), {"no": said})
    assert "已受理" in status.content.decode()
    notice_page = client.get(reverse("public:notice", args=[board["current"].pk])).content.decode()
    assert "收到反映1件" in notice_page
    assert "该同志长期不参加村里活动" not in notice_page  # what was said stays with the staff


def test_a_concern_must_come_from_the_form(client, board):
    url = reverse("public:concern", args=[board["current"].pk])
    response = client.post(url, '{"text": "json body"}', content_type="application/json")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_content_type"
    assert not Objection.objects.exists()


def test_a_bad_concern_gets_a_chinese_message_and_saves_nothing(client, board):
    response = client.post(reverse("public:concern", args=[board["current"].pk]), {"text": "短"})
    assert response.status_code == 400
    assert "个字" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_flood_is_answered_429_without_a_server_error(client, board):
    url = reverse("public:concern", args=[board["current"].pk])
    codes = [client.post(url, {"text": f"第{i}次反映的内容"}).status_code for i in range(8)]
    assert codes == [200] * services.RATE_PER_CLIENT + [429] * (8 - services.RATE_PER_CLIENT)


def test_unknown_receipt_and_unknown_pages_answer_404_in_chinese(client, board):
    response = client.get(reverse("public:receipt"), {"no": "FY0000000000"})
    assert response.status_code == 404
    assert "没有找到该回执号" in response.content.decode()
    unknown = client.get(reverse("public:receipt"), {"no": "1234 5678 97"})  # check digit holds
    assert unknown.status_code == 404


def test_a_misheard_receipt_digit_is_caught_by_its_check_digit(client, board):
    url = reverse("public:concern", args=[board["current"].pk])
    client.post(url, {"text": "该同志长期不参加村里活动。"})
    code = Objection.objects.get().receipt
    # Two neighbours swapped (Luhn catches every swap but 0 and 9), one digit misheard.
    at = next(
        i for i in range(9) if code[i] != code[i + 1] and {code[i], code[i + 1]} != {"0", "9"}
    )
    swapped = code[:at] + code[at + 1] + code[at] + code[at + 2 :]
    wrong = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
    for typed in (swapped, wrong):
        response = client.get(reverse("public:receipt"), {"no": typed})
        assert response.status_code == 400 and "校验位" in response.content.decode()
    assert client.get("/v/999999/").status_code == 404
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()


def test_elder_mode_is_a_cookie_switched_from_every_page(client, board):
    url = reverse("public:village", args=[board["village"].pk])
    assert 'class="elder"' not in client.get(url).content.decode()
    switch = client.get(reverse("public:elder", args=["on"]), {"next": url})
    assert switch.status_code == 302 and switch["Location"] == url
    page = client.get(url).content.decode()
    assert '<body class="elder">' in page and "标准版" in page
    client.get(reverse("public:elder", args=["off"]), {"next": url})
    assert 'class="elder"' not in client.get(url).content.decode()


def test_elder_switch_does_not_redirect_elsewhere(client):
    response = client.get(reverse("public:elder", args=["on"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_qr_codes_link_to_the_pages(client, board):
    response = client.get(reverse("public:village_qr", args=[board["village"].pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_pdf_is_a4_with_chinese_text_and_not_blank(client, board):
    response = client.get(reverse("public:notice_pdf", args=[board["current"].pk]))
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    page = document[0]
    width, height = page.get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = page.get_textpage().get_text_range()
    assert "关于李四同志拟列为发展对象的公示" in text
    assert "公示期" in text and "发布当日计入" in text
    image = page.render(scale=1).to_pil().convert("L")
    dark = sum(1 for value in image.get_flattened_data() if value < 128)
    assert dark > 0.005 * image.width * image.height  # text and the QR code are drawn


def test_making_a_pdf_writes_no_font_subsetting_lines_to_the_log(client, board, caplog):
    # fontTools logs each glyph list it subsets at INFO: thirty lines a PDF in the server log.
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("public:notice_pdf", args=[board["current"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert [r.name for r in caplog.records if r.name.startswith("fontTools")] == []


def test_withdrawn_notice_stays_readable_and_says_so(client, board):
    page = client.get(reverse("public:notice", args=[board["withdrawn"].pk])).content.decode()
    assert "已撤回" in page and "重新公示" in page
    board["withdrawn"].refresh_from_db()
    assert board["withdrawn"].status == NoticeStatus.WITHDRAWN


def test_a_notice_past_its_end_reads_as_ended_before_the_sweep_closes_it(client, board):
    from datetime import timedelta

    from django.utils import timezone

    notice = services.notice_draft(
        actor=None,
        village=board["village"],
        kind="candidate",
        issuer="测试村党支部",
        title="昨天到期的公示",
        fields={"name": "钱七"},
    )
    services.notice_publish(
        actor=None, notice=notice, published_on=timezone.localdate() - timedelta(days=30)
    )
    page = client.get(reverse("public:notice", args=[notice.pk])).content.decode()
    assert "公示已结束" in page and "公示期已结束" in page
    assert 'action="/n/' not in page  # no concern form


def test_public_pages_come_from_the_cache_until_what_they_show_changes(
    client, board, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    settings.JICENG_PUBLIC_CACHE_SECONDS = 60
    cache.clear()
    url = reverse("public:notice", args=[board["current"].pk])
    first = client.get(url)
    assert "目前没有收到反映" in first.content.decode()
    assert "jc_cid" in first.cookies  # each visitor's own cookie, cached page or not
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content
    elder = client.get(url, HTTP_COOKIE="jc_elder=1").content.decode()
    assert 'class="elder"' in elder  # elder mode is a page of its own
    other = client.__class__()  # a new visitor, no cookie yet: still gets one
    assert "jc_cid" in other.get(url).cookies
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("public:concern", args=[board["current"].pk]),
            {"text": "该同志长期不参加村里活动。", "name": "", "phone": ""},
        )
    assert "收到反映1件" in client.get(url).content.decode()  # the change shows at once


def test_the_notice_forms_work_without_a_csrf_token(board):
    """The page is the same for every visitor (cacheable): its anonymous forms carry no
    per-visitor token and are accepted without one."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(reverse("public:notice", args=[board["current"].pk])).content.decode()
    assert "csrfmiddlewaretoken" not in page
    answer = strict.post(
        reverse("public:concern", args=[board["current"].pk]),
        {"text": "该同志长期不参加村里活动。", "name": "", "phone": ""},
    )
    assert answer.status_code == 200 and Objection.objects.count() == 1


def test_the_board_says_each_notice_s_dates_plainly(client, board):
    """A running notice: its end, with the year when it is not this year's and 暂定 when the
    end falls in a year whose holiday schedule is not published; a past one: its period; a
    withdrawn one: when it was withdrawn."""
    from datetime import date

    village = board["village"]
    new_year = services.notice_draft(
        actor=None,
        village=village,
        kind="candidate",
        issuer="测试村党支部",
        title="跨年的公示",
        fields={"name": "孙七"},
    )
    new_year = services.notice_publish(actor=None, notice=new_year, published_on=date(2026, 12, 28))
    assert new_year.provisional and new_year.ends_on.year == 2027
    past = services.notice_draft(
        actor=None,
        village=village,
        kind="candidate",
        issuer="测试村党支部",
        title="已结束的公示",
        fields={"name": "周八"},
    )
    past = services.notice_publish(actor=None, notice=past, published_on=date(2026, 9, 30))
    services.notices_close_due(today=date(2026, 10, 13))
    page = client.get(reverse("public:village", args=[village.pk])).content.decode()
    end = new_year.ends_on
    assert f"{end.year}年{end.month}月{end.day}日截止（暂定）" in page
    assert "如国务院公布的放假安排不同，截止日期可能调整" in page
    assert "9月30日至10月12日" in page  # the period, not a lone date (this year's: no year)
    withdrawn = Notice.objects.get(pk=board["withdrawn"].pk).withdrawn_on
    assert f"已撤回 · {withdrawn.year}年{withdrawn.month}月{withdrawn.day}日" in page
    notice_page = client.get(reverse("public:notice", args=[new_year.pk])).content.decode()
    assert "截止日期可能调整" in notice_page and "（暂定）" in notice_page


@pytest.mark.parametrize(
    ("starts", "ends", "status", "expected"),
    [
        ((2026, 11, 19), (2026, 11, 25), "closed", "11月19日至25日"),
        ((2026, 9, 30), (2026, 10, 12), "closed", "9月30日至10月12日"),
        ((2025, 12, 29), (2026, 1, 6), "closed", "2025年12月29日至2026年1月6日"),
        ((2026, 11, 30), (2026, 12, 4), "published", "12月4日截止"),
        ((2026, 12, 28), (2027, 1, 5), "published", "2027年1月5日截止"),
    ],
)
def test_a_board_line_says_its_dates_as_short_as_is_unambiguous(starts, ends, status, expected):
    from datetime import date

    from portal.public.texts import board_badge

    notice = Notice(status=status, starts_on=date(*starts), ends_on=date(*ends))
    assert board_badge(notice, date(2026, 12, 1)) == expected
