"""Object-level access, generated from the URL conf: every staff page and API endpoint that
takes an object, for every demo role and anonymous, on an object of 柳树村 (东岭镇) and one
of another township. Out of scope, a read answers 403/404 without the object's name and a
write changes nothing; nowhere a 500."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notifications.models import Delivery, Notification
from procedures.branchlife.models import BranchLife, BranchMeeting, DuesPayment, TownshipLife
from procedures.membership.models import Case, Material, Observation, StepRecord
from procedures.people.models import Delegation, Organisation, Person
from procedures.publicity.models import Notice, Objection
from procedures.transfers.models import Transfer, TransferDesk
from procedures.village.models import Matter, ReadReceipt
from workflows.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_county_for_package")]

ROLES = [
    "admin",
    "county",
    "township",
    "township_secretary",
    "secretary",
    "first_secretary",
    "liaison",
    "clerk",
    None,
]
# Who sees the whole county: everything of another township is theirs too.
COUNTY_WIDE = {"admin", "county", "first_secretary"}
MODELS = {
    "people": Person,
    "cases": Case,
    "matters": Matter,
    "notices": Notice,
    "objections": Objection,
    "notifications": Notification,
    "deliveries": Delivery,
    "delegations": Delegation,
    "statistics": Organisation,  # a branch's or a township's annual plan
    "overview": Organisation,  # a village's cell of 各村情况
}
# The subjects registered with the portal's generic page and API (portal/surfaces/).
SUBJECTS = {
    "cases": Case,
    "matters": Matter,
    "branch-life": BranchLife,
    "branch-meetings": BranchMeeting,
    "branch-dues": DuesPayment,
    "township-life": TownshipLife,
    "transfers": Transfer,
    "transfer-desks": TransferDesk,
}
MODELS.update(SUBJECTS)
STEP = {
    "cases": "stop",
    "matters": "withdraw",
    "branch-life": "hold",
    "branch-meetings": "cancel",
    "branch-dues": "supersede",
    "township-life": "none",  # it takes no input: a post is refused like an unknown step
    "transfers": "accept",
    "transfer-desks": "propose",
}


def _object_routes() -> list[tuple[str, str]]:
    """(namespace:name, first path segment) of every staff and API route taking a pk."""
    found = []
    for top in get_resolver().url_patterns:
        if not isinstance(top, URLResolver) or top.namespace not in ("staff", "api"):
            continue
        for pattern in top.url_patterns:
            if isinstance(pattern, URLPattern) and "<int:pk>" in str(pattern.pattern):
                segment = str(pattern.pattern).split("/")[0]
                if "<slug:key>" in str(pattern.pattern):  # one route per registered subject
                    found += [(f"{top.namespace}:{pattern.name}", key) for key in SUBJECTS]
                else:
                    found.append((f"{top.namespace}:{pattern.name}", segment))
    return found


ROUTES = _object_routes()


@pytest.fixture(autouse=True)
def _reminders(db):
    """The demo's overdue deadlines swept into reminders, and every delivery failed (so a
    retry would be a write), for the inbox routes to have something of each user."""
    from unittest import mock

    from notifications import services

    with mock.patch.object(services, "_enqueue"):  # no broker: the rows are what matter
        services.sweep()
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=3)
    _plans()
    _delegations()
    assert Notification.objects.filter(recipient__username="secretary").exists()
    assert Notification.objects.exclude(recipient__username="secretary").exists()


def _delegations() -> None:
    """A secretary's absence recorded in 柳树村 and in another township (as data: the routes'
    refusals are under test here, not the rules of recording one)."""
    from datetime import date

    from procedures.people.models import Organisation

    branches = Organisation.objects.filter(kind="village_branch")
    for branch in (
        branches.get(name__contains="柳树村"),
        branches.exclude(path__startswith=_township_path()).order_by("pk").first(),
    ):
        people = list(Person.objects.filter(organisation=branch).order_by("pk")[:2])
        Delegation.objects.create(
            organisation=branch, principal=people[0], delegate=people[1],
            starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10), reason="外出学习",
        )  # fmt: skip


def _plans() -> None:
    """A meeting planned in 柳树村 and one in another township, for the subject routes."""
    from datetime import timedelta

    from django.utils import timezone

    from procedures.branchlife.services import meeting_plan
    from procedures.people.models import Organisation

    branches = Organisation.objects.filter(kind="village_branch")
    for branch in (
        branches.get(name__contains="柳树村"),
        branches.exclude(path__startswith=_township_path()).order_by("pk").first(),
    ):
        meeting_plan(
            actor=None,
            branch=branch,
            kind="theme_day",
            planned_on=timezone.localdate() + timedelta(days=3),
            topic=f"{branch.name}主题党日",
        )
        BranchLife.objects.get_or_create(branch=branch)  # (dues: the demo's own payments)


def test_every_object_route_is_covered():
    assert {segment for _name, segment in ROUTES} <= set(MODELS), ROUTES
    assert len(ROUTES) >= 25


def _in_and_out(model) -> tuple[object, object]:
    """An object of 柳树村 (or of the secretary's user) and one of another township (or of
    another user)."""
    secretary = get_user_model().objects.get(username="secretary")
    if model is Notification:
        mine = Notification.objects.filter(recipient=secretary).first()
        other = Notification.objects.exclude(recipient=secretary).first()
        return mine, other
    if model is Delivery:  # retried by those over the deadline's scope (not the village)
        liushu = Case.objects.filter(branch__name__contains="柳树村").first().branch.path
        return (
            Delivery.objects.filter(notification__deadline__scope_path__startswith=liushu).first(),
            Delivery.objects.exclude(
                notification__deadline__scope_path__startswith=_township_path()
            ).first(),
        )
    liushu = {
        Person: {"organisation__name__contains": "柳树村"},
        Case: {"branch__name__contains": "柳树村"},
        Matter: {"village__name": "柳树村"},
        Notice: {"village__name": "柳树村"},
        Objection: {"notice__village__name": "柳树村"},
        BranchLife: {"branch__name__contains": "柳树村"},
        BranchMeeting: {"branch__name__contains": "柳树村"},
        DuesPayment: {"branch__name__contains": "柳树村"},
        TownshipLife: {"name__contains": "东岭镇", "kind": "township_committee"},
        Transfer: {"from_branch__name__contains": "柳树村"},
        TransferDesk: {"name__contains": "柳树村", "kind": "village_branch"},
        Delegation: {"organisation__name__contains": "柳树村"},
        Organisation: {"name__contains": "柳树村", "kind": "village_branch"},
    }[model]
    inside = model.objects.filter(**liushu).order_by("pk").first()
    elsewhere = model.objects.exclude(
        **{
            Person: {"organisation__path__startswith": _township_path()},
            Case: {"branch__path__startswith": _township_path()},
            Matter: {"village__township__name__contains": "东岭镇"},
            Notice: {"village__township__name__contains": "东岭镇"},
            Objection: {"notice__village__township__name__contains": "东岭镇"},
            BranchLife: {"branch__path__startswith": _township_path()},
            BranchMeeting: {"branch__path__startswith": _township_path()},
            DuesPayment: {"branch__path__startswith": _township_path()},
            TownshipLife: {"path__startswith": _township_path()},
            Transfer: {"from_branch__path__startswith": _township_path()},
            TransferDesk: {"path__startswith": _township_path()},
            Delegation: {"organisation__path__startswith": _township_path()},
            Organisation: {"path__startswith": _township_path()},
        }[model]
    )
    if model is Person:
        elsewhere = elsewhere.filter(organisation__name__contains="村")
    if model is TownshipLife:
        elsewhere = elsewhere.filter(kind="township_committee")
    if model is Transfer:  # neither side in 东岭镇
        elsewhere = elsewhere.exclude(to_branch__path__startswith=_township_path())
    if model is TransferDesk:
        elsewhere = elsewhere.filter(kind="village_branch")
    if model is Organisation:
        elsewhere = elsewhere.filter(kind="village_branch")
    return inside, elsewhere.order_by("pk").first()


def _township_path() -> str:
    from procedures.people.models import Organisation

    return Organisation.objects.get(name__contains="东岭镇", kind="township_committee").path


def _snapshot() -> tuple:
    """What a write would change, in one look."""
    return (
        AuditEvent.objects.aggregate(n=Count("pk"), last=Max("pk"))["n"],
        StepRecord.objects.count(),
        Observation.objects.count(),
        Material.objects.count(),
        ReadReceipt.objects.count(),
        tuple(Case.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Matter.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Notice.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Objection.objects.order_by("pk").values_list("status", flat=True)),
        Notification.objects.filter(read_at__isnull=False).count(),
        tuple(Delivery.objects.order_by("pk").values_list("status", "attempts")),
        tuple(BranchMeeting.objects.order_by("pk").values_list("status", flat=True)),
        tuple(DuesPayment.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Delegation.objects.order_by("pk").values_list("ended_on", flat=True)),
        tuple(Transfer.objects.order_by("pk").values_list("status", flat=True)),
    )


def _label(obj) -> str:
    for field in ("name", "title"):
        if hasattr(obj, field):
            return getattr(obj, field)
    if isinstance(obj, Case | Transfer):
        return obj.person.name
    if isinstance(obj, BranchLife | BranchMeeting | DuesPayment):
        return obj.branch.name
    if isinstance(obj, TownshipLife):
        return obj.name
    return ""


def _request(client: Client, name: str, segment: str, pk: int):
    kwargs = {"pk": pk}
    if "<slug:key>" in _pattern_of(name):
        kwargs["key"] = segment
    if "<slug:fmt>" in _pattern_of(name):
        kwargs["fmt"] = "pdf"
    if "<int:meeting>" in _pattern_of(name):
        kwargs["meeting"] = 1  # a matter's meeting: refused alike in and out of scope
    if "<slug:name>" in _pattern_of(name):  # a named document: a case's form, else none
        kwargs["name"] = "application" if segment == "cases" else "none"
    if "<int:year>" in _pattern_of(name):
        kwargs["year"] = 2026
    if "<int:file_id>" in _pattern_of(name):
        kwargs["file_id"] = 1  # none of the subject's: refused alike in and out of scope
    if "<str:step>" in _pattern_of(name):
        kwargs["step"] = STEP[segment]
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    if response.status_code == 405:  # a write: post an empty body
        if name.startswith("api:"):
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.post(url, {})
        return "write", response
    return "read", response


def _pattern_of(name: str) -> str:
    namespace, short = name.split(":")
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == namespace
    )
    return next(str(p.pattern) for p in resolver.url_patterns if p.name == short)


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_reads_are_refused_and_writes_change_nothing(role):
    client = Client()
    if role:
        client.force_login(get_user_model().objects.get(username=role))
    problems = []
    for name, segment in ROUTES:
        inside, elsewhere = _in_and_out(MODELS[segment])
        assert inside is not None and elsewhere is not None, segment
        for where, obj in (("柳树村", inside), ("外乡镇", elsewhere)):
            before = _snapshot()
            kind, response = _request(client, name, segment, obj.pk)
            cell = f"{role}×{name}×{where}"
            if response.status_code >= 500:
                problems.append(f"{cell}: {response.status_code}")
                continue
            visible = role in COUNTY_WIDE or (role is not None and where == "柳树村")
            if segment == "notifications":  # one's own reminders only
                visible = obj.recipient.username == role
            if segment == "deliveries":  # the township and the county resend failures
                village_roles = {"secretary", "liaison", "clerk"}
                visible = visible and role not in village_roles
            if not visible:
                if role is None:
                    expected = (302, 401, 403) if kind == "read" else (302, 401, 403, 404)
                else:
                    expected = (403, 404) if kind == "read" else (302, 403, 404)
                if response.status_code not in expected:
                    problems.append(f"{cell}: {kind} answered {response.status_code}")
                label = _label(obj)
                if label and label in response.content.decode(errors="ignore"):
                    problems.append(f"{cell}: names “{label}”")
                if _snapshot() != before:
                    problems.append(f"{cell}: the write changed something")
    assert problems == []
