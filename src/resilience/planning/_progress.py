"""Progress: what happened with a plan's steps, and what to do now.

:func:`progress` sums up the check-ins in a :class:`Progress` of :class:`Tally` values;
:func:`next_steps` says which open steps are due; :func:`reflection_due` says when a plan's
cycle has ended.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from resilience.model.fields import FrozenDict, enum_map, enum_set, text_fields
from resilience.model.plans import (
    CheckIn,
    ConnectionPlan,
    Outcome,
    Step,
    check_in_timeline,
    latest_check_ins,
)
from resilience.model.taxonomy import Pillar, Strategy
from resilience.planning._ladders import latest_by_strategy
from resilience.planning._schedule import CYCLE_WEEKS

__all__ = [
    "Expectations",
    "Progress",
    "Tally",
    "expectations",
    "next_steps",
    "progress",
    "reflection_due",
]


@attrs.frozen(field_transformer=text_fields)
class Tally:
    """What happened with a group of steps (one strategy, one pillar, or all of them).

    A step counts once, with the outcome of its latest check-in; a step with no check-in
    is open. Streaks run over check-ins in date order: a check-in that is done or partly
    done extends the streak, a skip ends it.

    Attributes:
        done: Steps done.
        partly: Steps partly done.
        skipped: Steps skipped.
        open: Steps with no check-in yet.
        streak: Check-ins in a row, up to the latest, that were done or partly done.
        longest_streak: The longest such run so far.

    Example:
        >>> t = Tally(done=2, partly=1, skipped=1, open=2, streak=1, longest_streak=3)
        >>> (t.steps, t.checked_in)
        (6, 4)
    """

    done: int = 0
    partly: int = 0
    skipped: int = 0
    open: int = 0
    streak: int = 0
    longest_streak: int = 0

    @property
    def steps(self) -> int:
        """How many steps the tally covers."""
        return self.done + self.partly + self.skipped + self.open

    @property
    def checked_in(self) -> int:
        """How many of them have a check-in."""
        return self.done + self.partly + self.skipped


def _to_by_strategy(value: object) -> FrozenDict[Strategy, Any]:
    return enum_map(Strategy, "by_strategy", value)


def _to_by_pillar(value: object) -> FrozenDict[Pillar, Any]:
    return enum_map(Pillar, "by_pillar", value)


def _to_step_down(value: object) -> frozenset[Strategy]:
    return enum_set(Strategy, "step_down", value)


@attrs.frozen
class Expectations:
    """How often a person's expectations of their steps were too gloomy, right, or rosy.

    Counted over the steps with a check-in that recorded both how well the person expected
    it to go (:attr:`~resilience.CheckIn.expected`) and how well it went
    (:attr:`~resilience.CheckIn.happened`); each step counts once, with the latest such
    check-in. When things go better than feared again and again, that is a signal the
    person can see for themselves.

    Attributes:
        too_gloomy: It went better than expected.
        about_right: It went as expected.
        too_hopeful: It went less well than expected.

    Example:
        >>> e = Expectations(too_gloomy=3, about_right=1)
        >>> (e.compared, e.gloomy_share)
        (4, 0.75)
        >>> Expectations().gloomy_share is None
        True
    """

    too_gloomy: int = 0
    about_right: int = 0
    too_hopeful: int = 0

    @property
    def compared(self) -> int:
        """How many steps had both an expectation and an outcome."""
        return self.too_gloomy + self.about_right + self.too_hopeful

    @property
    def gloomy_share(self) -> float | None:
        """The share of compared steps that went better than expected (``None``: none)."""
        return self.too_gloomy / self.compared if self.compared else None


def expectations(plan: ConnectionPlan) -> Expectations:
    """How often the person's expectations were too gloomy, about right, or too hopeful.

    Each step counts once, with its latest check-in on the timeline (by date, then the
    order reported) that recorded both an expectation and how it went.

    Example:
        >>> import datetime as dt
        >>> from resilience import (CheckIn, ConnectionPlan, Effort, Outcome, Pillar,
        ...                         ResilienceProfile, Step, Strategy)
        >>> profile = ResilienceProfile("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                             {}, {})
        >>> step = Step("c1-01", Strategy.REACH_OUT, {Pillar.BELONGING}, "Send a line.",
        ...             Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest")
        >>> plan = ConnectionPlan("p", dt.date(2026, 1, 5), profile, (Pillar.BELONGING,),
        ...                       (step,))
        >>> plan = plan.check_in(CheckIn("c1-01", dt.date(2026, 1, 7), Outcome.DONE,
        ...                              expected=2, happened=4))
        >>> expectations(plan)
        Expectations(too_gloomy=1, about_right=0, too_hopeful=0)
    """
    compared: dict[str, tuple[int, int]] = {}
    for check_in in check_in_timeline(plan):
        if check_in.expected is not None and check_in.happened is not None:
            compared[check_in.step_id] = (check_in.expected, check_in.happened)
    pairs = compared.values()
    return Expectations(
        too_gloomy=sum(1 for expected, happened in pairs if happened > expected),
        about_right=sum(1 for expected, happened in pairs if happened == expected),
        too_hopeful=sum(1 for expected, happened in pairs if happened < expected),
    )


@attrs.frozen(field_transformer=text_fields)
class Progress:
    """How a plan is going: tallies per strategy and per pillar, streaks and feelings.

    Made by :func:`resilience.planning.progress`; every strategy and every pillar is
    present (with an empty tally when the plan has no step for it).

    Attributes:
        overall: All steps of the plan.
        by_strategy: Per strategy.
        by_pillar: Per pillar; a step counts for every pillar it rebuilds.
        felt: The mean of the "how it felt" answers (1–5), or ``None`` if none was given.
        step_down: Strategies whose latest check-in was a skip: their next step should be
            smaller, so the bigger steps left in this plan are held back (see
            :func:`resilience.planning.next_steps`) until the plan is continued.
        finished: Whether every step has a check-in (the end of the plan's cycle).
        expectations: How the person's expectations compared with what happened
            (:func:`expectations`).

    Example:
        >>> Progress(Tally(), {}, {}).finished
        False
    """

    overall: Tally
    by_strategy: Mapping[Strategy, Tally] = attrs.field(converter=_to_by_strategy)
    by_pillar: Mapping[Pillar, Tally] = attrs.field(converter=_to_by_pillar)
    felt: float | None = None
    step_down: frozenset[Strategy] = attrs.field(default=frozenset(), converter=_to_step_down)
    finished: bool = False
    expectations: Expectations = attrs.field(factory=Expectations)


def _tally(
    steps: Sequence[Step], latest: Mapping[str, CheckIn], timeline: Sequence[CheckIn]
) -> Tally:
    counts = dict.fromkeys(Outcome, 0)
    still_open = 0
    for step in steps:
        counted = latest.get(step.id)
        if counted is None:
            still_open += 1
        else:
            counts[counted.outcome] += 1
    ids = {step.id for step in steps}
    run = longest = 0
    for check_in in timeline:
        if check_in.step_id not in ids:
            continue
        run = 0 if check_in.outcome is Outcome.SKIPPED else run + 1
        longest = max(longest, run)
    return Tally(
        done=counts[Outcome.DONE],
        partly=counts[Outcome.PARTLY],
        skipped=counts[Outcome.SKIPPED],
        open=still_open,
        streak=run,
        longest_streak=longest,
    )


def _step_down(plan: ConnectionPlan, timeline: Sequence[CheckIn]) -> dict[Strategy, Step]:
    """Strategies whose latest check-in was a skip, with the skipped step."""
    latest = latest_by_strategy({s.id: s for s in plan.steps}, timeline, strict=True)
    return {
        strategy: step
        for strategy, (check_in, step) in latest.items()
        if check_in.outcome is Outcome.SKIPPED
    }


def progress(plan: ConnectionPlan) -> Progress:
    """Sum up what happened with a plan: tallies per strategy and pillar, streaks, feelings.

    A step counts once, with the outcome of its latest check-in (by date, then the order
    reported). Streaks count check-ins in a row, in date order, that were done or partly
    done; a skip ends a streak. ``step_down`` names the strategies whose latest check-in was
    a skip: their next step should be smaller (continue the plan to get it).
    ``expectations`` counts how often what the person expected was too gloomy.

    Example:
        >>> import datetime as dt
        >>> from resilience import CheckIn, Outcome, ResilienceProfile, planning
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = planning.build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> first = plan.steps[0]
        >>> plan = plan.check_in(CheckIn(first.id, dt.date(2026, 1, 6), Outcome.DONE, felt=4))
        >>> report = progress(plan)
        >>> (report.overall.done, report.by_strategy[first.strategy].streak, report.felt)
        (1, 1, 4.0)
    """
    timeline = check_in_timeline(plan)
    latest = latest_check_ins(plan)
    felt = [c.felt for c in plan.check_ins if c.felt is not None]
    return Progress(
        overall=_tally(plan.steps, latest, timeline),
        by_strategy={
            s: _tally([x for x in plan.steps if x.strategy is s], latest, timeline)
            for s in Strategy
        },
        by_pillar={
            p: _tally([x for x in plan.steps if p in x.pillars], latest, timeline) for p in Pillar
        },
        felt=math.fsum(felt) / len(felt) if felt else None,
        step_down=frozenset(_step_down(plan, timeline)),
        finished=bool(plan.steps) and all(s.id in latest for s in plan.steps),
        expectations=expectations(plan),
    )


def next_steps(plan: ConnectionPlan, today: dt.date) -> tuple[Step, ...]:
    """The open steps to take now: due by the end of the current plan week, or overdue.

    Steps of a strategy whose latest check-in was a skip are held back when they sit
    higher on the ladder than the skipped step, so a skip is never followed by a bigger
    step. The smaller step comes from continuing the plan:
    ``engine.plan(profile, previous=plan)``.

    Example:
        >>> import datetime as dt
        >>> from resilience import CheckIn, Outcome, ResilienceProfile, planning
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = planning.build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> [s.due <= dt.date(2026, 1, 11) for s in next_steps(plan, dt.date(2026, 1, 5))]
        [True, True]
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    week = max(0, (today - plan.made_on).days // 7)
    week_end = plan.made_on + dt.timedelta(days=7 * (week + 1))
    held = _step_down(plan, check_in_timeline(plan))
    latest = latest_check_ins(plan)
    return tuple(
        step
        for step in plan.steps
        if step.id not in latest
        and step.due < week_end
        and not (step.strategy in held and step.rung >= held[step.strategy].rung)
    )


def reflection_due(plan: ConnectionPlan, today: dt.date) -> bool:
    """Whether the plan's cycle has ended: time to offer its ``reflection`` question.

    A cycle ends when every step has a check-in, or once the last step's due date (or,
    for a plan without steps, the end of its :data:`CYCLE_WEEKS` weeks) has passed.

    Example:
        >>> import datetime as dt
        >>> from resilience import CheckIn, Outcome, ResilienceProfile, planning
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = planning.build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> (reflection_due(plan, dt.date(2026, 1, 6)), reflection_due(plan, dt.date(2026, 3, 1)))
        (False, True)
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    latest = latest_check_ins(plan)
    if plan.steps and all(s.id in latest for s in plan.steps):
        return True
    end = (
        max(s.due for s in plan.steps)
        if plan.steps
        else plan.made_on + dt.timedelta(days=7 * CYCLE_WEEKS - 1)
    )
    return today > end
