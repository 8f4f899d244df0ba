"""Quorums and majorities in exact arithmetic: fractions, never floats.

"More than half of 7" needs 4; "at least two thirds of 9" needs 6; "at least two thirds of
10" needs 7. Every check says how many were needed, so a refusal can show the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Threshold:
    ratio: Fraction
    strict: bool  # True: more than ratio ("超过"); False: at least ratio ("不少于")
    label: str

    def needed(self, total: int) -> int:
        """The smallest whole count that satisfies the threshold out of `total`."""
        if total < 0:
            raise ValueError("total must not be negative")
        exact = self.ratio * total
        return math.floor(exact) + 1 if self.strict else max(1, math.ceil(exact))

    def met(self, count: int, total: int) -> bool:
        if count < 0 or total <= 0:
            return False
        return (
            Fraction(count) > self.ratio * total
            if self.strict
            else (Fraction(count) >= self.ratio * total)
        )


MORE_THAN_HALF = Threshold(Fraction(1, 2), strict=True, label="超过半数")
AT_LEAST_TWO_THIRDS = Threshold(Fraction(2, 3), strict=False, label="不少于三分之二")


@dataclass(frozen=True)
class Measure:
    """The outcome of one threshold: the count, out of what, how many were needed."""

    count: int
    total: int
    needed: int
    met: bool


def measure(threshold: Threshold, count: int, total: int) -> Measure:
    return Measure(count, total, threshold.needed(total), threshold.met(count, total))


@dataclass(frozen=True)
class Tally:
    """A ballot's count for one candidate or one matter."""

    yes: int
    no: int
    abstain: int

    def __post_init__(self) -> None:
        if min(self.yes, self.no, self.abstain) < 0:
            raise ValueError("a tally cannot be negative")

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain
