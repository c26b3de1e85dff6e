"""Several processes opening brand-new SQLite files at the same moment.

Switching a new file to write-ahead logging answers "database is locked" at once, without
SQLite's busy handler, while another connection does the same; before the store retried
it, about one open in 200 failed here. Every open must wait out the busy timeout instead.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from resilience.storage import open_store

WORKERS = 6
FILES = 250
SPACING = 0.01  # seconds between files: every worker opens file n at the same moment


def open_each(directory: str, start: float) -> list[str]:
    """Open every file at its moment; return the errors."""
    errors: list[str] = []
    for n in range(FILES):
        moment = start + n * SPACING
        while time.time() < moment:
            pass  # spin, so that the workers really start together
        try:
            with open_store(f"sqlite:///{directory}/new-{n}.db?timeout=20") as store:
                store.history("p")
        except Exception as error:  # counted by the test
            errors.append(f"new-{n}.db: {type(error).__name__}: {error}")
    return errors


@pytest.mark.slow
def test_processes_opening_new_files_together_all_succeed(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = time.time() + 3  # time for every worker to start and import the library
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(open_each, [(str(tmp_path), start)] * WORKERS)
    errors = [error for result in results for error in result]
    assert errors == [], f"{len(errors)} of {WORKERS * FILES} opens failed: {errors[:3]}"
    assert len(list(tmp_path.glob("new-*.db"))) == FILES
