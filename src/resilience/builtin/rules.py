"""Built-in scoring rules: how each instrument and the support network speak to the pillars.

Every rule here is an ordinary :class:`~resilience.ScoringRule`, registered through the
same ``resilience_register_scoring_rules`` hook a third-party plugin uses (marked
``trylast``, so a plugin's ``register(rule, replace=True)`` wins). The mapping from
instruments to pillars and capacities is the project's own design, grounded in House's
(1981) kinds of social support and Weiss's (1974) provisions of relationships; no
instrument's authors published it.

Each rule normalises what it reads to 0–100 (higher is always stronger) over the *declared*
range of the instrument, and gives it a weight that says how much evidence it carries:

* :data:`WEIGHT_VALIDATED` (1.0) for a validated scale's total or subscale, shared out so
  that one validated instrument carries at most 1.0 for any one pillar or capacity;
* :data:`WEIGHT_VALIDATED_ITEMS` (0.75) where the project reads single items of a
  validated scale in a grouping its authors did not validate (the LSNS-6 item pairs);
* :data:`WEIGHT_NETWORK` (1.0) for the person's own description of their ties;
* :data:`WEIGHT_CHECKLIST` (0.5) for the project's reflection checklists, shared out over
  the items that speak to one target.

Drivers of isolation are context for plans: no rule here reads them, so they never lower a
score.

Example:
    >>> sorted(rule.name for rule in BUILTIN_RULES)  # doctest: +NORMALIZE_WHITESPACE
    ['brs', 'connection-signs', 'djg-6', 'lsns-6', 'mspss', 'network',
     'resilience-capacities', 'ucla-3']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping

from resilience._network_quality import (
    FREQUENCY_WEIGHTS,
    MAX_QUALITY,
    MODE_WEIGHTS,
    RECENCY_OLDER,
    RECENCY_STEPS,
    RECENCY_UNKNOWN,
    UNKNOWN_CONTACT,
    UNTRUSTED_CEILING,
    UNTRUSTED_UP_TO,
    WEAKEST_CLOSE_TIE,
    closeness,
    connection_quality,
    contact_factor,
    coverage_of,
    pillar_coverage,
    recency_factor,
)
from resilience.builtin.instruments.capacities import RESILIENCE_CAPACITIES
from resilience.builtin.instruments.lsns6 import LSNS_6
from resilience.builtin.instruments.signs import CONNECTION_SIGNS
from resilience.errors import InvalidValueError
from resilience.hookspecs import hookimpl
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.fields import FrozenDict
from resilience.model.instruments import Instrument
from resilience.model.network import ContactMode
from resilience.model.profile import Contribution, ScoringRule, Target
from resilience.model.taxonomy import Capacity, IsolationSign, Pillar

# The network rule's arithmetic lives in core, in resilience._network_quality (the
# profile's network summary reads it too); it is re-exported here under the same names.
__all__ = [
    "BRS_RULE",
    "BUILTIN_RULES",
    "CAPACITIES_RULE",
    "DJG_6_RULE",
    "FREQUENCY_WEIGHTS",
    "LSNS_6_RULE",
    "MAX_QUALITY",
    "MODE_WEIGHTS",
    "MSPSS_RULE",
    "NETWORK_RULE",
    "RECENCY_OLDER",
    "RECENCY_STEPS",
    "RECENCY_UNKNOWN",
    "SIGNS_RULE",
    "UCLA_3_RULE",
    "UNKNOWN_CONTACT",
    "UNTRUSTED_CEILING",
    "UNTRUSTED_UP_TO",
    "WEAKEST_CLOSE_TIE",
    "WEIGHT_CHECKLIST",
    "WEIGHT_NETWORK",
    "WEIGHT_VALIDATED",
    "WEIGHT_VALIDATED_ITEMS",
    "closeness",
    "connection_quality",
    "contact_factor",
    "item_strength",
    "pillar_coverage",
    "recency_factor",
]

#: Weight of a validated scale's total or subscale for one pillar or capacity.
WEIGHT_VALIDATED = 1.0
#: Weight of single items of a validated scale read in the project's own grouping.
WEIGHT_VALIDATED_ITEMS = 0.75
#: Weight of the network rule's reading of one pillar.
WEIGHT_NETWORK = 1.0
#: Weight of one of the project's checklists for one pillar or capacity, all items answered.
WEIGHT_CHECKLIST = 0.5


# -- shared helpers for the instrument rules -------------------------------------------


def item_strength(instrument: Instrument, score: InstrumentScore, item_ids: Iterable[str]) -> float:
    """The mean of some item scores on 0–100 over their declared range, higher = stronger.

    ``instrument`` is the definition the rule was written for; an item score outside its
    declared range means a replaced instrument that needs a replaced rule, and raises
    ``ValueError`` (reported as a :class:`~resilience.ScoringRuleError`).

    Example:
        >>> import resilience as rs
        >>> s = rs.Engine(load_installed=False).score("lsns-6", {
        ...     "lsns-1": 5, "lsns-2": 0, "lsns-3": 1, "lsns-4": 3, "lsns-5": 0, "lsns-6": 1})
        >>> item_strength(LSNS_6, s, ["lsns-1", "lsns-4"])
        80.0
    """
    shares = []
    for item_id in item_ids:
        low, high = instrument.item_range(instrument.item(item_id))
        value = score.items[item_id]
        if not low <= value <= high:
            raise InvalidValueError(
                f"item {item_id!r} of {score.instrument_id!r} scored {value}, outside the "
                f"range {low}–{high} this rule was written for; replace the rule too"
            )
        shares.append((value - low) / (high - low))
    share = math.fsum(shares) / len(shares)
    return 100.0 * (share if instrument.higher_is_better else 1.0 - share)


def _range_text(low: float, high: float) -> str:
    return f"{low:g}–{high:g}"


class _Builder:
    """Makes contributions stamped with one rule's name and version."""

    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version

    def __call__(
        self,
        target: Target,
        value: float,
        weight: float,
        inputs: Mapping[str, float],
        reason: str,
    ) -> Contribution:
        return Contribution(self.name, self.version, target, value, weight, inputs, reason)


#: The body of a built-in rule: reads an assessment, yields stamped contributions.
_Body = Callable[[_Builder, Assessment, Mapping[str, InstrumentScore]], Iterator[Contribution]]


def _make_rule(name: str, version: str, description: str, body: _Body) -> ScoringRule:
    make = _Builder(name, version)

    def function(
        assessment: Assessment, scores: Mapping[str, InstrumentScore]
    ) -> list[Contribution]:
        return list(body(make, assessment, scores))

    function.__name__ = function.__qualname__ = f"rule_{name.replace('-', '_')}"
    function.__doc__ = description
    return ScoringRule(name, version, description, function)


def _total_inputs(score: InstrumentScore) -> dict[str, float]:
    low, high = score.total_range
    if score.total is None:  # too many items missing for a total; subscales were scored
        return {"min": low, "max": high}
    return {"total": score.total, "min": low, "max": high}


def _sub_inputs(score: InstrumentScore, subscale: str) -> dict[str, float]:
    low, high = score.subscale_ranges[subscale]
    return {subscale: score.subscales[subscale], "min": low, "max": high}


# -- the validated scales --------------------------------------------------------------


def _read_ucla_3(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("ucla-3")
    if score is None:
        return
    value = score.strength()
    text = f"UCLA-3 total {score.total:g} of {_range_text(*score.total_range)} (higher is lonelier)"
    for target in (Pillar.BELONGING, Pillar.CO_REGULATION):
        yield make(target, value, WEIGHT_VALIDATED, _total_inputs(score), text)


_DJG_PILLARS = (("emotional", Pillar.CO_REGULATION), ("social", Pillar.BELONGING))


def _read_djg_6(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("djg-6")
    if score is None:
        return
    for subscale, pillar in _DJG_PILLARS:
        if subscale in score.subscales:
            low, high = score.subscale_ranges[subscale]
            yield make(
                pillar,
                score.strength(subscale),
                WEIGHT_VALIDATED,
                _sub_inputs(score, subscale),
                f"DJG-6 {subscale} loneliness {score.subscales[subscale]:g} of "
                f"{_range_text(low, high)} (higher is lonelier)",
            )
        elif score.total is not None:  # without a total, the other subscale speaks alone
            yield make(
                pillar,
                score.strength(),
                WEIGHT_VALIDATED / 2,
                _total_inputs(score),
                f"DJG-6 total {score.total:g} of {_range_text(*score.total_range)} stands in "
                f"for the {subscale} subscale, which had a missing item",
            )


_MSPSS_TARGETS = (
    ("significant-other", Pillar.CO_REGULATION, WEIGHT_VALIDATED),
    ("family", Pillar.BELONGING, WEIGHT_VALIDATED / 2),
    ("family", Pillar.PRACTICAL_SUPPORT, WEIGHT_VALIDATED / 2),
    ("friends", Pillar.BELONGING, WEIGHT_VALIDATED / 2),
    ("friends", Pillar.PRACTICAL_SUPPORT, WEIGHT_VALIDATED / 2),
)


def _read_mspss(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("mspss")
    if score is None:
        return
    for subscale, pillar, weight in _MSPSS_TARGETS:
        if subscale not in score.subscales:
            continue
        low, high = score.subscale_ranges[subscale]
        yield make(
            pillar,
            score.strength(subscale),
            weight,
            _sub_inputs(score, subscale),
            f"MSPSS {subscale} support {score.subscales[subscale]:g} of {_range_text(low, high)}",
        )


_LSNS_TARGETS = (
    (("lsns-1", "lsns-4"), Pillar.BELONGING, "people seen or heard from monthly"),
    (("lsns-2", "lsns-5"), Pillar.VALIDATION, "people to talk with about private matters"),
    (("lsns-2", "lsns-5"), Pillar.CO_REGULATION, "people to talk with about private matters"),
    (("lsns-3", "lsns-6"), Pillar.PRACTICAL_SUPPORT, "people to call on for help"),
)


def _read_lsns_6(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("lsns-6")
    if score is None:
        return
    for item_ids, pillar, what in _LSNS_TARGETS:
        if not all(item in score.items for item in item_ids):
            continue
        family, friends = (score.items[item] for item in item_ids)
        (family_low, family_high), (friends_low, friends_high) = (
            LSNS_6.item_range(LSNS_6.item(item)) for item in item_ids
        )
        yield make(
            pillar,
            item_strength(LSNS_6, score, item_ids),
            WEIGHT_VALIDATED_ITEMS,
            {
                item_ids[0]: family,
                item_ids[1]: friends,
                "min": family_low + friends_low,
                "max": family_high + friends_high,
            },
            f"LSNS-6 {what}: family code {family:g}, friends code {friends:g} "
            f"(each {family_low:g} = none … {family_high:g} = nine or more)",
        )


def _read_brs(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("brs")
    if score is None:
        return
    text = f"BRS mean {score.total:g} of {_range_text(*score.total_range)}"
    value = score.strength()
    yield make(Capacity.RECOVER, value, WEIGHT_VALIDATED, _total_inputs(score), text)
    yield make(Capacity.GROUNDED, value, WEIGHT_VALIDATED / 2, _total_inputs(score), text)


# -- the project's checklists ----------------------------------------------------------


def _read_resilience_capacities(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("resilience-capacities")
    if score is None:
        return
    for capacity in Capacity:
        if capacity.value not in score.items:
            continue
        answer = score.items[capacity.value]
        low, high = RESILIENCE_CAPACITIES.item_range(RESILIENCE_CAPACITIES.item(capacity.value))
        yield make(
            capacity,
            item_strength(RESILIENCE_CAPACITIES, score, [capacity.value]),
            WEIGHT_CHECKLIST,
            {capacity.value: answer, "min": low, "max": high},
            f"capacities checklist: '{capacity.label}' answered {answer:g} of "
            f"{_range_text(low, high)}",
        )


def _sign_weights() -> Mapping[Target, float]:
    weights: dict[Target, float] = {}
    for pillar in Pillar:
        if pillar.signs:
            weights[pillar] = WEIGHT_CHECKLIST / len(pillar.signs)
    for capacity in Capacity:
        linked = [sign for sign in IsolationSign if capacity in sign.capacities]
        if linked:
            weights[capacity] = WEIGHT_CHECKLIST / len(linked)
    return FrozenDict(weights)


_SIGN_WEIGHTS = _sign_weights()


def _read_connection_signs(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    score = scores.get("connection-signs")
    if score is None:
        return
    for sign in IsolationSign:
        if sign.value not in score.items:
            continue
        answer = score.items[sign.value]
        low, high = CONNECTION_SIGNS.item_range(CONNECTION_SIGNS.item(sign.value))
        value = item_strength(CONNECTION_SIGNS, score, [sign.value])
        targets: list[Target] = [p for p in Pillar if p in sign.pillars]
        targets += [c for c in Capacity if c in sign.capacities]
        for target in targets:
            yield make(
                target,
                value,
                _SIGN_WEIGHTS[target],
                {sign.value: answer, "min": low, "max": high},
                f"sign '{sign.label}' reported {answer:g} of {_range_text(low, high)} "
                f"({low:g} never, {high:g} almost always)",
            )


# -- the network ---------------------------------------------------------------------


def _read_network(
    make: _Builder, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> Iterator[Contribution]:
    network = assessment.network
    if network is None:
        return
    on = assessment.taken_at.date()
    quality = {c.alias: connection_quality(c, on) for c in network.connections}
    coverage = coverage_of(network, quality)
    for pillar in Pillar:
        ties = sorted(
            (c for c in network.connections if pillar in c.pillars),
            key=lambda c: (-quality[c.alias], c.alias),
        )
        inputs = {"ties": float(len(ties))}
        inputs.update((f"quality[{c.alias}]", quality[c.alias]) for c in ties)
        if ties:
            best = ties[0]
            reason = (
                f"{len(ties)} {'person gives' if len(ties) == 1 else 'people give'} this "
                f"support; the strongest tie is {best.alias!r}"
            )
        else:
            reason = "nobody in the described network was named as giving this support"
        yield make(pillar, coverage[pillar], WEIGHT_NETWORK, inputs, reason)


#: The built-in ``ucla-3`` rule.
UCLA_3_RULE = _make_rule(
    "ucla-3",
    "1",
    (
        "UCLA-3 total (overall loneliness, higher is lonelier), reversed to 0–100 over its "
        "range 3–9, speaks to meaning and belonging and to emotional co-regulation "
        f"(weight {WEIGHT_VALIDATED:g} each)."
    ),
    _read_ucla_3,
)

#: The built-in ``djg-6`` rule.
DJG_6_RULE = _make_rule(
    "djg-6",
    "1",
    (
        "De Jong Gierveld emotional loneliness (missing close attachment) speaks to emotional "
        "co-regulation, social loneliness (missing a wider network) to meaning and belonging, "
        f"each reversed to 0–100 (weight {WEIGHT_VALIDATED:g}). When a subscale is missing but "
        f"the total was scored, the total stands in at weight {WEIGHT_VALIDATED / 2:g}."
    ),
    _read_djg_6,
)

#: The built-in ``mspss`` rule.
MSPSS_RULE = _make_rule(
    "mspss",
    "1",
    (
        "MSPSS perceived support, each subscale mean (1–7) scaled to 0–100: a significant "
        f"other speaks to emotional co-regulation (weight {WEIGHT_VALIDATED:g}); family and "
        "friends each speak to meaning and belonging and to practical support "
        f"(weight {WEIGHT_VALIDATED / 2:g} each, {WEIGHT_VALIDATED:g} together)."
    ),
    _read_mspss,
)

#: The built-in ``lsns-6`` rule.
LSNS_6_RULE = _make_rule(
    "lsns-6",
    "1",
    (
        "LSNS-6 item pairs (family + friends, counts coded 0–5) scaled to 0–100: people seen "
        "or heard from monthly speak to meaning and belonging; people to talk with about "
        "private matters to validation and to emotional co-regulation; people to call on for "
        f"help to practical support (weight {WEIGHT_VALIDATED_ITEMS:g} each: single items of "
        "a validated scale, grouped by the project)."
    ),
    _read_lsns_6,
)

#: The built-in ``brs`` rule.
BRS_RULE = _make_rule(
    "brs",
    "1",
    (
        "Brief Resilience Scale mean (1–5) scaled to 0–100 speaks to recovering from setbacks "
        f"(weight {WEIGHT_VALIDATED:g}) and, since its items ask about getting through "
        f"stressful events, to staying grounded under stress (weight {WEIGHT_VALIDATED / 2:g})."
    ),
    _read_brs,
)

#: The built-in ``resilience-capacities`` rule.
CAPACITIES_RULE = _make_rule(
    "resilience-capacities",
    "1",
    (
        "The project's capacities checklist, item by item: each answer (1–5) scaled to 0–100 "
        f"speaks to its own capacity (weight {WEIGHT_CHECKLIST:g}: a reflection aid, not a "
        "validated measure)."
    ),
    _read_resilience_capacities,
)

#: The built-in ``connection-signs`` rule.
SIGNS_RULE = _make_rule(
    "connection-signs",
    "1",
    (
        "The project's signs checklist, sign by sign: how often a sign shows up (0 never … 4 "
        "almost always) reversed to 0–100 speaks to every pillar whose need it signals as "
        "unmet and every capacity it weakens (the taxonomy's links). The weight "
        f"{WEIGHT_CHECKLIST:g} of a reflection aid is shared out over the signs linked to each "
        "pillar or capacity."
    ),
    _read_connection_signs,
)

#: The built-in ``network`` rule. (Version 3: its reasons no longer carry a tie's
#: quality figure, which stays in the contribution's inputs.)
NETWORK_RULE = _make_rule(
    "network",
    "3",
    (
        f"Quality over quantity: each tie that gives a pillar has a quality q = {MAX_QUALITY:g} "
        "× closeness (trust and felt safety) × how contact happens (in person "
        f"{MODE_WEIGHTS[ContactMode.IN_PERSON]:g}, call {MODE_WEIGHTS[ContactMode.CALL]:g}, "
        f"message {MODE_WEIGHTS[ContactMode.MESSAGE]:g}, social media "
        f"{MODE_WEIGHTS[ContactMode.SOCIAL_MEDIA]:g}, times frequency) × recency; a pillar's "
        "ties combine as "
        f"100 × (1 − Π(1 − q)) (weight {WEIGHT_NETWORK:g}), except that untrusted ties (trust "
        f"of {UNTRUSTED_UP_TO} or less) are pooled on their own and together stay below "
        f"{UNTRUSTED_CEILING:g}, less than any one trusted, felt-safe tie met in person gives. "
        "A described network in which nobody gives a pillar reads 0 for it."
    ),
    _read_network,
)

#: Every built-in rule, in the order the docs list them.
BUILTIN_RULES: tuple[ScoringRule, ...] = (
    UCLA_3_RULE,
    DJG_6_RULE,
    MSPSS_RULE,
    LSNS_6_RULE,
    BRS_RULE,
    CAPACITIES_RULE,
    SIGNS_RULE,
    NETWORK_RULE,
)


@hookimpl(trylast=True)
def resilience_register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Register the built-in scoring rules.

    Example:
        >>> found = []
        >>> resilience_register_scoring_rules(found.append)
        >>> len(found) == len(BUILTIN_RULES)
        True
    """
    for rule in BUILTIN_RULES:
        register(rule)
