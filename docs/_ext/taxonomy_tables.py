"""Writes the taxonomy tables from the code, so the docs can never drift from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

import resilience as rs


def _row(*cells: str) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _names(members: Any) -> str:
    return ", ".join(sorted(member.label for member in members))


def render() -> str:
    """The taxonomy as MyST markdown tables."""
    out: list[str] = []

    out += ["## Capacities", "", _row("Id", "Capacity", "What it means"), _row("---", "---", "---")]
    out += [_row(f"`{c.value}`", c.label, c.description) for c in rs.Capacity]
    out += ["", "## Pillars", ""]
    out += [
        _row(
            "Id", "Pillar", "What it means", "Signs that it is unmet", "Strategies that rebuild it"
        )
    ]
    out += [_row("---", "---", "---", "---", "---")]
    out += [
        _row(f"`{p.value}`", p.label, p.description, _names(p.signs), _names(p.strategies))
        for p in rs.Pillar
    ]
    out += ["", "## Signs of disconnection", ""]
    out += [_row("Id", "Sign", "What it looks like", "Pillars", "Capacities it weakens")]
    out += [_row("---", "---", "---", "---", "---")]
    out += [
        _row(f"`{s.value}`", s.label, s.description, _names(s.pillars), _names(s.capacities))
        for s in rs.IsolationSign
    ]
    out += ["", "## Drivers of isolation", ""]
    out += [_row("Id", "Driver", "What it is", "Countered by"), _row("---", "---", "---", "---")]
    out += [
        _row(f"`{d.value}`", d.label, d.description, _names(d.countered_by))
        for d in rs.IsolationDriver
    ]
    out += ["", "## Strategies to rebuild connection", ""]
    out += [
        _row("Id", "Strategy", "What it asks", "Pillars it rebuilds"),
        _row("---", "---", "---", "---"),
    ]
    out += [_row(f"`{s.value}`", s.label, s.description, _names(s.pillars)) for s in rs.Strategy]
    return "\n".join(out) + "\n"


def _write(app: Sphinx) -> None:
    target = Path(app.srcdir) / "_generated" / "taxonomy.md"
    target.parent.mkdir(exist_ok=True)
    text = render()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "version": "1"}
