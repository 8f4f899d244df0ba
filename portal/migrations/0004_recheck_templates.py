"""Templates stored before the sandbox (portal.word) are checked again as an upload now is:
a failing one is disabled with its reason, and the built-in template serves meanwhile."""

from django.db import migrations


def recheck(apps, schema_editor):
    from portal.documents import recheck_templates

    recheck_templates(apps.get_model("portal", "DocumentTemplate"))


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_template_problem")]

    operations = [migrations.RunPython(recheck, migrations.RunPython.noop)]
