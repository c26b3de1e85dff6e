"""Start a real, throwaway PostgreSQL server for the test suite.

Used by the ``postgres_url`` fixture in ``conftest.py``; stdlib only, no psycopg.

* If ``RESILIENCE_TEST_POSTGRES_URL`` is set, that server is used as is.
* Otherwise the server binaries are searched for (``initdb`` in PATH, ``pg_config --bindir``,
  ``/usr/lib/postgresql/*/bin``), a cluster is created in a temporary directory with trust
  auth, started on 127.0.0.1 on a free port with its unix socket inside the temporary
  directory, a ``resilience_test`` database is created, and everything is removed again
  when the context manager exits.
* initdb and postgres refuse to run as root, so as root they run as the ``postgres`` OS
  user (created with ``useradd --system`` if missing) via ``runuser`` (or ``su``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

URL_ENV_VAR = "RESILIENCE_TEST_POSTGRES_URL"
DATABASE = "resilience_test"
SUPERUSER = "postgres"
OS_USER = "postgres"  # only used when the tests run as root
HOST = "127.0.0.1"
START_TIMEOUT = 60  # seconds, for pg_ctl start and the readiness wait
COMMAND_TIMEOUT = 120  # seconds, for initdb, createdb, pg_ctl stop
_REQUIRED = ("initdb", "pg_ctl", "postgres")

# Fast, non-durable settings: a crash only loses a throwaway test cluster.
_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "logging_collector": "off",
}


class PostgresUnavailable(Exception):
    """The server binaries are missing or the server could not be started."""


@dataclasses.dataclass(frozen=True)
class PostgresServer:
    """A running server: ``url`` to connect; the rest is ``None`` for an external server."""

    url: str
    bin_dir: Path | None = None
    data_dir: Path | None = None
    port: int | None = None

    def client(self, name: str) -> str | None:
        """Path of a client program (``psql``, ``createdb``...) matching the server."""
        return _client(self.bin_dir, name)

    def postmaster_pid(self) -> int | None:
        """PID of the postmaster from ``postmaster.pid`` (only for a server we started)."""
        if self.data_dir is None:
            return None
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        except OSError:
            return None
        return int(first_line) if first_line.strip().isdigit() else None


def _client(bin_dir: Path | None, name: str) -> str | None:
    if bin_dir is not None and os.access(bin_dir / name, os.X_OK):
        return str(bin_dir / name)
    return shutil.which(name)


def _version_key(path: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin/initdb -> (<version parts>)
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.parent.name))


def candidate_bin_dirs() -> list[Path]:
    """Directories that may hold the server binaries, most preferred first."""
    candidates: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb:
        # Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
        # so that pg_ctl and postgres come from the same installation as initdb.
        candidates.append(Path(os.path.realpath(initdb)).parent)
        candidates.append(Path(initdb).parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True
            ).stdout.strip()
            if out:
                candidates.append(Path(out))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version_key)
    candidates.extend(path.parent for path in reversed(debian))
    unique: list[Path] = []
    for candidate in candidates:
        if candidate not in unique:
            unique.append(candidate)
    return unique


def find_bin_dir() -> Path:
    """The first candidate directory holding ``initdb``, ``pg_ctl`` and ``postgres``."""
    searched = candidate_bin_dirs()
    for directory in searched:
        if all(os.access(directory / name, os.X_OK) for name in _REQUIRED):
            return directory
    where = ", ".join(str(d) for d in searched) or "nothing found"
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; searched initdb in "
        f"PATH, `pg_config --bindir` and /usr/lib/postgresql/*/bin ({where}). Install them "
        f"(Debian: apt-get install postgresql) or set {URL_ENV_VAR}."
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _client_env() -> dict[str, str]:
    # PG* variables of the developer's shell (PGHOST, PGDATABASE, PGSERVICE...) must not
    # redirect the commands below to another server.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["PGCONNECT_TIMEOUT"] = "10"
    return env


class _Runner:
    """Runs server commands, as the ``postgres`` OS user when we are root."""

    def __init__(self) -> None:
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        if self.as_root:
            _ensure_os_user()

    def wrap(self, argv: Sequence[str]) -> list[str]:
        if not self.as_root:
            return list(argv)
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", OS_USER, "--", *argv]
        su = shutil.which("su")
        if su:
            return [su, "-s", "/bin/sh", OS_USER, "-c", shlex.join(argv)]
        raise PostgresUnavailable("running as root but neither runuser nor su is available")

    def chown(self, path: Path) -> None:
        if self.as_root:
            shutil.chown(path, user=OS_USER, group=None)

    def run(
        self,
        argv: Sequence[str],
        cwd: Path,
        timeout: float,
        stdout: IO[str] | int | None = subprocess.PIPE,
    ) -> subprocess.CompletedProcess[str]:
        """Run a server command; stdout and stderr both go to ``stdout``."""
        return subprocess.run(
            self.wrap(argv),
            cwd=cwd,
            env=_client_env(),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )


def _ensure_os_user() -> None:
    if subprocess.run(["id", "-u", OS_USER], capture_output=True, check=False).returncode == 0:
        return
    useradd = shutil.which("useradd")
    if useradd is None:
        raise PostgresUnavailable(f"running as root, no {OS_USER!r} OS user and no useradd")
    result = subprocess.run(
        [useradd, "--system", "--user-group", "--no-create-home", OS_USER],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"could not create OS user {OS_USER!r}: {result.stderr}")


def _make_temp_dir(runner: _Runner) -> Path:
    # As root, the postgres user must be able to reach the directory: TMPDIR may point
    # into a private home, so fall back to /tmp when needed.
    bases = [None, "/tmp"] if runner.as_root else [None]
    for base in bases:
        path = Path(tempfile.mkdtemp(prefix="resilience-pg-", dir=base))
        runner.chown(path)
        check = runner.run(["test", "-w", str(path)], cwd=Path("/"), timeout=30)
        if check.returncode == 0:
            return path
        shutil.rmtree(path, ignore_errors=True)
    raise PostgresUnavailable(f"no temporary directory is writable by OS user {OS_USER!r}")


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _check(result: subprocess.CompletedProcess[str], what: str, log: Path | None = None) -> None:
    if result.returncode != 0:
        detail = (result.stdout or "") + (result.stderr or "")
        if log is not None:
            detail += f"\n--- {log} ---\n{_tail(log)}"
        raise PostgresUnavailable(f"{what} failed (exit {result.returncode}):\n{detail.strip()}")


def _start(runner: _Runner, bin_dir: Path, tmp: Path, data: Path, port: int) -> Path:
    """Configure and start the server on ``port``; returns the log file."""
    sock_dir = tmp / "sock"
    if len(str(sock_dir / f".s.PGSQL.{port}")) > 100:
        raise PostgresUnavailable(f"temporary directory path too long for a unix socket: {tmp}")
    sock_dir.mkdir(mode=0o700, exist_ok=True)
    runner.chown(sock_dir)
    settings = {**_SETTINGS, "port": str(port), "unix_socket_directories": f"'{sock_dir}'"}
    conf = data / "postgresql.conf"
    base = conf.with_suffix(".conf.orig")
    if not base.exists():
        shutil.copyfile(conf, base)
    # Rewritten from the original on each attempt (a retry uses another port).
    conf.write_text(
        base.read_text()
        + "\n# resilience test suite\n"
        + "".join(f"{key} = {value}\n" for key, value in settings.items())
    )
    runner.chown(conf)
    log = tmp / "postgres.log"
    # pg_ctl's output goes to a file, not a pipe: the server it forks must not hold our pipe.
    ctl_out = tmp / "pg_ctl.out"
    start = [str(bin_dir / "pg_ctl"), "start", "-w", "-t", str(START_TIMEOUT)]
    with ctl_out.open("w") as out:
        result = runner.run(
            [*start, "-D", str(data), "-l", str(log)],
            cwd=tmp,
            timeout=START_TIMEOUT + 30,
            stdout=out,
        )
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"pg_ctl start failed (exit {result.returncode}):\n{ctl_out.read_text().strip()}"
            f"\n--- {log} ---\n{_tail(log)}"
        )
    return log


def _wait_ready(bin_dir: Path, port: int, log: Path) -> None:
    pg_isready = bin_dir / "pg_isready"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if pg_isready.is_file():
            argv = [str(pg_isready), "-h", HOST, "-p", str(port), "-U", SUPERUSER, "-q"]
            ready = subprocess.run(argv, env=_client_env(), timeout=30, check=False)
            if ready.returncode == 0:
                return
        else:
            with socket.socket() as sock, contextlib.suppress(OSError):
                sock.settimeout(1)
                sock.connect((HOST, port))
                return
        if time.monotonic() > deadline:
            raise PostgresUnavailable(
                f"server on {HOST}:{port} did not accept connections within "
                f"{START_TIMEOUT}s\n--- {log} ---\n{_tail(log)}"
            )
        time.sleep(0.1)


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Yield a running server (see the module docstring); raises `PostgresUnavailable`."""
    external = os.environ.get(URL_ENV_VAR)
    if external:
        yield PostgresServer(url=external)
        return

    bin_dir = find_bin_dir()
    runner = _Runner()
    tmp = _make_temp_dir(runner)
    data = tmp / "data"
    try:
        initdb = [
            str(bin_dir / "initdb"),
            *("-D", str(data), "-U", SUPERUSER, "-A", "trust"),
            *("-E", "UTF8", "--locale=C", "--no-sync"),
        ]
        _check(runner.run(initdb, cwd=tmp, timeout=COMMAND_TIMEOUT), "initdb")

        # The free port can be taken by someone else before the server binds it: retry.
        for attempt in range(3):
            port = free_port()
            try:
                log = _start(runner, bin_dir, tmp, data, port)
                break
            except PostgresUnavailable:
                if attempt == 2:
                    raise
        _wait_ready(bin_dir, port, log)

        createdb = _client(bin_dir, "createdb")
        if createdb is None:
            raise PostgresUnavailable(f"createdb not found in {bin_dir} nor in PATH")
        result = subprocess.run(
            [createdb, "-h", HOST, "-p", str(port), "-U", SUPERUSER, DATABASE],
            capture_output=True,
            text=True,
            env=_client_env(),
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        _check(result, f"createdb {DATABASE}", log)

        yield PostgresServer(
            url=f"postgresql://{SUPERUSER}@{HOST}:{port}/{DATABASE}",
            bin_dir=bin_dir,
            data_dir=data,
            port=port,
        )
    finally:
        if (data / "postmaster.pid").exists():
            runner.run(
                [str(bin_dir / "pg_ctl"), "stop", "-m", "immediate", "-w", "-D", str(data)],
                cwd=tmp,
                timeout=COMMAND_TIMEOUT,
            )
        shutil.rmtree(tmp, ignore_errors=True)
