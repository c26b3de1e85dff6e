"""Questionnaires as data: items, response scales, subscales, bands and missing-item rules.

An :class:`Instrument` holds everything needed to score a questionnaire and nothing about
how its items are worded: wording lives in :class:`Wording`, registered per locale, because
the wording of most validated scales is copyrighted while their scoring rules are facts.

Reverse keys are computed from the *declared* range of the response scale (``min + max -
value``), never from the data. The :attr:`Instrument.key_hash` fingerprints the scoring
definition, so every score records exactly which key produced it.

Example:
    >>> scale = ResponseScale("yes-no", (ResponseOption(0, "no"), ResponseOption(1, "yes")))
    >>> quiz = Instrument(
    ...     id="demo", name="Demo", version="1",
    ...     items=(Item("a", "first"), Item("b", "second", reverse=True)),
    ...     scale=scale,
    ... )
    >>> quiz.total_range
    (0.0, 2.0)
    >>> len(quiz.key_hash)
    64
"""

from __future__ import annotations

import enum
import hashlib
import itertools
import json
import math
from collections.abc import Mapping
from typing import Any

import attrs

from resilience.errors import InstrumentDefinitionError
from resilience.model.fields import (
    FrozenDict,
    enum_one,
    shown,
    text_fields,
    to_frozen_map,
    to_frozenset,
    to_tuple,
)
from resilience.model.taxonomy import IsolationSign

__all__ = [
    "Band",
    "Citation",
    "Instrument",
    "Item",
    "MissingPolicy",
    "ResponseOption",
    "ResponseScale",
    "ScoringMethod",
    "Subscale",
    "SupportDeclaration",
    "Wording",
    "wording_gaps",
]


def _only(values: tuple[Any, ...], cls: type, where: str) -> None:
    # Parts of a definition are checked for their type first: the checks after read them.
    for index, value in enumerate(values):
        if not isinstance(value, cls):
            raise InstrumentDefinitionError(
                f"{where}[{index}] must be a {cls.__name__}, not {type(value).__name__}"
            )


def _no_bool_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@attrs.frozen(field_transformer=text_fields)
class ResponseOption:
    """One answer a person can give, with the number it scores as.

    Attributes:
        value: The numeric value recorded for this answer.
        label: A stable id for the answer's meaning (``"hardly-ever"``); the text shown
            to people comes from :class:`Wording`.

    Example:
        >>> ResponseOption(1, "hardly-ever").value
        1
    """

    value: int | float
    label: str

    def __attrs_post_init__(self) -> None:
        if not _no_bool_number(self.value) or not math.isfinite(self.value):
            raise InstrumentDefinitionError(
                f"option {self.label!r}: value must be a finite number, not {shown(self.value)}"
            )


@attrs.frozen(field_transformer=text_fields)
class ResponseScale:
    """The ordered answers of a question, lowest value first.

    Attributes:
        id: A stable id (``"agree-5"``).
        options: The answers in ascending order of value.

    Example:
        >>> s = ResponseScale("agree-3", tuple(ResponseOption(v, f"o{v}") for v in (1, 2, 3)))
        >>> (s.minimum, s.maximum, s.reverse(1))
        (1, 3, 3)
    """

    id: str
    options: tuple[ResponseOption, ...] = attrs.field(converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        _only(self.options, ResponseOption, f"scale {self.id!r}: options")
        if len(self.options) < 2:
            raise InstrumentDefinitionError(f"scale {self.id!r}: needs at least two options")
        values = [option.value for option in self.options]
        if values != sorted(values) or len(set(values)) != len(values):
            raise InstrumentDefinitionError(
                f"scale {self.id!r}: option values must be distinct and ascending, got {values}"
            )
        labels = [option.label for option in self.options]
        if len(set(labels)) != len(labels):
            raise InstrumentDefinitionError(f"scale {self.id!r}: option labels must be unique")

    @property
    def minimum(self) -> int | float:
        """The lowest declared value."""
        return self.options[0].value

    @property
    def maximum(self) -> int | float:
        """The highest declared value."""
        return self.options[-1].value

    @property
    def values(self) -> tuple[int | float, ...]:
        """Every declared value, ascending."""
        return tuple(option.value for option in self.options)

    def reverse(self, value: int | float) -> int | float:
        """Reverse-key ``value`` over the declared range: ``minimum + maximum - value``.

        Example:
            >>> ResponseScale("x", (ResponseOption(1, "a"), ResponseOption(5, "b"))).reverse(2)
            4
        """
        return self.minimum + self.maximum - value


@attrs.frozen(field_transformer=text_fields)
class Item:
    """One question of an instrument.

    Attributes:
        id: A stable id; scoring keys on it, never on the wording.
        label: A neutral description in the project's own words (not the item's wording).
        reverse: Score as ``minimum + maximum - value`` over the declared scale.
        recode: Maps each answer value to the score it counts as (used to dichotomise, as
            the De Jong Gierveld scale does); must cover every value of the scale.
        scale: A scale of the item's own, if it differs from the instrument's.

    Example:
        >>> Item("e1", "emptiness", recode={1: 1, 2: 1, 3: 0}).recode[3]
        0
    """

    id: str
    label: str
    reverse: bool = False
    recode: Mapping[int | float, int | float] | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_frozen_map)
    )
    scale: ResponseScale | None = None

    def __attrs_post_init__(self) -> None:
        if self.reverse and self.recode is not None:
            raise InstrumentDefinitionError(
                f"item {self.id!r}: use either reverse or recode, not both"
            )


@attrs.frozen(field_transformer=text_fields)
class Band:
    """A named range of scores, such as "lonely" or "low resilience".

    Bands are listed in ascending order; a score belongs to the first band whose upper
    edge it does not pass. ``upper_inclusive=False`` makes the edge belong to the next
    band, which closes gaps such as MSPSS's "1–2.9 low, 3–5 moderate" on purpose.

    Attributes:
        id: A stable id (``"lonely"``).
        label: A short description in the project's words.
        upper: The band's upper edge.
        upper_inclusive: Whether a score equal to ``upper`` is in this band.
        convention: ``True`` when the cut-off is a research convention rather than a
            published norm; documentation marks such bands and hosts may override them.

    Example:
        >>> Band("low", "Low", 3, upper_inclusive=False).contains_upper(2.99)
        True
    """

    id: str
    label: str
    upper: float
    upper_inclusive: bool = True
    convention: bool = False

    def __attrs_post_init__(self) -> None:
        if not _no_bool_number(self.upper) or not math.isfinite(self.upper):
            raise InstrumentDefinitionError(
                f"band {self.id!r}: upper edge must be a finite number, not {shown(self.upper)}"
            )

    def contains_upper(self, score: float) -> bool:
        """Whether ``score`` lies at or below this band's upper edge (as declared)."""
        return score <= self.upper if self.upper_inclusive else score < self.upper


class ScoringMethod(enum.Enum):
    """How item scores combine into a total or subscale score.

    Example:
        >>> ScoringMethod("mean") is ScoringMethod.MEAN
        True
    """

    SUM = "sum"
    MEAN = "mean"


@attrs.frozen(field_transformer=text_fields)
class MissingPolicy:
    """How many unanswered items are tolerated, and how the rest are scored.

    With some items missing, a ``sum`` is by default prorated to the full item count (the
    mean of the answered items times the number of items) and a ``mean`` is the mean of the
    answered items, so a missing answer is not silently counted as the lowest value.
    ``prorate=False`` sums the answered items only, which is what a published scoring
    syntax sometimes prescribes (the De Jong Gierveld manual counts the answered items).

    Whether a policy fits is checked when the :class:`Instrument` is built: if items may be
    missing, averaging or prorating needs every item to share one score range, and summing
    only the answered items needs 0 to be a score every item can give. Otherwise a score
    could leave the instrument's declared range, so the definition is refused.

    Attributes:
        max_missing: Items that may be missing from the whole instrument.
        subscale_max_missing: Items that may be missing from any one subscale; a subscale
            past that is left out of the score (the total may still be scored).
        prorate: Whether a ``sum`` with missing items is scaled up to the full item count.
        subscales_alone: Whether each subscale is still scored from its own items (under
            ``subscale_max_missing``) when more than ``max_missing`` items are missing
            and the total therefore cannot be: the score then has ``total=None``. The De
            Jong Gierveld manual scores its subscales this way. With ``False`` (the
            default) such answers are refused as a whole.

    Example:
        >>> MissingPolicy(max_missing=1).max_missing
        1
    """

    max_missing: int = 0
    subscale_max_missing: int = 0
    prorate: bool = True
    subscales_alone: bool = False

    def __attrs_post_init__(self) -> None:
        for name in ("max_missing", "subscale_max_missing"):
            limit = getattr(self, name)
            if isinstance(limit, bool) or not isinstance(limit, int):
                raise InstrumentDefinitionError(
                    f"{name} must be a whole number, not {type(limit).__name__}"
                )
        for name in ("prorate", "subscales_alone"):
            if not isinstance(getattr(self, name), bool):
                raise InstrumentDefinitionError(f"{name} must be True or False")
        if self.max_missing < 0 or self.subscale_max_missing < 0:
            raise InstrumentDefinitionError("missing-item limits cannot be negative")


@attrs.frozen(field_transformer=text_fields)
class Subscale:
    """A named group of items scored on its own.

    Attributes:
        id: A stable id (``"emotional"``).
        label: A short description in the project's words.
        item_ids: The items it is made of.
        bands: Bands for the subscale score, ascending, if it has any.

    Example:
        >>> Subscale("family", "Family", ("f1", "f2")).item_ids
        ('f1', 'f2')
    """

    id: str
    label: str
    item_ids: tuple[str, ...] = attrs.field(converter=to_tuple)
    bands: tuple[Band, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen(field_transformer=text_fields)
class Citation:
    """Where a validated instrument was published.

    Example:
        >>> Citation("Smith et al. (2008)", doi="10.1080/10705500802222972").doi
        '10.1080/10705500802222972'
    """

    text: str
    doi: str | None = None


def _to_method(value: object) -> ScoringMethod:
    return enum_one(ScoringMethod, "method", value)


@attrs.frozen(field_transformer=text_fields)
class SupportDeclaration:
    """What an instrument's answers mean for the support flag and for reading signs.

    The profile's support flag and its signs of disconnection are worked out from these
    declarations only: the core names no instrument. Whoever registers an instrument says
    here which of its bands describe severe loneliness, which report loneliness, which
    describe a small network, which items count people to confide in, and which items
    report a sign of disconnection. A replacement definition carries its own declaration,
    and the flag follows it. Band and item ids are checked against the instrument when it
    is built. Declarations do not change a score, so they are not part of the key hash.

    Attributes:
        label: A short name for the instrument in reasons ("UCLA-3"); the instrument's
            name when empty.
        severe_bands: Total bands that describe severe loneliness or isolation; a total in
            one of them advises support on its own.
        severe_at_worst: Whether a total at the strained end of the instrument's range
            (the loneliest possible answers) advises support on its own.
        lonely_bands: Total bands that report loneliness; support is advised when there is
            also evidence that nobody trusted is there, or that the network is small.
        at_risk_bands: Total bands that describe a small network, at risk of isolation;
            support is advised when loneliness is also reported.
        confidant_items: Items that count people one can talk with about private matters;
            all of them answered at their lowest value means "nobody to confide in".
        signs: Items that report a sign of disconnection, by item id; they are read on the
            item's own scale, from its lowest value (never) to its highest (all the time).
        often_from: The answer value from which a sign counts as reported "often"; needed
            when ``signs`` is not empty.

    Example:
        >>> SupportDeclaration(label="Check", severe_bands={"high"}).severe_bands
        frozenset({'high'})
    """

    label: str = ""
    severe_bands: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    severe_at_worst: bool = False
    lonely_bands: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    at_risk_bands: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    confidant_items: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    signs: Mapping[str, IsolationSign] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    often_from: float | None = None

    @property
    def reports_loneliness(self) -> bool:
        """Whether any band or the worst total of this instrument reports loneliness."""
        return bool(self.severe_bands or self.lonely_bands or self.severe_at_worst)

    def problems(self, instrument: Instrument) -> list[str]:
        """What in this declaration does not fit ``instrument`` (empty when it fits).

        Example:
            >>> from resilience.builtin.instruments.ucla3 import UCLA_3
            >>> SupportDeclaration(lonely_bands={"very-lonely"}).problems(UCLA_3)
            ["the support declaration names band 'very-lonely', which the instrument's total does not have"]
        """  # noqa: E501
        problems = []
        bands = {band.id for band in instrument.bands}
        for band_id in sorted(self.severe_bands | self.lonely_bands | self.at_risk_bands):
            if band_id not in bands:
                problems.append(
                    f"the support declaration names band {band_id!r}, which the instrument's "
                    "total does not have"
                )
        items = {item.id: item for item in instrument.items}
        for item_id in (*self.confidant_items, *sorted(self.signs)):
            if item_id not in items:
                problems.append(
                    f"the support declaration names item {item_id!r}, which the instrument "
                    "does not have"
                )
        for item_id in sorted(self.signs):
            item = items.get(item_id)
            if item is None:
                continue
            if item.reverse or item.recode is not None:
                problems.append(
                    f"sign item {item_id!r} must be scored as answered (no reverse key or "
                    "recode), so that its lowest answer means never"
                )
            elif self.often_from is not None and self.often_from not in set(
                instrument.scale_of(item).values
            ):
                problems.append(
                    f"often_from {self.often_from!r} is not an answer value of sign item "
                    f"{item_id!r}"
                )
        if self.signs and self.often_from is None:
            problems.append("a declaration with sign items needs often_from")
        return problems


@attrs.frozen(field_transformer=text_fields)
class Instrument:
    """A questionnaire's scoring definition, as a value.

    Attributes:
        id: A stable id (``"ucla-3"``).
        name: Its name for people.
        version: The definition's version; bump it whenever scoring changes.
        items: The items, in the order the instrument presents them.
        scale: The response scale every item uses unless it has its own.
        method: How item scores combine (sum or mean).
        subscales: Groups of items scored on their own.
        missing: How many unanswered items are tolerated.
        bands: Bands for the total score, ascending.
        higher_is_better: Whether a higher total means more strength (``True``) or more
            strain (``False``, as for loneliness scales).
        validated: ``True`` for published, validated scales; ``False`` for the project's
            own reflection checklists.
        citation: Where it was published.
        licence: The terms under which it may be used, in plain words.
        description: What it measures, in the project's words.
        notes: Conventions and choices made in scoring it, documented for users.
        support: What its answers mean for the support flag and the signs of
            disconnection (see :class:`SupportDeclaration`); not part of the key hash.
        key_hash: SHA-256 of the scoring definition (computed; changes exactly when
            something that affects a score changes).

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> UCLA_3.total_range
        (3.0, 9.0)
    """

    id: str
    name: str
    version: str
    items: tuple[Item, ...] = attrs.field(converter=to_tuple)
    scale: ResponseScale
    method: ScoringMethod = attrs.field(default=ScoringMethod.SUM, converter=_to_method)
    subscales: tuple[Subscale, ...] = attrs.field(default=(), converter=to_tuple)
    missing: MissingPolicy = MissingPolicy()
    bands: tuple[Band, ...] = attrs.field(default=(), converter=to_tuple)
    higher_is_better: bool = True
    validated: bool = False
    citation: Citation | None = None
    licence: str = ""
    description: str = ""
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    support: SupportDeclaration = SupportDeclaration()
    key_hash: str = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        where = f"instrument {self.id!r}"
        _only(self.items, Item, f"{where}: items")
        _only(self.subscales, Subscale, f"{where}: subscales")
        _only(self.bands, Band, f"{where}: bands")
        _only((self.scale,), ResponseScale, f"{where}: scale")
        _only((self.missing,), MissingPolicy, f"{where}: missing")
        for subscale in self.subscales:
            _only(subscale.bands, Band, f"{where}: subscale {subscale.id!r} bands")
        for item in self.items:
            if item.scale is not None:
                _only((item.scale,), ResponseScale, f"{where}: item {item.id!r} scale")
        self._check()
        object.__setattr__(self, "key_hash", _hash_key(self))

    # -- derived facts -------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        """Return the item with this id.

        Example:
            >>> from resilience.builtin.instruments.brs import BRS
            >>> BRS.item("brs-2").reverse
            True
        """
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def scale_of(self, item: Item) -> ResponseScale:
        """The response scale ``item`` is answered on."""
        return item.scale if item.scale is not None else self.scale

    def item_range(self, item: Item) -> tuple[float, float]:
        """The lowest and highest score ``item`` can contribute, after keying."""
        if item.recode is not None:
            scores = item.recode.values()
            return (float(min(scores)), float(max(scores)))
        scale = self.scale_of(item)
        return (float(scale.minimum), float(scale.maximum))

    @property
    def total_range(self) -> tuple[float, float]:
        """The lowest and highest possible total score."""
        return self._range(self.items)

    def subscale_range(self, subscale_id: str) -> tuple[float, float]:
        """The lowest and highest possible score of one subscale."""
        subscale = self.subscale(subscale_id)
        return self._range(tuple(self.item(i) for i in subscale.item_ids))

    def subscale(self, subscale_id: str) -> Subscale:
        """Return the subscale with this id."""
        for subscale in self.subscales:
            if subscale.id == subscale_id:
                return subscale
        raise KeyError(subscale_id)

    def subscales_of(self, item_id: str) -> tuple[str, ...]:
        """The ids of the subscales an item belongs to.

        Example:
            >>> from resilience.builtin.instruments.mspss import MSPSS
            >>> MSPSS.subscales_of("mspss-1")
            ('significant-other',)
        """
        return tuple(s.id for s in self.subscales if item_id in s.item_ids)

    def _range(self, items: tuple[Item, ...]) -> tuple[float, float]:
        lows = [self.item_range(item)[0] for item in items]
        highs = [self.item_range(item)[1] for item in items]
        if self.method is ScoringMethod.SUM:
            return (math.fsum(lows), math.fsum(highs))
        return (math.fsum(lows) / len(lows), math.fsum(highs) / len(highs))

    # -- validation ----------------------------------------------------------------

    def _check(self) -> None:
        problems: list[str] = []
        if not self.items:
            problems.append("has no items")
        ids = [item.id for item in self.items]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            problems.append(f"duplicate item ids: {', '.join(duplicates)}")
        for item in self.items:
            if item.recode is not None:
                declared = set(self.scale_of(item).values)
                if set(item.recode) != declared:
                    problems.append(
                        f"item {item.id!r}: recode must map exactly the scale's values "
                        f"{sorted(declared)}, got {sorted(item.recode)}"
                    )
            for score in (item.recode or {}).values():
                if not _no_bool_number(score) or not math.isfinite(score):
                    problems.append(
                        f"item {item.id!r}: recoded scores must be finite numbers, "
                        f"not {shown(score)}"
                    )
        known = set(ids)
        sub_ids = [s.id for s in self.subscales]
        if len(set(sub_ids)) != len(sub_ids):
            problems.append("duplicate subscale ids")
        for subscale in self.subscales:
            unknown = [i for i in subscale.item_ids if i not in known]
            if unknown:
                problems.append(f"subscale {subscale.id!r} names unknown items {unknown}")
            if not subscale.item_ids:
                problems.append(f"subscale {subscale.id!r} has no items")
            if len(set(subscale.item_ids)) != len(subscale.item_ids):
                problems.append(f"subscale {subscale.id!r} lists an item twice")
        if self.missing.max_missing >= len(self.items) and self.items:
            problems.append("max_missing must leave at least one item to score")
        if problems:
            # The checks below need a consistent set of items and subscales.
            raise InstrumentDefinitionError(f"instrument {self.id!r}: " + "; ".join(problems))
        problems.extend(self._missing_problems())
        problems.extend(_band_problems("total", self.bands, self.total_range))
        for subscale in self.subscales:
            problems.extend(
                _band_problems(
                    f"subscale {subscale.id!r}", subscale.bands, self.subscale_range(subscale.id)
                )
            )
        problems.extend(self.support.problems(self))
        if problems:
            raise InstrumentDefinitionError(f"instrument {self.id!r}: " + "; ".join(problems))

    def _missing_problems(self) -> list[str]:
        # With items missing, the score is built from the answered items only. That stays
        # inside the declared range only if (a) averaging or prorating is done over items
        # that share one score range, and (b) summing without prorating treats a missing
        # item as 0, which must then be a score an item can actually contribute.
        # (A subscale can only miss items the instrument may miss, so max_missing decides.)
        policy = self.missing
        if policy.max_missing == 0:
            return []
        problems = []
        ranges = {self.item_range(item) for item in self.items}
        averaged = self.method is ScoringMethod.MEAN or policy.prorate
        if averaged and len(ranges) > 1:
            problems.append(
                "items with different score ranges cannot be averaged or prorated when "
                "items may be missing; give every item the same range or allow none missing"
            )
        if not averaged and any(not low <= 0 <= high for low, high in ranges):
            problems.append(
                "summing only the answered items (prorate=False) needs 0 within every item's "
                "score range, so that a missing item can count as 0"
            )
        return problems


def _band_problems(where: str, bands: tuple[Band, ...], span: tuple[float, float]) -> list[str]:
    problems = []
    # (upper, inclusive) must rise strictly: "below 3" followed by "up to 3" is a band
    # holding exactly 3, but two bands with the same edge and inclusiveness would leave the
    # second one empty.
    edges = [(band.upper, band.upper_inclusive) for band in bands]
    if any(a >= b for a, b in itertools.pairwise(edges)):
        problems.append(f"{where} bands must be in strictly ascending order of their upper edge")
    band_ids = [band.id for band in bands]
    if len(set(band_ids)) != len(band_ids):
        problems.append(f"{where} band ids must be unique")
    if bands and not bands[-1].contains_upper(span[1]):
        problems.append(
            f"{where} bands stop at {bands[-1].upper}, below the highest possible score "
            f"{span[1]}; the last band must reach it"
        )
    return problems


def _hash_key(instrument: Instrument) -> str:
    """Fingerprint exactly the parts of a definition that change a score or its band."""

    # Numbers are written as floats so that 5 and 5.0 (equal, and scored the same) give
    # the same hash, also after a JSON round trip turns one into the other.
    def scale_key(scale: ResponseScale) -> list[Any]:
        return [float(option.value) for option in scale.options]

    def bands_key(bands: tuple[Band, ...]) -> list[Any]:
        return [[b.id, float(b.upper), b.upper_inclusive] for b in bands]

    key = {
        "id": instrument.id,
        "method": instrument.method.value,
        "scale": scale_key(instrument.scale),
        "items": [
            [
                item.id,
                item.reverse,
                (
                    sorted([float(k), float(v)] for k, v in item.recode.items())
                    if item.recode is not None
                    else None
                ),
                scale_key(item.scale) if item.scale is not None else None,
            ]
            for item in instrument.items
        ],
        "subscales": [[s.id, sorted(s.item_ids), bands_key(s.bands)] for s in instrument.subscales],
        "missing": [
            instrument.missing.max_missing,
            instrument.missing.subscale_max_missing,
            instrument.missing.prorate,
            # Only written when set, so that every definition without it keeps its hash.
            *(["subscales-alone"] if instrument.missing.subscales_alone else []),
        ],
        "bands": bands_key(instrument.bands),
        "higher_is_better": instrument.higher_is_better,
    }
    text = json.dumps(key, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.frozen(field_transformer=text_fields)
class Wording:
    """The texts people see for one instrument in one locale.

    Attributes:
        instrument_id: The instrument the texts belong to.
        locale: A BCP 47 tag (``"en"``, ``"de-AT"``).
        items: Text per item id; must cover every item of the instrument.
        options: Text per response-option label id.
        title: The title shown above the questions.
        instructions: What the person is asked to do.
        source: Where the texts come from, and under what licence.

    Example:
        >>> w = Wording("demo", "en", {"a": "How often...?"}, source="the project")
        >>> w.items["a"]
        'How often...?'
    """

    instrument_id: str
    locale: str
    items: Mapping[str, str] = attrs.field(converter=to_frozen_map)
    options: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    title: str = ""
    instructions: str = ""
    source: str = ""


def wording_gaps(
    instrument: Instrument, wording: Wording
) -> tuple[list[str], list[str], list[str]]:
    """What ``wording`` leaves out of, or adds to, ``instrument``.

    Returns:
        The ids of the items without text (in the instrument's order), the item ids with
        text that the instrument does not have (sorted), and the option labels with text
        that no item's scale has (sorted). All three are empty when the wording fits.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> w = Wording("ucla-3", "en", {"ucla-1": "...", "ucla-9": "..."}, {"never": "Never"})
        >>> wording_gaps(UCLA_3, w)
        (['ucla-2', 'ucla-3'], ['ucla-9'], ['never'])
    """
    item_ids = [item.id for item in instrument.items]
    missing = [item_id for item_id in item_ids if item_id not in wording.items]
    unknown = sorted(set(wording.items) - set(item_ids))
    labels = {
        option.label for item in instrument.items for option in instrument.scale_of(item).options
    }
    extra = sorted(set(wording.options) - labels)
    return missing, unknown, extra
