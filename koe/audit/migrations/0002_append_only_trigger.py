"""Makes the audit table append-only inside PostgreSQL itself.

Django already refuses ``save()`` on an existing entry, ``delete()`` and bulk ``update()`` /
``delete()``. These triggers also stop raw SQL sent by the application's database role (a bug, a
careless script, an injection) from changing, deleting or truncating entries.

What the triggers cannot do: a database superuser, or the role that owns the table, can still
``ALTER TABLE ... DISABLE TRIGGER`` or ``DROP TRIGGER`` and then rewrite history. That is why
each entry also carries a hash over its content and its predecessor's hash: ``manage.py
verify_audit`` finds any changed, removed or reordered entry, and comparing the chain with a head
hash kept outside the database (``--expect-head``) finds entries cut off the end. For the
strongest setting, run migrations as a table-owner role and give the web application a role that
may only SELECT and INSERT on this table.

SQLite (demo, one machine) has no equivalent worth its cost, so this migration does nothing there.
"""

from django.db import migrations

TABLE = "audit_auditentry"

# Django's test runner empties every table with TRUNCATE between transactional tests, and its
# databases are always named ``test_<name>``. Only there is TRUNCATE let through (unless a test
# sets ``koe.audit_strict`` to check the refusal); UPDATE and DELETE are refused everywhere, test
# databases included.
INSTALL = f"""
CREATE OR REPLACE FUNCTION koe_audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
        AND left(current_database(), 5) = 'test_'
        AND coalesce(current_setting('koe.audit_strict', true), '') <> 'on'
    THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER koe_audit_no_update_delete
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION koe_audit_refuse_change();

CREATE TRIGGER koe_audit_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION koe_audit_refuse_change();
"""

UNINSTALL = f"""
DROP TRIGGER IF EXISTS koe_audit_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS koe_audit_no_update_delete ON {TABLE};
DROP FUNCTION IF EXISTS koe_audit_refuse_change();
"""


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_run_on_postgresql(INSTALL), _run_on_postgresql(UNINSTALL)),
    ]
