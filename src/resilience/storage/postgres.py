"""The PostgreSQL store, for apps that outgrow one machine (psycopg 3, extra ``postgres``).

The URL is a libpq connection URL: ``postgresql://user:password@host:5432/dbname``
(``postgres://`` works too). libpq options go in its query, for example
``?options=-csearch_path%3Dmy_schema`` to keep the tables in a schema of their own, or
``?sslmode=require``.

* The tables (``resilience_records``, ``resilience_erasures``, ``resilience_meta`` and
  ``resilience_schema``) are created when missing, under a transaction-scoped advisory
  lock, so several processes starting at once do not race; missing forward migrations
  are applied the same way.
* Every append and every import is one transaction; ids are unique, and an insert of an
  id that is already stored does nothing (``ON CONFLICT DO NOTHING``), so appends from
  several processes are safe and idempotent.
* ``forget`` and ``forget_before`` delete rows and write their erasure receipts in one
  transaction. PostgreSQL keeps deleted row versions until ``VACUUM`` reclaims them, and
  in its write-ahead log and backups for as long as the server's configuration keeps
  them; see the storage guide.

psycopg is imported when a store is opened, never on ``import resilience``.

Example:
    >>> # store = open_store("postgresql://app@db.example/app")  (needs a server)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import cattrs

from resilience.errors import StorageError
from resilience.storage.base import RowStore, Seal, erase_where, select_query
from resilience.storage.erasure import ErasureRow
from resilience.storage.records import Row

if TYPE_CHECKING:
    import psycopg

__all__ = ["SCHEMA", "PostgresStore", "open_postgres"]

#: The newest storage schema version this release writes.
SCHEMA = 3

# An arbitrary constant naming the advisory lock taken while creating or migrating tables.
_LOCK_KEY = 7_270_551_001

_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE resilience_records (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            person_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            time_us BIGINT NOT NULL,
            stored_us BIGINT NOT NULL,
            schema_version INTEGER NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX resilience_records_person_time "
        "ON resilience_records (person_id, time_us, seq)",
    ),
    # 2: erasure receipts, written with every forget (no person id, nothing of the records).
    2: (
        """CREATE TABLE IF NOT EXISTS resilience_erasures (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            erased_us BIGINT NOT NULL,
            before_us BIGINT,
            counts TEXT NOT NULL,
            person_hash TEXT NOT NULL,
            salt TEXT NOT NULL,
            scheme TEXT NOT NULL
        )""",
    ),
    # 3: lookup tags for keyed receipts (found in one query), and the store's metadata,
    # which keeps the erasure key's check value.
    3: (
        "ALTER TABLE resilience_erasures ADD COLUMN IF NOT EXISTS lookup TEXT",
        "CREATE INDEX IF NOT EXISTS resilience_erasures_lookup ON resilience_erasures (lookup)",
        """CREATE TABLE IF NOT EXISTS resilience_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
    ),
}
_RECEIPT_COLUMNS = "id, erased_us, before_us, counts, person_hash, salt, scheme, lookup"
_INSERT_RECEIPT = (
    f"INSERT INTO resilience_erasures ({_RECEIPT_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_COLUMNS = "id, person_id, kind, time_us, stored_us, schema_version, body"
_INSERT = (
    f"INSERT INTO resilience_records ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (id) DO NOTHING"
)


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise StorageError(
            "the PostgreSQL store needs psycopg 3: pip install 'resilience[postgres]'"
        ) from error
    return psycopg


class PostgresStore(RowStore):
    """A store in a PostgreSQL database.

    Args:
        url: A libpq connection URL or string.
        converter: The converter records are written and read with.
        erasure_key: The secret erasure receipts are keyed with (see
            :class:`~resilience.storage.base.RowStore`).

    Raises:
        StorageError: psycopg is missing, the server cannot be reached, the tables were
            written by a newer version of the library, or the erasure receipts were
            written with another erasure key.

    Example:
        >>> PostgresStore.__mro__[1].__name__
        'RowStore'
    """

    def __init__(
        self,
        url: str,
        *,
        converter: cattrs.Converter | None = None,
        erasure_key: bytes | str | None = None,
    ) -> None:
        super().__init__(converter=converter, erasure_key=erasure_key)
        self._psycopg = _psycopg()
        try:
            self._connection: psycopg.Connection[Any] = self._psycopg.connect(url, autocommit=True)
        except self._psycopg.Error as error:
            raise StorageError(f"cannot open PostgreSQL store: {error}") from error
        try:
            self._migrate()
            self._verify_erasure_key()
        except BaseException:
            self._connection.close()
            raise

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as error:
            raise StorageError(f"PostgreSQL store: {error}") from error

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        with self._errors(), self._connection.transaction(), self._connection.cursor() as cursor:
            yield cursor

    def _migrate(self) -> None:
        with self._transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
            cursor.execute("SELECT to_regclass('resilience_schema') IS NOT NULL")
            exists = cursor.fetchone()
            version = 0
            if exists is not None and exists[0]:
                cursor.execute("SELECT version FROM resilience_schema")
                found = cursor.fetchone()
                version = 0 if found is None else int(found[0])
            else:
                cursor.execute("CREATE TABLE resilience_schema (version INTEGER NOT NULL)")
                cursor.execute("INSERT INTO resilience_schema (version) VALUES (0)")
            if version > SCHEMA:
                raise StorageError(
                    f"the PostgreSQL tables have storage schema {version}, newer than the "
                    f"newest this library reads ({SCHEMA}); upgrade resilience"
                )
            for step in range(version + 1, SCHEMA + 1):
                for statement in _MIGRATIONS[step]:
                    cursor.execute(statement)
            if version != SCHEMA:
                cursor.execute("UPDATE resilience_schema SET version = %s", (SCHEMA,))

    def _insert(self, rows: Sequence[Row]) -> int:
        with self._transaction() as cursor:
            if len(rows) == 1:
                cursor.execute(_INSERT, rows[0])
            else:
                cursor.executemany(_INSERT, rows)
            return max(cursor.rowcount, 0)

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
            "resilience_records",
            _COLUMNS,
            "%s",
            person_id,
            kind,
            since_us,
            until_us,
            limit,
            oldest_first,
        )
        with self._errors(), self._connection.cursor() as cursor:
            cursor.execute(sql, args)
            return [Row(*found) for found in cursor.fetchall()]

    def _people_before(self, before_us: int) -> list[str]:
        with self._errors(), self._connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT person_id FROM resilience_records WHERE time_us < %s",
                (before_us,),
            )
            return [str(row[0]) for row in cursor.fetchall()]

    def _erase(self, person_id: str | None, before_us: int | None, seal: Seal) -> list[ErasureRow]:
        where, args = erase_where("%s", person_id, before_us)
        counts: dict[str, dict[str, int]] = {}
        with self._transaction() as cursor:
            # Count what the DELETE itself returns, so rows another process stores meanwhile
            # can never make a receipt disagree with what was removed.
            cursor.execute(
                f"WITH gone AS (DELETE FROM resilience_records WHERE {where} "
                "RETURNING person_id, kind) "
                "SELECT person_id, kind, count(*) FROM gone GROUP BY person_id, kind",
                args,
            )
            for person, kind, count in cursor.fetchall():
                counts.setdefault(person, {})[kind] = int(count)
            if person_id is not None:
                counts.setdefault(person_id, {})  # a receipt even when nothing was stored
            receipts = [seal(person, counts[person]) for person in sorted(counts)]
            if len(receipts) == 1:
                cursor.execute(_INSERT_RECEIPT, receipts[0])
            elif receipts:
                cursor.executemany(_INSERT_RECEIPT, receipts)
        return receipts

    def _receipts(self) -> Sequence[ErasureRow]:
        with self._errors(), self._connection.cursor() as cursor:
            cursor.execute(f"SELECT {_RECEIPT_COLUMNS} FROM resilience_erasures ORDER BY seq")
            return [ErasureRow(*row) for row in cursor.fetchall()]

    def _receipts_for(self, lookup: str) -> Sequence[ErasureRow]:
        with self._errors(), self._connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_RECEIPT_COLUMNS} FROM resilience_erasures "
                "WHERE lookup = %s OR lookup IS NULL ORDER BY seq",
                (lookup,),
            )
            return [ErasureRow(*row) for row in cursor.fetchall()]

    def _metadata(self, name: str) -> str | None:
        with self._errors(), self._connection.cursor() as cursor:
            cursor.execute("SELECT value FROM resilience_meta WHERE name = %s", (name,))
            row = cursor.fetchone()
        return None if row is None else str(row[0])

    def _claim_metadata(self, name: str, value: str) -> str:
        with self._transaction() as cursor:
            cursor.execute(
                "INSERT INTO resilience_meta (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO NOTHING",
                (name, value),
            )
            cursor.execute("SELECT value FROM resilience_meta WHERE name = %s", (name,))
            row = cursor.fetchone()
        if row is None:  # pragma: no cover - the row was just inserted or already there
            raise StorageError("PostgreSQL store: the store's metadata could not be read")
        return str(row[0])

    def _close(self) -> None:
        with self._errors():
            self._connection.close()


def open_postgres(
    url: str,
    *,
    converter: cattrs.Converter | None = None,
    erasure_key: bytes | str | None = None,
) -> PostgresStore:
    """The backend factory for ``postgresql:`` and ``postgres:`` URLs.

    Example:
        >>> callable(open_postgres)
        True
    """
    return PostgresStore(url, converter=converter, erasure_key=erasure_key)
