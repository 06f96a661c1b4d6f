"""Append-only tables the database itself protects: PostgreSQL triggers, created by migrations.

The models keep their Python guards (``save``/``delete``/queryset ``update`` refuse), which is all SQLite
gets. On PostgreSQL a ``BEFORE UPDATE OR DELETE`` trigger refuses the change for every client — raw SQL,
``QuerySet.update``, ``bulk_create(update_conflicts=True)`` (its ``ON CONFLICT DO UPDATE`` fires the update
trigger) — with SQLSTATE 23001 ``restrict_violation`` (Django raises ``IntegrityError``) and a message
starting with "append-only". ``TRUNCATE`` fires no row trigger, so pytest-django's flush between
transactional tests still works.

A migration adds a guard with one line, e.g.::

    operations = [*append_only("programmes_programmelog")]

Each guard has its own function and trigger (named after the table and ``name``), so dropping one in a
reverse migration never touches another app's guard.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations

MAX_IDENTIFIER = 63  # PostgreSQL truncates longer names silently; refuse instead.


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` applied only on PostgreSQL; on other databases the migration is recorded and does nothing."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return "PostgreSQL-only SQL: " + super().describe()


def _identifier(*parts: str) -> str:
    name = "_".join(parts)
    if len(name) > MAX_IDENTIFIER or not name.replace("_", "").isalnum():
        raise ValueError(f"not a usable PostgreSQL identifier: {name!r}")
    return name


def guard(table: str, *, name: str, refuse_when: str, events: Sequence[str] = ("UPDATE", "DELETE"),
          message: str = "") -> list[migrations.RunSQL]:
    """A row trigger on ``table`` that raises when the PL/pgSQL expression ``refuse_when`` is true.

    ``refuse_when`` may read ``OLD``, ``NEW`` (NULL where the event has none) and ``TG_OP``. ``events``
    are the trigger events (``INSERT``, ``UPDATE``, ``DELETE``).
    """
    function = _identifier(table, name)
    trigger = _identifier(table, name, "trg")
    if not set(events) <= {"INSERT", "UPDATE", "DELETE"} or not events:
        raise ValueError(f"unknown trigger events {events!r}")
    text = (message or f"append-only: {table} refuses this change").replace("'", "''")
    forward = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {refuse_when} THEN
        RAISE EXCEPTION '{text} (% on row %)', TG_OP, COALESCE(OLD.id, NEW.id)
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER {trigger} BEFORE {" OR ".join(events)} ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    reverse = f"DROP TRIGGER IF EXISTS {trigger} ON {table}; DROP FUNCTION IF EXISTS {function}();"
    return [RunSQLOnPostgreSQL(sql=forward, reverse_sql=reverse)]


def append_only(table: str) -> list[migrations.RunSQL]:
    """Every row of ``table`` is written once: UPDATE and DELETE are refused."""
    return guard(table, name="append_only", refuse_when="TRUE",
                 message=f"append-only: rows of {table} are never changed or deleted")


def append_only_when(table: str, *, name: str, refuse_when: str, message: str = "",
                     events: Sequence[str] = ("UPDATE", "DELETE")) -> list[migrations.RunSQL]:
    """Rows of ``table`` become append-only once ``refuse_when`` holds (e.g. their batch is executed)."""
    return guard(table, name=name, refuse_when=refuse_when, events=events,
                 message=message or f"append-only: this row of {table} is fixed")


def frozen_columns_when(table: str, *, name: str, columns: Sequence[str], when: str,
                        message: str = "") -> list[migrations.RunSQL]:
    """Once ``when`` holds for the old row, its ``columns`` never change again and the row is never deleted.

    Other columns stay writable (a no-op save that writes the same values passes).
    """
    if not columns:
        raise ValueError("name at least one column")
    old = ", ".join(f"OLD.{column}" for column in columns)
    new = ", ".join(f"NEW.{column}" for column in columns)
    # ROW(...) keeps the comparison a row comparison with a single column as well.
    refuse = f"({when}) AND (TG_OP = 'DELETE' OR ROW({old}) IS DISTINCT FROM ROW({new}))"
    return guard(table, name=name, refuse_when=refuse,
                 message=message or f"append-only: {', '.join(columns)} of this {table} row are fixed")
