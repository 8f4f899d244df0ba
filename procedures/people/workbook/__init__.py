"""People brought in from a county's spreadsheet (Excel in, issue 19's first part of it): a
template workbook to fill, a dry run that checks every row through the same registration as
the staff pages (`services.person_register`, the model's rules: the ID number's check digit
and its agreement with the birth date and sex, the vocabularies) and reports each problem on
its row and cell, in Chinese; an import that writes all or nothing, and writes a person once
(the ID number is the natural key: a row already registered the same is left as it is).

Cases in flight with their history are the next part (they go through the case services the
same way)."""

from .annotated import annotated
from .cells import cell_date, cell_text, open_book, sheet_rows
from .columns import (
    CHOICES,
    COLUMNS,
    EXAMPLE_PEOPLE,
    KEPT_PROBLEMS,
    LABELS,
    MSG_DATE_FORM,
    MSG_HELD_FOR_COUNTY,
    OPTIONAL,
    SHEET,
    UNITS,
    Problem,
    Problems,
    Report,
    add_example,
    add_sheet,
    template,
)
from .registering import load, may_register, register_rows

__all__ = [
    "CHOICES",
    "COLUMNS",
    "EXAMPLE_PEOPLE",
    "KEPT_PROBLEMS",
    "LABELS",
    "MSG_DATE_FORM",
    "MSG_HELD_FOR_COUNTY",
    "OPTIONAL",
    "SHEET",
    "UNITS",
    "Problem",
    "Problems",
    "Report",
    "add_example",
    "add_sheet",
    "annotated",
    "cell_date",
    "cell_text",
    "load",
    "may_register",
    "open_book",
    "register_rows",
    "sheet_rows",
    "template",
]
