import pytest

from workflows.errors import ProcedureError
from workflows.models import RuleSetting
from workflows.rules import Rule, Rulebook

pytestmark = pytest.mark.django_db

DOCUMENT = "中国共产党发展党员工作细则"


def _long_enough(params, *, months):
    return months >= params["months"]


BOOK = Rulebook(
    "test-2014",
    "测试规则集",
    [
        Rule(
            id="cultivation_period",
            message="培养教育考察时间不足{months_text}",
            predicate=_long_enough,
            document=DOCUMENT,
            short="细则",
            article="第十三条",
            params={"months": 12, "months_text": "一年"},
        ),
        Rule(
            id="reported_notice",
            message="未经公示",
            predicate=lambda params, *, done: done,
            document="地方规定",
            short="地方规定",
            reported=True,
        ),
    ],
)


def test_a_satisfied_rule_returns_no_violation():
    assert BOOK.check("cultivation_period", months=12) == []


@pytest.mark.django_db
def test_a_broken_rule_says_what_is_wrong_and_cites_the_article():
    [violation] = BOOK.check("cultivation_period", months=11)
    assert violation.message == "培养教育考察时间不足一年（《细则》第十三条）"
    assert violation.code == "cultivation_period"
    assert violation.citation.rulebook == "test-2014"
    assert violation.citation.as_dict()["article"] == "第十三条"


@pytest.mark.django_db
def test_an_edited_article_and_parameter_apply_without_code_change():
    RuleSetting.objects.create(
        rulebook="test-2014", rule_id="cultivation_period", article="第十四条", params={"months": 6}
    )
    assert BOOK.check("cultivation_period", months=6) == []
    [violation] = BOOK.check("cultivation_period", months=5)
    assert violation.message.endswith("（《细则》第十四条）")


@pytest.mark.django_db
def test_a_reported_rule_can_be_switched_off():
    assert BOOK.check("reported_notice", done=False)
    RuleSetting.objects.create(rulebook="test-2014", rule_id="reported_notice", enabled=False)
    assert BOOK.check("reported_notice", done=False) == []


@pytest.mark.django_db
def test_require_raises_one_error_carrying_every_violation():
    with pytest.raises(ProcedureError) as raised:
        BOOK.require(
            BOOK.check("cultivation_period", months=3), BOOK.check("reported_notice", done=False)
        )
    error = raised.value
    assert error.code == "cultivation_period"
    assert error.status == 400
    body = error.as_dict()
    assert body["citation"]["text"] == "《细则》第十三条"
    assert [v["code"] for v in body["violations"]] == ["cultivation_period", "reported_notice"]
    assert body["violations"][1]["citation"]["reported"] is True


@pytest.mark.django_db
def test_require_with_nothing_broken_passes():
    BOOK.require(BOOK.check("cultivation_period", months=13))


def test_duplicate_rule_ids_are_refused():
    rule = Rule(id="x", message="", predicate=lambda p: True, document="d", short="d")
    with pytest.raises(ValueError):
        Rulebook("dup", "dup", [rule, rule])
