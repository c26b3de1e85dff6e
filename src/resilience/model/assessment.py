"""A person's answers at one time, and the score of one instrument.

Example:
    >>> import datetime as dt
    >>> from resilience import Assessment
    >>> a = Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                {"brs": {"brs-1": 4}})
    >>> a.answers["brs"]["brs-1"]
    4
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, TypeAlias

import attrs

from resilience.errors import InvalidValueError
from resilience.model.fields import (
    ANSWER_LIMIT,
    TEXT_CHECKED,
    FrozenDict,
    check_answer,
    check_aware,
    check_person_id,
    enum_set,
    text_fields,
    text_problem,
    to_frozen_map,
    to_frozenset,
    to_tuple,
)
from resilience.model.network import SupportNetwork
from resilience.model.taxonomy import IsolationDriver

__all__ = ["AnswerValue", "Answers", "Assessment", "InstrumentScore"]

#: One answer: the numeric value of a response option, or ``None`` for "not answered".
AnswerValue: TypeAlias = int | float | None
#: Answers to one instrument, by item id.
Answers: TypeAlias = Mapping[str, AnswerValue]


def _check_id(where: str, what: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidValueError(
            f"{where} must be keyed by {what} (a string), not {type(value).__name__}"
        )
    problem = text_problem(value)
    if problem is not None:
        raise InvalidValueError(f"{where}: the {what} {value!a} {problem}")


def _freeze_answers(answers: Mapping[str, Mapping[str, Any]]) -> FrozenDict[str, Any]:
    # Checked here, once: every instrument id and item id is a string, every value is None,
    # an int (not a bool) or a finite float in bounds. Whether a value is on an
    # instrument's scale is the scorer's question (Engine.check_assessment asks it).
    if not isinstance(answers, Mapping):
        raise InvalidValueError(
            "answers must map instrument ids to answers (item id to value), "
            f"not {type(answers).__name__}"
        )
    frozen_answers: dict[str, FrozenDict[str, Any]] = {}
    for instrument_id, values in answers.items():
        if instrument_id.__class__ is not str or not instrument_id.isascii():
            _check_id("answers", "instrument id", instrument_id)
        if not isinstance(values, Mapping):
            raise InvalidValueError(
                f"answers[{instrument_id!r}] must map item ids to values, "
                f"not {type(values).__name__}"
            )
        for item_id, value in values.items():
            # The common case (an ASCII id, a small int) is tested inline; the helpers
            # only run, and only build messages, when it does not hold.
            if item_id.__class__ is not str or not item_id.isascii():
                _check_id(f"answers[{instrument_id!a}]", "item id", item_id)
            if value.__class__ is not int or not -ANSWER_LIMIT <= value <= ANSWER_LIMIT:
                check_answer(f"answers[{instrument_id!r}][{item_id!r}]", value)
        frozen_answers[instrument_id] = (
            values if isinstance(values, FrozenDict) else FrozenDict(values)
        )
    return FrozenDict(frozen_answers)


def _check_keys(
    instance: object, attribute: attrs.Attribute[Mapping[str, str]], value: Mapping[Any, Any]
) -> None:
    for instrument_id, key_hash in value.items():
        if not isinstance(instrument_id, str) or not isinstance(key_hash, str) or not key_hash:
            raise InvalidValueError(
                f"{attribute.name} maps instrument ids to key hashes (non-empty strings), "
                f"not {instrument_id!r}: {key_hash!r}"
            )


@attrs.frozen(field_transformer=text_fields)
class InstrumentScore:
    """The score of one instrument, with the provenance needed to trust it later.

    Attributes:
        instrument_id: The instrument scored.
        version: The instrument definition's version.
        key_hash: The definition's scoring-key hash (see :attr:`Instrument.key_hash`).
        total: The total score, or ``None`` when too many items were missing for the
            instrument's missing-item rule while at least one subscale could still be
            scored from its own items under its own rule (as the De Jong Gierveld manual
            scores each subscale). Then :attr:`band` is ``None`` too.
        total_range: The lowest and highest possible total.
        higher_is_better: Whether a higher total means more strength.
        band: The band the total falls in, if the instrument has bands.
        subscales: Score per subscale id; a subscale with too many missing items is absent.
        subscale_ranges: The possible range of each subscale.
        subscale_bands: The band of each banded subscale that was scored.
        items: Each answered item's score after reverse keys and recoding.
        missing: Ids of items left unanswered.

    Example:
        >>> import resilience as rs
        >>> score = rs.Engine(load_installed=False).score("brs", {
        ...     "brs-1": 5, "brs-2": 1, "brs-3": 5, "brs-4": 1, "brs-5": 5, "brs-6": 1})
        >>> (score.total, score.band, score.strength())
        (5.0, 'high', 100.0)
    """

    instrument_id: str
    version: str
    key_hash: str
    total: float | None
    total_range: tuple[float, float]
    higher_is_better: bool
    band: str | None = None
    subscales: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    subscale_ranges: Mapping[str, tuple[float, float]] = attrs.field(
        factory=FrozenDict, converter=to_frozen_map
    )
    subscale_bands: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    items: Mapping[str, float] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    missing: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)

    def strength(self, subscale: str | None = None) -> float:
        """The total (or a subscale) on a 0–100 scale where higher always means stronger.

        Raises:
            InvalidValueError: the total (or that subscale) was not scored, for example
                because too many items were missing (see :attr:`total`).

        Example:
            >>> s = InstrumentScore("x", "1", "h", 3.0, (3.0, 9.0), higher_is_better=False)
            >>> s.strength()
            100.0
        """
        if subscale is None:
            if self.total is None:
                raise InvalidValueError(
                    f"the total of {self.instrument_id} was not scored (too many items "
                    "missing); read its subscales instead"
                )
            value, (low, high) = self.total, self.total_range
        else:
            if subscale not in self.subscales or subscale not in self.subscale_ranges:
                scored = ", ".join(self.subscales) or "none"
                raise InvalidValueError(
                    f"subscale {subscale!r} of {self.instrument_id} was not scored; "
                    f"scored subscales: {scored}"
                )
            value, (low, high) = self.subscales[subscale], self.subscale_ranges[subscale]
        share = (value - low) / (high - low) if high > low else 1.0
        if not self.higher_is_better:
            share = 1.0 - share
        return 100.0 * min(1.0, max(0.0, share))


def _to_drivers(value: object) -> frozenset[IsolationDriver]:
    return enum_set(IsolationDriver, "drivers", value)


_EMPTY: FrozenDict[str, Any] = FrozenDict()


# ``init=False``: the ``__init__`` below is attrs' own plus the deprecated ``keys`` argument.
@attrs.frozen(field_transformer=text_fields, init=False)
class Assessment:
    """What a person answered at one time, with their network and the drivers in their life.

    Attributes:
        person_id: An opaque id chosen by the host app (never a real name).
        taken_at: When the answers were given; must be timezone-aware.
        answers: Answers per instrument id, each a mapping of item id to value.
        network: The person's support network, if they described it.
        drivers: The drivers of isolation present in their life (context for planning;
            drivers never lower a score).
        locales: Which wording locale the person saw, per instrument id.
        key_hashes: The scoring-key hash (:attr:`Instrument.key_hash`) of the definition each
            instrument's answers were collected with, per instrument id. When one is
            recorded, the engine refuses to score the answers with a different
            definition (:class:`~resilience.errors.KeyMismatchError`);
            :meth:`resilience.Engine.stamp` fills them in. Empty by default: nothing is
            checked. (Called ``keys`` up to version 0.1, and still ``"keys"`` in JSON, so
            the records and record ids stores already hold stay valid; the ``keys``
            argument and attribute still work, with a :class:`DeprecationWarning`.)
        unchecked: The ids of instruments whose answers were stored without being
            checked against a registered definition, because the engine that stored them
            did not have it and the caller asked to store them anyway
            (``allow_unregistered=True`` of :meth:`resilience.Engine.append`). Empty for
            every assessment whose answers were checked.

    Example:
        >>> import datetime as dt
        >>> Assessment("p-1", dt.datetime(2026, 1, 5), {})
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: taken_at must be timezone-aware, not the naive datetime 2026-01-05T00:00:00
    """  # noqa: E501

    person_id: str = attrs.field(validator=check_person_id)
    taken_at: dt.datetime = attrs.field(validator=check_aware)
    answers: Mapping[str, Mapping[str, AnswerValue]] = attrs.field(
        factory=FrozenDict, converter=_freeze_answers, metadata={TEXT_CHECKED: True}
    )
    network: SupportNetwork | None = None
    drivers: frozenset[IsolationDriver] = attrs.field(default=frozenset(), converter=_to_drivers)
    locales: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=to_frozen_map)
    key_hashes: Mapping[str, str] = attrs.field(
        factory=FrozenDict, converter=to_frozen_map, validator=_check_keys
    )
    unchecked: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)

    def __init__(
        self,
        person_id: str,
        taken_at: dt.datetime,
        answers: Mapping[str, Mapping[str, AnswerValue]] = _EMPTY,
        network: SupportNetwork | None = None,
        drivers: Iterable[IsolationDriver | str] = frozenset(),
        locales: Mapping[str, str] = _EMPTY,
        key_hashes: Mapping[str, str] = _EMPTY,
        unchecked: Iterable[str] = frozenset(),
        *,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        if keys is not None:
            warnings.warn(
                "Assessment(keys=...) is deprecated: pass key_hashes=...",
                DeprecationWarning,
                stacklevel=2,
            )
            if key_hashes is not _EMPTY:
                raise InvalidValueError("give key_hashes or the deprecated keys, not both")
            key_hashes = keys
        self.__attrs_init__(
            person_id, taken_at, answers, network, drivers, locales, key_hashes, unchecked
        )

    @property
    def keys(self) -> Mapping[str, str]:
        """Deprecated name of :attr:`key_hashes`.

        Example:
            >>> import datetime as dt, warnings
            >>> a = Assessment("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with warnings.catch_warnings(record=True):
            ...     warnings.simplefilter("always")
            ...     a.keys == a.key_hashes
            True
        """
        warnings.warn(
            "Assessment.keys is deprecated: read Assessment.key_hashes",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.key_hashes
