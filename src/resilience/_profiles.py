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

A rule that raises (anything: ``SystemExit`` and other ``BaseException`` subclasses too,
except ``KeyboardInterrupt``), returns something other than contributions, stamps them
with another rule's name, or returns a value outside 0–100 or a negative weight stops the
build with a :class:`~resilience.ScoringRuleError` naming the rule and the plugin that
registered it (see :func:`run_rule`): a profile silently built without one of its rules
would mislead the person reading it.

Besides the strengths, the profile reads the signs of disconnection, summarises the
support network, carries the drivers through unchanged (they never lower a score), raises
:attr:`Flag.SUPPORT_ADVISED` when the evidence describes severe isolation (see
:func:`support_flags`) and notes what the person should know about the evidence (see
:func:`profile_notes`). Signs, flag and notes read only what each instrument declares
(:class:`~resilience.SupportDeclaration`): this module names no instrument. A profile
describes needs and strengths; it is not a diagnosis.

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

from resilience._network_quality import pillar_coverage
from resilience.errors import ScoringRuleError
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.fields import FrozenDict, shown
from resilience.model.instruments import Instrument
from resilience.model.network import ContactMode, SupportNetwork
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    Flag,
    NetworkSummary,
    NoteKind,
    PillarScore,
    ProfileNote,
    ResilienceProfile,
    ScoringRule,
    SignReading,
    Target,
)
from resilience.model.taxonomy import Capacity, IsolationSign, Pillar

__all__ = [
    "ASK_FOR_NETWORK",
    "MOST_SIGNS",
    "build_profile",
    "combine",
    "contribution_order",
    "contribution_problem",
    "profile_notes",
    "read_signs",
    "run_rule",
    "summarise_network",
    "support_flags",
]

#: How many of the seven signs reported "often" or more make "most signs" (a majority).
MOST_SIGNS = 4


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
    :func:`resilience.testing.check_scoring_rule` (both through :func:`run_rule`): ``item``
    must be a :class:`~resilience.Contribution` to a pillar or capacity, signed with the
    rule's own name and version, with a finite value within 0–100, a finite, non-negative
    weight, inputs that map names to finite numbers and a reason that is text. The problem
    is worded to follow the rule's name ("scoring rule 'x' returned …").

    Example:
        >>> rule = ScoringRule("mine", "1", "", lambda assessment, scores: [])
        >>> contribution_problem(rule, Contribution("mine", "1", Pillar.BELONGING, 50.0, 1.0))
        >>> contribution_problem(rule, Contribution("other", "1", Pillar.BELONGING, 50.0, 1.0))
        "returned a contribution signed 'other' version '1'; it must carry the rule's own name 'mine' and version '1'"
    """  # noqa: E501
    if not isinstance(item, Contribution):
        return f"returned {type(item).__name__} {shown(item)}, not Contribution"
    contribution = item
    target: object = contribution.target  # typed, but a plugin may put anything there
    if not isinstance(target, Pillar | Capacity):
        return f"returned a contribution for {shown(target)}, not a Pillar or Capacity"
    if contribution.rule != rule.name or contribution.rule_version != rule.version:
        return (
            f"returned a contribution signed {shown(contribution.rule)} version "
            f"{shown(contribution.rule_version)}; it must carry the rule's own name "
            f"{rule.name!r} and version {rule.version!r}"
        )
    for field in ("value", "weight"):
        problem = _number_problem(getattr(contribution, field))
        if problem is not None:
            return f"returned a {field} that is {problem}"
    if not 0.0 <= contribution.value <= 100.0:
        return f"returned value {contribution.value!r}, outside 0–100"
    if contribution.weight < 0.0:
        return f"returned a negative weight {contribution.weight!r}"
    inputs: object = contribution.inputs
    if not isinstance(inputs, Mapping):
        return f"returned inputs of type {type(inputs).__name__}, expected a mapping"
    for name, number in inputs.items():
        if not isinstance(name, str):
            return f"returned an input named {shown(name)}; input names must be text"
        problem = _number_problem(number)
        if problem is not None:
            return f"returned input {name!r} that is {problem}"
    reason: object = contribution.reason
    if not isinstance(reason, str):
        return f"returned a reason of type {type(reason).__name__}, expected text"
    return None


def _number_problem(number: object) -> str | None:
    if isinstance(number, bool) or not isinstance(number, int | float):
        return f"of type {type(number).__name__}, not a number"
    if not math.isfinite(number):
        return f"not finite ({number!r})"
    return None


def run_rule(
    rule: ScoringRule,
    assessment: Assessment,
    scores: Mapping[str, InstrumentScore],
    *,
    plugin: str | None = None,
) -> list[Contribution]:
    """Call one scoring rule and check everything it returns against the rule contract.

    A plugin's rule is isolated like every other plugin hook: whatever it raises (any
    exception, also ``SystemExit``, ``GeneratorExit`` or a custom ``BaseException``; only
    ``KeyboardInterrupt``, the user's Ctrl-C, is let through), while it runs or while its
    result is read, becomes a :class:`~resilience.ScoringRuleError` whose ``__cause__``
    is what it raised. Returning anything but contributions that keep the contract (see
    :func:`contribution_problem`) is a :class:`~resilience.ScoringRuleError` too, with no
    cause. The contributions come back as plain :class:`~resilience.Contribution` values.

    Args:
        rule: The rule to run.
        assessment: What the person answered.
        scores: The score of every instrument answered, by instrument id.
        plugin: The plugin that registered the rule, named in the error.

    Raises:
        ScoringRuleError: the rule raised or broke the contract; ``detail`` says how.

    Example:
        >>> import datetime as dt, sys
        >>> a = Assessment("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
        >>> run_rule(ScoringRule("leaves", "1", "", lambda a, s: sys.exit(3)), a, {},
        ...          plugin="acme")
        Traceback (most recent call last):
        ...
        resilience.errors.ScoringRuleError: scoring rule 'leaves' (plugin acme): SystemExit: 3
    """
    try:
        returned: object = rule.function(assessment, scores)
        if returned is None or isinstance(returned, str | bytes | Mapping | Contribution):
            raise ScoringRuleError(
                rule.name,
                f"returned {type(returned).__name__}, expected an iterable of Contribution",
                plugin=plugin,
            )
        produced: list[object] = list(returned)  # type: ignore[call-overload]
    except (KeyboardInterrupt, ScoringRuleError):
        raise
    except BaseException as error:  # a plugin's rule must never take the engine down
        raise ScoringRuleError(rule.name, _describe(error), plugin=plugin) from error
    checked: list[Contribution] = []
    for item in produced:
        try:
            problem = contribution_problem(rule, item)
            plain = _plain(cast(Contribution, item)) if problem is None else None
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # a hostile value: its attributes or repr raise
            problem = f"returned a value that raised when read ({_describe(error)})"
            plain = None
        if plain is None:
            raise ScoringRuleError(
                rule.name, problem or "returned an unreadable value", plugin=plugin
            )
        checked.append(plain)
    return checked


def _describe(error: BaseException) -> str:
    try:
        message = str(error)
    except KeyboardInterrupt:
        raise
    except BaseException:  # a custom error whose __str__ fails
        message = "(its message cannot be shown)"
    return f"{type(error).__name__}: {message}"


def _plain(contribution: Contribution) -> Contribution:
    # A subclass could carry behaviour (ordering, hashing) the profile must not run.
    if type(contribution) is Contribution:
        return contribution
    return Contribution(
        contribution.rule,
        contribution.rule_version,
        contribution.target,
        contribution.value,
        contribution.weight,
        inputs=dict(contribution.inputs),
        reason=contribution.reason,
    )


def _declared(
    instruments: Mapping[str, Instrument], scores: Mapping[str, InstrumentScore]
) -> list[tuple[Instrument, InstrumentScore]]:
    """The answered instruments with their scores, in id order (a stable order for reasons)."""
    return [(instruments[iid], scores[iid]) for iid in sorted(scores) if iid in instruments]


def _label(instrument: Instrument) -> str:
    return instrument.support.label or instrument.name


def read_signs(
    scores: Mapping[str, InstrumentScore], instruments: Mapping[str, Instrument]
) -> tuple[SignReading, ...]:
    """How strongly each answered sign was reported (0 never … 100 almost always).

    Signs are read from every answered instrument that declares sign items
    (:attr:`SupportDeclaration.signs <resilience.SupportDeclaration.signs>`), on each item's
    own scale, in instrument id order and then the taxonomy's order; unanswered signs are
    left out (unknown is not "absent").

    Example:
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> s = engine.score("connection-signs", {sign.value: 3 for sign in rs.IsolationSign})
        >>> read_signs({"connection-signs": s}, engine.instruments)[0].level
        75.0
    """
    readings = []
    for instrument, score in _declared(instruments, scores):
        declared = instrument.support.signs
        by_sign = {sign: item_id for item_id, sign in declared.items()}
        for sign in IsolationSign:
            item_id = by_sign.get(sign)
            if item_id is None or item_id not in score.items:
                continue
            readings.append(
                SignReading(sign, _sign_level(instrument, item_id, score), score.instrument_id)
            )
    return tuple(readings)


def _sign_level(instrument: Instrument, item_id: str, score: InstrumentScore) -> float:
    low, high = instrument.item_range(instrument.item(item_id))
    share = (score.items[item_id] - low) / (high - low)
    return 100.0 * min(1.0, max(0.0, share))


def _often_level(instrument: Instrument, item_id: str) -> float:
    low, high = instrument.item_range(instrument.item(item_id))
    often = instrument.support.often_from
    return 100.0 * ((often if often is not None else high) - low) / (high - low)


def _often_signs(
    scores: Mapping[str, InstrumentScore], instruments: Mapping[str, Instrument]
) -> list[IsolationSign]:
    """The signs reported "often" or more (each instrument's own declared threshold)."""
    often: set[IsolationSign] = set()
    for instrument, score in _declared(instruments, scores):
        for item_id, sign in instrument.support.signs.items():
            if item_id in score.items and _sign_level(instrument, item_id, score) >= _often_level(
                instrument, item_id
            ):
                often.add(sign)
    return [sign for sign in IsolationSign if sign in often]


def summarise_network(network: SupportNetwork, on: dt.date) -> NetworkSummary:
    """Ties, trusted ties, support per pillar and the in-person share of contact.

    ``coverage`` is the network rule's quality-over-quantity reading per pillar
    (:func:`resilience._network_quality.pillar_coverage`); ``in_person_share`` is the share
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
    network: SupportNetwork | None,
    scores: Mapping[str, InstrumentScore],
    instruments: Mapping[str, Instrument],
) -> str | None:
    """Evidence that nobody trusted is there, in words, or ``None``."""
    if network is not None and not network.trusted():
        return "none of the people you described is someone you trust"
    for instrument, score in _declared(instruments, scores):
        items = instrument.support.confidant_items
        if items and all(
            item in score.items
            and score.items[item] == instrument.item_range(instrument.item(item))[0]
            for item in items
        ):
            return (
                f"your answers on the {_label(instrument)} name no one to talk with about "
                "private matters"
            )
    return None


def _at_worst(score: InstrumentScore) -> bool:
    if score.total is None:  # no total (too many items unanswered): not at the worst end
        return False
    low, high = score.total_range
    return score.total <= low if score.higher_is_better else score.total >= high


def _severe(instrument: Instrument, score: InstrumentScore) -> bool:
    declared = instrument.support
    return score.band in declared.severe_bands or (declared.severe_at_worst and _at_worst(score))


def _lonely(instrument: Instrument, score: InstrumentScore) -> bool:
    return score.band in instrument.support.lonely_bands or _severe(instrument, score)


def support_flags(
    scores: Mapping[str, InstrumentScore],
    signs: Iterable[SignReading],
    network: SupportNetwork | None,
    instruments: Mapping[str, Instrument],
) -> tuple[frozenset[Flag], tuple[str, ...]]:
    """The flags a profile carries, with one plain-words reason per condition met.

    Reads only what the instruments declare (:class:`~resilience.SupportDeclaration`).
    :attr:`Flag.SUPPORT_ADVISED` is raised when any of these holds:

    1. **severe**: a total falls in a band its instrument declares severe
       (``severe_bands``), or at the loneliest end of its range where the instrument
       declares that severe (``severe_at_worst``);
    2. **lonely with nobody trusted**: a total falls in a band declared as reporting
       loneliness (``lonely_bands``) **and** nobody trusted is there: the described network
       has no trusted tie, or an instrument's declared confidant items are all answered at
       their lowest ("nobody to talk with about private matters");
    3. **lonely with a small network**: loneliness is reported as in 2 **and** another
       total falls in a band declared as a small network (``at_risk_bands``);
    4. **most signs often**: at least :data:`MOST_SIGNS` of the seven signs, read from
       the declared sign items, were reported "often" or more.

    Band ids are read from the scores, so a host that moves a cut-off moves the flag with
    it, and a plugin that replaces an instrument moves the flag with its declaration.

    Example:
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> s = engine.score(
        ...     "djg-6", {f"djg-{i}": v for i, v in enumerate((3, 1, 1, 3, 1, 3), 1)})
        >>> flags, reasons = support_flags({"djg-6": s}, (), None, engine.instruments)
        >>> sorted(flag.value for flag in flags)
        ['support-advised']
    """
    del signs  # the declared sign items are read afresh, each on its own threshold
    reasons: list[str] = []
    answered = _declared(instruments, scores)
    small = [i for i, score in answered if score.band in i.support.at_risk_bands]
    for instrument, score in answered:
        label = _label(instrument)
        if _severe(instrument, score):
            reasons.append(
                f"Your answers on the {label} describe a strong unmet need for connection."
            )
            continue
        if not _lonely(instrument, score):
            continue
        nobody = _no_confidant(network, scores, instruments)
        if nobody is not None:
            reasons.append(f"Your answers on the {label} describe loneliness, and {nobody}.")
            continue
        others = [other for other in small if other.id != instrument.id]
        if others:
            reasons.append(
                f"Your answers on the {label} describe loneliness, and your answers on the "
                f"{_label(others[0])} describe a small circle of people to turn to."
            )
    frequent = _often_signs(scores, instruments)
    if len(frequent) >= MOST_SIGNS:
        names = "; ".join(sign.label.lower() for sign in frequent)
        reasons.append(
            f"{len(frequent)} of the 7 signs of disconnection were reported often or more "
            f"({names})."
        )
    if not reasons:
        return frozenset(), ()
    reasons.append(
        "Talking with a professional or a community support service could help; this is "
        "a pointer to support, not a diagnosis."
    )
    return frozenset({Flag.SUPPORT_ADVISED}), tuple(reasons)


#: The question that supplies the missing evidence about who is there.
ASK_FOR_NETWORK = (
    "Who are the people you could talk to about something private, or call on for help, "
    "and how close and safe do you feel with each of them?"
)


def profile_notes(
    scores: Mapping[str, InstrumentScore],
    network: SupportNetwork | None,
    instruments: Mapping[str, Instrument],
) -> tuple[ProfileNote, ...]:
    """What the person should know about the evidence behind their profile.

    * **Missing evidence**: when an answered instrument reports loneliness (a band it
      declares lonely or severe) and nothing says who is there (no network was described
      and no instrument with declared confidant items was answered), a note says which
      evidence is missing and how to ask for it (:data:`ASK_FOR_NETWORK`).
    * **Trusted but not felt safe**: each person the network rates trusted (trust of 4 or
      more) but not felt safe with (safety of 2 or less) is noted in neutral words; plans
      never ask the person to open up to them, and offer a support step instead.

    Example:
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> s = engine.score("ucla-3", {"ucla-1": 3, "ucla-2": 2, "ucla-3": 2})
        >>> [n.kind.value for n in profile_notes({"ucla-3": s}, None, engine.instruments)]
        ['missing-evidence']
    """
    notes: list[ProfileNote] = []
    answered = _declared(instruments, scores)
    lonely = [i for i, score in answered if _lonely(i, score)]
    confidants_asked = any(i.support.confidant_items for i, _ in answered)
    if lonely and network is None and not confidants_asked:
        labels = " and the ".join(_label(i) for i in lonely)
        notes.append(
            ProfileNote(
                NoteKind.MISSING_EVIDENCE,
                f"Your answers on the {labels} describe loneliness, but nothing yet says who "
                "is there for you: no support network was described. Knowing who you can "
                "turn to, and how safe you feel with them, would show whether the plan can "
                "build on someone or should first help you find people.",
                ask=ASK_FOR_NETWORK,
                about=tuple(i.id for i in lonely),
            )
        )
    listed = network.connections if network is not None else ()
    for connection in sorted(listed, key=lambda c: c.alias):  # never the order listed in
        if connection.trusted_but_not_felt_safe:
            notes.append(
                ProfileNote(
                    NoteKind.TRUSTED_NOT_FELT_SAFE,
                    f"You rated your trust in {connection.alias} high and feeling safe and "
                    f"accepted with {connection.alias} low. The plan does not ask you to open "
                    "up to them; talking it over with someone outside the relationship, "
                    "such as a counsellor or a support line, can help.",
                    about=(connection.alias,),
                )
            )
    return tuple(notes)


def build_profile(
    assessment: Assessment,
    scores: Mapping[str, InstrumentScore],
    rules: Mapping[str, ScoringRule],
    *,
    instruments: Mapping[str, Instrument],
    plugins: Mapping[str, str] | None = None,
) -> ResilienceProfile:
    """Run every rule and combine the contributions into an explained profile.

    Args:
        assessment: What the person answered, with their network and drivers.
        scores: The score of every instrument answered, by instrument id.
        rules: The scoring rules to run, by name (every one runs; their order does not
            matter).
        instruments: The registered instruments, by id: their declarations
            (:class:`~resilience.SupportDeclaration`) say how their scores speak to the
            signs, the support flag and the profile's notes.
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
        ...     {"half": ScoringRule("half", "1", "always 50", half)}, instruments={})
        >>> (p.pillars[Pillar.BELONGING].strength, p.pillars[Pillar.VALIDATION].strength)
        (50.0, None)
    """
    owners = plugins or {}
    contributions: list[Contribution] = []
    for name in sorted(rules):
        rule = rules[name]
        try:
            contributions.extend(run_rule(rule, assessment, scores, plugin=owners.get(name)))
        except ScoringRuleError as error:
            raise ScoringRuleError(
                error.rule,
                f"{error.detail}; the profile is not built without it",
                plugin=error.plugin,
            ) from error.__cause__
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

    signs = read_signs(scores, instruments)
    network = assessment.network
    summary = None if network is None else summarise_network(network, assessment.taken_at.date())
    flags, reasons = support_flags(scores, signs, network, instruments)
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
        notes=profile_notes(scores, network, instruments),
    )
