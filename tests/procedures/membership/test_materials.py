"""The personal file's materials: the upper committee's 预审 and 审批 review what the file holds
and lock it; a correction is a new material naming the one it replaces, with its reason,
audited, and both stay; what was never reviewed is put in freely."""

import pytest

from procedures.membership import services
from procedures.membership.models import Material
from workflows.audit import stream_of, verify_chain
from workflows.models import AuditEvent

from .walk import date_of, refusal, walk, world

pytestmark = pytest.mark.django_db


def _add(case, step, kind, **more):
    return services.case_add_material(
        case_id=case.pk, actor=None, step=step, kind=kind, title=more.pop("title", ""), **more
    )


def test_pre_review_and_approval_lock_what_the_file_holds_then():
    w = world()
    case = walk(w, until="pre_review")
    early = _add(case, "choose_candidate", "cultivation_record")
    case = walk(w, case=case, until="fill_form")  # 预审 done
    early.refresh_from_db()
    assert (early.reviewed_on, early.reviewed_at, early.locked) == (
        date_of("pre_review"), "pre_review", True
    )  # fmt: skip
    reviewed = AuditEvent.objects.filter(stream=stream_of(case), action="materials_reviewed")
    assert [e.payload["materials"] for e in reviewed] == [[[early.pk, early.title]]]
    form = _add(case, "fill_form", "admission_form")  # after 预审: not yet reviewed
    assert not form.locked
    case = walk(w, case=case, until="notify_admission")  # 审批 done
    form.refresh_from_db()
    assert (form.reviewed_on, form.reviewed_at) == (date_of("approve"), "approve")
    early.refresh_from_db()
    assert early.reviewed_at == "pre_review"  # reviewed once, at 预审
    assert verify_chain(stream=stream_of(case)) == []


def test_a_reviewed_material_is_corrected_only_by_a_new_one_with_its_reason():
    w = world()
    case = walk(w, until="pre_review")
    original = _add(case, "record_review", "political_review", title="政审材料")
    case = walk(w, case=case, until="fill_form")
    error = refusal(lambda: _add(case, "record_review", "political_review", title="政审材料（新）"))
    assert error.code == "material_locked"
    assert "政审材料" in error.message and "已锁定" in error.message and "更正原因" in error.message
    assert Material.objects.filter(case=case).count() == 1  # nothing written
    corrected = _add(
        case, "record_review", "political_review", title="政审材料（补正）", reason="原件缺少外调函"
    )
    assert corrected.replaces == original and corrected.reason == "原件缺少外调函"
    assert not corrected.locked
    original.refresh_from_db()
    assert original.locked and original.replaced_by == corrected  # both stay
    event = AuditEvent.objects.filter(stream=stream_of(case)).last()
    assert event.action == "material_corrected"
    assert (event.payload["replaces"], event.payload["reason"]) == (original.pk, "原件缺少外调函")
    # Another of a kind never reviewed goes in freely, as before.
    assert not _add(case, "talk", "talk_record").replaces
    assert verify_chain(stream=stream_of(case)) == []


def test_a_scan_is_stored_under_the_extension_of_its_bytes(settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = world()
    case = walk(w, until="pre_review")
    scan = SimpleUploadedFile("申请书.html", b"%PDF-1.4\n" + b"0" * 32, "text/html")
    material = _add(case, "choose_candidate", "cultivation_record", file=scan)
    assert material.file.name.endswith(".pdf") and "html" not in material.file.name
