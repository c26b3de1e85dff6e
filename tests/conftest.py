"""Shared pytest fixtures.

PostgreSQL: ``postgres_url`` (session scope) is a ``postgresql://`` URL to a real, throwaway
server started by ``tests/postgres_server.py`` (or ``$RESILIENCE_TEST_POSTGRES_URL`` if set).
Tests marked ``@pytest.mark.postgres`` get it started automatically; tests that request
``postgres_url`` get the marker automatically, so ``-m "not postgres"`` deselects them.
Without server binaries these tests are skipped, except under CI=true where they fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from postgres_server import PostgresServer, PostgresUnavailable, running_server

# The machines that run this suite are small and shared: time-based checks (a per-example
# deadline, "input generation is slow") fail there at random without any bug. Every other
# health check, and every property, stays on.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The running throwaway server (URL, bin dir, data dir, port)."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(running_server())
        except PostgresUnavailable as exc:
            problem = str(exc)
        else:
            yield server
            return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {problem}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {problem}")


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """``postgresql://`` URL of the throwaway server's ``resilience_test`` database."""
    return postgres_server.url


@pytest.fixture(autouse=True)
def _postgres_marker(request: pytest.FixtureRequest) -> None:
    # @pytest.mark.postgres alone is enough to get the server started.
    if request.node.get_closest_marker("postgres") is not None:
        request.getfixturevalue("postgres_url")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test using the server as ``postgres`` (before -m deselection)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if (
            "postgres_url" in fixtures or "postgres_server" in fixtures
        ) and not item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.postgres)


# Other fixtures may be added below by others.
