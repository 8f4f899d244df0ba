"""Member development's 支部大会 become the shared fact `people.MeetingHeld` (what
`services/facts.py` writes from now on): each a 支部党员大会 of its branch."""

from django.db import migrations


def backfill(apps, schema_editor):
    Meeting = apps.get_model("membership", "Meeting")
    Ballot = apps.get_model("membership", "Ballot")
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    ContentType = apps.get_model("contenttypes", "ContentType")
    meetings = Meeting.objects.filter(kind="general")
    if not meetings.exists():
        return
    record_type, _ = ContentType.objects.get_or_create(app_label="membership", model="meeting")
    page_type, _ = ContentType.objects.get_or_create(app_label="membership", model="case")
    ballots: dict[int, list] = {}
    rows = Ballot.objects.filter(meeting__kind="general").order_by("pk")
    for meeting_id, case_id, name in rows.values_list("meeting_id", "case_id", "case__person__name"):
        ballots.setdefault(meeting_id, []).append((case_id, name))
    facts = []
    for meeting in meetings.iterator():
        voted = ballots.get(meeting.pk)
        if not voted:
            continue
        names = "、".join(name for _case, name in voted)
        facts.append(
            MeetingHeld(
                branch_id=meeting.branch_id,
                kind="general_meeting",
                held_on=meeting.held_on,
                topic=f"发展党员：{names}"[:200],
                should_attend=meeting.should_attend.count(),
                attended=meeting.attended.count(),
                source="发展党员的支部大会",
                record_type=record_type,
                record_id=meeting.pk,
                page_type=page_type,
                page_id=voted[0][0],
            )
        )
    MeetingHeld.objects.bulk_create(facts, batch_size=2000)


def forget(apps, schema_editor):
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    MeetingHeld.objects.filter(record_type__app_label="membership").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0007_material_review"),
        ("people", "0008_meetings_held"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
