"""How model fields convert or refuse what they are given, once, when a value is built.

The converters and validators every model type uses, public so that a plugin's own attrs
types (registered with the converter through ``resilience_configure_converter``) can hold
their values to the same standard.

Every enum-typed field (and every set, tuple or mapping of enums) takes the enum member
or its stable string id and stores the member; anything else is an
:class:`~resilience.errors.InvalidValueError` that names the field, the value and the
allowed ids. So ``Connection(..., pillars={"validation"})`` holds
``Pillar.VALIDATION``, and ``pillars={"validaton"}`` is refused at once instead of
scoring a pillar as if nobody supported it.

Every string a model type holds must be text JSON can carry: a lone surrogate (which
Python strings allow but UTF-8 cannot encode) is refused when the value is built, so
whatever a store exports it can import again. :func:`text_fields` adds that check to
every field whose annotation mentions ``str``; fields annotated exactly ``str`` (or
``str | None``) must also hold a string.

Collections are stored frozen: :func:`to_tuple`, :func:`to_frozenset` and
:func:`to_frozen_map` (giving a :class:`FrozenDict`) are the converters for sequence, set
and mapping fields, so a model value never changes after it is built.

Example:
    >>> sorted(p.value for p in enum_set(Pillar, "pillars", ["validation", Pillar.BELONGING]))
    ['belonging', 'validation']
    >>> enum_set(Pillar, "pillars", {"validaton"})
    Traceback (most recent call last):
    ...
    resilience.errors.InvalidValueError: pillars: 'validaton' is not a Pillar; allowed ids: co-regulation, validation, belonging, practical-support
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn, TypeVar

import attrs

from resilience.errors import InvalidValueError
from resilience.model.taxonomy import Capacity, Pillar

__all__ = [
    "ANSWER_LIMIT",
    "TEXT_CHECKED",
    "TEXT_CHECKS",
    "FrozenDict",
    "check_answer",
    "check_aware",
    "check_day",
    "check_person_id",
    "check_text",
    "enum_map",
    "enum_one",
    "enum_set",
    "enum_target",
    "enum_tuple",
    "freeze",
    "shown",
    "text_fields",
    "text_problem",
    "to_frozen_map",
    "to_frozenset",
    "to_tuple",
]

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A ``dict`` that refuses to change after it is built, and can be hashed.

    Frozen attrs classes stop attributes from being reassigned; this stops the mappings
    they hold from being edited in place, so a stored score cannot drift from its record.
    It stays a real ``dict`` subclass so that JSON encoding, equality with plain dicts and
    pickling keep working.

    Example:
        >>> d = FrozenDict({"a": 1})
        >>> d["a"]
        1
        >>> d["b"] = 2
        Traceback (most recent call last):
        ...
        TypeError: FrozenDict is read-only
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("FrozenDict is read-only")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        # dict's default pickling calls __setitem__ after construction; rebuild in one go.
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def freeze(mapping: Mapping[K, V] | Iterable[tuple[K, V]]) -> FrozenDict[K, V]:
    """Return ``mapping`` as a :class:`FrozenDict` (itself if it already is one).

    Example:
        >>> freeze({"x": 1}) == {"x": 1}
        True
    """
    if isinstance(mapping, FrozenDict):
        return mapping
    return FrozenDict(mapping)


# attrs field converters. They are typed with ``Any`` on purpose: mypy's attrs plugin
# cannot solve generic converters, and the field annotations already carry the types.


def _not(expected: str, value: object) -> InvalidValueError:
    # The type, never the value: these errors end up in logs, and values may be answers.
    return InvalidValueError(f"expected {expected}, not {type(value).__name__}")


def to_tuple(values: Iterable[Any]) -> tuple[Any, ...]:
    """Converter: any iterable to a tuple.

    Raises:
        InvalidValueError: ``values`` is not iterable.

    Example:
        >>> to_tuple([1, 2])
        (1, 2)
    """
    if isinstance(values, tuple):
        return values
    try:
        return tuple(values)
    except TypeError:
        raise _not("a sequence (tuple or list)", values) from None


def to_frozenset(values: Iterable[Any]) -> frozenset[Any]:
    """Converter: any iterable to a frozenset.

    Raises:
        InvalidValueError: ``values`` is not iterable, or holds unhashable values.

    Example:
        >>> to_frozenset([1, 1]) == {1}
        True
    """
    if isinstance(values, frozenset):
        return values
    try:
        return frozenset(values)
    except TypeError:
        raise _not("a set of hashable values", values) from None


def to_frozen_map(mapping: Mapping[Any, Any] | Iterable[tuple[Any, Any]]) -> FrozenDict[Any, Any]:
    """Converter: a mapping (or pairs) to a :class:`FrozenDict`.

    Raises:
        InvalidValueError: ``mapping`` is neither a mapping nor an iterable of pairs.

    Example:
        >>> to_frozen_map([("a", 1)])
        FrozenDict({'a': 1})
    """
    try:
        return freeze(mapping)
    except (TypeError, ValueError):
        raise _not("a mapping", mapping) from None


E = TypeVar("E", bound=enum.Enum)

#: The largest magnitude an answer value may have. Response options are small numbers;
#: a value beyond this is a data error, and refusing it keeps every stored answer a
#: number JSON and SQL read back exactly.
ANSWER_LIMIT = 1_000_000_000


def shown(value: object) -> str:
    """``repr(value)`` for a message: shortened, and never failing.

    Example:
        >>> shown(10**5000)
        'an int of 5001 digits'
    """
    try:
        text = repr(value)
    except Exception:  # a huge int (Python limits its digits), or a broken __repr__
        if isinstance(value, int):
            return f"an int of {int(abs(value).bit_length() * 0.30103) + 1} digits"
        return f"a {type(value).__name__}"
    return text if len(text) <= 60 else f"{text[:57]}..."


def _member(kind: type[E], field: str, value: object) -> E:
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(str(member.value) for member in kind)
    raise InvalidValueError(
        f"{field}: {shown(value)} is not a {kind.__name__}; allowed ids: {allowed}"
    )


def enum_one(kind: type[E], field: str, value: object) -> E:
    """Convert an enum member or its id to the member; anything else is refused.

    Model types use these conversions as attrs converters, written as lambdas
    (``converter=lambda value: enum_one(Strategy, "strategy", value)``) because mypy's
    attrs plugin reads a lambda's types but not those of a function a factory returns.

    Example:
        >>> from resilience.model.taxonomy import Strategy
        >>> enum_one(Strategy, "strategy", "reach-out")
        <Strategy.REACH_OUT: 'reach-out'>
    """
    return _member(kind, field, value)


def enum_target(field: str, value: object) -> Pillar | Capacity:
    """Convert a pillar or a capacity (or the id of one; their ids do not overlap).

    Example:
        >>> enum_target("target", "stay-grounded")
        <Capacity.GROUNDED: 'stay-grounded'>
    """
    kinds: tuple[type[Pillar] | type[Capacity], ...] = (Pillar, Capacity)
    for kind in kinds:
        if isinstance(value, kind):
            return value
    if isinstance(value, str):
        for kind in kinds:
            try:
                return kind(value)
            except ValueError:
                continue
    names = " or ".join(kind.__name__ for kind in kinds)
    allowed = ", ".join(str(m.value) for kind in kinds for m in kind)
    raise InvalidValueError(f"{field}: {shown(value)} is not a {names}; allowed ids: {allowed}")


def _iterable(field: str, values: object, what: str) -> Iterable[Any]:
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise InvalidValueError(f"{field} must be {what}, not {type(values).__name__}")
    return values


def enum_set(kind: type[E], field: str, values: object) -> frozenset[E]:
    """Convert any iterable of members or ids to a frozenset of members.

    Example:
        >>> from resilience.model.taxonomy import IsolationDriver
        >>> enum_set(IsolationDriver, "drivers", ["busy-life"])
        frozenset({<IsolationDriver.BUSY_LIFE: 'busy-life'>})
    """
    if isinstance(values, frozenset) and all(isinstance(v, kind) for v in values):
        return values
    items = _iterable(field, values, f"a set of {kind.__name__} values")
    return frozenset(_member(kind, field, value) for value in items)


def enum_tuple(kind: type[E], field: str, values: object) -> tuple[E, ...]:
    """Convert any iterable of members or ids to a tuple of members, order kept.

    Example:
        >>> from resilience.model.taxonomy import Pillar
        >>> enum_tuple(Pillar, "targets", ["belonging"])
        (<Pillar.BELONGING: 'belonging'>,)
    """
    items = _iterable(field, values, f"a sequence of {kind.__name__} values")
    return tuple(_member(kind, field, value) for value in items)


def enum_map(
    kind: type[E], field: str, mapping: object, values: type[enum.Enum] | None = None
) -> FrozenDict[E, Any]:
    """Convert a mapping keyed by members or ids to a :class:`FrozenDict` keyed by members.

    With ``values`` (an enum), the mapping's values are converted the same way.

    Example:
        >>> from resilience.model.network import ContactMode, Frequency
        >>> enum_map(ContactMode, "contact", {"call": "weekly"}, Frequency)
        FrozenDict({<ContactMode.CALL: 'call'>: <Frequency.WEEKLY: 'weekly'>})
    """
    if isinstance(mapping, Mapping):
        pairs: Iterable[Any] = mapping.items()
    else:
        pairs = _iterable(field, mapping, "a mapping")
    result: dict[E, Any] = {}
    for pair in pairs:
        try:
            key, value = pair
        except (TypeError, ValueError):
            raise InvalidValueError(
                f"{field} must be a mapping, not {type(mapping).__name__}"
            ) from None
        member = _member(kind, f"{field} key", key)
        if values is not None:
            value = _member(values, f"{field}[{member.value!r}]", value)
        result[member] = value
    return FrozenDict(result)


# -- text -----------------------------------------------------------------------------


def text_problem(value: str) -> str | None:
    r"""What keeps ``value`` out of JSON (a lone surrogate), or ``None`` if nothing does.

    Example:
        >>> text_problem("fine ✓"), text_problem("\ud800")
        (None, 'holds a lone surrogate (U+D800), which JSON text cannot carry')
    """
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(value[error.start])
        return f"holds a lone surrogate (U+{code:04X}), which JSON text cannot carry"
    return None


def _walk_text(field: str, value: object) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise InvalidValueError(f"{field} {problem}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _walk_text(field, key)
            _walk_text(field, item)
    elif isinstance(value, tuple | frozenset | list | set):
        for item in value:
            _walk_text(field, item)
    # Other values (numbers, enums, dates, model types) were checked when they were built.


def check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    r"""Validator: every string in ``value`` (also in tuples, sets and mappings) is JSON text.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Note:
        ...     text: str = attrs.field(validator=check_text)
        >>> Note("\udfff")
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: text holds a lone surrogate (U+DFFF), which JSON text cannot carry
    """  # noqa: E501
    _walk_text(attribute.name, value)


def check_person_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    r"""Validator: a person id holds no NUL character, which no store can keep (PostgreSQL).

    The id itself is never shown: error messages end up in logs.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Owned:
        ...     person_id: str = attrs.field(validator=check_person_id)
        >>> Owned("p\x00")
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: person_id holds a NUL character, which no store can keep
    """  # noqa: E501
    if isinstance(value, str) and "\x00" in value:
        raise InvalidValueError(f"{attribute.name} holds a NUL character, which no store can keep")


def _check_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidValueError(f"{attribute.name} must be a string, not {type(value).__name__}")
    _walk_text(attribute.name, value)


def _check_optional_str(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _check_str(instance, attribute, value)


#: Field metadata key: the field's converter already checks every string it holds.
TEXT_CHECKED = "resilience.text-checked"

#: The validators :func:`text_fields` adds. The scorer builds scores without ``__init__`` (see
#: ``resilience._scoring``) and may skip exactly these: every string it passes comes from
#: an :class:`~resilience.model.instruments.Instrument`, whose strings were checked.
TEXT_CHECKS: frozenset[Callable[..., None]] = frozenset()


def text_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Field transformer: add the text checks to every field whose annotation names ``str``.

    Every model type is declared ``@attrs.frozen(field_transformer=text_fields)`` (written
    out, so that mypy's attrs plugin still sees an attrs class).

    Example:
        >>> import attrs
        >>> @attrs.frozen(field_transformer=text_fields)
        ... class Label:
        ...     name: str
        >>> Label(3)
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: name must be a string, not int
    """
    result = []
    for field in fields:
        if field.metadata.get(TEXT_CHECKED):
            result.append(field)  # its converter checks its strings itself
            continue
        annotation = (
            field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
        )
        check: Callable[..., None] | None
        if annotation == "str":
            check = _check_str
        elif annotation in ("str | None", "Optional[str]"):
            check = _check_optional_str
        elif "str" in annotation or "Answers" in annotation:
            check = check_text
        else:
            check = None
        if check is not None and field.init:
            validator = (
                check if field.validator is None else attrs.validators.and_(field.validator, check)
            )
            field = field.evolve(validator=validator)
        result.append(field)
    return result


TEXT_CHECKS = frozenset({_check_str, _check_optional_str, check_text})


# -- times and numbers ----------------------------------------------------------------


def check_aware(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a datetime that carries a UTC offset (an instant, not a wall-clock time).

    Example:
        >>> import attrs, datetime as dt
        >>> @attrs.frozen
        ... class When:
        ...     at: dt.datetime = attrs.field(validator=check_aware)
        >>> When(dt.datetime(2026, 1, 5))
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: at must be timezone-aware, not the naive datetime 2026-01-05T00:00:00
    """  # noqa: E501
    if not isinstance(value, dt.datetime):
        raise InvalidValueError(
            f"{attribute.name} must be a timezone-aware datetime, not {type(value).__name__} "
            f"{shown(value)}"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError(
            f"{attribute.name} must be timezone-aware, not the naive datetime {value.isoformat()}"
        )


def check_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a day (a ``datetime.date`` that is not a ``datetime``).

    Example:
        >>> import attrs, datetime as dt
        >>> @attrs.frozen
        ... class Due:
        ...     on: dt.date = attrs.field(validator=check_day)
        >>> Due("2026-01-05")
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: on must be a day (a datetime.date), not str '2026-01-05'
    """  # noqa: E501
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValueError(
            f"{attribute.name} must be a day (a datetime.date), not {type(value).__name__} "
            f"{shown(value)}"
        )


def check_answer(where: str, value: object) -> None:
    """Refuse an answer value that is not ``None``, an ``int`` or a finite ``float`` in bounds.

    ``True`` and ``False`` are refused although Python counts them as 1 and 0: a yes/no
    is not a response value. The message names where the answer is, and the value's type
    (never the value itself: answers end up in logs only by their kind).

    Example:
        >>> check_answer("answers['brs']['brs-1']", 4)
        >>> check_answer("answers['brs']['brs-1']", float("nan"))
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: answers['brs']['brs-1'] must be a whole number or a finite number, not a float that is not finite
    """  # noqa: E501
    kind = value.__class__
    if kind is int and -ANSWER_LIMIT <= value <= ANSWER_LIMIT:  # type: ignore[operator]
        return  # the common case, first
    if value is None:
        return
    if kind is int or (isinstance(value, int) and not isinstance(value, bool)):
        if -ANSWER_LIMIT <= value <= ANSWER_LIMIT:  # type: ignore[operator]
            return
        raise InvalidValueError(
            f"{where} must be a number between -{ANSWER_LIMIT:,} and {ANSWER_LIMIT:,}, "
            "not a larger int"
        )
    if kind is float or isinstance(value, float):
        number: float = value  # type: ignore[assignment]
        if not math.isfinite(number):
            raise InvalidValueError(
                f"{where} must be a whole number or a finite number, not a float that is not finite"
            )
        if abs(number) > ANSWER_LIMIT:
            raise InvalidValueError(
                f"{where} must be a number between -{ANSWER_LIMIT:,} and {ANSWER_LIMIT:,}, "
                "not a larger float"
            )
        return
    raise InvalidValueError(
        f"{where} must be a whole number, a finite number or None, not {type(value).__name__}"
    )
