"""docs/plans.md stays true: its examples run, and its tables and constants match the code."""

from __future__ import annotations

import re
from pathlib import Path

import resilience as rs
from resilience import planning
from resilience.builtin.steps import TEMPLATES

PAGE = Path(__file__).resolve().parent.parent / "docs" / "plans.md"
TEXT = PAGE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 4


def test_every_built_in_template_is_documented() -> None:
    for template in TEMPLATES:
        assert f"`{template.id}`" in TEXT, template.id


def test_the_ladder_table_matches_the_plain_rungs() -> None:
    rows = {
        "reach out": rs.Strategy.REACH_OUT,
        "face to face": rs.Strategy.IN_PERSON,
        "open up first": rs.Strategy.BE_VULNERABLE_FIRST,
        "invest in people": rs.Strategy.INVEST_IN_RELATIONSHIPS,
        "seek support": rs.Strategy.SEEK_SUPPORT,
    }
    for label, strategy in rows.items():
        (line,) = [
            row
            for row in TEXT.splitlines()
            if row.startswith(f"| {label} |") and row.count("`") == 8
        ]
        documented = re.findall(r"`([^`]+)`", line)
        by_id = {t.id: t for t in TEMPLATES}
        assert [by_id[i].rung for i in documented] == [1, 2, 3, 4]
        assert [by_id[i].effort.level for i in documented] == [0, 1, 2, 3]
        assert all(by_id[i].strategy is strategy and not by_id[i].suits for i in documented)


def test_the_tailoring_table_matches_suits() -> None:
    for driver in rs.IsolationDriver:
        (line,) = [
            row for row in TEXT.splitlines() if row.startswith(f"| {driver.label.lower()} |")
        ]
        documented = set(re.findall(r"`([^`]+)`", line))
        assert documented == {t.id for t in TEMPLATES if driver in t.suits}, driver


def test_every_alternative_has_the_effort_of_its_rung() -> None:
    for template in TEMPLATES:
        assert template.effort.level == template.rung - 1, template.id


def test_documented_constants_match_the_code() -> None:
    assert f"`ROOM_TO_GROW` ({planning.ROOM_TO_GROW:g} of 100)" in TEXT
    assert f"`CYCLE_WEEKS` ({planning.CYCLE_WEEKS})" in TEXT
    assert f"`FOCUS_MOST` is {planning.FOCUS_MOST}" in TEXT
    assert f"`FOCUS_MARGIN` ({planning.FOCUS_MARGIN:g})" in TEXT
    assert f"`FEWEST_LADDERS` ({planning.FEWEST_LADDERS})" in TEXT
    assert f"`FIRST_WEEK_STEPS` ({planning.FIRST_WEEK_STEPS})" in TEXT
    quoted = " ".join(
        line.removeprefix("> ") for line in TEXT.splitlines() if line.startswith("> ")
    )
    assert quoted == planning.REFLECTION
    for place in ("a doctor or GP", "a local helpline", "a community centre", "support group"):
        assert place in TEXT
        assert place in planning.GENERAL_SUPPORT
