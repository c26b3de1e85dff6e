"""Profile building: scoring rules turn an assessment into an explained profile (pure).

:func:`build_profile` runs every scoring rule once, checks what each returns, and combines
the contributions under one documented contract (:func:`combine`):

* a target's **strength** is the evidence-weighted mean ``Σ w·v / Σ w`` of the values of
  the contributions that speak to it, kept within 0–100;
* its **evidence** is ``Σ w``; with no evidence the strength is ``None`` (unknown is not
  zero);
* contributions are put in one canonical order (rule name, then target, then the rest of
  the contribution) and summed with :func:`math.fsum`, so a profile never depends on the
  order plugins were loaded or rules registered in.

A rule that raises, returns something other than contributions, stamps them with another
rule's name, or returns a value outside 0–100 or a negative weight stops the build with a
:class:`~resilience.ScoringRuleError` naming the rule and the plugin that registered it:
a profile silently built without one of its rules would mislead the person reading it.

Besides the strengths, the profile reads the signs of disconnection from the
``connection-signs`` checklist, summarises the support network, carries the drivers
through unchanged (they never lower a score), and raises :attr:`Flag.SUPPORT_ADVISED` when
the evidence describes severe isolation (see :func:`support_flags`). A profile describes
needs and strengths; it is not a diagnosis.

Example:
    >>> import datetime as dt, resilience as rs
    >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                   {"ucla-3": {"ucla-1": 2, "ucla-2": 1, "ucla-3": 1}})
    >>> profile = rs.Engine(load_installed=False).profile(a)
    >>> round(profile.pillars[rs.Pillar.BELONGING].strength, 1)
    83.3
    >>> profile.pillars[rs.Pillar.VALIDATION].strength is None
    True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import cast

from resilience.connection_quality import pillar_coverage
from resilience.errors import ScoringRuleError
from resilience.model._frozen import FrozenDict
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.instruments import Instrument, ResponseOption, ResponseScale
from resilience.model.network import ContactMode, SupportNetwork
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    Flag,
    NetworkSummary,
    PillarScore,
    ResilienceProfile,
    ScoringRule,
    SignReading,
    Target,
)
from resilience.model.taxonomy import Capacity, IsolationSign, Pillar

__all__ = [
    "FLAG_BANDS",
    "MOST_SIGNS",
    "OFTEN_LEVEL",
    "SIGNS_INSTRUMENT",
    "SIGNS_SCALE",
    "build_profile",
    "combine",
    "contribution_order",
    "contribution_problem",
    "missing_flag_bands",
    "read_signs",
    "summarise_network",
    "support_flags",
]

#: The id of the checklist the signs of disconnection are read from.
SIGNS_INSTRUMENT = "connection-signs"

#: The five-step frequency scale the signs are read on (0 never … 4 almost always). The
#: built-in ``connection-signs`` checklist is declared on this very scale, so the profile
#: can read signs without importing the plugin that defines the checklist.
SIGNS_SCALE = ResponseScale(
    "frequency-5",
    (
        ResponseOption(0, "never"),
        ResponseOption(1, "rarely"),
        ResponseOption(2, "sometimes"),
        ResponseOption(3, "often"),
        ResponseOption(4, "almost-always"),
    ),
)

_SIGN_LOW, _SIGN_HIGH = SIGNS_SCALE.minimum, SIGNS_SCALE.maximum

#: The sign level (0–100) of the answer "often" on the signs checklist (3 of 0–4 → 75).
OFTEN_LEVEL: float = (
    100.0
    * (next(o.value for o in SIGNS_SCALE.options if o.label == "often") - _SIGN_LOW)
    / (_SIGN_HIGH - _SIGN_LOW)
)

#: How many of the seven signs reported "often" or more make "most signs" (a majority).
MOST_SIGNS = 4

#: The band of each instrument that, by itself or with other evidence, raises the support
#: flag. A replacement definition must keep these band ids, or the flag can never rise
#: from it (the engine warns when one is missing).
FLAG_BANDS: Mapping[str, str] = {"djg-6": "severely-lonely", "ucla-3": "lonely"}


def missing_flag_bands(instruments: Mapping[str, Instrument]) -> list[str]:
    """Warnings for registered instruments that lack the band the support flag reads.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> missing_flag_bands({"ucla-3": UCLA_3})
        []
    """
    problems = []
    for instrument_id, band_id in FLAG_BANDS.items():
        instrument = instruments.get(instrument_id)
        if instrument is not None and band_id not in {b.id for b in instrument.bands}:
            problems.append(
                f"instrument {instrument_id!r} has no band {band_id!r}, which the support "
                "flag reads: with this definition its answers can never advise support. "
                f"Keep the band id {band_id!r} when replacing the definition."
            )
    return problems


def contribution_order(contribution: Contribution) -> tuple[object, ...]:
    """The canonical sort key of a contribution: rule name, target, then everything else.

    Example:
        >>> a = Contribution("b-rule", "1", Pillar.BELONGING, 10.0, 1.0)
        >>> b = Contribution("a-rule", "1", Capacity.HOPE, 90.0, 1.0)
        >>> [c.rule for c in sorted([a, b], key=contribution_order)]
        ['a-rule', 'b-rule']
    """
    target = contribution.target
    return (
        contribution.rule,
        0 if isinstance(target, Pillar) else 1,
        target.value,
        contribution.rule_version,
        contribution.value,
        contribution.weight,
        contribution.reason,
        tuple(sorted(contribution.inputs.items())),
    )


def combine(contributions: Iterable[Contribution]) -> tuple[float | None, float]:
    """The aggregation contract: ``(strength, evidence)`` of one target's contributions.

    ``strength = Σ w·v / Σ w`` (within 0–100) and ``evidence = Σ w``, both summed with
    :func:`math.fsum` over the contributions in :func:`contribution_order`; ``strength``
    is ``None`` when the evidence is zero.

    Example:
        >>> combine([Contribution("a", "1", Pillar.BELONGING, 80.0, 1.0),
        ...          Contribution("b", "1", Pillar.BELONGING, 20.0, 0.5)])
        (60.0, 1.5)
        >>> combine([])
        (None, 0.0)
    """
    return _combine_ordered(sorted(contributions, key=contribution_order))


def _combine_ordered(ordered: list[Contribution]) -> tuple[float | None, float]:
    evidence = math.fsum(c.weight for c in ordered)
    if not evidence > 0.0:
        return None, 0.0
    strength = math.fsum(c.weight * c.value for c in ordered) / evidence
    return min(100.0, max(0.0, strength)), evidence


def contribution_problem(rule: ScoringRule, item: object) -> str | None:
    """What is wrong with one thing a scoring rule returned, or ``None`` if it is sound.

    The rule contract, checked in one place for :func:`build_profile` and for
    :func:`resilience.testing.check_scoring_rule`: ``item`` must be a
    :class:`~resilience.Contribution` to a pillar or capacity, signed with the rule's own
    name and version, with a finite value within 0–100 and a finite, non-negative weight.
    The problem is worded to follow the rule's name ("scoring rule 'x' returned …").

    Example:
        >>> rule = ScoringRule("mine", "1", "", lambda assessment, scores: [])
        >>> contribution_problem(rule, Contribution("mine", "1", Pillar.BELONGING, 50.0, 1.0))
        >>> contribution_problem(rule, Contribution("other", "1", Pillar.BELONGING, 50.0, 1.0))
        "returned a contribution signed 'other' version '1'; it must carry the rule's own name 'mine' and version '1'"
    """  # noqa: E501
    if not isinstance(item, Contribution):
        return f"returned {type(item).__name__} {item!r:.60}, not Contribution"
    contribution = item
    target: object = contribution.target  # typed, but a plugin may put anything there
    if not isinstance(target, Pillar | Capacity):
        return f"returned a contribution for {target!r}, not a Pillar or Capacity"
    if contribution.rule != rule.name or contribution.rule_version != rule.version:
        return (
            f"returned a contribution signed {contribution.rule!r} version "
            f"{contribution.rule_version!r}; it must carry the rule's own name {rule.name!r} "
            f"and version {rule.version!r}"
        )
    for field in ("value", "weight"):
        number = getattr(contribution, field)
        if isinstance(number, bool) or not isinstance(number, int | float):
            return f"returned a {field} of type {type(number).__name__}, expected a number"
        if not math.isfinite(number):
            return f"returned a {field} that is not finite ({number!r})"
    if not 0.0 <= contribution.value <= 100.0:
        return f"returned value {contribution.value!r}, outside 0–100"
    if contribution.weight < 0.0:
        return f"returned a negative weight {contribution.weight!r}"
    return None


def _run(
    rule: ScoringRule,
    assessment: Assessment,
    scores: Mapping[str, InstrumentScore],
    plugin: str | None,
) -> list[Contribution]:
    suffix = "; the profile is not built without it"
    try:
        returned: object = rule.function(assessment, scores)
        if returned is None or isinstance(returned, str | bytes | Contribution):
            raise TypeError(
                f"returned {type(returned).__name__}, expected an iterable of Contribution"
            )
        produced: list[object] = list(returned)  # type: ignore[call-overload]
    except Exception as error:
        raise ScoringRuleError(
            rule.name, f"{type(error).__name__}: {error}{suffix}", plugin=plugin
        ) from error
    checked: list[Contribution] = []
    for item in produced:
        problem = contribution_problem(rule, item)
        if problem is not None:
            raise ScoringRuleError(rule.name, problem + suffix, plugin=plugin)
        checked.append(cast(Contribution, item))
    return checked


def read_signs(scores: Mapping[str, InstrumentScore]) -> tuple[SignReading, ...]:
    """How strongly each answered sign was reported (0 never … 100 almost always).

    Signs are read from the ``connection-signs`` checklist (:data:`SIGNS_INSTRUMENT`) on
    its 0–4 scale (:data:`SIGNS_SCALE`), in the taxonomy's order; unanswered signs are left
    out (unknown is not "absent").

    Example:
        >>> import resilience as rs
        >>> s = rs.Engine(load_installed=False).score(
        ...     "connection-signs", {sign.value: 3 for sign in rs.IsolationSign})
        >>> read_signs({"connection-signs": s})[0].level
        75.0
    """
    score = scores.get(SIGNS_INSTRUMENT)
    if score is None:
        return ()
    readings = []
    for sign in IsolationSign:
        if sign.value in score.items:
            share = (score.items[sign.value] - _SIGN_LOW) / (_SIGN_HIGH - _SIGN_LOW)
            level = 100.0 * min(1.0, max(0.0, share))
            readings.append(SignReading(sign, level, SIGNS_INSTRUMENT))
    return tuple(readings)


def summarise_network(network: SupportNetwork, on: dt.date) -> NetworkSummary:
    """Ties, trusted ties, support per pillar and the in-person share of contact.

    ``coverage`` is the network rule's quality-over-quantity reading per pillar
    (:func:`resilience.connection_quality.pillar_coverage`); ``in_person_share`` is the share
    of the monthly contacts (:attr:`Frequency.per_month`) that happen in person, or
    ``None`` when no contact frequency was given.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> sam = rs.Connection("Sam", rs.Relation.FRIEND, trust=5, safety=4,
        ...                     pillars={rs.Pillar.BELONGING},
        ...                     contact={rs.ContactMode.IN_PERSON: rs.Frequency.WEEKLY,
        ...                              rs.ContactMode.MESSAGE: rs.Frequency.WEEKLY})
        >>> summary = summarise_network(rs.SupportNetwork((sam,)), dt.date(2026, 1, 5))
        >>> (summary.ties, summary.trusted_ties, summary.in_person_share)
        (1, 1, 0.5)
    """
    in_person = math.fsum(
        c.contact[ContactMode.IN_PERSON].per_month
        for c in network.connections
        if ContactMode.IN_PERSON in c.contact
    )
    every = math.fsum(f.per_month for c in network.connections for f in c.contact.values())
    return NetworkSummary(
        ties=len(network.connections),
        trusted_ties=len(network.trusted()),
        coverage=pillar_coverage(network, on),
        in_person_share=in_person / every if every > 0 else None,
    )


def _no_confidant(
    network: SupportNetwork | None, scores: Mapping[str, InstrumentScore]
) -> str | None:
    if network is not None and not network.trusted():
        return "the support network names no one the person trusts (trust of 4 or more)"
    lsns = scores.get("lsns-6")
    if lsns is not None and lsns.items.get("lsns-2") == 0 and lsns.items.get("lsns-5") == 0:
        return "the LSNS-6 answers name no one, in family or among friends, to talk with"
    return None


def support_flags(
    scores: Mapping[str, InstrumentScore],
    signs: Iterable[SignReading],
    network: SupportNetwork | None,
) -> tuple[frozenset[Flag], tuple[str, ...]]:
    """The flags a profile carries, with one plain-words reason per condition met.

    :attr:`Flag.SUPPORT_ADVISED` is raised when any of these holds:

    1. the De Jong Gierveld scale (``djg-6``) total falls in its "severely-lonely" band;
    2. the UCLA-3 total falls in its "lonely" band **and** nobody trusted is there: the
       described network has no trusted tie, or the LSNS-6 names no one in family or
       among friends to talk with about private matters;
    3. at least :data:`MOST_SIGNS` of the seven signs were reported "often" or more.

    Band ids are read from the scores, so a host that moves a cut-off (for example with
    ``make_ucla3(lonely_from=7)``) moves the flag with it.

    Example:
        >>> import resilience as rs
        >>> s = rs.Engine(load_installed=False).score(
        ...     "djg-6", {f"djg-{i}": v for i, v in enumerate((3, 1, 1, 3, 1, 3), 1)})
        >>> flags, reasons = support_flags({"djg-6": s}, (), None)
        >>> sorted(flag.value for flag in flags)
        ['support-advised']
    """
    reasons: list[str] = []
    djg = scores.get("djg-6")
    if djg is not None and djg.band == "severely-lonely":
        reasons.append(
            f"The De Jong Gierveld answers (total {djg.total:g} of {djg.total_range[1]:g}, "
            "band 'severely-lonely') describe a strong unmet need for connection."
        )
    ucla = scores.get("ucla-3")
    if ucla is not None and ucla.band == "lonely":
        nobody = _no_confidant(network, scores)
        if nobody is not None:
            reasons.append(
                f"The UCLA-3 answers (total {ucla.total:g} of {ucla.total_range[1]:g}, "
                f"band 'lonely') describe loneliness, and {nobody}."
            )
    frequent = [reading for reading in signs if reading.level >= OFTEN_LEVEL]
    if len(frequent) >= MOST_SIGNS:
        names = "; ".join(reading.sign.label.lower() for reading in frequent)
        reasons.append(
            f"{len(frequent)} of the 7 signs of disconnection were reported often or more "
            f"({names})."
        )
    if not reasons:
        return frozenset(), ()
    reasons.append(
        "Talking with a professional or a community support service is advised; this is "
        "a pointer to support, not a diagnosis."
    )
    return frozenset({Flag.SUPPORT_ADVISED}), tuple(reasons)


def build_profile(
    assessment: Assessment,
    scores: Mapping[str, InstrumentScore],
    rules: Mapping[str, ScoringRule],
    *,
    plugins: Mapping[str, str] | None = None,
) -> ResilienceProfile:
    """Run every rule and combine the contributions into an explained profile.

    Args:
        assessment: What the person answered, with their network and drivers.
        scores: The score of every instrument answered, by instrument id.
        rules: The scoring rules to run, by name (every one runs; their order does not
            matter).
        plugins: Which plugin registered each rule, by rule name, for error messages.

    Raises:
        ScoringRuleError: a rule raised or returned something invalid; the error names
            the rule and its plugin, and no profile is built.

    Example:
        >>> import datetime as dt
        >>> def half(assessment, scores):
        ...     return [Contribution("half", "1", Pillar.BELONGING, 50.0, 1.0)]
        >>> p = build_profile(
        ...     Assessment("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)), {},
        ...     {"half": ScoringRule("half", "1", "always 50", half)})
        >>> (p.pillars[Pillar.BELONGING].strength, p.pillars[Pillar.VALIDATION].strength)
        (50.0, None)
    """
    owners = plugins or {}
    contributions: list[Contribution] = []
    for name in sorted(rules):
        rule = rules[name]
        contributions.extend(_run(rule, assessment, scores, owners.get(name)))
    contributions.sort(key=contribution_order)

    by_target: dict[Target, list[Contribution]] = {}
    for contribution in contributions:
        by_target.setdefault(contribution.target, []).append(contribution)
    pillars = {}
    for pillar in Pillar:
        strength, evidence = _combine_ordered(by_target.get(pillar, []))
        pillars[pillar] = PillarScore(pillar, strength, evidence)
    capacities = {}
    for capacity in Capacity:
        strength, evidence = _combine_ordered(by_target.get(capacity, []))
        capacities[capacity] = CapacityScore(capacity, strength, evidence)

    signs = read_signs(scores)
    network = assessment.network
    summary = None if network is None else summarise_network(network, assessment.taken_at.date())
    flags, reasons = support_flags(scores, signs, network)
    return ResilienceProfile(
        person_id=assessment.person_id,
        assessed_at=assessment.taken_at,
        pillars=pillars,
        capacities=capacities,
        signs=signs,
        network=summary,
        drivers=assessment.drivers,
        flags=flags,
        flag_reasons=reasons,
        explanation=tuple(contributions),
        scores=FrozenDict(scores),
    )
