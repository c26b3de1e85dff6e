"""The embedded default: one SQLite file, safe to share between threads and processes.

* **URLs**: ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` (four slashes:
  the URL's empty host, then the absolute path), ``sqlite:///:memory:`` or ``sqlite://``
  for a private in-memory database. Options go in the query: ``?mode=ro`` (read only),
  ``?synchronous=normal`` (faster commits that a power cut may lose; the default ``full``
  survives one) and ``?timeout=30`` (seconds to wait for another writer).
* **Privacy**: a new file (and its ``-wal`` and ``-shm`` companions, which SQLite creates
  with the database's mode) is readable and writable by its owner only (``0600``); missing
  parent directories are created ``0700``. An erasure that removed records is followed by
  ``VACUUM`` (the file is rebuilt, so no stale copy of a deleted row survives in unused
  space of a live page) and a ``TRUNCATE`` checkpoint (the log is emptied). If a reader
  holds the log back, the last connection to close checkpoints and removes it; ``mode=ro``
  stores refuse writes with ``query_only`` but keep the file writable for exactly that.
  Their erasure receipts (table ``erasures``) are written in the same transaction as the
  deletion; a retention run computes the receipts' slow hashes before it takes the write
  lock.
* **Safety**: write-ahead logging (readers never block the writer), a busy timeout (also
  while a brand-new file is set up by several processes at once), every write in one
  ``BEGIN IMMEDIATE`` transaction (nothing is half-written, also when the process is
  killed), and one lock per store for threads.
* **Schema**: shared with PostgreSQL (:mod:`resilience.storage._sql`); the
  ``resilience_schema`` table holds the schema version; opening a store applies missing
  forward migrations in one transaction. A file written by a newer version of the library
  is refused.

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
from resilience.storage._sql import SCHEMA, Cursor, Dialect, SQLRowStore, migration_statements

__all__ = ["SCHEMA", "SQLiteStore", "open_sqlite", "parse_sqlite_url"]

_DIALECT = Dialect("?", "records", "erasures")
# The statements of each schema version, as SQLite runs them (kept under this name for
# tools that build the same layout by hand, such as the storage benchmark).
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    step: migration_statements(_DIALECT, step) for step in range(1, SCHEMA + 1)
}
_SYNCHRONOUS = ("full", "normal", "extra")
# How long (ms) one attempt to truncate the write-ahead log after an erasure waits for
# readers and writers; five attempts with pauses make about 0.9 s at most.
_CHECKPOINT_WAIT_MS = 20
# SQLite's result codes for "another connection holds the lock" (the primary code is the
# low byte of an extended one).
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def _is_busy(error: BaseException | None) -> bool:
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in _BUSY_CODES
    return "locked" in str(error) or "busy" in str(error)


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


class SQLiteStore(SQLRowStore):
    """A store in one SQLite file (or in memory).

    Args:
        path: The database file (created if missing), or ``None`` for in-memory.
        read_only: Refuse every write (the file must exist and be up to date). The file
            is still opened for writing at SQLite's level, with ``query_only`` on, so that
            a read-only store that closes last can checkpoint and remove the write-ahead
            log, where erased records would otherwise linger.
        synchronous: ``"full"`` (the default: a committed record survives a power cut),
            ``"normal"`` (faster; survives a crash of the process, not of the machine) or
            ``"extra"``.
        timeout: Seconds to wait for another process's write to finish (and for another
            process setting up a brand-new file).
        converter: The converter records are written and read with.
        erasure_key: The secret erasure receipts are keyed with (see
            :class:`~resilience.storage._base.RowStore`).

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

    dialect = _DIALECT

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
        self._label = f"SQLite store {self.location}"
        self.read_only = read_only
        try:
            if self.path is None:
                target, uri = ":memory:", False
            else:
                if not read_only:
                    _create_private(self.path)
                # mode=rw even when read only: see the class documentation.
                target, uri = f"{Path(self.path).absolute().as_uri()}?mode=rw", True
            connection = sqlite3.connect(
                target, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as error:
            raise StorageError(f"cannot open SQLite store {self.location}: {error}") from error
        self._connection = connection
        self._busy_ms = int(timeout * 1000)
        try:
            self._set_up(synchronous, timeout)
        except BaseException:
            connection.close()
            raise

    # -- plumbing ----------------------------------------------------------------------

    def _set_up(self, synchronous: str, timeout: float) -> None:
        """Pragmas, migrations and the key check, waiting out other processes' setup.

        Switching a brand-new file to write-ahead logging answers "database is locked" at
        once, without SQLite's busy handler, while another process does the same; every
        step here can be repeated, so it is retried until the busy timeout is spent.
        """
        deadline = time.monotonic() + timeout
        pause = 0.002
        connection = self._connection
        while True:
            try:
                with self._errors():
                    connection.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
                    connection.execute("PRAGMA secure_delete = ON")
                    connection.execute(f"PRAGMA synchronous = {synchronous.upper()}")
                    if self.read_only:
                        connection.execute("PRAGMA query_only = ON")
                    elif self.path is not None:
                        connection.execute("PRAGMA journal_mode = WAL")
                    self._migrate()
                    self._verify_erasure_key()
                return
            except StorageError as error:
                left = deadline - time.monotonic()
                if not _is_busy(error.__cause__) or left <= 0:
                    raise
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.1)

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StorageError(f"SQLite store {self.location}: {error}") from error

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Cursor]:
        connection = self._connection
        with self._errors():
            cursor = connection.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
                cursor.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            finally:
                cursor.close()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Cursor]:
        with self._errors():
            cursor = self._connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def _has_table(self, cursor: Cursor, name: str) -> bool:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return cursor.fetchone() is not None

    def _delete_counting(
        self, cursor: Cursor, where: str, args: Sequence[object]
    ) -> list[tuple[str, str, int]]:
        # BEGIN IMMEDIATE holds the write lock: nothing can change between the count and
        # the deletion, so the receipts say exactly what was removed.
        cursor.execute(
            f"SELECT person_id, kind, count(*) FROM records WHERE {where} GROUP BY person_id, kind",
            args,
        )
        found = [(str(person), str(kind), int(count)) for person, kind, count in cursor.fetchall()]
        if found:
            cursor.execute(f"DELETE FROM records WHERE {where}", args)
        return found

    def _after_erase(self) -> None:
        if self.path is None:
            return
        # secure_delete zeroes the cells a deletion frees, but when a page is rebalanced
        # SQLite moves cells without clearing where they were, so a copy of a person id
        # or a note can stay in the unused space of a live page (seen in a few of 52
        # layouts). VACUUM rebuilds the whole file from the live rows: nothing deleted
        # survives in it. It costs time in proportion to the file's size (see the storage
        # guide); the truncation then empties the log that holds the old pages.
        with self._errors():
            self._connection.execute("VACUUM")
        self._truncate_log()

    def _truncate_log(self) -> None:
        # Older copies of the pages stay in the write-ahead log until it is checkpointed
        # and truncated. A reader in another process can hold the checkpoint back: try a
        # few times, then leave it to the last connection to close, which checkpoints and
        # removes the log (the records are deleted either way). While a TRUNCATE
        # checkpoint waits for readers it keeps other writers out, and it would wait the
        # whole busy timeout per attempt: so it gets a short timeout here.
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
