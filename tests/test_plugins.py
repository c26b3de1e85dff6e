"""Plugin loading: order, discovery of installed plugins, control, fault isolation, listing.

Installed plugins are real distributions as far as ``importlib.metadata`` is concerned: a
``*.dist-info`` directory with ``METADATA`` and ``entry_points.txt`` on ``sys.path``
(``make_distribution`` below). The end-to-end check with pip and a fresh virtual
environment is in ``test_plugin_discovery.py``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import resilience as rs
from resilience._plugins import DEFAULT_PLUGINS, PluginWarning, build_registry
from resilience.builtin.instruments.brs import BRS
from resilience.builtin.instruments.ucla3 import UCLA_3
from resilience.errors import DuplicateRegistrationError, PluginError
from resilience.testing import check_scoring_rule, engine_with

UTC = dt.timezone.utc
EXAMPLE_SRC = (
    Path(__file__).resolve().parent.parent
    / "examples"
    / "plugins"
    / "resilience-example-plugin"
    / "src"
    / "resilience_example_plugin"
    / "__init__.py"
)


def make_distribution(
    site: Path,
    name: str,
    version: str,
    entry_points: Mapping[str, str],
    modules: Mapping[str, str],
) -> None:
    """Write an installed distribution (dist-info + modules) into the directory ``site``."""
    for module, source in modules.items():
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[resilience]", *(f"{ep} = {value}" for ep, value in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


Install = Callable[..., None]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Install fake-but-real distributions for one test; forget their modules afterwards."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delenv("RESILIENCE_PLUGINS", raising=False)
    monkeypatch.delenv("RESILIENCE_DISABLE_PLUGINS", raising=False)
    names: list[str] = []

    def install(
        name: str,
        modules: Mapping[str, str],
        entry_points: Mapping[str, str],
        version: str = "1.0",
    ) -> None:
        names.extend(modules)
        make_distribution(site, name, version, entry_points, modules)
        importlib.invalidate_caches()

    yield install
    for module in names:
        sys.modules.pop(module, None)


GOOD_PLUGIN = """
    import resilience as rs
    from resilience.builtin.instruments.brs import BRS
    import attrs

    @rs.hookimpl
    def resilience_register_instruments(register):
        register(attrs.evolve(BRS, id="brs-installed"))
"""


def instrument(ident: str) -> rs.Instrument:
    return attrs.evolve(BRS, id=ident)


def registering(hook: str, *items: Any, replace: bool = False) -> object:
    """A plugin object whose ``hook`` registers ``items``."""

    def impl(register: Any) -> None:
        for item in items:
            register(item, replace=replace)

    impl.__name__ = hook
    namespace = {hook: staticmethod(rs.hookimpl(impl))}
    return type(f"Registers_{hook.removeprefix('resilience_register_')}", (), namespace)()


# -- order and listing ---------------------------------------------------------------------


def test_builtins_load_first_without_problems() -> None:
    engine = rs.Engine(load_installed=False)
    infos = engine.plugins()
    assert [info.name for info in infos] == list(DEFAULT_PLUGINS)
    assert all(info.builtin and info.distribution is None for info in infos)
    assert engine.plugin_problems == ()
    assert set(infos[0].registered["instruments"]) == {
        "connection-signs",
        "resilience-capacities",
        "ucla-3",
        "brs",
        "lsns-6",
        "djg-6",
        "mspss",
    }
    assert infos[0].hooks == ("resilience_register_instruments", "resilience_register_wording")


def test_passed_plugin_is_listed_after_builtins_with_what_it_registered() -> None:
    plugin = registering("resilience_register_instruments", instrument("mine"))
    engine = rs.Engine(plugins=[plugin], load_installed=False)
    info = engine.plugins()[-1]
    assert info.name.endswith("Registers_instruments")
    assert (info.builtin, info.distribution, info.version) == (False, None, None)
    assert info.hooks == ("resilience_register_instruments",)
    assert dict(info.registered) == {"instruments": ("mine",)}
    assert engine.score("mine", dict.fromkeys((i.id for i in BRS.items), 3)).total == 3.0


def test_each_engine_has_its_own_plugins() -> None:
    with_plugin = rs.Engine(
        plugins=[registering("resilience_register_instruments", instrument("only-here"))],
        load_installed=False,
    )
    without = rs.Engine(load_installed=False)
    assert "only-here" in with_plugin.instruments
    assert "only-here" not in without.instruments


def test_same_plugin_class_twice_gets_distinct_names() -> None:
    class Quiet:
        @rs.hookimpl
        def resilience_support_resources(self) -> None:
            return None

    engine = rs.Engine(plugins=[Quiet(), Quiet()], load_installed=False)
    names = [info.name for info in engine.plugins() if not info.builtin]
    assert len(names) == 2
    assert names[1] == names[0] + "#2"


def test_register_hooks_are_called_once_at_build_never_per_answer() -> None:
    calls: dict[str, int] = {}

    class Counting:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            calls["instruments"] = calls.get("instruments", 0) + 1
            register(instrument("counted"))

        @rs.hookimpl
        def resilience_register_scoring_rules(self, register: Any) -> None:
            calls["rules"] = calls.get("rules", 0) + 1

        @rs.hookimpl
        def resilience_configure_converter(self, converter: Any) -> None:
            calls["converter"] = calls.get("converter", 0) + 1

    engine = rs.Engine(plugins=[Counting()], load_installed=False)
    answers = dict.fromkeys((i.id for i in BRS.items), 4)
    assessment = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=UTC), {"counted": answers})
    for _ in range(50):
        engine.score("counted", answers)
        engine.profile(assessment)
    assert calls == {"instruments": 1, "rules": 1, "converter": 1}


# -- duplicates and replacement ------------------------------------------------------------


def test_duplicate_between_passed_plugins_is_an_error_naming_both() -> None:
    first = registering("resilience_register_instruments", instrument("same"))

    class Second:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(instrument("same"))

    with pytest.raises(DuplicateRegistrationError) as caught:
        rs.Engine(plugins=[first, Second()], load_installed=False)
    message = str(caught.value)
    assert "Registers_instruments" in message
    assert "Second" in message
    assert "'same'" in message
    assert "replace=True" in message
    assert isinstance(caught.value, PluginError)
    assert isinstance(caught.value, ValueError)


def test_registering_a_builtin_id_without_replace_names_the_builtin() -> None:
    plugin = registering("resilience_register_instruments", instrument("ucla-3"))
    with pytest.raises(DuplicateRegistrationError, match=r"resilience\.builtin\.instruments"):
        rs.Engine(plugins=[plugin], load_installed=False)


@pytest.mark.parametrize(
    ("hook", "value", "lookup"),
    [
        (
            "resilience_register_instruments",
            instrument("brs"),
            lambda e: e.instruments["brs"],
        ),
        (
            "resilience_register_scoring_rules",
            rs.ScoringRule("ucla-3", "9", "replaced", lambda a, s: []),
            lambda e: e.rules["ucla-3"],
        ),
    ],
)
def test_replace_true_takes_over_a_builtin(hook: str, value: Any, lookup: Any) -> None:
    engine = rs.Engine(plugins=[registering(hook, value, replace=True)], load_installed=False)
    assert lookup(engine) is value


def test_later_replacement_wins() -> None:
    first = registering("resilience_register_instruments", instrument("ucla-3"), replace=True)
    second_instrument = attrs.evolve(UCLA_3, name="Second")

    class Second:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(second_instrument, replace=True)

    engine = rs.Engine(plugins=[first, Second()], load_installed=False)
    assert engine.instruments["ucla-3"] is second_instrument


def test_wording_that_no_longer_fits_a_replaced_instrument_is_dropped() -> None:
    shorter = instrument("connection-signs")  # other items than the built-in checklist
    engine = rs.Engine(
        plugins=[registering("resilience_register_instruments", shorter, replace=True)],
        load_installed=False,
    )
    assert engine.plugin_problems == ()
    assert engine.instruments["connection-signs"] is shorter
    with pytest.raises(rs.WordingNotFoundError):
        engine.wording("connection-signs", "en")


# -- fault isolation -----------------------------------------------------------------------


def test_plugin_raising_in_register_hook_is_skipped_and_reported() -> None:
    class Broken:
        @rs.hookimpl
        def resilience_register_scoring_rules(self, register: Any) -> None:
            raise RuntimeError("rules are broken")

    with pytest.warns(PluginWarning, match="rules are broken"):
        engine = rs.Engine(plugins=[Broken()], load_installed=False)
    (problem,) = engine.plugin_problems
    assert problem.plugin.endswith("Broken")
    assert problem.stage == "resilience_register_scoring_rules"
    assert problem.error == "RuntimeError: rules are broken"
    assert problem.distribution is None
    assert all(not info.name.endswith("Broken") for info in engine.plugins())
    # Everything else keeps working.
    assert engine.score("ucla-3", {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}).total == 3.0


def test_plugin_raising_midway_is_not_half_registered() -> None:
    class Half:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(instrument("first-half"))
            raise RuntimeError("second half failed")

    with pytest.warns(PluginWarning, match="second half failed"):
        engine = rs.Engine(plugins=[Half()], load_installed=False)
    assert "first-half" not in engine.instruments


def test_plugin_failing_in_a_later_hook_keeps_nothing_from_earlier_hooks() -> None:
    class Later:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(instrument("from-a-good-hook"))

        @rs.hookimpl
        def resilience_register_plan_steps(self, register: Any) -> None:
            raise ValueError("bad steps")

    with pytest.warns(PluginWarning, match="bad steps"):
        engine = rs.Engine(plugins=[Later()], load_installed=False)
    assert "from-a-good-hook" not in engine.instruments


@pytest.mark.parametrize(
    ("hook", "item", "expected"),
    [
        ("resilience_register_instruments", "ucla-3", "registered str"),
        ("resilience_register_wording", BRS, "expected Wording"),
        ("resilience_register_scoring_rules", None, "expected ScoringRule"),
        ("resilience_register_plan_steps", 42, "expected StepTemplate"),
    ],
)
def test_registering_the_wrong_type_skips_the_plugin(hook: str, item: Any, expected: str) -> None:
    good = instrument("kept-out")

    class Wrong:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(good)
            if hook == "resilience_register_instruments":
                register(item)

    def impl(register: Any) -> None:
        register(item)

    if hook != "resilience_register_instruments":
        setattr(Wrong, hook, staticmethod(rs.hookimpl(impl)))
    with pytest.warns(PluginWarning, match=expected):
        engine = rs.Engine(plugins=[Wrong()], load_installed=False)
    assert "kept-out" not in engine.instruments
    (problem,) = engine.plugin_problems
    assert problem.stage == hook


def test_registering_one_id_twice_in_one_plugin_is_invalid() -> None:
    plugin = registering(
        "resilience_register_instruments", instrument("twice"), instrument("twice")
    )
    with pytest.warns(PluginWarning, match="registered instrument 'twice' twice"):
        engine = rs.Engine(plugins=[plugin], load_installed=False)
    assert "twice" not in engine.instruments


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        (rs.Wording("no-such-instrument", "en", {"a": "A"}), "which no plugin registers"),
        (rs.Wording("brs", "en", {"brs-1": "only one"}), "no text for item"),
        (
            rs.Wording("brs", "en", {**{f"brs-{n}": "t" for n in range(1, 7)}, "brs-9": "x"}),
            "unknown item",
        ),
        (
            rs.Wording("brs", "en", {f"brs-{n}": "t" for n in range(1, 7)}, {"nope": "N"}),
            "unknown response option",
        ),
    ],
)
def test_wording_that_does_not_fit_its_instrument_skips_the_plugin(
    wording: rs.Wording, expected: str
) -> None:
    plugin = registering("resilience_register_wording", wording)
    with pytest.warns(PluginWarning, match=expected):
        engine = rs.Engine(plugins=[plugin], load_installed=False)
    assert engine.plugin_problems[0].stage == "resilience_register_wording"


def test_wording_that_fits_is_served_with_locale_fallback() -> None:
    texts = {f"brs-{n}": f"text {n}" for n in range(1, 7)}
    wording = rs.Wording("brs", "de", texts, source="licensed")
    engine = rs.Engine(
        plugins=[registering("resilience_register_wording", wording)], load_installed=False
    )
    assert engine.wording("brs", "de-AT") is wording
    with pytest.raises(rs.WordingNotFoundError, match="registered locales: de"):
        engine.wording("brs", "fr")


@pytest.mark.parametrize(
    ("scheme", "factory", "expected"),
    [
        ("Not A Scheme", lambda url, **kw: None, "URL scheme"),
        ("acme", "not callable", "not callable"),
    ],
)
def test_invalid_storage_backend_skips_the_plugin(scheme: str, factory: Any, expected: str) -> None:
    class Backend:
        @rs.hookimpl
        def resilience_register_storage_backends(self, register: Any) -> None:
            register(scheme, factory)

    with pytest.warns(PluginWarning, match=expected):
        engine = rs.Engine(plugins=[Backend()], load_installed=False)
    assert engine.plugin_problems[0].stage == "resilience_register_storage_backends"


def test_valid_storage_backend_is_registered() -> None:
    class Backend:
        @rs.hookimpl
        def resilience_register_storage_backends(self, register: Any) -> None:
            register("acme+db", lambda url, **options: None)

    registry = build_registry([Backend()], load_installed=False)
    assert "acme+db" in registry.backends
    assert registry.plugins[-1].registered["backends"] == ("acme+db",)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("def resilience_register_instrument(self, register): pass", "unknown hook"),
        ("def register_instruments(self, register): pass", "unknown hook"),
        ("def resilience_register_instruments(self, register, extra): pass", "extra"),
    ],
)
def test_plugin_pluggy_rejects_or_with_unknown_hooks_is_skipped(body: str, expected: str) -> None:
    namespace: dict[str, Any] = {}
    exec(f"import resilience as rs\nclass Odd:\n    @rs.hookimpl\n    {body}", namespace)
    with pytest.warns(PluginWarning, match=expected):
        engine = rs.Engine(plugins=[namespace["Odd"]()], load_installed=False)
    (problem,) = engine.plugin_problems
    assert problem.stage == "register"
    assert engine.plugins()[-1].builtin


def test_optional_unknown_hooks_are_allowed() -> None:
    class Optional:
        @rs.hookimpl(optionalhook=True)
        def resilience_future_hook(self) -> None:
            pass

    engine = rs.Engine(plugins=[Optional()], load_installed=False)
    assert engine.plugin_problems == ()


def test_hook_wrappers_are_rejected() -> None:
    class Wrapper:
        @rs.hookimpl(wrapper=True)
        def resilience_register_instruments(self, register: Any) -> Iterator[None]:
            yield

    with pytest.warns(PluginWarning, match="wrappers are not supported"):
        rs.Engine(plugins=[Wrapper()], load_installed=False)


def test_register_called_after_its_hook_returned_is_refused() -> None:
    class Late:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            self.register = register

        @rs.hookimpl
        def resilience_configure_converter(self, converter: Any) -> None:
            self.register(instrument("too-late"))

    with pytest.warns(PluginWarning, match="called after the hook returned"):
        engine = rs.Engine(plugins=[Late()], load_installed=False)
    assert "too-late" not in engine.instruments


def test_plugin_raising_in_configure_converter_keeps_nothing() -> None:
    class BadConverter:
        @rs.hookimpl
        def resilience_register_instruments(self, register: Any) -> None:
            register(instrument("needs-converter"))

        @rs.hookimpl
        def resilience_configure_converter(self, converter: Any) -> None:
            raise TypeError("cannot configure")

    with pytest.warns(PluginWarning, match="resilience_configure_converter: TypeError"):
        engine = rs.Engine(plugins=[BadConverter()], load_installed=False)
    assert "needs-converter" not in engine.instruments


def test_configure_converter_hooks_reach_the_engines_converter() -> None:
    @attrs.frozen
    class Mood:
        level: int

    class MoodPlugin:
        @rs.hookimpl
        def resilience_configure_converter(self, converter: Any) -> None:
            converter.register_unstructure_hook(Mood, lambda mood: f"mood:{mood.level}")
            converter.register_structure_hook(Mood, lambda text, _: Mood(int(text[5:])))

    engine = rs.Engine(plugins=[MoodPlugin()], load_installed=False)
    assert engine.converter.unstructure(Mood(3)) == "mood:3"
    assert engine.converter.structure("mood:4", Mood) == Mood(4)
    assert rs.Engine(load_installed=False).converter.unstructure(Mood(3)) != "mood:3"


# -- support resources ---------------------------------------------------------------------


def _profile() -> rs.ResilienceProfile:
    return rs.ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=UTC), {}, {})


HELPLINE = rs.SupportResource("Listening line", "A trained volunteer", "0800 000", "helpline")
GROUP = rs.SupportResource("Walking group", "Weekly walks", "walks.example", "community")


def test_support_resources_combine_highest_priority_first_without_duplicates() -> None:
    class First:
        @rs.hookimpl
        def resilience_support_resources(self, locale: str) -> list[rs.SupportResource]:
            return [HELPLINE]

    class Second:
        @rs.hookimpl
        def resilience_support_resources(
            self, profile: rs.ResilienceProfile, locale: str
        ) -> list[rs.SupportResource]:
            return [GROUP, HELPLINE]

    engine = rs.Engine(plugins=[First(), Second()], load_installed=False)
    assert engine.support_resources(_profile()) == (GROUP, HELPLINE)


def test_support_resources_receive_profile_and_locale() -> None:
    seen: list[tuple[str, str]] = []

    class Recorder:
        @rs.hookimpl
        def resilience_support_resources(self, profile: rs.ResilienceProfile, locale: str) -> None:
            seen.append((profile.person_id, locale))

    engine = rs.Engine(plugins=[Recorder()], load_installed=False, locale="nl")
    engine.support_resources(_profile())
    engine.support_resources(_profile(), "de")
    assert seen == [("p", "nl"), ("p", "de")]


@pytest.mark.parametrize(
    ("result", "expected"),
    [(RuntimeError("offline"), "RuntimeError: offline"), ("a string", "expected SupportResource")],
)
def test_support_resources_failure_is_skipped_with_a_warning(result: Any, expected: str) -> None:
    class Failing:
        @rs.hookimpl
        def resilience_support_resources(self) -> Any:
            if isinstance(result, Exception):
                raise result
            return result

    class Good:
        @rs.hookimpl
        def resilience_support_resources(self) -> list[rs.SupportResource]:
            return [HELPLINE]

    engine = rs.Engine(plugins=[Good(), Failing()], load_installed=False)
    with pytest.warns(PluginWarning, match=expected):
        assert engine.support_resources(_profile()) == (HELPLINE,)


# -- installed plugins: discovery, control, faults -----------------------------------------


def test_installed_plugin_is_discovered_with_distribution_and_version(install: Install) -> None:
    install("acme-resilience", {"acme_good": GOOD_PLUGIN}, {"acme": "acme_good"}, "2.3.1")
    engine = rs.Engine()
    assert "brs-installed" in engine.instruments
    info = engine.plugins()[-1]
    assert (info.name, info.distribution, info.version) == ("acme", "acme-resilience", "2.3.1")
    assert dict(info.registered) == {"instruments": ("brs-installed",)}
    assert rs.Engine(load_installed=False).instruments.keys() == set(engine.instruments) - {
        "brs-installed"
    }


@pytest.mark.parametrize(
    ("allow", "disable", "loaded"),
    [
        (None, None, True),
        ("acme", None, True),
        ("Acme_Resilience", None, True),  # distribution names compare normalised
        ("other, acme-resilience", None, True),
        ("other", None, False),
        ("", None, False),  # an empty allow-list allows no installed plugin
        (None, "acme", False),
        (None, "ACME.resilience", False),
        ("acme", "acme", False),
        (None, "", True),
    ],
)
def test_environment_controls_which_installed_plugins_load(
    install: Install,
    monkeypatch: pytest.MonkeyPatch,
    allow: str | None,
    disable: str | None,
    loaded: bool,
) -> None:
    install("acme-resilience", {"acme_env": GOOD_PLUGIN}, {"acme": "acme_env"})
    if allow is not None:
        monkeypatch.setenv("RESILIENCE_PLUGINS", allow)
    if disable is not None:
        monkeypatch.setenv("RESILIENCE_DISABLE_PLUGINS", disable)
    assert ("brs-installed" in rs.Engine().instruments) is loaded
    # An explicit environ replaces os.environ.
    assert "brs-installed" in rs.Engine(environ={}).instruments


def test_load_installed_false_ignores_installed_plugins(install: Install) -> None:
    install("acme-resilience", {"acme_off": GOOD_PLUGIN}, {"acme": "acme_off"})
    assert "brs-installed" not in rs.Engine(load_installed=False).instruments
    assert "acme_off" not in sys.modules  # not even imported


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("raise ImportError('needs a missing library')", "ImportError: needs a missing library"),
        ("import sys\nsys.exit('refusing to load')", "SystemExit: refusing to load"),
        ("def broken(:\n", "SyntaxError"),
    ],
)
def test_installed_plugin_that_fails_to_import_is_reported(
    install: Install, source: str, expected: str
) -> None:
    install("acme-broken", {"acme_broken": source}, {"broken": "acme_broken"}, "0.9")
    install("acme-resilience", {"acme_fine": GOOD_PLUGIN}, {"fine": "acme_fine"})
    with pytest.warns(PluginWarning, match="broken") as caught:
        engine = rs.Engine()
    assert "acme-broken" in str(caught[0].message)
    (problem,) = engine.plugin_problems
    assert (problem.plugin, problem.distribution, problem.stage) == (
        "broken",
        "acme-broken",
        "import",
    )
    assert expected in problem.error
    assert "brs-installed" in engine.instruments
    assert "broken" not in [info.name for info in engine.plugins()]


def test_entry_point_naming_a_missing_attribute_is_reported(install: Install) -> None:
    install("acme-typo", {"acme_typo": GOOD_PLUGIN}, {"typo": "acme_typo:no_such_thing"})
    with pytest.warns(PluginWarning, match="AttributeError"):
        engine = rs.Engine()
    assert engine.plugin_problems[0].stage == "import"


def test_installed_plugin_raising_in_its_hook_is_reported(install: Install) -> None:
    source = """
        import resilience as rs

        @rs.hookimpl
        def resilience_register_scoring_rules(register):
            raise KeyError("missing setting")
    """
    install("acme-hook", {"acme_hook": source}, {"hooky": "acme_hook"}, "3.0")
    with pytest.warns(PluginWarning, match="acme-hook"):
        engine = rs.Engine()
    (problem,) = engine.plugin_problems
    assert problem == type(problem)(
        "hooky", "acme-hook", "resilience_register_scoring_rules", "KeyError: 'missing setting'"
    )


def test_installed_plugin_with_a_duplicate_id_is_skipped_not_fatal(install: Install) -> None:
    source = """
        import resilience as rs
        from resilience.builtin.instruments.ucla3 import UCLA_3

        @rs.hookimpl
        def resilience_register_instruments(register):
            register(UCLA_3)
    """
    install("acme-dup", {"acme_dup": source}, {"dup": "acme_dup"})
    with pytest.warns(PluginWarning, match="already registered by plugin"):
        engine = rs.Engine()
    (problem,) = engine.plugin_problems
    assert problem.stage == "duplicate"
    assert "DuplicateRegistrationError" in problem.error
    assert "'resilience.builtin.instruments'" in problem.error
    assert "'dup'" in problem.error
    assert engine.instruments["ucla-3"] is UCLA_3


def test_installed_plugin_can_replace_a_builtin_on_purpose(install: Install) -> None:
    source = """
        import attrs
        import resilience as rs
        from resilience.builtin.instruments.ucla3 import UCLA_3

        @rs.hookimpl
        def resilience_register_instruments(register):
            register(attrs.evolve(UCLA_3, name="UCLA-3 (site version)"), replace=True)
    """
    install("acme-replace", {"acme_replace": source}, {"replace": "acme_replace"})
    engine = rs.Engine()
    assert engine.instruments["ucla-3"].name == "UCLA-3 (site version)"


def test_installed_plugin_also_passed_explicitly_loads_once(install: Install) -> None:
    install("acme-resilience", {"acme_twice": GOOD_PLUGIN}, {"acme": "acme_twice"})
    module = importlib.import_module("acme_twice")
    engine = rs.Engine(plugins=[module])
    assert engine.plugin_problems == ()
    assert [info.name for info in engine.plugins() if not info.builtin] == ["acme_twice"]


# -- nothing on import ---------------------------------------------------------------------


def test_import_loads_no_entry_points_and_no_heavy_modules() -> None:
    code = textwrap.dedent(
        """
        import importlib.metadata, sys

        def refuse(*args, **kwargs):
            raise SystemExit("entry points were read on import")

        importlib.metadata.entry_points = refuse
        import resilience
        import resilience.cli, resilience._plugins, resilience.hookspecs
        heavy = {"numpy", "psycopg", "matplotlib", "hypothesis"} & set(sys.modules)
        assert not heavy, heavy
        resilience.Engine(load_installed=False)  # still no entry points
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


# -- the kit for plugin authors ------------------------------------------------------------


def _load_example() -> Any:
    spec = importlib.util.spec_from_file_location("resilience_example_plugin", EXAMPLE_SRC)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_engine_with_uses_only_the_given_plugins(install: Install) -> None:
    install("acme-resilience", {"acme_kit": GOOD_PLUGIN}, {"acme": "acme_kit"})
    example = _load_example()
    engine = engine_with(example)
    assert "weekly-connection" in engine.instruments
    assert "brs-installed" not in engine.instruments


def test_engine_with_raises_when_a_plugin_is_skipped() -> None:
    class Broken:
        @rs.hookimpl
        def resilience_register_wording(self, register: Any) -> None:
            raise RuntimeError("no texts")

    with pytest.raises(PluginError, match="no texts"):
        engine_with(Broken())
    with pytest.warns(PluginWarning, match="no texts"):
        engine = engine_with(Broken(), strict=False)
    assert len(engine.plugin_problems) == 1


def test_example_plugin_keeps_the_rule_contract() -> None:
    example = _load_example()
    check_scoring_rule(example.WEEKLY_CONNECTION_RULE, instruments=[example.WEEKLY_CONNECTION])
    engine = engine_with(example)
    assert (
        engine.score(
            "weekly-connection",
            {
                "talked-openly": 4,
                "met-in-person": 4,
                "could-ask-for-help": 1,
                "part-of-something": 3,
            },
        ).band
        == "some-connection"
    )


def test_builtin_rules_keep_the_rule_contract() -> None:
    for rule in rs.Engine(load_installed=False).rules.values():
        check_scoring_rule(rule, max_examples=25)


def _rule(function: Callable[..., Any], name: str = "bad") -> rs.ScoringRule:
    return rs.ScoringRule(name, "1", "a rule under test", function)


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (lambda a, s: 1 / len(a.answers), "raised on a valid assessment"),
        (lambda a, s: None, "expected an iterable"),
        (lambda a, s: ["not a contribution"], "not Contribution"),
        (
            lambda a, s: [rs.Contribution("someone-else", "1", rs.Pillar.BELONGING, 5.0, 1.0)],
            "signed 'someone-else'",
        ),
        (
            lambda a, s: (
                [rs.Contribution("bad", "1", rs.Pillar.BELONGING, float(len(s) > 1), 1.0)]
                if list(a.answers)[:1] != sorted(a.answers)[:1]
                else []
            ),
            "depends on the order",
        ),
    ],
)
def test_check_scoring_rule_catches_broken_rules(
    function: Callable[..., Any], expected: str
) -> None:
    with pytest.raises(AssertionError, match=expected):
        check_scoring_rule(_rule(function), max_examples=200)


def test_check_scoring_rule_catches_state_between_calls() -> None:
    seen: list[int] = []

    def stateful(assessment: rs.Assessment, scores: Any) -> list[rs.Contribution]:
        seen.append(1)
        value = 100.0 if len(seen) % 4 == 0 else 0.0
        return [rs.Contribution("bad", "1", rs.Capacity.RECOVER, value, 1.0)]

    with pytest.raises(AssertionError, match=r"deterministic|keeps state|order"):
        check_scoring_rule(_rule(stateful), max_examples=20)


def test_example_plugins_own_tests_pass() -> None:
    project = EXAMPLE_SRC.parent.parent.parent
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    env.pop("RESILIENCE_PLUGINS", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(project / "tests")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
