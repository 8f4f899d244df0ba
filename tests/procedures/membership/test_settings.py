"""A county's settings are checked where they are read: a name no rulebook or variant has
refuses a new case with a message the county can act on, never a crash."""

from datetime import date

import pytest
from django.urls import reverse

from procedures.membership.models import Case, DevelopmentSettings
from procedures.village.models import DecisionSettings

from .walk import world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("rulebook", "2026修订版", "unknown_rulebook"), ("variant", "local-30", "unknown_variant")],
)
def test_a_mistyped_setting_refuses_new_cases_in_chinese(client, field, value, code):
    w = world()
    DevelopmentSettings.objects.update(**{field: value})  # past the admin's choices
    client.force_login(w.secretary)
    response = client.post(
        reverse("api:cases"),
        {"person": w.applicant.pk, "branch": w.branch.pk, "applied_on": "2026-11-02"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and "县委组织部" in body["message"]
    assert not Case.objects.exists()


def test_a_mistyped_village_method_refuses_new_matters(client):
    w = world()
    DecisionSettings.objects.create(county=w.tree.county, method="three")
    DecisionSettings.objects.update(method="五议")
    client.force_login(w.secretary)
    village = w.branch.village
    response = client.post(
        reverse("api:matters"),
        {"village": village.pk, "title": "修路", "category": "public_welfare"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_method"


def test_an_unknown_rulebook_on_a_case_answers_400_not_500(client):
    from procedures.membership import services

    w = world()
    case = services.case_open(
        actor=None, person=w.applicant, branch=w.branch, applied_on=date(2026, 11, 2)
    )
    Case.objects.filter(pk=case.pk).update(rulebook="gone")
    client.force_login(w.secretary)
    response = client.post(
        reverse("api:subject_step", args=["cases", case.pk, "talk"]),
        {"on": "2026-11-03"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_rulebook"


def test_every_rule_cites_an_article_or_says_honestly_where_it_comes_from():
    from workflows.rules import rulebooks

    for rulebook in rulebooks().values():
        for rule_id in rulebook.ids():
            rule = rulebook.rule(rule_id)
            assert "待确认" not in rule.article, (rulebook.key, rule_id)
            if not rule.article:
                assert rule.reported or "县委组织部" in rule.document, (rulebook.key, rule_id)


@pytest.mark.parametrize(
    ("rule_id", "article"),
    [
        ("half_year_assessments", "第十一条"),
        ("review_committee", "第十九条"),
        ("archive_checklist", "第三十七条"),
    ],
)
def test_the_2014_articles_once_left_unconfirmed(rule_id, article):
    from workflows.rules import get_rulebook

    assert get_rulebook("cpc-2014").citation(rule_id).article == article
