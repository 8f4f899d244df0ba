"""Cases in flight from a county's spreadsheet, and back (issue 19's Excel in and out).

A workbook of three sheets: 人员 (the people, as procedures/people/workbook.py reads them), 案卷
(a case each: whose, which branch, the application's date) and 办理记录 (every act of every
case, in order: its steps with their original dates and actors, the thought reports and
assessments, the materials filed). Each case is entered as a case under way (the township or
the county enters it: services/backfill.py) and each act goes through the live step's service
(the declaration the staff form and the API use), so the same rules speak, and the same 全程纪实
and audit chain are written. A refusal is reported on the row and cell it is about, in Chinese.

The import writes all or nothing (each case in a savepoint of its own, so one case's refusal
leaves the others' checks going); a case already entered the same (the person's ID number and
the application's date are its natural key) is left as it is. The export writes the same
shapes from the records, so a workbook exported and imported into a county without the cases
gives the same cases (tests/procedures/membership/test_workbook.py).
"""

from .columns import (
    CASE_COLUMNS,
    CASES,
    HISTORY,
    HISTORY_COLUMNS,
    STEP_ITEMS,
    Report,
    is_case_workbook,
    template,
)
from .reading import load
from .writing import export

__all__ = [
    "CASES",
    "CASE_COLUMNS",
    "HISTORY",
    "HISTORY_COLUMNS",
    "STEP_ITEMS",
    "Report",
    "export",
    "is_case_workbook",
    "load",
    "template",
]
