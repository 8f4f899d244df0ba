"""Writes of the branch's organisational life: a meeting planned (预约报备), held and
recorded, or cancelled; each record's minutes checked (who should attend on its day,
the quorum, the chair, the attachments) before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.people import agenda
from procedures.people.meetings import belonging_on, not_counted_on
from procedures.people.models import Organisation, Person
from workflows import files, pipeline
from workflows.errors import NotAllowed, ProcedureError
from workflows.rules import get_rulebook

from .. import attendance, policy
from ..models import BranchMeeting, MeetingAttachment, MeetingAttendance
from ..rulebooks import BRANCH_2018
from ..steps import KINDS, Attendees, Grade, Kind, Presence, Status
from .procedure import (
    _ATTACHMENT_TYPES,
    MAX_ATTACHMENT_MB,
    MEETINGS,
    MSG_ATTACHMENT,
    MSG_BOTH,
    MSG_CHAIR,
    MSG_FUTURE,
    MSG_GRADE_VALUE,
    MSG_GRADES,
    MSG_GROUP,
    MSG_KIND,
    MSG_NO_ATTENDEES,
    MSG_NOT_BRANCH,
    MSG_NOT_EXPECTED,
    MSG_NOT_OF_BRANCH,
    MSG_PAIR,
    MSG_PLACE,
    MSG_PLAN_PAST,
    MSG_REASON,
    MSG_RECORD_FORBIDDEN,
    MSG_RECORDER,
    MSG_SUMMARY,
    MSG_TOPIC,
)


@dataclass
class Minutes:
    """What a meeting's record says: the record of the meeting, once."""

    held_on: date
    topic: str
    summary: str
    place: str = ""
    chair_id: int | None = None
    recorder_id: int | None = None
    present_ids: list[int] = field(default_factory=list)
    leave: dict[int, str] = field(default_factory=dict)  # person id -> reason
    decisions: str = ""
    grades: dict[int, str] = field(default_factory=dict)  # 民主评议: person id -> grade
    group_id: int | None = None
    matter_id: int | None = None  # a 主题党日 that carried a village matter's 民主议事
    attachments: list = field(default_factory=list)  # uploaded files: photos, sign-in sheet


def _require(ok: bool, code: str, message: str, **values) -> None:
    if not ok:
        raise ProcedureError(code, _(message) % values if values else _(message))


def _check_branch(actor, branch: Organisation) -> None:
    _require(branch.kind == Organisation.Kind.VILLAGE_BRANCH, "not_a_branch", MSG_NOT_BRANCH)
    if not policy.may_record(actor, branch):
        raise NotAllowed("life_forbidden", _(MSG_RECORD_FORBIDDEN))


def _group(branch: Organisation, group_id: int | None) -> Organisation | None:
    if group_id is None:
        return None
    return Organisation.objects.filter(
        pk=group_id, kind=Organisation.Kind.PARTY_GROUP, path__startswith=branch.path
    ).first()


def _names(ids) -> str:
    return "、".join(
        Person.objects.filter(pk__in=ids).order_by("pk").values_list("name", flat=True)
    )


def _check_people(
    branch: Organisation, allowed: set[int] | None, ids: set[int], kind: str, on: date
):
    """Refuse those who were not to attend: named when they are of the branch (on the
    meeting's day, or now), only counted by id when they are not (a refusal never tells who
    is who elsewhere)."""
    unexpected = ids - allowed if allowed is not None else ids
    if not unexpected:
        return  # everyone was to attend: nothing to look up
    local = belonging_on(unexpected, branch, on) | set(
        Person.objects.filter(pk__in=unexpected)
        .filter(
            Q(organisation__path__startswith=branch.path) | Q(household__village=branch.village)
        )
        .values_list("pk", flat=True)
    )
    if local != unexpected:
        strangers = "、".join(str(pk) for pk in sorted(unexpected - local))
        raise ProcedureError("not_of_branch", _(MSG_NOT_OF_BRANCH) % {"ids": strangers})
    if allowed is not None:
        raise ProcedureError(
            "not_expected",
            _(MSG_NOT_EXPECTED) % {"names": _names(unexpected), "kind": Kind(kind).label},
        )


def _check_attachments(minutes: Minutes) -> list[tuple]:
    """Each file by its bytes (not the name the browser gives): (file, type, digest)."""
    checked = []
    for upload in minutes.attachments:
        kind = files.sniff(upload)
        name = str(getattr(upload, "name", ""))[:200]
        if upload.size > MAX_ATTACHMENT_MB * 1024 * 1024 or kind not in _ATTACHMENT_TYPES:
            raise ProcedureError(
                "attachment_type",
                _(MSG_ATTACHMENT) % {"name": name[:40], "mb": MAX_ATTACHMENT_MB},
            )
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = upload.name = files.named_for(name, kind)  # stored as what its bytes are
        checked.append((upload, name, kind, digest.hexdigest()))
    return checked


def _check_minutes(branch: Organisation, kind: str, minutes: Minutes):
    """The record's own checks: substance, who was there, the quorum. Returns who should
    have attended (None for a talk) and the group."""
    _require(minutes.held_on <= timezone.localdate(), "date_in_future", MSG_FUTURE)
    _require(bool((minutes.topic or "").strip()), "topic_required", MSG_TOPIC)
    _require(bool((minutes.summary or "").strip()), "summary_required", MSG_SUMMARY)
    present = set(minutes.present_ids)
    _require(bool(present), "attendees_required", MSG_NO_ATTENDEES)
    group = _group(branch, minutes.group_id)
    if kind == Kind.GROUP_MEETING:
        _require(group is not None, "group_required", MSG_GROUP)
    expected = attendance.expected(branch, kind, minutes.held_on, group)
    allowed = {person.pk for person in expected} if expected is not None else None
    on_leave = set(minutes.leave)
    _check_people(branch, allowed, present | on_leave, kind, minutes.held_on)
    both = present & on_leave
    _require(not both, "present_and_on_leave", MSG_BOTH, names=_names(both))
    if KINDS[kind].attendees == Attendees.PAIR:
        _require(len(present) == 2 and minutes.chair_id in present, "talk_pair", MSG_PAIR)
    else:
        _require(bool((minutes.place or "").strip()), "place_required", MSG_PLACE)
    _require(minutes.chair_id is None or minutes.chair_id in present, "chair", MSG_CHAIR)
    _require(
        minutes.recorder_id is None or minutes.recorder_id in present, "recorder", MSG_RECORDER
    )
    rulebook = get_rulebook(BRANCH_2018)
    # A 主题党日 that carries a village matter's 民主议事 counts as the period's 党员大会 too
    # (seed 002: fewer meetings): it must then be one, by its quorum and its chair.
    if kind == Kind.GENERAL_MEETING or (kind == Kind.THEME_DAY and minutes.matter_id):
        chairs = attendance.committee(branch, minutes.held_on)
        rulebook.require(
            rulebook.check("general_meeting_chair", allowed=minutes.chair_id in chairs)
        )
        voters = attendance.voters(branch, minutes.held_on, present)
        rulebook.require(
            rulebook.check(
                "general_meeting_quorum", eligible=len(voters), present=len(present & voters)
            )
        )
    elif kind == Kind.COMMITTEE_MEETING:
        rulebook.require(
            rulebook.check(
                "committee_meeting_quorum", members=len(allowed or ()), present=len(present)
            )
        )
    if kind == Kind.GROUP_MEETING:
        leaders = attendance.group_leaders(group, minutes.held_on)
        rulebook.require(rulebook.check("group_meeting_chair", allowed=minutes.chair_id in leaders))
    if kind == Kind.APPRAISAL:
        _require(
            all(grade in Grade.values for grade in minutes.grades.values()),
            "grade",
            MSG_GRADE_VALUE,
        )
        ungraded = present - set(minutes.grades)
        _require(not ungraded, "grades_required", MSG_GRADES, names=_names(ungraded))
        _check_people(branch, allowed, set(minutes.grades), kind, minutes.held_on)
    return expected, group


def _write(meeting: BranchMeeting, minutes: Minutes, expected, group, actor) -> dict:
    """The record's rows: the meeting's fields and one attendance row per person who should
    have attended (present, on leave with the reason, or absent)."""
    present, leave = set(minutes.present_ids), minutes.leave
    people = [p.pk for p in expected] if expected is not None else sorted(present)
    # Those not counted in 应到 that day (abroad, missing, too ill) are no absentees: they
    # are left out unless they came or asked for leave.
    excused = not_counted_on(people, minutes.held_on) - present - set(leave)
    people = [pk for pk in people if pk not in excused]
    meeting.held_on = minutes.held_on
    meeting.topic = minutes.topic.strip()[:200]
    meeting.summary = minutes.summary.strip()
    meeting.decisions = (minutes.decisions or "").strip()
    meeting.place = (minutes.place or "").strip()[:100]
    meeting.chair_id, meeting.recorder_id = minutes.chair_id, minutes.recorder_id
    meeting.group = group
    business = agenda.business("matter") if minutes.matter_id else None
    meeting.carried_type = ContentType.objects.get_for_model(business.model) if business else None
    meeting.carried_id = minutes.matter_id if business else None
    meeting.should_attend, meeting.attended = len(people), len(present)
    meeting.recorded_by = actor if getattr(actor, "pk", None) else None
    rows = []
    for person_id in people:
        if person_id in present:
            presence, reason = Presence.PRESENT, ""
        elif person_id in leave:
            presence, reason = Presence.LEAVE, (leave[person_id] or "").strip()[:200]
        else:
            presence, reason = Presence.ABSENT, ""
        grade = minutes.grades.get(person_id, "")
        rows.append((person_id, presence, reason, grade))
    return {
        "held_on": minutes.held_on,
        "topic": meeting.topic,
        "summary": meeting.summary,
        "decisions": meeting.decisions,
        "place": meeting.place,
        "chair": minutes.chair_id,
        "recorder": minutes.recorder_id,
        "should_attend": meeting.should_attend,
        "present": sorted(present),
        "leave": {str(k): v for k, v in sorted(leave.items())},
        "grades": {str(k): v for k, v in sorted(minutes.grades.items())},
        "group": group.pk if group else None,
        "matter": minutes.matter_id,
        "_rows": rows,
    }


def _save_rows(meeting: BranchMeeting, data: dict, attachments: list, actor) -> dict:
    rows = data.pop("_rows")
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, person_id=p, presence=s, reason=r, grade=g)
        for p, s, r, g in rows
    )
    for upload, name, kind, digest in attachments:
        MeetingAttachment.objects.create(
            meeting=meeting,
            name=name,
            file=upload,
            content_type=kind,
            sha256=digest,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
    data["attachments"] = [{"name": name, "sha256": digest} for _u, name, _k, digest in attachments]
    return data


def _check_matter(branch: Organisation, kind: str, minutes: Minutes) -> None:
    """Only a 主题党日 carries business, and only its own village's (`people.agenda`)."""
    if minutes.matter_id is None:
        return
    business = agenda.business("matter")
    ok = (
        kind == Kind.THEME_DAY
        and business is not None
        and business.of_branch(branch, minutes.matter_id)
    )
    _require(ok, "matter_not_of_branch", gettext_noop("只有主题党日可以关联本村的村级事务。"))


@transaction.atomic
def meeting_plan(
    *, actor, branch: Organisation, kind: str, planned_on: date, topic: str, group_id=None
) -> BranchMeeting:
    """预约报备: the branch files a meeting ahead; the township sees it, and a plan not
    recorded by its day becomes overdue."""
    _check_branch(actor, branch)
    _require(kind in Kind.values, "kind_required", MSG_KIND)
    _require(bool((topic or "").strip()), "topic_required", MSG_TOPIC)
    _require(planned_on >= timezone.localdate(), "plan_in_past", MSG_PLAN_PAST)
    group = _group(branch, group_id)
    if kind == Kind.GROUP_MEETING:
        _require(group is not None, "group_required", MSG_GROUP)
    meeting = BranchMeeting.objects.create(
        branch=branch,
        kind=kind,
        topic=topic.strip()[:200],
        planned_on=planned_on,
        group=group,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    pipeline.started(
        MEETINGS,
        meeting,
        "plan",
        actor=actor,
        act_date=timezone.localdate(),
        data={"planned_on": planned_on, "topic": meeting.topic, "group": group_id},
    )
    return meeting


@transaction.atomic
def meeting_hold(*, actor, branch: Organisation, kind: str, minutes: Minutes) -> BranchMeeting:
    """A meeting (or talk) recorded without a plan filed ahead."""
    _check_branch(actor, branch)
    _require(kind in Kind.values, "kind_required", MSG_KIND)
    _check_matter(branch, kind, minutes)
    expected, group = _check_minutes(branch, kind, minutes)
    attachments = _check_attachments(minutes)
    meeting = BranchMeeting(branch=branch, kind=kind, status=Status.HELD)  # created held
    data = _write(meeting, minutes, expected, group, actor)
    meeting.save()
    data = _save_rows(meeting, data, attachments, actor)
    pipeline.started(MEETINGS, meeting, "hold", actor=actor, act_date=minutes.held_on, data=data)
    return meeting


@transaction.atomic
def meeting_record(*, meeting_id: int, actor, minutes: Minutes) -> BranchMeeting:
    """A planned meeting recorded as held."""
    meeting = pipeline.begin(MEETINGS, meeting_id, "record", actor)
    _check_matter(meeting.branch, meeting.kind, minutes)
    if minutes.group_id is None and meeting.group_id is not None:
        minutes.group_id = meeting.group_id
    expected, group = _check_minutes(meeting.branch, meeting.kind, minutes)
    attachments = _check_attachments(minutes)
    data = _write(meeting, minutes, expected, group, actor)
    data = _save_rows(meeting, data, attachments, actor)
    pipeline.finish(MEETINGS, meeting, "record", actor=actor, act_date=minutes.held_on, data=data)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting_id: int, actor, reason: str, on: date | None = None):
    """A plan withdrawn, with its reason (the plan stays in the record)."""
    meeting = pipeline.begin(MEETINGS, meeting_id, "cancel", actor)
    _require(bool((reason or "").strip()), "reason_required", MSG_REASON)
    meeting.cancelled_reason = reason.strip()[:300]
    pipeline.finish(
        MEETINGS,
        meeting,
        "cancel",
        actor=actor,
        act_date=on or timezone.localdate(),
        data={"reason": meeting.cancelled_reason},
    )
    return meeting
