"""JSON for every public type, through one cattrs converter owned by this module.

Every top-level record carries ``schema_version``. Reading an older version upgrades it;
reading a newer one than this library knows is a :class:`~resilience.errors.SchemaVersionError`;
malformed input is an :class:`~resilience.errors.InvalidRecordError` that names the JSON
path of every problem. cattrs' global converter is never used: mixing converters silently
loses hooks.

Example:
    >>> import datetime as dt, resilience as rs
    >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                   {"brs": {"brs-1": 4}})
    >>> text = rs.to_json(a)
    >>> text[:40]
    '{"schema_version": 2, "person_id": "p-1"'
    >>> rs.from_json(text, rs.Assessment) == a
    True
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast, get_args, get_origin

import cattrs
from cattrs.errors import BaseValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.v import format_exception

from resilience.errors import InvalidRecordError, SchemaVersionError, UnwritableRecordError
from resilience.model.fields import shown
from resilience.model.plans import CheckIn, Step
from resilience.model.taxonomy import Capacity, Pillar

__all__ = [
    "SCHEMA_VERSION",
    "configure_converter",
    "default_converter",
    "from_json",
    "make_converter",
    "parse_datetime",
    "register_upgrade",
    "round_trip_problem",
    "structure_record",
    "to_json",
    "unstructure_record",
]

T = TypeVar("T")

#: The schema version written into every record by this release.
#:
#: * 2 — :attr:`InstrumentScore.total` may be ``null`` (a score whose subscales were
#:   scored without a total), and an assessment may say which answers were stored
#:   unchecked (``unchecked``, written only when not empty). Version 1 records read as
#:   they are: every version 1 record is a valid version 2 record.
SCHEMA_VERSION = 2

_Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
# (record type name, version it upgrades *from*) -> function returning version + 1.
_UPGRADES: dict[tuple[str, int], _Upgrade] = {}


def register_upgrade(type_name: str, from_version: int) -> Callable[[_Upgrade], _Upgrade]:
    """Register a function that upgrades a record of ``type_name`` by one schema version.

    Example:
        >>> @register_upgrade("Example", 1)
        ... def _add_field(data):
        ...     return {**data, "added": True}
    """

    def decorate(function: _Upgrade) -> _Upgrade:
        _UPGRADES[(type_name, from_version)] = function
        return function

    return decorate


def _strict(kind: type, name: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if isinstance(value, bool) and kind is not bool:
            raise TypeError(f"expected {name}, got a boolean")
        if kind is float:
            if not isinstance(value, int | float):
                raise TypeError(f"expected a number, got {type(value).__name__}")
            if not math.isfinite(value):
                raise ValueError(f"expected a finite number, got {value!r}")
            return float(value)
        if not isinstance(value, kind):
            raise TypeError(f"expected {name}, got {type(value).__name__}")
        return value

    return structure


def _number(value: Any, _: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return value


def _optional_number(value: Any, type_: Any) -> int | float | None:
    return None if value is None else _number(value, type_)


def parse_datetime(text: str) -> dt.datetime:
    """Read an ISO 8601 date-time, accepting a trailing ``Z`` for UTC on every Python.

    The result is naive when ``text`` has no UTC offset; callers that need an aware
    datetime check ``utcoffset()`` themselves.

    Raises:
        ValueError: ``text`` is not an ISO 8601 date-time.

    Example:
        >>> parse_datetime("2026-01-05T09:30:00Z")
        datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.timezone.utc)
    """
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _datetime(value: Any, _: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date-time string, got {type(value).__name__}")
    return parse_datetime(value)


def _date(value: Any, _: Any) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 date string, got {type(value).__name__}")
    return dt.date.fromisoformat(value)


def _target(value: Any, _: Any) -> Pillar | Capacity:
    for kind in (Pillar, Capacity):
        try:
            return kind(value)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is neither a pillar nor a capacity")


def _is_set_type(type_: Any) -> bool:
    return get_origin(type_) in (frozenset, set)


def _is_recode(type_: Any) -> bool:
    # Item.recode maps numbers to numbers; JSON objects only have string keys, so it is
    # written as a list of [value, score] pairs instead.
    args = get_args(type_)
    return (
        len(args) == 2
        and args[1] is type(None)
        and get_origin(args[0]) is Mapping
        and get_args(args[0]) == (int | float, int | float)
    )


def configure_converter(converter: cattrs.Converter) -> None:
    """Register the library's hooks on ``converter``.

    Example:
        >>> conv = cattrs.Converter()
        >>> configure_converter(conv)
        >>> conv.unstructure(dt.date(2026, 1, 5))
        '2026-01-05'
    """
    for kind, name in (
        (str, "a string"),
        (int, "a whole number"),
        (float, "a number"),
        (bool, "true or false"),
    ):
        converter.register_structure_hook(kind, _strict(kind, name))
    converter.register_structure_hook(int | float, _number)
    converter.register_structure_hook(int | float | None, _optional_number)
    converter.register_structure_hook(Pillar | Capacity, _target)
    converter.register_unstructure_hook(dt.datetime, lambda value: value.isoformat())
    converter.register_structure_hook(dt.datetime, _datetime)
    converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    converter.register_structure_hook(dt.date, _date)

    def unstructure_set(type_: Any) -> Callable[[Any], list[Any]]:
        (element,) = get_args(type_) or (Any,)

        def unstructure(values: Any) -> list[Any]:
            items = [converter.unstructure(v, element) for v in values]
            # Sorted, so the same value always gives the same JSON (hash randomisation
            # would otherwise reorder sets of strings and enums between runs).
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))

        return unstructure

    converter.register_unstructure_hook_factory(_is_set_type, unstructure_set)

    def unstructure_recode(value: Mapping[Any, Any] | None) -> list[list[Any]] | None:
        return None if value is None else [[k, v] for k, v in value.items()]

    def structure_recode(value: Any, _: Any) -> dict[int | float, int | float] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in value
        ):
            raise TypeError("expected a list of [value, score] pairs")
        return {_number(k, None): _number(v, None) for k, v in value}

    converter.register_unstructure_hook_func(_is_recode, unstructure_recode)
    converter.register_structure_hook_func(_is_recode, structure_recode)

    # An assessment's ``unchecked`` is left out when empty, so that the JSON (and so the
    # record id a store derives from it) of every checked assessment stays what it was.
    from resilience.model.assessment import Assessment

    # ``key_hashes`` keeps its first name, ``keys``, in JSON: renaming it there would change
    # the record id of every stored assessment.
    converter.register_unstructure_hook(
        Assessment,
        make_dict_unstructure_fn(
            Assessment,
            converter,
            unchecked=override(omit_if_default=True),
            key_hashes=override(rename="keys"),
        ),
    )
    converter.register_structure_hook(
        Assessment,
        make_dict_structure_fn(Assessment, converter, key_hashes=override(rename="keys")),
    )
    # Fields added after schema version 1 are written only when they hold something, so
    # a record that does not use them is exactly what earlier releases wrote and read;
    # reading fills in their defaults.
    for cls, added in _ADDED_FIELDS.items():
        overrides: dict[str, Any] = {name: override(omit_if_default=True) for name in added}
        converter.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, converter, **overrides)
        )


#: Optional fields added to a record type since schema version 1, per type.
_ADDED_FIELDS: dict[type, tuple[str, ...]] = {
    Step: ("approach", "techniques", "references"),
    CheckIn: ("expected", "happened"),
}


def make_converter() -> cattrs.Converter:
    """Build a new converter with the library's hooks (plugins may add their own).

    Example:
        >>> make_converter().unstructure(Pillar.BELONGING)
        'belonging'
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(converter)
    return converter


_DEFAULT: cattrs.Converter | None = None


def default_converter() -> cattrs.Converter:
    """The library's converter, built on first use (nothing is built at import time).

    Example:
        >>> default_converter() is default_converter()
        True
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = make_converter()
    return _DEFAULT


def unstructure_record(obj: Any, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """``obj`` as plain JSON-ready data, with ``schema_version`` first.

    A record is a value the converter writes as a JSON object: an attrs instance (the
    library's own types, a plugin's), or a value of a type a plugin registered a hook for.
    Plain data (a dict, a list, text, a number) is not a record.

    Raises:
        UnwritableRecordError: ``obj`` is not a record, or the converter failed on it.

    Example:
        >>> unstructure_record(Pillar.BELONGING)
        Traceback (most recent call last):
        ...
        resilience.errors.UnwritableRecordError: cannot write Pillar as JSON:
          - only records (attrs instances, or types a plugin's converter hooks write as an object) are written as JSON records, not Pillar
    """  # noqa: E501
    what = type(obj).__name__
    conv = _converter(converter, what)
    not_a_record = UnwritableRecordError(
        what,
        [
            "only records (attrs instances, or types a plugin's converter hooks write as an "
            f"object) are written as JSON records, not {what}"
        ],
    )
    if isinstance(obj, Mapping | str | bytes | bytearray | int | float | list | tuple):
        raise not_a_record  # plain data, whatever a hook makes of it
    try:
        data = conv.unstructure(obj)
    except Exception as error:  # a hook of a plugin, a value holding itself: anything
        raise UnwritableRecordError(
            what, [f"the converter cannot write it: {type(error).__name__}: {error}"]
        ) from None
    if not isinstance(data, dict):
        raise not_a_record
    return {"schema_version": SCHEMA_VERSION, **data}


def _converter(converter: object, what: str) -> cattrs.Converter:
    if converter is None:
        return default_converter()
    if not isinstance(converter, cattrs.BaseConverter):
        raise UnwritableRecordError(
            what, [f"converter must be a cattrs Converter, not {type(converter).__name__}"]
        )
    return cast(cattrs.Converter, converter)


def to_json(
    obj: Any, *, converter: cattrs.Converter | None = None, indent: int | None = None
) -> str:
    """Write a record as JSON, with ``schema_version``.

    Raises:
        UnwritableRecordError: ``obj`` is not a record (see :func:`unstructure_record`),
            or holds what JSON cannot carry (NaN or an infinity, an integer too long to
            write out, a lone surrogate, an object JSON has no form for, itself); the
            problem is named with its JSON path. Also a :class:`TypeError` and a
            :class:`ValueError`.

    Example:
        >>> from resilience.model.plans import CheckIn, Outcome
        >>> to_json(CheckIn("s1", dt.date(2026, 1, 9), Outcome.DONE))
        '{"schema_version": 2, "step_id": "s1", "on": "2026-01-09", "outcome": "done", "felt": null, "note": null}'
        >>> import attrs
        >>> @attrs.define
        ... class Reading:
        ...     level: float
        >>> to_json(Reading(float("nan")))
        Traceback (most recent call last):
        ...
        resilience.errors.UnwritableRecordError: cannot write Reading as JSON:
          - nan is not a JSON number @ $.level
    """  # noqa: E501
    what = type(obj).__name__
    if indent is not None and (
        isinstance(indent, bool) or not isinstance(indent, int) or not 0 <= indent <= _MAX_INDENT
    ):
        raise UnwritableRecordError(
            what,
            [
                f"indent must be a whole number from 0 to {_MAX_INDENT}, or None, not "
                f"{shown(indent)}"
            ],
        )
    data = unstructure_record(obj, converter=converter)
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=indent)
        text.encode("utf-8")  # a lone surrogate: not text any reader of JSON can take
    except (TypeError, ValueError, RecursionError) as error:
        raise UnwritableRecordError(what, [_unwritable(data, error)]) from None
    return text


#: The widest indent ``to_json`` writes (a huge one would only fill memory with spaces).
_MAX_INDENT = 64

#: Deeper than this, a value is reported as nested too deeply (the JSON encoder's own
#: limit is Python's recursion limit, which this stays well inside).
_MAX_DEPTH = 400


def _unwritable(data: object, error: BaseException) -> str:
    """The first value of ``data`` JSON cannot carry, named with its JSON path.

    Walked without recursion, so a value that holds itself or is nested very deeply is
    reported instead of crashing the report.
    """
    stack: list[tuple[object, str, int, bool]] = [(data, "$", 0, False)]
    on_path: set[int] = set()
    while stack:
        value, path, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(value))
            continue
        if isinstance(value, dict | list | tuple):
            if id(value) in on_path:
                return f"the value contains itself @ {path}"
            if depth > _MAX_DEPTH:
                return f"nested more than {_MAX_DEPTH} levels deep @ {path}"
            on_path.add(id(value))
            stack.append((value, path, depth, True))
            children: list[tuple[object, str, int, bool]] = []
            if isinstance(value, dict):
                for key, child in value.items():
                    if not isinstance(key, str | int | float | bool) and key is not None:
                        return f"a key of type {type(key).__name__} has no JSON form @ {path}"
                    children.append((child, f"{path}.{key}", depth + 1, False))
            else:
                children = [
                    (child, f"{path}[{index}]", depth + 1, False)
                    for index, child in enumerate(value)
                ]
            stack.extend(reversed(children))
            continue
        problem = _scalar_problem(value)
        if problem is not None:
            return f"{problem} @ {path}"
    return f"{type(error).__name__}: {error}"


def _scalar_problem(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value!r} is not a JSON number"
    if isinstance(value, int):
        try:
            int.__repr__(value)
        except ValueError:
            return "an integer too long to write out"
        return None
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text holding a lone surrogate, which JSON text cannot carry"
        return None
    return f"a value of type {type(value).__name__} has no JSON form"


def structure_record(data: Any, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Read a record from plain data (as parsed from JSON), upgrading older versions.

    Raises:
        InvalidRecordError: the data does not describe a ``cls``; every problem is named
            with its JSON path.
        SchemaVersionError: the record is newer than this library.

    Example:
        >>> structure_record({"schema_version": 1}, dt.date)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read date:
        ...
    """
    what = cls.__name__
    if not isinstance(data, dict):
        raise InvalidRecordError(what, [f"expected a JSON object @ $, got {type(data).__name__}"])
    version = data.get("schema_version")
    if version is None:
        raise InvalidRecordError(what, ["required field missing @ $.schema_version"])
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidRecordError(
            what,
            [
                f"schema_version must be a whole number of 1 or more @ $.schema_version, "
                f"got {version!r}"
            ],
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(what, version, SCHEMA_VERSION)
    body = {key: value for key, value in data.items() if key != "schema_version"}
    for step in range(version, SCHEMA_VERSION):
        upgrade = _UPGRADES.get((what, step))
        if upgrade is not None:
            body = upgrade(body)
    conv = converter or default_converter()
    try:
        return conv.structure(body, cls)
    except BaseValidationError as error:
        problems = cattrs.transform_error(error, format_exception=_format_problem)
        raise InvalidRecordError(what, problems) from error
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise InvalidRecordError(what, [f"{error} @ $"]) from error


def _format_problem(error: BaseException, type_: type | None) -> str:
    # The library's own hooks raise with a precise message; keep it instead of cattrs'
    # generic "invalid value for type".
    if isinstance(error, TypeError | ValueError) and not isinstance(error, BaseValidationError):
        message = str(error)
        if message and not message.startswith(("int()", "float()", "could not convert")):
            return message
    return format_exception(error, type_)


def from_json(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Read a record of type ``cls`` from JSON written by :func:`to_json`.

    Raises:
        InvalidRecordError: malformed JSON, or JSON that does not describe a ``cls``.
        SchemaVersionError: a record written by a newer version of the library.

    Example:
        >>> from resilience.model.plans import CheckIn
        >>> from_json('{"schema_version": 1, "step_id": 3}', CheckIn)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read CheckIn:
          - expected a string, got int @ $.step_id
        ...
    """
    what = getattr(cls, "__name__", repr(cls))
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidRecordError(what, [f"expected JSON text, got {type(text).__name__}"])
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InvalidRecordError(what, ["malformed JSON: nested too deeply"]) from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise InvalidRecordError(what, [f"malformed JSON: {error}"]) from None
    return structure_record(data, cls, converter=converter)


def _refuse_constant(name: str) -> Any:
    # NaN, Infinity and -Infinity are not JSON; Python's reader accepts them by default.
    raise ValueError(f"{name} is not a JSON value")


def _sample_records() -> list[Any]:
    """One record of every kind a store holds, with every field set to something.

    A converter hook that drops or changes a field shows on these. Built on each call
    (only when an engine is built with converter plugins), never at import.
    """
    from resilience.model.assessment import Assessment, InstrumentScore
    from resilience.model.network import Connection, ContactMode, Frequency, SupportNetwork
    from resilience.model.plans import (
        CheckIn,
        ConnectionPlan,
        Effort,
        Outcome,
        Step,
        SupportResource,
    )
    from resilience.model.profile import (
        CapacityScore,
        Contribution,
        Flag,
        NetworkSummary,
        PillarScore,
        ResilienceProfile,
        SignReading,
    )
    from resilience.model.taxonomy import IsolationDriver, IsolationSign, Strategy

    when = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    connection = Connection(
        "Sam ✓",
        "friend",
        5,
        4,
        pillars={Pillar.VALIDATION},
        contact={ContactMode.IN_PERSON: Frequency.WEEKLY},
        last_contact=dt.date(2026, 1, 2),
    )
    assessment = Assessment(
        "sample-person",
        when,
        {"sample": {"a": 1, "b": 2.5, "c": None}},
        network=SupportNetwork((connection,)),
        drivers={IsolationDriver.BUSY_LIFE},
        locales={"sample": "en"},
        key_hashes={"sample": "0" * 64},
        unchecked={"sample"},
    )
    score = InstrumentScore(
        "sample",
        "1",
        "0" * 64,
        None,
        (0.0, 6.0),
        False,
        None,
        subscales={"part": 2.0},
        subscale_ranges={"part": (0.0, 3.0)},
        subscale_bands={"part": "lonely"},
        items={"a": 1.0},
        missing=("c",),
    )
    contribution = Contribution(
        "rule", "1", Pillar.BELONGING, 40.0, 1.5, inputs={"x": 0.5}, reason="a reason"
    )
    profile = ResilienceProfile(
        "sample-person",
        when,
        {Pillar.BELONGING: PillarScore(Pillar.BELONGING, 40.0, 1.5)},
        {Capacity.RECOVER: CapacityScore(Capacity.RECOVER, None, 0.0)},
        signs=(SignReading(IsolationSign.HIDES_STRUGGLES, 50.0, "sample"),),
        network=NetworkSummary(1, 1, {Pillar.VALIDATION: 60.0}, 1.0),
        drivers={IsolationDriver.BUSY_LIFE},
        flags={Flag.SUPPORT_ADVISED},
        flag_reasons=("a reason",),
        explanation=(contribution,),
        scores={"sample": score},
    )
    step = Step(
        "c1-01",
        Strategy.REACH_OUT,
        {Pillar.BELONGING},
        "Send Sam a message.",
        Effort.TINY,
        dt.date(2026, 1, 7),
        "belonging is weakest",
        connection="Sam ✓",
        template="reach-out/message",
        rung=1,
        in_person=False,
    )
    check_in = CheckIn("c1-01", dt.date(2026, 1, 8), Outcome.PARTLY, felt=4, note="a note\u2028")
    plan = ConnectionPlan(
        "sample-person",
        dt.date(2026, 1, 5),
        profile,
        (Pillar.BELONGING,),
        (step,),
        check_ins=(check_in,),
        resources=(SupportResource("Line", "Listening", "0800", kind="helpline", locale="en"),),
        reflection="What helped?",
        weekly_limit=2,
        cycle=2,
        ladder={Strategy.REACH_OUT: 2},
        completed=(step,),
    )
    return [assessment, profile, plan, check_in]


def round_trip_problem(converter: cattrs.Converter) -> str | None:
    """What ``converter`` loses of the library's own records, or ``None`` if nothing.

    Every kind of record a store holds, with every field set, is written to JSON and read
    back; it must come back equal. The engine runs this for each plugin that configures
    the converter, so a hook that drops data is caught before anything is stored with it.

    Example:
        >>> round_trip_problem(make_converter()) is None
        True
        >>> from resilience.model.plans import CheckIn
        >>> lossy = make_converter()
        >>> lossy.register_unstructure_hook(
        ...     CheckIn, lambda c: {"step_id": c.step_id, "on": c.on.isoformat(),
        ...                         "outcome": c.outcome.value})
        >>> print(round_trip_problem(lossy))
        a ConnectionPlan does not read back as it was written
    """
    for record in _sample_records():
        name = type(record).__name__
        try:
            back = from_json(
                to_json(record, converter=converter), type(record), converter=converter
            )
        except Exception as error:  # a hook may raise anything; report it, do not crash
            return f"a {name} cannot be written and read back ({type(error).__name__}: {error})"
        if back != record:
            return f"a {name} does not read back as it was written"
    return None
