#!/usr/bin/env python3
"""Run every check of the project: the one command for developers and CI.

Usage, from the repository root (needs only Python 3.10+; this script uses the stdlib)::

    python3 scripts/check.py                  # everything, as CI does
    python3 scripts/check.py -k storage       # extra arguments are passed to pytest
    python3 scripts/check.py --skip docs --skip mypy -- -x tests/test_cli.py

It creates (or reuses) a virtual environment in ``.venv``, upgrades pip, installs the
project with ``pip install -e '.[test]'`` and then runs, in this order and without
stopping at the first failure:

    ruff    ruff check .
    format  ruff format --check .
    mypy    mypy                      (settings in pyproject.toml)
    pytest  pytest [extra arguments]
    docs    sphinx-build -W --keep-going -b html docs docs/_build/html

A summary table follows; the exit status is non-zero if any step failed. ``--skip STEP``
(repeatable) leaves a step out for a quick local run; CI never uses it. Every tool runs
from the virtual environment; the only network access is pip's package index.

If the virtual environment cannot be created because ensurepip is missing (Debian and
Ubuntu ship it separately), install the OS package ``python3-venv`` and run again.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXE = ".exe" if os.name == "nt" else ""
STEPS = ("ruff", "format", "mypy", "pytest", "docs")


def tool(name: str) -> str:
    """Path of a program in the virtual environment."""
    return str(BIN / f"{name}{EXE}")


def tool_env() -> dict[str, str]:
    """Environment for the steps: the venv is active, first in PATH."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    env.pop("PYTHONHOME", None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def banner(text: str) -> None:
    """Print a visible section header."""
    print(f"\n==> {text}", flush=True)


def run(argv: Sequence[str]) -> int:
    """Run a command from the repository root, echoing it first."""
    print("$ " + " ".join(argv), flush=True)
    try:
        return subprocess.run(list(argv), cwd=ROOT, env=tool_env(), check=False).returncode
    except OSError as exc:  # e.g. the tool is not installed
        print(f"error: cannot run {argv[0]}: {exc}", file=sys.stderr, flush=True)
        return 127


def venv_works() -> bool:
    """True if .venv has a working Python with pip."""
    python = tool("python")
    if not Path(python).exists():
        return False
    probe = subprocess.run(
        [python, "-m", "pip", "--version"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return probe.returncode == 0


def venv_help() -> str:
    """Advice for a Python without ensurepip."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    return (
        "error: cannot create the virtual environment: ensurepip is not available.\n"
        "Install the OS package python3-venv, e.g. on Debian/Ubuntu:\n"
        f"    sudo apt-get install python3-venv     (or python{version}-venv)\n"
        "then run this script again."
    )


def ensure_venv() -> None:
    """Create .venv (or reuse a working one) and install the project into it."""
    if venv_works():
        banner(f"Reusing virtual environment {VENV}")
    else:
        banner(f"Creating virtual environment {VENV}")
        try:
            import ensurepip  # noqa: F401  (only probing that it exists)
        except ImportError:
            sys.exit(venv_help())
        # --clear: a leftover half-created .venv (e.g. from a run without ensurepip).
        argv = [sys.executable, "-m", "venv", "--clear", str(VENV)]
        print("$ " + " ".join(argv), flush=True)
        result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
        if result.returncode != 0 or not venv_works():
            output = result.stdout + result.stderr
            if "ensurepip" in output:
                sys.exit(venv_help() + "\n\n" + output.strip())
            sys.exit(f"error: `{' '.join(argv)}` failed:\n{output.strip()}")

    banner("Installing the project and its test dependencies")
    python = tool("python")
    for argv in (
        [python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        [python, "-m", "pip", "install", "--quiet", "-e", ".[test]"],
    ):
        code = run(argv)
        if code != 0:
            sys.exit(f"error: `{' '.join(argv)}` failed with exit status {code}")


def docs_step() -> int:
    """Build the docs; a missing docs/conf.py is a failure."""
    if not (ROOT / "docs" / "conf.py").is_file():
        message = "error: docs/conf.py does not exist: the documentation cannot be built"
        print(message, file=sys.stderr, flush=True)
        return 1
    return run(
        [tool("sphinx-build"), "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"]
    )


def pytest_counts(report: Path) -> tuple[int, int, int] | None:
    """Passed, failed (failures + errors) and skipped tests from a JUnit XML report."""
    try:
        root = ET.parse(report).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Our options, and everything else for pytest (all of it after a ``--``)."""
    parser = argparse.ArgumentParser(
        prog="python3 scripts/check.py",
        description="Run every check (ruff, format, mypy, pytest, docs) in .venv. "
        "Unknown arguments, and all arguments after --, are passed to pytest.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=STEPS,
        default=[],
        metavar="STEP",
        help=f"leave a step out (repeatable; one of: {', '.join(STEPS)}). Not for CI.",
    )
    after_dashes: list[str] = []
    if "--" in argv:
        index = argv.index("--")
        argv, after_dashes = argv[:index], argv[index + 1 :]
    args, pytest_args = parser.parse_known_args(argv)
    return args, pytest_args + after_dashes


def main(argv: list[str] | None = None) -> int:
    """Run the checks; returns the exit status."""
    args, pytest_args = parse_args(sys.argv[1:] if argv is None else argv)
    os.chdir(ROOT)
    ensure_venv()

    report = Path(tempfile.mkdtemp(prefix="resilience-check-")) / "pytest.xml"
    commands = {
        "ruff": lambda: run([tool("ruff"), "check", "."]),
        "format": lambda: run([tool("ruff"), "format", "--check", "."]),
        "mypy": lambda: run([tool("mypy")]),
        "pytest": lambda: run([tool("pytest"), f"--junitxml={report}", *pytest_args]),
        "docs": docs_step,
    }
    results: list[tuple[str, str, float]] = []
    for step in STEPS:
        if step in args.skip:
            results.append((step, "skipped", 0.0))
            continue
        banner(f"Step: {step}")
        start = time.monotonic()
        code = commands[step]()
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        results.append((step, status, time.monotonic() - start))

    width = max(len(status) for _, status, _ in results)
    banner("Summary")
    print(f"{'step':<8} {'result':<{width}} {'seconds':>8}")
    for step, status, seconds in results:
        print(f"{step:<8} {status:<{width}} {seconds:>8.1f}")
    failed = [step for step, status, _ in results if status.startswith("FAILED")]
    if args.skip:
        skipped = ", ".join(dict.fromkeys(args.skip))
        print(f"\nnote: skipped {skipped}: this was not a full check")
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", flush=True)
    else:
        print("\nAll checks passed." if not args.skip else "\nAll steps that ran passed.")
    counts = pytest_counts(report)
    if counts is not None:
        # Last line, in the plain form CI reads: the tests' own tally.
        passed, failed_tests, skipped_tests = counts
        line = f"tests: {passed} passed, {failed_tests} failed"
        print(line + (f", {skipped_tests} skipped" if skipped_tests else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
