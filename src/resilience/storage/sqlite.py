"""The embedded default: one SQLite file, safe to share between threads and processes.

* **URLs**: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` (four slashes:
  the URL's empty host, then the absolute path), ``sqlite:///:memory:`` or ``sqlite://``
  for a private in-memory database. Options go in the query: ``?mode=ro`` (read only),
  ``?synchronous=normal`` (faster commits that a power cut may lose; the default ``full``
  survives one) and ``?timeout=30`` (seconds to wait for another writer).
* **Privacy**: a new file (and its ``-wal`` and ``-shm`` companions, which SQLite creates
  with the database's mode) is readable and writable by its owner only (``0600``); missing
  parent directories are created ``0700``. ``secure_delete`` is on, and :meth:`forget` and
  :meth:`forget_before` checkpoint and truncate the write-ahead log, so forgotten answers do
  not linger in free pages or in the log (unless another process is reading the log at
  that moment; see the storage guide). Their erasure receipts (table ``erasures``) are
  written in the same transaction as the deletion; a retention run computes the
  receipts' slow hashes before it takes the write lock.
* **Safety**: write-ahead logging (readers never block the writer), a busy timeout, every
  write in one ``BEGIN IMMEDIATE`` transaction (nothing is half-written, also when the
  process is killed), and one lock per store for threads.
* **Schema**: the ``resilience_schema`` table holds the schema version; opening a store
  applies missing forward migrations in one transaction. A file written by a newer version
  of the library is refused.

Example:
    >>> import datetime as dt, resilience as rs
    >>> with SQLiteStore(None) as store:     # in memory
    ...     _ = store.append(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
    ...                      person_id="p-1")
    ...     [r.kind for r in store.history("p-1")]
    ['check-in']
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from pathlib import Path

import cattrs

from resilience.errors import StorageError
from resilience.storage.base import RowStore, Seal, erase_where, select_query
from resilience.storage.erasure import ErasureRow
from resilience.storage.records import Row

__all__ = ["SCHEMA", "SQLiteStore", "open_sqlite", "parse_sqlite_url"]

#: The newest storage schema version this release writes.
SCHEMA = 3

# Forward migrations: version -> statements that bring version - 1 up to it. A release that
# changes the layout appends a step here; existing files are upgraded when opened.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE records (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            person_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            time_us INTEGER NOT NULL,
            stored_us INTEGER NOT NULL,
            schema_version INTEGER NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX records_person_time ON records (person_id, time_us, seq)",
    ),
    # 2: erasure receipts, written with every forget (no person id, nothing of the records).
    2: (
        """CREATE TABLE erasures (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            erased_us INTEGER NOT NULL,
            before_us INTEGER,
            counts TEXT NOT NULL,
            person_hash TEXT NOT NULL,
            salt TEXT NOT NULL,
            scheme TEXT NOT NULL
        )""",
    ),
    # 3: lookup tags for keyed receipts (found in one query), and the store's metadata,
    # which keeps the erasure key's check value.
    3: (
        "ALTER TABLE erasures ADD COLUMN lookup TEXT",
        "CREATE INDEX erasures_lookup ON erasures (lookup)",
        """CREATE TABLE resilience_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
    ),
}
_COLUMNS = "id, person_id, kind, time_us, stored_us, schema_version, body"
_INSERT = f"INSERT OR IGNORE INTO records ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_RECEIPT_COLUMNS = "id, erased_us, before_us, counts, person_hash, salt, scheme, lookup"
_INSERT_RECEIPT = f"INSERT INTO erasures ({_RECEIPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
_SYNCHRONOUS = ("full", "normal", "extra")
# How long (ms) one attempt to truncate the write-ahead log after an erasure waits for
# readers and writers; five attempts with pauses make about 0.9 s at most.
_CHECKPOINT_WAIT_MS = 20


def parse_sqlite_url(url: str) -> tuple[str | None, dict[str, str]]:
    """The file path (``None`` for in-memory) and the options of a ``sqlite:`` URL.

    Raises:
        StorageError: the URL is not a ``sqlite:`` URL, names a host, or has an unknown
            option.

    Example:
        >>> parse_sqlite_url("sqlite:///data/people.db")
        ('data/people.db', {})
        >>> parse_sqlite_url("sqlite:////var/lib/app/people.db?synchronous=normal")
        ('/var/lib/app/people.db', {'synchronous': 'normal'})
        >>> parse_sqlite_url("sqlite:///:memory:")
        (None, {})
    """
    scheme, _, rest = url.partition("://")
    if scheme.lower() != "sqlite" or not _:
        raise StorageError(f"not a SQLite URL: {url!r} (expected sqlite:///path/to/file.db)")
    rest, _, query = rest.partition("?")
    if rest and not rest.startswith("/"):
        raise StorageError(
            f"a SQLite URL names no host: {url!r}; use sqlite:///relative.db or "
            "sqlite:////absolute/path.db"
        )
    path = urllib.parse.unquote(rest[1:])
    options = dict(urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=False))
    unknown = sorted(set(options) - {"mode", "synchronous", "timeout"})
    if unknown:
        raise StorageError(
            f"unknown SQLite URL option(s) {', '.join(unknown)}; known: mode, synchronous, timeout"
        )
    return (None if path in ("", ":memory:") else path), options


def _create_private(path: str) -> None:
    missing: list[str] = []
    parent = os.path.dirname(os.path.abspath(path))
    while parent and not os.path.isdir(parent):
        missing.append(parent)
        parent = os.path.dirname(parent)
    for directory in reversed(missing):  # makedirs would give only the last one this mode
        with contextlib.suppress(FileExistsError):
            os.mkdir(directory, 0o700)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    os.close(descriptor)


class SQLiteStore(RowStore):
    """A store in one SQLite file (or in memory).

    Args:
        path: The database file (created if missing), or ``None`` for in-memory.
        read_only: Open without writing (the file must exist and be up to date).
        synchronous: ``"full"`` (the default: a committed record survives a power cut),
            ``"normal"`` (faster; survives a crash of the process, not of the machine) or
            ``"extra"``.
        timeout: Seconds to wait for another process's write to finish.
        converter: The converter records are written and read with.
        erasure_key: The secret erasure receipts are keyed with (see
            :class:`~resilience.storage.base.RowStore`).

    Raises:
        StorageError: the file cannot be opened, is not a database, was written by a
            newer version of the library, or its erasure receipts were written with
            another erasure key.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with SQLiteStore(pathlib.Path(tmp) / "r.db") as store:
        ...         store.history("p-1")
        []
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        *,
        read_only: bool = False,
        synchronous: str = "full",
        timeout: float = 30.0,
        converter: cattrs.Converter | None = None,
        erasure_key: bytes | str | None = None,
    ) -> None:
        super().__init__(converter=converter, erasure_key=erasure_key)
        if synchronous.lower() not in _SYNCHRONOUS:
            raise StorageError(
                f"synchronous must be one of {', '.join(_SYNCHRONOUS)}, not {synchronous!r}"
            )
        self.path: str | None = None if path is None else os.fspath(path)
        self.location = self.path or ":memory:"
        self.read_only = read_only
        try:
            if self.path is None:
                target, uri = ":memory:", False
            else:
                if not read_only:
                    _create_private(self.path)
                mode = "ro" if read_only else "rw"
                target, uri = f"{Path(self.path).absolute().as_uri()}?mode={mode}", True
            connection = sqlite3.connect(
                target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as error:
            raise StorageError(f"cannot open SQLite store {self.location}: {error}") from error
        self._connection = connection
        self._busy_ms = int(timeout * 1000)
        try:
            with self._errors():
                connection.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
                connection.execute("PRAGMA secure_delete = ON")
                connection.execute(f"PRAGMA synchronous = {synchronous.upper()}")
                if self.path is not None and not read_only:
                    connection.execute("PRAGMA journal_mode = WAL")
                self._migrate()
                self._verify_erasure_key()
        except BaseException:
            connection.close()
            raise

    # -- plumbing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StorageError(f"SQLite store {self.location}: {error}") from error

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection
        with self._errors():
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def _version(self) -> int | None:
        """The storage schema version; ``None`` when there is no version table yet."""
        found = self._connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'resilience_schema'"
        ).fetchone()
        if found is None:
            return None
        row = self._connection.execute("SELECT version FROM resilience_schema").fetchone()
        return 0 if row is None else int(row[0])

    def _migrate(self) -> None:
        version = self._version()
        if version == SCHEMA:
            return
        if version is not None and version > SCHEMA:
            raise StorageError(
                f"SQLite store {self.location} has storage schema {version}, newer than the "
                f"newest this library reads ({SCHEMA}); upgrade resilience to open it"
            )
        if self.read_only:
            raise StorageError(
                f"SQLite store {self.location} needs its storage schema upgraded from "
                f"{version} to {SCHEMA}; open it once without mode=ro"
            )
        with self._transaction() as connection:
            version = self._version()  # another process may have migrated meanwhile
            if version is None:
                connection.execute("CREATE TABLE resilience_schema (version INTEGER NOT NULL)")
            if not connection.execute("SELECT 1 FROM resilience_schema").fetchone():
                connection.execute("INSERT INTO resilience_schema (version) VALUES (0)")
            version = version or 0
            if version > SCHEMA:
                raise StorageError(
                    f"SQLite store {self.location} has storage schema {version}, newer than "
                    f"the newest this library reads ({SCHEMA}); upgrade resilience to open it"
                )
            for step in range(version + 1, SCHEMA + 1):
                for statement in _MIGRATIONS[step]:
                    connection.execute(statement)
            connection.execute("UPDATE resilience_schema SET version = ?", (SCHEMA,))

    # -- rows --------------------------------------------------------------------------

    def _insert(self, rows: Sequence[Row]) -> int:
        with self._transaction() as connection:
            before = connection.total_changes
            connection.executemany(_INSERT, rows)
            return connection.total_changes - before

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
            "records", _COLUMNS, "?", person_id, kind, since_us, until_us, limit, oldest_first
        )
        with self._errors():
            return [Row(*found) for found in self._connection.execute(sql, args).fetchall()]

    def _people_before(self, before_us: int) -> list[str]:
        with self._errors():
            found = self._connection.execute(
                "SELECT DISTINCT person_id FROM records WHERE time_us < ?", (before_us,)
            ).fetchall()
        return [str(row[0]) for row in found]

    def _erase(self, person_id: str | None, before_us: int | None, seal: Seal) -> list[ErasureRow]:
        where, args = erase_where("?", person_id, before_us)
        counts: dict[str, dict[str, int]] = {}
        with self._transaction() as connection:
            # BEGIN IMMEDIATE holds the write lock: nothing can change between the count
            # and the deletion, so the receipts say exactly what was removed.
            found = connection.execute(
                f"SELECT person_id, kind, count(*) FROM records WHERE {where} "
                "GROUP BY person_id, kind",
                args,
            ).fetchall()
            for person, kind, count in found:
                counts.setdefault(person, {})[kind] = int(count)
            if person_id is not None:
                counts.setdefault(person_id, {})  # a receipt even when nothing was stored
            if found:
                connection.execute(f"DELETE FROM records WHERE {where}", args)
            receipts = [seal(person, counts[person]) for person in sorted(counts)]
            connection.executemany(_INSERT_RECEIPT, receipts)
        if found and self.path is not None:
            self._truncate_log()
        return receipts

    def _receipts(self) -> Sequence[ErasureRow]:
        with self._errors():
            rows = self._connection.execute(
                f"SELECT {_RECEIPT_COLUMNS} FROM erasures ORDER BY seq"
            ).fetchall()
        return [ErasureRow(*row) for row in rows]

    def _receipts_for(self, lookup: str) -> Sequence[ErasureRow]:
        with self._errors():
            rows = self._connection.execute(
                f"SELECT {_RECEIPT_COLUMNS} FROM erasures "
                "WHERE lookup = ? OR lookup IS NULL ORDER BY seq",
                (lookup,),
            ).fetchall()
        return [ErasureRow(*row) for row in rows]

    def _metadata(self, name: str) -> str | None:
        with self._errors():
            row = self._connection.execute(
                "SELECT value FROM resilience_meta WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else str(row[0])

    def _claim_metadata(self, name: str, value: str) -> str:
        with self._transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO resilience_meta (name, value) VALUES (?, ?)", (name, value)
            )
            row = connection.execute(
                "SELECT value FROM resilience_meta WHERE name = ?", (name,)
            ).fetchone()
        return str(row[0])

    def _truncate_log(self) -> None:
        # secure_delete zeroes the freed space in the pages the deletion writes, but older
        # copies of those pages stay in the write-ahead log until it is checkpointed and
        # truncated. A reader in another process can hold the checkpoint back: try a few
        # times, then leave it to a later checkpoint (the record is deleted either way).
        # While a TRUNCATE checkpoint waits for readers it keeps other writers out, and it
        # would wait the whole busy timeout per attempt: so it gets a short timeout here.
        connection = self._connection
        with self._errors():
            connection.execute(f"PRAGMA busy_timeout = {_CHECKPOINT_WAIT_MS}")
            try:
                for attempt in range(5):
                    busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                    if not busy:
                        return
                    time.sleep(0.05 * (attempt + 1))
            finally:
                connection.execute(f"PRAGMA busy_timeout = {self._busy_ms}")

    def _close(self) -> None:
        with self._errors():
            self._connection.close()


def open_sqlite(
    url: str,
    *,
    converter: cattrs.Converter | None = None,
    erasure_key: bytes | str | None = None,
) -> SQLiteStore:
    """The backend factory for ``sqlite:`` URLs (see the module documentation).

    Raises:
        StorageError: a malformed URL, a bad option, or a file that cannot be opened.

    Example:
        >>> open_sqlite("sqlite:///:memory:").history("p-1")
        []
    """
    path, options = parse_sqlite_url(url)
    mode = options.get("mode", "rwc")
    if mode not in ("ro", "rw", "rwc"):
        raise StorageError(f"SQLite URL option mode must be ro, rw or rwc, not {mode!r}")
    try:
        timeout = float(options.get("timeout", "30"))
    except ValueError:
        raise StorageError(
            f"SQLite URL option timeout must be a number of seconds, not {options['timeout']!r}"
        ) from None
    if mode == "rw" and path is not None and not os.path.exists(path):
        raise StorageError(f"SQLite store {path} does not exist (mode=rw does not create it)")
    return SQLiteStore(
        path,
        read_only=mode == "ro",
        synchronous=options.get("synchronous", "full"),
        timeout=timeout,
        converter=converter,
        erasure_key=erasure_key,
    )
