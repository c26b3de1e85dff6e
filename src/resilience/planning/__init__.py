"""Plan building, progress and re-assessment: pure functions over model values.

One module per concept, all private; this package is the public face: targets and the
safety rule, ladders, scheduling, step wording, progress, and re-assessment.

:func:`build_plan` turns a :class:`~resilience.ResilienceProfile` into a
:class:`~resilience.ConnectionPlan` of small, concrete steps drawn from the five strategies;
:func:`progress` sums up the check-ins; :func:`next_steps` says what to do now;
:func:`compare` explains what changed between two profiles. Nothing here reads a clock,
touches plugins or does I/O: the same input always gives the same output.

The rules below are a contract, documented in the plans guide (``docs/plans.md``):

* **Targets.** Pillars with a known strength below :data:`ROOM_TO_GROW`, weakest first,
  then pillars nobody measured but that a reported sign points at. If no pillar qualifies,
  the single weakest known one. If no pillar is known at all, all four (signalled first).
* **Steps.** Every step's pillars are the pillars of its template that the plan targets,
  so they are never empty and always among :attr:`~resilience.ConnectionPlan.targets`.
* **Ladders.** Each strategy starts on its lowest rung (or where the plan it continues left
  off) and climbs one rung at a time; consecutive steps of a strategy never differ by more
  than one effort level, and each comes at least a week after the one before.
* **Safety.** When the profile advises support, or the network has no trusted tie, the
  first step is a seek-support step, and every seek-support step says where help is found.

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
from resilience.planning._progress import Progress, Tally, next_steps, progress, reflection_due
from resilience.planning._reassessment import ProfileChange, ScoreChange, compare
from resilience.planning._schedule import CYCLE_WEEKS
from resilience.planning._targets import ROOM_TO_GROW, support_required, targets_for
from resilience.planning._wording import GENERAL_SUPPORT, SUPPORT_FALLBACK

__all__ = [
    "CYCLE_WEEKS",
    "GENERAL_SUPPORT",
    "REFLECTION",
    "ROOM_TO_GROW",
    "SUPPORT_FALLBACK",
    "ProfileChange",
    "Progress",
    "ScoreChange",
    "Tally",
    "build_plan",
    "compare",
    "next_steps",
    "progress",
    "reflection_due",
    "support_required",
    "targets_for",
]
