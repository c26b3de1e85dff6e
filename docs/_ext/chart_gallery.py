"""Draws the chart gallery by running the gallery page's own code blocks.

The pictures on ``gallery.md`` are made by exactly the code shown there: each ``python``
block of the page is run, in order, in ``_generated/gallery/`` when the docs are built.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

PAGE = "gallery.md"


def blocks(text: str) -> list[str]:
    """The page's python code blocks, in order."""
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def draw(source: Path, into: Path) -> None:
    """Run every python block of ``source`` with ``into`` as the working directory."""
    source, into = source.resolve(), into.resolve()
    into.mkdir(parents=True, exist_ok=True)
    code_blocks = blocks(source.read_text(encoding="utf-8"))
    import matplotlib

    matplotlib.use("Agg")  # headless: the figures are only saved
    here = Path.cwd()
    os.chdir(into)
    try:
        namespace: dict[str, Any] = {}
        for number, code in enumerate(code_blocks):
            exec(compile(code, f"{source.name}[{number}]", "exec"), namespace)
    finally:
        os.chdir(here)


def _draw(app: Sphinx) -> None:
    draw(Path(app.srcdir) / PAGE, Path(app.srcdir) / "_generated" / "gallery")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the gallery with Sphinx."""
    app.connect("builder-inited", _draw)
    return {"parallel_read_safe": True, "version": "1"}
