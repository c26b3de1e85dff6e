"""One SQL row store under the SQLite and PostgreSQL backends.

:class:`SQLRowStore` holds everything the two SQL backends share: the column lists, the
statements, the migrations, the schema version and how it is checked and upgraded, and
the row operations :class:`~resilience.storage._base.RowStore` asks for. A backend names
its :class:`Dialect` (placeholder, table names, column types) and supplies only what the
two databases do differently:

* ``_transaction()`` — a cursor inside one write transaction (``BEGIN IMMEDIATE`` on
  SQLite, a psycopg transaction on PostgreSQL), rolled back on any error;
* ``_reading()`` — a cursor for reads outside a write transaction;
* ``_has_table(cursor, name)`` — whether a table exists;
* ``_delete_counting(cursor, where, args)`` — delete rows and say how many of each
  person and kind went, exactly;
* ``_after_erase()`` — what clears the bytes of erased rows (SQLite: ``VACUUM`` and a log
  truncation; PostgreSQL: ``VACUUM FULL``).

Example:
    >>> from resilience.storage._sqlite import SQLiteStore
    >>> issubclass(SQLiteStore, SQLRowStore), SQLiteStore.dialect.records
    (True, 'records')
    >>> migration_statements(SQLiteStore.dialect, 1)[1]
    'CREATE INDEX IF NOT EXISTS records_person_time ON records (person_id, time_us, seq)'
"""

from __future__ import annotations

import abc
import contextlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import attrs

from resilience.errors import StorageError
from resilience.storage._base import RowStore, Seal, erase_where, select_query
from resilience.storage._erasure import ErasureRow
from resilience.storage._records import Row

__all__ = ["SCHEMA", "Cursor", "Dialect", "SQLRowStore", "migration_statements"]

#: The newest storage schema version this release writes, on every SQL backend.
SCHEMA = 3

#: The columns of a record row, in the order of :class:`~resilience.storage._records.Row`.
RECORD_COLUMNS = ", ".join(Row._fields)
#: The columns of an erasure receipt, in the order of
#: :class:`~resilience.storage._erasure.ErasureRow`.
RECEIPT_COLUMNS = ", ".join(ErasureRow._fields)

# Forward migrations: version -> statements that bring version - 1 up to it. A release
# that changes the layout appends a step here; existing databases are upgraded when
# opened. ``{records}``, ``{erasures}``, ``{meta}``, ``{serial}``, ``{bigint}`` and
# ``{add_column}`` are filled in from the backend's dialect.
_MIGRATIONS: Mapping[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE IF NOT EXISTS {records} (
            seq {serial} PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            person_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            time_us {bigint} NOT NULL,
            stored_us {bigint} NOT NULL,
            schema_version INTEGER NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS {records}_person_time ON {records} (person_id, time_us, seq)",
    ),
    # 2: erasure receipts, written with every forget (no person id, nothing of the records).
    2: (
        """CREATE TABLE IF NOT EXISTS {erasures} (
            seq {serial} PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            erased_us {bigint} NOT NULL,
            before_us {bigint},
            counts TEXT NOT NULL,
            person_hash TEXT NOT NULL,
            salt TEXT NOT NULL,
            scheme TEXT NOT NULL
        )""",
    ),
    # 3: lookup tags for keyed receipts (found in one query), and the store's metadata,
    # which keeps the erasure key's check value.
    3: (
        "ALTER TABLE {erasures} {add_column} lookup TEXT",
        "CREATE INDEX IF NOT EXISTS {erasures}_lookup ON {erasures} (lookup)",
        """CREATE TABLE IF NOT EXISTS {meta} (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
    ),
}
# Rows are sent to the database in chunks of this many, so an import of any size is
# streamed in constant memory while staying one transaction.
_CHUNK = 500


class Cursor(Protocol):
    """The part of a DB-API cursor the shared store uses (sqlite3's and psycopg's agree).

    Example:
        >>> import sqlite3
        >>> cursor: Cursor = sqlite3.connect(":memory:").cursor()
        >>> cursor.execute("SELECT 1").fetchone()
        (1,)
    """

    @property
    def rowcount(self) -> int:
        """Rows changed by the last statement (summed over an ``executemany``)."""

    def execute(self, sql: Any, params: Any = ..., /) -> Any:
        """Run one statement."""

    def executemany(self, sql: Any, params: Iterable[Any], /) -> Any:
        """Run one statement for each set of parameters."""

    def fetchone(self) -> Any:
        """The next row, or ``None``."""

    def fetchall(self) -> list[Any]:
        """Every remaining row."""


@attrs.frozen
class Dialect:
    """What differs in the SQL two databases speak: markers, names and types.

    Attributes:
        placeholder: The driver's parameter marker (``?`` or ``%s``).
        records: The table of record rows.
        erasures: The table of erasure receipts.
        meta: The table of the store's metadata.
        schema: The table holding the schema version.
        serial: The column type of an auto-numbered primary key.
        bigint: The column type of a 64-bit integer.
        add_column: How ``ALTER TABLE`` adds a column (with ``IF NOT EXISTS`` where the
            database knows it).

    Example:
        >>> Dialect("?", "records", "erasures").insert_record().split(" VALUES")[0]
        'INSERT INTO records (id, person_id, kind, time_us, stored_us, schema_version, body)'
    """

    placeholder: str
    records: str
    erasures: str
    meta: str = "resilience_meta"
    schema: str = "resilience_schema"
    serial: str = "INTEGER"
    bigint: str = "INTEGER"
    add_column: str = "ADD COLUMN"

    def markers(self, count: int) -> str:
        """``count`` parameter markers separated by commas.

        Example:
            >>> Dialect("%s", "r", "e").markers(3)
            '%s, %s, %s'
        """
        return ", ".join([self.placeholder] * count)

    def insert_record(self) -> str:
        """The statement that stores one record row unless its id is stored already.

        Example:
            >>> Dialect("?", "records", "erasures").insert_record().endswith("DO NOTHING")
            True
        """
        return (
            f"INSERT INTO {self.records} ({RECORD_COLUMNS}) "
            f"VALUES ({self.markers(len(Row._fields))}) ON CONFLICT (id) DO NOTHING"
        )

    def insert_receipt(self) -> str:
        """The statement that stores one erasure receipt.

        Example:
            >>> Dialect("?", "records", "erasures").insert_receipt().startswith(
            ...     "INSERT INTO erasures (id, erased_us")
            True
        """
        return (
            f"INSERT INTO {self.erasures} ({RECEIPT_COLUMNS}) "
            f"VALUES ({self.markers(len(ErasureRow._fields))})"
        )


def migration_statements(dialect: Dialect, version: int) -> tuple[str, ...]:
    """The statements that bring a database from ``version - 1`` to ``version``.

    Example:
        >>> postgres = Dialect("%s", "resilience_records", "resilience_erasures",
        ...                    serial="BIGSERIAL", bigint="BIGINT")
        >>> "seq BIGSERIAL PRIMARY KEY" in migration_statements(postgres, 2)[0]
        True
    """
    names = attrs.asdict(dialect)
    return tuple(statement.format(**names) for statement in _MIGRATIONS[version])


def _chunks(rows: Iterable[Row]) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, _CHUNK)):
        yield chunk


class SQLRowStore(RowStore):
    """The shared SQL behind the SQLite and PostgreSQL stores (see the module documentation).

    A subclass sets :attr:`dialect` and ``_label``, opens its connection, then calls
    :meth:`_migrate` and ``_verify_erasure_key()``.

    Example:
        >>> from resilience.storage._postgres import PostgresStore
        >>> PostgresStore.dialect.placeholder
        '%s'
    """

    #: The backend's dialect.
    dialect: Dialect
    #: How messages name the store ("SQLite store /path/to.db", "the PostgreSQL store").
    _label: str = "the store"
    #: Whether the store refuses to write (and so to upgrade the schema).
    read_only: bool = False

    # -- what a backend implements -----------------------------------------------------

    @abc.abstractmethod
    def _transaction(self) -> contextlib.AbstractContextManager[Cursor]:
        """A cursor inside one write transaction, rolled back on any error."""

    @abc.abstractmethod
    def _reading(self) -> contextlib.AbstractContextManager[Cursor]:
        """A cursor for reads, with the driver's errors turned into StorageError."""

    @abc.abstractmethod
    def _has_table(self, cursor: Cursor, name: str) -> bool:
        """Whether the table ``name`` exists."""

    @abc.abstractmethod
    def _delete_counting(
        self, cursor: Cursor, where: str, args: Sequence[object]
    ) -> list[tuple[str, str, int]]:
        """Delete the rows ``where`` selects; return ``(person, kind, count)`` of what went."""

    def _after_erase(self) -> None:
        """Clear what the deleted rows left behind (called after the erasure committed)."""

    # -- the schema --------------------------------------------------------------------

    def _newer(self, version: int) -> StorageError:
        return StorageError(
            f"{self._label} has storage schema {version}, newer than the newest this "
            f"library reads ({SCHEMA}); upgrade resilience to open it"
        )

    def _read_version(self, cursor: Cursor) -> int | None:
        """The storage schema version; ``None`` when there is no version table yet."""
        if not self._has_table(cursor, self.dialect.schema):
            return None
        cursor.execute(f"SELECT version FROM {self.dialect.schema}")
        row = cursor.fetchone()
        return 0 if row is None else int(row[0])

    def _migrate(self) -> None:
        """Apply the missing forward migrations in one transaction; refuse newer schemas."""
        with self._reading() as cursor:
            version = self._read_version(cursor)
        if version == SCHEMA:
            return
        if version is not None and version > SCHEMA:
            raise self._newer(version)
        if self.read_only:
            raise StorageError(
                f"{self._label} needs its storage schema upgraded from {version} to "
                f"{SCHEMA}; open it once without mode=ro"
            )
        schema = self.dialect.schema
        # The transaction keeps other processes out (SQLite's write lock; PostgreSQL's
        # store also holds an advisory lock around the whole migration).
        with self._transaction() as cursor:
            version = self._read_version(cursor)  # another process may have migrated
            if version is None:
                cursor.execute(f"CREATE TABLE {schema} (version INTEGER NOT NULL)")
            cursor.execute(f"SELECT 1 FROM {schema}")
            if cursor.fetchone() is None:
                cursor.execute(f"INSERT INTO {schema} (version) VALUES (0)")
            version = version or 0
            if version > SCHEMA:
                raise self._newer(version)
            for step in range(version + 1, SCHEMA + 1):
                for statement in migration_statements(self.dialect, step):
                    cursor.execute(statement)
            if version != SCHEMA:
                cursor.execute(
                    f"UPDATE {schema} SET version = {self.dialect.placeholder}", (SCHEMA,)
                )

    # -- rows --------------------------------------------------------------------------

    def _insert(self, rows: Iterable[Row]) -> int:
        insert = self.dialect.insert_record()
        added = 0
        with self._transaction() as cursor:
            for chunk in _chunks(rows):
                if len(chunk) == 1:
                    cursor.execute(insert, chunk[0])
                else:
                    cursor.executemany(insert, chunk)
                added += max(cursor.rowcount, 0)
        return added

    def _select(
        self,
        person_id: str,
        kind: str | None,
        since_us: int | None,
        until_us: int | None,
        limit: int | None,
        oldest_first: bool = False,
    ) -> Sequence[Row]:
        sql, args = select_query(
            self.dialect.records,
            RECORD_COLUMNS,
            self.dialect.placeholder,
            person_id,
            kind,
            since_us,
            until_us,
            limit,
            oldest_first,
        )
        with self._reading() as cursor:
            cursor.execute(sql, args)
            return [Row(*found) for found in cursor.fetchall()]

    def _people_before(self, before_us: int) -> list[str]:
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT DISTINCT person_id FROM {self.dialect.records} "
                f"WHERE time_us < {self.dialect.placeholder}",
                (before_us,),
            )
            return [str(row[0]) for row in cursor.fetchall()]

    def _erase(self, person_id: str | None, before_us: int | None, seal: Seal) -> list[ErasureRow]:
        where, args = erase_where(self.dialect.placeholder, person_id, before_us)
        counts: dict[str, dict[str, int]] = {}
        with self._transaction() as cursor:
            for person, kind, count in self._delete_counting(cursor, where, args):
                counts.setdefault(person, {})[kind] = int(count)
            if person_id is not None:
                counts.setdefault(person_id, {})  # a receipt even when nothing was stored
            receipts = [seal(person, counts[person]) for person in sorted(counts)]
            if len(receipts) == 1:
                cursor.execute(self.dialect.insert_receipt(), receipts[0])
            elif receipts:
                cursor.executemany(self.dialect.insert_receipt(), receipts)
        if any(counts.values()):
            self._after_erase()
        return receipts

    def _receipts(self) -> Sequence[ErasureRow]:
        with self._reading() as cursor:
            cursor.execute(f"SELECT {RECEIPT_COLUMNS} FROM {self.dialect.erasures} ORDER BY seq")
            return [ErasureRow(*row) for row in cursor.fetchall()]

    def _receipts_for(self, lookup: str) -> Sequence[ErasureRow]:
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT {RECEIPT_COLUMNS} FROM {self.dialect.erasures} "
                f"WHERE lookup = {self.dialect.placeholder} OR lookup IS NULL ORDER BY seq",
                (lookup,),
            )
            return [ErasureRow(*row) for row in cursor.fetchall()]

    def _metadata(self, name: str) -> str | None:
        with self._reading() as cursor:
            cursor.execute(
                f"SELECT value FROM {self.dialect.meta} WHERE name = {self.dialect.placeholder}",
                (name,),
            )
            row = cursor.fetchone()
        return None if row is None else str(row[0])

    def _claim_metadata(self, name: str, value: str) -> str:
        marker = self.dialect.placeholder
        with self._transaction() as cursor:
            cursor.execute(
                f"INSERT INTO {self.dialect.meta} (name, value) VALUES ({marker}, {marker}) "
                "ON CONFLICT (name) DO NOTHING",
                (name, value),
            )
            cursor.execute(f"SELECT value FROM {self.dialect.meta} WHERE name = {marker}", (name,))
            row = cursor.fetchone()
        if row is None:  # pragma: no cover - the row was just inserted or already there
            raise StorageError(f"{self._label}: the store's metadata could not be read")
        return str(row[0])
