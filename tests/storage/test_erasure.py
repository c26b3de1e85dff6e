"""Erasure receipts beyond the contract: keys, schema upgrades, real database failures."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.errors import InvalidRecordError, StorageError
from resilience.storage import ENV_ERASURE_KEY, Erasure, Store, open_store
from resilience.storage.erasure import ITERATIONS, Sealer, erasure_from_row, hash_person
from resilience.storage.memory import MemoryStore
from resilience.storage.records import encode
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
    assert person not in (receipt.person_hash, receipt.salt, receipt.id)


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
    with open_store(url, erasure_key=b"another secret") as store:
        assert store.erasures() == [receipt]  # listing needs no key
        assert store.erasures("p-1") == []  # a wrong key matches nobody
    with open_store(url) as store, pytest.raises(StorageError, match="erasure key"):
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
    with pytest.raises(StorageError, match="upgraded from 1 to 2"):
        open_store(f"sqlite:///{path}?mode=ro")
    with open_store(f"sqlite:///{path}") as store:
        assert store.latest("p-1", "assessment").record == assessment  # type: ignore[union-attr]
        assert store.erasures() == []
        assert store.forget("p-1") == 1
        (receipt,) = store.erasures("p-1")
        assert receipt.counts["assessment"] == 1
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [(2,)]
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
        assert raw.execute("SELECT version FROM resilience_schema").fetchall() == [(2,)]
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
