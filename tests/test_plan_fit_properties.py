"""Properties of plans that fit the person, over generated profiles, networks and check-ins.

Felt safety as a gate (item 2), nobody presumed (3), feasible, spread and fitted steps (5)
and a pace that listens (6); quality over quantity (8) is in test_profile_fit.py.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import planning
from resilience.builtin.steps import TEMPLATES
from resilience.planning._people import dormant, most_named
from resilience.testing import strategies as rst

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BY_ID = {t.id: t for t in TEMPLATES}
S = rs.Strategy
PRESUMING = (
    "someone you feel safe with",
    "a friend or relative",
    "lost touch",
    "someone you trust",
)


@st.composite
def planned(draw: st.DrawFn, network: st.SearchStrategy[rs.SupportNetwork | None]):  # type: ignore[no-untyped-def]
    profile = draw(rst.profiles())
    chosen = draw(network)
    today = draw(st.dates(dt.date(2024, 1, 1), dt.date(2028, 1, 1)))
    limit = draw(st.integers(1, 5))
    plan = planning.build_plan(
        profile, templates=TEMPLATES, network=chosen, today=today, weekly_limit=limit
    )
    return plan, chosen


def ties(network: rs.SupportNetwork | None) -> dict[str, rs.Connection]:
    return {c.alias: c for c in (network.connections if network is not None else ())}


@SETTINGS
@given(planned(rst.support_networks()))
def test_felt_safety_is_a_gate(built) -> None:  # type: ignore[no-untyped-def]
    plan, network = built
    people = ties(network)
    for step in plan.steps:
        if step.connection is None:
            continue
        c = people[step.connection]
        assert not c.trusted_but_not_felt_safe
        if step.strategy is S.BE_VULNERABLE_FIRST:
            assert c.trusted
            assert c.felt_safe
    if any(c.trusted_but_not_felt_safe for c in people.values()):
        assert plan.steps[0].strategy is S.SEEK_SUPPORT


@SETTINGS
@given(planned(st.none() | st.just(rs.SupportNetwork(()))))
def test_nobody_is_presumed_without_a_network(built) -> None:  # type: ignore[no-untyped-def]
    plan, _ = built
    for step in plan.steps:
        assert step.connection is None
        assert BY_ID.get(step.template, planning.SUPPORT_FALLBACK).needs is rs.ConnectionNeed.NONE
        for words in PRESUMING:
            assert words not in step.action, step.action


@SETTINGS
@given(planned(rst.support_networks()))
def test_steps_are_feasible_spread_and_fitted(built) -> None:  # type: ignore[no-untyped-def]
    plan, network = built
    people = ties(network)
    counts: dict[str, int] = {}
    for step in plan.steps:
        template = BY_ID.get(step.template, planning.SUPPORT_FALLBACK)
        if "explain the silence" in step.action:
            assert step.connection is not None
            assert dormant(people[step.connection], plan.made_on)
        if step.connection is None:
            continue
        c = people[step.connection]
        counts[c.alias] = counts.get(c.alias, 0) + 1
        if step.in_person:
            assert c.in_person
        if dormant(c, plan.made_on) and not c.professional:
            assert step.strategy is S.REACH_OUT  # re-contact before anything else
        if c.professional:
            assert template.needs is rs.ConnectionNeed.PROFESSIONAL
        elif c.pillars:
            assert c.pillars & step.pillars
        if c.group:
            assert template.needs is rs.ConnectionNeed.GROUP
        if c.daily_life and step.strategy in (S.REACH_OUT, S.IN_PERSON):
            assert template.needs in (rs.ConnectionNeed.HOUSEHOLD, rs.ConnectionNeed.GROUP)
    for count in counts.values():
        assert count <= most_named(len(plan.steps))


@st.composite
def continued(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    plan, network = draw(planned(rst.support_networks()))
    for step in plan.steps:
        if draw(st.booleans()):
            outcome = draw(st.sampled_from(list(rs.Outcome)))
            felt = draw(st.none() | st.integers(1, 5))
            plan = plan.check_in(rs.CheckIn(step.id, step.due, outcome, felt=felt))
    later = draw(st.sampled_from([plan.profile, *draw(st.lists(rst.profiles(), max_size=1))]))
    later = rs.ResilienceProfile(
        plan.person_id,
        later.assessed_at,
        later.pillars,
        later.capacities,
        later.signs,
        later.network,
        later.drivers,
        later.flags,
        later.flag_reasons,
    )
    today = plan.made_on + dt.timedelta(days=28)
    nxt = planning.build_plan(
        later,
        templates=TEMPLATES,
        network=network,
        today=today,
        previous=plan,
        weekly_limit=plan.weekly_limit,
    )
    return plan, nxt


@SETTINGS
@given(continued())
def test_the_pace_listens(pair) -> None:  # type: ignore[no-untyped-def]
    plan, nxt = pair
    latest = {s.id: plan.latest_check_in(s.id) for s in plan.steps}
    skipped = sum(1 for c in latest.values() if c is not None and c.outcome is rs.Outcome.SKIPPED)
    if skipped >= 2:
        assert nxt.weekly_limit < plan.weekly_limit or plan.weekly_limit == 1
    if planning._pace.worse(plan.profile, nxt.profile):
        assert nxt.weekly_limit <= 2
        assert all(s.effort.level <= rs.Effort.SMALL.level for s in nxt.steps)
        if nxt.steps:
            assert nxt.steps[0].strategy is S.SEEK_SUPPORT
    for strategy in S:
        checked = [
            (c.on, i, c)
            for i, c in enumerate(plan.check_ins)
            if plan.step(c.step_id).strategy is strategy
        ]
        following = [s for s in nxt.steps if s.strategy is strategy]
        if not checked or not following:
            continue
        last = max(checked, key=lambda entry: entry[:2])[2]
        before = plan.step(last.step_id)
        first = following[0]
        felt_hard = last.outcome is rs.Outcome.DONE and last.felt is not None and last.felt <= 2
        if last.outcome is rs.Outcome.SKIPPED or felt_hard:
            assert first.effort.level <= before.effort.level  # never bigger
        if "smaller step" in first.reason:
            assert first.rung < before.rung or first.effort.level < before.effort.level
