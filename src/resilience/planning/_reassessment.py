"""Re-assessment: what changed between two profiles of one person, and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from resilience.errors import PlanningError
from resilience.model.fields import (
    FrozenDict,
    check_aware,
    enum_map,
    enum_set,
    enum_target,
    text_fields,
    to_tuple,
)
from resilience.model.network import SupportNetwork
from resilience.model.plans import ConnectionPlan, Outcome, latest_check_ins
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    Flag,
    PillarScore,
    ResilienceProfile,
    Target,
)
from resilience.model.taxonomy import Capacity, Pillar
from resilience.planning._pace import worse

__all__ = ["REFLECTION_BELOW", "STEADY_WITHIN", "ProfileChange", "ScoreChange", "compare"]

#: A change of a strength (0–100) smaller than this is "steady": differences of a few
#: points are within what answering on another day gives.
STEADY_WITHIN = 5.0

#: Evidence (summed weight) below which a change rests on checklist answers only, less than
#: one validated reading: it is told as a reflection, not as a measured change.
REFLECTION_BELOW = 1.0


def _to_target(value: object) -> Pillar | Capacity:
    return enum_target("target", value)


@attrs.frozen(field_transformer=text_fields)
class ScoreChange:
    """How one pillar's or capacity's strength changed between two profiles, and why.

    Attributes:
        target: The pillar or capacity.
        before: Its strength in the earlier profile (``None``: no evidence then).
        after: Its strength in the later profile (``None``: no evidence now).
        explanation: One or two sentences for people: the change and the evidence that
            moved most.
        before_evidence: The contributions behind ``before`` (from the earlier profile).
        after_evidence: The contributions behind ``after`` (from the later profile).

    Example:
        >>> c = ScoreChange(Pillar.BELONGING, 30.0, 45.5, "Belonging rose.")
        >>> (c.change, c.direction)
        (15.5, 'up')
    """

    target: Target = attrs.field(converter=_to_target)
    before: float | None
    after: float | None
    explanation: str = ""
    before_evidence: tuple[Contribution, ...] = attrs.field(default=(), converter=to_tuple)
    after_evidence: tuple[Contribution, ...] = attrs.field(default=(), converter=to_tuple)

    @property
    def change(self) -> float | None:
        """``after - before``, or ``None`` when either is unknown."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def direction(self) -> str:
        """``"up"``, ``"down"``, ``"same"`` (less than :data:`STEADY_WITHIN`) or ``"unknown"``."""
        change = self.change
        if change is None:
            return "unknown"
        if abs(change) < STEADY_WITHIN:
            return "same"
        return "up" if change > 0 else "down"


def _to_pillar_changes(value: object) -> FrozenDict[Pillar, Any]:
    return enum_map(Pillar, "pillars", value)


def _to_capacity_changes(value: object) -> FrozenDict[Capacity, Any]:
    return enum_map(Capacity, "capacities", value)


def _to_flags_raised(value: object) -> frozenset[Flag]:
    return enum_set(Flag, "flags_raised", value)


def _to_flags_cleared(value: object) -> frozenset[Flag]:
    return enum_set(Flag, "flags_cleared", value)


@attrs.frozen(field_transformer=text_fields)
class ProfileChange:
    """What changed between two profiles of one person (a re-assessment).

    Made by :func:`resilience.planning.compare`.

    Attributes:
        person_id: Whose profiles they are.
        before_at: When the earlier assessment was taken.
        after_at: When the later one was taken.
        pillars: The change of every pillar.
        capacities: The change of every capacity.
        flags_raised: Flags the later profile has and the earlier one did not.
        flags_cleared: Flags the earlier profile had and the later one does not.
        summary: A short overview for people.
        time_only: When every answer is the same and the same network was described both
            times, the words for what time alone changed (a last contact now over three
            months ago); ``""`` otherwise. A fall then comes from time passing, not from
            anything the person said, and must be told that way.

    Example:
        >>> import datetime as dt
        >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
        >>> ProfileChange("p-1", when, when, {}, {}).flags_raised
        frozenset()
    """

    person_id: str
    before_at: dt.datetime = attrs.field(validator=check_aware)
    after_at: dt.datetime = attrs.field(validator=check_aware)
    pillars: Mapping[Pillar, ScoreChange] = attrs.field(converter=_to_pillar_changes)
    capacities: Mapping[Capacity, ScoreChange] = attrs.field(converter=_to_capacity_changes)
    flags_raised: frozenset[Flag] = attrs.field(default=frozenset(), converter=_to_flags_raised)
    flags_cleared: frozenset[Flag] = attrs.field(default=frozenset(), converter=_to_flags_cleared)
    summary: str = ""
    time_only: str = ""


def _describe_change(
    label: str,
    before: float | None,
    after: float | None,
    evidence: float,
    time_only: str,
) -> str:
    if before is None and after is None:
        return f"{label}: not measured either time."
    if before is None:
        return f"{label}: not measured before; now {after:.0f} of 100."
    if after is None:
        return f"{label}: {before:.0f} of 100 before; not measured this time."
    change = after - before
    if abs(change) < STEADY_WITHIN:
        return f"{label}: steady at about {after:.0f} of 100."
    verb = "rose" if change > 0 else "fell"
    head = f"{label}: {verb} from {before:.0f} to {after:.0f}."
    if time_only:
        return f"{head} This comes only from time passing, not from anything you said: {time_only}."
    if evidence < REFLECTION_BELOW:
        return (
            f"{head} This rests on checklist answers only, so read it as a reflection rather "
            "than a measured change."
        )
    return head


def _score_change(
    target: Target, old: ResilienceProfile, new: ResilienceProfile, time_only: str
) -> ScoreChange:
    was: PillarScore | CapacityScore | None
    now: PillarScore | CapacityScore | None
    if isinstance(target, Pillar):
        was, now = old.pillars.get(target), new.pillars.get(target)
    else:
        was, now = old.capacities.get(target), new.capacities.get(target)
    before = was.strength if was is not None else None
    after = now.strength if now is not None else None
    evidence = max(was.evidence if was else 0.0, now.evidence if now else 0.0)
    old_evidence, new_evidence = old.explain(target), new.explain(target)
    return ScoreChange(
        target,
        before,
        after,
        _describe_change(target.label, before, after, evidence, time_only),
        old_evidence,
        new_evidence,
    )


def _what_you_did(plan: ConnectionPlan | None) -> str:
    if plan is None:
        return ""
    latest = latest_check_ins(plan)
    done = sum(1 for c in latest.values() if c.outcome is Outcome.DONE)
    partly = sum(1 for c in latest.values() if c.outcome is Outcome.PARTLY)
    if not done and not partly:
        return (
            "No step of the last plan was checked in as done; that is all right, and the "
            "next plan starts small."
        )
    steps = f"{done} step{'s' if done != 1 else ''}"
    tail = f", and partly did {partly} more" if partly else ""
    return f"Since the last check you did {steps}{tail}. That counts."


def _time_passing(
    before: SupportNetwork | None,
    after: SupportNetwork | None,
    old: ResilienceProfile,
    new: ResilienceProfile,
) -> str:
    """Words for a change that comes only from time passing, or "" when it does not.

    Only when the same network was described both times, both profiles were made with a
    network, and every answer is the same can a change be put down to time alone.
    """
    if before is None or after is None or before != after:
        return ""
    if old.network is None or new.network is None:
        return ""  # a network given here that a profile was not made with explains nothing
    if {k: v.items for k, v in old.scores.items()} != {k: v.items for k, v in new.scores.items()}:
        return ""
    on = new.assessed_at.date()
    quiet = []
    for connection in sorted(after.connections, key=lambda c: c.alias):
        days = connection.days_since_contact(on)
        if days is None or days <= 30:
            continue
        span = "over a year" if days > 365 else "over three months" if days > 90 else "over a month"
        quiet.append(f"it is now {span} since you were in touch with {connection.alias}")
    return "; ".join(quiet[:2]) or "the time since you were last in touch has grown"


def _summary(
    changes: Sequence[ScoreChange],
    raised: frozenset[Flag],
    cleared: frozenset[Flag],
    opening: str,
    time_only: str,
    harder: bool,
) -> str:
    """The overview sentences of a re-assessment: what the person did, then what moved."""
    groups: dict[str, list[str]] = {"up": [], "down": []}
    for change in changes:
        if change.direction in groups and change.change is not None:
            groups[change.direction].append(change.target.label.lower())
    parts = [opening] if opening else []
    if groups["up"]:
        parts.append("Stronger: " + ", ".join(groups["up"]) + ".")
    if groups["down"] and time_only:
        parts.append("Lower with time only (" + ", ".join(groups["down"]) + "): " + time_only + ".")
    elif groups["down"]:
        parts.append("Lower: " + ", ".join(groups["down"]) + ".")
    newly = [c.target.label.lower() for c in changes if c.before is None and c.after is not None]
    gone = [c.target.label.lower() for c in changes if c.before is not None and c.after is None]
    if newly:
        parts.append("Measured for the first time: " + ", ".join(newly) + ".")
    if gone:
        parts.append("Not measured this time: " + ", ".join(gone) + ".")
    if not groups["up"] and not groups["down"] and not newly and not gone:
        parts.append(
            f"Everything measured is steady (no change of {STEADY_WITHIN:g} points or more)."
        )
    if harder:
        parts.append(
            "Things look harder than last time. That is not a failure, and you do not have to "
            "carry it alone: talking with a GP, a counsellor or a support line could help now."
        )
    elif Flag.SUPPORT_ADVISED in cleared:
        parts.append("Support is no longer flagged, though it stays open to you.")
    return " ".join(parts)


def compare(
    old: ResilienceProfile,
    new: ResilienceProfile,
    *,
    plan: ConnectionPlan | None = None,
    before_network: SupportNetwork | None = None,
    after_network: SupportNetwork | None = None,
) -> ProfileChange:
    """What changed between two profiles of one person, pillar by pillar and capacity by capacity.

    Each change carries the contributions behind both numbers (the explanation objects)
    and a sentence for the person. Changes under :data:`STEADY_WITHIN` are steady; a
    change resting on checklist answers only is told as a reflection; when both networks
    are given, are the same, and every answer is the same, a change is told as time passing.
    With ``plan`` (the plan followed since ``old``) the summary opens with what the person
    did; a worse picture ends with a kind pointer to support.

    Raises:
        ValueError: the profiles belong to different people.

    Example:
        >>> import datetime as dt
        >>> from resilience import PillarScore
        >>> when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        >>> old = ResilienceProfile("p", when, {Pillar.BELONGING: PillarScore(
        ...     Pillar.BELONGING, 30.0, 1.0)}, {})
        >>> new = ResilienceProfile("p", when + dt.timedelta(days=28), {Pillar.BELONGING:
        ...     PillarScore(Pillar.BELONGING, 45.0, 1.0)}, {})
        >>> compare(old, new).pillars[Pillar.BELONGING].explanation
        'Meaning and belonging: rose from 30 to 45.'
    """
    if old.person_id != new.person_id:
        raise PlanningError(
            f"cannot compare profiles of different people: {old.person_id!r}, {new.person_id!r}"
        )
    time_only = _time_passing(before_network, after_network, old, new)
    pillars = {p: _score_change(p, old, new, time_only) for p in Pillar}
    capacities = {c: _score_change(c, old, new, time_only) for c in Capacity}
    raised = new.flags - old.flags
    cleared = old.flags - new.flags
    harder = Flag.SUPPORT_ADVISED in raised or (not time_only and worse(old, new))
    summary = _summary(
        [*pillars.values(), *capacities.values()],
        raised,
        cleared,
        _what_you_did(plan),
        time_only,
        harder,
    )
    return ProfileChange(
        person_id=new.person_id,
        before_at=old.assessed_at,
        after_at=new.assessed_at,
        pillars=pillars,
        capacities=capacities,
        flags_raised=raised,
        flags_cleared=cleared,
        summary=summary,
        time_only=time_only,
    )
