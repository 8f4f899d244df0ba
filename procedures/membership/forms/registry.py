"""Every named form by its material kind, and the page a form prints."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows.printed import Document

from ..models import Case
from ..steps import step_name
from .admission import (
    _admission_form,
    _archive_index,
    _conversion_application,
    _full_record,
    _pre_review,
    _probation_record,
)
from .cultivation import (
    _application,
    _certificate,
    _cultivation,
    _mass_forum,
    _political_review,
    _thought_reports,
    _training_assessment,
)
from .parts import Form, _vote

FORMS: dict[str, Form] = {
    form.kind: form
    for form in (
        Form("application", "入党申请书", "apply", None, _application),
        Form(
            "cultivation_record",
            "入党积极分子培养教育考察登记表",
            "choose_candidate",
            "choose_activist",
            _cultivation,
        ),
        Form(
            "thought_reports", "思想汇报", "choose_candidate", "choose_activist", _thought_reports
        ),
        Form("mass_forum", "群众座谈会记录", "choose_candidate", "choose_activist", _mass_forum),
        Form(
            "political_review", "政审材料", "record_review", "choose_candidate", _political_review
        ),
        Form(
            "training_assessment",
            "入党积极分子培训学员考核表",
            "record_training",
            "choose_candidate",
            _training_assessment,
        ),
        Form(
            "training_certificate",
            "党校结业证书",
            "record_training",
            "record_training",
            _certificate,
        ),
        Form("pre_review_reply", "发展对象预审表", "pre_review", "committee_review", _pre_review),
        Form("admission_form", "中国共产党入党志愿书", "fill_form", "pre_review", _admission_form),
        Form(
            "admission_vote_tally",
            "支部大会票决情况统计表",
            "branch_admit",
            "branch_admit",
            lambda case: _vote(case, "branch_admit", "支部大会票决情况统计表"),
        ),
        Form(
            "conversion_application",
            "转正申请",
            "apply_conversion",
            "take_oath",
            _conversion_application,
        ),
        Form(
            "probation_record",
            "预备党员教育考察登记表",
            "apply_conversion",
            "approve",
            _probation_record,
        ),
        Form(
            "conversion_vote_tally",
            "支部大会票决情况汇总表",
            "branch_convert",
            "branch_convert",
            lambda case: _vote(case, "branch_convert", "支部大会票决情况汇总表"),
        ),
        Form("full_record", "发展党员工作全程纪实表", "archive", None, _full_record),
        Form("archive_index", "发展党员档案台账目录", "archive", None, _archive_index),
    )
}


def page(form: Form, case: Case) -> dict:
    """The form's page, with its title in 《》 for the printed heading."""
    built = form.build(case)
    return {**built, "title": f"《{built['title']}》"}


MSG_NOT_YET = gettext_noop("《%(form)s》要在“%(step)s”办理后才能填写。")


def _refusal(form: Form):
    def refusal(case: Case, user) -> str:
        if form.available(case):
            return ""
        return _(MSG_NOT_YET) % {"form": form.title, "step": step_name(form.after)}

    return refusal


# Each form as the portal prints it from the case (`workflows.printed.Document`), linked from
# the file's checklist, through the county's template "form-<kind>".
DOCUMENTS: dict[str, Document] = {
    kind: Document(
        title=form.title,
        build=lambda case, user, form=form: page(form, case),
        refusal=_refusal(form),
        listed=False,
        template_key=f"form-{kind}",
    )
    for kind, form in FORMS.items()
}
