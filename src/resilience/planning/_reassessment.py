"""Re-assessment: what changed between two profiles of one person, and why."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from resilience.errors import PlanningError
from resilience.model._checks import check_aware, enum_map, enum_set, enum_target, text_fields
from resilience.model._frozen import FrozenDict, to_tuple
from resilience.model.profile import Contribution, Flag, ResilienceProfile, Target
from resilience.model.taxonomy import Capacity, Pillar

__all__ = ["ProfileChange", "ScoreChange", "compare"]


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
        """``"up"``, ``"down"``, ``"same"`` (within half a point) or ``"unknown"``."""
        change = self.change
        if change is None:
            return "unknown"
        if abs(change) < 0.5:
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


def _by_rule(contributions: Iterable[Contribution]) -> dict[str, float]:
    groups: dict[str, list[Contribution]] = {}
    for c in contributions:
        groups.setdefault(c.rule, []).append(c)
    means: dict[str, float] = {}
    for rule, own in groups.items():
        weight = math.fsum(c.weight for c in own)
        if weight > 0:
            means[rule] = math.fsum(c.weight * c.value for c in own) / weight
        else:
            means[rule] = math.fsum(c.value for c in own) / len(own)
    return means


def _describe_change(
    label: str,
    before: float | None,
    after: float | None,
    old: Sequence[Contribution],
    new: Sequence[Contribution],
) -> str:
    if before is None and after is None:
        return f"{label}: not measured either time."
    if before is None:
        head = f"{label}: not measured before; now {after:.0f} of 100."
    elif after is None:
        head = f"{label}: {before:.0f} of 100 before; not measured this time."
    else:
        change = after - before
        if abs(change) < 0.5:
            head = f"{label}: steady at {after:.0f} of 100."
        else:
            verb = "rose" if change > 0 else "fell"
            head = f"{label}: {verb} from {before:.0f} to {after:.0f} ({change:+.0f})."
    was, now = _by_rule(old), _by_rule(new)
    shifts: list[tuple[float, str, str]] = []
    for rule in sorted(set(was) | set(now)):
        a, b = was.get(rule), now.get(rule)
        if a is not None and b is not None and abs(b - a) >= 0.5:
            shifts.append((abs(b - a), rule, f"{rule!r} {a:.0f} → {b:.0f}"))
        elif a is None and b is not None:
            shifts.append((math.inf, rule, f"{rule!r} new evidence at {b:.0f}"))
        elif a is not None and b is None:
            shifts.append((math.inf, rule, f"{rule!r} no longer answered"))
    shifts.sort(key=lambda entry: (-entry[0], entry[1]))
    if not shifts:
        return head
    return f"{head} What moved: " + "; ".join(text for _, _, text in shifts[:3]) + "."


def _score_change(target: Target, old: ResilienceProfile, new: ResilienceProfile) -> ScoreChange:
    before: float | None = None
    after: float | None = None
    if isinstance(target, Pillar):
        old_p, new_p = old.pillars.get(target), new.pillars.get(target)
        before = old_p.strength if old_p is not None else None
        after = new_p.strength if new_p is not None else None
    else:
        old_c, new_c = old.capacities.get(target), new.capacities.get(target)
        before = old_c.strength if old_c is not None else None
        after = new_c.strength if new_c is not None else None
    old_evidence, new_evidence = old.explain(target), new.explain(target)
    return ScoreChange(
        target,
        before,
        after,
        _describe_change(target.label, before, after, old_evidence, new_evidence),
        old_evidence,
        new_evidence,
    )


def _summary(
    changes: Sequence[ScoreChange], raised: frozenset[Flag], cleared: frozenset[Flag]
) -> str:
    """The overview sentences of a re-assessment: what rose, fell, appeared or went."""
    groups: dict[str, list[str]] = {"up": [], "down": []}
    for change in changes:
        if change.direction in groups and change.change is not None:
            groups[change.direction].append(f"{change.target.label.lower()} ({change.change:+.0f})")
    parts = []
    if groups["up"]:
        parts.append("Stronger: " + ", ".join(groups["up"]) + ".")
    if groups["down"]:
        parts.append("Weaker: " + ", ".join(groups["down"]) + ".")
    unmeasured = [
        change.target.label.lower()
        for change in changes
        if change.before is not None and change.after is None
    ]
    newly = [
        change.target.label.lower()
        for change in changes
        if change.before is None and change.after is not None
    ]
    if newly:
        parts.append("Measured for the first time: " + ", ".join(newly) + ".")
    if unmeasured:
        parts.append("Not measured this time: " + ", ".join(unmeasured) + ".")
    if not parts:
        parts.append("No measured pillar or capacity moved by a whole point.")
    if Flag.SUPPORT_ADVISED in raised:
        parts.append("Support is now advised: point to professional or community help.")
    if Flag.SUPPORT_ADVISED in cleared:
        parts.append("Support is no longer flagged, though it stays open to them.")
    return " ".join(parts)


def compare(old: ResilienceProfile, new: ResilienceProfile) -> ProfileChange:
    """What changed between two profiles of one person, pillar by pillar and capacity by capacity.

    Each change carries the contributions behind both numbers and a sentence naming the
    rules whose evidence moved most.

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
        'Meaning and belonging: rose from 30 to 45 (+15).'
    """
    if old.person_id != new.person_id:
        raise PlanningError(
            f"cannot compare profiles of different people: {old.person_id!r}, {new.person_id!r}"
        )
    pillars = {p: _score_change(p, old, new) for p in Pillar}
    capacities = {c: _score_change(c, old, new) for c in Capacity}
    raised = new.flags - old.flags
    cleared = old.flags - new.flags
    summary = _summary([*pillars.values(), *capacities.values()], raised, cleared)
    return ProfileChange(
        person_id=new.person_id,
        before_at=old.assessed_at,
        after_at=new.assessed_at,
        pillars=pillars,
        capacities=capacities,
        flags_raised=raised,
        flags_cleared=cleared,
        summary=summary,
    )
