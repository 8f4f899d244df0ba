"""统计: the figures the organisation department reports, from the records, over the user's
scope (the same queries for a branch, a township and the county, filtered by the scopes).

Each page is built once as a `page` (title, subtitle, paragraphs, sections of cells) and then
shown as HTML with its charts, or downloaded as Excel, PDF or Word from that same page: what is
printed or exported is what is on the screen."""

from .pages import life_page, plan_edit, plans_page, statistics_page
from .report import ledger_export, report_page

__all__ = [
    "ledger_export",
    "life_page",
    "plan_edit",
    "plans_page",
    "report_page",
    "statistics_page",
]
