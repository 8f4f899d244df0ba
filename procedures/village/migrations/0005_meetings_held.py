"""The village matters' meetings that count in their branch's ledger become the shared fact
`people.MeetingHeld` (what `services/facts.py` writes from now on): the branch committee's
提议 as a 支委会, the party members' 审议 as a 党员大会, each on its date as corrected."""

from django.db import migrations

from procedures.village.steps import Step

SERVED = {"members": "general_meeting", "branch_committee": "committee_meeting"}


def _label(row, kinds) -> str:
    step = str(Step(row.step).label) if row.step in Step.values else row.step
    kind = str(kinds.get(row.kind, row.kind))
    return step if kind in step else f"{step}（{kind}）"


def backfill(apps, schema_editor):
    MatterMeeting = apps.get_model("village", "MatterMeeting")
    MeetingCorrection = apps.get_model("village", "MeetingCorrection")
    Organisation = apps.get_model("people", "Organisation")
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = MatterMeeting.objects.filter(kind__in=list(SERVED)).select_related("matter")
    if not rows.exists():
        return
    record_type, _ = ContentType.objects.get_or_create(app_label="village", model="mattermeeting")
    page_type, _ = ContentType.objects.get_or_create(app_label="village", model="matter")
    corrected = dict(MeetingCorrection.objects.order_by("pk").values_list("meeting_id", "held_on"))
    branches = dict(
        Organisation.objects.filter(kind="village_branch").values_list("village_id", "pk")
    )
    kinds = dict(MatterMeeting._meta.get_field("kind").choices)
    facts = []
    for row in rows.iterator():
        branch_id = branches.get(row.matter.village_id)
        if branch_id is None:
            continue
        title = row.matter.title
        facts.append(
            MeetingHeld(
                branch_id=branch_id,
                kind=SERVED[row.kind],
                held_on=corrected.get(row.pk, row.held_on),
                topic=title[:200],
                should_attend=row.should_attend,
                attended=row.attended,
                source=f"村级事务“{title}”的{_label(row, kinds)}"[:300],
                record_type=record_type,
                record_id=row.pk,
                page_type=page_type,
                page_id=row.matter_id,
            )
        )
    MeetingHeld.objects.bulk_create(facts, batch_size=2000)


def forget(apps, schema_editor):
    MeetingHeld = apps.get_model("people", "MeetingHeld")
    MeetingHeld.objects.filter(record_type__app_label="village").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("village", "0004_meeting_corrections"),
        ("people", "0008_meetings_held"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
