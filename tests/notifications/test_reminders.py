"""Deadlines as rows, reminders at their moments, delivered exactly once."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services, sms
from notifications.models import Delivery, Notification
from procedures.membership import services as membership
from workflows import deadlines
from workflows.models import Deadline

from ..procedures.membership.walk import APPLIED_ON, open_case, walk, world

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_opening_a_case_opens_its_talk_deadline_with_the_rule():
    w = world()
    case = open_case(w)
    [row] = deadlines.open_for(case)
    assert row.key == "step:talk"
    assert timezone.localtime(row.due_at).date() == date(2023, 4, 1)
    assert row.citation == "《细则》第七条" and row.audience == "branch"
    membership.case_talk(case_id=case.pk, actor=None, talked_on=date(2023, 3, 20))
    assert deadlines.open_for(case) == []
    assert Deadline.objects.get(key="step:talk").status == Deadline.Status.CLOSED


def test_cultivation_opens_thought_report_and_assessment_deadlines():
    w = world()
    case = walk(w, until="propose_candidate")
    keys = {row.key for row in deadlines.open_for(case)}
    assert keys == {"observation:thought_report", "observation:assessment"}


@pytest.fixture
def talk_deadline(settings):
    settings.JICENG_REMIND_BEFORE_DAYS = 3
    settings.JICENG_ESCALATE_COUNTY_AFTER_DAYS = 10
    w = world()
    for user, email in ((w.secretary, "sec@example.cn"), (w.organiser, "org@example.cn")):
        user.email = email
        user.save()
    case = open_case(w)  # talk due 2023-04-01
    return w, case


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(date(2023, 3, 28), 23), set()),  # not due: more than three days ahead
        (at(date(2023, 3, 29), 1), {(Kind.REMINDER, "w-secretary")}),  # three days ahead
        (at(date(2023, 4, 1), 23), {(Kind.REMINDER, "w-secretary")}),  # the last day
        (
            at(date(2023, 4, 2), 1),
            {
                (Kind.OVERDUE, "w-secretary"),  # overdue: the township hears
                (Kind.ESCALATED_TOWNSHIP, "w-organiser"),
            },
        ),
        (
            at(date(2023, 4, 11), 23),
            {
                (Kind.OVERDUE, "w-secretary"),  # ten days: not yet the county
                (Kind.ESCALATED_TOWNSHIP, "w-organiser"),
            },
        ),
        (
            at(date(2023, 4, 12), 1),
            {
                (Kind.OVERDUE, "w-secretary"),  # more than ten days: the county hears
                (Kind.ESCALATED_TOWNSHIP, "w-organiser"),
                (Kind.ESCALATED_COUNTY, "w-county"),
            },
        ),
    ],
)
def test_reminders_at_each_moment_of_a_deadline(talk_deadline, now, expected):
    services.sweep(now=now)
    found = {(n.kind, n.recipient.username) for n in Notification.objects.all()}
    assert found == expected


def test_a_sweep_run_twice_or_raced_creates_each_reminder_once(talk_deadline):
    now = at(date(2023, 4, 2), 1)
    first = services.sweep(now=now)
    assert first > 0
    assert services.sweep(now=now) == 0
    count = Notification.objects.count()
    deadline = Deadline.objects.get()
    # A second worker creating the same reminder directly: refused by the unique key.
    services._remind(deadline, Kind.OVERDUE, talk_deadline[0].secretary, "t", "b")
    assert Notification.objects.count() == count
    assert Delivery.objects.filter(channel=Delivery.Channel.INBOX).count() == count


def test_a_sweep_reads_the_posts_over_a_branch_once_and_a_batch_stops_at_its_limit(
    talk_deadline,
):
    """Many deadlines of one branch ask for the same posts: one sweep reads them once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    w, _case = talk_deadline
    for _ in range(2):  # two more cases of the branch, their talks due the same day
        membership.case_open(
            actor=None,
            person=factories.person(w.branch),
            branch=w.branch,
            applied_on=APPLIED_ON,
        )
    now = at(date(2023, 4, 2), 1)
    assert services.sweep(now=now, limit=1) == 2  # one deadline: the secretary, the township
    with CaptureQueriesContext(connection) as captured:
        made = services.sweep(now=now)
    assert made == 4  # the other two
    posts = [q for q in captured.captured_queries if 'FROM "people_position"' in q["sql"]]
    # The posts over the branch read once (for both levels, all three cases), and each
    # recipient's robots once.
    assert len(posts) == 1 + 2


def test_a_moved_deadline_is_a_new_reminder_key(talk_deadline):
    w, case = talk_deadline
    services.sweep(now=at(date(2023, 3, 30)))
    deadlines.open_deadline(
        case,
        key="step:talk",
        due_on=date(2023, 4, 5),
        title="谈话",
        audience="branch",
        scope_path=w.branch.path,
    )
    services.sweep(now=at(date(2023, 4, 3)))
    assert Notification.objects.filter(kind=Kind.REMINDER).values("due_at").distinct().count() == 2


def test_email_and_sms_are_delivered_once_each(talk_deadline, settings, tmp_path):
    settings.JICENG_SMS_FILE_PATH = str(tmp_path)
    services.sweep(now=at(date(2023, 3, 30)))
    pending = list(Delivery.objects.filter(status=Delivery.Status.PENDING))
    assert {d.channel for d in pending} == {"email", "sms"}
    for delivery in pending:
        assert services.deliver(delivery.pk, final=False) == "sent"
        assert services.deliver(delivery.pk, final=False) == "skipped"
    assert len(mail.outbox) == 1 and "谈话" in mail.outbox[0].subject
    lines = [
        json.loads(line)
        for path in tmp_path.glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]
    assert len(lines) == 1 and "谈话" in lines[0]["text"]


def test_the_sms_file_backend_drops_a_key_it_has_taken(settings, tmp_path):
    settings.JICENG_SMS_FILE_PATH = str(tmp_path)
    backend = sms.FileBackend()
    backend.send(phone="13800000000", text="一", key="delivery-1")
    backend.send(phone="13800000000", text="一", key="delivery-1")
    assert sms.sent_keys(tmp_path) == {"delivery-1"}
    assert sum(1 for p in tmp_path.glob("*.jsonl") for _ in p.read_text().splitlines()) == 1


class Broken:
    def send(self, **kwargs):
        raise sms.SmsError("gateway unreachable")


def test_a_failing_channel_is_retried_then_listed_for_staff(talk_deadline, settings, client):
    settings.JICENG_SMS_BACKEND = "tests.notifications.test_reminders.Broken"
    w, _case = talk_deadline
    services.sweep(now=at(date(2023, 4, 2)))
    delivery = Delivery.objects.filter(channel="sms").first()
    with pytest.raises(sms.SmsError):
        services.deliver(delivery.pk, final=False)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert services.deliver(delivery.pk, final=True) == "failed"
    client.force_login(w.organiser)
    page = client.get("/staff/notifications/").content.decode()
    assert "gateway unreachable" in page and "重新发送" in page
    client.post(f"/staff/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == "pending"


@pytest.mark.parametrize(
    ("idle_seconds", "redispatched"),
    [(899, False), (900, True), (901, True)],  # the second before, of and after the limit
)
def test_a_pending_delivery_left_idle_is_handed_to_a_worker_again(
    talk_deadline,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
    idle_seconds,
    redispatched,
):
    settings.JICENG_DELIVERY_STALE_SECONDS = 900
    settings.JICENG_SMS_FILE_PATH = str(tmp_path)
    services.sweep(now=at(date(2023, 3, 30)))
    touched = timezone.now()
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(updated_at=touched)
    Delivery.objects.filter(channel=Delivery.Channel.EMAIL).update(status=Delivery.Status.SENT)
    enqueued = []
    monkeypatch.setattr(services, "_enqueue", enqueued.extend)
    later = touched + timedelta(seconds=idle_seconds)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.redispatch_stale(now=later)
    sms_delivery = Delivery.objects.get(channel=Delivery.Channel.SMS)
    assert count == int(redispatched)
    assert enqueued == ([sms_delivery.pk] if redispatched else [])
    if redispatched:
        # Redispatched once, it is not redispatched by the next sweep a minute later; and a
        # worker running both the lost message and the new one sends it once.
        with django_capture_on_commit_callbacks(execute=True):
            assert services.redispatch_stale(now=later + timedelta(seconds=60)) == 0
        assert services.deliver(sms_delivery.pk, final=False) == "sent"
        assert services.deliver(sms_delivery.pk, final=False) == "skipped"


def test_the_inbox_shows_reminders_and_marks_them_read(talk_deadline, client):
    w, _case = talk_deadline
    services.sweep(now=at(date(2023, 4, 2)))
    client.force_login(w.organiser)
    page = client.get("/staff/notifications/").content.decode()
    assert "超期提醒（报乡镇党委）" in page and "谈话" in page
    notification = Notification.objects.filter(recipient=w.organiser).first()
    client.post(f"/staff/notifications/{notification.pk}/read/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert Notification.objects.filter(recipient=w.secretary).exists()
    assert not client.get("/staff/notifications/").content.decode().count("标为已读") > 1


def test_the_sweep_query_uses_the_status_due_index():
    plan = str(services.due_deadlines(timezone.now()).explain())
    assert "deadline_status_due" in plan or "INDEX" in plan.upper()


def test_a_daily_digest_per_user_lists_due_and_overdue_once_a_day(talk_deadline):
    from notifications import digest
    from notifications.models import Digest

    w, _case = talk_deadline
    assert digest.send(today=date(2023, 3, 27)) == 0  # nothing due within three days yet
    assert digest.send(today=date(2023, 4, 3)) >= 2  # overdue: secretary and township
    assert digest.send(today=date(2023, 4, 3)) == 0  # once a day
    mine = Digest.objects.get(recipient=w.secretary, day=date(2023, 4, 3))
    assert mine.overdue == 1 and "谈话" in mine.body and mine.emailed
    assert any("每日待办" in message.subject for message in mail.outbox)


def test_a_reminder_links_to_its_subject_s_page_which_the_portal_registered():
    """The procedures hand over a record, not an address: the link is the portal's."""
    from django.urls import reverse

    w = world()
    case = open_case(w)  # the talk is due 2023-04-01: long overdue
    assert services.sweep(now=at(date(2023, 4, 5))) > 0
    notification = Notification.objects.filter(deadline__key="step:talk").first()
    assert notification.url == reverse("staff:subject", args=["cases", case.pk])


def test_no_procedure_writes_a_staff_address():
    from pathlib import Path

    import procedures

    root = Path(procedures.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "/staff/" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
