"""``benchmarks/run.py --quick`` runs, checks every baseline agrees, and prints every ratio."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"
ROWS = [
    "batch vs hand-written numpy, brs",
    "batch vs hand-written numpy, mspss",
    "batch vs hand-written numpy, lsns-6",
    "batch vs per-answer Engine.score loop",
    "Engine.score vs hand-written Python",
    "Dask, 2 worker processes vs one process",
    "append_many vs raw executemany, pre-encoded",
    "append_many vs raw executemany + json.dumps + sha256",
    "append_many vs sqlite-utils insert_all",
    "import_records vs raw executemany, pre-encoded",
    "import_records vs raw executemany + json.dumps + sha256",
    "import_records vs sqlite-utils insert_all",
]
TIME = r"([\d.]+) (µs|ms|s)"
UNIT = {"µs": 1e-6, "ms": 1e-3, "s": 1.0}


@pytest.mark.slow
def test_the_quick_run_prints_every_ratio_and_the_scaling_tables() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "MISMATCH" not in out + done.stderr
    for row in ROWS:
        line = re.search(rf"^{re.escape(row)}.*?\s{TIME}\s+{TIME}\s+([\d.]+)x", out, re.MULTILINE)
        assert line is not None, (row, out)
        ours = float(line[1]) * UNIT[line[2]]
        baseline = float(line[3]) * UNIT[line[4]]
        speed = float(line[5])
        assert ours > 0
        assert baseline > 0
        # the printed speed is the baseline's time over ours (times are rounded)
        assert abs(speed - baseline / ours) <= 0.06 * speed + 0.01, line[0]
    assert len(re.findall(r"^ +[\d,]+ rows +[\d,]+ +[\d.]+ +[\d.]+x", out, re.MULTILINE)) == 3
    assert re.search(r"peak memory growth from 5,000 to 20,000 rows: [+-][\d.]+ MB", out)
