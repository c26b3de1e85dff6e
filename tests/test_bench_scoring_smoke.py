"""The scoring benchmark runs, checks engine and hand-written scorers agree, and reports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import resilience as rs

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_scoring.py"


def test_benchmark_prints_a_ratio_line_per_instrument() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--number", "50", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "MISMATCH" not in done.stderr
    ids = rs.Engine(load_installed=False).instruments
    for instrument_id in ids:
        line = re.search(
            rf"^{re.escape(instrument_id)}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)x$",
            done.stdout,
            re.MULTILINE,
        )
        assert line is not None, done.stdout
        engine_us, hand_us, ratio = map(float, line.groups())
        assert engine_us > 0
        assert hand_us > 0
        assert abs(ratio - engine_us / hand_us) < 0.02 * ratio + 0.01
    assert "geometric mean ratio" in done.stdout
