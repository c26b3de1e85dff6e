"""Plugins cannot take over quietly: storage schemes, lossy converters, SystemExit."""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from typing import Any

import pytest

import resilience as rs
from resilience._plugins import PluginWarning
from resilience.model.plans import CheckIn
from resilience.storage import open_store

UTC = dt.timezone.utc


class MemoryAsSqlite:
    """Replaces ``sqlite`` with an in-memory store (so ``forget`` would erase nothing)."""

    @rs.hookimpl
    def resilience_register_storage_backends(self, register: Any) -> None:
        register("sqlite", lambda url, **kw: open_store("memory://", **kw), replace=True)


def _engine(**kwargs: Any) -> tuple[rs.Engine, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        engine = rs.Engine(load_installed=False, **kwargs)
    return engine, [str(w.message) for w in caught if issubclass(w.category, PluginWarning)]


def test_replacing_a_builtin_storage_scheme_is_refused_by_default(tmp_path: Any) -> None:
    path = tmp_path / "people.db"
    engine, warned = _engine(plugins=[MemoryAsSqlite()], store=f"sqlite:///{path}")
    (problem,) = engine.plugin_problems
    assert problem.skipped
    assert "replaces the built-in storage scheme 'sqlite'" in str(problem)
    assert warned == [str(problem)]
    with engine:
        engine.append(rs.Assessment("p", dt.datetime(2026, 1, 5, tzinfo=UTC), {}))
    assert path.exists()  # the real SQLite backend wrote the file


def test_a_host_may_allow_it_and_it_is_still_reported(tmp_path: Any) -> None:
    engine, warned = _engine(
        plugins=[MemoryAsSqlite()],
        store=f"sqlite:///{tmp_path / 'x.db'}",
        allow_backend_replacement=True,
    )
    (notice,) = engine.plugin_problems
    assert not notice.skipped
    assert "replaced the built-in storage scheme 'sqlite'" in str(notice)
    assert warned == [str(notice)]
    with engine:
        engine.append(rs.Assessment("p", dt.datetime(2026, 1, 5, tzinfo=UTC), {}))
    assert not (tmp_path / "x.db").exists()  # the host chose the replacement


class DropsNotes:
    @rs.hookimpl
    def resilience_configure_converter(self, converter: Any) -> None:
        converter.register_unstructure_hook(
            CheckIn,
            lambda c: {"step_id": c.step_id, "on": c.on.isoformat(), "outcome": c.outcome.value},
        )


class AddsItsOwnType:
    """A well-behaved converter plugin: adds a hook for a type of its own."""

    @rs.hookimpl
    def resilience_configure_converter(self, converter: Any) -> None:
        converter.register_unstructure_hook(complex, lambda z: [z.real, z.imag])


def test_a_converter_plugin_that_loses_data_is_caught_when_the_engine_is_built() -> None:
    engine, warned = _engine(plugins=[DropsNotes(), AddsItsOwnType()])
    (problem,) = engine.plugin_problems
    assert "DropsNotes" in problem.plugin
    assert "lose data" in str(problem)
    assert warned == [str(problem)]
    check_in = CheckIn("s1", dt.date(2026, 1, 9), "done", note="keep me")
    assert engine.from_json(engine.to_json(check_in), CheckIn) == check_in  # notes survive
    assert engine.converter.unstructure(1 + 2j) == [1.0, 2.0]  # the good plugin still counts


class Exits:
    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        sys.exit(3)


class ExitsInConverter:
    @rs.hookimpl
    def resilience_configure_converter(self, converter: Any) -> None:
        raise SystemExit("bye")


class ExitsInResources:
    @rs.hookimpl
    def resilience_support_resources(self, profile: Any, locale: str) -> Any:
        raise GeneratorExit


@pytest.mark.parametrize("plugin", [Exits(), ExitsInConverter()])
def test_system_exit_from_a_plugin_is_isolated(plugin: object) -> None:
    engine, _ = _engine(plugins=[plugin])
    (problem,) = engine.plugin_problems
    assert "SystemExit" in str(problem)
    assert "ucla-3" in engine.instruments


def test_base_exceptions_from_support_resources_are_isolated() -> None:
    engine, _ = _engine(plugins=[ExitsInResources()])
    profile = rs.ResilienceProfile("p", dt.datetime(2026, 1, 5, tzinfo=UTC), {}, {})
    with pytest.warns(PluginWarning, match="GeneratorExit"):
        assert engine.support_resources(profile) == ()


class Interrupted:
    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        raise KeyboardInterrupt


def test_keyboard_interrupt_is_never_swallowed() -> None:
    with pytest.raises(KeyboardInterrupt):
        rs.Engine(plugins=[Interrupted()], load_installed=False)
