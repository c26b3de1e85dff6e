"""A base class that turns five row operations into the whole :class:`Store` contract.

Backends subclass :class:`RowStore` and implement ``_insert``, ``_select``, ``_delete``
and ``_close`` over :class:`~resilience.storage.records.Row` tuples; encoding, ids, times,
filters, export and import checking are done here once, so every backend behaves alike.

Example:
    >>> from resilience.storage.memory import MemoryStore
    >>> issubclass(MemoryStore, RowStore)
    True
"""

from __future__ import annotations

import abc
import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TypeVar

import cattrs

from resilience.errors import InvalidRecordError, StorageError
from resilience.serialization import default_converter
from resilience.storage.records import (
    Record,
    Row,
    StoredRecord,
    check_kind,
    decode,
    encode,
    export_line,
    parse_lines,
    quick_converter,
    to_micros,
)

__all__ = ["RowStore"]

_S = TypeVar("_S", bound="RowStore")


def _bound(value: dt.datetime | dt.date | None, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidRecordError(
            "the history query", [f"{name} must be timezone-aware, got {value.isoformat()}"]
        )
    if not isinstance(value, dt.date):
        raise InvalidRecordError(
            "the history query", [f"{name} must be a datetime or a date, not {value!r}"]
        )
    return to_micros(value)


def select_query(
    table: str,
    columns: str,
    placeholder: str,
    person_id: str,
    kind: str | None,
    since_us: int | None,
    until_us: int | None,
    limit: int | None,
    oldest_first: bool,
) -> tuple[str, list[object]]:
    """The SQL (and its arguments) of ``RowStore._select`` for a DB-API backend.

    ``placeholder`` is the driver's parameter marker (``?`` for sqlite3, ``%s`` for
    psycopg); everything else is the same for every SQL backend.

    Example:
        >>> select_query("records", "id", "?", "p", None, None, None, 1, False)
        ('SELECT id FROM records WHERE person_id = ? ORDER BY time_us DESC, seq DESC LIMIT ?', ['p', 1])
    """  # noqa: E501
    sql = f"SELECT {columns} FROM {table} WHERE person_id = {placeholder}"
    args: list[object] = [person_id]
    for clause, value in (("kind =", kind), ("time_us >=", since_us), ("time_us <", until_us)):
        if value is not None:
            sql += f" AND {clause} {placeholder}"
            args.append(value)
    sql += " ORDER BY seq" if oldest_first else " ORDER BY time_us DESC, seq DESC"
    if limit is not None:
        sql += f" LIMIT {placeholder}"
        args.append(limit)
    return sql, args


class RowStore(abc.ABC):
    """The shared behaviour of every built-in store; subclasses store rows.

    Subclasses implement:

    * ``_insert(rows) -> int`` — store the rows in one transaction, ignoring rows whose id
      is already stored, and return how many were new;
    * ``_select(person_id, kind, since_us, until_us, limit, oldest_first)`` — rows of one
      person, newest first (``time_us`` then insertion order), or in insertion order when
      ``oldest_first``;
    * ``_delete(person_id) -> int`` — remove every row of one person in one transaction;
    * ``_close()`` — release the connection.

    Every public method raises :class:`~resilience.errors.StorageError` once the store is
    closed.

    Args:
        converter: The converter records are written and read with.

    Example:
        >>> from resilience.storage import open_store
        >>> store = open_store("memory://")
        >>> store.close()
        >>> store.history("p-1")
        Traceback (most recent call last):
        ...
        resilience.errors.StorageError: the store is closed
    """

    def __init__(self, *, converter: cattrs.Converter | None = None) -> None:
        self.converter: cattrs.Converter = converter or default_converter()
        self._quick: cattrs.Converter | None = None
        self._closed = False
        self._lock = threading.RLock()

    # -- what a backend implements ---------------------------------------------------

    @abc.abstractmethod
    def _insert(self, rows: Sequence[Row]) -> int:
        """Store rows in one transaction, skipping ids already stored; return how many new."""

    @abc.abstractmethod
    def _select(
        self,
        person_id: str,
        kind: str | None,
        since_us: int | None,
        until_us: int | None,
        limit: int | None,
        oldest_first: bool = False,
    ) -> Sequence[Row]:
        """Rows of one person, newest first (or in insertion order if ``oldest_first``)."""

    @abc.abstractmethod
    def _delete(self, person_id: str) -> int:
        """Remove every row of one person in one transaction; return how many."""

    @abc.abstractmethod
    def _close(self) -> None:
        """Release the connection (called once)."""

    # -- the contract ------------------------------------------------------------------

    def _quick_converter(self) -> cattrs.Converter:
        if self._quick is None:
            self._quick = quick_converter(self.converter)
        return self._quick

    def _decode(self, row: Row) -> StoredRecord:
        return decode(row, converter=self.converter, quick=self._quick_converter())

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError("the store is closed")

    def append(self, record: Record, *, person_id: str | None = None) -> str:
        """Store one record and return its id; storing the same record again stores nothing.

        Args:
            record: An :class:`~resilience.Assessment`, :class:`~resilience.ResilienceProfile`,
                :class:`~resilience.ConnectionPlan` or :class:`~resilience.CheckIn`.
            person_id: Whose record it is: required for a check-in (it has no person of
                its own), optional for the others (and then it must match).

        Raises:
            InvalidRecordError: not a record, or the person is missing or does not match.
            StorageError: the store failed; nothing was written.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with open_store("memory://") as store:
            ...     store.append(a) == store.append(a), len(store.history("p-1"))
            (True, 1)
        """
        self._check_open()
        row = encode(record, person_id=person_id, converter=self.converter)
        with self._lock:
            self._check_open()
            self._insert([row])
        return row.id

    def history(
        self,
        person_id: str,
        kind: str | None = None,
        since: dt.datetime | dt.date | None = None,
        until: dt.datetime | dt.date | None = None,
    ) -> list[StoredRecord]:
        """One person's records, newest first.

        Records are ordered by their own time (see :mod:`resilience.storage.records`);
        records with the same time are ordered by when they were stored, latest first.

        Args:
            person_id: Whose records.
            kind: Only this kind (``"assessment"``, ``"profile"``, ``"plan"``, ``"check-in"``).
            since: Only records at or after this time (a day counts from midnight UTC).
            until: Only records before this time.

        Raises:
            InvalidRecordError: an unknown kind, or a naive datetime bound.
            StorageError: the store failed.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> with open_store("memory://") as store:
            ...     for day in (3, 1, 2):
            ...         _ = store.append(rs.CheckIn("s1", dt.date(2026, 1, day),
            ...                                     rs.Outcome.DONE), person_id="p-1")
            ...     [r.record.on.day for r in store.history("p-1", since=dt.date(2026, 1, 2))]
            [3, 2]
        """
        if kind is not None:
            check_kind(kind)
        since_us, until_us = _bound(since, "since"), _bound(until, "until")
        self._check_open()
        with self._lock:
            self._check_open()
            rows = self._select(person_id, kind, since_us, until_us, None)
        return [self._decode(row) for row in rows]

    def latest(self, person_id: str, kind: str) -> StoredRecord | None:
        """The newest record of one kind for one person, or ``None``.

        Example:
            >>> from resilience.storage import open_store
            >>> with open_store("memory://") as store:
            ...     print(store.latest("nobody", "profile"))
            None
        """
        check_kind(kind)
        self._check_open()
        with self._lock:
            self._check_open()
            rows = self._select(person_id, kind, None, None, 1)
        return self._decode(rows[0]) if rows else None

    def export(self, person_id: str) -> list[str]:
        """Every record of one person as JSON Lines, in the order they were stored.

        Each line ends in a newline and describes itself (kind, ``schema_version``, person,
        id, when it was stored, the record), so ``"".join(lines)`` is a ``.jsonl`` file
        that :meth:`import_records` reads back.

        Example:
            >>> import datetime as dt, json, resilience as rs
            >>> from resilience.storage import open_store
            >>> with open_store("memory://") as store:
            ...     _ = store.append(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
            ...                      person_id="p-1")
            ...     line = store.export("p-1")[0]
            >>> sorted(json.loads(line))
            ['id', 'kind', 'person_id', 'record', 'schema_version', 'stored_at']
        """
        self._check_open()
        with self._lock:
            self._check_open()
            rows = self._select(person_id, None, None, None, None, oldest_first=True)
        return [export_line(row) for row in rows]

    def import_records(self, lines: Iterable[str | bytes] | str | bytes) -> int:
        """Store the records of JSON Lines (as :meth:`export` writes them): all or nothing.

        Every line is checked before anything is written; the records are then stored in
        one transaction. A record already stored (the same id) is skipped, so importing
        the same lines twice stores them once.

        Args:
            lines: The lines (an open file works), or the whole text.

        Returns:
            How many records were new.

        Raises:
            InvalidRecordError: some lines cannot be read; every bad line is named with its
                number, and nothing is stored.
            SchemaVersionError: a line was written by a newer version of the library.
            StorageError: the store failed; nothing was stored.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with open_store("memory://") as first, open_store("memory://") as second:
            ...     _ = first.append(a)
            ...     second.import_records(first.export("p-1")), second.import_records(
            ...         first.export("p-1"))
            (1, 0)
        """
        self._check_open()
        rows = parse_lines(lines, converter=self.converter, quick=self._quick_converter())
        if not rows:
            return 0
        with self._lock:
            self._check_open()
            return self._insert(rows)

    def forget(self, person_id: str) -> int:
        """Remove every record of one person and return how many were removed.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with open_store("memory://") as store:
            ...     _ = store.append(a)
            ...     store.forget("p-1"), store.history("p-1")
            (1, [])
        """
        self._check_open()
        with self._lock:
            self._check_open()
            return self._delete(person_id)

    def close(self) -> None:
        """Close the store; closing twice is harmless.

        Example:
            >>> from resilience.storage import open_store
            >>> store = open_store("memory://")
            >>> store.close(); store.close()
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
