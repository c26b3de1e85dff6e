"""The README's commands and code are what a newcomer runs first: keep them true."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert "examples/quickstart.py" in blocks[0]
    assert blocks[1].strip() == "python3 scripts/check.py"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec python3 scripts/check.py" in ci
