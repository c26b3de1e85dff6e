"""Profile building: scoring rules turn an assessment into an explained profile (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from resilience.errors import ScoringRuleError
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    PillarScore,
    ResilienceProfile,
    ScoringRule,
)
from resilience.model.taxonomy import Capacity, Pillar

__all__ = ["build_profile"]


def build_profile(
    assessment: Assessment,
    scores: Mapping[str, InstrumentScore],
    rules: Mapping[str, ScoringRule],
    *,
    plugins: Mapping[str, str] | None = None,
) -> ResilienceProfile:
    """Run every rule and combine the contributions into a profile."""
    contributions: list[Contribution] = []
    for name in sorted(rules):
        rule = rules[name]
        try:
            contributions.extend(rule.function(assessment, scores))
        except Exception as error:
            plugin = (plugins or {}).get(name)
            raise ScoringRuleError(
                name, f"{type(error).__name__}: {error}", plugin=plugin
            ) from error
    pillars = {}
    for pillar in Pillar:
        own = [c for c in contributions if c.target == pillar]
        weight = math.fsum(c.weight for c in own)
        strength = math.fsum(c.weight * c.value for c in own) / weight if weight else None
        pillars[pillar] = PillarScore(pillar, strength, weight)
    capacities = {}
    for capacity in Capacity:
        own = [c for c in contributions if c.target == capacity]
        weight = math.fsum(c.weight for c in own)
        strength = math.fsum(c.weight * c.value for c in own) / weight if weight else None
        capacities[capacity] = CapacityScore(capacity, strength, weight)
    return ResilienceProfile(
        person_id=assessment.person_id,
        assessed_at=assessment.taken_at,
        pillars=pillars,
        capacities=capacities,
        drivers=assessment.drivers,
        explanation=tuple(contributions),
        scores=scores,
    )
