"""Invariants of plan building, check-ins, progress and re-assessment, over random input.

Profiles (random strengths, signs, drivers, flags and network summaries), networks, start
days, weekly limits, extra plugin templates and check-ins are all generated.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import ProfileChange, Progress, planning
from resilience.builtin.steps import TEMPLATES
from resilience.testing import strategies as rst

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

extra_templates = st.lists(rst.step_templates(), max_size=4, unique_by=lambda t: t.id)
limits = st.integers(1, 6)
networks = st.none() | rst.support_networks()


@st.composite
def plan_inputs(draw: st.DrawFn, *, plugins: bool = True) -> dict[str, object]:
    templates: Sequence[rs.StepTemplate] = TEMPLATES
    if plugins:
        templates = (*TEMPLATES, *draw(extra_templates))
    resources = draw(st.lists(rst.support_resources(), max_size=2))
    return {
        "profile": draw(rst.profiles()),
        "templates": tuple(templates),
        "resources": tuple(resources),
        "network": draw(networks),
        "today": draw(rst.dates()),
        "weekly_limit": draw(limits),
    }


def build(inputs: dict[str, object], **changes: object) -> rs.ConnectionPlan:
    return planning.build_plan(**{**inputs, **changes})  # type: ignore[arg-type]


@st.composite
def checked_in(draw: st.DrawFn, plan: rs.ConnectionPlan) -> rs.ConnectionPlan:
    """``plan`` with check-ins on a random subset of its steps, on or around their due day.

    Never before the plan was made: `ConnectionPlan.check_in` refuses such a check-in.
    """
    for step in plan.steps:
        for _ in range(draw(st.integers(0, 2))):
            on = max(plan.made_on, step.due + dt.timedelta(days=draw(st.integers(-3, 3))))
            outcome = draw(st.sampled_from(list(rs.Outcome)))
            felt = draw(st.none() | st.integers(1, 5))
            plan = plan.check_in(rs.CheckIn(step.id, on, outcome, felt=felt))
    return plan


def week(plan: rs.ConnectionPlan, step: rs.Step) -> int:
    return (step.due - plan.made_on).days // 7


def ladders(plan: rs.ConnectionPlan) -> dict[rs.Strategy, list[rs.Step]]:
    return {s: [x for x in plan.steps if x.strategy is s] for s in rs.Strategy}


@SETTINGS
@given(plan_inputs())
def test_support_comes_first_whenever_it_is_required(inputs: dict[str, object]) -> None:
    plan = build(inputs)
    profile, network = inputs["profile"], inputs["network"]
    assert isinstance(profile, rs.ResilienceProfile)
    required = planning.support_required(profile, network)  # type: ignore[arg-type]
    if profile.support_advised:
        assert required
    if not required:
        return
    first = plan.steps[0]
    assert first.strategy is rs.Strategy.SEEK_SUPPORT
    assert first.due == min(s.due for s in plan.steps)
    resources = inputs["resources"]
    assert plan.resources == resources
    if resources:
        assert all(r.name in first.action and r.contact in first.action for r in resources)  # type: ignore[attr-defined]
    else:
        assert planning.GENERAL_SUPPORT in first.action


@SETTINGS
@given(plan_inputs())
def test_no_week_holds_more_steps_than_the_limit(inputs: dict[str, object]) -> None:
    plan = build(inputs)
    weeks = [week(plan, s) for s in plan.steps]
    assert all(0 <= w < planning.CYCLE_WEEKS for w in weeks)
    for w in set(weeks):
        assert weeks.count(w) <= plan.weekly_limit
    assert [s.due for s in plan.steps] == sorted(s.due for s in plan.steps)
    assert len({s.id for s in plan.steps}) == len(plan.steps)


@SETTINGS
@given(plan_inputs())
def test_each_ladder_climbs_one_rung_and_one_effort_level_at_a_time(
    inputs: dict[str, object],
) -> None:
    plan = build(inputs)
    for steps in ladders(plan).values():
        for before, after in itertools.pairwise(steps):
            assert abs(after.effort.level - before.effort.level) <= 1
            assert after.rung > before.rung
            assert week(plan, after) > week(plan, before)


@SETTINGS
@given(plan_inputs())
def test_every_step_aims_at_the_plans_targets(inputs: dict[str, object]) -> None:
    plan = build(inputs)
    assert plan.targets
    assert len(set(plan.targets)) == len(plan.targets)
    for step in plan.steps:
        assert step.pillars
        assert step.pillars <= set(plan.targets)
    assert plan.targets == planning.targets_for(plan.profile)


@SETTINGS
@given(plan_inputs())
def test_steps_name_only_fitting_connections(inputs: dict[str, object]) -> None:
    plan = build(inputs)
    network = inputs["network"]
    templates = {t.id: t for t in inputs["templates"]}  # type: ignore[attr-defined]
    for step in plan.steps:
        if step.connection is None:
            continue
        assert isinstance(network, rs.SupportNetwork)
        connection = network.get(step.connection)
        assert connection is not None
        needs = templates[step.template].needs
        assert needs is not rs.ConnectionNeed.NONE
        if needs is rs.ConnectionNeed.TRUSTED or step.strategy is rs.Strategy.BE_VULNERABLE_FIRST:
            assert connection.trusted
        assert "{alias}" not in step.action or "{alias}" in templates[step.template].unnamed


@SETTINGS
@given(plan_inputs())
def test_strategies_start_on_their_lowest_usable_rung(inputs: dict[str, object]) -> None:
    plan = build(inputs, templates=TEMPLATES)
    for steps in ladders(plan).values():
        if steps:
            assert steps[0].rung == 1
            assert steps[0].effort is rs.Effort.TINY


@SETTINGS
@given(plan_inputs())
def test_the_same_input_gives_the_same_plan(inputs: dict[str, object]) -> None:
    plan = build(inputs)
    assert build(inputs) == plan
    reordered = tuple(reversed(inputs["templates"]))  # type: ignore[call-overload]
    assert build(inputs, templates=reordered) == plan
    assert rs.to_json(build(inputs)) == rs.to_json(plan)


@SETTINGS
@given(plan_inputs(), st.data())
def test_check_ins_never_mutate_a_plan(inputs: dict[str, object], data: st.DataObject) -> None:
    plan = build(inputs)
    before = rs.to_json(plan)
    later = data.draw(checked_in(plan))
    assert rs.to_json(plan) == before
    assert later.steps == plan.steps
    assert later.check_ins[: len(plan.check_ins)] == plan.check_ins


@SETTINGS
@given(plan_inputs(plugins=False), rst.profiles(), st.data())
def test_a_skipped_step_is_followed_by_a_smaller_one(
    inputs: dict[str, object], later_profile: rs.ResilienceProfile, data: st.DataObject
) -> None:
    plan = data.draw(checked_in(build(inputs)))
    report = planning.progress(plan)
    skipped = {}
    for strategy in report.step_down:
        timeline = sorted(
            (
                (c.on, i, plan.step(c.step_id))
                for i, c in enumerate(plan.check_ins)
                if plan.step(c.step_id).strategy is strategy
            ),
            key=lambda entry: entry[:2],
        )
        skipped[strategy] = timeline[-1][2]
        assert plan.outcome(skipped[strategy].id) is rs.Outcome.SKIPPED
    # Within the plan, nothing bigger of that strategy is offered now.
    for today in (plan.made_on, plan.made_on + dt.timedelta(days=30)):
        for step in planning.next_steps(plan, today):
            if step.strategy in skipped:
                assert step.rung < skipped[step.strategy].rung
    # Continuing the plan (after a re-assessment) steps down.
    profile = attrs.evolve(later_profile, person_id=plan.person_id)
    nxt = build(inputs, profile=profile, previous=plan, today=plan.made_on + dt.timedelta(28))
    for strategy, step in skipped.items():
        following = [s for s in nxt.steps if s.strategy is strategy]
        if not following:
            continue
        assert following[0].effort.level <= step.effort.level
        if step.effort is not rs.Effort.TINY:
            assert following[0].effort.level < step.effort.level


@SETTINGS
@given(plan_inputs(), rst.profiles(), st.data())
def test_continuing_a_plan_does_not_repeat_done_steps(
    inputs: dict[str, object], later_profile: rs.ResilienceProfile, data: st.DataObject
) -> None:
    plan = data.draw(checked_in(build(inputs)))
    profile = attrs.evolve(later_profile, person_id=plan.person_id)
    nxt = build(inputs, profile=profile, previous=plan, today=plan.made_on + dt.timedelta(28))
    done = {(s.template, s.connection) for s in plan.steps if plan.outcome(s.id) is rs.Outcome.DONE}
    assert {(s.template, s.connection) for s in nxt.completed} == done
    assert nxt.cycle == plan.cycle + 1
    for index, step in enumerate(nxt.steps):
        safety_exception = (
            index == 0
            and step.strategy is rs.Strategy.SEEK_SUPPORT
            and planning.support_required(profile, inputs["network"])  # type: ignore[arg-type]
        )
        if not safety_exception:
            assert (step.template, step.connection) not in done
    # A ladder whose latest check-in was "done" goes on from that rung or above, unless
    # nothing there is usable any more (done already, or above a busy life's effort cap).
    capped = rs.IsolationDriver.BUSY_LIFE in profile.drivers
    for strategy, steps in ladders(nxt).items():
        checked = [
            (c.on, i, c)
            for i, c in enumerate(plan.check_ins)
            if plan.step(c.step_id).strategy is strategy
        ]
        if not steps or not checked:
            continue
        latest = max(checked, key=lambda entry: entry[:2])[2]
        if latest.outcome is not rs.Outcome.DONE:
            continue
        reached = plan.step(latest.step_id)
        usable = [
            t
            for t in inputs["templates"]  # type: ignore[attr-defined]
            if t.strategy is strategy
            and t.pillars & set(nxt.targets)
            and not (capped and t.effort is rs.Effort.LARGE)
            and (t.id, None) not in done
            and (
                t.rung == reached.rung
                or (t.rung > reached.rung and abs(t.effort.level - reached.effort.level) <= 1)
            )
        ]
        if usable:
            assert steps[0].rung >= reached.rung


@SETTINGS
@given(plan_inputs(), st.data())
def test_progress_adds_up(inputs: dict[str, object], data: st.DataObject) -> None:
    plan = data.draw(checked_in(build(inputs)))
    report = planning.progress(plan)
    assert report.overall.steps == len(plan.steps)
    assert sum(t.steps for t in report.by_strategy.values()) == len(plan.steps)
    assert report.overall.checked_in == len({c.step_id for c in plan.check_ins})
    for tally in [report.overall, *report.by_strategy.values(), *report.by_pillar.values()]:
        assert 0 <= tally.streak <= tally.longest_streak <= len(plan.check_ins)
    for pillar, tally in report.by_pillar.items():
        assert tally.steps == sum(pillar in s.pillars for s in plan.steps)
    felt = [c.felt for c in plan.check_ins if c.felt is not None]
    assert (report.felt is None) == (not felt)
    if report.felt is not None:
        assert min(felt) <= report.felt <= max(felt)
    assert report.finished == (bool(plan.steps) and report.overall.open == 0)


@SETTINGS
@given(plan_inputs(), st.data())
def test_plans_and_progress_round_trip_through_json(
    inputs: dict[str, object], data: st.DataObject
) -> None:
    plan = data.draw(checked_in(build(inputs)))
    assert rs.from_json(rs.to_json(plan), rs.ConnectionPlan) == plan
    report = planning.progress(plan)
    assert rs.from_json(rs.to_json(report), Progress) == report
    for step in plan.steps:
        assert rs.from_json(rs.to_json(step), rs.Step) == step
    for check_in in plan.check_ins:
        assert rs.from_json(rs.to_json(check_in), rs.CheckIn) == check_in


@SETTINGS
@given(rst.profiles(), rst.profiles())
def test_comparisons_round_trip_and_match_both_profiles(
    old: rs.ResilienceProfile, new: rs.ResilienceProfile
) -> None:
    new = attrs.evolve(new, person_id=old.person_id)
    change = planning.compare(old, new)
    assert rs.from_json(rs.to_json(change), ProfileChange) == change
    for pillar, pillar_change in change.pillars.items():
        assert pillar_change.before == old.pillars[pillar].strength
        assert pillar_change.after == new.pillars[pillar].strength
        assert pillar_change.after_evidence == new.explain(pillar)
        assert pillar_change.explanation.startswith(pillar.label)
    for capacity, capacity_change in change.capacities.items():
        assert capacity_change.before == old.capacities[capacity].strength
    assert change.flags_raised == new.flags - old.flags
    assert change.flags_cleared == old.flags - new.flags
