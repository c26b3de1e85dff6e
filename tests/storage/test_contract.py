"""The storage contract suite, run against every built-in backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from resilience.storage import Store, open_store
from resilience.testing.storage import StoreContract


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[Store]:
        with open_store("memory://") as store:
            yield store


class TestSQLiteFileStore(StoreContract):
    @pytest.fixture
    def store(self, sqlite_url: Callable[[str], str]) -> Iterator[Store]:
        with open_store(sqlite_url("contract.db")) as store:
            yield store


class TestSQLiteMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[Store]:
        with open_store("sqlite:///:memory:") as store:
            yield store


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, pg_url: str) -> Iterator[Store]:
        with open_store(pg_url) as store:
            yield store
