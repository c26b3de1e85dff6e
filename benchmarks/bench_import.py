"""How long ``import resilience`` takes, against ``import attrs, cattrs, pluggy``, in one run.

Each measurement starts a fresh interpreter, so nothing is cached in ``sys.modules``. Two
clocks are used: the wall time of the import statement inside the child (``perf_counter``
around it), and the cumulative time CPython itself reports for the top-level module with
``python -X importtime``. Runs alternate between the library and its dependencies so that a
busy machine slows both alike; the median of each is reported with their ratio.

Goal (the house issue): ``import resilience`` within 1.3x of importing its dependencies. A
third line shows the cost of the first real use (``resilience.Engine``), which loads the
engine, the model and the plugin manager: lazy loading moves that cost, it does not remove it.

    python benchmarks/bench_import.py            # 25 runs of each
    python benchmarks/bench_import.py --runs 5
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys

CASES = {
    "dependencies": "import attrs, cattrs, pluggy",
    "resilience": "import resilience",
    "first use": "import resilience; resilience.Engine",
}
TIMER = "import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
GOAL = 1.3


def wall_seconds(code: str) -> float:
    """Seconds the import takes inside a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", TIMER.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip())


def importtime_seconds(code: str) -> float:
    """Sum of the cumulative times ``-X importtime`` reports for the top-level imports."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    total = 0
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if match and not match.group(2).startswith(" "):
            total += int(match.group(1))  # a top-level import: its cumulative microseconds
    return total / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="fresh interpreters per case")
    args = parser.parse_args(argv)
    wall: dict[str, list[float]] = {name: [] for name in CASES}
    cumulative: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, code in CASES.items():
            wall[name].append(wall_seconds(code))
            cumulative[name].append(importtime_seconds(code))
    base_wall = statistics.median(wall["dependencies"])
    base_cum = statistics.median(cumulative["dependencies"])
    print(f"{'case':<14} {'wall ms':>8} {'ratio':>6} {'importtime ms':>14} {'ratio':>6}")
    for name in CASES:
        w, c = statistics.median(wall[name]), statistics.median(cumulative[name])
        print(
            f"{name:<14} {w * 1e3:>8.1f} {w / base_wall:>5.2f}x "
            f"{c * 1e3:>14.1f} {c / base_cum:>5.2f}x"
        )
    ratio = statistics.median(wall["resilience"]) / base_wall
    verdict = "meets" if ratio <= GOAL else "MISSES"
    print(f"import resilience: {ratio:.2f}x its dependencies ({verdict} the {GOAL}x goal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
