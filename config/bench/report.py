"""The table printed by `make bench` and the figures section of BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import re
from datetime import datetime
from pathlib import Path

from .stats import Row

BEGIN, END = "<!-- bench:figures:begin -->", "<!-- bench:figures:end -->"
FIGURES = (BEGIN, END)
PROVINCE = ("<!-- bench:province:begin -->", "<!-- bench:province:end -->")


def machine(database: str) -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; {database}"
    )


def table(rows: list[Row]) -> str:
    header = ["benchmark", "measured", "floor (same run)", "ratio", "target", "met"]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for row in rows:
        cells = [
            row.benchmark,
            row.measured,
            row.floor,
            f"{row.ratio:.2f}",
            row.target,
            "—" if row.met is None else "yes" if row.met else "**no**",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def section(
    rows: list[Row], *, machine_line: str, mode: str, notes: list[str], markers=FIGURES
) -> str:
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    begin, end = markers
    parts = [
        begin,
        f"Run {stamp}, `{mode}`, on {machine_line}.",
        "",
        table(rows),
    ]
    if notes:
        parts += ["", *[f"- {note}" for note in notes]]
    parts.append(end)
    return "\n".join(parts)


def write(path: Path, block: str, *, markers=FIGURES) -> None:
    """Replace the figures section of `path` (the one between `markers`), keeping what is
    written around it."""
    begin, end = markers
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{begin}\n{end}\n"
    if begin not in text:
        text = text.rstrip() + f"\n\n{begin}\n{end}\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    path.write_text(pattern.sub(lambda _match: block, text, count=1))
