"""The statistics page: the same figures for every level, over the user's own scope; bad
dates are refused in Chinese and the default period shown, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from fixtures import case_script
from procedures.membership import services
from tests import factories

from ..procedures.membership.walk import APPLIED_ON, date_of, world

pytestmark = pytest.mark.django_db
ADMITTED = date_of("branch_admit")


def _admit(w, branch, **person):
    case = services.case_open(
        actor=None, person=factories.person(branch, **person), branch=branch, applied_on=APPLIED_ON
    )
    return case_script.advance(case, w.cast, until="notify_admission")


def _page(client, **query):
    return client.get(reverse("staff:statistics"), query).content.decode()


def test_each_level_sees_its_own_scope_with_the_definitions(client):
    w = world()
    _admit(w, w.branch, male=False, ethnicity="苗族")
    _admit(w, w.branch)
    period = {"start": f"{ADMITTED.year}-01-01", "end": f"{ADMITTED.year}-12-31"}
    client.force_login(w.organiser)  # the township: its branches
    page = _page(client, **period)
    assert "共发展党员2名" in page
    cells = '<td data-label="人数">1</td><td data-label="占新党员比例（%）">50.0%</td>'
    assert f'<th scope="row">女</th>{cells}' in page
    assert f'<th scope="row">少数民族</th>{cells}' in page
    assert "35岁及以下" in page and "统计口径" in page and "周岁" in page
    client.force_login(w.other_secretary)  # another village's branch: none of them
    assert "共发展党员0名" in _page(client, **period)
    client.force_login(w.secretary)
    assert "共发展党员2名" in _page(client, **period, organisation=w.branch.pk)
    # An organisation outside the user's scope is not taken: the user's own scope is shown.
    other = w.tree.branches[1]
    assert other.name not in _page(client, **period, organisation=other.pk).split("<table")[0]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2024-13-01"},
        {"start": "二〇二四年"},
        {"end": "2024-02-30"},
        {"start": "2025-01-01", "end": "2024-01-01"},
        {"start": "x" * 5000},
    ],
)
def test_bad_input_is_refused_in_chinese_and_the_default_period_shown(client, query):
    w = world()
    client.force_login(w.secretary)
    response = client.get(reverse("staff:statistics"), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已按默认统计期显示" in body
    assert f"{date.today().year}年1月1日至" in body


def test_an_organisation_that_is_not_one_of_the_user_s_is_not_found_in_chinese(client):
    w = world()
    client.force_login(w.secretary)
    response = client.get(reverse("staff:statistics"), {"organisation": "１"})
    assert response.status_code == 404 and "没有找到" in response.content.decode()


def test_a_nul_byte_is_a_bad_request(client):
    w = world()
    client.force_login(w.secretary)
    response = client.get(reverse("staff:statistics"), {"start": "2024-01-01\x00"})
    assert response.status_code == 400


def test_the_county_sets_a_plan_on_its_page_and_a_refusal_keeps_what_was_typed(client):
    w = world()
    year = date.today().year
    client.force_login(w.county)
    page = client.get(reverse("staff:plans"), {"year": year}).content.decode()
    url = reverse("staff:plan", args=[w.township.pk, year])
    assert f'href="{url}"' in page and "未下达计划" in page
    refused = client.post(url, {"quota": "-3", "women": "45", "reason": ""})
    body = refused.content.decode()
    assert refused.status_code == 200 and "计划发展党员数应为0至100000之间的整数" in body
    assert 'value="45"' in body  # what was typed stays
    done = client.post(url, {"quota": "6", "women": "45", "youth": "", "frontline": "70"})
    assert done.status_code == 302
    progress = client.get(done["Location"]).content.decode()
    assert "已下达" in progress and "计划发展党员6名" in progress
    form = client.get(url).content.decode()
    assert "第1版" in form and "组织部干事" in form  # the person who set it, not the login
    assert "w-county" not in form.split("下达人", 1)[1]
    # A branch's secretary neither sets nor sees the form of a township's plan.
    client.force_login(w.secretary)
    assert client.get(url).status_code == 404
    assert client.post(url, {"quota": "1"}).status_code == 404
    client.force_login(w.organiser)
    branch_url = reverse("staff:plan", args=[w.branch.pk, year])
    assert client.post(branch_url, {"quota": "7"}).status_code == 200  # over 6: refused
    assert client.post(branch_url, {"quota": "4"}).status_code == 302


@pytest.mark.parametrize("name", ["staff:plans", "staff:life_statistics", "staff:report"])
@pytest.mark.parametrize("year", ["二〇二六", "1999", "9999", "2026\u0661"])
def test_a_bad_year_is_refused_in_chinese_and_this_year_shown(client, name, year):
    w = world()
    client.force_login(w.organiser)
    response = client.get(reverse(name), {"year": year})
    assert response.status_code == 200
    body = response.content.decode()
    assert "已按今年显示" in body and f"{date.today().year}年" in body


def test_an_unknown_download_format_is_not_found(client):
    w = world()
    client.force_login(w.organiser)
    assert client.get(reverse("staff:report"), {"format": "exe"}).status_code == 404


def test_another_township_s_figures_are_not_found_on_every_page_and_download(client):
    """A township asking for another township's (or a made-up) organisation gets 404 on every
    statistics page and download, as the plan form does, never its own figures under the
    other's name; its own organisation is served."""
    w = world()
    client.force_login(w.organiser)
    own, other = w.township, w.tree.townships[1]
    year = ADMITTED.year
    for name, extra in (
        ("staff:statistics", {}), ("staff:statistics", {"format": "xlsx"}),
        ("staff:statistics", {"format": "pdf"}), ("staff:plans", {}),
        ("staff:plans", {"format": "xlsx"}), ("staff:life_statistics", {}),
        ("staff:life_statistics", {"format": "xlsx"}), ("staff:report", {"year": year}),
        ("staff:report", {"year": year, "format": "pdf"}),
        ("staff:report", {"year": year, "format": "docx"}),
        ("staff:development_ledger", {"year": year}),
    ):  # fmt: skip
        url = reverse(name)
        for asked, status in ((other.pk, 404), ("abc", 404), (999999, 404), (own.pk, 200)):
            answer = client.get(url, {**extra, "organisation": asked})
            assert answer.status_code == status, (name, extra, asked, answer.status_code)
