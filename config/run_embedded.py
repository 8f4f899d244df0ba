"""`make run`: the web server and a Celery worker with beat on the filesystem broker, in one
terminal. Prints the URLs and the demo logins; Ctrl-C stops all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST, PORT = "127.0.0.1", "8000"


def _banner() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from fixtures.demo_county import DEMO_PASSWORD

    base = f"http://{HOST}:{PORT}"
    logins = [
        ("admin", "系统管理员（后台管理）"),
        ("county", "县委组织部工作人员，可见全县"),
        ("township", "东岭镇党委组织员，可见东岭镇各村"),
        ("township_secretary", "东岭镇党委书记"),
        ("secretary", "柳树村党支部书记，可见本支部"),
        ("first_secretary", "柳树村第一书记（县委组织部选派）"),
        ("liaison", "柳树村包村干部"),
        ("clerk", "柳树村村文书"),
    ]
    lines = [
        "",
        "基层流程引擎 Jiceng is running:",
        f"  公示栏 public board   {base}/  (村民无需登录 / no login)",
        f"  工作台 staff pages   {base}/staff/",
        f"  后台管理 admin        {base}/admin/",
        f"  接口文档 API docs     {base}/api/docs/",
        f"  OpenAPI schema       {base}/api/schema/",
        "",
        f"演示账号 demo logins (password for all: {DEMO_PASSWORD}):",
        *[f"  {username:<20}{role}" for username, role in logins],
        "",
        "Ctrl-C stops the web server, the worker and beat.",
        "",
    ]
    return "\n".join(lines)


def _die_with_parent() -> None:
    """Linux: children get SIGTERM if this launcher dies, so nothing is left running."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main() -> int:
    os.chdir(BASE_DIR)
    var = BASE_DIR / "var"
    for folder in ("broker/queue", "broker/processed", "broker/control", "mail", "sms"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    python = sys.executable
    children = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [python, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
            env=env,
            preexec_fn=_die_with_parent,
        ),
        subprocess.Popen(  # noqa: S603
            [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--schedule",
                str(var / "celerybeat-schedule"),
            ],
            env=env,
            preexec_fn=_die_with_parent,
        ),
    ]
    print(_banner(), flush=True)

    def stop(*_args) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: (stop(), sys.exit(0)))
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("a process stopped; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
