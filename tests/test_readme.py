"""The README's commands and code are what a newcomer runs first: keep them true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert "examples/quickstart.py" in blocks[0]
    assert blocks[1].strip() == "python3 scripts/check.py"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec python3 scripts/check.py" in ci


def test_readme_python_runs(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    script = tmp_path / "readme_example.py"
    script.write_text(code + "\nprint(profile.pillars, len(plan.steps))\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-W", "error", str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "resilience.db").exists()
