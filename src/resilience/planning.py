"""Plan building, check-ins and progress (pure); filled in by the planning work."""

from __future__ import annotations

import datetime as dt

from resilience.model.network import SupportNetwork
from resilience.model.plans import ConnectionPlan, StepTemplate, SupportResource
from resilience.model.profile import ResilienceProfile

__all__ = ["build_plan"]


def build_plan(
    profile: ResilienceProfile,
    *,
    templates: tuple[StepTemplate, ...],
    resources: tuple[SupportResource, ...],
    network: SupportNetwork | None,
    today: dt.date,
    previous: ConnectionPlan | None,
    weekly_limit: int,
) -> ConnectionPlan:
    """Build a plan from a profile."""
    raise NotImplementedError("planning is being built")
