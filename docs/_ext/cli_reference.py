"""Writes the command-line reference from the ``resilience`` argument parser itself.

The page can never drift from the command: every command's help is what ``--help``
prints, generated when the docs are built (and compared by the test suite).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from resilience import cli

#: How the reference names the default store (the real path depends on the machine).
DEFAULT_STORE = "the per-user file resilience.db (~/.local/share/resilience on Linux)"
WIDTH = "88"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render() -> str:
    """The reference as MyST markdown: the overview, the exit codes, then every command."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH  # argparse wraps to the terminal; the page has one width
    try:
        parser = cli.build_parser(default_store=DEFAULT_STORE)
        out = ["## Overview", "", "```text", parser.format_help().rstrip(), "```", ""]
        out += ["## Exit status", "", "| Status | Meaning |", "| --- | --- |"]
        out += [f"| {code} | {meaning} |" for code, meaning in cli.EXIT_CODES.items()]
        out.append("")
        for name, command in _commands(parser).items():
            out += [f"## resilience {name}", "", "```text", command.format_help().rstrip()]
            out += ["```", ""]
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return "\n".join(out)


def _write(app: Sphinx) -> None:
    target = Path(app.srcdir) / "_generated" / "cli.md"
    target.parent.mkdir(exist_ok=True)
    text = render()
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generator with Sphinx."""
    app.connect("builder-inited", _write)
    return {"parallel_read_safe": True, "version": "1"}
