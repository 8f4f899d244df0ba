"""`make bench SCALE=province`: every page and job measured on a province
(`manage.py make_province`, fixtures/province.py) in a database of its own, each against a
floor measured in the same run.

First the same step (② 谈话, `case_talk`, by the branch's secretary) is measured on the demo
county, in this database; the database is then made again, empty, and the province generated
into it. Then, on the province: the step again, a township user's pages (工作台, 待办, the case
list with filters), the statistics pages as a county's user, `verify_audit` over every event,
the deadline sweep and a reminder batch over the real deadline rows, and the public board and
notice page of the busiest township's busiest village.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

from .scale_step import county_step, province_step, say
from .stats import Row, percentile

PROVINCE_DB = "jiceng_province"
TARGET_FLAT = 0.9  # the step on the province at ≥ 0.9 of its rate on the county
TARGET_PAGE_P95_MS = 200.0
TARGET_STATISTICS_SECONDS = 1.0
TARGET_AUDIT_RATIO = 0.5
TARGET_SWEEP_RATIO = 2.0
TARGET_PORTAL_RATIO = 0.8
# A township user's pages: (name, url name, query).
PAGES = (
    ("工作台", "staff:home", {}),
    ("待办", "staff:inbox", {}),
    ("案卷列表", "staff:cases", {}),
    ("案卷列表·按阶段", "staff:cases", {"stage": "3"}),
    ("案卷列表·按状态", "staff:cases", {"status": "approved"}),
)


# Pages.


def busiest_township():
    from django.db.models import Count

    from procedures.people.models import Organisation

    return (
        Organisation.objects.filter(kind=Organisation.Kind.TOWNSHIP_COMMITTEE)
        .annotate(case_count=Count("children__cases"))
        .order_by("-case_count", "pk")
        .first()
    )


@dataclass
class Page:
    name: str
    times: list[float]

    @property
    def p95_ms(self) -> float:
        return percentile(self.times, 0.95) * 1000

    @property
    def p50_ms(self) -> float:
        return percentile(self.times, 0.50) * 1000


def _timed(name: str, client, path: str, query: dict, rounds: int) -> Page:
    """`rounds` requests of `path`, after two to warm up; any answer but 200 stops the run."""
    times = []
    for index in range(rounds + 2):
        started = time.perf_counter()
        response = client.get(path, query)
        if index >= 2:
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {query}: {response.status_code}")
    return Page(name, times)


def township_pages(rounds: int) -> tuple[list[Page], str]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from procedures.people.models import Position

    township = busiest_township()
    organiser = Position.objects.get(
        organisation=township, title=Position.Title.ORGANISER, end_date__isnull=True
    ).person
    user = get_user_model().objects.get(person=organiser)
    client = Client()
    client.force_login(user)
    pages = [_timed(name, client, reverse(url), query, rounds) for name, url, query in PAGES]
    return pages, user.username


def floor_page(rounds: int) -> Page:
    """The least a page costs: `/healthz` through the same client and middleware."""
    from django.test import Client

    return _timed("/healthz", Client(), "/healthz", {}, rounds)


REMINDER_BATCH = 2000  # due deadlines


def reminder_batch(now) -> tuple[int, float]:
    """`notifications.services.sweep` as beat runs it, over its first `REMINDER_BATCH`
    due deadlines, rolled back after (so nothing is sent): the reminders made, and the
    seconds they took."""
    from django.db import transaction

    from notifications import services

    with transaction.atomic():
        started = time.perf_counter()
        created = services.sweep(now=now, limit=REMINDER_BATCH)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return created, seconds


def portal_paths() -> dict[str, str]:
    from . import portal

    return portal.targets(busiest_township())


# The run.


def run(*, processes: int, fraction: float, out, rounds: int = 30) -> list[Row]:
    from . import db

    started = time.perf_counter()
    url = db.prepare(False, name=PROVINCE_DB)
    from django.db import connections
    from django.utils import timezone

    from fixtures import province

    from . import audit, report, sweep
    from . import portal as web

    county = county_step(400)
    connections.close_all()
    db.prepare(False, name=PROVINCE_DB, setup=False)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    default = province.Sizes()
    sizes = province.Sizes(
        counties=max(2, round(default.counties * fraction)),
        townships=max(4, round(default.townships * fraction)),
        villages=max(8, round(default.villages * fraction)),
        cases=max(8, round(default.cases * fraction)),
        templates=default.templates,
    )
    say(f"scale: generating the province ({sizes}) ...")
    made = province.make(sizes, say=say, every=500)
    generated = sum(made.seconds.values())
    counts = made.counts
    rows: list[Row] = []
    rows.append(
        Row(
            f"make_province: {counts['villages']:,} villages, {counts['cases']:,} cases, "
            f"{counts['audit_events']:,} audit events, {counts['deadlines']:,} deadline rows",
            f"{generated / 60:.1f} min (templates through the services "
            f"{made.seconds['templates']:.0f} s, copies {made.seconds['copies']:.0f} s)",
            "—",
            generated / 900,
            "≤ 15 min",
            generated <= 900,
        )
    )
    at_scale = province_step(400)
    ratio = at_scale.rate / county.rate
    rows.append(
        Row(
            "the step (② 谈话 by the branch's secretary) on the province",
            f"{at_scale.rate:.0f}/s, p50 {at_scale.p50_ms:.1f} ms, p99 {at_scale.p99_ms:.1f} ms",
            f"the same step on the demo county: {county.rate:.0f}/s, p50 {county.p50_ms:.1f} ms",
            ratio,
            f"≥ {TARGET_FLAT:.2f} (flat within 10 %)",
            ratio >= TARGET_FLAT,
        )
    )
    say("scale: a township user's pages ...")
    pages, username = township_pages(rounds)
    floor = floor_page(rounds)
    for page in pages:
        rows.append(
            Row(
                f"{page.name} ({username}, the busiest township)",
                f"p95 {page.p95_ms:.0f} ms, p50 {page.p50_ms:.0f} ms",
                f"/healthz p95 {floor.p95_ms:.1f} ms",
                page.p95_ms / max(floor.p95_ms, 0.001),
                f"p95 < {TARGET_PAGE_P95_MS:.0f} ms",
                page.p95_ms < TARGET_PAGE_P95_MS,
            )
        )
    say("scale: the statistics pages ...")
    from . import statistics as figures

    runs = figures.measure("county1")
    raw = figures.floor()
    slowest = max(runs, key=lambda run: run.seconds)
    rows.append(
        Row(
            "statistics pages as a county's user (county1)",
            ", ".join(f"{run.name} {run.seconds * 1000:.0f} ms" for run in runs),
            f"{raw.seconds * 1000:.1f} ms (one raw aggregate)",
            slowest.seconds / raw.seconds,
            f"each < {TARGET_STATISTICS_SECONDS:.0f} s",
            slowest.seconds < TARGET_STATISTICS_SECONDS,
        )
    )
    say(f"scale: verify_audit over {audit.events():,} events ...")
    walk_floor = audit.floor()
    for count in (1, processes):
        walk = audit.project(count)
        if walk.breaks:
            raise RuntimeError(f"verify_audit found {walk.breaks} breaks")
        ratio = walk.rate / walk_floor.rate
        rows.append(
            Row(
                f"verify_audit over {walk.events:,} events (×{count})",
                f"{walk.rate:,.0f} events/s ({walk.seconds:.0f} s)",
                f"{walk_floor.rate:,.0f} events/s (raw SQL rows, SHA-256 in Python)",
                ratio,
                f"≥ {TARGET_AUDIT_RATIO}",
                ratio >= TARGET_AUDIT_RATIO,
            )
        )
    say("scale: the deadline sweep and a reminder batch ...")
    now = timezone.now()
    project = min((sweep.project(now) for _ in range(3)), key=lambda r: r.seconds)
    raw_sweep = min((sweep.floor(now) for _ in range(3)), key=lambda r: r.seconds)
    plan = sweep.plan(now)
    indexed = sweep.uses_index(plan)
    ratio = project.seconds / raw_sweep.seconds
    rows.append(
        Row(
            f"deadline sweep over the province's {counts['deadlines']:,} rows "
            f"({counts['open_deadlines']:,} open)",
            f"{project.count:,} due in {project.seconds * 1000:.0f} ms",
            f"{raw_sweep.seconds * 1000:.0f} ms (raw SQL, same rows)",
            ratio,
            f"≤ {TARGET_SWEEP_RATIO:.1f}× and index used",
            ratio <= TARGET_SWEEP_RATIO and indexed,
        )
    )
    created, seconds = reminder_batch(now + timedelta(days=1))
    rows.append(
        Row(
            f"a reminder batch: the sweep making the reminders of {REMINDER_BATCH:,} due rows "
            "(rolled back)",
            f"{created:,} reminders in {seconds:.1f} s "
            f"({created / seconds if seconds else 0:,.0f}/s)",
            f"{raw_sweep.seconds * 1000:.0f} ms (reading the rows)",
            seconds / raw_sweep.seconds,
            "— (a figure for reading)",
            None,
        )
    )
    paths = portal_paths()
    say(f"scale: the public pages {paths} ...")
    with web.Server(workers=processes, threads=16) as server:
        web.check_pages(server, paths)
        loads = [web.measure(server, paths, seconds=8) for _ in range(3)]
    by_name: dict[str, list] = {}
    for round_ in loads:
        for load in round_:
            by_name.setdefault(load.name, []).append(load)

    def median(name: str, attribute: str) -> float:
        return statistics.median(getattr(load, attribute) for load in by_name[name])

    floor_rate = median("hello-world", "rate")
    for name in ("village board", "notice page"):
        rate = median(name, "rate")
        rows.append(
            Row(
                f"public {name} of the busiest township ({paths[name]})",
                f"{rate:.0f} req/s, p50 {median(name, 'p50_ms'):.1f} ms, "
                f"p99 {median(name, 'p99_ms'):.1f} ms",
                f"hello-world {floor_rate:.0f} req/s",
                rate / floor_rate,
                f"≥ {TARGET_PORTAL_RATIO:.2f}",
                rate / floor_rate >= TARGET_PORTAL_RATIO,
            )
        )

    notes = [
        f"The province: {', '.join(f'{k} {v:,}' for k, v in counts.items())}.",
        f"Pages: {rounds} requests each after two to warm up, in this process (Django's test "
        "client: the whole request, middleware and template, no network).",
        "Sweep plan: " + " / ".join(line.strip() for line in plan.splitlines()[:3]),
        f"N = {processes}; the whole run took {time.perf_counter() - started:.0f} s.",
    ]
    block = report.section(
        rows,
        machine_line=report.machine(db.postgres_version()),
        mode="make bench SCALE=province",
        notes=notes,
        markers=report.PROVINCE,
    )
    print(report.table(rows))
    for note in notes:
        print(f"- {note}")
    if out is not None:
        report.write(out, block, markers=report.PROVINCE)
        say(f"written to {out}")
    del url
    return rows
