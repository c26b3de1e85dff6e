"""Storage speed next to raw sqlite3, measured in the same run.

What it measures, on SQLite files in a temporary directory (same schema, same pragmas):

1. bulk import: ``SQLiteStore.import_records`` of N exported JSON lines (each line is
   parsed, checked against the record type, made canonical and hashed) against raw
   ``sqlite3`` ``executemany`` of the very same rows, already encoded, in one transaction;
2. appends: ``store.append`` of M records one by one (one transaction each) against raw
   ``sqlite3`` inserting the same rows one by one, one transaction each;
3. history: one person's history among the N records (median of many calls), next to the
   raw indexed ``SELECT`` of the same rows.

The records are half assessments (answers to UCLA-3 and BRS) and half check-ins, spread
over N / 10 people (ten records each).

Usage: python benchmarks/bench_storage.py [--records 100000] [--appends 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import resilience as rs
from resilience.storage._records import Row, encode, export_line, parse_lines
from resilience.storage._sqlite import _MIGRATIONS, SQLiteStore

UTC = dt.timezone.utc
INSERT = (
    "INSERT OR IGNORE INTO records "
    "(id, person_id, kind, time_us, stored_us, schema_version, body) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def make_records(count: int, people: int) -> list[tuple[str, rs.Assessment | rs.CheckIn]]:
    start = dt.datetime(2025, 1, 1, 8, 0, tzinfo=UTC)
    records: list[tuple[str, rs.Assessment | rs.CheckIn]] = []
    for n in range(count):
        person = f"person-{n % people:06d}"
        when = start + dt.timedelta(minutes=n)
        if n % 2 == 0:
            answers = {
                "ucla-3": {f"ucla-{i}": 1 + (n + i) % 3 for i in range(1, 4)},
                "brs": {f"brs-{i}": 1 + (n * i) % 5 for i in range(1, 7)},
            }
            records.append((person, rs.Assessment(person, when, answers)))
        else:
            outcome = (rs.Outcome.DONE, rs.Outcome.PARTLY, rs.Outcome.SKIPPED)[n % 3]
            note = "went for a walk with a neighbour" if n % 5 == 0 else None
            records.append(
                (person, rs.CheckIn(f"step-{n}", when.date(), outcome, felt=1 + n % 5, note=note))
            )
    return records


def raw_connection(path: Path, synchronous: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(f"PRAGMA synchronous = {synchronous}")
    connection.execute("PRAGMA secure_delete = ON")
    for statement in _MIGRATIONS[1]:
        connection.execute(statement)
    return connection


def timed(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def median_seconds(action: object, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records to import")
    parser.add_argument(
        "--appends", type=int, default=1_000, help="records to append one by one (fsync-bound)"
    )
    parser.add_argument("--synchronous", default="full", choices=["full", "normal"])
    parser.add_argument("--repeat", type=int, default=200, help="history queries to time")
    args = parser.parse_args(argv)
    count, people = args.records, max(1, args.records // 10)

    records = make_records(count, people)
    stored_us = 1_750_000_000_000_000
    rows: list[Row] = [encode(r, person_id=p, stored_us=stored_us) for p, r in records]
    lines = [export_line(row) for row in rows]
    print(f"{count:,} records ({people:,} people), synchronous={args.synchronous}")

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)

        # 1. bulk import
        raw = raw_connection(directory / "raw.db", args.synchronous)

        def raw_bulk() -> None:
            raw.execute("BEGIN IMMEDIATE")
            raw.executemany(INSERT, rows)
            raw.execute("COMMIT")

        raw_seconds = timed(raw_bulk)
        bulk = SQLiteStore(directory / "bulk.db", synchronous=args.synchronous)
        entries = [(record, person) for person, record in records]
        ids: list[list[str]] = []
        bulk_seconds = timed(lambda: ids.append(bulk.append_many(entries)))
        assert [row.id for row in rows] == ids[0]
        print(
            f"bulk append:  raw executemany {count / raw_seconds:>10,.0f} rows/s | "
            f"append_many    {count / bulk_seconds:>10,.0f} records/s | "
            f"ratio {raw_seconds / bulk_seconds:.2f}x raw (goal >= 0.5x)"
        )
        bulk.close()

        store = SQLiteStore(directory / "store.db", synchronous=args.synchronous)
        imported: list[int] = []
        store_seconds = timed(lambda: imported.append(store.import_records(lines)))
        assert imported == [count], imported
        ratio = raw_seconds / store_seconds
        parse_seconds = timed(lambda: parse_lines(lines, converter=store.converter))
        print(
            f"bulk import:  raw executemany {count / raw_seconds:>10,.0f} rows/s | "
            f"import_records {count / store_seconds:>10,.0f} records/s | "
            f"ratio {ratio:.2f}x raw (goal >= 0.5x)"
        )
        print(
            f"              of which reading and checking the lines alone takes "
            f"{parse_seconds:.2f} s of {store_seconds:.2f} s (raw inserts: {raw_seconds:.2f} s)"
        )

        # 2. one-by-one appends
        appends = records[: min(args.appends, count)]
        append_rows = rows[: len(appends)]
        raw_each = raw_connection(directory / "raw-each.db", args.synchronous)

        def raw_one_by_one() -> None:
            for row in append_rows:
                raw_each.execute("BEGIN IMMEDIATE")
                raw_each.execute(INSERT, row)
                raw_each.execute("COMMIT")

        raw_each_seconds = timed(raw_one_by_one)
        each = SQLiteStore(directory / "each.db", synchronous=args.synchronous)
        each_seconds = timed(lambda: [each.append(r, person_id=p) for p, r in appends])
        print(
            f"appends:      raw one by one  {len(appends) / raw_each_seconds:>10,.0f} rows/s | "
            f"append         {len(appends) / each_seconds:>10,.0f} records/s | "
            f"ratio {raw_each_seconds / each_seconds:.2f}x raw"
        )

        # 3. one person's history among all records
        person = records[count // 2][0]
        expected = sum(1 for p, _ in records if p == person)
        assert len(store.history(person)) == expected
        history = median_seconds(lambda: store.history(person), args.repeat)
        latest = median_seconds(lambda: store.latest(person, "assessment"), args.repeat)
        select = (
            "SELECT id, person_id, kind, time_us, stored_us, schema_version, body FROM records "
            "WHERE person_id = ? ORDER BY time_us DESC, seq DESC"
        )
        raw_query = median_seconds(lambda: raw.execute(select, (person,)).fetchall(), args.repeat)
        print(
            f"history:      {expected} records of one person among {count:,}: "
            f"{history * 1e3:.3f} ms (goal < 1 ms); latest {latest * 1e3:.3f} ms; "
            f"raw SELECT {raw_query * 1e3:.3f} ms"
        )
        for connection in (raw, raw_each):
            connection.close()
        store.close()
        each.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
