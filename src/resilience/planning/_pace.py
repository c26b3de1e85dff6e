"""Pace: how much a continued plan asks for, after what the person did and how it went.

* **Repeated skips** (:data:`REPEATED_SKIPS` or more skipped steps in the plan before)
  lower the weekly load by one step (never below one).
* **A worse re-assessment** (support newly advised, or the pillars known both times fell
  by :data:`WORSE_BY` points or more on average) gives a shorter, gentler plan: at most
  :data:`GENTLE_WEEKLY_LIMIT` steps a week, none above small effort, support first.

How a done step *felt* shapes its own ladder (``LadderMode.STAY``): a step done but felt
hard is followed by one of the same size.
"""

from __future__ import annotations

import math

import attrs

from resilience.model.plans import ConnectionPlan, Effort, Outcome, latest_check_ins
from resilience.model.profile import ResilienceProfile

__all__ = ["GENTLE_WEEKLY_LIMIT", "REPEATED_SKIPS", "WORSE_BY", "Pace", "pace_for", "worse"]

#: Skipped steps in the plan before from which the weekly load is lowered.
REPEATED_SKIPS = 2
#: The average fall (0–100) of the pillars known both times that makes a re-assessment worse.
WORSE_BY = 5.0
#: The most steps a week of a plan made after a worse re-assessment.
GENTLE_WEEKLY_LIMIT = 2


@attrs.frozen
class Pace:
    """The load of the plan being made.

    Attributes:
        weekly_limit: The most steps due in any one week.
        ceiling: The highest effort level any step may have (``None``: no ceiling).
        gentle: Whether the plan follows a worse re-assessment (support comes first).
        skipped: Skipped steps in the plan before.

    Example:
        >>> Pace(3).gentle
        False
    """

    weekly_limit: int
    ceiling: int | None = None
    gentle: bool = False
    skipped: int = 0


def worse(before: ResilienceProfile, after: ResilienceProfile) -> bool:
    """Whether ``after`` is a worse picture than ``before`` (see the module notes).

    Example:
        >>> import datetime as dt
        >>> from resilience import Flag
        >>> when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        >>> calm = ResilienceProfile("p", when, {}, {})
        >>> worse(calm, ResilienceProfile("p", when, {}, {}, flags={Flag.SUPPORT_ADVISED}))
        True
    """
    if after.support_advised and not before.support_advised:
        return True
    falls = [
        b.strength - a.strength
        for pillar, a in after.pillars.items()
        if a.strength is not None
        and (b := before.pillars.get(pillar)) is not None
        and b.strength is not None
    ]
    return bool(falls) and math.fsum(falls) / len(falls) >= WORSE_BY


def pace_for(
    profile: ResilienceProfile, previous: ConnectionPlan | None, weekly_limit: int
) -> Pace:
    """The pace of a plan for ``profile`` that continues ``previous``.

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> pace_for(p, None, 3)
        Pace(weekly_limit=3, ceiling=None, gentle=False, skipped=0)
    """
    if previous is None:
        return Pace(weekly_limit)
    latest = latest_check_ins(previous)
    skipped = sum(1 for c in latest.values() if c.outcome is Outcome.SKIPPED)
    limit = weekly_limit - 1 if skipped >= REPEATED_SKIPS else weekly_limit
    if worse(previous.profile, profile):
        return Pace(
            max(1, min(limit, GENTLE_WEEKLY_LIMIT)),
            Effort.SMALL.level,
            gentle=True,
            skipped=skipped,
        )
    return Pace(max(1, limit), skipped=skipped)
