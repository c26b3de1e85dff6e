"""A person's resilience profile: explained strengths per pillar and capacity.

Every number in a profile comes from :class:`Contribution` values produced by scoring
rules, and the profile keeps them all in :attr:`ResilienceProfile.explanation`. A strength
of ``None`` means there was no evidence at all: unknown is not zero.

Example:
    >>> from resilience.model.taxonomy import Pillar
    >>> c = Contribution("network", "1", Pillar.BELONGING, value=80.0, weight=2.0,
    ...                  inputs={"Sam.quality": 0.8}, reason="one close friend seen weekly")
    >>> c.target
    <Pillar.BELONGING: 'belonging'>
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeAlias

import attrs

from resilience.errors import InvalidValueError
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.fields import (
    FrozenDict,
    check_aware,
    check_person_id,
    enum_map,
    enum_one,
    enum_set,
    enum_target,
    shown,
    text_fields,
    to_frozen_map,
    to_tuple,
)
from resilience.model.taxonomy import Capacity, IsolationDriver, IsolationSign, Pillar

__all__ = [
    "LITTLE_EVIDENCE",
    "CapacityScore",
    "Contribution",
    "Flag",
    "NetworkSummary",
    "NoteKind",
    "PillarScore",
    "ProfileNote",
    "ResilienceProfile",
    "RuleFunction",
    "ScoringRule",
    "SignReading",
    "Target",
]

#: What a contribution speaks to: a pillar or a capacity.
Target: TypeAlias = Pillar | Capacity

#: Evidence (summed weight) below which a known strength rests on little evidence: less
#: than one reading of a validated scale's items (0.75), so one or two checklist answers.
LITTLE_EVIDENCE = 0.75


def _check_value(instance: Contribution, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidValueError(f"{attribute.name} must be a finite number, not {shown(value)}")
    if attribute.name == "value" and not 0.0 <= value <= 100.0:
        raise InvalidValueError(f"value {shown(value)} is outside 0–100")
    if attribute.name == "weight" and value < 0.0:
        raise InvalidValueError(f"weight {shown(value)} is negative")


def _to_target(value: object) -> Pillar | Capacity:
    return enum_target("target", value)


@attrs.frozen(field_transformer=text_fields)
class Contribution:
    """One piece of evidence about one pillar or capacity, and where it came from.

    Attributes:
        rule: The name of the scoring rule that produced it.
        rule_version: That rule's version.
        target: The pillar or capacity it speaks to.
        value: The strength it suggests, 0–100, higher is stronger.
        weight: How much evidence it carries (0 or more).
        inputs: The numbers it was computed from, by name.
        reason: One line for people.

    Example:
        >>> Contribution("r", "1", Pillar.VALIDATION, value=120.0, weight=1.0)
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: value 120.0 is outside 0–100
    """

    rule: str
    rule_version: str
    target: Target = attrs.field(converter=_to_target)
    value: float = attrs.field(validator=_check_value)
    weight: float = attrs.field(validator=_check_value)
    inputs: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    reason: str = ""


def _check_strength(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidValueError(f"strength must be a finite number or None, not {shown(value)}")
    if not 0.0 <= value <= 100.0:
        raise InvalidValueError(f"strength {shown(value)} is outside 0–100")


def _check_evidence(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidValueError(f"evidence must be a finite number, not {shown(value)}")
    if value < 0.0:
        raise InvalidValueError(f"evidence {shown(value)} is negative")


def _to_pillar(value: object) -> Pillar:
    return enum_one(Pillar, "pillar", value)


@attrs.frozen(field_transformer=text_fields)
class PillarScore:
    """How strong one pillar is, and how much evidence stood behind it.

    Attributes:
        pillar: The pillar.
        strength: 0–100, higher is stronger; ``None`` when no evidence spoke to it.
        evidence: The summed weight of the contributions behind it.

    Example:
        >>> PillarScore(Pillar.BELONGING, None, 0.0).strength is None
        True
    """

    pillar: Pillar = attrs.field(converter=_to_pillar)
    strength: float | None = attrs.field(validator=_check_strength)
    evidence: float = attrs.field(validator=_check_evidence)

    @property
    def little_evidence(self) -> bool:
        """Whether a known strength rests on little evidence (below :data:`LITTLE_EVIDENCE`).

        Such a strength is a first impression, not a finding: it is shown as such and never
        called the weakest on its own.

        Example:
            >>> PillarScore(Pillar.BELONGING, 10.0, 0.25).little_evidence
            True
        """
        return self.strength is not None and self.evidence < LITTLE_EVIDENCE


def _to_capacity(value: object) -> Capacity:
    return enum_one(Capacity, "capacity", value)


@attrs.frozen(field_transformer=text_fields)
class CapacityScore:
    """How strong one resilience capacity is, and how much evidence stood behind it.

    Example:
        >>> CapacityScore(Capacity.RECOVER, 62.5, 1.0).strength
        62.5
    """

    capacity: Capacity = attrs.field(converter=_to_capacity)
    strength: float | None = attrs.field(validator=_check_strength)
    evidence: float = attrs.field(validator=_check_evidence)

    @property
    def little_evidence(self) -> bool:
        """Whether a known strength rests on little evidence (below :data:`LITTLE_EVIDENCE`).

        Example:
            >>> CapacityScore(Capacity.GROW, 0.0, 0.5).little_evidence
            True
        """
        return self.strength is not None and self.evidence < LITTLE_EVIDENCE


def _check_level(instance: SignReading, attribute: attrs.Attribute[float], value: float) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise InvalidValueError(f"{attribute.name} must be a finite number, not {shown(value)}")
    if not 0.0 <= value <= 100.0:
        raise InvalidValueError(f"{attribute.name} {shown(value)} is outside 0–100")


def _to_sign(value: object) -> IsolationSign:
    return enum_one(IsolationSign, "sign", value)


@attrs.frozen(field_transformer=text_fields)
class SignReading:
    """How strongly one sign of disconnection showed up.

    Attributes:
        sign: The sign.
        level: 0 (not at all) to 100 (all the time).
        source: The instrument it was read from.

    Example:
        >>> SignReading(IsolationSign.HIDES_STRUGGLES, 75.0, "connection-signs").present
        True
    """

    sign: IsolationSign = attrs.field(converter=_to_sign)
    level: float = attrs.field(validator=_check_level)
    source: str

    @property
    def present(self) -> bool:
        """Whether the sign was reported at all (a level above zero)."""
        return self.level > 0.0


def _to_coverage(value: object) -> FrozenDict[Pillar, Any]:
    return enum_map(Pillar, "coverage", value)


@attrs.frozen(field_transformer=text_fields)
class NetworkSummary:
    """What a support network looks like at a glance.

    Attributes:
        ties: How many connections were described.
        trusted_ties: How many of them are trusted (trust of 4 or more).
        coverage: Quality of support per pillar, 0–100 (quality over quantity).
        in_person_share: The share of monthly contacts that happen in person (0–1), or
            ``None`` when no contact frequency was given.

    Example:
        >>> NetworkSummary(0, 0, {}, None).trusted_ties
        0
    """

    ties: int
    trusted_ties: int
    coverage: Mapping[Pillar, float] = attrs.field(converter=_to_coverage)
    in_person_share: float | None


class Flag(enum.Enum):
    """Something the host app should act on when showing a profile.

    ``SUPPORT_ADVISED`` means the evidence describes severe isolation: the app should point
    the person to professional or community support. It is not a diagnosis.

    Example:
        >>> Flag("support-advised")
        <Flag.SUPPORT_ADVISED: 'support-advised'>
    """

    SUPPORT_ADVISED = "support-advised"


def _to_pillars(value: object) -> FrozenDict[Pillar, Any]:
    return enum_map(Pillar, "pillars", value)


def _to_capacities(value: object) -> FrozenDict[Capacity, Any]:
    return enum_map(Capacity, "capacities", value)


def _to_drivers(value: object) -> frozenset[IsolationDriver]:
    return enum_set(IsolationDriver, "drivers", value)


def _to_flags(value: object) -> frozenset[Flag]:
    return enum_set(Flag, "flags", value)


class NoteKind(enum.Enum):
    """What a :class:`ProfileNote` is about.

    Example:
        >>> NoteKind("missing-evidence")
        <NoteKind.MISSING_EVIDENCE: 'missing-evidence'>
    """

    MISSING_EVIDENCE = "missing-evidence"
    TRUSTED_NOT_FELT_SAFE = "trusted-not-felt-safe"


@attrs.frozen(field_transformer=text_fields)
class ProfileNote:
    """Something the person (or the app) should know about the profile's evidence.

    Attributes:
        kind: What the note is about.
        text: One or two full sentences, addressed to the person, in neutral words.
        ask: For missing evidence, the question that would supply it.
        about: What the note concerns: instrument ids, aliases or pillar ids.

    Example:
        >>> ProfileNote(NoteKind.MISSING_EVIDENCE, "Nothing yet says who is there.",
        ...             ask="Who could you talk to?").ask
        'Who could you talk to?'
    """

    kind: NoteKind
    text: str
    ask: str = ""
    about: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(field_transformer=text_fields)
class ResilienceProfile:
    """Explained strengths of one person at one time.

    Attributes:
        person_id: Whose profile it is.
        assessed_at: When the underlying assessment was taken.
        pillars: Strength per pillar (every pillar is present; unknown is ``None``).
        capacities: Strength per capacity (every capacity is present).
        signs: How strongly each sign of disconnection was reported.
        network: A summary of the support network, if one was described.
        drivers: The drivers of isolation in the person's life (context only).
        flags: Things the app should act on, such as :attr:`Flag.SUPPORT_ADVISED`.
        flag_reasons: Why each flag was raised, in plain words.
        explanation: Every contribution behind every number.
        scores: The instrument scores the profile was built from.
        notes: What the person should know about the evidence: which evidence is
            missing and how to ask for it, or a trusted tie that is not felt safe.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                   {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}})
        >>> profile = engine.profile(a)
        >>> profile.pillars[rs.Pillar.BELONGING].strength
        100.0
    """

    person_id: str = attrs.field(validator=check_person_id)
    assessed_at: dt.datetime = attrs.field(validator=check_aware)
    pillars: Mapping[Pillar, PillarScore] = attrs.field(converter=_to_pillars)
    capacities: Mapping[Capacity, CapacityScore] = attrs.field(converter=_to_capacities)
    signs: tuple[SignReading, ...] = attrs.field(default=(), converter=to_tuple)
    network: NetworkSummary | None = None
    drivers: frozenset[IsolationDriver] = attrs.field(default=frozenset(), converter=_to_drivers)
    flags: frozenset[Flag] = attrs.field(default=frozenset(), converter=_to_flags)
    flag_reasons: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    explanation: tuple[Contribution, ...] = attrs.field(default=(), converter=to_tuple)
    scores: Mapping[str, InstrumentScore] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    notes: tuple[ProfileNote, ...] = attrs.field(default=(), converter=to_tuple)

    def explain(self, target: Target) -> tuple[Contribution, ...]:
        """The contributions behind one pillar's or capacity's strength.

        Example:
            >>> import datetime as dt
            >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                       {}, {})
            >>> p.explain(Pillar.BELONGING)
            ()
        """
        return tuple(c for c in self.explanation if c.target == target)

    def shares(self, target: Target) -> tuple[tuple[Contribution, float], ...]:
        """Each contribution behind one target with its share ``weight / Σ weight`` (0–1).

        The shares of a target with any evidence add up to 1; a contribution of weight 0
        (or a target without evidence) has a share of 0.

        Example:
            >>> import datetime as dt
            >>> c = Contribution("r", "1", Pillar.BELONGING, 40.0, 3.0)
            >>> d = Contribution("s", "1", Pillar.BELONGING, 80.0, 1.0)
            >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                       {}, {}, explanation=(c, d))
            >>> [share for _, share in p.shares(Pillar.BELONGING)]
            [0.75, 0.25]
        """
        own = self.explain(target)
        total = math.fsum(c.weight for c in own)
        return tuple((c, c.weight / total if total > 0 else 0.0) for c in own)

    def weakest_pillars(self, *, solid_only: bool = False) -> tuple[Pillar, ...]:
        """Pillars with a known strength, weakest first (ties in the taxonomy's order).

        With ``solid_only=True``, only pillars that do not rest on little evidence
        (:attr:`PillarScore.little_evidence`): what may be called "the weakest" to a person.

        Example:
            >>> import datetime as dt
            >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...     {Pillar.BELONGING: PillarScore(Pillar.BELONGING, 20.0, 1.0),
            ...      Pillar.VALIDATION: PillarScore(Pillar.VALIDATION, 60.0, 1.0)}, {})
            >>> p.weakest_pillars()
            (<Pillar.BELONGING: 'belonging'>, <Pillar.VALIDATION: 'validation'>)
        """
        order = list(Pillar)
        known = [
            s
            for s in self.pillars.values()
            if s.strength is not None and not (solid_only and s.little_evidence)
        ]
        known.sort(key=lambda s: (s.strength, order.index(s.pillar)))
        return tuple(s.pillar for s in known)

    @property
    def support_advised(self) -> bool:
        """Whether professional or community support should be offered."""
        return Flag.SUPPORT_ADVISED in self.flags


#: A scoring rule's function: pure, deterministic, from an assessment and its scores.
RuleFunction: TypeAlias = Callable[
    [Assessment, Mapping[str, InstrumentScore]], Iterable[Contribution]
]


@attrs.frozen(field_transformer=text_fields)
class ScoringRule:
    """A named, versioned, pure function from an assessment to contributions.

    Attributes:
        name: A unique name; a plugin that registers the same name must ask to replace.
        version: Bump it whenever the rule's output changes.
        description: What evidence it reads and what it concludes, for the docs.
        function: ``function(assessment, scores) -> Iterable[Contribution]``; ``scores``
            maps each answered instrument's id to its :class:`InstrumentScore`.

    Example:
        >>> def steady(assessment, scores):
        ...     return [Contribution("steady", "1", Pillar.BELONGING, 50.0, 1.0)]
        >>> ScoringRule("steady", "1", "always 50", steady).name
        'steady'
    """

    name: str
    version: str
    description: str
    function: RuleFunction = attrs.field(eq=False)
