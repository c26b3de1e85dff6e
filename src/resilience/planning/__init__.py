"""Plan building, progress and re-assessment: pure functions over model values.

One module per concept, all private; this package is the public face: targets and the
safety rule, ladders, scheduling, step wording, progress, and re-assessment.

:func:`build_plan` turns a :class:`~resilience.ResilienceProfile` into a
:class:`~resilience.ConnectionPlan` of small, concrete steps drawn from the five strategies;
:func:`progress` sums up the check-ins; :func:`next_steps` says what to do now;
:func:`compare` explains what changed between two profiles. Nothing here reads a clock,
touches plugins or does I/O: the same input always gives the same output.

The rules below are a contract, documented in the plans guide (``docs/plans.md``):

* **Targets: a plan keeps its focus.** The weakest known pillar, and at most one more:
  the next weakest, when it is below :data:`ROOM_TO_GROW` and less than
  :data:`FOCUS_MARGIN` points above the weakest. With nothing measured, the two pillars
  reported signs point at most; with no sign either, all four. A re-assessment moves the
  focus on: targets always come from the newest profile.
* **Steps.** Every step's pillars are the pillars of its template that the plan targets,
  so they are never empty and always among :attr:`~resilience.ConnectionPlan.targets`.
* **Ladders.** Each strategy starts on its lowest rung (or where the plan it continues left
  off) and climbs one rung at a time; consecutive steps of a strategy never differ by more
  than one effort level, and each comes at least a week after the one before.
* **Pace.** A first plan starts with a light week: at most :data:`FIRST_WEEK_STEPS` steps
  are due in its first week, then up to the weekly limit.
* **Safety.** When the profile advises support, or the network has no trusted tie, the
  first step is a seek-support step, and every seek-support step says where help is found.
  Seeking support rebuilds every pillar, so the focus never drops it.

Example:
    >>> import datetime as dt, resilience as rs
    >>> from resilience import planning
    >>> engine = rs.Engine(load_installed=False)
    >>> profile = rs.ResilienceProfile(
    ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...     {rs.Pillar.BELONGING: rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)}, {})
    >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
    >>> plan.targets
    (<Pillar.BELONGING: 'belonging'>,)
    >>> plan.steps[0].effort
    <Effort.TINY: 'tiny'>
    >>> planning.progress(plan).overall.open == len(plan.steps)
    True
"""

from __future__ import annotations

from resilience.planning._build import REFLECTION, build_plan
from resilience.planning._progress import (
    Expectations,
    Progress,
    Tally,
    expectations,
    next_steps,
    progress,
    reflection_due,
)
from resilience.planning._reassessment import STEADY_WITHIN, ProfileChange, ScoreChange, compare
from resilience.planning._schedule import CYCLE_WEEKS, FIRST_WEEK_STEPS
from resilience.planning._targets import (
    FEWEST_LADDERS,
    FOCUS_MARGIN,
    FOCUS_MOST,
    ROOM_TO_GROW,
    support_required,
    targets_for,
)
from resilience.planning._wording import GENERAL_SUPPORT, SUPPORT_FALLBACK

__all__ = [
    "CYCLE_WEEKS",
    "FEWEST_LADDERS",
    "FIRST_WEEK_STEPS",
    "FOCUS_MARGIN",
    "FOCUS_MOST",
    "GENERAL_SUPPORT",
    "REFLECTION",
    "ROOM_TO_GROW",
    "STEADY_WITHIN",
    "SUPPORT_FALLBACK",
    "Expectations",
    "ProfileChange",
    "Progress",
    "ScoreChange",
    "Tally",
    "build_plan",
    "compare",
    "expectations",
    "next_steps",
    "progress",
    "reflection_due",
    "support_required",
    "targets_for",
]
