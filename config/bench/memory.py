"""Peak resident memory of a Celery worker after real work: a worker on the configured
broker delivers a batch of reminders (the SMS file backend) and fires the flow timers; its
processes' VmHWM is read afterwards. (The web worker's is read after the portal load.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from . import procs
from .db import ROOT


def _batch(count: int) -> list[int]:
    from django.contrib.auth import get_user_model

    from fixtures.deliveries import pending_sms
    from workflows.models import Deadline

    user = get_user_model().objects.get(username="secretary")
    deadline = Deadline.objects.filter(status="open").order_by("pk").first()
    return pending_sms(user=user, deadline=deadline, count=count, title="基准测试提醒")


def celery_worker_peak(count: int, *, timeout: float = 300) -> tuple[float, int]:
    """(peak MiB over the worker's processes, deliveries sent)."""
    from django.conf import settings

    from notifications.models import Delivery
    from notifications.tasks import deliver
    from workflows.tasks import fire_due_flow_timers

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):  # the embedded broker's folders
        for name in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(name)
            if folder:
                os.makedirs(folder, exist_ok=True)
    queue = f"jiceng-bench-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    from config.celery_app import app

    app.conf.task_default_queue = queue
    ids = _batch(count)
    with tempfile.TemporaryDirectory() as sms_dir:
        env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue, "JICENG_SMS_FILE_PATH": sms_dir}
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool",
                "prefork",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            for delivery_id in ids:
                deliver.delay(delivery_id)
            fire_due_flow_timers.delay()
            deadline = time.monotonic() + timeout
            sent = 0
            while time.monotonic() < deadline:
                sent = Delivery.objects.filter(pk__in=ids, status="sent").count()
                if sent == len(ids):
                    break
                time.sleep(0.5)
            pids = [worker.pid, *procs.children(worker.pid)]
            peak = max(procs.peak_rss_mb(pid) for pid in pids)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
            _purge(queue)
    return peak, sent


def _purge(queue: str) -> None:
    """Drop what is left on the benchmark's own queue (a task nobody needs any more)."""
    from config.celery_app import app

    with app.connection_for_write() as connection:
        try:
            connection.default_channel.queue_purge(queue)
        except Exception:  # noqa: S110 - a queue never declared has nothing to purge
            pass
