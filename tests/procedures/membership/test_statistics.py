"""The structure of new members from the case rows: who counts in a period, the shares in both
category sets, at their boundaries (35 on the day of admission vs 36; admitted on 12-31 vs
01-01), recomputed here from the rows by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from fixtures import case_script
from procedures.membership import services, statistics
from procedures.membership.models import Case
from procedures.membership.statistics import stages
from procedures.people import vocabularies
from procedures.people.models import Person
from tests import factories

from .walk import APPLIED_ON, date_of, world

pytestmark = pytest.mark.django_db
ADMITTED = date_of("branch_admit")


def _admitted(w, person, *, applied_on=APPLIED_ON) -> Case:
    case = services.case_open(actor=None, person=person, branch=w.branch, applied_on=applied_on)
    return case_script.advance(case, w.cast, until="notify_admission")  # approved


def _applied_for(admitted: date) -> date:
    """The application day whose scripted admission falls on `admitted`."""
    return admitted - (case_script.dates(APPLIED_ON)["branch_admit"] - APPLIED_ON)


@pytest.mark.parametrize(
    ("born", "youth"),
    [
        (ADMITTED - relativedelta(years=35), True),  # 35th birthday that day: 35
        (ADMITTED - relativedelta(years=36) + timedelta(days=1), True),  # 36 tomorrow
        (ADMITTED - relativedelta(years=36), False),  # 36th birthday that day
    ],
)
def test_thirty_five_is_the_age_on_the_day_of_admission(born, youth):
    w = world()
    case = _admitted(w, factories.person(w.branch, born=born))
    counted = statistics.structure(Case.objects.all(), ADMITTED, ADMITTED)
    assert counted.total == 1 and case.admitted_on == ADMITTED
    assert [s.count for s in counted.seed if s.label == "35岁以下"] == [int(youth)]
    assert [s.count for s in counted.bulletin if s.label == "35岁及以下"] == [int(youth)]


def test_admitted_on_new_year_s_eve_counts_in_that_year_and_on_new_year_s_day_in_the_next():
    w = world()
    eve = _admitted(w, factories.person(w.branch), applied_on=_applied_for(date(2024, 12, 31)))
    day = _admitted(w, factories.person(w.branch), applied_on=_applied_for(date(2025, 1, 1)))
    assert (eve.admitted_on, day.admitted_on) == (date(2024, 12, 31), date(2025, 1, 1))
    cases = Case.objects.all()
    assert statistics.structure(cases, date(2024, 1, 1), date(2024, 12, 31)).total == 1
    assert statistics.structure(cases, date(2025, 1, 1), date(2025, 12, 31)).total == 1
    assert statistics.structure(cases, date(2024, 12, 31), date(2025, 1, 1)).total == 2


def test_a_case_counts_once_approved_and_stays_counted_if_its_probation_is_cancelled():
    w = world()
    case = services.case_open(
        actor=None, person=factories.person(w.branch), branch=w.branch, applied_on=APPLIED_ON
    )
    case = case_script.advance(case, w.cast, until="approve")  # admitted, not yet approved
    year = (date(ADMITTED.year, 1, 1), date(ADMITTED.year, 12, 31))
    assert statistics.structure(Case.objects.all(), *year).total == 0
    case = case_script.advance(case, w.cast, until="take_oath")
    assert statistics.structure(Case.objects.all(), *year).total == 1
    services.case_cancel(
        case_id=case.pk, actor=None, decided_on=date_of("take_oath"), reason="不履行党员义务"
    )
    assert statistics.structure(Case.objects.all(), *year).total == 1


def test_shares_in_both_category_sets_recomputed_from_the_rows():
    w = world()
    people = [
        factories.person(w.branch, male=False, ethnicity="苗族", born=date(1995, 1, 1)),
        factories.person(
            w.branch, male=False, born=date(1980, 1, 1), education=Person.Education.BACHELOR
        ),
        factories.person(
            w.branch,
            born=date(1990, 1, 1),
            education=Person.Education.JUNIOR,
            occupation=Person.Occupation.VILLAGE_CADRE,
        ),
        factories.person(
            w.branch,
            ethnicity="侗族",
            born=date(2000, 1, 1),
            education=Person.Education.COLLEGE,
            occupation=Person.Occupation.MIGRANT_WORKER,
        ),
    ]
    for person in people:
        _admitted(w, person)
    # Edited after admission: the statistics keep what was recorded that day.
    Person.objects.filter(pk=people[2].pk).update(education=Person.Education.POSTGRADUATE)
    rows = list(Case.objects.select_related("person"))
    counted = statistics.structure(Case.objects.all(), ADMITTED, ADMITTED)

    def age(case):
        b, a = case.person.birth_date, case.admitted_on
        return a.year - b.year - ((a.month, a.day) < (b.month, b.day))

    expected = {
        "高中以上文化": sum(c.admitted_education in vocabularies.SENIOR_OR_ABOVE for c in rows),
        "大专及以上": sum(
            c.admitted_education in ("college", "bachelor", "postgraduate") for c in rows
        ),
        "女": sum(c.person.gender == "female" for c in rows),
        "少数民族": sum(c.person.ethnicity != "汉族" for c in rows),
        "35岁以下": sum(age(c) <= 35 for c in rows),
        "35岁及以下": sum(age(c) <= 35 for c in rows),
        "生产一线": sum(c.admitted_occupation in ("farmer", "migrant_worker") for c in rows),
        "生产工作一线": sum(c.admitted_occupation in ("farmer", "migrant_worker") for c in rows),
    }
    got = {s.label: s.count for s in counted.seed + counted.bulletin}
    assert counted.total == len(rows) == 4
    assert got == expected == {
        "高中以上文化": 3, "大专及以上": 2, "女": 2, "少数民族": 2,
        "35岁以下": 3, "35岁及以下": 3, "生产一线": 3, "生产工作一线": 3,
    }  # fmt: skip
    assert [str(s.percent) for s in counted.seed] == ["75.0", "50.0", "50.0", "75.0", "75.0"]


def test_a_share_of_nobody_is_no_figure_and_halves_round_up():
    assert statistics.Share("女", 0, 0).percent is None
    assert str(statistics.Share("女", 1, 8).percent) == "12.5"
    assert str(statistics.Share("女", 27, 102).percent) == "26.5"  # seed 004's figures
    assert str(statistics.Share("女", 79, 102).percent) == "77.5"  # 77.45…: the seed has 77.4


def test_the_record_taken_at_admission_goes_when_the_meeting_is_undone():
    w = world()
    case = _admitted(w, factories.person(w.branch))
    assert (case.admitted_education, case.admitted_occupation) == ("senior", "farmer")
    from procedures.membership.services.corrections import rewind

    rewind(case, "branch_admit")
    assert case.admitted_on is None and case.admitted_education == ""


def test_only_the_fifty_six_and_two_others_are_ethnicities():
    assert len(vocabularies.ETHNIC_GROUPS) == 56 == len(set(vocabularies.ETHNIC_GROUPS))
    assert len(vocabularies.MINORITIES) == 55 and "汉族" not in vocabularies.MINORITIES
    field = Person._meta.get_field("ethnicity")
    assert field.clean("布依族", None) == "布依族"
    with pytest.raises(ValidationError) as raised:
        field.clean("火星族", None)
    assert raised.value.code == "invalid_choice"


def _walked(w, until=None) -> Case:
    case = services.case_open(
        actor=None, person=factories.person(w.branch), branch=w.branch, applied_on=APPLIED_ON
    )
    return case_script.advance(case, w.cast, until=until)


def test_the_funnel_follows_those_who_applied_in_the_period_and_never_passes_100_percent():
    w = world()
    full = _walked(w)  # applied 2023-03-01 … a full member
    _walked(w, until="choose_candidate")  # an activist since 2023-04-10
    _walked(w, until="choose_activist")  # an applicant
    assert full.converted_on is not None
    cases = Case.objects.all()
    now = full.converted_on
    year_one = statistics.funnel(cases, date(2023, 1, 1), date(2023, 12, 31), as_of=now)
    assert [(s.label, s.count) for s in year_one] == [
        ("入党申请人", 3), ("入党积极分子", 2), ("发展对象", 1), ("预备党员", 1), ("正式党员", 1),
    ]  # fmt: skip
    assert [str(s.ratio) for s in year_one[1:]] == ["66.7", "50.0", "100.0", "100.0"]
    # The day before the conversion he is not yet counted as a full member; the day of, he is.
    before = statistics.funnel(
        cases, date(2023, 1, 1), date(2023, 12, 31), as_of=now - timedelta(days=1)
    )
    assert before[-1].count == 0 and before[-2].count == 1
    # Who applied outside the period is not of the cohort, whatever he reached in it.
    later = statistics.funnel(cases, date(2024, 1, 1), date(2024, 12, 31), as_of=now)
    assert [s.count for s in later] == [0, 0, 0, 0, 0]
    assert all(s.ratio is None or s.ratio <= 100 for s in year_one + before + later)


def test_each_stage_s_time_is_the_median_of_who_finished_it_in_the_period():
    w = world()
    full = _walked(w)
    _walked(w, until="choose_candidate")
    spans = statistics.spans(Case.objects.all(), date(2023, 1, 1), date(2025, 12, 31))
    assert [(s.label, s.count) for s in spans] == [
        ("入党申请人→入党积极分子", 2), ("入党积极分子→发展对象", 1),
        ("发展对象→预备党员", 1), ("预备党员→正式党员", 1),
    ]  # fmt: skip
    assert spans[0].median_days == (full.activist_on - full.applied_on).days
    assert spans[2].median_days == (full.admitted_on - full.candidate_on).days
    assert spans[3].median_days == (full.converted_on - full.admitted_on).days
    # Of an even count the middle two's mean; of none, nothing.
    assert stages._median([timedelta(days=10), timedelta(days=13)]) == Decimal("11.5")
    assert stages._median([]) is None
    slow = statistics.slowest_branches(Case.objects.all(), date(2024, 1, 1), date(2024, 12, 31))
    assert [(b.branch, b.count, b.average_days) for b in slow] == [
        (w.branch.name, 1, (full.admitted_on - full.applied_on).days)
    ]
