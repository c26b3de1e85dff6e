"""Docs and tests stay true to the hooks: every hook is documented and tested.

A hook without a heading carrying its exact signature in ``docs/plugins.md``, or without a
test that mentions it, fails here.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from resilience import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "plugins.md"
TESTS = Path(__file__).resolve().parent


def _specs() -> dict[str, object]:
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return {
        name: value
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, marker)
    }


SPECS = _specs()


def _signature(name: str) -> str:
    params = inspect.signature(SPECS[name]).parameters  # type: ignore[arg-type]
    return f"{name}({', '.join(params)})"


def test_hook_names_lists_every_spec() -> None:
    assert len(SPECS) == 8
    assert set(hookspecs.HOOK_NAMES) == set(SPECS)
    assert set(hookspecs.HOOK_NAMES) <= set(hookspecs.__all__)


@pytest.mark.parametrize("name", hookspecs.HOOK_NAMES)
def test_every_hook_has_a_heading_with_its_exact_signature(name: str) -> None:
    headings = re.findall(r"^## `([^`]+)`\s*$", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert _signature(name) in headings, f"docs/plugins.md needs: ## `{_signature(name)}`"


def test_no_heading_documents_a_hook_that_does_not_exist() -> None:
    headings = re.findall(r"^## `(resilience_\w+)\(", DOCS.read_text(encoding="utf-8"), re.M)
    assert set(headings) == set(SPECS)


@pytest.mark.parametrize("name", hookspecs.HOOK_NAMES)
def test_every_hook_is_tested(name: str) -> None:
    # A mention is not enough: some test must implement the hook in a plugin of its own.
    implemented = re.compile(rf"^\s*def {name}\(", re.MULTILINE)
    implementing = [
        path.name
        for path in TESTS.rglob("test_*.py")
        if path.name != Path(__file__).name and implemented.search(path.read_text("utf-8"))
    ]
    assert implementing, f"no test in tests/ implements {name} in a plugin"


@pytest.mark.parametrize("name", hookspecs.HOOK_NAMES)
def test_every_spec_says_what_when_and_how_results_combine(name: str) -> None:
    doc = inspect.getdoc(SPECS[name]) or ""
    assert "When:" in doc
    assert "Combining:" in doc
    assert "Example:" in doc
