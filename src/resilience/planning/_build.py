"""Building a plan from a profile, or continuing one after a re-assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from resilience.errors import PlanningError
from resilience.evidence import techniques_of
from resilience.model.network import SupportNetwork
from resilience.model.plans import ConnectionPlan, Step, StepTemplate, SupportResource
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import Strategy
from resilience.planning._ladders import Planner, Position, completed_steps, positions
from resilience.planning._pace import pace_for
from resilience.planning._people import most_named
from resilience.planning._schedule import (
    CYCLE_WEEKS,
    FIRST_WEEK_STEPS,
    Placed,
    build_ladders,
    place_steps,
    spread,
    strategy_order,
)
from resilience.planning._targets import support_required
from resilience.planning._wording import action_text, step_reason

__all__ = ["REFLECTION", "build_plan"]

#: The question offered at the end of a plan's cycle (the project's own words).
REFLECTION = (
    "Looking back on these weeks: who helped you feel steadier, understood or less alone, "
    "and are you carrying anything by yourself that you could share with one of them?"
)


def _check_inputs(
    profile: ResilienceProfile, previous: ConnectionPlan | None, weekly_limit: int
) -> None:
    if isinstance(weekly_limit, bool) or not isinstance(weekly_limit, int) or weekly_limit < 1:
        raise PlanningError(
            f"weekly_limit must be a whole number of 1 or more, not {weekly_limit!r}"
        )
    if previous is not None and previous.person_id != profile.person_id:
        raise PlanningError(
            f"cannot continue a plan of {previous.person_id!r} for {profile.person_id!r}"
        )


def _steps(
    planner: Planner, placed: Sequence[Placed], resources: Sequence[SupportResource], cycle: int
) -> tuple[Step, ...]:
    return tuple(
        Step(
            id=f"c{cycle}-{n:02d}",
            strategy=entry.strategy,
            pillars=entry.rung.choice.pillars,
            action=action_text(entry.rung.choice, resources),
            effort=entry.rung.choice.template.effort,
            due=entry.due,
            reason=step_reason(planner, entry.rung.choice, entry.rung.note, entry.support_first),
            connection=(
                entry.rung.choice.connection.alias if entry.rung.choice.connection else None
            ),
            template=entry.rung.choice.template.id,
            rung=entry.rung.choice.template.rung,
            in_person=entry.rung.choice.template.in_person,
            # What the step rests on, from its template (see resilience.evidence).
            approach=entry.rung.choice.template.approach,
            techniques=techniques_of(entry.rung.choice.template),
            references=entry.rung.choice.template.references,
        )
        for n, entry in enumerate(placed, start=1)
    )


def _ladder_state(starts: dict[Strategy, Position], steps: Sequence[Step]) -> dict[Strategy, int]:
    """The rung each strategy stands on: its first step in this plan, else where it was."""
    state = {s: pos.start_rung for s, pos in starts.items()}
    for step in reversed(steps):
        state[step.strategy] = step.rung  # the first step of each strategy wins
    return {s: state[s] for s in Strategy if s in state}


def build_plan(
    profile: ResilienceProfile,
    *,
    templates: Iterable[StepTemplate],
    resources: Sequence[SupportResource] = (),
    network: SupportNetwork | None = None,
    today: dt.date,
    previous: ConnectionPlan | None = None,
    weekly_limit: int = 3,
) -> ConnectionPlan:
    """Build a plan from a profile, or continue ``previous`` after a re-assessment.

    The rules (targets, strategy order, template ranking, ladders, weekly limit, safety
    and continuation) are the contract described in the plans guide.

    Args:
        profile: The profile to plan from.
        templates: The step templates to draw from (every registered one).
        resources: The support resources the host registered for this profile.
        network: The person's support network, so that steps can name their connections.
        today: The day the plan is made; week 1 starts on it.
        previous: The plan this one continues: done steps are not repeated, each ladder
            goes on from the rung reached, and a skipped step is followed by a smaller one.
        weekly_limit: The most steps due in any one week (1 or more).

    Raises:
        ValueError: ``weekly_limit`` is not a whole number of 1 or more, or ``previous``
            belongs to another person.

    Example:
        >>> import datetime as dt
        >>> from resilience import Flag
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {},
        ...                       flags={Flag.SUPPORT_ADVISED})
        >>> plan = build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> plan.steps[0].strategy
        <Strategy.SEEK_SUPPORT: 'seek-support'>
    """
    _check_inputs(profile, previous, weekly_limit)
    if isinstance(today, dt.datetime):
        today = today.date()
    completed = completed_steps(previous)
    done = frozenset((s.template, s.connection) for s in completed)
    pace = pace_for(profile, previous, weekly_limit)
    weekly_limit = pace.weekly_limit
    # A first plan starts with a light week; a continued one keeps the pace it earned.
    first_week = min(FIRST_WEEK_STEPS, weekly_limit) if previous is None else weekly_limit
    room = first_week + (CYCLE_WEEKS - 1) * weekly_limit
    earlier = (*completed, *(previous.steps if previous is not None else ()))
    planner = Planner(
        profile,
        templates,
        network,
        today,
        done,
        known=frozenset(s.connection for s in earlier if s.connection is not None),
        recontacted=frozenset(
            s.connection
            for s in completed
            if s.connection is not None and s.strategy is Strategy.REACH_OUT
        ),
        cap=most_named(room),
        ceiling=pace.ceiling,
    )
    starts = positions(previous)
    safety = support_required(profile, network) or pace.gentle
    resources = tuple(resources)

    order = strategy_order(planner, safety, network)
    ladders = build_ladders(planner, order, starts, safety)
    placed = spread(place_steps(ladders, today, weekly_limit, safety, first_week))
    cycle = 1 if previous is None else previous.cycle + 1
    steps = _steps(planner, placed, resources, cycle)
    return ConnectionPlan(
        person_id=profile.person_id,
        made_on=today,
        profile=profile,
        targets=planner.targets,
        steps=steps,
        resources=resources,
        reflection=REFLECTION,
        weekly_limit=weekly_limit,
        cycle=cycle,
        ladder=_ladder_state(starts, steps),
        completed=completed,
    )
