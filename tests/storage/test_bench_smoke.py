"""The storage benchmark runs (with few records) and prints its figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_storage.py"


def test_the_storage_benchmark_runs_and_reports_ratios() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--records",
            "600",
            "--appends",
            "20",
            "--repeat",
            "5",
            "--synchronous",
            "normal",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert re.search(r"bulk append: .* ratio \d+\.\d\dx raw", out), out
    assert re.search(r"bulk import: .* ratio \d+\.\d\dx raw", out), out
    assert re.search(r"appends: .* ratio \d+\.\d\dx raw", out), out
    assert re.search(r"history: +10 records of one person among 600: \d+\.\d+ ms", out), out
