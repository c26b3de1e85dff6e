"""Peak memory of a streamed import, at two sizes: it must not grow with the file.

For each size (100,000 and 1,000,000 lines by default) a JSON Lines file of check-ins is
written to a temporary directory, and a fresh Python process imports it into a new SQLite
store, reading the file in binary mode line by line (as ``resilience import`` does). The
process reports its peak resident memory (``ru_maxrss``). A baseline process in the same
run imports the library and opens a store without importing anything; each import is
shown next to it. The goal: less than 50 MB more at the large size than at the small one.

Usage: python benchmarks/bench_import_memory.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import resilience as rs
from resilience.storage._records import encode, export_line

GOAL_MB = 50.0

_CHILD = textwrap.dedent(
    """
    import resource, sys
    from resilience.storage import open_store

    url, source = sys.argv[1], sys.argv[2]
    with open_store(url) as store:
        if source != "-":
            with open(source, "rb") as lines:
                added = store.import_records(lines)
        else:
            added = 0
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(added, peak_kib)
    """
)


def write_lines(path: Path, count: int) -> None:
    """``count`` export lines of check-ins, for a thousand people, with a note on some."""
    start = dt.date(2020, 1, 1)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for n in range(count):
            note = "went for a walk with a neighbour" if n % 5 == 0 else None
            record = rs.CheckIn(
                f"step-{n}", start + dt.timedelta(days=n % 2000), rs.Outcome.DONE, note=note
            )
            out.write(export_line(encode(record, person_id=f"person-{n % 1000:04d}")))


def peak_mb(directory: Path, source: str, name: str) -> tuple[int, float]:
    """Records imported and the peak resident memory (MB) of a process importing ``source``."""
    url = f"sqlite:///{directory / name}?synchronous=normal"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, url, source],
        capture_output=True,
        text=True,
        check=True,
    )
    added, peak_kib = done.stdout.split()
    return int(added), int(peak_kib) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000])
    args = parser.parse_args(argv)
    small, large = args.sizes
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        _, baseline = peak_mb(directory, "-", "baseline.db")
        print(f"baseline (library imported, store opened): {baseline:8.1f} MB peak")
        peaks = {}
        for count in (small, large):
            source = directory / f"lines-{count}.jsonl"
            write_lines(source, count)
            size_mb = source.stat().st_size / 1e6
            added, peaks[count] = peak_mb(directory, str(source), f"store-{count}.db")
            assert added == count, (added, count)
            source.unlink()
            print(
                f"import of {count:>9,} lines ({size_mb:6.1f} MB file): {peaks[count]:8.1f} MB "
                f"peak, {peaks[count] - baseline:+7.1f} MB over the baseline"
            )
    growth = peaks[large] - peaks[small]
    verdict = "meets" if growth < GOAL_MB else "MISSES"
    print(f"growth from {small:,} to {large:,} lines: {growth:+.1f} MB ({verdict} < {GOAL_MB} MB)")
    return 0 if growth < GOAL_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
