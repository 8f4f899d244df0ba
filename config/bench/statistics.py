"""The statistics pages at province scale: `cases` member development cases (and their
people) generated in the database by SQL over the demo county's branches, spread over five
years and every stage, then each statistics page asked for by the county's user (who sees all
of them: the largest scope there is), against the raw SQL floor: one aggregate statement
counting the structure of new members over the same rows.

The rows are synthetic (like the sweep's deadlines): what the pages read, the dates and the
people's columns, not a history of steps; the province generator of the scale issue will
replace them with cases made through the services."""

from __future__ import annotations

import time

from .stats import Run

PAGES = (
    ("发展党员统计", "staff:statistics", {}),
    ("发展计划完成情况", "staff:plans", {}),
    ("组织生活完成情况", "staff:life_statistics", {}),
    ("半年和年度报告", "staff:report", {"half": "1"}),
)


def fill(cases: int) -> None:
    """`cases` people and cases in the demo county's branches, each at a stage by its number:
    a tenth applicants, a fifth activists, a fifth 发展对象, … with dates a stage apart."""
    from django.db import connection

    from procedures.people.models import Organisation

    branches = list(
        Organisation.objects.filter(kind=Organisation.Kind.VILLAGE_BRANCH)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if connection.vendor != "postgresql":
        raise SystemExit("the statistics benchmark fills its rows with PostgreSQL's SQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_person (name, gender, ethnicity, birth_date, id_number,"
            " education, occupation, phone, standing, organisation_id)"
            " SELECT '统计' || g, CASE WHEN g %% 4 = 0 THEN 'female' ELSE 'male' END,"
            " CASE WHEN g %% 3 = 0 THEN '苗族' ELSE '汉族' END,"
            " date '1970-01-01' + (g * 37 %% 12000),"
            " 'S' || lpad(g::text, 17, '0'),"
            " (ARRAY['junior','senior','college','bachelor','primary','senior'])[g %% 6 + 1],"
            " (ARRAY['farmer','migrant_worker','teacher','wealth_leader','student','farmer',"
            "        'village_cadre','farmer'])[g %% 8 + 1],"
            " '', 'applicant', (%s::bigint[])[g %% %s + 1]"
            " FROM generate_series(1, %s) AS g",
            [branches, len(branches), cases],
        )
        # Each person's membership since before the records, as registration opens it:
        # the pages find the branch of each act's day there.
        cursor.execute(
            "INSERT INTO people_membership (person_id, organisation_id, started_why,"
            " ended_why, recorded_at)"
            " SELECT id, organisation_id, 'before_records', '', now() FROM people_person"
            " WHERE id_number LIKE 'S%'"
        )
        # stage: 0 applicant, 1 activist, 2 发展对象, 3 admitted and approved, 4 full member
        cursor.execute(
            "WITH p AS (SELECT id, organisation_id, education, occupation,"
            "   substr(id_number, 2)::int AS g FROM people_person WHERE id_number LIKE 'S%'),"
            " d AS (SELECT p.*, (ARRAY[0,1,1,2,2,3,3,3,4,4])[g % 10 + 1] AS stage,"
            "   current_date - 1800 + (g * 13 % 1700) - 600 AS applied FROM p)"
            " INSERT INTO membership_case (person_id, branch_id, rulebook, variant, status,"
            " applied_on, activist_on, candidate_on, admitted_on, approved_on, converted_on,"
            " admitted_education, admitted_occupation, probation_extended, closed_reason,"
            " created_at)"
            " SELECT id, organisation_id, 'cpc-2014', 'standard-25',"
            " (ARRAY['applied','cultivating','candidate_filed','probation','converted'])"
            "   [stage + 1],"
            " applied,"
            " CASE WHEN stage >= 1 THEN applied + 60 END,"
            " CASE WHEN stage >= 2 THEN applied + 60 + 370 END,"
            " CASE WHEN stage >= 3 THEN applied + 60 + 370 + 95 + g % 60 END,"
            " CASE WHEN stage >= 3 THEN applied + 60 + 370 + 125 + g % 60 END,"
            " CASE WHEN stage >= 4 THEN applied + 60 + 370 + 95 + g % 60 + 366 END,"
            " CASE WHEN stage >= 3 THEN education ELSE '' END,"
            " CASE WHEN stage >= 3 THEN occupation ELSE '' END,"
            " false, '', now() FROM d",
        )
        cursor.execute("ANALYZE people_person")
        cursor.execute("ANALYZE people_membership")
        cursor.execute("ANALYZE membership_case")


def measure(username: str, rounds: int = 3) -> list[Run]:
    """Each page as the user asks for it (the whole request: middleware, the queries, the
    template); the best of `rounds`, after one to warm up."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    out = []
    for name, url, query in PAGES:
        times = []
        for _ in range(rounds + 1):
            started = time.perf_counter()
            response = client.get(reverse(url), query)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
        best = min(times[1:])
        out.append(Run(name, 1, best, times[1:]))
    return out


def floor(rounds: int = 3) -> Run:
    """The structure of the year's new members by one raw aggregate statement."""
    from django.db import connection

    sql = (
        "SELECT count(*),"
        " count(*) FILTER (WHERE p.gender = 'female'),"
        " count(*) FILTER (WHERE p.ethnicity <> '汉族'),"
        " count(*) FILTER (WHERE c.admitted_education IN ('senior','college','bachelor',"
        "   'postgraduate')),"
        " count(*) FILTER (WHERE date_part('year', age(c.admitted_on, p.birth_date)) <= 35),"
        " count(*) FILTER (WHERE c.admitted_occupation IN ('farmer','wealth_leader',"
        "   'migrant_worker','teacher'))"
        " FROM membership_case c JOIN people_person p ON p.id = c.person_id"
        " WHERE c.admitted_on >= date_trunc('year', current_date)"
        " AND c.admitted_on < date_trunc('year', current_date) + interval '1 year'"
        " AND c.approved_on IS NOT NULL"
    )
    times = []
    with connection.cursor() as cursor:
        for _ in range(rounds + 1):
            started = time.perf_counter()
            cursor.execute(sql)
            counts = cursor.fetchone()
            times.append(time.perf_counter() - started)
    # count: the year's new members, as the pages count them (a check, not a rate)
    return Run("raw SQL aggregate", counts[0], min(times[1:]), times[1:])
