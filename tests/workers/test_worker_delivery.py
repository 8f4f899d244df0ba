"""Real Celery workers on Redis: a worker killed with SIGKILL in the middle of a batch of due
reminders is restarted (with the beat, as production runs) and every reminder is delivered
exactly once, even one whose message the broker lost; two workers racing over
the same batch deliver each once too. Needs PostgreSQL (shared by the worker processes) and
Redis; run in CI."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery_app import app
from fixtures.deliveries import pending_sms
from notifications import sms
from notifications.models import Delivery
from workflows.models import Deadline

ROOT = Path(__file__).resolve().parents[2]
BATCH = 40
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_queue():
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL pointing at Redis")
    queue = f"jiceng-test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous


def _batch(tmp_path) -> list[int]:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    user = get_user_model().objects.create_user("worker-test", password="x-pass-123")
    deadline = Deadline.objects.create(
        subject_type=ContentType.objects.get_for_model(Deadline),
        subject_id=1,
        key="k",
        title="测试期限",
        due_at=timezone.now(),
        audience="branch",
        scope_path="/1/",
    )
    return pending_sms(user=user, deadline=deadline, count=BATCH)


def _worker(queue: str, tmp_path: Path, name: str, *, beat: bool = False) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        # Restore a dead worker's messages after 3 s, looking every second, and never let its
        # restore lock (if it died holding it) block the next worker for long.
        "JICENG_BROKER_VISIBILITY_TIMEOUT": "3",
        "JICENG_BROKER_RESTORE_INTERVAL": "1",
        "JICENG_BROKER_RESTORE_THROTTLE": "1",
        "JICENG_BROKER_RESTORE_LOCK_SECONDS": "5",
        # The beat's redispatch of pending deliveries idle this long: what the broker lost
        # (a message taken by the killed worker but not yet registered as unacknowledged).
        "JICENG_REDISPATCH_EVERY_SECONDS": "1",
        "JICENG_DELIVERY_STALE_SECONDS": "6",
        "JICENG_SMS_BACKEND": "tests.workers.slow_sms.SlowFileBackend",
        "JICENG_SMS_FILE_PATH": str(tmp_path),
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{name}@%h",
            "--concurrency",
            "2",
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            *(["--beat", "--schedule", str(tmp_path / f"beat-{name}")] if beat else []),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)  # the whole process group: no warm shutdown
    worker.wait(timeout=10)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            _kill(worker)


def _wait(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _sent() -> int:
    return Delivery.objects.filter(status=Delivery.Status.SENT).count()


def _lines(tmp_path: Path) -> list[str]:
    return [line for path in tmp_path.glob("*.jsonl") for line in path.read_text().splitlines()]


def test_a_worker_killed_mid_batch_is_restarted_and_each_reminder_is_delivered_once(
    redis_queue, tmp_path
):
    from notifications.tasks import deliver

    ids = _batch(tmp_path)
    worker = _worker(redis_queue, tmp_path, "first")
    try:
        for delivery_id in ids:
            deliver.delay(delivery_id)
        assert _wait(lambda: _sent() >= 5, 60), "the first worker delivered nothing"
        _kill(worker)  # in the middle of the batch, messages taken but not acknowledged
        assert _sent() < BATCH
        # A message the dead worker had taken off the queue but not yet registered as
        # unacknowledged is gone from the broker: take one away to stand for it. The beat's
        # redispatch of idle pending deliveries must send it all the same.
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        assert broker.rpop(redis_queue) is not None, "the queue was already empty"
        worker = _worker(redis_queue, tmp_path, "second", beat=True)  # as production runs
        assert _wait(lambda: _sent() == BATCH, 120), f"only {_sent()} of {BATCH} delivered"
    finally:
        _stop(worker)
    lines = _lines(tmp_path)
    assert len(lines) == BATCH  # each SMS exactly once, none lost
    assert sms.sent_keys(tmp_path) == {f"delivery-{pk}" for pk in ids}


def test_two_workers_racing_over_one_batch_deliver_each_reminder_once(redis_queue, tmp_path):
    from notifications.tasks import deliver

    ids = _batch(tmp_path)
    workers = [_worker(redis_queue, tmp_path, "left"), _worker(redis_queue, tmp_path, "right")]
    try:
        for delivery_id in ids:
            deliver.delay(delivery_id)
            deliver.delay(delivery_id)  # a duplicate message, as a retry would produce
        assert _wait(lambda: _sent() == BATCH, 120), f"only {_sent()} of {BATCH} delivered"
        time.sleep(1)  # let the duplicates run too
    finally:
        for worker in workers:
            _stop(worker)
    assert len(_lines(tmp_path)) == BATCH
    assert Delivery.objects.filter(attempts=1).count() == BATCH
