"""open_store, the default store URL, the engine's store and backend plugins."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import resilience as rs
from resilience.errors import UnknownBackendError
from resilience.storage import (
    Store,
    default_data_dir,
    default_store_url,
    open_store,
)
from resilience.storage._memory import MemoryStore
from resilience.storage._sqlite import SQLiteStore, parse_sqlite_url


def test_default_store_is_a_sqlite_file_in_the_xdg_data_directory() -> None:
    env = {"XDG_DATA_HOME": "/srv/data", "HOME": "/home/ada"}
    assert default_store_url(env) == "sqlite:////srv/data/resilience/resilience.db"


def test_default_store_falls_back_to_local_share() -> None:
    url = default_store_url({"HOME": "/home/ada"}) if sys.platform == "linux" else None
    if url is not None:
        assert url == "sqlite:////home/ada/.local/share/resilience/resilience.db"
    relative = default_data_dir(
        {"XDG_DATA_HOME": "relative/ignored", "HOME": "/h"}, platform="linux"
    )
    assert relative.as_posix() == "/h/.local/share/resilience"


def test_platform_directories() -> None:
    mac = default_data_dir({"HOME": "/Users/ada"}, platform="darwin")
    assert mac.as_posix() == "/Users/ada/Library/Application Support/resilience"
    win = default_data_dir({"LOCALAPPDATA": "/c/Users/ada/AppData/Local"}, platform="win32")
    assert win.as_posix() == "/c/Users/ada/AppData/Local/resilience"


def test_a_url_with_spaces_round_trips_through_the_sqlite_parser() -> None:
    url = default_store_url({"XDG_DATA_HOME": "/My Data/100%", "HOME": "/h"})
    assert " " not in url
    assert parse_sqlite_url(url)[0] == "/My Data/100%/resilience/resilience.db"


def test_resilience_store_overrides_the_default() -> None:
    env = {"RESILIENCE_STORE": "postgresql://db/app", "XDG_DATA_HOME": "/srv"}
    assert default_store_url(env) == "postgresql://db/app"
    assert default_store_url({"RESILIENCE_STORE": "  ", "XDG_DATA_HOME": "/srv"}).startswith(
        "sqlite:///"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_opening_the_default_store_creates_a_private_directory(tmp_path: Path) -> None:
    url = default_store_url({"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)})
    with open_store(url) as store:
        store.append(rs.CheckIn("s", dt.date(2026, 1, 1), rs.Outcome.DONE), person_id="p")
    directory = tmp_path / "xdg" / "resilience"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE((directory / "resilience.db").stat().st_mode) == 0o600


def test_open_store_picks_the_backend_by_scheme(tmp_path: Path) -> None:
    with open_store("memory://") as memory:
        assert isinstance(memory, MemoryStore)
    with open_store(f"SQLITE:///{tmp_path / 'x.db'}") as sqlite:
        assert isinstance(sqlite, SQLiteStore)
    with pytest.raises(UnknownBackendError, match="known schemes: memory, postgres"):
        open_store("redis://localhost")
    with pytest.raises(rs.StorageError, match="just 'memory://'"):
        open_store("memory://somewhere")


def test_the_engine_opens_its_store_by_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'engine.db'}"
    assessment = rs.Assessment(
        "p-1",
        dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}},
    )
    with rs.Engine(store=url, load_installed=False) as engine:
        profile = engine.profile(assessment)
        engine.store.append(assessment)
        engine.store.append(profile)
    with rs.Engine(store=url, load_installed=False) as engine:
        latest = engine.store.latest("p-1", "profile")
        assert latest is not None
        assert latest.record == profile


def test_an_unknown_scheme_in_the_engine_lists_plugin_backends() -> None:
    class Fake:
        @rs.hookimpl
        def resilience_register_storage_backends(self, register: Any) -> None:
            register("fake", lambda url, converter=None: MemoryStore(converter=converter))

    engine = rs.Engine(store="fake://anything", plugins=[Fake()], load_installed=False)
    assert isinstance(engine.store, MemoryStore)
    assert engine.store.converter is engine.converter
    broken = rs.Engine(store="nope://x", plugins=[Fake()], load_installed=False)
    with pytest.raises(UnknownBackendError, match="fake, memory, postgres, postgresql, sqlite"):
        _ = broken.store


def test_every_backend_satisfies_the_protocol(tmp_path: Path) -> None:
    for url in ("memory://", f"sqlite:///{tmp_path / 'p.db'}"):
        with open_store(url) as store:
            assert isinstance(store, Store)


def test_importing_resilience_opens_nothing_and_skips_drivers(tmp_path: Path) -> None:
    code = (
        "import sys, resilience as rs\n"
        "rs.Engine(load_installed=False).store.history('p')\n"
        "print(sorted(m for m in ('psycopg', 'sqlite3', 'resilience.storage._postgres')"
        " if m in sys.modules))\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []
