"""The in-memory store: the same contract as the others, gone when the process ends.

Useful for tests, notebooks and the engine's default. Each ``open_store("memory://")``
is a new, empty store; it is safe to share between threads.

Example:
    >>> import datetime as dt, resilience as rs
    >>> with MemoryStore() as store:
    ...     record_id = store.append(rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE),
    ...                              person_id="p-1")
    ...     len(record_id), store.forget("p-1"), store.erasures()[0].counts["check-in"]
    (64, 1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import cattrs

from resilience.errors import StorageError
from resilience.storage._base import RowStore, Seal
from resilience.storage._erasure import ErasureRow
from resilience.storage._records import Row

__all__ = ["MemoryStore", "open_memory"]


class MemoryStore(RowStore):
    """A store that keeps rows in a dictionary per person, and erasure receipts in a list.

    Args:
        converter: The converter records are written and read with.
        erasure_key: The secret erasure receipts are keyed with (see
            :class:`~resilience.storage._base.RowStore`).

    Example:
        >>> MemoryStore().history("p-1")
        []
    """

    def __init__(
        self,
        *,
        converter: cattrs.Converter | None = None,
        erasure_key: bytes | str | None = None,
    ) -> None:
        super().__init__(converter=converter, erasure_key=erasure_key)
        self._erasures: list[ErasureRow] = []
        self._meta: dict[str, str] = {}
        self._ids: set[str] = set()
        # Per person, rows with their insertion number, in insertion order.
        self._people: dict[str, list[tuple[int, Row]]] = {}
        self._seq = 0

    def _insert(self, rows: Iterable[Row]) -> int:
        # Read every row first: if the rows' source fails part way, nothing is stored.
        batch = list(rows)
        added = 0
        for row in batch:
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

    def _people_before(self, before_us: int) -> list[str]:
        return [
            person
            for person, entries in self._people.items()
            if any(row.time_us < before_us for _, row in entries)
        ]

    def _erase(self, person_id: str | None, before_us: int | None, seal: Seal) -> list[ErasureRow]:
        people = list(self._people) if person_id is None else [person_id]
        # Work out everything first and change nothing until every receipt is sealed, so
        # a failure leaves the store as it was: the same all-or-nothing as a transaction.
        kept: dict[str, list[tuple[int, Row]]] = {}
        gone: list[str] = []
        receipts: list[ErasureRow] = []
        for person in people:
            entries = self._people.get(person, [])
            if before_us is None:
                removed, remaining = entries, []
            else:
                removed = [entry for entry in entries if entry[1].time_us < before_us]
                remaining = [entry for entry in entries if entry[1].time_us >= before_us]
            if not removed and person_id is None:
                continue
            receipts.append(seal(person, Counter(row.kind for _, row in removed)))
            kept[person] = remaining
            gone.extend(row.id for _, row in removed)
        for person, remaining in kept.items():
            if remaining:
                self._people[person] = remaining
            else:
                self._people.pop(person, None)
        self._ids.difference_update(gone)
        self._erasures.extend(receipts)
        return receipts

    def _receipts(self) -> Sequence[ErasureRow]:
        return list(self._erasures)

    def _metadata(self, name: str) -> str | None:
        return self._meta.get(name)

    def _claim_metadata(self, name: str, value: str) -> str:
        return self._meta.setdefault(name, value)

    def _close(self) -> None:
        self._people.clear()
        self._ids.clear()
        self._erasures.clear()
        self._meta.clear()


def open_memory(
    url: str,
    *,
    converter: cattrs.Converter | None = None,
    erasure_key: bytes | str | None = None,
) -> MemoryStore:
    """The backend factory for ``memory://`` URLs.

    Raises:
        StorageError: the URL is not exactly ``memory://``.

    Example:
        >>> open_memory("memory://").history("p-1")
        []
    """
    if url.rstrip("/").lower() != "memory:":
        raise StorageError(f"a memory store URL is just 'memory://', not {url!r}")
    return MemoryStore(converter=converter, erasure_key=erasure_key)
