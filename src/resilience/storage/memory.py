"""The in-memory store: the same contract as the others, gone when the process ends.

Useful for tests, notebooks and the engine's default. Each ``open_store("memory://")``
is a new, empty store; it is safe to share between threads.

Example:
    >>> import datetime as dt, resilience as rs
    >>> with MemoryStore() as store:
    ...     record_id = store.append(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
    ...                              person_id="p-1")
    ...     len(record_id), store.forget("p-1")
    (64, 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import cattrs

from resilience.errors import StorageError
from resilience.storage.base import RowStore
from resilience.storage.records import Row

__all__ = ["MemoryStore", "open_memory"]


class MemoryStore(RowStore):
    """A store that keeps rows in a dictionary per person.

    Args:
        converter: The converter records are written and read with.

    Example:
        >>> MemoryStore().history("p-1")
        []
    """

    def __init__(self, *, converter: cattrs.Converter | None = None) -> None:
        super().__init__(converter=converter)
        self._ids: set[str] = set()
        # Per person, rows with their insertion number, in insertion order.
        self._people: dict[str, list[tuple[int, Row]]] = {}
        self._seq = 0

    def _insert(self, rows: Sequence[Row]) -> int:
        added = 0
        for row in rows:
            if row.id in self._ids:
                continue
            self._ids.add(row.id)
            self._seq += 1
            self._people.setdefault(row.person_id, []).append((self._seq, row))
            added += 1
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
        entries = [
            (seq, row)
            for seq, row in self._people.get(person_id, ())
            if (kind is None or row.kind == kind)
            and (since_us is None or row.time_us >= since_us)
            and (until_us is None or row.time_us < until_us)
        ]
        if not oldest_first:
            entries.sort(key=lambda entry: (entry[1].time_us, entry[0]), reverse=True)
        rows = [row for _, row in entries]
        return rows if limit is None else rows[:limit]

    def _delete(self, person_id: str) -> int:
        removed = self._people.pop(person_id, [])
        self._ids.difference_update(row.id for _, row in removed)
        return len(removed)

    def _close(self) -> None:
        self._people.clear()
        self._ids.clear()


def open_memory(url: str, *, converter: cattrs.Converter | None = None) -> MemoryStore:
    """The backend factory for ``memory://`` URLs.

    Raises:
        StorageError: the URL is not exactly ``memory://``.

    Example:
        >>> open_memory("memory://").history("p-1")
        []
    """
    if url.rstrip("/").lower() != "memory:":
        raise StorageError(f"a memory store URL is just 'memory://', not {url!r}")
    return MemoryStore(converter=converter)
