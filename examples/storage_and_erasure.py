"""Keep a person's records in SQLite, export them, and erase them on request.

Run it with ``python examples/storage_and_erasure.py``. It works in a temporary folder
(or the SQLite file named by ``RESILIENCE_STORE``) and shows:

* appending an assessment, its profile and a check-in;
* exporting everything as JSON Lines (portable) and the scores as CSV;
* ``forget``: every record of the person is deleted, and an erasure receipt is kept that
  proves the erasure happened without holding anything of what was erased.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import resilience as rs
from resilience.tables import scores_csv

UTC = dt.timezone.utc


def store_url(folder: Path) -> str:
    configured = os.environ.get("RESILIENCE_STORE", "")
    return configured if configured.startswith("sqlite") else f"sqlite:///{folder / 'demo.db'}"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = store_url(Path(tmp))
        with rs.Engine(store=url, load_installed=False) as engine:
            store = engine.store
            person = "p-storage-demo"
            assessment = engine.stamp(
                rs.Assessment(
                    person,
                    dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                    {
                        "lsns-6": {
                            "lsns-1": 2,
                            "lsns-2": 1,
                            "lsns-3": 1,
                            "lsns-4": 1,
                            "lsns-5": 0,
                            "lsns-6": 1,
                        },
                        "brs": {
                            "brs-1": 4,
                            "brs-2": 2,
                            "brs-3": 3,
                            "brs-4": 2,
                            "brs-5": 4,
                            "brs-6": 3,
                        },
                    },
                )
            )
            profile = engine.profile(assessment)
            plan = engine.plan(profile)
            store.append(assessment)
            store.append(profile)
            store.append(plan)
            check_in = rs.CheckIn(plan.steps[0].id, dt.date(2026, 11, 22), rs.Outcome.DONE, felt=4)
            store.append(check_in, person_id=person)  # check-ins name their person here

            print(f"Stored for {person}:")
            for record in store.history(person):
                print(f"  {record.kind:<10} {record.time:%Y-%m-%d}  id {record.id[:12]}…")

            lines = store.export(person)
            print(f"\nExport: {len(lines)} JSON Lines, e.g. the first begins")
            print(f"  {lines[0][:90]}…")

            print("\nScores as CSV (the first columns; the key hash shortened here):")
            for row in scores_csv(store.history(person, kind="profile")).splitlines():
                cells = row.split(",")[:9]
                cells[5] = cells[5][:12] + "…" if len(cells[5]) > 12 else cells[5]
                cells[6] = _rounded(cells[6])
                print("  " + ",".join(cells))

            erased = store.forget(person)
            print(f"\nforget({person!r}) erased {erased} records.")
            left = store.history(person)
            print(f"Records of {person} afterwards: {len(left) or 'none'}")
            (receipt,) = store.erasures(person)
            counts = ", ".join(f"{n} {kind}" for kind, n in sorted(receipt.counts.items()))
            print(f"Erasure receipt: {receipt.total} records on {receipt.erased_at:%Y-%m-%d}")
            print(f"  ({counts}); the person is kept only as a salted hash")
            assert person not in repr(receipt)


def _rounded(cell: str) -> str:
    """A CSV total for the eye: two decimals (the file itself keeps every digit)."""
    try:
        return f"{float(cell):.2f}".rstrip("0").rstrip(".")
    except ValueError:
        return cell  # the header


if __name__ == "__main__":
    main()
