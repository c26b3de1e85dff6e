"""The SQLite store beyond the shared contract: files, privacy, crashes, processes."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import resilience as rs
from resilience.errors import StorageError
from resilience.storage import open_store
from resilience.storage._sqlite import SCHEMA, SQLiteStore, parse_sqlite_url
from resilience.testing.storage import sample_records

UTC = dt.timezone.utc


def check_in(day: int, note: str | None = None) -> rs.CheckIn:
    return rs.CheckIn("s1", dt.date(2026, 1, day), rs.Outcome.DONE, note=note)


def count_rows(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM records").fetchone()[0])


# -- URLs and files ----------------------------------------------------------------------


def test_relative_and_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///data/relative.db") as store:
        store.append(check_in(1), person_id="p")
    assert (tmp_path / "data" / "relative.db").is_file()
    absolute = tmp_path / "absolute.db"
    assert str(absolute).startswith("/")
    with open_store(f"sqlite:///{absolute}") as store:  # sqlite:////tmp/...
        store.append(check_in(1), person_id="p")
    assert count_rows(absolute) == 1
    with open_store(absolute) as store:  # a plain path is a SQLite file too
        assert len(store.history("p")) == 1


def test_records_survive_reopening(sqlite_url: Callable[[str], str]) -> None:
    url = sqlite_url("reopen.db")
    records = sample_records("p-1")
    with open_store(url) as store:
        for record in records[:3]:
            store.append(record)
        store.append(records[3], person_id="p-1")
    with open_store(url) as store:
        assert {r.record for r in store.history("p-1")} == set(records)


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
def test_in_memory_urls_share_nothing(url: str) -> None:
    with open_store(url) as first, open_store(url) as second:
        first.append(check_in(1), person_id="p")
        assert second.history("p") == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite://host/file.db", "names no host"),
        ("sqlite:///x.db?cache=shared", "unknown SQLite URL option"),
        ("sqlite:///x.db?synchronous=sometimes", "synchronous must be"),
        ("sqlite:///x.db?timeout=soon", "timeout must be"),
        ("sqlite:///x.db?mode=rwx", "mode must be"),
    ],
)
def test_bad_urls_are_storage_errors(
    url: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StorageError, match=message):
        open_store(url)
    assert not (tmp_path / "x.db").exists()


def test_url_parsing_decodes_percent_escapes() -> None:
    assert parse_sqlite_url("sqlite:////tmp/Application%20Support/r.db?timeout=2") == (
        "/tmp/Application Support/r.db",
        {"timeout": "2"},
    )


def test_unknown_scheme_lists_the_known_ones() -> None:
    with pytest.raises(rs.ResilienceError) as caught:
        open_store("mongodb://db/app")
    assert isinstance(caught.value, ValueError)
    assert "memory, postgres, postgresql, sqlite" in str(caught.value)


# -- privacy -----------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_files_are_private_to_their_owner(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # a typical, permissive umask
    try:
        path = tmp_path / "new" / "nested" / "private.db"
        with open_store(f"sqlite:///{path}") as store:
            store.append(check_in(1), person_id="p")
            companions = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]
            assert all(p.exists() for p in companions)
            for file in companions:
                assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        for directory in (path.parent, path.parent.parent):
            assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    finally:
        os.umask(old_umask)


def test_wal_schema_table_and_person_time_index(sqlite_url: Callable[[str], str]) -> None:
    url = sqlite_url("layout.db")
    with open_store(url) as store:
        store.append(check_in(1), person_id="p")
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [(SCHEMA,)]
            plan = raw.execute(
                "EXPLAIN QUERY PLAN SELECT * FROM records WHERE person_id = ? "
                "ORDER BY time_us DESC, seq DESC",
                ("p",),
            ).fetchall()
        assert "records_person_time" in " ".join(str(step) for step in plan)
        assert "TEMP B-TREE" not in " ".join(str(step) for step in plan)


def test_forgotten_answers_leave_no_bytes_behind(tmp_path: Path) -> None:
    path = tmp_path / "forget.db"
    secret = "Zanzibar-quokka-7731"  # appears nowhere but in this person's records
    person = f"person-{secret}"
    assessment, profile, plan, _ = sample_records(person)
    network = rs.SupportNetwork(
        (rs.Connection(f"cousin {secret}", rs.Relation.FAMILY, trust=4, safety=4),)
    )

    def raw_bytes() -> bytes:
        return b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal", "-journal")
            if Path(f"{path}{suffix}").exists()
        )

    with open_store(f"sqlite:///{path}") as store:
        for day in range(1, 4):
            store.append(check_in(day, note=f"talked to {secret} " * 200), person_id=person)
        store.append(assessment)
        store.append(profile)
        store.append(plan)
        store.append(
            rs.Assessment(person, dt.datetime(2026, 1, 9, tzinfo=UTC), {}, network=network)
        )
        store.append(check_in(1, note="someone else's note"), person_id="other")
        store.append(check_in(2), person_id="other")
        assert secret.encode() in raw_bytes()  # the check below can fail
        assert store.forget(person) == 7
        assert secret.encode() not in raw_bytes()
        assert store.history(person) == []
        assert len(store.history("other")) == 2
    assert secret.encode() not in raw_bytes()
    assert b"someone else's note" in raw_bytes()


def test_forget_gives_up_on_the_log_quickly_while_another_connection_reads(
    tmp_path: Path,
) -> None:
    """A reader holding the log delays the log's truncation, not the erasure or other writers."""
    path = tmp_path / "reader.db"
    secret = "Okapi-Reykjavik-3318"
    errors: list[BaseException] = []

    def write_meanwhile() -> None:
        time.sleep(0.3)  # while forget tries to truncate the log
        try:
            with open_store(f"sqlite:///{path}?timeout=1") as other:
                other.append(check_in(9), person_id="other")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    with open_store(f"sqlite:///{path}?timeout=3") as store:
        for day in (1, 2, 3):
            store.append(check_in(day, note=f"{secret} " * 100), person_id="p")
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM records").fetchone()  # holds its snapshot
        writer = threading.Thread(target=write_meanwhile)
        writer.start()
        start = time.monotonic()
        try:
            assert store.forget("p") == 3
        finally:
            elapsed = time.monotonic() - start
            writer.join()
            reader.execute("COMMIT")
            reader.close()
        assert elapsed < 2.5  # a few short tries, not five busy timeouts
        assert errors == []
        assert len(store.history("other")) == 1
        assert store.history("p") == []
        # Once the reader is gone, the next erasure that removes records empties the log.
        store.append(check_in(4), person_id="q")
        assert store.forget("q") == 1
        data = b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal")
            if Path(f"{path}{suffix}").exists()
        )
        assert secret.encode() not in data


# -- schema versions ---------------------------------------------------------------------


def test_a_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    with open_store(f"sqlite:///{path}"):
        pass
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE resilience_schema SET version = ?", (SCHEMA + 1,))
    raw.close()
    with pytest.raises(StorageError, match="newer than the newest this library reads"):
        open_store(f"sqlite:///{path}")


def test_forward_migration_from_an_unversioned_file(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as raw:  # an empty file that only has the version table
        raw.execute("CREATE TABLE resilience_schema (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO resilience_schema VALUES (0)")
    raw.close()
    with open_store(f"sqlite:///{path}") as store:
        store.append(check_in(1), person_id="p")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [(SCHEMA,)]
    raw.close()


# -- failures ----------------------------------------------------------------------------


def test_a_read_only_store_refuses_writes_with_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append(check_in(1), person_id="p")
    with open_store(f"sqlite:///{path}?mode=ro") as store:
        assert len(store.history("p")) == 1
        with pytest.raises(StorageError, match="readonly") as caught:
            store.append(check_in(2), person_id="p")
        assert isinstance(caught.value.__cause__, sqlite3.Error)
        with pytest.raises(StorageError):
            store.forget("p")
    with open_store(f"sqlite:///{path}") as store:
        assert len(store.history("p")) == 1


def test_a_batch_that_fails_in_the_database_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "refuses.db"
    with open_store(f"sqlite:///{path}") as store:
        store.append(check_in(1), person_id="q")
    # The database itself refuses the third row of the batch, after two were inserted.
    raw = sqlite3.connect(path)
    raw.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON records WHEN NEW.person_id = 'refused' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
    )
    raw.commit()
    raw.close()
    batch = [(check_in(2), "p"), (check_in(3), "p"), (check_in(4), "refused")]
    with open_store(f"sqlite:///{path}") as store:
        with pytest.raises(StorageError, match="refused by the database") as caught:
            store.append_many(batch)
        assert isinstance(caught.value.__cause__, sqlite3.Error)
        assert store.history("p") == []
        assert len(store.history("q")) == 1
        assert len(store.append_many(batch[:2])) == 2  # the store is usable afterwards
        assert len(store.history("p")) == 2


@pytest.mark.parametrize("content", [b"this is not a database" * 100, None])
def test_a_broken_file_is_a_storage_error(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "broken.db"
    if content is None:
        path.mkdir()  # a directory where the file should be
    else:
        path.write_bytes(content)
    with pytest.raises(StorageError) as caught:
        open_store(f"sqlite:///{path}")
    assert not isinstance(caught.value, sqlite3.Error)


def test_missing_file_in_read_only_or_rw_mode(tmp_path: Path) -> None:
    for mode in ("ro", "rw"):
        with pytest.raises(StorageError):
            open_store(f"sqlite:///{tmp_path / 'absent.db'}?mode={mode}")
    assert not (tmp_path / "absent.db").exists()


def test_a_lost_connection_is_a_storage_error(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "lost.db")
    store._connection.close()  # the connection dies under the store
    with pytest.raises(StorageError, match="closed"):
        store.append(check_in(1), person_id="p")
    with pytest.raises(StorageError):
        store.history("p")
    store.close()


# -- several processes -------------------------------------------------------------------


def _append_many(url: str, worker: int, count: int) -> None:
    with open_store(url) as store:
        for n in range(count):
            store.append(
                rs.CheckIn(f"w{worker}-{n}", dt.date(2026, 1, 1), rs.Outcome.DONE),
                person_id=f"person-{n % 7}",
            )


@pytest.mark.slow
def test_four_processes_appending_to_one_file_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append_many, args=(url, w, 250)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    assert count_rows(tmp_path / "shared.db") == 1000
    with open_store(url) as store:
        assert sum(len(store.history(f"person-{p}")) for p in range(7)) == 1000


_IMPORTER = textwrap.dedent(
    """
    import sys
    from resilience.storage import open_store

    url, batch = sys.argv[1], sys.argv[2]
    with open(batch, encoding="utf-8") as lines, open_store(url) as store:
        print("importing", flush=True)
        store.import_records(lines)
    print("done", flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_process_killed_during_an_import_leaves_whole_batches(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    # A committed batch first: it must survive the crash untouched.
    assessment = sample_records("kept")[0]
    with open_store(url) as store:
        store.append(assessment)
        kept = store.export("kept")
    # A big batch for another person, so that the transaction spills into the log.
    template = json.loads(kept[0])
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as out:
        for n in range(20_000):
            line = dict(template, person_id="crash", id=None, stored_at=None)
            del line["id"], line["stored_at"]
            record = dict(template["record"], person_id="crash")
            record["taken_at"] = (
                dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=n)
            ).isoformat()
            line["record"] = record
            out.write(json.dumps(line) + "\n")
    wal = Path(f"{path}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    child = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, url, str(batch)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "importing"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the insert is writing pages
        if wal.exists() and wal.stat().st_size > wal_before + 256 * 1024:
            break
        time.sleep(0.001)
    else:
        child.kill()
        pytest.fail("the import never started writing")
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "done" not in output
    with open_store(url) as store:
        assert len(store.history("crash")) in (0, 20_000)
        assert len(store.history("crash")) == 0  # killed before the commit
        assert store.export("kept") == kept
        store.append(check_in(1), person_id="after")
        assert [r.kind for r in store.history("after")] == ["check-in"]
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
