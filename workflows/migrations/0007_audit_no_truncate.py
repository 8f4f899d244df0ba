"""On PostgreSQL the audit table refuses TRUNCATE too (statement-level trigger), except in a
test database (Django's test run empties its tables between transactional tests; a test
database is named test_..., which the application's role cannot rename a production
database to). Production runs as a role that does not own the tables (README): only an owner
can disable a trigger."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION workflows_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_database() LIKE 'test\\_%' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused on workflows_auditevent'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS workflows_auditevent_no_truncate ON workflows_auditevent;
CREATE TRIGGER workflows_auditevent_no_truncate
    BEFORE TRUNCATE ON workflows_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION workflows_audit_no_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS workflows_auditevent_no_truncate ON workflows_auditevent;
DROP FUNCTION IF EXISTS workflows_audit_no_truncate();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_audit_published_head")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
