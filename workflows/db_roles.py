"""Whether the application's database role could rewrite the audit trail: a role that owns
the audit table may disable its triggers, so production runs as one that does not (README:
migrations as the owner, the application as a role with the privileges it needs)."""

from __future__ import annotations

import logging

from django.core import checks
from django.db import connection
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)
AUDIT_TABLE = "workflows_auditevent"
_warned = False

MSG_OWNER = (
    "the application's database role owns the audit table {table}: it could disable the "
    "append-only triggers. Run migrations as the owner and the application as another role "
    "(see README, 生产部署)."
)


def app_role_owns_audit_table(using_connection=None) -> bool:
    """True on PostgreSQL when the connected role owns the audit table (a superuser counts:
    it may do anything)."""
    conn = using_connection or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT t.tableowner = current_user OR r.rolsuper"
            " FROM pg_tables t, pg_roles r"
            " WHERE t.tablename = %s AND r.rolname = current_user",
            [AUDIT_TABLE],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _warn_once(sender, connection, **kwargs) -> None:
    """At start-up (the process's first connection), a warning in the log if the role could
    rewrite the trail. A test database is left alone: tests run as its owner."""
    global _warned
    if _warned or connection.vendor != "postgresql":
        return
    _warned = True
    if (connection.settings_dict.get("NAME") or "").startswith("test_"):
        return
    try:
        owns = app_role_owns_audit_table(connection)
    except Exception:
        return
    if owns:
        logger.warning(MSG_OWNER.format(table=AUDIT_TABLE))


connection_created.connect(_warn_once, dispatch_uid="workflows.db_roles.warn_once")


@checks.register(checks.Tags.database)
def check_audit_table_owner(app_configs=None, databases=None, **kwargs):
    """`manage.py check --database default` says the same."""
    if not databases or "default" not in databases:
        return []
    try:
        owns = app_role_owns_audit_table()
    except Exception:
        return []
    if owns:
        return [checks.Warning(MSG_OWNER.format(table=AUDIT_TABLE), id="workflows.W001")]
    return []
