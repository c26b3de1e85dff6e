"""The one scorer: turns answers into an :class:`~resilience.InstrumentScore` for any instrument.

Adding an instrument adds data, never arithmetic. An instrument is compiled once into a
:class:`ScoringKey` (a lookup table per item from each declared answer value to the score
it counts as, after reverse keys and recoding); scoring a set of answers is then a few
dictionary lookups. The caller's answers are never modified.

Bad answers are never clamped or dropped: every problem (an unknown item, a value that is
not on the scale, a wrong type, too many missing items) is collected and raised together in
one :class:`~resilience.errors.InvalidAnswersError`.

Example:
    >>> from resilience.builtin.instruments.ucla3 import UCLA_3
    >>> score(UCLA_3, {"ucla-1": 3, "ucla-2": 2, "ucla-3": 2}).band
    'lonely'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from resilience.errors import AnswerProblem, InvalidAnswersError
from resilience.model._frozen import FrozenDict
from resilience.model.assessment import InstrumentScore
from resilience.model.instruments import Band, Instrument, ScoringMethod

__all__ = ["ScoringKey", "band_of", "compile_instrument", "score"]


def band_of(bands: tuple[Band, ...], value: float) -> str | None:
    """The id of the first band whose upper edge ``value`` does not pass.

    Example:
        >>> band_of((Band("low", "Low", 3, upper_inclusive=False), Band("high", "High", 7)), 3)
        'high'
    """
    for band in bands:
        if band.contains_upper(value):
            return band.id
    return bands[-1].id if bands else None


class ScoringKey:
    """An instrument compiled for fast scoring; build it once, score many answer sets.

    Example:
        >>> from resilience.builtin.instruments.brs import BRS
        >>> key = compile_instrument(BRS)
        >>> key.score({f"brs-{i}": 3 for i in range(1, 7)}).total
        3.0
    """

    __slots__ = (
        "_item_ids",
        "_mean",
        "_prorate",
        "_subscales",
        "_tables",
        "_values_text",
        "instrument",
        "subscale_ranges",
        "total_range",
    )

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        tables: list[tuple[str, dict[Any, float]]] = []
        values_text: dict[str, str] = {}
        for item in instrument.items:
            scale = instrument.scale_of(item)
            table: dict[Any, float] = {}
            for value in scale.values:
                if item.recode is not None:
                    table[value] = float(item.recode[value])
                elif item.reverse:
                    table[value] = float(scale.reverse(value))
                else:
                    table[value] = float(value)
            tables.append((item.id, table))
            values_text[item.id] = ", ".join(_fmt(v) for v in scale.values)
        self._tables = tuple(tables)
        self._item_ids = frozenset(item.id for item in instrument.items)
        self._values_text = values_text
        self._mean = instrument.method is ScoringMethod.MEAN
        self._prorate = instrument.missing.prorate
        self._subscales = tuple(
            (s.id, s.item_ids, len(s.item_ids), s.bands) for s in instrument.subscales
        )
        self.total_range = instrument.total_range
        self.subscale_ranges: FrozenDict[str, tuple[float, float]] = FrozenDict(
            (s.id, instrument.subscale_range(s.id)) for s in instrument.subscales
        )

    def _combine(self, values: list[float], count: int) -> float:
        # A sum with missing items is prorated to the full item count (unless the
        # instrument's published rule says to sum the answered items); a mean averages
        # the answered items.
        total = math.fsum(values)
        if self._mean:
            return total / len(values)
        if len(values) == count or not self._prorate:
            return total
        return total * count / len(values)

    def score(self, answers: Mapping[str, Any]) -> InstrumentScore:
        """Score one set of answers (item id → declared value, or ``None`` for missing).

        Raises:
            InvalidAnswersError: listing every problem, each with instrument and item id.
        """
        instrument = self.instrument
        problems: list[AnswerProblem] = []
        if not isinstance(answers, Mapping):
            raise InvalidAnswersError(
                [
                    AnswerProblem(
                        instrument.id,
                        None,
                        "wrong-type",
                        f"answers must be a mapping of item id to value, "
                        f"not {type(answers).__name__}",
                    )
                ]
            )
        if not self._item_ids.issuperset(answers):
            for item_id in answers:
                if item_id not in self._item_ids:
                    problems.append(
                        AnswerProblem(
                            instrument.id,
                            str(item_id),
                            "unknown-item",
                            f"no item {item_id!r} in {instrument.id}; items: "
                            + ", ".join(i for i, _ in self._tables),
                        )
                    )
        items: dict[str, float] = {}
        missing: list[str] = []
        for item_id, table in self._tables:
            value = answers.get(item_id)
            if value is None:
                missing.append(item_id)
                continue
            keyed = None
            if type(value) is not bool:
                try:
                    keyed = table.get(value)
                except TypeError:  # unhashable, e.g. a list
                    keyed = None
            if keyed is None:
                problems.append(self._value_problem(item_id, value))
            else:
                items[item_id] = keyed
        allowed = instrument.missing.max_missing
        if len(missing) > allowed:
            problems.append(
                AnswerProblem(
                    instrument.id,
                    None,
                    "too-many-missing",
                    f"{len(missing)} items unanswered ({', '.join(missing)}); "
                    f"at most {allowed} may be missing",
                )
            )
        if problems:
            raise InvalidAnswersError(problems)

        total = self._combine(list(items.values()), len(self._tables))
        subscales: dict[str, float] = {}
        subscale_bands: dict[str, str] = {}
        limit = instrument.missing.subscale_max_missing
        for sub_id, sub_items, count, bands in self._subscales:
            values = [items[i] for i in sub_items if i in items]
            if count - len(values) > limit or not values:
                continue  # too few answers: the subscale is left out, never guessed
            value = self._combine(values, count)
            subscales[sub_id] = value
            if bands:
                band = band_of(bands, value)
                if band is not None:
                    subscale_bands[sub_id] = band
        return InstrumentScore(
            instrument_id=instrument.id,
            version=instrument.version,
            key_hash=instrument.key_hash,
            total=total,
            total_range=self.total_range,
            higher_is_better=instrument.higher_is_better,
            band=band_of(instrument.bands, total),
            subscales=FrozenDict(subscales),
            subscale_ranges=self.subscale_ranges,
            subscale_bands=FrozenDict(subscale_bands),
            items=FrozenDict(items),
            missing=tuple(missing),
        )

    def _value_problem(self, item_id: str, value: object) -> AnswerProblem:
        allowed = self._values_text[item_id]
        if isinstance(value, bool) or not isinstance(value, int | float):
            return AnswerProblem(
                self.instrument.id,
                item_id,
                "wrong-type",
                f"{value!r} is a {type(value).__name__}; answers are numbers ({allowed})",
            )
        return AnswerProblem(
            self.instrument.id,
            item_id,
            "out-of-range",
            f"{_fmt(value)} is not one of the scale's values ({allowed})",
        )


def _fmt(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def compile_instrument(instrument: Instrument) -> ScoringKey:
    """Compile ``instrument`` for scoring (do it once; the engine does it for you).

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> compile_instrument(UCLA_3).total_range
        (3.0, 9.0)
    """
    return ScoringKey(instrument)


def score(instrument: Instrument, answers: Mapping[str, Any]) -> InstrumentScore:
    """Score ``answers`` to ``instrument`` (compiles the instrument on every call).

    Prefer ``Engine.score``, which compiles each instrument once.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> score(UCLA_3, {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}).total
        3.0
    """
    return ScoringKey(instrument).score(answers)
