"""A4 PDFs, warm (the process has made one before): a notice (a 公文 in GB/T 9704's layout, two
serif faces) and a member development form (《发展对象预审表》, one face), each the time to
write it with its CJK glyphs embedded, against the floor of fpdf2 writing the notice's lines
with a built-in font (nothing embedded, the non-Latin characters as "?"), in the same
process."""

from __future__ import annotations

import time

from .stats import Run


def _notice():
    from procedures.publicity.models import Notice

    return Notice.objects.filter(status="published").order_by("pk").first()


def measure(count: int) -> Run:
    from portal.public import pdf

    notice = _notice()
    url = f"http://127.0.0.1/n/{notice.pk}/"
    pdf.notice_pdf(notice, url=url)  # warm: the common font built or found, modules loaded
    times = []
    for _ in range(count):
        started = time.perf_counter()
        pdf.notice_pdf(notice, url=url)
        times.append(time.perf_counter() - started)
    return Run("notice PDF", count, sum(times), times)


def measure_form(count: int) -> Run:
    from portal import documents
    from procedures.membership import forms
    from procedures.membership.models import Case

    case = Case.objects.filter(pre_reviewed_on__isnull=False).order_by("pk").first()
    form = forms.FORMS["pre_review_reply"]
    documents.page_pdf(forms.page(form, case), base_url="http://127.0.0.1/")
    times = []
    for _ in range(count):
        started = time.perf_counter()
        documents.page_pdf(forms.page(form, case), base_url="http://127.0.0.1/")
        times.append(time.perf_counter() - started)
    return Run("form PDF", count, sum(times), times)


def floor(count: int) -> Run:
    from fpdf import FPDF

    notice = _notice()
    lines = [
        notice.title,
        notice.body,
        *(f"{label} {value}" for label, value in notice.public_fields),
    ]
    lines = [line.encode("latin-1", "replace").decode("latin-1") for line in lines]
    times = []
    for _ in range(count + 1):
        started = time.perf_counter()
        document = FPDF(format="A4", unit="mm")
        document.add_page()
        document.set_font("helvetica", size=12)
        for line in lines:
            document.multi_cell(170, 7, line, new_x="LMARGIN", new_y="NEXT")
        bytes(document.output())
        times.append(time.perf_counter() - started)
    return Run("fpdf2, built-in font", count, sum(times[1:]), times[1:])
