"""Registers the built-in storage backends: ``memory``, ``sqlite``, ``postgresql``/``postgres``.

Registered through the same hook a third-party backend uses. Each factory imports its
backend module only when a store is opened, so psycopg is imported only by an engine
that opens a PostgreSQL store.

Example:
    >>> from resilience._plugins import build_registry
    >>> sorted(build_registry(load_installed=False).backends)
    ['memory', 'postgres', 'postgresql', 'sqlite']
"""

from __future__ import annotations

from resilience.hookspecs import RegisterBackend, hookimpl
from resilience.storage import builtin_backends

__all__ = ["resilience_register_storage_backends"]


@hookimpl(trylast=True)
def resilience_register_storage_backends(register: RegisterBackend) -> None:
    """Register the memory, SQLite and PostgreSQL backends.

    Example:
        >>> found = []
        >>> resilience_register_storage_backends(lambda scheme, factory: found.append(scheme))
        >>> found
        ['memory', 'sqlite', 'postgresql', 'postgres']
    """
    for scheme, factory in builtin_backends().items():
        register(scheme, factory)
