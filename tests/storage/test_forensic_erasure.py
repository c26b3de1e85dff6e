"""Erasure leaves nothing: the raw bytes of the files, searched after ``forget``.

Once ``forget`` or ``forget_before`` has returned and every connection is closed — read-only
ones opened meanwhile included — no byte of a forgotten person's id, of their records'
text or of their record ids may remain in the SQLite files (``.db``, ``-wal``, ``-shm``),
nor in PostgreSQL's relation files. Many layouts are tried (dozens of people, hundreds to
thousands of interleaved records, batches of every size) because a copy left in the
unused space of a page shows up only when a page happened to be rebalanced.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.storage import Record, Store, open_store

UTC = dt.timezone.utc
_SUFFIXES = ("", "-wal", "-shm", "-journal")


def raw_bytes(path: Path) -> bytes:
    """Everything in the database file and its companions."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in _SUFFIXES
        if Path(f"{path}{suffix}").exists()
    )


def person_name(n: int, salt: int) -> str:
    # Distinctive and never a substring of another person's name.
    return f"Quokka{salt:04d}x{n:03d}Z"


def note_of(person: str, n: int) -> str:
    return f"talked with {person} about the garden, note {n:05d}; " * 3


def records_for(people: list[str], count: int, rng: random.Random) -> list[tuple[Record, str]]:
    """``count`` records of the people, interleaved at random, of every kind with text."""
    taken = dt.datetime(2025, 1, 1, 8, tzinfo=UTC)
    out: list[tuple[Record, str]] = []
    for n in range(count):
        person = rng.choice(people)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        if n % 4 == 0:
            network = rs.SupportNetwork(
                (rs.Connection(f"cousin of {person}", rs.Relation.FAMILY, trust=4, safety=4),)
            )
            record: Record = rs.Assessment(
                person,
                taken + dt.timedelta(days=rng.randrange(700), minutes=n),
                {"ucla-3": {"ucla-1": 1 + n % 3, "ucla-2": 2, "ucla-3": 1}},
                network=network,
            )
        else:
            record = rs.CheckIn(f"step-{n}", day, rs.Outcome.DONE, felt=3, note=note_of(person, n))
        out.append((record, person))
    return out


def store_in_batches(store: Store, records: list[tuple[Record, str]], size: int) -> list[str]:
    ids: list[str] = []
    for start in range(0, len(records), size):
        ids.extend(store.append_many(records[start : start + size]))
    return ids


def traces(person: str, ids: Iterable[str]) -> list[bytes]:
    """What must not remain of ``person``: the id, and the record ids."""
    return [person.encode(), *(record_id.encode() for record_id in ids)]


def assert_gone(data: bytes, needles: Iterable[bytes], what: str) -> None:
    left = [needle.decode() for needle in needles if needle in data]
    assert not left, f"{what}: {len(left)} traces remain, e.g. {left[:3]}"


def layout(seed: int) -> tuple[list[str], list[tuple[Record, str]], int, set[str]]:
    """A history layout drawn from ``seed``: names, records, batch size and who is forgotten."""
    rng = random.Random(seed)
    people, count = rng.randint(12, 48), rng.randint(100, 2000)
    batch = rng.choice([1, 5, 50, 300, count])
    names = [person_name(n, seed) for n in range(people)]
    records = records_for(names, count, rng)
    return names, records, batch, set(rng.sample(names, rng.randint(1, 4)))


# Seeds whose layouts, before VACUUM, left a copy of a forgotten person's id in the unused
# space of a live index page (found by searching seeds 0 to 59), and a few others; odd
# seeds also have a read-only store open meanwhile, which closes last.
SEEDS = [37, 38, 44, 45, 51, 53, 2, 9, 16, 23]


@pytest.mark.parametrize("seed", SEEDS)
def test_forget_leaves_no_byte_of_the_person_in_the_sqlite_files(tmp_path: Path, seed: int) -> None:
    names, records, batch, gone = layout(seed)
    path = tmp_path / "people.db"
    watcher = None
    with open_store(f"sqlite:///{path}") as store:
        ids = store_in_batches(store, records, batch)
        if seed % 2:  # a reporting store, opened meanwhile, reading while forget runs
            watcher = open_store(f"sqlite:///{path}?mode=ro")
            for name in names:
                watcher.history(name)
        data = raw_bytes(path)
        assert all(name.encode() in data for name in gone)  # the search below can fail
        for name in sorted(gone):
            assert store.forget(name) == sum(1 for _, p in records if p == name)
    if watcher is not None:
        watcher.history(names[0])
        watcher.close()  # the read-only store closes last
    data = raw_bytes(path)
    for name in gone:
        mine = [record_id for record_id, (_, p) in zip(ids, records, strict=True) if p == name]
        assert_gone(data, traces(name, mine), name)
        assert f"talked with {name}".encode() not in data
    with open_store(f"sqlite:///{path}?mode=ro") as store:
        assert sum(len(store.history(name)) for name in names) == sum(
            1 for _, p in records if p not in gone
        )


def test_forgetting_everyone_leaves_nobody(tmp_path: Path) -> None:
    names, records, _, _ = layout(5)
    path = tmp_path / "everyone.db"
    with open_store(f"sqlite:///{path}") as store:
        store_in_batches(store, records, len(records))
        for name in names:
            store.forget(name)
    data = raw_bytes(path)
    assert_gone(data, [name.encode() for name in names], "everyone")


@pytest.mark.parametrize("batch", [1, 40, 1000])
def test_forget_before_leaves_no_byte_of_the_old_records(tmp_path: Path, batch: int) -> None:
    rng = random.Random(batch)
    path = tmp_path / "retention.db"
    names = [person_name(n, 7000 + batch) for n in range(30)]
    records = records_for(names, 1000, rng)
    cutoff = dt.date(2025, 1, 1)

    def old(record: Record) -> bool:
        if isinstance(record, rs.Assessment):
            return record.taken_at.date() < cutoff
        assert isinstance(record, rs.CheckIn)
        return record.on < cutoff

    with open_store(f"sqlite:///{path}") as store:
        ids = store_in_batches(store, records, batch)
        reader = open_store(f"sqlite:///{path}?mode=ro")
        reader.history(names[0])
        removed = store.forget_before(cutoff)
    assert removed == sum(1 for record, _ in records if old(record))
    reader.close()
    data = raw_bytes(path)
    old_ids = [
        record_id for record_id, (record, _) in zip(ids, records, strict=True) if old(record)
    ]
    old_notes = [
        record.note.split(";")[0].encode()
        for record, _ in records
        if old(record) and isinstance(record, rs.CheckIn) and record.note
    ]
    assert_gone(data, [i.encode() for i in old_ids] + old_notes, "old records")
    new_notes = [
        record.note.split(";")[0].encode()
        for record, _ in records
        if not old(record) and isinstance(record, rs.CheckIn) and record.note
    ]
    assert all(note in data for note in new_notes)  # what was kept is still there


def test_a_reader_holding_the_log_during_forget_cannot_keep_the_person(tmp_path: Path) -> None:
    """Forget runs while another connection reads, and a read-only store closes last."""
    path = tmp_path / "held.db"
    names = [person_name(n, 9100) for n in range(20)]
    records = records_for(names, 500, random.Random(11))
    with open_store(f"sqlite:///{path}") as store:
        store_in_batches(store, records, 25)
        reader = open_store(f"sqlite:///{path}?mode=ro")
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN")
        holder.execute("SELECT count(*) FROM records").fetchone()  # holds its snapshot
        try:
            assert store.forget(names[3]) > 0
            assert store.forget(names[4]) > 0
        finally:
            holder.execute("COMMIT")
            holder.close()
        assert reader.history(names[3]) == []
        assert names[3].encode() in raw_bytes(path)  # the log could not be emptied yet
    reader.close()
    data = raw_bytes(path)
    assert_gone(data, [names[3].encode(), names[4].encode()], "held")
    assert names[5].encode() in data


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    people=st.integers(12, 40),
    count=st.integers(100, 900),
    batch=st.integers(1, 900),
)
def test_any_layout_forgets_without_a_trace(
    tmp_path_factory: pytest.TempPathFactory, seed: int, people: int, count: int, batch: int
) -> None:
    rng = random.Random(seed)
    path = tmp_path_factory.mktemp("layout") / "any.db"
    names = [person_name(n, seed) for n in range(people)]
    records = records_for(names, count, rng)
    target = rng.choice([p for _, p in records])
    with open_store(f"sqlite:///{path}") as store:
        ids = store_in_batches(store, records, batch)
        reader = open_store(f"sqlite:///{path}?mode=ro")
        reader.history(target)
        assert store.forget(target) == sum(1 for _, p in records if p == target)
    reader.close()
    mine = [record_id for record_id, (_, p) in zip(ids, records, strict=True) if p == target]
    assert_gone(raw_bytes(path), traces(target, mine), target)


# -- PostgreSQL: the relation files ---------------------------------------------------------


def database_files(admin_url: str) -> bytes:
    """Every byte of the test database's relation files, after a checkpoint wrote them."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute("CHECKPOINT")
        (directory,) = admin.execute("SHOW data_directory").fetchone()  # type: ignore[misc]
        (oid,) = admin.execute(  # type: ignore[misc]
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    return b"".join(file.read_bytes() for file in (Path(directory) / "base" / str(oid)).iterdir())


@pytest.mark.postgres
@pytest.mark.parametrize("vacuum", ["full", "plain"])
def test_postgres_forget_leaves_no_byte_in_the_table_files_with_vacuum_full(
    pg_url: str, postgres_url: str, vacuum: str
) -> None:
    seed = 8800 + len(vacuum)
    rng = random.Random(seed)
    names = [person_name(n, seed) for n in range(30)]
    records = records_for(names, 600, rng)
    gone = set(rng.sample(names, 4))
    url = pg_url if vacuum == "full" else f"{pg_url}&vacuum=plain"
    with open_store(url) as store:
        store_in_batches(store, records, 50)
        before = database_files(postgres_url)
        assert all(name.encode() in before for name in gone)  # the search below can fail
        for name in sorted(gone):
            store.forget(name)
        cutoff = dt.date(2024, 3, 1)
        store.forget_before(cutoff)
    after = database_files(postgres_url)
    left = [name for name in gone if name.encode() in after]
    kept = [name for name in names if name not in gone]
    assert any(name.encode() in after for name in kept)
    if vacuum == "full":
        assert left == []
    else:  # documented: a plain VACUUM leaves deleted rows' bytes in unused space
        assert left
