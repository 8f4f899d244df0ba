"""Figures of one measured run: count, wall time, rate and latency percentiles."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass
class Run:
    name: str
    count: int
    seconds: float
    latencies: list[float] = field(default_factory=list, repr=False)  # seconds each
    statements: int = 0  # sent by one of them, where counted

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1000


@dataclass
class Row:
    """One line of the table: the measured figure, its floor, the ratio and the target."""

    benchmark: str
    measured: str
    floor: str
    ratio: float
    target: str
    met: bool | None  # None: a figure for reading, with no target of its own
    notes: str = ""
