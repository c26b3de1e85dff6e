"""One SQL row store: SQLite and PostgreSQL share columns, statements and migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from resilience.storage import open_store
from resilience.storage._erasure import ErasureRow
from resilience.storage._postgres import PostgresStore
from resilience.storage._records import Row
from resilience.storage._sql import SCHEMA, SQLRowStore, migration_statements
from resilience.storage._sqlite import SQLiteStore


def test_both_sql_backends_are_the_one_row_store_with_its_schema_version() -> None:
    for backend in (SQLiteStore, PostgresStore):
        assert issubclass(backend, SQLRowStore)
        for name in ("_insert", "_select", "_erase", "_migrate", "_receipts", "_metadata"):
            assert name not in vars(backend) or name == "_migrate", (backend, name)
    for module in ("_sqlite", "_postgres"):
        assert __import__(f"resilience.storage.{module}", fromlist=["SCHEMA"]).SCHEMA == SCHEMA


def test_the_dialects_differ_only_in_names_and_types() -> None:
    for step in range(1, SCHEMA + 1):
        lite = migration_statements(SQLiteStore.dialect, step)
        postgres = migration_statements(PostgresStore.dialect, step)
        assert len(lite) == len(postgres)
        for a, b in zip(lite, postgres, strict=True):
            normal = b.replace("resilience_records", "records").replace(
                "resilience_erasures", "erasures"
            )
            for wide, narrow in (("BIGSERIAL", "INTEGER"), ("BIGINT", "INTEGER")):
                normal = normal.replace(wide, narrow)
            assert normal.replace(" IF NOT EXISTS lookup", " lookup") == a


@pytest.mark.postgres
def test_the_tables_have_the_same_columns_on_both_backends(tmp_path: Path, pg_url: str) -> None:
    path = tmp_path / "columns.db"
    open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as raw:
        lite = {
            table: [row[1] for row in raw.execute(f"PRAGMA table_info({table})")]
            for table in ("records", "erasures")
        }
    raw.close()
    open_store(pg_url).close()
    with psycopg.connect(pg_url) as connection:
        postgres = {
            table: [
                row[0]
                for row in connection.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                    "AND table_schema = current_schema() ORDER BY ordinal_position",
                    (f"resilience_{table}",),
                )
            ]
            for table in ("records", "erasures")
        }
    assert lite == postgres
    assert lite["records"] == ["seq", *Row._fields]
    assert lite["erasures"][1:] == list(ErasureRow._fields)
