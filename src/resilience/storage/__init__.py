"""Storage: the Store protocol and open_store (being built by the storage work)."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["Store", "open_store"]


class Store(Protocol):
    """An append-only record store."""

    def close(self) -> None:
        """Close the store."""


def open_store(url: str, **kwargs: Any) -> Store:
    """Open a store by URL."""
    raise NotImplementedError("storage is being built")
