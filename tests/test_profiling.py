"""Profiles: the aggregation contract, determinism, monotonicity, signs, network and flags."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import _profiles as profiling
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.builtin.rules import BUILTIN_RULES
from resilience.model.network import ContactMode, Frequency, Relation
from resilience.testing import strategies as rst

ENGINE = rs.Engine(load_installed=False)
NOW = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)
TARGETS = (*rs.Pillar, *rs.Capacity)


def strength(profile: rs.ResilienceProfile, target: rs.Pillar | rs.Capacity) -> float | None:
    if isinstance(target, rs.Pillar):
        return profile.pillars[target].strength
    return profile.capacities[target].strength


def evidence(profile: rs.ResilienceProfile, target: rs.Pillar | rs.Capacity) -> float:
    if isinstance(target, rs.Pillar):
        return profile.pillars[target].evidence
    return profile.capacities[target].evidence


def assessment(answers=None, network=None, drivers=()) -> rs.Assessment:
    return rs.Assessment("p-1", NOW, answers or {}, network=network, drivers=drivers)


def friend(alias: str = "Sam", **changes: object) -> rs.Connection:
    values: dict[str, object] = {
        "relation": Relation.FRIEND,
        "trust": 5,
        "safety": 5,
        "pillars": set(rs.Pillar),
        "contact": {ContactMode.IN_PERSON: Frequency.WEEKLY},
        "last_contact": NOW.date() - dt.timedelta(days=3),
    }
    values.update(changes)
    return rs.Connection(alias, **values)  # type: ignore[arg-type]


def acquaintance(alias: str, **changes: object) -> rs.Connection:
    values: dict[str, object] = {
        "relation": Relation.COMMUNITY,
        "trust": 2,
        "safety": 2,
        "pillars": set(rs.Pillar),
        "contact": {ContactMode.SOCIAL_MEDIA: Frequency.DAILY},
    }
    values.update(changes)
    return rs.Connection(alias, **values)  # type: ignore[arg-type]


FULL_ANSWERS = {
    "ucla-3": {"ucla-1": 2, "ucla-2": 1, "ucla-3": 2},
    "djg-6": {"djg-1": 1, "djg-2": 3, "djg-3": 2, "djg-4": 2, "djg-5": 3, "djg-6": 1},
    "mspss": {f"mspss-{i}": 1 + i % 7 for i in range(1, 13)},
    "lsns-6": {f"lsns-{i}": i % 6 for i in range(1, 7)},
    "brs": {f"brs-{i}": 1 + i % 5 for i in range(1, 7)},
    "connection-signs": {sign.value: i % 5 for i, sign in enumerate(rs.IsolationSign)},
    "resilience-capacities": {c.value: 1 + i for i, c in enumerate(rs.Capacity)},
}


# -- the aggregation contract ------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(rst.assessments())
def test_every_number_is_explained_and_adds_up_under_the_contract(a: rs.Assessment) -> None:
    profile = ENGINE.profile(a)
    assert set(profile.pillars) == set(rs.Pillar)
    assert set(profile.capacities) == set(rs.Capacity)
    for target in TARGETS:
        own = profile.explain(target)
        total_weight = math.fsum(c.weight for c in own)
        assert evidence(profile, target) == total_weight
        if total_weight == 0:
            assert strength(profile, target) is None
            continue
        # Recomputed independently: the weighted mean of the explained contributions.
        expected = math.fsum(c.weight * c.value for c in own) / total_weight
        assert strength(profile, target) == pytest.approx(expected, rel=0, abs=1e-9)
        assert 0.0 <= strength(profile, target) <= 100.0  # type: ignore[operator]
        assert any(c.weight > 0 for c in own)
        assert math.fsum(share for _, share in profile.shares(target)) == pytest.approx(1.0)
    for contribution in profile.explanation:
        assert contribution.rule in ENGINE.rules
        assert contribution.rule_version == ENGINE.rules[contribution.rule].version
        assert contribution.reason
    # The explanation is kept in the canonical order of the contract.
    assert list(profile.explanation) == sorted(
        profile.explanation, key=profiling.contribution_order
    )


def test_the_contract_is_an_evidence_weighted_mean() -> None:
    c = [
        rs.Contribution("b", "1", rs.Pillar.BELONGING, 90.0, 1.0),
        rs.Contribution("a", "1", rs.Pillar.BELONGING, 30.0, 2.0),
        rs.Contribution("c", "1", rs.Pillar.BELONGING, 0.0, 0.0),
    ]
    assert profiling.combine(c) == (50.0, 3.0)
    assert profiling.combine(reversed(c)) == (50.0, 3.0)
    assert profiling.combine(c[2:]) == (None, 0.0)  # weight 0 is no evidence
    assert profiling.combine([]) == (None, 0.0)


def test_unknown_is_not_zero() -> None:
    profile = ENGINE.profile(assessment())
    assert all(s.strength is None and s.evidence == 0 for s in profile.pillars.values())
    assert all(s.strength is None and s.evidence == 0 for s in profile.capacities.values())
    assert profile.explanation == ()
    assert profile.signs == ()
    assert profile.network is None
    assert profile.flags == frozenset()


def test_a_full_profile_has_evidence_for_every_target() -> None:
    profile = ENGINE.profile(assessment(FULL_ANSWERS, rs.SupportNetwork((friend(),))))
    for target in TARGETS:
        assert strength(profile, target) is not None, target
    assert profile.scores.keys() == FULL_ANSWERS.keys()
    assert profile.person_id == "p-1"
    assert profile.assessed_at == NOW


# -- determinism ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(rst.assessments(), st.permutations(BUILTIN_RULES))
def test_independent_of_the_order_rules_are_registered_in(
    a: rs.Assessment, order: list[rs.ScoringRule]
) -> None:
    scores = ENGINE.score_all(a)
    given = ENGINE.instruments
    forward = profiling.build_profile(
        a, scores, {r.name: r for r in BUILTIN_RULES}, instruments=given
    )
    shuffled = profiling.build_profile(a, scores, {r.name: r for r in order}, instruments=given)
    assert shuffled == forward
    assert rs.to_json(shuffled) == rs.to_json(forward)


@settings(max_examples=25, deadline=None)
@given(rst.support_networks(), st.randoms(use_true_random=False))
def test_independent_of_the_order_connections_are_listed_in(
    network: rs.SupportNetwork, random: object
) -> None:
    connections = list(network.connections)
    random.shuffle(connections)  # type: ignore[attr-defined]
    one = ENGINE.profile(assessment(network=network))
    other = ENGINE.profile(assessment(network=rs.SupportNetwork(connections)))
    assert one == other


def _plugin(name: str, target: rs.Pillar, value: float) -> object:
    def function(a: rs.Assessment, scores: object) -> list[rs.Contribution]:
        return [rs.Contribution(name, "1", target, value, 0.7, {"k": value}, "plugin view")]

    class Plugin:
        @rs.hookimpl
        def resilience_register_scoring_rules(self, register):  # type: ignore[no-untyped-def]
            register(rs.ScoringRule(name, "1", f"{name} rule", function))

    Plugin.__qualname__ = f"Plugin_{name.replace('-', '_')}"
    return Plugin()


def test_independent_of_the_order_plugins_load_in() -> None:
    first = _plugin("zeta-rule", rs.Pillar.BELONGING, 12.5)
    second = _plugin("alpha-rule", rs.Pillar.BELONGING, 87.5)
    a = assessment(FULL_ANSWERS, rs.SupportNetwork((friend(), acquaintance("Kim"))))
    one = rs.Engine(load_installed=False, plugins=[first, second]).profile(a)
    other = rs.Engine(load_installed=False, plugins=[second, first]).profile(a)
    assert one == other
    assert {c.rule for c in one.explain(rs.Pillar.BELONGING)} >= {"zeta-rule", "alpha-rule"}


def test_the_same_assessment_gives_the_same_profile() -> None:
    a = assessment(FULL_ANSWERS, rs.SupportNetwork((friend(), acquaintance("Kim"))))
    assert ENGINE.profile(a) == rs.Engine(load_installed=False).profile(a)


# -- monotonicity ----------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_a_worse_answer_never_raises_a_strength(data: st.DataObject) -> None:
    instrument = data.draw(st.sampled_from(BUILTIN_INSTRUMENTS))
    answers = data.draw(rst.answers_for(instrument, allow_missing=False))
    item = data.draw(st.sampled_from(instrument.items))
    changed = {**answers, item.id: data.draw(st.sampled_from(instrument.scale_of(item).values))}
    base = data.draw(rst.assessments())
    one = attrs.evolve(base, answers={**base.answers, instrument.id: answers})
    two = attrs.evolve(base, answers={**base.answers, instrument.id: changed})
    keyed_one = ENGINE.score(instrument.id, answers).items[item.id]
    keyed_two = ENGINE.score(instrument.id, changed).items[item.id]
    # "Worse" is judged by the instrument's own key: a lower keyed score where higher is
    # better, a higher one where higher means more strain.
    two_is_worse = keyed_two <= keyed_one if instrument.higher_is_better else keyed_two >= keyed_one
    better, worse = (one, two) if two_is_worse else (two, one)
    p_better, p_worse = ENGINE.profile(better), ENGINE.profile(worse)
    for target in TARGETS:
        high, low = strength(p_better, target), strength(p_worse, target)
        assert (high is None) == (low is None)
        if high is not None:
            assert low <= high, (target, item.id)  # type: ignore[operator]


def trusted_in_person() -> st.SearchStrategy[rs.Connection]:
    return st.builds(
        rs.Connection,
        alias=st.just("New Tie"),  # never produced by the strategies: always unique
        relation=st.sampled_from(list(Relation)),
        trust=st.integers(4, 5),
        safety=st.integers(1, 5),
        pillars=st.frozensets(st.sampled_from(list(rs.Pillar))),
        contact=st.dictionaries(
            st.sampled_from(list(ContactMode)), st.sampled_from(list(Frequency))
        ).map(
            lambda c: {**c, ContactMode.IN_PERSON: c.get(ContactMode.IN_PERSON, Frequency.WEEKLY)}
        ),
        last_contact=st.none() | rst.dates(),
    )


@settings(max_examples=80, deadline=None)
@given(rst.assessments(), rst.support_networks(), trusted_in_person())
def test_adding_a_trusted_in_person_connection_never_lowers_a_pillar(
    base: rs.Assessment, network: rs.SupportNetwork, tie: rs.Connection
) -> None:
    before = ENGINE.profile(attrs.evolve(base, network=network))
    grown = rs.SupportNetwork((*network.connections, tie))
    after = ENGINE.profile(attrs.evolve(base, network=grown))
    for pillar in rs.Pillar:
        assert after.pillars[pillar].strength >= before.pillars[pillar].strength  # type: ignore[operator]
        if pillar in tie.pillars:
            assert after.network.coverage[pillar] > before.network.coverage[pillar]  # type: ignore[union-attr]
    assert after.capacities == before.capacities
    assert after.network.trusted_ties == before.network.trusted_ties + 1  # type: ignore[union-attr]


# -- quality over quantity -------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    pillars=st.frozensets(st.sampled_from(list(rs.Pillar)), min_size=1),
    trust=st.integers(4, 5),
    safety=st.integers(4, 5),
    frequency=st.sampled_from([Frequency.WEEKLY, Frequency.DAILY]),
    days=st.integers(0, 30),
    acquaintances=st.lists(
        st.tuples(
            st.integers(1, 2),
            st.integers(1, 3),
            st.sampled_from(list(Frequency)),
            st.none() | st.integers(0, 800),
        ),
        min_size=10,
        max_size=10,
    ),
    answers=st.sampled_from([{}, FULL_ANSWERS]),
)
def test_one_trusted_in_person_tie_beats_ten_social_media_acquaintances(
    pillars: frozenset[rs.Pillar],
    trust: int,
    safety: int,
    frequency: Frequency,
    days: int,
    acquaintances: list[tuple[int, int, Frequency, int | None]],
    answers: dict[str, dict[str, int]],
) -> None:
    one = friend(
        trust=trust,
        safety=safety,
        pillars=pillars,
        contact={ContactMode.IN_PERSON: frequency},
        last_contact=NOW.date() - dt.timedelta(days=days),
    )
    ten = tuple(
        acquaintance(
            f"acquaintance {i}",
            trust=t,
            safety=s,
            pillars=pillars,
            contact={ContactMode.SOCIAL_MEDIA: f},
            last_contact=None if d is None else NOW.date() - dt.timedelta(days=d),
        )
        for i, (t, s, f, d) in enumerate(acquaintances)
    )
    close = ENGINE.profile(assessment(answers, rs.SupportNetwork((one,))))
    many = ENGINE.profile(assessment(answers, rs.SupportNetwork(ten)))
    for pillar in pillars:
        assert close.pillars[pillar].strength > many.pillars[pillar].strength  # type: ignore[operator]
    assert many.network.ties == 10
    assert close.network.ties == 1


def test_the_documented_network_examples() -> None:
    close = ENGINE.profile(assessment(network=rs.SupportNetwork((friend(),))))
    assert close.pillars[rs.Pillar.BELONGING].strength == pytest.approx(90.0)
    many = ENGINE.profile(
        assessment(network=rs.SupportNetwork(tuple(acquaintance(f"a{i}") for i in range(10))))
    )
    # q = 0.9 × 0.25 × 0.2 = 0.045 per acquaintance; 1 − 0.955**10 ≈ 0.369, and untrusted
    # ties are squeezed below the ceiling of 10: about 3.7 (it was 36.9 before the ceiling).
    assert many.pillars[rs.Pillar.BELONGING].strength == pytest.approx(10 * (1 - 0.955**10))
    nobody = ENGINE.profile(assessment(network=rs.SupportNetwork(())))
    assert all(s.strength == 0.0 for s in nobody.pillars.values())
    assert nobody.network == rs.NetworkSummary(0, 0, dict.fromkeys(rs.Pillar, 0.0), None)


# -- drivers, signs and the network summary -------------------------------------------


@settings(max_examples=40, deadline=None)
@given(rst.assessments(), st.frozensets(st.sampled_from(list(rs.IsolationDriver))))
def test_drivers_never_change_a_score(
    a: rs.Assessment, drivers: frozenset[rs.IsolationDriver]
) -> None:
    without = ENGINE.profile(attrs.evolve(a, drivers=frozenset()))
    with_drivers = ENGINE.profile(attrs.evolve(a, drivers=drivers))
    assert with_drivers.drivers == drivers
    assert with_drivers.pillars == without.pillars
    assert with_drivers.capacities == without.capacities
    assert with_drivers.explanation == without.explanation
    assert with_drivers.flags == without.flags


def test_signs_are_read_from_the_checklist() -> None:
    answers = {sign.value: 2 for sign in rs.IsolationSign}
    answers[rs.IsolationSign.HIDES_STRUGGLES.value] = 4
    answers[rs.IsolationSign.LOST_PURPOSE.value] = 0
    del answers[rs.IsolationSign.NOT_UNDERSTOOD.value]
    profile = ENGINE.profile(assessment({"connection-signs": answers}))
    levels = {r.sign: r.level for r in profile.signs}
    assert rs.IsolationSign.NOT_UNDERSTOOD not in levels  # unanswered is unknown, not absent
    assert levels[rs.IsolationSign.HIDES_STRUGGLES] == 100.0
    assert levels[rs.IsolationSign.LOST_PURPOSE] == 0.0
    assert levels[rs.IsolationSign.ALONE_OR_LONELY] == 50.0
    assert [r.sign for r in profile.signs] == [s for s in rs.IsolationSign if s in levels]
    assert all(r.source == "connection-signs" for r in profile.signs)
    present = {r.sign for r in profile.signs if r.present}
    assert rs.IsolationSign.LOST_PURPOSE not in present


def test_network_summary() -> None:
    sam = friend("Sam", contact={ContactMode.IN_PERSON: Frequency.WEEKLY})
    kim = acquaintance(
        "Kim", trust=4, contact={ContactMode.MESSAGE: Frequency.WEEKLY}, pillars=set()
    )
    lee = acquaintance("Lee", contact={}, pillars={rs.Pillar.PRACTICAL_SUPPORT})
    profile = ENGINE.profile(assessment(network=rs.SupportNetwork((sam, kim, lee))))
    summary = profile.network
    assert summary is not None
    assert (summary.ties, summary.trusted_ties) == (3, 2)
    assert summary.in_person_share == 0.5  # 4 of 8 contacts a month
    # The coverage is the network rule's reading, so it is explained by contributions.
    for pillar in rs.Pillar:
        (network_part,) = [c for c in profile.explain(pillar) if c.rule == "network"]
        assert summary.coverage[pillar] == network_part.value
    assert summary.coverage[rs.Pillar.PRACTICAL_SUPPORT] > summary.coverage[rs.Pillar.BELONGING]


def test_recency_lowers_a_tie_that_has_gone_quiet() -> None:
    def belonging(days: int | None) -> float:
        last = None if days is None else NOW.date() - dt.timedelta(days=days)
        p = ENGINE.profile(assessment(network=rs.SupportNetwork((friend(last_contact=last),))))
        return p.pillars[rs.Pillar.BELONGING].strength  # type: ignore[return-value]

    readings = [belonging(d) for d in (0, 30, 31, 90, 91, 365, 366, 5000)]
    assert readings == sorted(readings, reverse=True)
    assert belonging(0) == belonging(30) == belonging(None) == pytest.approx(90.0)
    assert belonging(5000) == belonging(366) < belonging(365) == belonging(91)
    assert belonging(91) < belonging(90) == belonging(31) < belonging(30)
    assert belonging(-10) == belonging(0)  # a date after the assessment counts as today


# -- the safety flag -------------------------------------------------------------------

DJG_SEVERE = {"djg-1": 3, "djg-2": 1, "djg-3": 1, "djg-4": 3, "djg-5": 2, "djg-6": 1}
DJG_MODERATE = {"djg-1": 3, "djg-2": 1, "djg-3": 3, "djg-4": 1, "djg-5": 3, "djg-6": 1}
UCLA_LONELY = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
UCLA_NOT_LONELY = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}


def test_severely_lonely_on_the_de_jong_gierveld_scale_advises_support() -> None:
    assert ENGINE.score("djg-6", DJG_SEVERE).band == "severely-lonely"
    profile = ENGINE.profile(assessment({"djg-6": DJG_SEVERE}))
    assert profile.flags == {rs.Flag.SUPPORT_ADVISED}
    assert profile.support_advised
    assert any("De Jong Gierveld" in reason for reason in profile.flag_reasons)
    assert ENGINE.score("djg-6", DJG_MODERATE).band == "moderately-lonely"
    assert not ENGINE.profile(assessment({"djg-6": DJG_MODERATE})).flags


@pytest.mark.parametrize(
    ("network", "lsns_confidants", "flagged"),
    [
        (rs.SupportNetwork(()), None, True),  # a network with nobody in it
        (rs.SupportNetwork((acquaintance("Kim", trust=3),)), None, True),  # nobody trusted
        (rs.SupportNetwork((acquaintance("Kim", trust=4),)), None, False),  # one trusted tie
        (None, None, False),  # no evidence about trusted ties
        (None, 0, True),  # LSNS-6: nobody to talk with about private matters
        (None, 1, False),  # someone to confide in, and a network that is not small
    ],
)
def test_lonely_on_the_ucla_3_with_no_trusted_tie_advises_support(
    network: rs.SupportNetwork | None, lsns_confidants: int | None, flagged: bool
) -> None:
    answers: dict[str, dict[str, int]] = {"ucla-3": UCLA_LONELY}
    if lsns_confidants is not None:
        answers["lsns-6"] = {
            "lsns-1": 4,
            "lsns-2": lsns_confidants,
            "lsns-3": 3,
            "lsns-4": 3,
            "lsns-5": 0,
            "lsns-6": 2,
        }
    profile = ENGINE.profile(assessment(answers, network))
    assert profile.support_advised is flagged
    assert bool(profile.flag_reasons) is flagged
    # Not lonely on the UCLA-3: no flag, whatever the network looks like.
    calm = ENGINE.profile(assessment({**answers, "ucla-3": UCLA_NOT_LONELY}, network))
    assert not calm.support_advised


@pytest.mark.parametrize(("often", "flagged"), [(3, False), (4, True), (7, True)])
def test_most_signs_reported_often_advise_support(often: int, flagged: bool) -> None:
    signs = list(rs.IsolationSign)
    answers = {sign.value: (3 if i < often else 2) for i, sign in enumerate(signs)}
    profile = ENGINE.profile(assessment({"connection-signs": answers}))
    assert profile.support_advised is flagged
    if flagged:
        assert any(f"{often} of the 7 signs" in reason for reason in profile.flag_reasons)


@settings(max_examples=60, deadline=None)
@given(rst.assessments())
def test_flag_reasons_point_to_support_and_never_diagnose(a: rs.Assessment) -> None:
    profile = ENGINE.profile(a)
    assert bool(profile.flag_reasons) is profile.support_advised
    if profile.support_advised:
        assert "professional or a community support" in profile.flag_reasons[-1]
        assert "not a diagnosis" in profile.flag_reasons[-1]
    for reason in profile.flag_reasons:
        assert "disorder" not in reason.lower()
        assert "you have" not in reason.lower()


# -- round trips -----------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(rst.assessments())
def test_built_profiles_round_trip_through_json(a: rs.Assessment) -> None:
    profile = ENGINE.profile(a)
    assert rs.from_json(rs.to_json(profile), rs.ResilienceProfile) == profile


@settings(max_examples=40, deadline=None)
@given(rst.profiles())
def test_any_profile_round_trips_through_json(profile: rs.ResilienceProfile) -> None:
    assert rs.from_json(rs.to_json(profile), rs.ResilienceProfile) == profile


@pytest.mark.parametrize(
    "value",
    [
        rs.Contribution("r", "1", rs.Capacity.HOPE, 12.5, 0.5, {"x": 1.0}, "why"),
        rs.SignReading(rs.IsolationSign.HIDES_STRUGGLES, 75.0, "connection-signs"),
        rs.NetworkSummary(2, 1, {rs.Pillar.BELONGING: 40.0}, 0.25),
        rs.PillarScore(rs.Pillar.VALIDATION, None, 0.0),
        rs.CapacityScore(rs.Capacity.GROW, 61.0, 1.5),
    ],
)
def test_profile_parts_round_trip_through_json(value: object) -> None:
    assert rs.from_json(rs.to_json(value), type(value)) == value


@pytest.mark.parametrize("level", [-0.1, 100.5, math.nan])
def test_sign_levels_stay_within_0_to_100(level: float) -> None:
    with pytest.raises(ValueError, match="level"):
        rs.SignReading(rs.IsolationSign.HIDES_STRUGGLES, level, "connection-signs")


def test_a_replacement_that_drops_a_declared_band_is_refused() -> None:
    # The support flag reads the bands an instrument declares; a replacement that renames
    # the band but keeps the declaration would silently stop advising support, so the
    # definition itself is refused (it used to be only a warning).
    from resilience.builtin.instruments.ucla3 import UCLA_3

    with pytest.raises(rs.InstrumentDefinitionError, match="names band 'lonely'"):
        attrs.evolve(UCLA_3, bands=(rs.Band("fine", "Fine", 5.0), rs.Band("high", "High", 9.0)))


def test_importing_the_library_loads_no_plugin_module() -> None:
    # Core code must not depend on the built-in plugin: `import resilience` stays light
    # and never builds the built-in instruments.
    code = (
        "import sys, resilience\n"
        "print(sorted(m for m in sys.modules if m.startswith('resilience.builtin')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_signs_are_read_on_the_checklist_s_own_declared_scale() -> None:
    from resilience.builtin.instruments.signs import CONNECTION_SIGNS, SIGNS_SCALE

    assert CONNECTION_SIGNS.scale == SIGNS_SCALE
    assert CONNECTION_SIGNS.support.often_from == 3
    assert dict(CONNECTION_SIGNS.support.signs) == {s.value: s for s in rs.IsolationSign}


def test_the_rule_contract_is_checked_by_one_function() -> None:
    rule = rs.ScoringRule("mine", "1", "a rule under test", lambda a, s: [])
    good = rs.Contribution("mine", "1", rs.Pillar.BELONGING, 50.0, 1.0)
    assert profiling.contribution_problem(rule, good) is None
    problem = profiling.contribution_problem(rule, "x")
    assert problem is not None
    assert "not Contribution" in problem
    stamped = rs.Contribution("other", "1", rs.Pillar.BELONGING, 50.0, 1.0)
    assert "signed 'other'" in (profiling.contribution_problem(rule, stamped) or "")
