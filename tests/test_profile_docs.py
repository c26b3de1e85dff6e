"""docs/profiles.md stays true: its examples run and its constants match the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import resilience as rs
from resilience import _profiles as profiling
from resilience.builtin import rules as builtin
from resilience.model.network import ContactMode, Frequency

PAGE = Path(__file__).resolve().parent.parent / "docs" / "profiles.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 2


def test_every_built_in_rule_is_documented() -> None:
    for rule in builtin.BUILTIN_RULES:
        assert f"| `{rule.name}` |" in TEXT, rule.name


def _row(label: str) -> str:
    (line,) = [line for line in TEXT.splitlines() if line.startswith(f"  | {label} |")]
    return line


@pytest.mark.parametrize(
    ("label", "mode", "frequency"),
    [
        ("in person", ContactMode.IN_PERSON, Frequency.DAILY),
        ("call", ContactMode.CALL, Frequency.WEEKLY),
        ("message", ContactMode.MESSAGE, Frequency.MONTHLY),
        ("social media", ContactMode.SOCIAL_MEDIA, Frequency.RARELY),
    ],
)
def test_documented_contact_weights_match_the_code(
    label: str, mode: ContactMode, frequency: Frequency
) -> None:
    cells = [cell.strip() for cell in _row(label).split("|")]
    assert float(cells[2]) == builtin.MODE_WEIGHTS[mode]
    assert cells[4] == frequency.value
    assert float(cells[5]) == builtin.FREQUENCY_WEIGHTS[frequency]


def test_documented_constants_match_the_code() -> None:
    assert f"q = {builtin.MAX_QUALITY:g} × closeness" in TEXT
    assert f"gets {builtin.UNKNOWN_CONTACT:g}." in TEXT
    steps = ", ".join(f"{limit}:{factor:g}" for limit, factor in builtin.RECENCY_STEPS)
    assert steps == "30:1, 90:0.85, 365:0.6"
    assert f"longer {builtin.RECENCY_OLDER:g}" in TEXT
    assert f"not discounted ({builtin.RECENCY_UNKNOWN:.1f})" in TEXT
    assert f"at least {profiling.MOST_SIGNS} of the 7 signs" in TEXT
    assert '"often" reads 75' in TEXT
    for name, value in [
        ("WEIGHT_VALIDATED", 1.0),
        ("WEIGHT_VALIDATED_ITEMS", 0.75),
        ("WEIGHT_NETWORK", 1.0),
        ("WEIGHT_CHECKLIST", 0.5),
    ]:
        assert getattr(builtin, name) == value, name


def test_the_worked_network_examples() -> None:
    import datetime as dt

    on = dt.date(2026, 1, 5)

    def q(trust: int, safety: int, mode: ContactMode, frequency: Frequency) -> float:
        c = rs.Connection("x", rs.Relation.FRIEND, trust, safety, contact={mode: frequency})
        return builtin.connection_quality(c, on)

    assert q(5, 5, ContactMode.IN_PERSON, Frequency.WEEKLY) == pytest.approx(0.9)
    assert q(4, 4, ContactMode.IN_PERSON, Frequency.WEEKLY) == pytest.approx(0.675)
    assert q(2, 2, ContactMode.SOCIAL_MEDIA, Frequency.DAILY) == pytest.approx(0.045)
    assert round(100 * (1 - 0.955**10)) == 37
    assert round(builtin.UNTRUSTED_CEILING * (1 - 0.955**10), 1) == 3.7
    assert "support **90**" in TEXT
    assert "support **67.5**" in TEXT
    assert "≈ **3.7**" in TEXT
    assert f"at least {builtin.WEAKEST_CLOSE_TIE:.1f}" in TEXT
    assert f"squeezed into 0–{builtin.UNTRUSTED_CEILING:g}" in TEXT


def test_the_page_says_it_is_not_a_diagnosis() -> None:
    assert "It is not a diagnosis" in TEXT
    assert "House" in TEXT
    assert "Weiss" in TEXT
    assert "project's own design" in TEXT
