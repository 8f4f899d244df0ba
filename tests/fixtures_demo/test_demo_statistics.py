"""The county's figures on the demo county, recomputed here by hand from the rows (Python over
every case, not the pages' aggregate queries): the report writes seed 004's paragraph with
them; Excel, PDF and Word hold what the page shows; the ledger's completion of many branches
from grouped queries is what each branch's own ledger says."""

from __future__ import annotations

import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import openpyxl
import pypdfium2
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from portal.models import DocumentTemplate
from procedures.branchlife import ledger
from procedures.membership.models import Case, DevelopmentPlan
from procedures.membership.steps import BY_CODE
from procedures.people.models import Organisation
from tests.factories import word_template

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]
YEAR = timezone.localdate().year
MINORITY = lambda ethnicity: ethnicity not in ("", "汉族")


def _percent(count: int, total: int) -> str:
    exact = Decimal(count) * 100 / Decimal(total)
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _expected_paragraph(period: str, start: date, end: date) -> str:
    new = [
        case
        for case in Case.objects.select_related("person", "branch")
        if case.admitted_on and start <= case.admitted_on <= end and case.approved_on
    ]
    if not new:
        return f"{period}，中共演示县委员会尚未发展新党员。"
    townships = {case.branch.parent_id for case in new}
    plans: dict[int, DevelopmentPlan] = {}
    for plan in DevelopmentPlan.objects.filter(
        year=YEAR, organisation__kind=Organisation.Kind.TOWNSHIP_COMMITTEE
    ):
        if plan.version > getattr(plans.get(plan.organisation_id), "version", 0):
            plans[plan.organisation_id] = plan
    quota = sum(plan.quota for plan in plans.values())
    counts = [
        sum(case.admitted_education in ("senior", "college", "bachelor", "postgraduate")
            for case in new),
        sum(case.person.gender == "female" for case in new),
        sum(MINORITY(case.person.ethnicity) for case in new),
        sum(_age(case.person.birth_date, case.admitted_on) <= 35 for case in new),
        sum(case.admitted_occupation in ("farmer", "wealth_leader", "migrant_worker", "teacher")
            for case in new),
    ]  # fmt: skip
    labels = ("高中以上文化", "女党员", "少数民族党员", "35岁以下党员", "生产一线党员")
    parts = "；".join(
        f"{label}{n}名，占{_percent(n, len(new))}%" for label, n in zip(labels, counts, strict=True)
    )
    return (
        f"{period}，有{len(townships)}个党委发展新党员{len(new)}名，"
        f"占全年计划的{_percent(len(new), quota)}%。在新党员中，{parts}。"
    )


@pytest.fixture
def county(client):
    client.force_login(get_user_model().objects.get(username="county"))
    return client


@pytest.mark.parametrize(
    ("half", "period", "end"),
    [("", f"{YEAR}年", date(YEAR, 12, 31)), ("1", f"{YEAR}年上半年", date(YEAR, 6, 30))],
)
def test_the_report_writes_the_seed_s_paragraph_with_figures_recomputed_from_the_cases(
    county, half, period, end
):
    expected = _expected_paragraph(period, date(YEAR, 1, 1), end)
    body = county.get(reverse("staff:report"), {"year": YEAR, "half": half}).content.decode()
    assert f'<p class="lead">{expected}</p>' in body
    if not half:  # the demo's year has new members in every township
        assert "有3个党委发展新党员" in expected


class _Tables(HTMLParser):
    """The page's tables as their captions and rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "caption"):
            self._cell = tag
            self._text = ""

    def handle_data(self, data):
        if self._cell:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = self._text.strip()
        elif tag in ("td", "th") and self._cell:
            self.tables[-1]["rows"][-1].append(self._text.strip())
        if tag in ("td", "th", "caption"):
            self._cell = None


@pytest.mark.parametrize(
    "url",
    ["staff:statistics", "staff:plans", "staff:life_statistics", "staff:report"],
)
def test_each_page_s_excel_holds_the_figures_of_its_tables_numbers_as_numbers(county, url):
    query = {"year": YEAR} if url != "staff:statistics" else {"start": f"{YEAR}-01-01"}
    parser = _Tables()
    parser.feed(county.get(reverse(url), query).content.decode())
    response = county.get(reverse(url), {**query, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == len(parser.tables)
    for sheet, table in zip(book.worksheets, parser.tables, strict=True):
        title = sheet["A1"].value
        assert table["caption"] in title and "中共演示县委员会" in title  # organisation, period
        assert str(YEAR) in title
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        shown = [row for row in table["rows"] if row and row != ["暂无记录。"]]
        assert len(rows) == len(shown)
        for values, texts in zip(rows, shown, strict=True):
            for value, text in zip(values, texts, strict=True):
                if isinstance(value, int | float):
                    assert float(text.rstrip("%")) == value  # a number, and the page's
                else:
                    assert str(value or "") == ("" if text == "—" else text)
    assert any(
        isinstance(value, int) and value > 0
        for sheet in book.worksheets
        for row in sheet.iter_rows(min_row=3, values_only=True)
        for value in row
    )


def test_the_report_prints_as_a4_pdf_and_word_with_its_paragraph(county):
    query = {"year": YEAR}
    expected = _expected_paragraph(f"{YEAR}年", date(YEAR, 1, 1), date(YEAR, 12, 31))
    pdf = pypdfium2.PdfDocument(
        county.get(reverse("staff:report"), {**query, "format": "pdf"}).content
    )
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    flat = text.replace("\r", "").replace("\n", "")
    assert expected in flat and "各单位发展党员情况" in flat and "本文件字体" not in flat
    from docx import Document

    word = county.get(reverse("staff:report"), {**query, "format": "docx"})
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert expected in paragraphs


def test_a_county_s_template_is_used_for_the_next_report_and_a_broken_one_is_a_message(county):
    from docx import Document

    DocumentTemplate.objects.create(
        key="statistics_report", name="县模板.docx",
        content=word_template("富宁县委组织部", "{{ title }}", "{%p for text in paragraphs %}",
                         "{{ text }}", "{%p endfor %}"),
    )  # fmt: skip
    word = county.get(reverse("staff:report"), {"year": YEAR, "format": "docx"})
    paragraphs = [p.text for p in Document(io.BytesIO(word.content)).paragraphs]
    assert paragraphs[0] == "富宁县委组织部" and f"{YEAR}年发展党员工作情况" in paragraphs[1]
    DocumentTemplate.objects.create(
        key="statistics_report", name="坏模板.docx", content=word_template("{{ title ")
    )
    response = county.get(reverse("staff:report"), {"year": YEAR, "format": "docx"}, follow=True)
    assert response.status_code == 200 and "文书模板有误" in response.content.decode()


def test_the_completion_of_many_branches_is_each_branch_s_own_ledger():
    branches = list(Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH))
    today = timezone.localdate()
    for year in (YEAR - 1, YEAR):
        together = ledger.completion_by_branch(branches, year, today=today)
        for branch in branches:
            assert together[branch.pk] == ledger.completion(branch, year, today=today), branch


def test_the_development_ledger_has_a_row_per_case_with_every_step_s_date(county):
    response = county.get(reverse("staff:development_ledger"), {"year": YEAR})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [cell.value for cell in sheet[2]]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    in_year = Case.objects.filter(applied_on__lte=date(YEAR, 12, 31)).exclude(
        closed_on__lt=date(YEAR, 1, 1)
    )
    assert len(rows) == in_year.count()
    case = in_year.filter(approved_on__isnull=False).select_related("person").first()
    row = rows[case.person.name]
    acts = case.acts
    for step in ("apply", "branch_admit", "approve"):
        assert row[header.index(str(BY_CODE[step].label))].date() == acts[step], step


@pytest.mark.postgres
def test_the_statistics_benchmark_s_rows_are_counted_by_the_pages_as_by_its_floor():
    """`make bench`'s statistics row on a few hundred generated cases: every page answers, and
    the floor's statement counts the year's new members as the pages do."""
    from config.bench import statistics as bench
    from procedures.membership import statistics

    before = Case.objects.count()
    bench.fill(300)
    assert Case.objects.count() == before + 300
    assert [run.name for run in bench.measure("county", rounds=1)] == [
        name for name, _url, _query in bench.PAGES
    ]
    counted = statistics.structure(Case.objects.all(), date(YEAR, 1, 1), date(YEAR, 12, 31))
    assert bench.floor(rounds=1).count == counted.total > 0


def test_the_pdf_benchmark_makes_a_notice_and_a_form_and_its_floor():
    """`make bench`'s PDF rows on the demo county, for correctness only (no timing)."""
    from config.bench import documents as bench

    runs = [bench.measure(2), bench.measure_form(2), bench.floor(2)]
    assert [len(run.latencies) for run in runs] == [2, 2, 2]


def test_the_import_benchmark_walks_exports_and_imports_the_same_cases_on_a_verified_chain():
    """`make bench`'s import row on the demo county, for correctness only (no timing): the
    cases walked come back through the workbook, and the demo county is left as it was."""
    from config.bench import imports as bench
    from procedures.membership.models import StepRecord

    before = (Case.objects.count(), StepRecord.objects.count())
    result = bench.measure(4, say=lambda _text: None)
    assert result.cases == 4 and result.records > 4 and result.chain_breaks == 0
    assert (Case.objects.count(), StepRecord.objects.count()) == before


def test_the_development_funnel_never_shows_more_than_the_stage_before(county):
    """On the demo county (cases applied over several years) the funnel is a cohort: no
    share of the stage before above 100 % (a per-period count showed 666.7 %)."""
    import re

    for year in (YEAR - 3, YEAR - 2, YEAR - 1, YEAR):
        page = county.get(
            reverse("staff:statistics"), {"start": f"{year}-01-01", "end": f"{year}-12-31"}
        ).content.decode()
        section = page.split("发展党员流程（统计期内递交申请书的人到今天的进展）", 1)[1]
        section = section.split("</table>", 1)[0]
        shares = [
            Decimal(v) for v in re.findall(r'data-label="占上一阶段（%）">([\d.]+)%', section)
        ]
        counts = [int(v) for v in re.findall(r'data-label="人数">(\d+)<', section)]
        assert len(counts) == 5 and counts == sorted(counts, reverse=True), (year, counts)
        assert all(share <= 100 for share in shares), (year, shares)
