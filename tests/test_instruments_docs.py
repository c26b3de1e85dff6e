"""The code on docs/instruments.md runs, and the page covers every built-in instrument."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import resilience as rs

PAGE = Path(__file__).resolve().parent.parent / "docs" / "instruments.md"
TEXT = PAGE.read_text(encoding="utf-8")
FLAT = " ".join(TEXT.split())  # prose is wrapped; labels may span lines
# LSNS-6 and MSPSS items are described by pattern and number on the page, not one by one.
LISTED_BY_LABEL = {"ucla-3", "brs", "djg-6"}
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.DOTALL)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize(
    "instrument", rs.Engine(load_installed=False).instruments.values(), ids=lambda i: i.id
)
def test_every_instrument_has_a_section_with_its_citation(instrument: rs.Instrument) -> None:
    assert f"### `{instrument.id}`" in TEXT
    if instrument.citation is not None and instrument.citation.doi:
        assert instrument.citation.doi in TEXT
    for item in instrument.items:
        if instrument.id in LISTED_BY_LABEL:
            assert item.label in FLAT


def test_the_page_says_the_checklists_are_not_validated_screening_tools() -> None:
    assert "They are not validated screening tools" in TEXT
