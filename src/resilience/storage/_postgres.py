"""The PostgreSQL store, for apps that outgrow one machine (psycopg 3, extra ``postgres``).

The URL is a libpq connection URL: ``postgresql://user:password@host:5432/dbname``
(``postgres://`` works too). libpq options go in its query, for example
``?options=-csearch_path%3Dmy_schema`` to keep the tables in a schema of their own, or
``?sslmode=require``. One option is the store's own and is not passed to libpq:
``?vacuum=full`` (the default) or ``?vacuum=plain`` (see below).

* **Connecting**: a server that does not answer is given up on after
  :data:`CONNECT_TIMEOUT` seconds unless the URL sets libpq's ``connect_timeout``. When the
  server drops the connection (a restart, a failover, ``pg_terminate_backend``), the call
  in flight fails with :class:`~resilience.errors.StorageError` and its transaction is
  rolled back by the server; the next call connects again.
* The tables (``resilience_records``, ``resilience_erasures``, ``resilience_meta`` and
  ``resilience_schema``) are created when missing, under an advisory lock, so several
  processes starting at once do not race; missing forward migrations (shared with SQLite,
  :mod:`resilience.storage._sql`) are applied the same way.
* Every append and every import is one transaction; ids are unique, and an insert of an
  id that is already stored does nothing (``ON CONFLICT DO NOTHING``), so appends from
  several processes are safe and idempotent.
* ``forget`` and ``forget_before`` delete rows and write their erasure receipts in one
  transaction, then run ``VACUUM FULL resilience_records``, which rewrites the table, its
  TOAST table and its indexes into new files and truncates the old ones: afterwards no
  byte of the erased rows is in the table's files. It holds an exclusive lock on the
  table while it runs (other stores wait), in proportion to the table's size. With
  ``?vacuum=plain`` a plain ``VACUUM`` runs instead, which takes no exclusive lock but
  leaves the bytes of deleted rows in unused space of the table's pages until they are
  reused. Either way the server's write-ahead log (``pg_wal``), a WAL archive, replicas'
  logs and backups keep copies for as long as the server is configured to keep them; see
  the storage guide.

psycopg is imported when a store is opened, never on ``import resilience``.

Example:
    >>> # store = open_store("postgresql://app@db.example/app")  (needs a server)
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import cattrs

from resilience.errors import StorageError
from resilience.storage._sql import SCHEMA, Cursor, Dialect, SQLRowStore

if TYPE_CHECKING:
    import psycopg

__all__ = ["CONNECT_TIMEOUT", "SCHEMA", "PostgresStore", "open_postgres"]

#: Seconds to wait for a server to answer when the URL sets no ``connect_timeout``.
CONNECT_TIMEOUT = 10

# An arbitrary constant naming the advisory lock taken while creating or migrating tables.
_LOCK_KEY = 7_270_551_001

_DIALECT = Dialect(
    "%s",
    "resilience_records",
    "resilience_erasures",
    serial="BIGSERIAL",
    bigint="BIGINT",
    add_column="ADD COLUMN IF NOT EXISTS",
)
_VACUUM = {"full": "VACUUM FULL", "plain": "VACUUM"}


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as error:
        raise StorageError(
            "the PostgreSQL store needs psycopg 3: pip install 'connection-resilience[postgres]'"
        ) from error
    return psycopg


class PostgresStore(SQLRowStore):
    """A store in a PostgreSQL database.

    Args:
        url: A libpq connection URL or string.
        converter: The converter records are written and read with.
        erasure_key: The secret erasure receipts are keyed with (see
            :class:`~resilience.storage._base.RowStore`).
        vacuum: What runs after an erasure removed rows: ``"full"`` (``VACUUM FULL``: no
            byte of them stays in the table's files) or ``"plain"`` (``VACUUM``: no
            exclusive lock, but their bytes stay in unused space until reused).

    Raises:
        StorageError: psycopg is missing, the server cannot be reached, the tables were
            written by a newer version of the library, or the erasure receipts were
            written with another erasure key.

    Example:
        >>> PostgresStore.__mro__[1].__name__
        'SQLRowStore'
    """

    dialect = _DIALECT
    _label = "the PostgreSQL store"

    def __init__(
        self,
        url: str,
        *,
        converter: cattrs.Converter | None = None,
        erasure_key: bytes | str | None = None,
        vacuum: str = "full",
    ) -> None:
        super().__init__(converter=converter, erasure_key=erasure_key)
        if vacuum not in _VACUUM:
            raise StorageError(f"vacuum must be full or plain, not {vacuum!r}")
        self._vacuum = _VACUUM[vacuum]
        self._psycopg = _psycopg()
        self._url = url
        self._connection: psycopg.Connection[Any] = self._connect("cannot open PostgreSQL store")
        try:
            self._migrate()
            self._verify_erasure_key()
        except BaseException:
            self._connection.close()
            raise

    def _connect(self, failure: str) -> psycopg.Connection[Any]:
        driver = self._psycopg
        try:
            params = driver.conninfo.conninfo_to_dict(self._url)
            extra = {} if "connect_timeout" in params else {"connect_timeout": CONNECT_TIMEOUT}
            connection: psycopg.Connection[Any] = driver.connect(
                self._url, autocommit=True, **extra
            )
        except driver.Error as error:
            raise StorageError(f"{failure}: {error}") from error
        return connection

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, made again if the server dropped the last one."""
        connection = self._connection
        if connection.closed or connection.broken:
            with contextlib.suppress(self._psycopg.Error):
                connection.close()
            self._connection = connection = self._connect(
                "the PostgreSQL connection was lost and cannot be made again"
            )
        return connection

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as error:
            raise StorageError(f"PostgreSQL store: {error}") from error

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        connection = self._live()
        with self._errors(), connection.transaction(), connection.cursor() as cursor:
            yield cursor

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Cursor]:
        connection = self._live()
        with self._errors(), connection.cursor() as cursor:
            yield cursor

    def _has_table(self, cursor: Cursor, name: str) -> bool:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (name,))
        found = cursor.fetchone()
        return bool(found is not None and found[0])

    def _migrate(self) -> None:
        # A session lock, taken before the migration's transaction begins: a transaction
        # that began before another process committed its tables may still look them up
        # in a stale catalog cache (an advisory lock does not refresh it), and then try to
        # create them again.
        with self._reading() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
        try:
            super()._migrate()
        finally:
            with contextlib.suppress(StorageError), self._reading() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))

    def _delete_counting(
        self, cursor: Cursor, where: str, args: Sequence[object]
    ) -> list[tuple[str, str, int]]:
        # Count what the DELETE itself returns, so rows another process stores meanwhile
        # can never make a receipt disagree with what was removed.
        cursor.execute(
            f"WITH gone AS (DELETE FROM resilience_records WHERE {where} "
            "RETURNING person_id, kind) "
            "SELECT person_id, kind, count(*) FROM gone GROUP BY person_id, kind",
            args,
        )
        return [(str(person), str(kind), int(count)) for person, kind, count in cursor.fetchall()]

    def _after_erase(self) -> None:
        # A DELETE only marks row versions dead; their bytes stay in the table's and the
        # index's pages, and a plain VACUUM frees the space without clearing all of it.
        # VACUUM FULL writes the live rows into new files and truncates the old ones.
        # It cannot run inside a transaction: the connection is in autocommit mode.
        with self._reading() as cursor:
            cursor.execute(f"{self._vacuum} resilience_records")

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

    The store's own ``vacuum`` option is taken out of the URL's query; the rest goes to
    libpq unchanged.

    Raises:
        StorageError: a bad ``vacuum`` option, or the store cannot be opened.

    Example:
        >>> open_postgres("postgresql://app@db/app?vacuum=sometimes")
        Traceback (most recent call last):
        ...
        resilience.errors.StorageError: vacuum must be full or plain, not 'sometimes'
    """
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    vacuum = [value for name, value in query if name == "vacuum"]
    if vacuum and vacuum[-1] not in _VACUUM:
        raise StorageError(f"vacuum must be full or plain, not {vacuum[-1]!r}")
    if vacuum:
        rest = [(name, value) for name, value in query if name != "vacuum"]
        url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(rest)))
    return PostgresStore(
        url, converter=converter, erasure_key=erasure_key, vacuum=vacuum[-1] if vacuum else "full"
    )
