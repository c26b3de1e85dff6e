"""Erasure receipts beyond the contract: keys, schema upgrades, real database failures."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
import resilience.storage._erasure as erasure_module
from resilience.errors import InvalidRecordError, MissingPersonError, StorageError
from resilience.storage import ENV_ERASURE_KEY, Erasure, Store, open_store
from resilience.storage._erasure import (
    ITERATIONS,
    Sealer,
    erasure_from_row,
    hash_person,
    key_check,
    lookup_tag,
)
from resilience.storage._memory import MemoryStore
from resilience.storage._postgres import SCHEMA as POSTGRES_SCHEMA
from resilience.storage._records import encode, export_line
from resilience.storage._sqlite import SCHEMA as SQLITE_SCHEMA
from resilience.testing.storage import sample_records

UTC = dt.timezone.utc


@pytest.fixture(autouse=True)
def _no_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_ERASURE_KEY, raising=False)


def check_in(day: int) -> rs.CheckIn:
    return rs.CheckIn("s1", dt.date(2026, 1, day), rs.Outcome.DONE)


def fill(store: Store, person: str) -> None:
    assessment, profile, plan, check = sample_records(person)
    for record in (assessment, profile, plan):
        store.append(record)
    store.append(check, person_id=person)


# -- the hash ------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(st.text(min_size=1, max_size=40), st.text(min_size=1, max_size=40))
def test_a_receipt_matches_its_person_and_no_one_else(person: str, other: str) -> None:
    receipt = erasure_from_row(Sealer()(person, {"plan": 1}))
    assert receipt.matches(person)
    assert receipt.matches(other) == (other == person)


def receipt_texts(receipt: Erasure) -> list[str]:
    """The receipt's repr, and every one of its fields as text."""
    fields = [str(getattr(receipt, field.name)) for field in attrs.fields(Erasure)]
    return [repr(receipt), json.dumps(dict(receipt.counts)), *fields]


@settings(max_examples=15, deadline=None)
@given(
    # A NUL is refused in a person id by every store, so the suffix holds none.
    st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=30),
    st.text(min_size=1, max_size=30),
)
def test_a_receipt_holds_neither_the_person_nor_their_answers(suffix: str, answer: str) -> None:
    # Distinctive prefixes: a one-letter id would be found in any hex string by chance.
    person, note = f"Quokka-{suffix}", f"Zanzibar-{answer}"
    with open_store("memory://") as store:
        store.append(
            rs.CheckIn("s1", dt.date(2026, 1, 2), rs.Outcome.DONE, note=note), person_id=person
        )
        assert store.forget(person) == 1
        (receipt,) = store.erasures()
    for text in receipt_texts(receipt):
        assert person not in text
        assert note not in text
        assert "Quokka" not in text
        assert "Zanzibar" not in text
    assert receipt.matches(person)


def test_the_hash_is_salted_slow_and_recorded_with_its_scheme() -> None:
    salt = "ab" * 16
    scheme, digest = hash_person("p-1", salt)
    assert scheme == f"pbkdf2-sha256:{ITERATIONS}"
    assert ITERATIONS >= 10_000
    assert hash_person("p-1", salt) == (scheme, digest)  # deterministic given the salt
    assert hash_person("p-1", "cd" * 16)[1] != digest
    assert hash_person("p-1", salt, iterations=ITERATIONS + 1)[1] != digest
    keyed_scheme, keyed = hash_person("p-1", salt, key=b"host secret")
    assert keyed_scheme.startswith("hmac-sha256+")
    assert keyed != digest


def test_a_receipt_keeps_its_own_rounds_and_refuses_unknown_schemes() -> None:
    # A receipt written under an older policy (fewer rounds) still verifies.
    salt = "00" * 16
    scheme, digest = hash_person("p-1", salt, iterations=7)
    receipt = Erasure("r", dt.datetime(2026, 1, 1, tzinfo=UTC), {}, digest, salt, scheme)
    assert scheme.endswith(":7")
    assert receipt.matches("p-1")
    future = Erasure("r", receipt.erased_at, {}, digest, salt, "argon2id:3")
    with pytest.raises(StorageError, match="unknown erasure hash scheme"):
        future.matches("p-1")


# -- keys ----------------------------------------------------------------------------------


def test_keyed_receipts_need_the_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    with open_store(url, erasure_key="host secret") as store:
        fill(store, "p-1")
        assert store.forget("p-1") == 4
        (receipt,) = store.erasures("p-1")
        assert receipt.keyed
        assert store.erasures("p-2") == []
    assert receipt.matches("p-1", key="host secret")
    assert receipt.matches("p-1", key=b"host secret")
    assert not receipt.matches("p-1", key="another secret")
    with pytest.raises(StorageError, match="erasure key does not match"):
        open_store(url, erasure_key=b"another secret")  # not a silent "nobody matches"
    with open_store(url) as store:
        assert store.erasures() == [receipt]  # listing needs no key
        with pytest.raises(StorageError, match="erasure key"):
            store.erasures("p-1")
    with pytest.raises(StorageError, match="erasure key"):
        receipt.matches("p-1")


def test_the_key_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv(ENV_ERASURE_KEY, "from the environment")
    with open_store(url) as store:
        store.forget("p-1")
        (receipt,) = store.erasures("p-1")
    assert receipt.keyed
    assert receipt.matches("p-1", key="from the environment")
    with open_store("memory://", erasure_key="given") as store:  # an explicit key wins
        store.forget("p-1")
        (receipt,) = store.erasures()
    assert receipt.matches("p-1", key="given")


def test_plugin_backends_get_the_key_only_when_there_is_one() -> None:
    seen: list[dict[str, Any]] = []

    def factory(url: str, **options: Any) -> Store:
        seen.append(options)
        return MemoryStore(**options)

    open_store("mine://x", backends={"mine": factory}).close()
    open_store("mine://x", backends={"mine": factory}, erasure_key="k").close()
    assert seen == [{"converter": None}, {"converter": None, "erasure_key": b"k"}]


def test_forget_needs_a_person_id() -> None:
    with open_store("memory://") as store:
        for bad in ("", None, 42):
            with pytest.raises(InvalidRecordError, match="person_id"):
                store.forget(bad)  # type: ignore[arg-type]
        assert store.erasures() == []


# -- SQLite: upgrading files written before receipts existed ---------------------------------

_VERSION_1 = (
    """CREATE TABLE records (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        person_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        time_us INTEGER NOT NULL,
        stored_us INTEGER NOT NULL,
        schema_version INTEGER NOT NULL,
        body TEXT NOT NULL
    )""",
    "CREATE INDEX records_person_time ON records (person_id, time_us, seq)",
    "CREATE TABLE resilience_schema (version INTEGER NOT NULL)",
    "INSERT INTO resilience_schema (version) VALUES (1)",
)


def test_a_version_1_sqlite_file_is_upgraded_and_keeps_its_records(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    assessment = sample_records("p-1")[0]
    row = encode(assessment)
    with sqlite3.connect(path) as raw:
        for statement in _VERSION_1:
            raw.execute(statement)
        raw.execute(
            "INSERT INTO records (id, person_id, kind, time_us, stored_us, "
            "schema_version, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            row,
        )
    raw.close()
    with pytest.raises(StorageError, match=f"upgraded from 1 to {SQLITE_SCHEMA}"):
        open_store(f"sqlite:///{path}?mode=ro")
    with open_store(f"sqlite:///{path}") as store:
        assert store.latest("p-1", "assessment").record == assessment  # type: ignore[union-attr]
        assert store.erasures() == []
        assert store.forget("p-1") == 1
        (receipt,) = store.erasures("p-1")
        assert receipt.counts["assessment"] == 1
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [(SQLITE_SCHEMA,)]
        assert raw.execute("SELECT count(*) FROM erasures").fetchone() == (1,)
    raw.close()


# -- real database failures while writing the receipt ---------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    path = tmp_path / "fail.db"
    with open_store(f"sqlite:///{path}") as store:
        yield store, path


def test_sqlite_a_receipt_the_database_refuses_rolls_the_erasure_back(
    sqlite_store: tuple[Store, Path],
) -> None:
    store, path = sqlite_store
    fill(store, "p-1")
    store.append(check_in(2), person_id="p-2")
    before = store.history("p-1"), store.history("p-2")
    with sqlite3.connect(path) as raw:
        raw.execute(
            "CREATE TRIGGER audit_full BEFORE INSERT ON erasures "
            "BEGIN SELECT RAISE(ABORT, 'the audit table is full'); END"
        )
    raw.close()
    with pytest.raises(StorageError, match="audit table is full") as caught:
        store.forget("p-1")
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    with pytest.raises(StorageError, match="audit table is full"):
        store.forget_before(dt.date(2027, 1, 1))
    assert (store.history("p-1"), store.history("p-2")) == before
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER audit_full")
    raw.close()
    assert store.forget_before(dt.date(2027, 1, 1)) == 5
    assert sorted(r.total for r in store.erasures()) == [1, 4]


def test_sqlite_retention_leaves_no_bytes_of_old_answers(tmp_path: Path) -> None:
    path = tmp_path / "retain.db"
    secret = "Wombat-Tbilisi-9902"
    with open_store(f"sqlite:///{path}") as store:
        for day in (1, 2):
            store.append(
                rs.CheckIn("s1", dt.date(2020, 1, day), rs.Outcome.DONE, note=secret * 100),
                person_id=f"p-{secret}",
            )
        store.append(check_in(3), person_id="kept")
        assert store.forget_before(dt.date(2021, 1, 1)) == 2
        data = b"".join(
            Path(f"{path}{suffix}").read_bytes()
            for suffix in ("", "-wal")
            if Path(f"{path}{suffix}").exists()
        )
        assert secret.encode() not in data
        assert len(store.history("kept")) == 1


# -- PostgreSQL --------------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_version_1_tables_are_upgraded(pg_url: str) -> None:
    assessment = sample_records("p-1")[0]
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute(
            """CREATE TABLE resilience_records (
                seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, person_id TEXT NOT NULL,
                kind TEXT NOT NULL, time_us BIGINT NOT NULL, stored_us BIGINT NOT NULL,
                schema_version INTEGER NOT NULL, body TEXT NOT NULL)"""
        )
        raw.execute("CREATE TABLE resilience_schema (version INTEGER NOT NULL)")
        raw.execute("INSERT INTO resilience_schema (version) VALUES (1)")
        raw.execute(
            "INSERT INTO resilience_records (id, person_id, kind, time_us, stored_us, "
            "schema_version, body) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            tuple(encode(assessment)),
        )
    with open_store(pg_url) as store:
        assert store.latest("p-1", "assessment").record == assessment  # type: ignore[union-attr]
        assert store.forget("p-1") == 1
        (receipt,) = store.erasures("p-1")
        assert receipt.counts["assessment"] == 1
    with psycopg.connect(pg_url) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [
            (POSTGRES_SCHEMA,)
        ]
        assert raw.execute("SELECT count(*) FROM resilience_erasures").fetchone() == (1,)


@pytest.mark.postgres
def test_postgres_a_receipt_the_database_refuses_rolls_the_erasure_back(pg_url: str) -> None:
    with open_store(pg_url) as store:
        fill(store, "p-1")
        before = store.history("p-1")
        with psycopg.connect(pg_url, autocommit=True) as raw:
            raw.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'the audit table is full'; END $$"
            )
            raw.execute(
                "CREATE TRIGGER audit_full BEFORE INSERT ON resilience_erasures "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        with pytest.raises(StorageError, match="audit table is full") as caught:
            store.forget("p-1")
        assert isinstance(caught.value.__cause__, psycopg.Error)
        with pytest.raises(StorageError, match="audit table is full"):
            store.forget_before(dt.date(2027, 1, 1))
        assert store.history("p-1") == before
        with psycopg.connect(pg_url, autocommit=True) as raw:
            raw.execute("DROP TRIGGER audit_full ON resilience_erasures")
        assert store.forget("p-1") == 4
        assert [r.total for r in store.erasures("p-1")] == [4]


# -- the erasure key's check: a wrong key is an error, not an empty answer ------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store URL that several stores can open (a SQLite file, or PostgreSQL tables)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'keys.db'}"
    return str(request.getfixturevalue("pg_url"))


def stored_key_check(url: str) -> list[tuple[str, str]]:
    query = "SELECT name, value FROM resilience_meta"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
            rows = raw.execute(query).fetchall()
        raw.close()
        return rows
    with psycopg.connect(url) as connection:
        return connection.execute(query).fetchall()


def test_a_different_key_is_refused_without_revealing_the_stored_check(shared_url: str) -> None:
    with open_store(shared_url, erasure_key="first key") as store:
        assert stored_key_check(shared_url) == []  # nothing is kept before a keyed erasure
        fill(store, "p-1")
        assert store.forget("p-1") == 4
    ((_, kept),) = stored_key_check(shared_url)
    assert kept == key_check(b"first key")
    with pytest.raises(StorageError, match="erasure key does not match") as caught:
        open_store(shared_url, erasure_key="second key")
    assert kept not in str(caught.value)
    assert key_check(b"second key") not in str(caught.value)
    with open_store(shared_url, erasure_key=b"first key") as store:
        assert [r.total for r in store.erasures("p-1")] == [4]


def test_a_store_opened_before_another_key_was_kept_refuses_to_use_its_own(
    shared_url: str,
) -> None:
    with open_store(shared_url, erasure_key="late key") as late:  # no check kept yet
        fill(late, "p-1")
        with open_store(shared_url, erasure_key="first key") as first:
            assert first.forget("p-2") == 0  # the first keyed erasure keeps its key's check
        for attempt in (
            lambda: late.forget("p-1"),
            lambda: late.forget_before(dt.date(2030, 1, 1)),
            lambda: late.erasures("p-2"),
        ):
            with pytest.raises(StorageError, match="erasure key does not match"):
                attempt()
        assert len(late.history("p-1")) == 4  # nothing was erased
        assert len(late.erasures()) == 1  # listing needs no key


# -- lookup tags: a person's receipts in one query ---------------------------------------------


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "memory":
        return "memory://"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'lookup.db'}"
    return str(request.getfixturevalue("pg_url"))


def count_hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every person id the slow hash is computed for from now on."""
    calls: list[str] = []
    real = erasure_module.hash_person

    def counting(person_id: str, salt: str, **options: Any) -> tuple[str, str]:
        calls.append(person_id)
        return real(person_id, salt, **options)

    monkeypatch.setattr(erasure_module, "hash_person", counting)
    return calls


def test_with_a_key_receipts_are_found_by_their_tag_without_slow_hashing(
    any_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(any_url, erasure_key="k") as store:
        for n in range(25):
            store.forget(f"p-{n}")
        store.append(check_in(1), person_id="p-7")
        assert store.forget("p-7") == 1
        hashed = count_hashes(monkeypatch)
        mine = store.erasures("p-7")
        assert store.erasures("p-99") == []
        assert hashed == []  # one query by tag, no PBKDF2 per receipt
        assert [r.total for r in mine] == [0, 1]
        monkeypatch.undo()
        assert all(receipt.matches("p-7", key="k") for receipt in mine)
        assert len(store.erasures()) == 26


def test_without_a_key_every_receipt_is_checked_with_its_salt(
    any_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(any_url) as store:
        for n in range(6):
            store.forget(f"p-{n}")
        hashed = count_hashes(monkeypatch)
        (receipt,) = store.erasures("p-4")
        assert hashed == ["p-4"] * 6  # the documented cost: one slow hash per receipt
    assert receipt.matches("p-4")


def test_lookup_tags_are_stored_only_with_a_key_and_hold_no_person_id(tmp_path: Path) -> None:
    path = tmp_path / "tags.db"
    with open_store(f"sqlite:///{path}") as store:
        store.forget("Quokka-1")
    with open_store(f"sqlite:///{path}", erasure_key="k") as store:
        store.forget("Quokka-1")
        store.forget("Quokka-1")
        store.forget("Quokka-2")
        assert len(store.erasures("Quokka-1")) == 3  # the old untagged one too
    with sqlite3.connect(path) as raw:
        tags = [row[0] for row in raw.execute("SELECT lookup FROM erasures ORDER BY seq")]
    raw.close()
    assert tags == [None, *(lookup_tag(p, b"k") for p in ("Quokka-1", "Quokka-1", "Quokka-2"))]
    assert all("Quokka" not in tag for tag in tags[1:])
    assert lookup_tag("Quokka-1", b"k") != lookup_tag("Quokka-1", b"other key")


# -- upgrading a schema-2 database ---------------------------------------------------------

_ERASURES_2 = """CREATE TABLE erasures (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, erased_us INTEGER NOT NULL,
    before_us INTEGER, counts TEXT NOT NULL, person_hash TEXT NOT NULL,
    salt TEXT NOT NULL, scheme TEXT NOT NULL
)"""
_RECEIPT_2 = (
    "INSERT INTO erasures (id, erased_us, before_us, counts, person_hash, salt, scheme) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def test_a_version_2_sqlite_file_gains_lookup_tags_and_keeps_its_receipts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v2.db"
    old_receipt = Sealer(key=b"k")("p-1", {"plan": 1})  # written before tags existed
    with sqlite3.connect(path) as raw:
        for statement in _VERSION_1[:-1]:
            raw.execute(statement)
        raw.execute(_ERASURES_2)
        raw.execute("INSERT INTO resilience_schema (version) VALUES (2)")
        raw.execute(_RECEIPT_2, old_receipt[:7])
        raw.execute(
            "INSERT INTO records (id, person_id, kind, time_us, stored_us, "
            "schema_version, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            encode(sample_records("p-1")[0]),
        )
    raw.close()
    with pytest.raises(StorageError, match=f"upgraded from 2 to {SQLITE_SCHEMA}"):
        open_store(f"sqlite:///{path}?mode=ro")
    with open_store(f"sqlite:///{path}", erasure_key="k") as store:
        (old,) = store.erasures("p-1")  # no tag: found by the salted hash
        assert old.id == old_receipt.id
        assert store.forget("p-1") == 1
        assert [r.counts["plan"] for r in store.erasures("p-1")] == [1, 0]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchone() == (SQLITE_SCHEMA,)
        tags = raw.execute("SELECT lookup FROM erasures ORDER BY seq").fetchall()
        assert tags == [(None,), (lookup_tag("p-1", b"k"),)]
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM erasures WHERE lookup = ?", ("x",)
        ).fetchall()
    raw.close()
    assert "erasures_lookup" in " ".join(str(step) for step in plan)
    assert stored_key_check(f"sqlite:///{path}") == [("erasure_key_check", key_check(b"k"))]


@pytest.mark.postgres
def test_postgres_version_2_tables_gain_lookup_tags(pg_url: str) -> None:
    old_receipt = Sealer(key=b"k")("p-1", {"plan": 1})
    with open_store(pg_url):
        pass
    with psycopg.connect(pg_url, autocommit=True) as raw:  # back to how version 2 was
        raw.execute("DROP TABLE resilience_meta")
        raw.execute("DROP INDEX resilience_erasures_lookup")
        raw.execute("ALTER TABLE resilience_erasures DROP COLUMN lookup")
        raw.execute("UPDATE resilience_schema SET version = 2")
        raw.execute(
            "INSERT INTO resilience_erasures (id, erased_us, before_us, counts, person_hash, "
            "salt, scheme) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            tuple(old_receipt[:7]),
        )
    with open_store(pg_url, erasure_key="k") as store:
        assert [r.id for r in store.erasures("p-1")] == [old_receipt.id]
        assert store.forget("p-1") == 0
        assert len(store.erasures("p-1")) == 2
    with psycopg.connect(pg_url) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchone() == (POSTGRES_SCHEMA,)
        tags = raw.execute("SELECT lookup FROM resilience_erasures ORDER BY seq").fetchall()
    assert tags == [(None,), (lookup_tag("p-1", b"k"),)]
    assert stored_key_check(pg_url) == [("erasure_key_check", key_check(b"k"))]


# -- retention does its slow hashing before it takes the write lock -------------------------


def test_a_retention_run_over_many_people_does_not_block_other_writers(tmp_path: Path) -> None:
    """300 receipts cost about two seconds of PBKDF2, none of it inside the transaction."""
    path = tmp_path / "busy.db"
    people = [f"p-{n}" for n in range(300)]
    lines = [
        export_line(
            encode(
                rs.CheckIn("s1", dt.date(1999, 1, 1), rs.Outcome.DONE),
                person_id=person,
                stored_us=0,
            )
        )
        for person in people
    ]
    ready, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    written: list[int] = []

    def keep_appending() -> None:
        # Another connection, as another process would have, waiting at most 1 s: less than
        # the two seconds of PBKDF2, more than the VACUUM after the erasure takes on a busy
        # shared machine.
        try:
            with open_store(f"sqlite:///{path}?timeout=1&synchronous=normal") as other:
                n = 0
                while not done.is_set():
                    other.append(
                        rs.CheckIn(f"w{n}", dt.date(2026, 1, 1), rs.Outcome.DONE),
                        person_id="writer",
                    )
                    n += 1
                    ready.set()
                    time.sleep(0.002)
                written.append(n)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
            ready.set()

    with open_store(f"sqlite:///{path}?synchronous=normal", erasure_key="k") as store:
        assert store.import_records(lines) == 300
        writer = threading.Thread(target=keep_appending)
        writer.start()
        try:
            assert ready.wait(timeout=10)
            assert store.forget_before(dt.date(2000, 1, 1)) == 300
        finally:
            done.set()
            writer.join()
        assert errors == []
        assert written[0] > 20  # the writer kept writing during the run
        assert len(store.history("writer")) == written[0]
        assert [r.total for r in store.erasures("p-150")] == [1]
        assert len(store.erasures()) == 300


def test_people_who_appear_during_a_retention_run_are_hashed_when_sealed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As if their old records were imported between the quick read and the transaction.
    monkeypatch.setattr(MemoryStore, "_people_before", lambda self, before_us: [])
    with open_store("memory://", erasure_key="k") as store:
        for person in ("p-1", "p-2"):
            store.append(rs.CheckIn("s1", dt.date(1999, 1, 1), rs.Outcome.DONE), person_id=person)
        assert store.forget_before(dt.date(2000, 1, 1)) == 2
        assert [r.total for r in store.erasures("p-2")] == [1]
        assert store.erasures("p-2")[0].matches("p-2", key="k")


# -- error messages name fields, never people ----------------------------------------------


def test_a_bad_cutoff_is_reported_as_the_forget_before_cutoff() -> None:
    with open_store("memory://") as store:
        with pytest.raises(InvalidRecordError, match="forget_before cutoff") as caught:
            store.forget_before(dt.datetime(2020, 1, 1))
        assert "history query" not in str(caught.value)
        with pytest.raises(InvalidRecordError, match="not str"):
            store.forget_before("2020-01-01")  # type: ignore[arg-type]


def test_error_messages_never_repeat_a_person_id() -> None:
    mine, theirs = "Quokka-7731", "Wombat-9902"
    assessment = rs.Assessment(mine, dt.datetime(2026, 1, 5, tzinfo=UTC), {})
    messages: list[str] = []
    with open_store("memory://") as store:
        with pytest.raises(InvalidRecordError) as mismatch:
            store.append(assessment, person_id=theirs)
        messages.append(str(mismatch.value))
        store.append(assessment)
        line = json.loads(store.export(mine)[0])
        store.forget(mine)
        with pytest.raises(InvalidRecordError) as imported:
            store.import_records([json.dumps({**line, "person_id": theirs})])
        messages.append(str(imported.value))
        with pytest.raises(InvalidRecordError) as numeric:
            store.import_records([json.dumps({**line, "person_id": 7731})])
        messages.append(str(numeric.value))
        with pytest.raises(InvalidRecordError, match="not int") as forget:
            store.forget(7731)  # type: ignore[arg-type]
        messages.append(str(forget.value))
        with pytest.raises(MissingPersonError, match="not int") as check:
            store.append(check_in(1), person_id=7731)  # type: ignore[arg-type]
        messages.append(str(check.value))
    assert "belongs to" in messages[0]
    assert "line 1: person_id" in messages[1]
    for message in messages:
        for needle in (mine, theirs, "7731"):
            assert needle not in message
