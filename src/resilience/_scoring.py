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

import sys
from collections.abc import Callable, Mapping
from math import fsum
from typing import Any

import attrs

from resilience._generated_scorer import generate_scorer
from resilience.errors import AnswerProblem, InvalidAnswersError
from resilience.model.assessment import InstrumentScore
from resilience.model.fields import TEXT_CHECKS, FrozenDict
from resilience.model.instruments import Band, Instrument, ScoringMethod

__all__ = ["ScoringKey", "answer_problems", "band_of", "compile_instrument", "score"]


def band_of(bands: tuple[Band, ...], value: float) -> str | None:
    """The id of the first band whose upper edge ``value`` does not pass (``None`` if none).

    Example:
        >>> band_of((Band("low", "Low", 3, upper_inclusive=False), Band("high", "High", 7)), 3)
        'high'
    """
    return _band(_edges(bands), value)


# ``(upper, inclusive, id)`` per band: checked inline, without a method call per band.
_Edges = tuple[tuple[float, bool, str], ...]


def _edges(bands: tuple[Band, ...]) -> _Edges:
    return tuple((float(b.upper), b.upper_inclusive, b.id) for b in bands)


def _band(edges: _Edges, value: float) -> str | None:
    for upper, inclusive, band_id in edges:
        if value < upper or (inclusive and value == upper):
            return band_id
    return None


# InstrumentScore is a frozen, slotted attrs class. Scoring builds one per answer set, and
# its generated __init__ (12 fields, 6 converters, a frozen-setattr per field) costs about
# as much as the scoring itself. Every value the scorer passes is already in its final
# form (FrozenDict, tuple), so the scorer fills the slots directly through their
# descriptors. This is only done while the class is exactly what the scorer expects
# (these fields, no validators but the text checks every model string gets, no
# post-init, no extra slots), checked once at import; the strings the scorer passes come
# from an Instrument, whose strings were checked when it was built;
# any change to InstrumentScore makes the scorer fall back to the ordinary constructor
# rather than produce a half-built object.
_FIELDS = (
    "instrument_id",
    "version",
    "key_hash",
    "total",
    "total_range",
    "higher_is_better",
    "band",
    "subscales",
    "subscale_ranges",
    "subscale_bands",
    "items",
    "missing",
)
_FAST_BUILD = (
    tuple(a.name for a in attrs.fields(InstrumentScore)) == _FIELDS
    and all(
        a.validator is None or a.validator in TEXT_CHECKS for a in attrs.fields(InstrumentScore)
    )
    and not hasattr(InstrumentScore, "__attrs_post_init__")
    # no extra slots (such as a cached hash) that __init__ would fill
    and tuple(n for n in getattr(InstrumentScore, "__slots__", ()) if n != "__weakref__") == _FIELDS
    and all(hasattr(InstrumentScore.__dict__.get(name), "__set__") for name in _FIELDS)
)
# One setter per field, in field order (empty if the fast build is off).
_SETTERS: dict[str, Callable[[InstrumentScore, Any], None]] = (
    {name: InstrumentScore.__dict__[name].__set__ for name in _FIELDS} if _FAST_BUILD else {}
)
_EMPTY: FrozenDict[str, Any] = FrozenDict()


def _build(
    instrument_id: str,
    version: str,
    key_hash: str,
    total: float | None,
    total_range: tuple[float, float],
    higher_is_better: bool,
    band: str | None,
    subscales: FrozenDict[str, float],
    subscale_ranges: FrozenDict[str, tuple[float, float]],
    subscale_bands: FrozenDict[str, str],
    items: FrozenDict[str, float],
    missing: tuple[str, ...],
) -> InstrumentScore:
    values = (
        instrument_id,
        version,
        key_hash,
        total,
        total_range,
        higher_is_better,
        band,
        subscales,
        subscale_ranges,
        subscale_bands,
        items,
        missing,
    )
    if not _FAST_BUILD:  # pragma: no cover - only if InstrumentScore's fields change
        return InstrumentScore(*values)
    result: InstrumentScore = object.__new__(InstrumentScore)
    for setter, value in zip(_SETTERS.values(), values, strict=True):
        setter(result, value)
    return result


def _yes_no(value: object) -> bool:
    """Whether ``value`` is a yes/no (Python's or NumPy's ``True``/``False``).

    Both equal 1 and 0, so a lookup table would take them for answers; they are not.
    """
    kind = value.__class__
    return kind is bool or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_"))


def _numpy_number() -> tuple[type, ...]:
    """NumPy's number type when NumPy is loaded (a NumPy int is a number answer)."""
    numpy = sys.modules.get("numpy")
    return (numpy.number,) if numpy is not None else ()


class ScoringKey:
    """An instrument compiled for fast scoring; build it once, score many answer sets.

    Compiling turns each item into a lookup table from every declared answer value to the
    score it counts as (after reverse keys and recoding), so scoring is a few dictionary
    lookups and one ``math.fsum`` per score. It also generates a straight-line function for
    complete answer sets (see ``resilience._generated_scorer``); anything else goes through
    the general path, which finds and describes every problem.

    Attributes:
        instrument: The instrument compiled.
        total_range: The lowest and highest possible total.
        subscale_ranges: The lowest and highest possible score of each subscale.
        score: Score one set of answers (item id → declared value, or ``None`` for
            missing) and return an :class:`~resilience.InstrumentScore`. The answers are
            only read, never changed. Raises
            :class:`~resilience.errors.InvalidAnswersError` listing every problem, each
            with instrument and item id.

    Example:
        >>> from resilience.builtin.instruments.brs import BRS
        >>> key = compile_instrument(BRS)
        >>> key.score({f"brs-{i}": 3 for i in range(1, 7)}).total
        3.0
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> compile_instrument(UCLA_3).score({"ucla-1": 1, "ucla-2": None, "ucla-3": 1})
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidAnswersError: 1 problem with the answers:
          - ucla-3: 1 items unanswered (ucla-2); at most 0 may be missing [too-many-missing]
    """

    __slots__ = (
        "_allowed",
        "_count",
        "_edges",
        "_higher",
        "_id",
        "_item_ids",
        "_key_hash",
        "_mean",
        "_prorate",
        "_sub_limit",
        "_subscales",
        "_subscales_alone",
        "_tables",
        "_values_text",
        "_version",
        "instrument",
        "score",
        "subscale_ranges",
        "total_range",
    )

    score: Callable[[Mapping[str, Any]], InstrumentScore]

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self._id = instrument.id
        self._version = instrument.version
        self._key_hash = instrument.key_hash
        self._higher = instrument.higher_is_better
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
        self._count = len(tables)
        self._item_ids = frozenset(item.id for item in instrument.items)
        self._values_text = values_text
        self._mean = instrument.method is ScoringMethod.MEAN
        self._prorate = instrument.missing.prorate
        self._allowed = instrument.missing.max_missing
        self._sub_limit = instrument.missing.subscale_max_missing
        self._subscales_alone = instrument.missing.subscales_alone
        self._edges = _edges(instrument.bands)
        self._subscales = tuple(
            (s.id, s.item_ids, len(s.item_ids), _edges(s.bands)) for s in instrument.subscales
        )
        self.total_range = instrument.total_range
        self.subscale_ranges: FrozenDict[str, tuple[float, float]] = FrozenDict(
            (s.id, instrument.subscale_range(s.id)) for s in instrument.subscales
        )
        # Generating the straight-line scorer compiles Python source (about half a
        # millisecond), so it is done on the first score, not here: answer_problems and
        # one-off scoring build keys they never score many answer sets with.
        self.score = self._generate_then_score if _FAST_BUILD else self._score_general

    def _generate_then_score(self, answers: Mapping[str, Any]) -> InstrumentScore:
        generated: Callable[[Mapping[str, Any]], InstrumentScore] = generate_scorer(
            tables=self._tables,
            mean=self._mean,
            edges=self._edges,
            subscales=self._subscales,
            result_class=InstrumentScore,
            setters=_SETTERS,
            constants={
                "instrument_id": self._id,
                "version": self._version,
                "key_hash": self._key_hash,
                "total_range": self.total_range,
                "higher_is_better": self._higher,
                "subscale_ranges": self.subscale_ranges,
            },
            general=self._score_general,
        )
        # Two threads may both get here; each installs an equivalent function.
        self.score = generated
        return generated(answers)

    def _combine(self, values: list[float], count: int) -> float:
        # A sum with missing items is prorated to the full item count (unless the
        # instrument's published rule says to sum the answered items); a mean averages
        # the answered items. fsum keeps the result exact and independent of item order.
        total = fsum(values)
        if self._mean:
            return total / len(values)
        if len(values) == count or not self._prorate:
            return total
        return total * count / len(values)

    def _score_general(self, answers: Mapping[str, Any]) -> InstrumentScore:
        # Every answer set the generated function does not accept comes here: missing
        # items (scored under the missing-item policy) and every kind of problem.
        if answers.__class__ is not dict and not isinstance(answers, Mapping):
            raise InvalidAnswersError([_not_a_mapping(self._id, answers)])
        items: dict[str, float] = {}
        missing: list[str] = []
        bad = False
        get = answers.get
        for item_id, table in self._tables:
            value = get(item_id)
            if value is None:
                missing.append(item_id)
            elif _yes_no(value):
                bad = True
            else:
                try:
                    items[item_id] = table[value]
                except (KeyError, TypeError):  # not a declared value, or unhashable
                    bad = True
        # When every key is an answered item there can be no unknown one; only otherwise
        # is the (slower) set comparison needed.
        if bad or (len(answers) != len(items) and not self._item_ids.issuperset(answers)):
            raise InvalidAnswersError(self._problems(answers, missing))
        # Too many items missing for the total: refused, unless the instrument scores its
        # subscales alone (as the De Jong Gierveld manual does); then each subscale is
        # scored from its own items whenever its own rule allows, and the answer set is
        # refused only when none can be.
        with_total = len(missing) <= self._allowed
        if not with_total and not self._subscales_alone:
            raise InvalidAnswersError(self._problems(answers, missing))

        mean = self._mean
        total: float | None
        if not with_total:
            total = None
        elif missing:
            total = self._combine(list(items.values()), self._count)
        else:
            total = fsum(items.values())
            if mean:
                total /= self._count
        subscales: dict[str, float] = {}
        subscale_bands: dict[str, str] = {}
        for sub_id, sub_items, sub_count, edges in self._subscales:
            if missing:
                sub_values = [items[i] for i in sub_items if i in items]
                if sub_count - len(sub_values) > self._sub_limit or not sub_values:
                    continue  # too few answers: the subscale is left out, never guessed
                value = self._combine(sub_values, sub_count)
            else:
                value = fsum([items[i] for i in sub_items])
                if mean:
                    value /= sub_count
            subscales[sub_id] = value
            if edges:
                band = _band(edges, value)
                if band is not None:
                    subscale_bands[sub_id] = band
        if total is None and not subscales:
            raise InvalidAnswersError(self._problems(answers, missing))
        return _build(
            self._id,
            self._version,
            self._key_hash,
            total,
            self.total_range,
            self._higher,
            _band(self._edges, total) if self._edges and total is not None else None,
            FrozenDict(subscales) if subscales else _EMPTY,
            self.subscale_ranges,
            FrozenDict(subscale_bands) if subscale_bands else _EMPTY,
            FrozenDict(items),
            tuple(missing) if missing else (),
        )

    def _problems(self, answers: Mapping[Any, Any], missing: list[str]) -> list[AnswerProblem]:
        # The slow path: find and describe every problem, in a stable order (unknown items
        # in the caller's order, then each item in the instrument's order, then missing).
        instrument_id = self.instrument.id
        problems: list[AnswerProblem] = []
        for item_id in answers:
            if item_id not in self._item_ids:
                problems.append(
                    AnswerProblem(
                        instrument_id,
                        str(item_id),
                        "unknown-item",
                        f"no item {item_id!r} in {instrument_id}; items: "
                        + ", ".join(i for i, _ in self._tables),
                    )
                )
        for item_id, table in self._tables:
            value = answers.get(item_id)
            if value is None:
                continue
            try:
                known = not _yes_no(value) and value in table
            except TypeError:  # unhashable, e.g. a list
                known = False
            if not known:
                problems.append(self._value_problem(item_id, value))
        if len(missing) > self._allowed and not self._subscale_scorable(missing):
            either = " and no subscale can be scored from its own items" if self._subscales else ""
            problems.append(
                AnswerProblem(
                    instrument_id,
                    None,
                    "too-many-missing",
                    f"{len(missing)} items unanswered ({', '.join(missing)}); "
                    f"at most {self._allowed} may be missing{either}",
                )
            )
        return problems

    def _subscale_scorable(self, missing: list[str]) -> bool:
        # Whether some subscale keeps enough answers under its own rule (the general
        # scorer's test, for the problem list).
        if not self._subscales_alone:
            return False
        gone = set(missing)
        for _, sub_items, sub_count, _ in self._subscales:
            lost = sum(1 for item in sub_items if item in gone)
            if lost <= self._sub_limit and lost < sub_count:
                return True
        return False

    def _value_problem(self, item_id: str, value: object) -> AnswerProblem:
        allowed = self._values_text[item_id]
        if _yes_no(value) or not isinstance(value, (int, float, *_numpy_number())):
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
            f"{_fmt(value)} is not one of the scale's values ({allowed})",  # type: ignore[arg-type]
        )


def _not_a_mapping(instrument_id: str, answers: object) -> AnswerProblem:
    return AnswerProblem(
        instrument_id,
        None,
        "wrong-type",
        f"answers must be a mapping of item id to value, not {type(answers).__name__}",
    )


def _fmt(value: float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def answer_problems(
    instrument: Instrument, answers: object, *, allow_missing: bool = True
) -> list[AnswerProblem]:
    """Every problem the scorer would find with ``answers``, without scoring them.

    The problems are the ones :class:`~resilience.errors.InvalidAnswersError` lists:
    answers that are not a mapping, unknown items (in the caller's order), then values of
    the wrong type or off the scale (in the instrument's order). Unanswered items
    (``None`` or absent) are a problem only when ``allow_missing`` is false and more are
    missing than the instrument allows.

    Example:
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> [(p.item_id, p.kind) for p in answer_problems(UCLA_3, {"ucla-1": 7, "x": 1})]
        [('x', 'unknown-item'), ('ucla-1', 'out-of-range')]
        >>> answer_problems(UCLA_3, {"ucla-1": 1})
        []
        >>> [p.kind for p in answer_problems(UCLA_3, {"ucla-1": 1}, allow_missing=False)]
        ['too-many-missing']
    """
    if not isinstance(answers, Mapping):
        return [_not_a_mapping(instrument.id, answers)]
    key = ScoringKey(instrument)
    missing = (
        []
        if allow_missing
        else [item_id for item_id, _ in key._tables if answers.get(item_id) is None]
    )
    return key._problems(answers, missing)


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
    # One answer set: the general path, without generating code that would run once.
    return ScoringKey(instrument)._score_general(answers)
