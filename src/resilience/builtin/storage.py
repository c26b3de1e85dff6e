"""Registers the built-in storage backends (filled in by the storage work)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resilience.hookspecs import hookimpl

__all__: list[str] = []


@hookimpl(trylast=True)
def resilience_register_storage_backends(register: Callable[..., Any]) -> None:
    """Register the memory, SQLite and PostgreSQL backends."""
