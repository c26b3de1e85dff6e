"""A read-only mapping for fields of frozen attrs classes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar

from resilience.errors import InvalidValueError

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
