"""The ``postgres_url`` fixture starts a real, separate PostgreSQL server."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from postgres_server import PostgresServer


def _psql(server: PostgresServer, sql: str) -> str:
    psql = server.client("psql")
    if psql is None:
        pytest.fail("psql not found next to the server binaries nor in PATH")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    result = subprocess.run(
        [psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", server.url, "-c", sql],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.postgres
def test_server_answers_and_is_a_separate_process(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    url = urlsplit(postgres_url)
    assert url.scheme == "postgresql"
    assert url.hostname is not None
    assert url.port is not None

    assert _psql(postgres_server, "select 1") == "1"
    server_port, database = _psql(
        postgres_server, "select current_setting('port'), current_database()"
    ).split("|")
    assert int(server_port) == url.port
    assert database == url.path.lstrip("/")

    # Something is listening on the port, in another process.
    with socket.create_connection((url.hostname, url.port), timeout=5):
        pass
    backend_pid = int(_psql(postgres_server, "select pg_backend_pid()"))
    assert backend_pid != os.getpid()

    if postgres_server.data_dir is None:  # external server from RESILIENCE_TEST_POSTGRES_URL
        return
    # It is the server we started: same data directory, and its postmaster is alive.
    assert Path(_psql(postgres_server, "show data_directory")) == postgres_server.data_dir
    pid = postgres_server.postmaster_pid()
    assert pid is not None
    assert pid != os.getpid()
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        assert b"postgres" in cmdline.read_bytes()
    else:
        os.kill(pid, 0)  # raises if no such process
