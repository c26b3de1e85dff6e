"""Every ``examples/*.py`` script runs to completion as a user would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.py"))
TIMEOUT = 120  # seconds per example


def test_quickstart_example_exists() -> None:
    # Also guards against the glob below silently finding nothing.
    assert (EXAMPLES_DIR / "quickstart.py").is_file(), f"missing {EXAMPLES_DIR / 'quickstart.py'}"


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ)
    env.update(
        RESILIENCE_STORE=str(tmp_path / "resilience.sqlite3"),
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    try:
        result = subprocess.run(
            [sys.executable, str(script)],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = (
            exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr
        )
        pytest.fail(f"{script.name} did not finish within {TIMEOUT}s; stderr:\n{stderr}")
    assert result.returncode == 0, (
        f"{script.name} exited with {result.returncode}; stderr:\n{result.stderr}"
    )
    assert result.stdout.strip(), f"{script.name} printed nothing; stderr:\n{result.stderr}"
