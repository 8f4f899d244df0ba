"""A 主题党日's carried business becomes a generic relation (`carried`, registered in
`procedures.people.agenda`) instead of a foreign key into the village's table: each record
keeps the matter it carried."""

import django.db.models.deletion
from django.db import migrations, models


def carry(apps, schema_editor):
    BranchMeeting = apps.get_model("branchlife", "BranchMeeting")
    ContentType = apps.get_model("contenttypes", "ContentType")
    carried = BranchMeeting.objects.filter(matter__isnull=False)
    if not carried.exists():
        return
    matter_type, _ = ContentType.objects.get_or_create(app_label="village", model="matter")
    for pk, matter_id in carried.values_list("pk", "matter_id"):
        BranchMeeting.objects.filter(pk=pk).update(carried_type=matter_type, carried_id=matter_id)


def uncarry(apps, schema_editor):
    BranchMeeting = apps.get_model("branchlife", "BranchMeeting")
    rows = BranchMeeting.objects.filter(
        carried_type__app_label="village", carried_type__model="matter"
    )
    for pk, matter_id in rows.values_list("pk", "carried_id"):
        BranchMeeting.objects.filter(pk=pk).update(matter_id=matter_id)


class Migration(migrations.Migration):
    dependencies = [
        ("branchlife", "0006_meetings_held"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="branchmeeting",
            name="carried_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="议事事项"),
        ),
        migrations.AddField(
            model_name="branchmeeting",
            name="carried_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.RunPython(carry, uncarry),
        migrations.RemoveField(model_name="branchmeeting", name="matter"),
    ]
