"""The branch's own records held become the shared fact `people.MeetingHeld` (what
`facts.py` writes from now on): each as its kind, a 主题党日 that carried a village matter's
民主议事 also as a 党员大会."""

from django.db import migrations


def backfill(apps, schema_editor):
    BranchMeeting = apps.get_model("branchlife", "BranchMeeting")
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meetings = BranchMeeting.objects.filter(status="held").select_related("matter")
    if not meetings.exists():
        return
    record_type, _ = ContentType.objects.get_or_create(
        app_label="branchlife", model="branchmeeting"
    )
    facts = []

    def fact(meeting, kind, source):
        return MeetingHeld(
            branch_id=meeting.branch_id,
            group_id=meeting.group_id if kind == meeting.kind else None,
            kind=kind,
            held_on=meeting.held_on,
            topic=meeting.topic[:200],
            should_attend=meeting.should_attend,
            attended=meeting.attended,
            source=source[:300],
            record_type=record_type,
            record_id=meeting.pk,
            page_type=record_type,
            page_id=meeting.pk,
        )

    for meeting in meetings.iterator():
        carried = meeting.matter.title if meeting.matter_id else ""
        own = f"组织生活记录（含村级事务“{carried}”的民主议事）" if carried else "组织生活记录"
        facts.append(fact(meeting, meeting.kind, own))
        if meeting.kind == "theme_day" and carried:
            general = f"主题党日（村级事务“{carried}”的民主议事），计入党员大会"
            facts.append(fact(meeting, "general_meeting", general))
    MeetingHeld.objects.bulk_create(facts, batch_size=2000)


def forget(apps, schema_editor):
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    MeetingHeld.objects.filter(record_type__app_label="branchlife").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("branchlife", "0005_meeting_corrections"),
        ("people", "0008_meetings_held"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
