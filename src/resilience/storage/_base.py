"""A base class that turns a few row operations into the whole :class:`Store` contract.

Backends subclass :class:`RowStore` and implement ``_insert``, ``_select``,
``_people_before``, ``_erase``, ``_receipts``, ``_metadata``, ``_claim_metadata`` and
``_close`` over :class:`~resilience.storage._records.Row` and
:class:`~resilience.storage._erasure.ErasureRow` tuples (and may override
``_receipts_for``); encoding, ids, times, filters, export and import checking, erasure
receipts and the erasure key's check are done here once, so every backend behaves alike.

Example:
    >>> from resilience.storage._memory import MemoryStore
    >>> issubclass(MemoryStore, RowStore)
    True
"""

from __future__ import annotations

import abc
import datetime as dt
import hmac
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TypeAlias, TypeVar, cast

import cattrs

from resilience.errors import InvalidRecordError, StorageError
from resilience.serialization import default_converter
from resilience.storage._erasure import (
    Erasure,
    ErasureRow,
    Sealer,
    erasure_from_row,
    key_check,
    lookup_tag,
    normalise_key,
)
from resilience.storage._records import (
    Check,
    LineProblems,
    Record,
    Row,
    StoredRecord,
    _check_person,
    check_kind,
    decode,
    encode,
    encode_many,
    export_line,
    person_id_problem,
    quick_converter,
    read_lines,
    to_micros,
)

__all__ = ["KEY_CHECK", "RowStore", "Seal", "erase_where", "select_query"]

_S = TypeVar("_S", bound="RowStore")

#: What ``RowStore._erase`` calls for each person it erases: ``seal(person_id, counts)``
#: returns the receipt row to insert in the same transaction.
Seal: TypeAlias = Callable[[str, Mapping[str, int]], ErasureRow]

#: The name under which a store keeps the :func:`~resilience.storage._erasure.key_check` of
#: its erasure key (see ``RowStore._metadata``).
KEY_CHECK = "erasure_key_check"

_WRONG_KEY = (
    "the erasure key does not match the key this store's erasure receipts were written "
    "with; open the store with that key (open_store(..., erasure_key=...) or "
    "$RESILIENCE_ERASURE_KEY)"
)


class _BadLine(Exception):
    """Raised inside an import's transaction at its first bad line, to roll it back."""


def _bound(
    value: dt.datetime | dt.date | None, name: str, what: str = "the history query"
) -> int | None:
    if value is None:
        return None
    if not isinstance(value, dt.date):
        raise InvalidRecordError(
            what, [f"{name} must be a datetime or a date, not {type(value).__name__}"]
        )
    try:
        if isinstance(value, dt.datetime) and value.utcoffset() is None:
            raise InvalidRecordError(
                what, [f"{name} must be timezone-aware, got {value.isoformat()}"]
            )
        return to_micros(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError) as error:
        if isinstance(error, InvalidRecordError):
            raise
        # A tzinfo of the caller's that answers with something no offset can be.
        raise InvalidRecordError(
            what, [f"{name} has a time zone that gives no valid UTC offset: {error}"]
        ) from None


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


def erase_where(
    placeholder: str, person_id: str | None, before_us: int | None
) -> tuple[str, list[object]]:
    """The ``WHERE`` condition (and its arguments) of the rows an erasure removes.

    ``person_id=None`` means every person; ``before_us=None`` means every time.

    Example:
        >>> erase_where("?", "p", None)
        ('person_id = ?', ['p'])
        >>> erase_where("%s", None, 5)
        ('time_us < %s', [5])
    """
    clauses: list[str] = []
    args: list[object] = []
    if person_id is not None:
        clauses.append(f"person_id = {placeholder}")
        args.append(person_id)
    if before_us is not None:
        clauses.append(f"time_us < {placeholder}")
        args.append(before_us)
    return (" AND ".join(clauses) or "TRUE"), args


def _erased_count(row: ErasureRow) -> int:
    return sum(int(n) for n in json.loads(row.counts).values())


def _check_person_id(person_id: object) -> str:
    # The value itself is never echoed: error messages end up in logs.
    return _check_person(person_id, "the erasure", new=False)


def _query_person(person_id: object) -> str:
    """The person id of a query, refused with a library error when no person can have it."""
    if isinstance(person_id, str) and not person_id:
        return ""  # nobody has it: a query for it finds nothing
    problem = person_id_problem(person_id, new=False)
    if problem is not None:
        raise InvalidRecordError("the history query", [problem])
    # A str subclass may redefine comparison and hashing: stores work with plain text.
    return str.__str__(cast(str, person_id))


class RowStore(abc.ABC):
    """The shared behaviour of every built-in store; subclasses store rows.

    Subclasses implement:

    * ``_insert(rows) -> int`` — store the rows in one transaction, ignoring rows whose id
      is already stored, and return how many were new. ``rows`` is any iterable, an
      import's a generator reading a file: consume it as it comes (constant memory), and
      if it raises, roll back so that nothing of it stays;
    * ``_select(person_id, kind, since_us, until_us, limit, oldest_first)`` — rows of one
      person, newest first (``time_us`` then insertion order), or in insertion order when
      ``oldest_first``;
    * ``_people_before(before_us) -> list[str]`` — the people who have rows with
      ``time_us`` below ``before_us``: a cheap read, without the write lock, so that a
      retention run can compute their receipts' slow hashes before it takes the lock;
    * ``_erase(person_id, before_us, seal) -> list[ErasureRow]`` — in **one** transaction,
      remove the rows of ``person_id`` (of every person when ``None``) whose ``time_us`` is
      below ``before_us`` (every row when ``None``), and insert ``seal(person, counts)``
      for each person whose rows were removed, ``counts`` being how many rows of each kind;
      a named person always gets a receipt, even when nothing was removed. Return the
      receipts inserted (store every field of the row, ``lookup`` included);
    * ``_receipts() -> list[ErasureRow]`` — every receipt, in the order they were written;
    * ``_receipts_for(lookup)`` — the receipts whose ``lookup`` is ``lookup`` or ``None``,
      in the order they were written (the default filters ``_receipts()``; override it
      with one indexed query);
    * ``_metadata(name) -> str | None`` — a value the store keeps under ``name``;
    * ``_claim_metadata(name, value) -> str`` — store ``value`` under ``name`` unless a
      value is there already (atomically, also between processes), and return the value
      stored;
    * ``_close()`` — release the connection.

    A backend calls ``_verify_erasure_key()`` once its connection is ready, so that a
    store opened with the wrong erasure key is refused at once.

    Every public method raises :class:`~resilience.errors.StorageError` once the store is
    closed.

    Args:
        converter: The converter records are written and read with.
        erasure_key: A secret the host keeps outside the store; when given, erasure
            receipts can only be matched to a person with it (see
            :mod:`resilience.storage._erasure`).

    Example:
        >>> from resilience.storage import open_store
        >>> store = open_store("memory://")
        >>> store.close()
        >>> store.history("p-1")
        Traceback (most recent call last):
        ...
        resilience.errors.StorageError: the store is closed
    """

    def __init__(
        self,
        *,
        converter: cattrs.Converter | None = None,
        erasure_key: bytes | str | None = None,
    ) -> None:
        self.converter: cattrs.Converter = converter or default_converter()
        self._erasure_key = normalise_key(erasure_key)
        self._quick: cattrs.Converter | None = None
        self._closed = False
        self._lock = threading.RLock()
        self._key_confirmed = False

    # -- what a backend implements ---------------------------------------------------

    @abc.abstractmethod
    def _insert(self, rows: Iterable[Row]) -> int:
        """Store rows in one transaction, skipping ids already stored; return how many new.

        ``rows`` may be a generator that raises: then nothing of it may stay stored.
        """

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
    def _people_before(self, before_us: int) -> list[str]:
        """The people with rows whose ``time_us`` is below ``before_us`` (a cheap read)."""

    @abc.abstractmethod
    def _erase(self, person_id: str | None, before_us: int | None, seal: Seal) -> list[ErasureRow]:
        """Remove rows and insert their receipts in one transaction; return the receipts."""

    @abc.abstractmethod
    def _receipts(self) -> Sequence[ErasureRow]:
        """Every erasure receipt, in the order they were written."""

    def _receipts_for(self, lookup: str) -> Sequence[ErasureRow]:
        """The receipts whose lookup tag is ``lookup`` or ``None``, in the order written."""
        return [row for row in self._receipts() if row.lookup in (lookup, None)]

    @abc.abstractmethod
    def _metadata(self, name: str) -> str | None:
        """The value the store keeps under ``name``, or ``None``."""

    @abc.abstractmethod
    def _claim_metadata(self, name: str, value: str) -> str:
        """Keep ``value`` under ``name`` unless a value is there; return the value kept."""

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

    def _verify_erasure_key(self, *, claim: bool = False) -> None:
        """Refuse an erasure key other than the one the store's keyed receipts were made with.

        The first erasure made with a key (``claim=True``) keeps the key's check value in
        the store; afterwards a different key is a :class:`StorageError`, rather than a
        store that silently finds nobody's receipts. Call it with the store's lock held.
        """
        key = self._erasure_key
        if key is None or self._key_confirmed:
            return
        mine = key_check(key)
        kept = self._claim_metadata(KEY_CHECK, mine) if claim else self._metadata(KEY_CHECK)
        if kept is None:
            return  # no keyed erasure yet: the first one decides
        if not hmac.compare_digest(kept, mine):
            raise StorageError(_WRONG_KEY)
        self._key_confirmed = True

    def append(self, record: Record, *, person_id: str | None = None) -> str:
        """Store one record and return its id; storing the same record again stores nothing.

        Args:
            record: An :class:`~resilience.Assessment`, :class:`~resilience.ResilienceProfile`,
                :class:`~resilience.ConnectionPlan` or :class:`~resilience.CheckIn`.
            person_id: Whose record it is: required for a check-in (it has no person of
                its own), optional for the others (and then it must match).

        Raises:
            MissingPersonError: a check-in without ``person_id``.
            InvalidRecordError: not a record, or the person does not match.
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

    def append_many(self, records: Iterable[Record | tuple[Record, str]]) -> list[str]:
        """Store several records in one transaction, all or nothing; return their ids.

        Use it to keep records that belong together together (an assessment with the
        profile and plan made from it), and for bulk loads: one transaction for the whole
        batch is far faster than one per record. Records already stored, or repeated in
        the batch, are stored once.

        Args:
            records: Records, or ``(record, person_id)`` pairs; a pair is how a check-in
                says whose it is, and for the other kinds the person must match.

        Returns:
            The id of each record, in the order given.

        Raises:
            InvalidRecordError: some entries cannot be stored; every bad entry is listed
                by its position (0 for the first), and nothing is stored.
            StorageError: the store failed; nothing was stored.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> day = dt.date(2026, 1, 9)
            >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with open_store("memory://") as store:
            ...     ids = store.append_many([a, (rs.CheckIn("s1", day, rs.Outcome.DONE), "p-1")])
            ...     len(ids), len(store.history("p-1"))
            (2, 2)
        """
        self._check_open()
        rows = encode_many(records, converter=self.converter)
        if rows:
            with self._lock:
                self._check_open()
                self._insert(rows)
        return [row.id for row in rows]

    def history(
        self,
        person_id: str,
        kind: str | None = None,
        since: dt.datetime | dt.date | None = None,
        until: dt.datetime | dt.date | None = None,
    ) -> list[StoredRecord]:
        """One person's records, newest first.

        Records are ordered by their own time (see :mod:`resilience.storage._records`);
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
        person_id = _query_person(person_id)
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
        person_id = _query_person(person_id)
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
        person_id = _query_person(person_id)
        self._check_open()
        with self._lock:
            self._check_open()
            rows = self._select(person_id, None, None, None, None, oldest_first=True)
        return [export_line(row) for row in rows]

    def import_records(
        self, lines: Iterable[str | bytes] | str | bytes, *, check: Check | None = None
    ) -> int:
        """Store the records of JSON Lines (as :meth:`export` writes them): all or nothing.

        The lines are read one at a time and streamed into **one** transaction, so a file
        of any size is imported in constant memory. The first bad line rolls the
        transaction back; the rest of the lines are then read only to name every bad one.
        A record already stored (the same id) is skipped, so importing the same lines
        twice stores them once. Other writers wait while the import runs.

        Args:
            lines: The lines (an open file works; open it in binary mode, so that only a
                line feed ends a line), or the whole text.
            check: Called with every record read; raising a
                :class:`~resilience.errors.ResilienceError` refuses the line, with the
                error's message as its problem. An engine passes one that checks answers
                against its instruments.

        Returns:
            How many records were new.

        Raises:
            InvalidRecordError: some lines cannot be read (not JSON as the standard defines
                it — no ``NaN``, no key twice —, not a record, an ``id`` that does not
                match the content, refused by ``check``); every bad line is named with its
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
        entries = read_lines(
            lines, converter=self.converter, quick=self._quick_converter(), check=check
        )
        problems = LineProblems()

        def good_rows() -> Iterator[Row]:
            for number, outcome in entries:
                if not isinstance(outcome, Row):
                    problems.add(number, outcome)
                    raise _BadLine
                yield outcome

        with self._lock:
            self._check_open()
            try:
                return self._insert(good_rows())
            except _BadLine:
                pass  # the transaction was rolled back
        for number, outcome in entries:  # name every bad line, storing nothing
            if not isinstance(outcome, Row):
                problems.add(number, outcome)
        problems.raise_if_any()
        raise AssertionError("unreachable: a bad line was seen")  # pragma: no cover

    def forget(self, person_id: str) -> int:
        """Remove every record of one person, write an erasure receipt, return how many.

        The receipt (see :meth:`erasures`) is written in the same transaction as the
        deletion: both happen, or neither. It holds when, how many records of each kind,
        and a salted hash of the person id — never the id or anything of the records. A
        person with no records also gets a receipt (with zero counts), as proof that the
        request was carried out.

        What is left of the records' bytes depends on the backend (see the storage guide):

        * **SQLite**: the deletion is followed by ``VACUUM`` and a ``TRUNCATE`` checkpoint.
          Once every connection to the file has closed (read-only stores included), no
          byte of the person's id or records is in the ``.db``, ``-wal`` or ``-shm`` files.
          Backups and copies of the disk are the host's to handle.
        * **PostgreSQL**: the deletion is followed by ``VACUUM FULL`` of the records table
          (``?vacuum=plain`` runs a plain ``VACUUM``, which leaves the bytes in unused space
          of the table's pages until they are reused). Either way the server's
          write-ahead log keeps copies until its segments are recycled and overwritten,
          and a WAL archive, replicas' logs and backups keep them for as long as they are
          kept.
        * **Memory**: the records are dropped at once.

        Raises:
            InvalidRecordError: ``person_id`` is not a non-empty string.
            StorageError: the store failed, or its erasure receipts were written with
                another erasure key; nothing was erased and no receipt written. (If only
                the ``VACUUM`` after the committed deletion failed, the records are gone
                and the receipt is written; the next erasure that removes records clears
                the rest.)

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {})
            >>> with open_store("memory://") as store:
            ...     _ = store.append(a)
            ...     store.forget("p-1"), store.history("p-1"), store.erasures()[0].total
            (1, [], 1)
        """
        person_id = _check_person_id(person_id)
        self._check_open()
        sealer = Sealer(key=self._erasure_key)
        sealer.prepare(person_id)  # the slow hash runs before the write lock is taken
        with self._lock:
            self._check_open()
            self._verify_erasure_key(claim=True)
            receipts = self._erase(person_id, None, sealer)
        return sum(_erased_count(row) for row in receipts)

    def forget_before(self, cutoff: dt.datetime | dt.date) -> int:
        """Remove every record whose own time is before ``cutoff``: a retention policy.

        A record's time is the one that orders a history (when an assessment was taken, a
        profile assessed, a plan made, a check-in done). Every person who lost records gets
        one erasure receipt, with ``before`` set to the cutoff, in the same transaction;
        people who lost nothing get none.

        The receipts' slow hashes are computed before the write transaction begins (for
        the people found by a quick read), so other writers wait only for the deletion
        itself; only people whose old records appear in between are hashed inside it.

        Args:
            cutoff: A timezone-aware datetime, or a day (midnight UTC).

        Returns:
            How many records were removed, of everyone.

        Raises:
            InvalidRecordError: ``cutoff`` is naive or not a date.
            StorageError: the store failed, or its erasure receipts were written with
                another erasure key; nothing was erased.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> from resilience.storage import open_store
            >>> with open_store("memory://") as store:
            ...     for day in (1, 2, 3):
            ...         _ = store.append(rs.CheckIn("s1", dt.date(2026, 1, day),
            ...                                     rs.Outcome.DONE), person_id="p-1")
            ...     store.forget_before(dt.date(2026, 1, 3)), len(store.history("p-1"))
            (2, 1)
        """
        what = "the forget_before cutoff"
        before_us = _bound(cutoff, "cutoff", what)
        if before_us is None:
            raise InvalidRecordError(what, ["cutoff must be given"])
        self._check_open()
        sealer = Sealer(key=self._erasure_key, before_us=before_us)
        with self._lock:
            self._check_open()
            self._verify_erasure_key(claim=True)
            people = self._people_before(before_us)
        # PBKDF2 costs milliseconds per person: run it before the write transaction, so a
        # retention run over thousands of people does not hold other writers past their
        # busy timeout. People whose old records appear meanwhile are hashed when sealed.
        for person in people:
            sealer.prepare(person)
        with self._lock:
            self._check_open()
            receipts = self._erase(None, before_us, sealer)
        return sum(_erased_count(row) for row in receipts)

    def erasures(self, person_id: str | None = None) -> list[Erasure]:
        """The erasure receipts, oldest first; with ``person_id``, only that person's.

        Receipts do not hold person ids. With an erasure key, the store finds a person's
        receipts by their lookup tag (an HMAC of the id under the key) in one query.
        Without one — and for receipts written before the store had a key — the salted
        hash of ``person_id`` is computed again for every receipt, which takes a few
        milliseconds per receipt: a year of daily retention runs makes that minutes.

        Raises:
            StorageError: the store failed; or some receipts were written with an erasure
                key and the store was opened without it, or with a different key.

        Example:
            >>> from resilience.storage import open_store
            >>> with open_store("memory://") as store:
            ...     _ = store.forget("p-1"), store.forget("p-2"), store.forget("p-1")
            ...     len(store.erasures()), len(store.erasures("p-1"))
            (3, 2)
        """
        if person_id is not None:
            person_id = _check_person_id(person_id)
        self._check_open()
        key = self._erasure_key
        tag = None if person_id is None or key is None else lookup_tag(person_id, key)
        with self._lock:
            self._check_open()
            if tag is None:
                rows = list(self._receipts())
            else:
                self._verify_erasure_key()
                rows = list(self._receipts_for(tag))
        if person_id is None:
            return [erasure_from_row(row) for row in rows]
        found: list[Erasure] = []
        for row in rows:
            receipt = erasure_from_row(row)
            if tag is not None and row.lookup is not None:
                if hmac.compare_digest(row.lookup, tag):
                    found.append(receipt)
            elif receipt.matches(person_id, key=key):  # no tag: the slow, salted check
                found.append(receipt)
        return found

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
