"""The portal under load: gunicorn serving a village notice board and a notice page to 64
concurrent connections (wrk), against a minimal view (/healthz) on the same server in the
same run. Requests per second, p50/p99 latency, the ratio to the floor."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from . import procs
from .db import ROOT


@dataclass
class Load:
    name: str
    path: str
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def targets(township=None) -> dict[str, str]:
    """The floor and two real pages: the board of the village with the most published
    notices (of `township`, else of all), and its newest notice."""
    from django.db.models import Count, Q

    from procedures.people.models import Village
    from procedures.publicity.models import Notice

    villages = Village.objects.filter(township=township) if township else Village.objects
    village = (
        villages.annotate(live=Count("notices", filter=Q(notices__status="published")))
        .order_by("-live", "pk")
        .first()
    )
    notice = Notice.objects.filter(village=village, status="published").order_by("-pk").first()
    return {
        "hello-world": "/healthz",
        "village board": f"/v/{village.pk}/",
        "notice page": f"/n/{notice.pk}/",
    }


class Server:
    """gunicorn as production runs it: `workers` processes of `threads` threads each."""

    def __init__(self, *, workers: int, threads: int) -> None:
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.threads),
                "--keep-alive",
                "30",
                "--backlog",
                "2048",
                # Each worker its own listening socket, the kernel spreading connections
                # evenly: with one shared socket a busy moment could leave most of wrk's
                # keep-alive connections on one worker, and one core idle.
                "--reuse-port",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        return procs.children(self.process.pid)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """Requests/sec, p50 and p99 in ms, and errors (non-2xx answers and socket errors)."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return rate, p50, p99, errors


def wrk(url: str, *, seconds: int, connections: int = 64, threads: int = 2) -> str:
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is missing: apt-get install wrk (make bench installs it)")
    result = subprocess.run(  # noqa: S603
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return result.stdout


def measure(
    server: Server, paths: dict[str, str], *, seconds: int, connections: int = 64
) -> list[Load]:
    loads = []
    for name, path in paths.items():
        wrk(server.url(path), seconds=max(1, seconds // 3), connections=connections)  # warm
        rate, p50, p99, errors = parse_wrk(
            wrk(server.url(path), seconds=seconds, connections=connections)
        )
        loads.append(Load(name, path, rate, p50, p99, errors))
    return loads


def check_pages(server: Server, paths: dict[str, str]) -> None:
    """The pages under load are the real ones: 200, Chinese, no personal data."""
    for name, path in paths.items():
        with urllib.request.urlopen(server.url(path), timeout=10) as answer:  # noqa: S310
            body = answer.read().decode()
        if answer.status != 200:
            raise RuntimeError(f"{name} answered {answer.status}")
        if name != "hello-world" and "公示" not in body:
            raise RuntimeError(f"{name} is not a notice page")


def peak_worker_rss(server: Server) -> float:
    return max((procs.peak_rss_mb(pid) for pid in server.worker_pids()), default=0.0)
