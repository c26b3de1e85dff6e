"""One runner for every Python example in the docs and the README.

Each page's ```python blocks run in order in one namespace (a later block may use what an
earlier one made, as a reader would), in a fresh working directory, with warnings as
errors. A new page is covered the moment it is written: nothing here lists pages by hand.
Docstring examples run separately, as doctests (``--doctest-modules``).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    page
    for page in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    if "_build" not in page.parts
)
# The plugin guide tests the example plugin that ships in the repository, as its author would.
EXAMPLE_PLUGIN = ROOT / "examples" / "plugins" / "resilience-example-plugin" / "src"
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def python_blocks(page: Path) -> list[str]:
    """The ```python blocks of a Markdown page, in order."""
    return FENCE.findall(page.read_text(encoding="utf-8"))


PAGES_WITH_CODE = [page for page in PAGES if python_blocks(page)]


def test_the_runner_finds_the_pages_with_examples() -> None:
    names = {page.name for page in PAGES_WITH_CODE}
    assert {"README.md", "plans.md", "profiles.md", "storage.md", "fhir.md"} <= names


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_python_example_on_the_page_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # examples may create files, e.g. a SQLite store
    monkeypatch.syspath_prepend(str(EXAMPLE_PLUGIN))
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for number, block in enumerate(python_blocks(page)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(block, f"{page.name}[{number}]", "exec"), namespace)
