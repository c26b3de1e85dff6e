"""The Engine: wiring of plugins into scoring, profiles, plans, serialisation and storage."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience._scoring import score as score_directly
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.builtin.references import LIU_2023
from resilience.errors import StorageError, UnknownBackendError
from resilience.storage import open_store
from resilience.testing import engine_with
from resilience.testing import strategies as rst

UTC = dt.timezone.utc
SOON = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _rule(name: str, target: Any, value: float, weight: float = 1.0) -> rs.ScoringRule:
    def function(assessment: rs.Assessment, scores: Any) -> list[rs.Contribution]:
        return [rs.Contribution(name, "1", target, value, weight)]

    return rs.ScoringRule(name, "1", f"always {value}", function)


class RulePlugin:
    """Registers one scoring rule."""

    def __init__(self, rule: rs.ScoringRule) -> None:
        self.rule = rule

    @rs.hookimpl
    def resilience_register_scoring_rules(self, register: Any) -> None:
        register(self.rule)


_ENGINE = rs.Engine(load_installed=False)

# -- scoring -------------------------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_scores_exactly_like_the_scorer(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(BUILTIN_INSTRUMENTS))
    answers = data.draw(rst.answers_for(instrument))
    assert _ENGINE.score(instrument.id, answers) == score_directly(instrument, answers)


def test_unknown_instrument_names_the_known_ones() -> None:
    with pytest.raises(rs.UnknownInstrumentError, match="known: brs, connection-signs"):
        _ENGINE.score("phq-9", {})
    with pytest.raises(rs.UnknownInstrumentError):
        _ENGINE.wording("phq-9")


def test_score_all_scores_every_answered_instrument() -> None:
    assessment = rs.Assessment(
        "p",
        SOON,
        {
            "ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1},
            "brs": {f"brs-{n}": 3 for n in range(1, 7)},
        },
    )
    scores = _ENGINE.score_all(assessment)
    assert sorted(scores) == ["brs", "ucla-3"]
    assert scores["ucla-3"].total == 3.0


def test_wording_falls_back_to_the_language_and_explains_missing_wording() -> None:
    engine = rs.Engine(load_installed=False, locale="en-NZ")
    assert engine.wording("resilience-capacities").locale == "en"
    with pytest.raises(rs.WordingNotFoundError, match="resilience_register_wording"):
        engine.wording("ucla-3")


# -- profiles ------------------------------------------------------------------------------


def test_plugin_rules_feed_the_profile_and_its_explanation() -> None:
    engine = engine_with(RulePlugin(_rule("steady", rs.Pillar.VALIDATION, 40.0)))
    profile = engine.profile(rs.Assessment("p", SOON, {}))
    assert profile.pillars[rs.Pillar.VALIDATION].strength == 40.0
    assert [c.rule for c in profile.explain(rs.Pillar.VALIDATION)] == ["steady"]


def test_a_raising_rule_is_named_with_its_plugin() -> None:
    def broken(assessment: rs.Assessment, scores: Any) -> list[rs.Contribution]:
        raise ZeroDivisionError("no data")

    engine = engine_with(RulePlugin(rs.ScoringRule("fragile", "1", "", broken)))
    with pytest.raises(rs.ScoringRuleError, match="fragile") as caught:
        engine.profile(rs.Assessment("p", SOON, {}))
    assert "RulePlugin" in str(caught.value)


_FIRST = RulePlugin(_rule("first", rs.Pillar.BELONGING, 10.0, 0.3))
_SECOND = RulePlugin(_rule("second", rs.Pillar.BELONGING, 90.0, 0.7))
_FORWARD = engine_with(_FIRST, _SECOND)
_BACKWARD = engine_with(_SECOND, _FIRST)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessment=rst.assessments())
def test_profiles_do_not_depend_on_the_order_plugins_are_given(
    assessment: rs.Assessment,
) -> None:
    assert _FORWARD.profile(assessment) == _BACKWARD.profile(assessment)


# -- plans and support resources -----------------------------------------------------------

HELPLINE = rs.SupportResource("Listening line", "A trained volunteer", "0800 000", "helpline")


class Helpline:
    @rs.hookimpl
    def resilience_support_resources(self, locale: str) -> list[rs.SupportResource]:
        return [attrs.evolve(HELPLINE, locale=locale)]


def test_plan_points_to_the_support_resources_plugins_offer() -> None:
    engine = engine_with(Helpline(), locale="en-GB")
    profile = rs.ResilienceProfile(
        "p", SOON, {}, {}, flags={rs.Flag.SUPPORT_ADVISED}, flag_reasons=("test",)
    )
    plan = engine.plan(profile, today=dt.date(2026, 3, 2))
    assert attrs.evolve(HELPLINE, locale="en-GB") in plan.resources
    plan_nl = engine.plan(profile, today=dt.date(2026, 3, 2), locale="nl")
    assert attrs.evolve(HELPLINE, locale="nl") in plan_nl.resources


def test_plan_draws_on_templates_plugins_register() -> None:
    template = rs.StepTemplate(
        "plugin/wave-hello",
        rs.Strategy.REACH_OUT,
        1,
        rs.Effort.TINY,
        "Wave hello to a neighbour.",
        approach=rs.Approach.MORE_CONTACT,
        techniques=("8.7",),
        references=(LIU_2023,),
    )

    class Steps:
        @rs.hookimpl
        def resilience_register_plan_steps(self, register: Any) -> None:
            register(template)

    engine = engine_with(Steps())
    assert engine.plugins()[-1].registered["templates"] == ("plugin/wave-hello",)
    profile = engine.profile(
        rs.Assessment("p", SOON, {"ucla-3": {"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}})
    )
    plan = engine.plan(profile, today=dt.date(2026, 3, 2))
    assert plan.person_id == "p"
    assert plan.steps


# -- serialisation -------------------------------------------------------------------------


def test_to_json_and_from_json_round_trip_with_indent() -> None:
    score = _ENGINE.score("ucla-3", {"ucla-1": 2, "ucla-2": 1, "ucla-3": 3})
    text = _ENGINE.to_json(score, indent=2)
    assert "\n  " in text
    assert json.loads(text)["total"] == 6.0
    assert _ENGINE.from_json(text, rs.InstrumentScore) == score


# -- storage -------------------------------------------------------------------------------


def test_store_is_opened_lazily_with_registered_backends() -> None:
    engine = rs.Engine(store="mongodb://db/app", load_installed=False)  # no error yet
    with pytest.raises(UnknownBackendError, match="mongodb"):
        _ = engine.store


def test_plugin_backend_gets_the_url_and_the_engines_converter() -> None:
    seen: list[tuple[str, Any]] = []

    class Acme:
        @rs.hookimpl
        def resilience_register_storage_backends(self, register: Any) -> None:
            def factory(url: str, *, converter: Any = None) -> Any:
                seen.append((url, converter))
                return open_store("memory://", converter=converter)

            register("acme", factory)

    with engine_with(Acme(), store="acme://somewhere") as engine:
        assert engine.store is engine.store  # opened once
        assert engine.store.history("nobody") == []
    assert seen == [("acme://somewhere", engine.converter)]


def test_engine_closes_a_store_it_opened(tmp_path: Path) -> None:
    with rs.Engine(store=tmp_path / "people.db", load_installed=False) as engine:
        store = engine.store
        store.append(rs.Assessment("p", SOON, {}))
    with pytest.raises(StorageError, match="closed"):
        store.history("p")
    with rs.Engine(store=f"sqlite:///{tmp_path / 'people.db'}", load_installed=False) as again:
        assert len(again.store.history("p")) == 1


def test_engine_leaves_a_store_it_was_given_open() -> None:
    with open_store("memory://") as store:
        with rs.Engine(store=store, load_installed=False) as engine:
            assert engine.store is store
        assert store.history("p") == []  # still open
