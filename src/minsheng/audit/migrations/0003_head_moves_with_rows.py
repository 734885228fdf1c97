"""The chain head moves in the statement that inserts audit rows (a trigger), not in a statement of its
own: one round trip less for every audited write, and no row can be inserted without the head following
it. The head only moves forward (`last_id < new id`), so rows inserted out of order cannot pull it back."""

from django.db import migrations

from minsheng.audit.migration_sql import run_sql_for_vendor

SQLITE = [
    """CREATE TRIGGER audit_auditevent_moves_head AFTER INSERT ON audit_auditevent
    BEGIN
        UPDATE audit_auditchainhead SET last_id = NEW.id, last_hash = NEW.hash
        WHERE id = 1 AND last_id < NEW.id;
    END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_auditevent_moves_head"]
# Once per statement, from its inserted rows (a transition table): a save-and-submit writes two rows in
# one INSERT and moves the head once.
POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_move_head() RETURNS trigger AS $$
    BEGIN
        UPDATE audit_auditchainhead AS head SET last_id = newest.id, last_hash = newest.hash
        FROM (SELECT id, hash FROM inserted ORDER BY id DESC LIMIT 1) AS newest
        WHERE head.id = 1 AND head.last_id < newest.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_moves_head AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_move_head()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_moves_head ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_move_head()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain")]

    operations = [
        run_sql_for_vendor(
            {"sqlite": SQLITE, "postgresql": POSTGRESQL},
            {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP},
        )
    ]
