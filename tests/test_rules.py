"""Scoring rules: the built-in mapping, the network rule, plugin rules and rule faults."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import _profiles as profiling
from resilience.builtin import rules as builtin
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.errors import DuplicateRegistrationError
from resilience.model.network import ContactMode, Frequency, Relation
from resilience.testing import strategies as rst

ENGINE = rs.Engine(load_installed=False)
NOW = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)
P, C = rs.Pillar, rs.Capacity


def profile_of(answers: Mapping[str, Mapping[str, int]], engine: rs.Engine = ENGINE):
    return engine.profile(rs.Assessment("p-1", NOW, answers))


def targets_of(rule: str, profile: rs.ResilienceProfile) -> dict[object, float]:
    """Total weight per target that one rule contributed."""
    found: dict[object, float] = {}
    for c in profile.explanation:
        if c.rule == rule:
            found[c.target] = found.get(c.target, 0.0) + c.weight
    return found


def extreme_answers(instrument: rs.Instrument, best: bool) -> dict[str, int | float]:
    """The answers that make every item as strong (or as weak) as the scale allows."""
    key_answers = {}
    for item in instrument.items:
        values = instrument.scale_of(item).values
        keyed = {
            v: ENGINE.score(instrument.id, _fill(instrument, item.id, v)).items[item.id]
            for v in values
        }
        strong = max if best == instrument.higher_is_better else min
        key_answers[item.id] = strong(values, key=lambda v: keyed[v])
    return key_answers


def _fill(instrument: rs.Instrument, item_id: str, value: int | float) -> dict[str, int | float]:
    answers = {item.id: instrument.scale_of(item).values[0] for item in instrument.items}
    answers[item_id] = value
    return answers


# -- registration ----------------------------------------------------------------------


def test_the_built_in_rules_are_registered_by_the_built_in_plugin() -> None:
    assert set(ENGINE.rules) == {rule.name for rule in builtin.BUILTIN_RULES}
    (info,) = [p for p in ENGINE.plugins() if p.name == "resilience.builtin.rules"]
    assert info.builtin
    assert set(info.registered["rules"]) == set(ENGINE.rules)
    for rule in ENGINE.rules.values():
        assert rule.version
        assert len(rule.description) > 40


# -- the instrument mapping -------------------------------------------------------------

#: The documented mapping: rule -> {target: total weight with every item answered}.
MAPPING: dict[str, dict[object, float]] = {
    "ucla-3": {P.BELONGING: 1.0, P.CO_REGULATION: 1.0},
    "djg-6": {P.CO_REGULATION: 1.0, P.BELONGING: 1.0},
    "mspss": {P.CO_REGULATION: 1.0, P.BELONGING: 1.0, P.PRACTICAL_SUPPORT: 1.0},
    "lsns-6": {P.BELONGING: 0.75, P.VALIDATION: 0.75, P.CO_REGULATION: 0.75,
               P.PRACTICAL_SUPPORT: 0.75},
    "brs": {C.RECOVER: 1.0, C.GROUNDED: 0.5},
    "resilience-capacities": dict.fromkeys(C, 0.5),
    "connection-signs": {**dict.fromkeys(P, 0.5), **dict.fromkeys(C, 0.5)},
}  # fmt: skip


@pytest.mark.parametrize("instrument", BUILTIN_INSTRUMENTS, ids=lambda i: i.id)
def test_each_instrument_speaks_to_its_documented_targets(instrument: rs.Instrument) -> None:
    profile = profile_of({instrument.id: extreme_answers(instrument, best=True)})
    weights = targets_of(instrument.id, profile)
    assert weights == pytest.approx(MAPPING[instrument.id])
    # No other rule spoke: an instrument's evidence flows through its own rule only.
    assert {c.rule for c in profile.explanation} == {instrument.id}


@pytest.mark.parametrize("instrument", BUILTIN_INSTRUMENTS, ids=lambda i: i.id)
def test_scores_are_normalised_over_the_declared_range(instrument: rs.Instrument) -> None:
    best = profile_of({instrument.id: extreme_answers(instrument, best=True)})
    worst = profile_of({instrument.id: extreme_answers(instrument, best=False)})
    assert {c.value for c in best.explanation} == {100.0}
    assert {c.value for c in worst.explanation} == {0.0}


def test_validated_scales_weigh_more_than_the_projects_checklists() -> None:
    checklists = {"connection-signs", "resilience-capacities"}
    for rule, weights in MAPPING.items():
        limit = builtin.WEIGHT_CHECKLIST
        for weight in weights.values():
            if rule in checklists:
                assert weight <= limit
            else:
                assert weight > limit or rule == "brs"  # BRS's partial reading of GROUNDED
    assert builtin.WEIGHT_VALIDATED > builtin.WEIGHT_VALIDATED_ITEMS > builtin.WEIGHT_CHECKLIST


def test_ucla_3_reads_overall_loneliness() -> None:
    profile = profile_of({"ucla-3": {"ucla-1": 2, "ucla-2": 1, "ucla-3": 1}})
    (belonging,) = profile.explain(P.BELONGING)
    assert belonging.value == pytest.approx(100 * (1 - 1 / 6))
    assert belonging.inputs == {"total": 4.0, "min": 3.0, "max": 9.0}
    assert "UCLA-3 total 4 of 3–9" in belonging.reason


def test_djg_6_splits_emotional_and_social_loneliness() -> None:
    # Emotional items all "no" (not lonely), social items all "no" (lonely).
    answers = {"djg-1": 1, "djg-2": 1, "djg-3": 1, "djg-4": 1, "djg-5": 1, "djg-6": 1}
    profile = profile_of({"djg-6": answers})
    assert profile.pillars[P.CO_REGULATION].strength == 100.0
    assert profile.pillars[P.BELONGING].strength == 0.0


def test_djg_6_total_stands_in_for_a_missing_subscale() -> None:
    answers = {"djg-1": 1, "djg-2": 3, "djg-3": 3, "djg-4": 1, "djg-5": 3, "djg-6": None}
    profile = profile_of({"djg-6": answers})
    (co_regulation,) = profile.explain(P.CO_REGULATION)
    assert co_regulation.weight == 0.5
    assert "stands in" in co_regulation.reason
    (belonging,) = profile.explain(P.BELONGING)
    assert belonging.weight == 1.0


def test_mspss_subscales() -> None:
    answers = {f"mspss-{i}": 7 for i in (1, 2, 5, 10)}
    answers.update({f"mspss-{i}": 1 for i in (3, 4, 8, 11)})
    answers.update({f"mspss-{i}": 4 for i in (6, 7, 9, 12)})
    profile = profile_of({"mspss": answers})
    assert profile.pillars[P.CO_REGULATION].strength == 100.0
    assert profile.pillars[P.BELONGING].strength == pytest.approx(25.0)  # (0 + 50) / 2
    assert profile.pillars[P.PRACTICAL_SUPPORT].strength == pytest.approx(25.0)
    assert profile.pillars[P.VALIDATION].strength is None


def test_lsns_6_item_pairs() -> None:
    answers = {"lsns-1": 5, "lsns-2": 0, "lsns-3": 2, "lsns-4": 3, "lsns-5": 1, "lsns-6": 4}
    profile = profile_of({"lsns-6": answers})
    assert profile.pillars[P.BELONGING].strength == pytest.approx(80.0)
    assert profile.pillars[P.VALIDATION].strength == pytest.approx(10.0)
    assert profile.pillars[P.CO_REGULATION].strength == pytest.approx(10.0)
    assert profile.pillars[P.PRACTICAL_SUPPORT].strength == pytest.approx(60.0)


def test_brs_speaks_to_recovery_first() -> None:
    profile = profile_of({"brs": {f"brs-{i}": 4 if i % 2 else 2 for i in range(1, 7)}})
    assert profile.capacities[C.RECOVER].strength == pytest.approx(75.0)
    assert profile.capacities[C.RECOVER].evidence == 1.0
    assert profile.capacities[C.GROUNDED].evidence == 0.5
    assert profile.capacities[C.HOPE].strength is None


def test_connection_signs_follow_the_taxonomy_links() -> None:
    sign = rs.IsolationSign.RELIES_ONLY_ON_SELF
    answers = {s.value: 0 for s in rs.IsolationSign}
    answers[sign.value] = 4
    profile = profile_of({"connection-signs": answers})
    from_sign = [c for c in profile.explanation if sign.value in c.inputs]
    assert {c.target for c in from_sign} == set(sign.pillars) | set(sign.capacities)
    assert all(c.value == 0.0 for c in from_sign)
    assert all(c.value == 100.0 for c in profile.explanation if c not in from_sign)
    (practical,) = [c for c in from_sign if c.target == P.PRACTICAL_SUPPORT]
    assert practical.weight == pytest.approx(0.5 / len(P.PRACTICAL_SUPPORT.signs))


def test_resilience_capacities_item_by_item() -> None:
    answers = {c.value: v for c, v in zip(C, (1, 2, 3, 4, 5), strict=True)}
    profile = profile_of({"resilience-capacities": answers})
    assert [profile.capacities[c].strength for c in C] == [0.0, 25.0, 50.0, 75.0, 100.0]


@settings(max_examples=50, deadline=None)
@given(rst.assessments())
def test_built_in_rules_never_fault_on_valid_assessments(a: rs.Assessment) -> None:
    scores = ENGINE.score_all(a)
    for rule in builtin.BUILTIN_RULES:
        for contribution in rule.function(a, scores):
            assert contribution.rule == rule.name
            assert 0.0 <= contribution.value <= 100.0
            assert contribution.weight > 0.0


@settings(max_examples=50, deadline=None)
@given(rst.assessments(), st.frozensets(st.sampled_from(list(rs.IsolationDriver))))
def test_no_built_in_rule_reads_the_drivers(
    a: rs.Assessment, drivers: frozenset[rs.IsolationDriver]
) -> None:
    scores = ENGINE.score_all(a)
    changed = rs.Assessment(a.person_id, a.taken_at, a.answers, a.network, drivers)
    for rule in builtin.BUILTIN_RULES:
        assert list(rule.function(a, scores)) == list(rule.function(changed, scores))


# -- the network rule ------------------------------------------------------------------


def tie(alias: str, **changes: object) -> rs.Connection:
    values: dict[str, object] = {
        "relation": Relation.FRIEND,
        "trust": 5,
        "safety": 5,
        "pillars": {P.BELONGING},
        "contact": {ContactMode.IN_PERSON: Frequency.WEEKLY},
    }
    values.update(changes)
    return rs.Connection(alias, **values)  # type: ignore[arg-type]


def test_contact_modes_rank_from_in_person_to_social_media() -> None:
    on = NOW.date()
    qualities = [
        builtin.connection_quality(tie("x", contact={mode: Frequency.WEEKLY}), on)
        for mode in ContactMode
    ]
    assert qualities == sorted(qualities, reverse=True)
    assert len(set(qualities)) == len(qualities)
    # The richest mode counts, not the sum of modes.
    both = tie("x", contact={ContactMode.IN_PERSON: Frequency.WEEKLY,
                             ContactMode.SOCIAL_MEDIA: Frequency.DAILY})  # fmt: skip
    assert builtin.connection_quality(both, on) == qualities[0]


@settings(max_examples=100, deadline=None)
@given(rst.connections(), st.dates())
def test_a_ties_quality_stays_below_one(connection: rs.Connection, on: dt.date) -> None:
    q = builtin.connection_quality(connection, on)
    assert 0.0 <= q <= builtin.MAX_QUALITY < 1.0


@settings(max_examples=60, deadline=None)
@given(rst.support_networks(), st.sampled_from(list(P)))
def test_the_network_rule_is_a_noisy_or(network: rs.SupportNetwork, pillar: rs.Pillar) -> None:
    # Changed with the quality-over-quantity ceiling: untrusted ties (trust 2 or less) are a
    # pool of their own, squeezed below UNTRUSTED_CEILING.
    a = rs.Assessment("p", NOW, {}, network=network)
    (part,) = [c for c in builtin.NETWORK_RULE.function(a, {}) if c.target == pillar]
    ties = [c for c in network.connections if pillar in c.pillars]
    held = [builtin.connection_quality(c, NOW.date()) for c in ties if c.trust > 2]
    thin = [builtin.connection_quality(c, NOW.date()) for c in ties if c.trust <= 2]
    a_held = 1 - math.prod(1 - q for q in held)
    b_thin = builtin.UNTRUSTED_CEILING / 100 * (1 - math.prod(1 - q for q in thin))
    assert part.value == pytest.approx(100 * (1 - (1 - a_held) * (1 - b_thin)), abs=1e-9)
    assert part.inputs["ties"] == len(ties)
    assert part.weight == builtin.WEIGHT_NETWORK


def test_diminishing_returns_on_the_number_of_ties() -> None:
    def belonging(n: int) -> float:
        network = rs.SupportNetwork(tuple(tie(f"t{i}", trust=4, safety=4) for i in range(n)))
        return builtin.pillar_coverage(network, NOW.date())[P.BELONGING]

    readings = [belonging(n) for n in range(6)]
    gains = [b - a for a, b in itertools.pairwise(readings)]
    assert readings[0] == 0.0
    assert all(g > 0 for g in gains)
    assert gains == sorted(gains, reverse=True)
    assert all(r < 100.0 for r in readings)


def test_no_network_means_no_network_evidence() -> None:
    a = rs.Assessment("p", NOW, {})
    assert list(builtin.NETWORK_RULE.function(a, {})) == []


# -- plugin rules ----------------------------------------------------------------------


def constant_rule(name: str, target: rs.Pillar | rs.Capacity, value: float, version: str = "1"):
    def function(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
        return [rs.Contribution(name, version, target, value, 1.0, {"constant": value}, "fixed")]

    return rs.ScoringRule(name, version, f"always {value}", function)


class AddsARule:
    @rs.hookimpl
    def resilience_register_scoring_rules(self, register):  # type: ignore[no-untyped-def]
        register(constant_rule("journal", P.VALIDATION, 40.0))


class ReplacesUcla:
    @rs.hookimpl
    def resilience_register_scoring_rules(self, register):  # type: ignore[no-untyped-def]
        register(constant_rule("ucla-3", P.VALIDATION, 10.0, version="9"), replace=True)


class ClashesWithUcla:
    @rs.hookimpl
    def resilience_register_scoring_rules(self, register):  # type: ignore[no-untyped-def]
        register(constant_rule("ucla-3", P.VALIDATION, 10.0))


def plugin_name(plugin: object) -> str:
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


UCLA = {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}}


def test_a_plugin_rule_adds_contributions() -> None:
    engine = rs.Engine(load_installed=False, plugins=[AddsARule()])
    profile = profile_of(UCLA, engine)
    (journal,) = profile.explain(P.VALIDATION)
    assert journal.rule == "journal"
    assert profile.pillars[P.VALIDATION].strength == 40.0
    assert targets_of("ucla-3", profile) == MAPPING["ucla-3"]  # the built-ins still run


def test_a_plugin_replaces_a_built_in_rule_on_purpose() -> None:
    engine = rs.Engine(load_installed=False, plugins=[ReplacesUcla()])
    assert engine.rules["ucla-3"].version == "9"
    profile = profile_of(UCLA, engine)
    assert [c.rule_version for c in profile.explanation] == ["9"]
    assert profile.pillars[P.BELONGING].strength is None
    assert profile.pillars[P.VALIDATION].strength == 10.0


def test_two_rules_with_one_name_is_an_error_naming_both_plugins() -> None:
    plugin = ClashesWithUcla()
    with pytest.raises(DuplicateRegistrationError) as caught:
        rs.Engine(load_installed=False, plugins=[plugin])
    message = str(caught.value)
    assert "resilience.builtin.rules" in message
    assert plugin_name(plugin) in message
    assert "replace=True" in message


# -- rule faults -----------------------------------------------------------------------


def _out_of_range(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    c = rs.Contribution("faulty", "1", P.BELONGING, 50.0, 1.0)
    object.__setattr__(c, "value", 140.0)  # a plugin that slipped past the validators
    return [c]


def _negative(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    c = rs.Contribution("faulty", "1", P.BELONGING, 50.0, 1.0)
    object.__setattr__(c, "weight", -1.0)
    return [c]


def _not_finite(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    c = rs.Contribution("faulty", "1", P.BELONGING, 50.0, 1.0)
    object.__setattr__(c, "value", math.nan)
    return [c]


def _bad_target(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    c = rs.Contribution("faulty", "1", P.BELONGING, 50.0, 1.0)
    object.__setattr__(c, "target", "belonging")
    return [c]


def _raises(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    raise ZeroDivisionError("oops")


def _builds_out_of_range(assessment: rs.Assessment, scores: object) -> list[rs.Contribution]:
    return [rs.Contribution("faulty", "1", P.BELONGING, 120.0, 1.0)]


FAULTS = {
    "raises": (_raises, "ZeroDivisionError: oops"),
    "value out of range": (_builds_out_of_range, "outside 0–100"),
    "slipped out of range": (_out_of_range, "value 140.0, outside 0–100"),
    "negative weight": (_negative, "negative weight"),
    "not finite": (_not_finite, "not finite"),
    "not a target": (_bad_target, "not a Pillar or Capacity"),
    "returns None": (lambda a, s: None, "expected an iterable of Contribution"),
    "returns a number": (lambda a, s: 3, "TypeError"),
    "returns strings": (lambda a, s: ["x"], "returned str"),
    "wrong stamp": (
        lambda a, s: [rs.Contribution("other", "1", P.BELONGING, 50.0, 1.0)],
        "must carry the rule's own name 'faulty'",
    ),
    "wrong version": (
        lambda a, s: [rs.Contribution("faulty", "2", P.BELONGING, 50.0, 1.0)],
        "version '1'",
    ),
}


@pytest.mark.parametrize("fault", FAULTS, ids=str)
def test_a_faulty_plugin_rule_stops_the_profile_and_names_rule_and_plugin(fault: str) -> None:
    function, expected = FAULTS[fault]

    class FaultyPlugin:
        @rs.hookimpl
        def resilience_register_scoring_rules(self, register):  # type: ignore[no-untyped-def]
            register(rs.ScoringRule("faulty", "1", "breaks", function))

    plugin = FaultyPlugin()
    engine = rs.Engine(load_installed=False, plugins=[plugin])
    with pytest.raises(rs.ScoringRuleError) as caught:
        profile_of(UCLA, engine)
    error = caught.value
    assert error.rule == "faulty"
    assert error.plugin == plugin_name(plugin)
    assert "scoring rule 'faulty'" in str(error)
    assert plugin_name(plugin) in str(error)
    assert expected in str(error)
    assert "not built" in str(error)
    assert isinstance(error, rs.ResilienceError)


def test_build_profile_names_the_plugin_from_the_mapping() -> None:
    rule = rs.ScoringRule("faulty", "1", "breaks", _raises)
    a = rs.Assessment("p", NOW, {})
    with pytest.raises(rs.ScoringRuleError, match=r"\(plugin acme\)") as caught:
        profiling.build_profile(a, {}, {"faulty": rule}, instruments={}, plugins={"faulty": "acme"})
    assert isinstance(caught.value.__cause__, ZeroDivisionError)
    with pytest.raises(rs.ScoringRuleError) as unnamed:
        profiling.build_profile(a, {}, {"faulty": rule}, instruments={})
    assert unnamed.value.plugin is None


def test_a_generator_rule_that_fails_midway_is_reported() -> None:
    def halfway(assessment: rs.Assessment, scores: object):  # type: ignore[no-untyped-def]
        yield rs.Contribution("halfway", "1", P.BELONGING, 50.0, 1.0)
        raise KeyError("lsns-9")

    rule = rs.ScoringRule("halfway", "1", "breaks halfway", halfway)
    with pytest.raises(rs.ScoringRuleError, match="KeyError"):
        profiling.build_profile(rs.Assessment("p", NOW, {}), {}, {"halfway": rule}, instruments={})


def test_a_replaced_instrument_with_another_scale_needs_a_replaced_rule() -> None:
    # A host that swaps the capacities checklist for a 0–10 version, keeping the built-in
    # rule: the rule refuses loudly instead of clamping.
    from resilience.builtin.instruments.capacities import RESILIENCE_CAPACITIES

    scale = rs.ResponseScale("zero-ten", tuple(rs.ResponseOption(v, f"o{v}") for v in range(11)))
    wider = rs.Instrument(
        id="resilience-capacities",
        name="wider",
        version="2",
        items=RESILIENCE_CAPACITIES.items,
        scale=scale,
        method=rs.ScoringMethod.MEAN,
        missing=rs.MissingPolicy(max_missing=1),
    )

    class Wider:
        @rs.hookimpl
        def resilience_register_instruments(self, register):  # type: ignore[no-untyped-def]
            register(wider, replace=True)

    engine = rs.Engine(load_installed=False, plugins=[Wider()])
    with pytest.raises(rs.ScoringRuleError, match="replace the rule too") as caught:
        profile_of({"resilience-capacities": {c.value: 9 for c in C}}, engine)
    assert caught.value.plugin == "resilience.builtin.rules"


@pytest.mark.parametrize("rule", builtin.BUILTIN_RULES, ids=lambda r: r.name)
def test_built_in_rules_pass_the_contract_checker_plugin_authors_use(rule: rs.ScoringRule) -> None:
    from resilience.testing import check_scoring_rule

    check_scoring_rule(rule, max_examples=25)
