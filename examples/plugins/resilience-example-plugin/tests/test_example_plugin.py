"""Tests of the example plugin, written the way a plugin author would write them.

They use the kit in ``resilience.testing``: ``engine_with`` builds an engine with the
built-ins and only this plugin (whatever else is installed), and ``check_scoring_rule``
checks the rule's contract on assessments hypothesis generates.
"""

from __future__ import annotations

import datetime as dt

import pytest
import resilience_example_plugin as plugin

import resilience as rs
from resilience.testing import check_scoring_rule, engine_with


@pytest.fixture
def engine() -> rs.Engine:
    return engine_with(plugin)


def test_registers_instrument_wording_and_rule(engine: rs.Engine) -> None:
    assert engine.instruments["weekly-connection"] is plugin.WEEKLY_CONNECTION
    assert engine.wording("weekly-connection", "en-GB") is plugin.WEEKLY_CONNECTION_EN
    assert engine.rules["weekly-connection"] is plugin.WEEKLY_CONNECTION_RULE


def test_scores_and_bands(engine: rs.Engine) -> None:
    answers = {
        "talked-openly": 4,
        "met-in-person": 3,
        "could-ask-for-help": 2,
        "part-of-something": 1,
    }
    score = engine.score("weekly-connection", answers)
    assert (score.total, score.band) == (10.0, "some-connection")


def test_one_missing_statement_is_prorated(engine: rs.Engine) -> None:
    score = engine.score(
        "weekly-connection",
        {"talked-openly": 4, "met-in-person": 4, "could-ask-for-help": 4},
    )
    assert score.total == 16.0
    assert score.missing == ("part-of-something",)


def test_rule_feeds_the_profile(engine: rs.Engine) -> None:
    assessment = rs.Assessment(
        "p-1",
        dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc),
        {
            "weekly-connection": {
                "talked-openly": 1,
                "met-in-person": 4,
                "could-ask-for-help": 4,
                "part-of-something": 4,
            }
        },
    )
    profile = engine.profile(assessment)
    assert profile.pillars[rs.Pillar.BELONGING].strength == 100.0
    assert profile.pillars[rs.Pillar.CO_REGULATION].strength == 0.0
    assert {c.rule for c in profile.explain(rs.Pillar.BELONGING)} == {"weekly-connection"}


def test_rule_keeps_the_scoring_rule_contract() -> None:
    check_scoring_rule(plugin.WEEKLY_CONNECTION_RULE, instruments=[plugin.WEEKLY_CONNECTION])
