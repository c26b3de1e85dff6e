"""Fixtures for the storage tests: a fresh store per backend, a private PostgreSQL schema."""

from __future__ import annotations

import itertools
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_schemas = itertools.count()


def with_schema(url: str, schema: str) -> str:
    """``url`` with libpq's ``options`` set so that the tables live in ``schema``."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query)
    query.append(("options", f"-csearch_path={schema}"))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@pytest.fixture
def pg_url(postgres_url: str) -> Iterator[str]:
    """A URL whose tables live in a new, empty schema of their own (dropped afterwards)."""
    import psycopg

    schema = f"test_{next(_schemas)}_{id(object()) % 100_000}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield with_schema(postgres_url, schema)
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Callable[[str], str]:
    """``sqlite_url("name.db")``: the URL of a file in the test's temporary directory."""

    def make(name: str = "store.db") -> str:
        return f"sqlite:///{tmp_path / name}"

    return make
