"""Reminders from deadline rows, delivered exactly once per (deadline, kind, recipient, due).

The sweep finds the open deadlines due within the reminder lead time with one indexed query,
creates the reminders their moment calls for (before due: the one who must act; overdue: him
and the township; long overdue: the county), and hands each new delivery to a Celery task
after commit. Creating a reminder twice is impossible: the unique key refuses it, so two
workers or a retried task racing through the same sweep produce one reminder."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from procedures.people import roles, scopes
from procedures.people.models import Organisation, Position
from workflows.models import Deadline

from . import links, robots, sms
from .models import Delivery, Notification, RobotWebhook

Kind = Notification.Kind
OrgKind = Organisation.Kind
_WORDS = {
    Kind.REMINDER: "即将到期",
    Kind.OVERDUE: "已超期",
    Kind.ESCALATED_TOWNSHIP: "超期提醒（报乡镇党委）",
    Kind.ESCALATED_COUNTY: "超期提醒（报县委组织部）",
}


# Within one sweep: what many of its deadlines ask alike (the posts over one branch, one
# user's robots) is read once (`_remembered`).
_memo: ContextVar[dict | None] = ContextVar("sweep_memo", default=None)


def _remembered(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _positions_over(scope_path: str, on) -> list[Position]:
    """Positions in the organisations above the scope, and the county's organisation
    department (a sibling of the townships, not an ancestor)."""
    ids = [int(part) for part in scope_path.strip("/").split("/") if part]
    department = Q(organisation__kind=OrgKind.ORG_DEPARTMENT, organisation__parent_id=ids[0])
    return _remembered(
        ("positions", scope_path, on),
        lambda: list(
            Position.objects.filter(Q(organisation_id__in=ids) | department, start_date__lte=on)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .select_related("organisation", "person__user")
        ),
    )


def recipients(deadline, level: str, *, on) -> list:
    """Users who should hear of `deadline` at `level`: those holding that role (branch,
    township or county: `procedures.people.roles`) over the deadline's organisation."""
    ids = [int(part) for part in deadline.scope_path.strip("/").split("/") if part]
    return _holders(Organisation(pk=ids[-1], path=deadline.scope_path), level, on)


def _holders(concerned: Organisation, level: str, on) -> list:
    """Active users whose posts hold `level` over `concerned`, each once."""
    users = {}
    for position in _positions_over(concerned.path, on):
        user = getattr(position.person, "user", None)
        if user is None or not user.is_active:
            continue
        if roles.recipient_holds(position, level, concerned):
            users.setdefault(user.pk, user)
    return list(users.values())


def moments(deadline, now: datetime, *, zone=None) -> list[tuple[str, str]]:
    """(kind, level) pairs the deadline (a row or a `due_deadlines` tuple) calls for at
    `now`; `zone`, the local time zone, looked up once by a caller with many."""
    zone = zone or timezone.get_current_timezone()
    due_day = deadline.due_at.astimezone(zone).date()
    today = now.astimezone(zone).date()
    audience = deadline.audience
    if today < due_day - timedelta(days=settings.JICENG_REMIND_BEFORE_DAYS):
        return []
    if now <= deadline.due_at:
        return [(Kind.REMINDER, audience)]
    found = [(Kind.OVERDUE, audience)]
    if audience == "branch":
        found.append((Kind.ESCALATED_TOWNSHIP, "township"))
    long_overdue = (today - due_day).days > settings.JICENG_ESCALATE_COUNTY_AFTER_DAYS
    if audience != "county" and (audience == "township" or long_overdue):
        found.append((Kind.ESCALATED_COUNTY, "county"))
    return found


def due_until(now: datetime) -> datetime:
    """The latest due moment the sweep looks at now: the reminder lead time, and a day."""
    return now + timedelta(days=settings.JICENG_REMIND_BEFORE_DAYS + 1)


# What the sweep reads of a due deadline: to choose its moments and write its reminders.
SWEEP_FIELDS = (
    "id",
    "title",
    "citation",
    "due_at",
    "audience",
    "scope_path",
    "subject_type_id",
    "subject_id",
)


def due_deadlines(now: datetime):
    """The open deadlines due by `due_until(now)`, as light named tuples of SWEEP_FIELDS:
    a county's sweep reads thousands, and building model instances was most of its time."""
    return Deadline.objects.filter(
        status=Deadline.Status.OPEN, due_at__lte=due_until(now)
    ).values_list(*SWEEP_FIELDS, named=True)


def _text(deadline, kind: str) -> tuple[str, str]:
    due = timezone.localtime(deadline.due_at)
    title = f"【{_WORDS[kind]}】{deadline.title}"
    body = f"{deadline.title}，期限{due.year}年{due.month}月{due.day}日。"
    if deadline.citation:
        body += f"依据：{deadline.citation}。"
    return title, body


def due_now(now: datetime):
    """The open deadlines due within the lead time, each with the moments it calls for (none
    yet for one whose reminder day is tomorrow): what the sweep hands over to the reminders.
    One indexed query, read in chunks."""
    zone = timezone.get_current_timezone()
    for deadline in due_deadlines(now).iterator(chunk_size=2000):
        yield deadline, moments(deadline, now, zone=zone)


def sweep(*, now: datetime | None = None, progress=None, limit: int | None = None) -> int:
    """Create the reminders due now; return how many new ones. Safe to run concurrently.
    `limit`: stop after that many deadlines (a batch; the next sweep goes on, a reminder
    already made is not made again)."""
    now = now or timezone.now()
    created = 0
    token = _memo.set({})
    try:
        for index, (deadline, found) in enumerate(due_now(now)):
            if limit is not None and index >= limit:
                break
            for kind, level in found:
                title, body = _text(deadline, kind)
                for user in recipients(deadline, level, on=timezone.localdate(now)):
                    created += _remind(deadline, kind, user, title, body)
            if progress is not None:
                progress.update(1)
    finally:
        _memo.reset(token)
    return created


@transaction.atomic
def _remind(deadline, kind: str, user, title: str, body: str) -> int:
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                deadline_id=deadline.id,
                kind=kind,
                due_at=deadline.due_at,
                title=title,
                body=body,
                url=links.link(deadline.subject_type_id, deadline.subject_id),
            )
        ],
        ignore_conflicts=True,
    )
    notification = Notification.objects.filter(
        recipient=user, deadline_id=deadline.id, kind=kind, due_at=deadline.due_at
    ).first()
    if notification is None or notification.deliveries.exists():
        return 0
    _deliver_on_every_channel(notification, user)
    return 1


def _deliver_on_every_channel(notification: Notification, user) -> None:
    """The inbox at once; email and SMS, where the user has them, by a task after commit."""
    deliveries = [
        Delivery(
            notification=notification,
            channel=Delivery.Channel.INBOX,
            status=Delivery.Status.SENT,
            sent_at=timezone.now(),
        )
    ]
    if user.email:
        deliveries.append(
            Delivery(notification=notification, channel=Delivery.Channel.EMAIL, address=user.email)
        )
    phone = getattr(getattr(user, "person", None), "phone", "")
    if phone:
        deliveries.append(
            Delivery(notification=notification, channel=Delivery.Channel.SMS, address=phone)
        )
    deliveries += [
        Delivery(notification=notification, channel=robot.kind, address=str(robot.pk))
        for robot in _robots_of(user)
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    pending = list(
        notification.deliveries.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: _enqueue(pending))


def _robots_of(user) -> list[RobotWebhook]:
    """The active group robots of the counties the user holds a post in."""

    def robots() -> list[RobotWebhook]:
        counties = {p.organisation.county_id for p in scopes.current_positions(user)}
        if not counties:
            return []
        return list(RobotWebhook.objects.filter(county_id__in=counties, active=True))

    return _remembered(("robots", user.pk), robots)


def _enqueue(delivery_ids: list[int]) -> None:
    # The task by its name: the tasks are adapters over these services, which do not import
    # them back.
    deliver = current_app.signature("notifications.deliver")
    for delivery_id in delivery_ids:
        deliver.delay(delivery_id)


def deliver(delivery_id: int, *, final: bool) -> str:
    """Send one pending delivery. Idempotent: a sent or failed one is left alone. The SMS
    key is the delivery's id, so a gateway (and the file backend) drop a repeat. A failure
    is recorded (attempts, error) before it is raised again for the task to retry."""
    failure: Exception | None = None
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("notification")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return "skipped"
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as error:  # a channel's failure: recorded, then retried or failed
            failure = error
            delivery.last_error = str(error)[:300]
            delivery.status = Delivery.Status.FAILED if final else Delivery.Status.PENDING
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_error", "status", "sent_at", "updated_at"])
    if failure is None:
        return "sent"
    if final:
        return "failed"
    raise failure


def redispatch_stale(*, now: datetime | None = None) -> int:
    """Hand pending deliveries that nobody touched for JICENG_DELIVERY_STALE_SECONDS to a
    worker again. The database, not the broker, is the record of what is still owed: a
    message the broker lost (a worker killed between taking it and registering it, the
    filesystem broker's lack of redelivery) is sent anyway, and `deliver` sends each once
    however many messages name it. Touching `updated_at` keeps the next sweep from
    redispatching it again before a worker had the time to run it."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JICENG_DELIVERY_STALE_SECONDS)
    with transaction.atomic():
        stale = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, updated_at__lte=cutoff)
            .values_list("pk", flat=True)[:1000]
        )
        Delivery.objects.filter(pk__in=stale).update(updated_at=now)
        transaction.on_commit(lambda: _enqueue(stale))
    return len(stale)


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(
            notification.title,
            f"{notification.body}\n{settings.JICENG_SITE_URL}{notification.url}",
            None,
            [delivery.address],
        )
    elif delivery.channel == Delivery.Channel.SMS:
        sms.backend().send(
            phone=delivery.address,
            key=f"delivery-{delivery.pk}",
            text=f"{notification.title}：{notification.body}",
        )
    elif delivery.channel in (Delivery.Channel.WECOM, Delivery.Channel.DINGTALK):
        robot = RobotWebhook.objects.get(pk=int(delivery.address))
        recipient = notification.recipient
        robots.send(
            robot,
            title=notification.title,
            text=f"致{_addressed(recipient)}：{notification.body}\n"
            f"{settings.JICENG_SITE_URL}{notification.url}",
            key=f"delivery-{delivery.pk}",
        )


def _addressed(user) -> str:
    """How a robot's message names its recipient: his name and posts, never his phone."""

    person = getattr(user, "person", None)
    if person is None:
        return user.get_username()
    posts = "、".join(
        f"{p.organisation.name}{p.get_title_display()}" for p in scopes.current_positions(user)
    )
    return f"{person.name}（{posts}）" if posts else person.name


@transaction.atomic
def retry(delivery_id: int) -> None:
    """Staff put a failed delivery back in line."""
    updated = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.FAILED).update(
        status=Delivery.Status.PENDING, last_error=""
    )
    if updated:
        transaction.on_commit(lambda: _enqueue([delivery_id]))


def mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


HAND_OFF_TITLES = {
    Kind.RETURNED: "退回：%(title)s",
    Kind.PRESSED: "催办：%(title)s",
    Kind.COPIED: "抄送：%(title)s",
}


def hand_off_recipients(*, audience=None, users=(), on) -> list:
    """Who hears of a hand-off: the holders of a role over an organisation (the branch a
    case was returned to, the takers of a pressed step), or the users named (抄送)."""

    if users:
        return list(get_user_model().objects.filter(pk__in=users, is_active=True))
    organisation_id, level = audience
    return _holders(Organisation.objects.get(pk=organisation_id), level, on)


@transaction.atomic
def hand_off(*, model, subject_id, kind, title, status, note, by, audience=None, users=()):
    """A subject returned, pressed or copied: a message in each recipient's inbox (and by
    email and SMS where they have them), pointing at the subject's page."""

    now = timezone.now()
    url = links.link(ContentType.objects.get_for_model(model).pk, subject_id)
    heading = HAND_OFF_TITLES[kind] % {"title": title}
    body = "；".join(
        part
        for part in (f"当前进度：{status}", f"办理人：{by}" if by else "", note and f"说明：{note}")
        if part
    )
    recipients = hand_off_recipients(audience=audience, users=users, on=timezone.localdate())
    for user in recipients:
        notification = Notification.objects.create(
            recipient=user, deadline=None, kind=kind, due_at=now, title=heading[:200],
            body=body, url=url,
        )  # fmt: skip
        _deliver_on_every_channel(notification, user)
    return len(recipients)
