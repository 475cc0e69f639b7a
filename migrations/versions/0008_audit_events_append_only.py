"""The audit trail is append-only in the database too: triggers refuse UPDATE and DELETE on audit_events

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:55:00.000000

The ORM already refuses (app/audit/models.py); these triggers also refuse raw SQL and other clients. Only
row changes are refused: PostgreSQL's TRUNCATE and SQLite's DROP TABLE fire no row trigger, so a whole
database can still be emptied or downgraded by its owner. On SQLite a batch operation on audit_events
copies the table and drops the original with its triggers: a later migration that alters audit_events in
batch mode must create these triggers again.
"""

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

MESSAGE = 'audit events are append-only'


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END
            $$
        """)
        op.execute("""
            CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
            FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
        """)
    else:
        for change in ('update', 'delete'):
            op.execute(f"""
                CREATE TRIGGER audit_events_no_{change} BEFORE {change.upper()} ON audit_events
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
            """)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_events_append_only ON audit_events')
        op.execute('DROP FUNCTION audit_events_append_only()')
    else:
        for change in ('update', 'delete'):
            op.execute(f'DROP TRIGGER audit_events_no_{change}')
