"""The PostgreSQL store beyond the shared contract, on a real throwaway server."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import socket

import psycopg
import pytest

import resilience as rs
from resilience.errors import StorageError
from resilience.storage import open_store
from resilience.storage._postgres import SCHEMA, PostgresStore
from resilience.testing.storage import sample_records

pytestmark = pytest.mark.postgres


def check_in(day: int) -> rs.CheckIn:
    return rs.CheckIn("s1", dt.date(2026, 1, day), rs.Outcome.DONE)


def refuse_rows_of(pg_url: str, person: str) -> None:
    """Make the server refuse every row of ``person`` (a trigger in the test's schema)."""
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute(
            "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
        )
        connection.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON resilience_records FOR EACH ROW "
            f"WHEN (NEW.person_id = '{person}') EXECUTE FUNCTION refuse_row()"
        )


def test_tables_are_created_once_and_records_survive_reopening(pg_url: str) -> None:
    records = sample_records("p-1")
    with open_store(pg_url) as store:
        assert isinstance(store, PostgresStore)
        for record in records[:3]:
            store.append(record)
        store.append(records[3], person_id="p-1")
    with open_store(pg_url.replace("postgresql://", "postgres://", 1)) as store:
        assert {r.record for r in store.history("p-1")} == set(records)
    with psycopg.connect(pg_url) as connection:
        assert connection.execute("SELECT version FROM resilience_schema").fetchall() == [(SCHEMA,)]
        indexes = connection.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'resilience_records'"
        ).fetchall()
    assert any("(person_id, time_us, seq)" in row[0] for row in indexes)


def test_tables_from_a_newer_release_are_refused(pg_url: str) -> None:
    with open_store(pg_url):
        pass
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute("UPDATE resilience_schema SET version = %s", (SCHEMA + 1,))
    with pytest.raises(StorageError, match="newer than the newest"):
        open_store(pg_url)


def _append_many(url: str, worker: int, count: int) -> None:
    with open_store(url) as store:
        for n in range(count):
            store.append(
                rs.CheckIn(f"w{worker}-{n}", dt.date(2026, 1, 1), rs.Outcome.DONE),
                person_id=f"person-{n % 5}",
            )
        # Every worker also appends the same records: stored once in all.
        for n in range(10):
            store.append(check_in(1 + n), person_id="shared")


@pytest.mark.slow
def test_several_processes_appending_at_once_lose_nothing(pg_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(pg_url, w, 100)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with open_store(pg_url) as store:
        assert sum(len(store.history(f"person-{p}")) for p in range(5)) == 400
        assert len(store.history("shared")) == 10


def test_an_import_that_fails_in_the_database_stores_nothing(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.append(check_in(1), person_id="p")
        store.append(check_in(2), person_id="p")
        store.append(check_in(3), person_id="q")
        lines = store.export("p")
        store.forget("p")
        # The server refuses the last row (a trigger), after the first rows were inserted,
        # and those must not stay. (A NUL in the person id used to do this; the store now
        # refuses it before the server sees it.)
        refuse_rows_of(pg_url, "refused")
        bad = json.loads(lines[1])
        bad["person_id"] = "refused"
        del bad["id"]  # an edited line without its id is stored as it is now
        with pytest.raises(StorageError) as caught:
            store.import_records([lines[0], json.dumps(bad)])
        assert isinstance(caught.value.__cause__, psycopg.Error)
        assert store.history("p") == []
        assert len(store.history("q")) == 1  # the connection is usable afterwards
        assert store.import_records(lines) == 2


def test_an_unreachable_server_is_a_storage_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StorageError, match="cannot open PostgreSQL store"):
        open_store(f"postgresql://nobody@127.0.0.1:{port}/none?connect_timeout=2")


def test_a_batch_that_fails_in_the_database_stores_nothing(pg_url: str) -> None:
    with open_store(pg_url) as store:
        # The server refuses the third entry (a trigger) after two rows of the batch were
        # inserted, and they must go too.
        refuse_rows_of(pg_url, "refused")
        batch = [(check_in(1), "p"), (check_in(2), "p"), (check_in(3), "refused")]
        with pytest.raises(StorageError) as caught:
            store.append_many(batch)
        assert isinstance(caught.value.__cause__, psycopg.Error)
        assert store.history("p") == []
        assert len(store.append_many(batch[:2])) == 2  # the connection is usable afterwards
        assert len(store.history("p")) == 2
