"""Stored records: the four kinds, their envelope, ids, times and the JSON Lines format.

Every backend stores the same row for a record, so ids, ordering and exports agree
between backends:

* ``kind`` — ``"assessment"``, ``"profile"``, ``"plan"`` or ``"check-in"``;
* ``person_id`` — whose record it is (a check-in has no person of its own, so it is given
  when the check-in is appended);
* ``time`` — the record's own time, used to order a history: ``Assessment.taken_at``,
  ``ResilienceProfile.assessed_at``, ``ConnectionPlan.made_on`` and ``CheckIn.on`` (a day
  counts as midnight UTC), stored as microseconds since 1970 in UTC;
* ``stored_at`` — when the record was first stored;
* ``body`` — the record as canonical JSON (sorted keys, no spaces, no ``schema_version``),
  with its ``schema_version`` kept next to it;
* ``id`` — the SHA-256 of kind, person and body, so the same record stored twice (by two
  appends, or by importing an export again) is one record.

An export line is one JSON object: ``{"kind": …, "schema_version": …, "person_id": …,
"id": …, "stored_at": …, "record": {…}}``.

Example:
    >>> import datetime as dt, resilience as rs
    >>> check_in = rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE)
    >>> row = encode(check_in, person_id="p-1")
    >>> row.kind, row.time_us == to_micros(dt.date(2026, 1, 9))
    ('check-in', True)
    >>> decode(row).record == check_in
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from json.encoder import encode_basestring
from typing import IO, Any, NamedTuple, TypeAlias, cast

import attrs
import cattrs

from resilience.errors import (
    InvalidRecordError,
    MissingPersonError,
    ResilienceError,
    SchemaVersionError,
)
from resilience.model.assessment import Assessment
from resilience.model.plans import CheckIn, ConnectionPlan
from resilience.model.profile import ResilienceProfile
from resilience.serialization import (
    SCHEMA_VERSION,
    default_converter,
    parse_datetime,
    structure_record,
)

__all__ = [
    "KINDS",
    "MAX_PERSON_ID",
    "Check",
    "LineProblems",
    "Record",
    "Row",
    "StoredRecord",
    "batch_entries",
    "decode",
    "encode",
    "encode_many",
    "export_line",
    "kind_of",
    "parse_lines",
    "person_id_problem",
    "precheck_lines",
    "quick_converter",
    "read_lines",
    "to_micros",
]

#: Anything a store holds.
Record: TypeAlias = Assessment | ResilienceProfile | ConnectionPlan | CheckIn

#: A check an importer runs on every record it reads: ``check(record)`` raises a
#: :class:`~resilience.errors.ResilienceError` (its message names what is wrong) to refuse
#: it, and returns ``None`` or the record to store in its place (a copy that records
#: something about it, e.g. that its answers were kept unchecked). An engine passes one
#: that checks answers against its instruments.
Check: TypeAlias = Callable[["Record"], "Record | None"]

#: The record kinds a store holds, by the name used in rows, queries and exports.
KINDS: Mapping[str, type[Record]] = {
    "assessment": Assessment,
    "profile": ResilienceProfile,
    "plan": ConnectionPlan,
    "check-in": CheckIn,
}
_KIND_OF_TYPE: dict[type[Any], str] = {cls: kind for kind, cls in KINDS.items()}
_LINE_KEYS = frozenset({"kind", "schema_version", "person_id", "id", "stored_at", "record"})
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICRO = dt.timedelta(microseconds=1)
# How many bad lines an import error lists before it says "and N more".
_MAX_LISTED = 20


class Row(NamedTuple):
    """A record as every backend stores it (see the module documentation).

    Example:
        >>> Row._fields
        ('id', 'person_id', 'kind', 'time_us', 'stored_us', 'schema_version', 'body')
    """

    id: str
    person_id: str
    kind: str
    time_us: int
    stored_us: int
    schema_version: int
    body: str


@attrs.frozen
class StoredRecord:
    """A record read back from a store, with its envelope.

    Attributes:
        id: The record id (the same id :meth:`Store.append` returned).
        kind: ``"assessment"``, ``"profile"``, ``"plan"`` or ``"check-in"``.
        person_id: Whose record it is.
        time: The record's own time (see the module documentation), in UTC.
        stored_at: When it was first stored, in UTC.
        record: The record itself.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from resilience.storage import open_store
        >>> with open_store("memory://") as store:
        ...     _ = store.append(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
        ...                      person_id="p-1")
        ...     stored = store.latest("p-1", "check-in")
        >>> stored.kind, stored.time.isoformat(), stored.record.outcome.value
        ('check-in', '2026-01-09T00:00:00+00:00', 'done')
    """

    id: str
    kind: str
    person_id: str
    time: dt.datetime
    stored_at: dt.datetime
    record: Record


def now_micros() -> int:
    """The current time as microseconds since 1970 (UTC).

    Example:
        >>> now_micros() > to_micros(dt.date(2026, 1, 1))
        True
    """
    return time.time_ns() // 1000


def to_micros(value: dt.datetime | dt.date) -> int:
    """A timezone-aware datetime, or a day (taken as midnight UTC), as microseconds since 1970.

    Raises:
        InvalidRecordError: ``value`` is a naive datetime (its instant is unknown).

    Example:
        >>> to_micros(dt.datetime(1970, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc))
        1000000
        >>> to_micros(dt.date(1970, 1, 2))
        86400000000
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidRecordError(
                "the time", [f"{value.isoformat()} is naive; give a timezone-aware datetime"]
            )
        return (value - _EPOCH) // _MICRO
    return (dt.datetime.combine(value, dt.time(), tzinfo=dt.timezone.utc) - _EPOCH) // _MICRO


def from_micros(micros: int) -> dt.datetime:
    """Microseconds since 1970 as a UTC datetime.

    Example:
        >>> from_micros(86400000000).isoformat()
        '1970-01-02T00:00:00+00:00'
    """
    return _EPOCH + dt.timedelta(microseconds=micros)


def kind_of(record: object) -> str:
    """The kind name of a record.

    Raises:
        InvalidRecordError: ``record`` is not one of the four record types.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> kind_of(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE))
        'check-in'
    """
    kind = _KIND_OF_TYPE.get(type(record))
    if kind is None:
        for cls, name in _KIND_OF_TYPE.items():
            if isinstance(record, cls):
                return name
        raise InvalidRecordError(
            type(record).__name__,
            [
                "a store holds Assessment, ResilienceProfile, ConnectionPlan and CheckIn "
                f"records, not {type(record).__name__}"
            ],
        )
    return kind


def check_kind(kind: str) -> type[Record]:
    """The record type of a kind name.

    Raises:
        InvalidRecordError: no record kind has that name.

    Example:
        >>> check_kind("profile").__name__
        'ResilienceProfile'
    """
    try:
        return KINDS[kind]
    except (KeyError, TypeError):
        raise InvalidRecordError(
            "the record kind", [f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}"]
        ) from None


def _record_time(record: Record) -> int:
    if isinstance(record, Assessment):
        return to_micros(record.taken_at)
    if isinstance(record, ResilienceProfile):
        return to_micros(record.assessed_at)
    if isinstance(record, ConnectionPlan):
        return to_micros(record.made_on)
    return to_micros(record.on)


#: The longest person id a store keeps, in characters: longer than any e-mail address, and
#: short enough for every backend's index (PostgreSQL refuses index entries over about
#: 2,700 bytes, which 512 characters of UTF-8 never reach), so every backend takes the
#: same ids.
MAX_PERSON_ID = 512


def person_id_problem(person_id: object, *, new: bool = True) -> str | None:
    r"""What is wrong with a person id, or ``None``; the value itself is never shown.

    A person id is text: a non-empty ``str`` without NUL characters (which PostgreSQL
    cannot hold) or lone surrogates (which JSON cannot carry). A new record's id is also
    at most :data:`MAX_PERSON_ID` characters long; ``new=False`` (queries and erasure,
    which must still reach records stored before there was a limit) skips that. The
    message names the type, never the value: error messages end up in logs.

    Example:
        >>> person_id_problem("p-1") is None
        True
        >>> person_id_problem("p\x00")
        'person_id holds a NUL character, which no backend can store'
        >>> person_id_problem(7)
        'person_id must be a non-empty string, not int'
    """
    if not isinstance(person_id, str):
        return f"person_id must be a non-empty string, not {type(person_id).__name__}"
    if not person_id:
        return "person_id must be a non-empty string, not an empty one"
    if "\x00" in person_id:
        return "person_id holds a NUL character, which no backend can store"
    try:
        person_id.encode("utf-8")
    except UnicodeEncodeError:
        return "person_id is not valid Unicode text (it holds a lone surrogate)"
    if new and len(person_id) > MAX_PERSON_ID:
        return (
            f"person_id is {len(person_id)} characters long; a store keeps ids of at most "
            f"{MAX_PERSON_ID}"
        )
    return None


def _check_person(person_id: object, what: str, *, new: bool = True) -> str:
    problem = person_id_problem(person_id, new=new)
    if problem is not None:
        raise InvalidRecordError(what, [problem])
    # A str subclass may redefine comparison and hashing: stores work with plain text.
    return str.__str__(cast(str, person_id))


# Built once: json.dumps with options builds a new encoder on every call, which costs
# about as much as encoding a small record. NaN and infinities are refused: JSON has no
# such numbers, and a line holding one could not be read back by other tools.
_canonical = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode
# A JSON string literal, exactly as json.dumps(..., ensure_ascii=False) writes one.
_quote = encode_basestring
_NOT_UTF8 = "holds text that is not valid Unicode (a lone surrogate), which JSON Lines cannot carry"


def _record_id(kind: str, person_id: str, body: str) -> str:
    # The hash input is json.dumps([kind, person_id], ensure_ascii=False), a newline and
    # the body; the head is written out with the encoder's own quoting because it is
    # computed for every record (ids must never change: stores dedupe on them).
    head = f"[{_quote(kind)}, {_quote(person_id)}]"
    return hashlib.sha256(f"{head}\n{body}".encode()).hexdigest()


def _row(
    record: Record, kind: str, person_id: str, stored_us: int, converter: cattrs.Converter
) -> Row:
    what = type(record).__name__
    try:
        data = converter.unstructure(record)
        body = _canonical(data)
        record_id = _record_id(kind, person_id, body)
        time_us = _record_time(record)
    except InvalidRecordError:
        raise
    except UnicodeEncodeError:  # a ValueError too: caught before the next clause
        raise InvalidRecordError(what, [_NOT_UTF8]) from None
    except ValueError as error:
        # The encoder's "Out of range float values are not JSON compliant", or an integer
        # too long to write out.
        problem = (
            "holds a number JSON cannot carry (NaN or an infinity)"
            if "JSON compliant" in str(error)
            else f"cannot be written as JSON: {error}"
        )
        raise InvalidRecordError(what, [problem]) from None
    except (TypeError, AttributeError, RecursionError) as error:
        # A record whose fields were changed behind its back (object.__setattr__), so
        # that they hold what no record can: an object JSON has no form for, itself…
        raise InvalidRecordError(
            what, [f"cannot be written as JSON: {type(error).__name__}: {error}"]
        ) from None
    return Row(record_id, person_id, kind, time_us, stored_us, SCHEMA_VERSION, body)


def encode(
    record: Record,
    *,
    person_id: str | None = None,
    stored_us: int | None = None,
    converter: cattrs.Converter | None = None,
) -> Row:
    """The row a backend stores for ``record``.

    Args:
        record: An assessment, profile, plan or check-in.
        person_id: Whose record it is. Required for a check-in (it has no person of its
            own); for the other kinds it may be left out and must match if given.
        stored_us: When it is stored, in microseconds since 1970 (defaults to now).
        converter: The converter to write with (defaults to the library's).

    Raises:
        MissingPersonError: a check-in without a ``person_id`` (a non-empty string).
        InvalidRecordError: not a record, or a person id that does not match the record's.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
        >>> encode(a).id == encode(a, person_id="p-1").id
        True
        >>> encode(a, person_id="p-2")
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read Assessment:
          - the person_id given differs from the person the record belongs to

    Error messages name the field, never a person id: they end up in logs.
    """
    kind = kind_of(record)
    what = type(record).__name__
    if isinstance(record, CheckIn):
        if not isinstance(person_id, str) or not person_id:
            # None and "" are safe to show; any other value is named by its type only.
            missing = person_id is None or isinstance(person_id, str)
            given = repr(person_id) if missing else type(person_id).__name__
            raise MissingPersonError(
                "check-ins have no person of their own: pass person_id=... "
                f"(the person whose plan it belongs to), not {given}"
            )
        owner = _check_person(person_id, what)
    else:
        owner = _check_person(record.person_id, what)
        if person_id is not None and (
            not isinstance(person_id, str) or str.__str__(person_id) != owner
        ):
            raise InvalidRecordError(
                what, ["the person_id given differs from the person the record belongs to"]
            )
    return _row(
        record,
        kind,
        owner,
        now_micros() if stored_us is None else stored_us,
        converter or default_converter(),
    )


class _Problems:
    """The bad entries of a batch: the first ``_MAX_LISTED`` described, the rest counted."""

    def __init__(self, noun: str) -> None:
        self._noun = noun
        self._listed: list[str] = []
        self._count = 0

    def add(self, problem: str) -> None:
        self._count += 1
        if len(self._listed) < _MAX_LISTED:
            self._listed.append(problem)

    def raise_if_any(self, what: str) -> None:
        if not self._count:
            return
        more = self._count - len(self._listed)
        extra = [f"… and {more} more bad {self._noun}"] if more else []
        raise InvalidRecordError(what, self._listed + extra)


class LineProblems:
    """The bad lines of an import: the first few described with their numbers, the rest counted.

    Example:
        >>> problems = LineProblems()
        >>> problems.add(3, "malformed JSON")
        >>> problems.raise_if_any()
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the import:
          - line 3: malformed JSON
    """

    def __init__(self) -> None:
        self._problems = _Problems("lines")

    def add(self, number: int, problem: str) -> None:
        """Note what is wrong with line ``number``."""
        self._problems.add(f"line {number}: {problem}")

    def raise_if_any(self) -> None:
        """Raise the :class:`~resilience.errors.InvalidRecordError` of every bad line, if any."""
        self._problems.raise_if_any("the import")


def encode_many(
    records: Iterable[Record | tuple[Record, str]],
    *,
    stored_us: int | None = None,
    converter: cattrs.Converter | None = None,
) -> list[Row]:
    """The rows for a batch of records (or ``(record, person_id)`` pairs), checking all first.

    Every entry is encoded as :func:`encode` does, with one stored time for the batch.

    Raises:
        InvalidRecordError: some entries cannot be stored; each bad entry is listed by its
            position (0 for the first), and no rows are returned.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> check_in = rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE)
        >>> [row.kind for row in encode_many([(check_in, "p-1")])]
        ['check-in']
        >>> encode_many([(check_in, "p-1"), check_in, "note"])
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the batch:
          - records[1]: check-ins have no person of their own: pass person_id=... (the person whose plan it belongs to), not None
          - records[2]: a store holds Assessment, ResilienceProfile, ConnectionPlan and CheckIn records, not str
    """  # noqa: E501
    conv = converter or default_converter()
    stored = now_micros() if stored_us is None else stored_us
    rows: list[Row] = []
    problems = _Problems("entries")
    for index, entry in enumerate(batch_entries(records)):
        if isinstance(entry, tuple) and len(entry) != 2:
            problems.add(
                f"records[{index}]: a pair is (record, person_id), not a tuple of {len(entry)}"
            )
            continue
        record, person_id = entry if isinstance(entry, tuple) else (entry, None)
        try:
            rows.append(encode(record, person_id=person_id, stored_us=stored, converter=conv))
        except InvalidRecordError as error:
            problems.add(f"records[{index}]: {'; '.join(error.problems)}")
        except MissingPersonError as error:
            problems.add(f"records[{index}]: {error}")
    problems.raise_if_any("the batch")
    return rows


def batch_entries(records: object) -> Iterator[object]:
    """The entries of a batch, or an error naming the type of what is not a batch.

    Text, a mapping, a single record and a number are not batches of records.

    Raises:
        InvalidRecordError: ``records`` is not a batch.

    Example:
        >>> list(batch_entries(("a", "b")))
        ['a', 'b']
        >>> batch_entries({"a": 1})
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the batch:
          - records must be a list (or another iterable) of records or (record, person_id) pairs, not dict
    """  # noqa: E501
    if isinstance(records, str | bytes | bytearray | Mapping):
        raise InvalidRecordError(
            "the batch",
            [
                "records must be a list (or another iterable) of records or (record, "
                f"person_id) pairs, not {type(records).__name__}"
            ],
        )
    try:
        return iter(records)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise InvalidRecordError(
            "the batch",
            [f"records must be an iterable of records, not {type(records).__name__}"],
        ) from None


def _structure(
    data: Mapping[str, Any],
    cls: type[Record],
    converter: cattrs.Converter | None,
    quick: cattrs.Converter | None,
) -> Record:
    """Read ``data`` as a ``cls`` with ``quick`` if given, else (or if it fails) ``converter``.

    The quick converter reads valid records faster; its errors are raw, so a record it
    cannot read is read again with the detailed one, whose error names the JSON path of
    every problem.
    """
    if quick is not None:
        try:
            return structure_record(data, cls, converter=quick)
        except Exception:  # raw errors: read again below for a clear one
            pass
    return structure_record(data, cls, converter=converter)


def decode(
    row: Row, *, converter: cattrs.Converter | None = None, quick: cattrs.Converter | None = None
) -> StoredRecord:
    """Read a stored row back into a :class:`StoredRecord` (upgrading older versions).

    ``quick`` (see :func:`quick_converter`) reads it faster; a row it cannot read is read
    again with ``converter`` for an error that names every problem.

    Raises:
        InvalidRecordError: the stored row is damaged or of an unknown kind.
        SchemaVersionError: the row was written by a newer version of the library.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
        >>> decode(encode(a)).record == a
        True
    """
    cls = check_kind(row.kind)
    try:
        data = json.loads(row.body)
    except ValueError as error:
        raise InvalidRecordError(f"stored record {row.id}", [f"damaged JSON: {error}"]) from None
    if not isinstance(data, dict):
        raise InvalidRecordError(f"stored record {row.id}", ["expected a JSON object @ $"])
    data["schema_version"] = row.schema_version
    record = _structure(data, cls, converter, quick)
    return StoredRecord(
        id=row.id,
        kind=row.kind,
        person_id=row.person_id,
        time=from_micros(row.time_us),
        stored_at=from_micros(row.stored_us),
        record=record,
    )


def export_line(row: Row) -> str:
    """One self-describing JSON Lines line (ending in a newline) for a stored row.

    ``record`` comes last and is the stored body verbatim, so exporting does not re-encode.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> row = encode(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
        ...              person_id="p-1", stored_us=0)
        >>> print(export_line(row))  # doctest: +ELLIPSIS
        {"kind": "check-in", "schema_version": 2, "person_id": "p-1", "id": "...", "stored_at": "1970-01-01T00:00:00+00:00", "record": {"felt":null,"note":null,"on":"2026-01-09","outcome":"done","step_id":"s1"}}
        <BLANKLINE>
    """  # noqa: E501
    head = json.dumps(
        {
            "kind": row.kind,
            "schema_version": row.schema_version,
            "person_id": row.person_id,
            "id": row.id,
            "stored_at": from_micros(row.stored_us).isoformat(),
        },
        ensure_ascii=False,
    )
    if "NaN" in row.body or "Infinity" in row.body:
        _refuse_non_finite(row)
    return f'{head[:-1]}, "record": {row.body}}}\n'


def _refuse_non_finite(row: Row) -> None:
    """Refuse a stored body holding NaN or an infinity (older releases could write one).

    The words may just be in a note; only numbers JSON cannot carry are refused.
    """
    try:
        json.loads(row.body, parse_constant=_refuse_constant)
    except ValueError:
        raise InvalidRecordError(
            f"stored record {row.id}",
            [
                "holds a number JSON cannot carry (NaN or an infinity), so it cannot be "
                "exported; forget the record or store a corrected one"
            ],
        ) from None


class _LineError(ValueError):
    """What the JSON reader hooks below refuse in a line, with its reason."""


def _refuse_constant(name: str) -> object:
    raise _LineError(f"{name} is not a JSON number; the line holds a value JSON cannot carry")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _LineError(f"the number {text[:40]} is too large for a float")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
        twice = sorted(key for key, count in counts.items() if count > 1)
        raise _LineError(f"duplicate key(s) {', '.join(map(repr, twice))} in one object")
    return result


# How an import line is read: strictly. Python's json module accepts NaN, Infinity and
# numbers too large for a float (read as inf), and keeps the last of two equal keys;
# none of that is JSON a record can come from, so each is a problem of the line.
_read_json = json.JSONDecoder(
    object_pairs_hook=_unique_keys, parse_constant=_refuse_constant, parse_float=_finite_float
).decode


def _json_of(text: str | bytes | bytearray) -> Any:
    """The JSON value of one line; raises ``_LineError`` naming what is wrong with it."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise _LineError(f"not UTF-8 text: {error}") from None
    try:
        return _read_json(text)
    except _LineError:
        raise
    except RecursionError:
        raise _LineError("malformed JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, and integers too long to read
        raise _LineError(f"malformed JSON: {error}") from None


def _check_problem(error: ResilienceError) -> str:
    problems = getattr(error, "problems", None)
    if isinstance(problems, tuple | list) and problems:
        return "; ".join(str(problem) for problem in problems)
    return " ".join(str(error).split())


def _line_problem(
    number: int,
    text: object,
    converter: cattrs.Converter,
    fast: cattrs.Converter,
    check: Check | None,
) -> Row | str | SchemaVersionError:
    """A row for one import line, or what is wrong with it."""
    if not isinstance(text, str | bytes | bytearray):
        return f"expected a line of text, got {type(text).__name__}"
    try:
        data = _json_of(text)
    except _LineError as error:
        return str(error)
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    if not _LINE_KEYS.issuperset(data):
        unknown = ", ".join(map(repr, sorted(set(data) - _LINE_KEYS)))
        return f"unknown field(s) {unknown}; expected {sorted(_LINE_KEYS)}"
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        return f"unknown kind {kind!r}; known kinds: {', '.join(KINDS)}"
    cls = KINDS[kind]
    version = data.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return f"schema_version must be a whole number of 1 or more, got {version!r}"
    if version > SCHEMA_VERSION:
        return SchemaVersionError(f"line {number} of the import ({kind})", version, SCHEMA_VERSION)
    person_id: str = data.get("person_id", "")  # checked on the next line
    person_problem = person_id_problem(person_id)
    if person_problem is not None:
        return person_problem
    body = data.get("record")
    if not isinstance(body, dict):
        return f"record must be a JSON object, got {type(body).__name__}"
    if body.get("schema_version", version) != version:
        return "the record's schema_version differs from the line's"
    line_id = data.get("id")
    if line_id is not None and not isinstance(line_id, str):
        return f"id must be text, got {type(line_id).__name__}"
    stored_at = data.get("stored_at")
    if stored_at is None:
        stored_us = now_micros()
    else:
        try:
            if not isinstance(stored_at, str):
                raise TypeError
            stored_us = to_micros(parse_datetime(stored_at))
        except (TypeError, ValueError):
            return f"stored_at must be a timezone-aware ISO 8601 date-time, got {stored_at!r}"
    as_written = {key: value for key, value in body.items() if key != "schema_version"}
    try:
        record = _structure({**as_written, "schema_version": version}, cls, converter, fast)
    except InvalidRecordError as error:
        return "; ".join(error.problems)
    if not isinstance(record, CheckIn) and record.person_id != person_id:
        return "person_id of the line differs from the person_id of its record"
    try:
        row = _row(record, kind, person_id, stored_us, converter)
    except InvalidRecordError as error:
        return "; ".join(error.problems)
    if (
        line_id is not None
        and line_id != row.id
        and line_id != _written_id(kind, person_id, as_written)
    ):
        return (
            "its id does not match its content (the line was changed after it was "
            "exported); remove the id to store the record as it is now"
        )
    if check is not None:
        try:
            replacement = check(record)
            if replacement is not None and replacement != record:
                row = _row(replacement, kind, person_id, stored_us, converter)
        except ResilienceError as error:
            return _check_problem(error)
    return row


def _written_id(kind: str, person_id: str, body: Mapping[str, Any]) -> str:
    """The id of a record body exactly as a line holds it (an older version, say)."""
    return _record_id(kind, person_id, _canonical(body))


def quick_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """A copy of ``converter`` without detailed validation, to read valid records faster.

    Example:
        >>> quick_converter(default_converter()).detailed_validation
        False
    """
    return converter.copy(detailed_validation=False)


def _lines(lines: Iterable[object] | str | bytes) -> Iterator[object]:
    # Only "\n" ends a line: str.splitlines() would also split inside a note holding
    # U+2028, U+2029 or U+0085, which JSON writes unescaped.
    if isinstance(lines, str):
        return iter(lines.split("\n"))
    if isinstance(lines, bytes | bytearray):
        return iter(bytes(lines).split(b"\n"))
    try:
        return iter(lines)
    except TypeError:
        raise InvalidRecordError(
            "the import",
            [f"expected lines of text, an open file or the whole text, not {type(lines).__name__}"],
        ) from None


def read_lines(
    lines: Iterable[object] | str | bytes,
    *,
    converter: cattrs.Converter | None = None,
    quick: cattrs.Converter | None = None,
    check: Check | None = None,
) -> Iterator[tuple[int, Row | str]]:
    """Read import lines one at a time: ``(number, row)`` for a good line, ``(number, problem)``.

    Lines are read as they are needed, so a file of any size is read in constant memory.
    Only a line feed ends a line (a carriage return before it is ignored). Blank lines are skipped
    (they still count for line numbers). A line is refused when it is not JSON as the
    standard defines it (``NaN``, ``Infinity``, a number too large for a float, a key
    given twice in one object), when its ``id`` does not match its content, and when
    ``check(record)`` raises a library error (its message becomes the problem).

    Raises:
        SchemaVersionError: a line was written by a newer version of the library.
        InvalidRecordError: ``lines`` is not something lines can be read from.

    Example:
        >>> [problem for _, problem in read_lines(['{"kind": "plan", "kind": "plan"}'])]
        ["duplicate key(s) 'kind' in one object"]
    """
    conv = converter or default_converter()
    fast = quick or quick_converter(conv)
    for number, text in enumerate(_lines(lines), start=1):
        if isinstance(text, str | bytes | bytearray) and not text.strip():
            continue
        outcome = _line_problem(number, text, conv, fast, check)
        if isinstance(outcome, SchemaVersionError):
            raise outcome
        yield number, outcome


def parse_lines(
    lines: Iterable[object] | str | bytes,
    *,
    converter: cattrs.Converter | None = None,
    quick: cattrs.Converter | None = None,
    check: Check | None = None,
) -> list[Row]:
    """Read JSON Lines written by ``export`` into rows, checking every line first.

    The lines are read as :func:`read_lines` does, into a list: stores stream them
    instead. The time each record was first stored (``stored_at``) is kept; a line
    without it counts as stored now.

    Raises:
        InvalidRecordError: some lines cannot be read; every bad line is listed with its
            number (1 for the first line), and nothing is returned.
        SchemaVersionError: a line was written by a newer version of the library.

    Example:
        >>> parse_lines(['{"kind": "note", "schema_version": 1}'])
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the import:
          - line 1: unknown kind 'note'; known kinds: assessment, profile, plan, check-in
    """
    rows: list[Row] = []
    problems = LineProblems()
    for number, outcome in read_lines(lines, converter=converter, quick=quick, check=check):
        if isinstance(outcome, Row):
            rows.append(outcome)
        else:
            problems.add(number, outcome)
    problems.raise_if_any()
    return rows


def precheck_lines(
    lines: Iterable[object] | str | bytes,
    spool: IO[bytes],
    *,
    converter: cattrs.Converter | None = None,
    check: Check | None = None,
) -> None:
    """Check every import line, as a store would, and copy the lines into ``spool``.

    This is how records are checked for a store whose ``import_records`` takes no
    ``check`` (see :func:`resilience.storage.import_checked`): the lines are read once, in
    constant memory, each checked as :func:`read_lines` does and written to ``spool`` (a
    binary file, one line each), so that the store is handed them only when every line
    passed. A ``check`` that returns a replacement record refuses its line here: the
    store would otherwise keep the record as the line holds it.

    Raises:
        InvalidRecordError: some lines cannot be read or were refused; every bad line is
            named by its number, and ``spool`` must not be used.
        SchemaVersionError: a line was written by a newer version of the library.

    Example:
        >>> import io
        >>> spool = io.BytesIO()
        >>> precheck_lines(['{"kind": "note"}'], spool)
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the import:
          - line 1: unknown kind 'note'; known kinds: assessment, profile, plan, check-in
    """

    def kept() -> Iterator[object]:
        for text in _lines(lines):
            if isinstance(text, str):
                # A lone surrogate is refused by the check below; it must not stop the copy.
                data = text.encode("utf-8", "surrogatepass")
            elif isinstance(text, bytes | bytearray):
                data = bytes(text)
            else:
                data = b""  # refused below: it never reaches the store
            spool.write(data if data.endswith(b"\n") else data + b"\n")
            yield text

    problems = LineProblems()
    outcomes = read_lines(
        kept(), converter=converter, check=None if check is None else _keeping(check)
    )
    for number, outcome in outcomes:
        if not isinstance(outcome, Row):
            problems.add(number, outcome)
    problems.raise_if_any()


def _keeping(check: Check) -> Check:
    """``check``, refusing the records it would replace (their line could not be kept)."""

    def keeping(record: Record) -> None:
        replacement = check(record)
        if replacement is not None and replacement != record:
            raise InvalidRecordError(
                "the import",
                ["the check replaced the record, which a store without check= cannot keep"],
            )

    return keeping
