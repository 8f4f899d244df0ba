"""The named forms of member development (《发展对象预审表》, 《入党志愿书》, …), filled from the
case's records: what the records hold is written in, what only a hand can write (the applicant's
own words, signatures, stamps) is left for it. Each form is a material of the checklist: it is
printed here, signed and stamped, scanned and filed back on its step (`case_add_material`).

A form is a page (title, facts, paragraphs, sections of rows) that the portal prints as PDF or
through the county's Word template (`portal.documents`): the same page either way."""

from .parts import Form
from .registry import DOCUMENTS, FORMS, page

__all__ = ["DOCUMENTS", "FORMS", "Form", "page"]
