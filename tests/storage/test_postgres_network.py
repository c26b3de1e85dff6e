"""PostgreSQL over an unreliable network: connect timeouts and dropped connections.

Run against the real throwaway server; connections are dropped with
``pg_terminate_backend``, as a restart or a failover drops them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import socket
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest

import resilience as rs
from resilience.errors import StorageError
from resilience.storage import open_store
from resilience.storage._postgres import CONNECT_TIMEOUT
from resilience.storage._records import encode, export_line

_names = itertools.count()


def check_in(day: int, step: str = "s1") -> rs.CheckIn:
    return rs.CheckIn(step, dt.date(2026, 1, day), rs.Outcome.DONE)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and then never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def opening_takes(url: str, limit: float) -> tuple[float, BaseException | None]:
    """How long opening ``url`` took (``limit`` if it was still waiting then), and its error."""
    outcome: list[BaseException | None] = []

    def attempt() -> None:
        try:
            open_store(url).close()
        except BaseException as error:  # reported to the test below
            outcome.append(error)
        else:
            outcome.append(None)

    start = time.monotonic()
    worker = threading.Thread(target=attempt, daemon=True)  # a hung attempt must not block
    worker.start()
    worker.join(limit)
    return time.monotonic() - start, outcome[0] if outcome else None


@pytest.mark.slow
def test_a_server_that_never_answers_is_given_up_on_after_the_default_timeout(
    silent_server: int,
) -> None:
    elapsed, error = opening_takes(f"postgresql://app@127.0.0.1:{silent_server}/app", 30)
    assert elapsed < CONNECT_TIMEOUT + 10, "no connect timeout: opening hung"
    assert isinstance(error, StorageError)
    assert "cannot open PostgreSQL store" in str(error)
    assert elapsed >= CONNECT_TIMEOUT - 1


def test_the_url_overrides_the_connect_timeout(silent_server: int) -> None:
    url = f"postgresql://app@127.0.0.1:{silent_server}/app?connect_timeout=2"
    elapsed, error = opening_takes(url, 30)
    assert isinstance(error, StorageError)
    assert elapsed < CONNECT_TIMEOUT - 3


def named(url: str) -> tuple[str, str]:
    """``url`` with an application name of its own, and that name."""
    name = f"resilience-victim-{next(_names)}-{id(url) % 1000}"
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}application_name={name}", name


def terminate(admin_url: str, name: str, *, state: str | None = None) -> int:
    """Drop the server connections of application ``name`` (optionally only in ``state``)."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        query = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
        args: list[object] = [name]
        if state is not None:
            query += " AND state = %s"
            args.append(state)
        pids = [row[0] for row in admin.execute(query, args).fetchall()]
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
    return len(pids)


def test_after_a_dropped_connection_the_next_call_connects_again(
    pg_url: str, postgres_url: str
) -> None:
    url, name = named(pg_url)
    with open_store(url) as store:
        store.append(check_in(1), person_id="p")
        assert terminate(postgres_url, name) == 1
        with pytest.raises(StorageError) as caught:  # the call in flight
            store.append(check_in(2), person_id="p")
        assert isinstance(caught.value.__cause__, psycopg.Error)
        assert [r.record.on.day for r in store.history("p")] == [1]  # nothing half-written
        store.append(check_in(2), person_id="p")
        assert terminate(postgres_url, name) == 1  # and again, on the new connection
        with pytest.raises(StorageError):
            store.history("p")
        assert store.forget("p") == 2
        assert [r.total for r in store.erasures("p")] == [2]


def test_a_connection_dropped_during_an_import_stores_nothing_and_the_store_recovers(
    pg_url: str, postgres_url: str
) -> None:
    url, name = named(pg_url)
    lines = [
        export_line(encode(check_in(1 + n % 28, f"step-{n}"), person_id="bulk", stored_us=0))
        for n in range(40_000)
    ]
    outcome: list[BaseException | int] = []
    with open_store(url) as store:
        store.append(check_in(1), person_id="kept")

        def run_import() -> None:
            try:
                outcome.append(store.import_records(lines))
            except BaseException as error:  # checked below
                outcome.append(error)

        importer = threading.Thread(target=run_import)
        importer.start()
        deadline = time.monotonic() + 60
        dropped = 0
        while not dropped and importer.is_alive() and time.monotonic() < deadline:
            dropped = terminate(postgres_url, name, state="active")
            time.sleep(0.01)
        importer.join(60)
        assert dropped == 1, "the import ended before it could be interrupted"
        (result,) = outcome
        assert isinstance(result, StorageError)
        assert store.history("bulk") == []  # rolled back by the server
        assert len(store.history("kept")) == 1
        assert store.import_records(lines) == 40_000
    with psycopg.connect(pg_url) as check:
        (count,) = check.execute(
            "SELECT count(*) FROM resilience_records WHERE person_id = 'bulk'"
        ).fetchone()  # type: ignore[misc]
    assert count == 40_000
