"""Storage: an append-only record store with one contract for every backend.

A store holds four kinds of record — assessments, profiles, plans and check-ins — per
person, appended and never overwritten. :func:`open_store` opens one from a URL:

* ``memory://`` — in memory, gone when the process ends;
* ``sqlite:///path/to.db`` — one SQLite file, the embedded default
  (``sqlite:////absolute/path.db`` for an absolute path, ``sqlite:///:memory:`` in memory);
* ``postgresql://user@host/db`` — a PostgreSQL server (needs the ``postgres`` extra).

Erasure is a feature with an audit trail: :meth:`Store.forget` and the retention method
:meth:`Store.forget_before` write an :class:`Erasure` receipt in the same transaction as
the deletion, holding counts and a salted hash of the person id but nothing of the data;
:meth:`Store.erasures` lists them (see :mod:`resilience.storage._erasure`).

Plugins add schemes through the ``resilience_register_storage_backends`` hook; an
:class:`~resilience.Engine` opens its store with them. Every backend passes the contract
suite in :mod:`resilience.testing.storage`. A backend author builds on :class:`RowStore`
(a few row operations over :class:`Row` and :class:`ErasureRow` tuples give the whole
contract) or, for a SQL database, on :class:`SQLRowStore` with its own :class:`Dialect`.

Example:
    >>> import datetime as dt, resilience as rs
    >>> from resilience.storage import open_store
    >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                   {"brs": {"brs-1": 4}})
    >>> with open_store("sqlite:///:memory:") as store:
    ...     record_id = store.append(a)
    ...     store.latest("p-1", "assessment").record == a
    True
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import math
import os
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import cattrs

from resilience.errors import StoreURLError, UnknownBackendError
from resilience.storage._erasure import Erasure, ErasureRow, normalise_key
from resilience.storage._records import KINDS, MAX_PERSON_ID, Check, Record, Row, StoredRecord

# Not ``typing.TYPE_CHECKING``, for the same reason as in ``resilience/__init__.py``.
TYPE_CHECKING = False
if TYPE_CHECKING:  # the classes backend authors build on load when first used
    from resilience.storage._base import RowStore, Seal
    from resilience.storage._sql import Cursor, Dialect, SQLRowStore

# The backend author's classes, imported on first use: opening a store through
# ``open_store`` does not need them until a backend module is loaded.
_LAZY = {
    "Cursor": "resilience.storage._sql",
    "Dialect": "resilience.storage._sql",
    "RowStore": "resilience.storage._base",
    "SQLRowStore": "resilience.storage._sql",
    "Seal": "resilience.storage._base",
}

__all__ = [
    "ENV_ERASURE_KEY",
    "ENV_STORE",
    "KINDS",
    "MAX_PERSON_ID",
    "BackendFactory",
    "Check",
    "Cursor",
    "Dialect",
    "Erasure",
    "ErasureRow",
    "Record",
    "Row",
    "RowStore",
    "SQLRowStore",
    "Seal",
    "Store",
    "StoredRecord",
    "builtin_backends",
    "default_data_dir",
    "default_store_url",
    "import_checked",
    "open_store",
    "takes_import_check",
]

#: The environment variable that overrides :func:`default_store_url`.
ENV_STORE = "RESILIENCE_STORE"

#: The environment variable holding the erasure key when ``open_store`` is given none.
ENV_ERASURE_KEY = "RESILIENCE_ERASURE_KEY"

#: A backend: ``factory(url, converter=...)`` returns an open :class:`Store`; it is also
#: given ``erasure_key=...`` when the host configured one.
BackendFactory = Callable[..., "Store"]


@runtime_checkable
class Store(Protocol):
    """What every store does. Records are immutable and appended, never overwritten.

    Check-ins carry no person of their own: append them with ``person_id=...``.
    A record's id is a hash of its kind, person and content, so storing the same record
    twice stores it once. See :class:`~resilience.storage._base.RowStore` for the full
    description of each method.

    Example:
        >>> from resilience.storage import open_store
        >>> isinstance(open_store("memory://"), Store)
        True
    """

    def append(self, record: Record, *, person_id: str | None = None) -> str:
        """Store one record and return its id."""

    def append_many(self, records: Iterable[Record | tuple[Record, str]]) -> list[str]:
        """Store records (or ``(record, person_id)`` pairs) in one transaction; return ids."""

    def history(
        self,
        person_id: str,
        kind: str | None = None,
        since: dt.datetime | dt.date | None = None,
        until: dt.datetime | dt.date | None = None,
    ) -> list[StoredRecord]:
        """One person's records (optionally of one kind, ``since <= time < until``), newest first."""  # noqa: E501

    def latest(self, person_id: str, kind: str) -> StoredRecord | None:
        """The newest record of one kind for one person, or ``None``."""

    def export(self, person_id: str) -> list[str]:
        """Every record of one person as self-describing JSON Lines, oldest first."""

    def import_records(
        self, lines: Iterable[str | bytes] | str | bytes, *, check: Check | None = None
    ) -> int:
        """Store exported lines, all or nothing; return how many records were new.

        ``check(record)``, when given, is called for every record read and refuses its line
        by raising a library error. A store written before ``check`` existed may leave the
        parameter out: :func:`import_checked` (which the engine uses) then checks every
        line itself before the store sees any (see :func:`takes_import_check`).
        """

    def forget(self, person_id: str) -> int:
        """Remove every record of one person and write an erasure receipt; return how many."""

    def forget_before(self, cutoff: dt.datetime | dt.date) -> int:
        """Remove every record older than ``cutoff`` (a receipt per person); return how many."""

    def erasures(self, person_id: str | None = None) -> list[Erasure]:
        """The erasure receipts, oldest first; with ``person_id``, only that person's."""

    def close(self) -> None:
        """Close the store."""

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def takes_import_check(store: object) -> bool:
    """Whether ``store.import_records`` takes the ``check=`` keyword of the :class:`Store` contract.

    A store declares it in its signature: every built-in store (a
    :class:`RowStore`) does, and so does any store whose
    ``import_records`` has a parameter named ``check`` that can be passed by keyword. A
    store whose method has no such parameter (one written before ``check`` was part of
    the contract), takes only ``**kwargs``, or whose signature cannot be read, does not.

    Example:
        >>> class Old:
        ...     def import_records(self, lines):
        ...         return 0
        >>> takes_import_check(open_store("memory://")), takes_import_check(Old())
        (True, False)
    """
    from resilience.storage._base import RowStore

    if isinstance(store, RowStore):
        return True
    method = getattr(store, "import_records", None)
    if not callable(method):
        return False
    try:
        parameter = inspect.signature(method).parameters.get("check")
    except (TypeError, ValueError):  # a callable whose signature Python cannot read
        return False
    keyword = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return parameter is not None and parameter.kind in keyword


def import_checked(
    store: Store,
    lines: Iterable[str | bytes] | str | bytes,
    *,
    check: Check,
    converter: cattrs.Converter | None = None,
) -> int:
    """Import lines into ``store`` with ``check`` run on every record, whatever the store.

    A store that takes ``check=`` (see :func:`takes_import_check`) is given it and the
    lines as they are: one pass, streamed into its transaction. For any other store every
    line is first read and checked here, exactly as a built-in store checks it, while
    being copied to a temporary file (constant memory); only when every line passed is
    the store handed the copied lines, as text, so nothing reaches it from a refused
    import. A check that would replace a record refuses its line on that path.

    Returns:
        How many records were new, as the store says.

    Raises:
        InvalidRecordError: some lines cannot be read or were refused; every bad line is
            named by its number, and nothing is stored.
        SchemaVersionError: a line was written by a newer version of the library.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> class Old:  # a store from before check=: it keeps whatever it is given
        ...     def import_records(self, lines):
        ...         return len(list(lines))
        >>> with open_store("memory://") as source:
        ...     _ = source.append(rs.CheckIn("s1", dt.date(2026, 1, 9), "done"), person_id="p")
        ...     lines = source.export("p")
        >>> import_checked(Old(), lines, check=lambda record: None)
        1
        >>> def refuse(record):
        ...     raise rs.InvalidRecordError("check-in", ["not today"])
        >>> import_checked(Old(), lines, check=refuse)
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidRecordError: cannot read the import:
          - line 1: not today
    """
    if takes_import_check(store):
        return store.import_records(lines, check=check)
    from resilience.storage._records import precheck_lines

    with tempfile.TemporaryFile() as spool:
        precheck_lines(lines, spool, converter=converter, check=check)
        spool.seek(0)
        return store.import_records(line.decode("utf-8") for line in spool)


def _open_memory(
    url: str, *, converter: cattrs.Converter | None = None, erasure_key: bytes | None = None
) -> Store:
    from resilience.storage._memory import open_memory

    return open_memory(url, converter=converter, erasure_key=erasure_key)


def _open_sqlite(
    url: str, *, converter: cattrs.Converter | None = None, erasure_key: bytes | None = None
) -> Store:
    from resilience.storage._sqlite import open_sqlite

    return open_sqlite(url, converter=converter, erasure_key=erasure_key)


def _open_postgres(
    url: str, *, converter: cattrs.Converter | None = None, erasure_key: bytes | None = None
) -> Store:
    from resilience.storage._postgres import open_postgres

    return open_postgres(url, converter=converter, erasure_key=erasure_key)


def builtin_backends() -> dict[str, BackendFactory]:
    """The built-in backends by scheme; each imports its module only when it opens a store.

    Example:
        >>> sorted(builtin_backends())
        ['memory', 'postgres', 'postgresql', 'sqlite']
    """
    return {
        "memory": _open_memory,
        "sqlite": _open_sqlite,
        "postgresql": _open_postgres,
        "postgres": _open_postgres,
    }


def open_store(
    url: str | os.PathLike[str],
    *,
    backends: Mapping[str, BackendFactory] | None = None,
    converter: cattrs.Converter | None = None,
    erasure_key: bytes | str | None = None,
) -> Store:
    """Open the store a URL names.

    Args:
        url: ``memory://``, ``sqlite:///path.db``, ``postgresql://…``, or a scheme a
            plugin registered. Anything without ``://`` is taken as the path of a SQLite
            file.
        backends: Factories by scheme (an engine passes those its plugins registered);
            defaults to :func:`builtin_backends`.
        converter: The converter records are written and read with.
        erasure_key: A secret kept outside the store; erasure receipts are then keyed with
            it, and only a store opened with the same key can tell whose they are. Defaults
            to ``$RESILIENCE_ERASURE_KEY`` (none when unset). It is passed to the backend
            factory as ``erasure_key=`` only when there is one.

    Raises:
        StoreURLError: the URL is empty or malformed (not text, a NUL character, no
            scheme before ``://``, a timeout that is not a finite number of seconds).
        UnknownBackendError: no backend for the URL's scheme (the message lists the known
            ones).
        StorageError: the backend could not open the store.

    Example:
        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with open_store(pathlib.Path(tmp) / "people.db") as store:  # a SQLite file
        ...         store.history("p-1")
        []
        >>> open_store("mongodb://db/app")
        Traceback (most recent call last):
        ...
        resilience.errors.UnknownBackendError: no storage backend for scheme 'mongodb'; known schemes: memory, postgres, postgresql, sqlite
    """  # noqa: E501
    known = builtin_backends() if backends is None else backends
    text = _check_url(url)
    if "://" not in text:
        text = f"sqlite:///{urllib.parse.quote(text, safe='/:')}"
    scheme = text.partition("://")[0]
    factory = known.get(scheme.lower())
    if factory is None:
        raise UnknownBackendError(scheme, known)
    key = normalise_key(erasure_key if erasure_key is not None else os.environ.get(ENV_ERASURE_KEY))
    if key is None:
        return factory(text, converter=converter)
    return factory(text, converter=converter, erasure_key=key)


# URL options that every built-in backend reads as a number of seconds.
_SECONDS = ("timeout", "connect_timeout")


def _check_url(url: object) -> str:
    """``url`` as text, or a :class:`StoreURLError` naming what is wrong with it.

    Only what holds for every scheme is checked here (the backend checks the rest): a URL
    is a non-empty string or path without NUL characters or lone surrogates, has a scheme
    when it has ``://``, and gives ``timeout``/``connect_timeout`` as a finite number of
    seconds, 0 or more.
    """
    if not isinstance(url, str | os.PathLike):
        raise StoreURLError(f"a store URL must be a string or a path, not {type(url).__name__}")
    try:
        text = os.fspath(url)
    except TypeError:  # a PathLike whose __fspath__ gives bytes or nothing
        raise StoreURLError("a store URL must be a string or a path") from None
    if not isinstance(text, str):
        raise StoreURLError(f"a store URL must be text, not {type(text).__name__}")
    if not text.strip():
        raise StoreURLError(
            "the store URL is empty; give one such as sqlite:///resilience.db or memory://"
        )
    if "\x00" in text:
        raise StoreURLError("the store URL holds a NUL character, which no path can contain")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise StoreURLError("the store URL holds a lone surrogate, which is not text") from None
    scheme, separator, _ = text.partition("://")
    if separator and not scheme:
        raise StoreURLError(f"the store URL {text!r} has no scheme before '://'")
    query = urllib.parse.urlsplit(text).query if separator else ""
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True):
        if name in _SECONDS:
            try:
                seconds = float(value)
            except ValueError:
                seconds = math.nan
            if not math.isfinite(seconds) or seconds < 0:
                raise StoreURLError(
                    f"the store URL option {name} must be a finite number of seconds, 0 or "
                    f"more, not {value!r}"
                )
    return text


def default_data_dir(
    environ: Mapping[str, str] | None = None, *, platform: str | None = None
) -> Path:
    """Where the library keeps a person's data by default (the directory is not created).

    ``$XDG_DATA_HOME/resilience`` when ``XDG_DATA_HOME`` is set to an absolute path;
    otherwise ``~/Library/Application Support/resilience`` on macOS,
    ``%LOCALAPPDATA%/resilience`` on Windows and ``~/.local/share/resilience`` elsewhere.

    Example:
        >>> default_data_dir({"XDG_DATA_HOME": "/data"}, platform="linux").as_posix()
        '/data/resilience'
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "resilience"
    home = Path(env.get("HOME") or Path.home())
    if system == "darwin":
        return home / "Library" / "Application Support" / "resilience"
    if system.startswith("win"):
        local = env.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "resilience"
    return home / ".local" / "share" / "resilience"


def default_store_url(environ: Mapping[str, str] | None = None) -> str:
    """The store the command line uses by default: ``$RESILIENCE_STORE``, else a SQLite file.

    The file is ``resilience.db`` in :func:`default_data_dir`; it (and its directory) is
    created, readable by its owner only, when the store is first opened.

    Example:
        >>> default_store_url({"RESILIENCE_STORE": "memory://"})
        'memory://'
        >>> default_store_url({"XDG_DATA_HOME": "/data", "HOME": "/home/x"})
        'sqlite:////data/resilience/resilience.db'
    """
    env = os.environ if environ is None else environ
    override = env.get(ENV_STORE, "").strip()
    if override:
        return override
    path = default_data_dir(env) / "resilience.db"
    return f"sqlite:///{urllib.parse.quote(path.as_posix(), safe='/:')}"


def __getattr__(name: str) -> Any:
    """Import a backend author's class on first use (PEP 562) and cache it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'resilience.storage' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
