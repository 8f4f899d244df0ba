"""The personal file's materials (档案材料): put in by the branch or the township, reviewed by
the upper committee at 预审 and at 审批, and then locked: a correction is a new material naming
the one it replaces, with its reason, audited; the reviewed one stays."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from workflows import files, pipeline
from workflows.errors import NotAllowed, ProcedureError

from .. import permissions
from ..models import Case, Material
from ..steps import CHECKLIST, step_name
from .base import CASES

MAX_MATERIAL_MB = 20
_MATERIAL_TYPES = {"application/pdf", "image/jpeg", "image/png"}

MSG_MATERIAL_KIND = gettext_noop("“%(kind)s”不是该步骤的材料。")

MSG_MATERIAL_FORBIDDEN = gettext_noop("您不能为该案卷上传材料。")

MSG_MATERIAL_LOCKED = gettext_noop(
    "“%(title)s”已经%(stage)s审核（%(on)s），已锁定；更正须上传新的材料并说明更正原因。"
)

MSG_MATERIAL_TYPE = gettext_noop("材料只能是PDF或图片（JPG、PNG），且不超过%(mb)dMB。")


@transaction.atomic
def case_add_material(
    *,
    case_id: int,
    actor,
    step: str,
    kind: str,
    title: str,
    file: UploadedFile | None = None,
    reason: str = "",
) -> Material:
    """Put a document in the personal file: a scan or a generated document. Where the upper
    committee has reviewed one of this kind, the new one corrects it: only with a reason."""
    case = pipeline.hold(CASES, case_id, actor)
    if actor is not None and not permissions.may_file(case, actor):
        raise NotAllowed("material_forbidden", _(MSG_MATERIAL_FORBIDDEN))
    kinds = dict(CHECKLIST.get(step, ()))
    if kind not in kinds:
        raise ProcedureError("material_kind", _(MSG_MATERIAL_KIND) % {"kind": kind})
    if file is not None:
        kind_of_bytes = files.sniff(file)
        if file.size > MAX_MATERIAL_MB * 1024 * 1024 or kind_of_bytes not in _MATERIAL_TYPES:
            raise ProcedureError("material_type", _(MSG_MATERIAL_TYPE) % {"mb": MAX_MATERIAL_MB})
        file.name = files.named_for(file.name, kind_of_bytes)  # stored as what its bytes are
    reviewed = (
        Material.objects.filter(
            case=case, step=step, kind=kind, reviewed_on__isnull=False, replaced_by__isnull=True
        )
        .order_by("-pk")
        .first()
    )
    reason = (reason or "").strip()[:300]
    if reviewed is not None and not reason:
        raise ProcedureError(
            "material_locked",
            _(MSG_MATERIAL_LOCKED)
            % {
                "title": reviewed.title,
                "stage": step_name(reviewed.reviewed_at),
                "on": reviewed.reviewed_on,
            },
        )
    material = Material.objects.create(
        case=case,
        step=step,
        kind=kind,
        title=title or str(kinds[kind]),
        file=file or "",
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        replaces=reviewed,
        reason=reason if reviewed else "",
    )
    payload = {"step": step, "kind": kind, "title": material.title}
    if reviewed is not None:
        payload |= {"replaces": reviewed.pk, "replaced_title": reviewed.title, "reason": reason}
    action = "material_corrected" if reviewed else "material_added"
    pipeline.logged(CASES, case, action, actor=actor, payload=payload)
    return material


def review_materials(case: Case, *, actor, step: str, on: date) -> list[Material]:
    """预审 and 审批: the upper committee has reviewed the file; what it holds now is locked
    (one event naming each material)."""
    pending = list(
        Material.objects.filter(case=case, reviewed_on__isnull=True, replaced_by__isnull=True)
    )
    if not pending:
        return []
    Material.objects.filter(pk__in=[m.pk for m in pending]).update(
        reviewed_on=on, reviewed_at=step, reviewed_by=actor if getattr(actor, "pk", None) else None
    )
    pipeline.logged(
        CASES,
        case,
        "materials_reviewed",
        actor=actor,
        act_date=on,
        role="",  # within the step (预审, 审批), whose own event names the role
        payload={"step": step, "materials": [[m.pk, m.title] for m in pending]},
    )
    return pending
