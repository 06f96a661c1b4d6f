"""The append-only helper for migrations: what it creates on PostgreSQL, what its reverse drops, nothing on SQLite."""

import pytest
from django.db import IntegrityError, connection, transaction

from integration_core.db_guards import RunSQLOnPostgreSQL, append_only, append_only_when, frozen_columns_when

pytestmark = pytest.mark.django_db


def _apply(operations, *, backwards=False):
    with connection.schema_editor(atomic=False) as editor:
        for operation in operations:
            method = operation.database_backwards if backwards else operation.database_forwards
            method("integration_core", editor, None, None)


def _execute(sql, *params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def scratch(require_postgres):
    """A table of its own inside the test's transaction (rolled back with it)."""
    _execute("CREATE TABLE guard_scratch (id serial PRIMARY KEY, state text NOT NULL, note text NOT NULL)")
    _execute("INSERT INTO guard_scratch (state, note) VALUES ('open', 'a'), ('done', 'b')")
    return "guard_scratch"


def _refused(sql, *params) -> bool:
    try:
        _execute(sql, *params)
    except IntegrityError as exc:
        return "append-only" in str(exc)
    return False


def test_append_only_refuses_update_and_delete_and_its_reverse_drops_the_trigger(scratch):
    operations = append_only(scratch)
    _apply(operations)
    assert _refused("UPDATE guard_scratch SET note = 'x'")
    assert _refused("DELETE FROM guard_scratch WHERE id = 1")
    _execute("INSERT INTO guard_scratch (state, note) VALUES ('open', 'c')")  # appending stays allowed
    _apply(operations, backwards=True)
    assert not _refused("UPDATE guard_scratch SET note = 'x'")
    assert not _refused("DELETE FROM guard_scratch")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'guard_scratch_append_only'")
        assert cursor.fetchone() == (0,)


def test_conditional_guard_refuses_only_rows_that_meet_the_condition(scratch):
    _apply(append_only_when(scratch, name="done", refuse_when="OLD.state = 'done'"))
    assert _refused("UPDATE guard_scratch SET note = 'x' WHERE state = 'done'")
    assert not _refused("UPDATE guard_scratch SET note = 'x' WHERE state = 'open'")
    assert not _refused("DELETE FROM guard_scratch WHERE state = 'open'")
    assert _refused("DELETE FROM guard_scratch WHERE state = 'done'")


def test_frozen_columns_stay_while_others_may_change(scratch):
    _apply(frozen_columns_when(scratch, name="frozen", columns=["state"], when="OLD.state = 'done'"))
    assert not _refused("UPDATE guard_scratch SET note = 'x' WHERE state = 'done'")
    assert not _refused("UPDATE guard_scratch SET state = 'done' WHERE state = 'done'")  # same value: no change
    assert _refused("UPDATE guard_scratch SET state = 'open' WHERE state = 'done'")
    assert not _refused("UPDATE guard_scratch SET state = 'done' WHERE state = 'open'")  # becomes fixed now
    assert _refused("UPDATE guard_scratch SET state = 'open'")


def test_guards_do_nothing_on_other_databases(monkeypatch):
    """On SQLite the migration is recorded and runs no SQL (the SQL would not even parse there)."""
    operation = RunSQLOnPostgreSQL(sql="THIS IS NOT SQL", reverse_sql="NEITHER IS THIS")

    class Editor:
        class connection:
            vendor = "sqlite"

        def execute(self, *args, **kwargs):
            raise AssertionError("no SQL on SQLite")

    operation.database_forwards("x", Editor(), None, None)
    operation.database_backwards("x", Editor(), None, None)
    assert "PostgreSQL" in operation.describe()


def test_names_postgresql_would_truncate_are_refused():
    with pytest.raises(ValueError, match="identifier"):
        append_only("t" * 60)
    with pytest.raises(ValueError, match="identifier"):
        append_only("bad; DROP TABLE x")
