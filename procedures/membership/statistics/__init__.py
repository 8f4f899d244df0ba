"""Member development in figures, from the case rows by aggregate queries (no loop over cases):
the new members of a period and their structure, in the two category sets the county reports
in — seed 004's (高中以上文化, 女, 少数民族, 35岁以下, 生产一线) and the 党内统计公报's (大专及以上,
女, 少数民族, 35岁及以下, 生产工作一线).

Definitions (said on every page that shows these figures, `DEFINITIONS`):
- a new member of a period: admitted by the 支部大会 (接收为预备党员) on a day in the period, and
  approved by the upper committee (a case approved later counts in its admission's period once
  approved; a probation later cancelled still counts: he was developed that year);
- age: whole years on the day of admission; "35岁以下" of the seed is counted as 35 and under, as
  the 公报 counts it;
- education and occupation: as recorded on the day of admission (Case.admitted_*);
- 少数民族: the 55 groups after 汉族 (people.vocabularies)."""

from .composition import (
    DEFINITIONS,
    Share,
    Structure,
    cases_touching,
    developed,
    of_the_day,
    structure,
    with_admission_age,
)
from .plans import Progress, current_plans, pipeline_by_branch, progress, year_bounds
from .report import paragraph
from .stages import funnel, slowest_branches, spans

__all__ = [
    "DEFINITIONS",
    "Progress",
    "Share",
    "Structure",
    "cases_touching",
    "current_plans",
    "developed",
    "funnel",
    "of_the_day",
    "paragraph",
    "pipeline_by_branch",
    "progress",
    "slowest_branches",
    "spans",
    "structure",
    "with_admission_age",
    "year_bounds",
]
