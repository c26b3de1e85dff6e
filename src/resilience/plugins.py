"""Builds an engine's plugin manager and collects what plugins register, isolating faults.

Order: the built-in plugins (:data:`DEFAULT_PLUGINS`, marked ``trylast``) are registered
first, then plugins passed to the engine, then installed distributions that declare an
entry point in the ``resilience`` group. A plugin that fails to import, fails pluggy's
validation, implements an unknown hook, raises inside a register hook or registers
something invalid is skipped and reported as a :class:`PluginProblem`; everything else
keeps working. A duplicate id is an error naming both plugins, unless the second is
registered with ``replace=True``.

Which installed plugins load is controlled by ``load_installed`` and the environment
variables ``RESILIENCE_PLUGINS`` (a comma-separated allow-list of entry-point or
distribution names) and ``RESILIENCE_DISABLE_PLUGINS`` (a block-list).

Example:
    >>> from resilience.plugins import build_registry
    >>> registry = build_registry(load_installed=False)
    >>> "ucla-3" in registry.instruments
    True
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import Any

import attrs
import pluggy

from resilience import hookspecs
from resilience.errors import DuplicateRegistrationError, PluginError
from resilience.model._frozen import FrozenDict, to_frozen_map
from resilience.model.instruments import Instrument, Wording
from resilience.model.plans import StepTemplate
from resilience.model.profile import ScoringRule

__all__ = [
    "DEFAULT_PLUGINS",
    "PluginInfo",
    "PluginProblem",
    "PluginWarning",
    "Registry",
    "build_plugin_manager",
    "build_registry",
    "collect",
]

#: Modules of the built-in plugins, registered exactly like third-party plugins.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "resilience.builtin.instruments",
    "resilience.builtin.rules",
    "resilience.builtin.steps",
    "resilience.builtin.storage",
)

ENV_ALLOW = "RESILIENCE_PLUGINS"
ENV_DISABLE = "RESILIENCE_DISABLE_PLUGINS"


class PluginWarning(UserWarning):
    """Warned when a plugin is skipped because of a fault (see ``Engine.plugin_problems``)."""


@attrs.frozen
class PluginProblem:
    """A plugin that was skipped, and why.

    Attributes:
        plugin: The plugin's name (its entry-point name, or module/class name).
        distribution: The distribution it was installed by, if any.
        stage: Where it failed: ``import``, ``validate``, ``hook:<hook name>``.
        error: The error, as text.

    Example:
        >>> PluginProblem("broken", "broken-dist", "import", "ModuleNotFoundError: x").stage
        'import'
    """

    plugin: str
    distribution: str | None
    stage: str
    error: str

    def __str__(self) -> str:
        dist = f" (distribution {self.distribution})" if self.distribution else ""
        return f"plugin {self.plugin!r}{dist} skipped at {self.stage}: {self.error}"


@attrs.frozen
class PluginInfo:
    """One loaded plugin, where it came from and what it registered.

    Attributes:
        name: The plugin's name.
        distribution: The distribution that installed it, or ``None``.
        version: That distribution's version, or ``None``.
        builtin: Whether it is one of the library's own plugins.
        hooks: The hooks it implements.
        registered: Ids of what it registered, per kind (``instruments``, ``rules`` …).

    Example:
        >>> PluginInfo("x", None, None, False, (), {}).builtin
        False
    """

    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    hooks: tuple[str, ...]
    registered: Mapping[str, tuple[str, ...]] = attrs.field(converter=to_frozen_map)


@attrs.frozen
class Registry:
    """Everything the loaded plugins registered, validated and de-duplicated.

    Example:
        >>> build_registry(load_installed=False).instruments["brs"].name
        'Brief Resilience Scale (BRS)'
    """

    instruments: Mapping[str, Instrument]
    wording: Mapping[tuple[str, str], Wording]
    rules: Mapping[str, ScoringRule]
    rule_plugins: Mapping[str, str]
    templates: Mapping[str, StepTemplate]
    backends: Mapping[str, Callable[..., Any]]
    plugins: tuple[PluginInfo, ...]
    problems: tuple[PluginProblem, ...]


@attrs.define
class _Source:
    name: str
    distribution: str | None
    version: str | None
    builtin: bool


def _env_names(environ: Mapping[str, str], key: str) -> frozenset[str] | None:
    raw = environ.get(key)
    if raw is None:
        return None
    return frozenset(name.strip() for name in raw.split(",") if name.strip())


def build_plugin_manager(
    plugins: Iterable[object] = (),
    *,
    load_installed: bool = True,
    environ: Mapping[str, str] | None = None,
) -> tuple[pluggy.PluginManager, dict[str, _Source], list[PluginProblem]]:
    """Build a fresh plugin manager: built-ins, then ``plugins``, then installed ones.

    Returns the manager, where each plugin came from, and the problems met on the way.

    Example:
        >>> pm, sources, problems = build_plugin_manager(load_installed=False)
        >>> problems
        []
    """
    env = os.environ if environ is None else environ
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    sources: dict[str, _Source] = {}
    problems: list[PluginProblem] = []

    def add(plugin: object, source: _Source) -> None:
        try:
            pm.register(plugin, name=source.name)
        except Exception as error:  # pluggy validation or a name clash
            problems.append(
                PluginProblem(source.name, source.distribution, "validate", _describe(error))
            )
            return
        sources[source.name] = source

    for module_name in DEFAULT_PLUGINS:
        module = importlib.import_module(module_name)
        add(module, _Source(module_name, None, None, builtin=True))

    for plugin in plugins:
        name = _plugin_name(plugin)
        add(plugin, _Source(name, None, None, builtin=False))

    if load_installed:
        allow = _env_names(env, ENV_ALLOW)
        block = _env_names(env, ENV_DISABLE) or frozenset()
        for entry_point in sorted(
            importlib.metadata.entry_points(group=hookspecs.PROJECT_NAME),
            key=lambda ep: ep.name,
        ):
            dist = entry_point.dist
            dist_name = dist.metadata["Name"] if dist is not None else None
            names = {entry_point.name} | ({dist_name} if dist_name else set())
            if allow is not None and not names & allow:
                continue
            if names & block:
                continue
            version = dist.version if dist is not None else None
            source = _Source(entry_point.name, dist_name, version, builtin=False)
            try:
                loaded = entry_point.load()
            except Exception as error:
                problems.append(
                    PluginProblem(entry_point.name, dist_name, "import", _describe(error))
                )
                continue
            add(loaded, source)

    # Fail fast on hooks that do not exist (a typo would otherwise be silently ignored),
    # but only for the plugin at fault.
    known = {name for name in dir(hookspecs) if name.startswith("resilience_")}
    for name, plugin in list(pm.list_name_plugin()):
        unknown = sorted(
            attr
            for attr in dir(plugin)
            if attr.startswith("resilience_")
            and attr not in known
            and pm.parse_hookimpl_opts(plugin, attr) is not None
        )
        if unknown:
            pm.unregister(plugin)
            source = sources.pop(name)
            problems.append(
                PluginProblem(
                    name,
                    source.distribution,
                    "validate",
                    f"implements unknown hook(s): {', '.join(unknown)}",
                )
            )
    pm.check_pending()
    return pm, sources, problems


def _plugin_name(plugin: object) -> str:
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    if isinstance(plugin, type):
        return f"{plugin.__module__}.{plugin.__qualname__}"
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


_KINDS: tuple[tuple[str, str, type, Callable[[Any], str]], ...] = (
    ("resilience_register_instruments", "instruments", Instrument, lambda x: x.id),
    ("resilience_register_wording", "wording", Wording, lambda x: f"{x.instrument_id}/{x.locale}"),
    ("resilience_register_scoring_rules", "rules", ScoringRule, lambda x: x.name),
    ("resilience_register_plan_steps", "templates", StepTemplate, lambda x: x.id),
)


def collect(
    pm: pluggy.PluginManager,
    sources: Mapping[str, _Source],
    problems: Iterable[PluginProblem] = (),
) -> Registry:
    """Call every register hook once, plugin by plugin, and validate what comes back.

    Each plugin's registrations for one hook are kept only if the hook returned normally
    and every registration was valid: a plugin is never half-registered.

    Example:
        >>> pm, sources, problems = build_plugin_manager(load_installed=False)
        >>> sorted(collect(pm, sources).backends)
        ['memory', 'sqlite']
    """
    found: list[PluginProblem] = list(problems)
    registered: dict[str, dict[str, list[str]]] = {name: {} for name in sources}
    skipped: set[str] = set()
    owners: dict[tuple[str, str], str] = {}
    tables: dict[str, dict[str, Any]] = {kind: {} for _, kind, _, _ in _KINDS}
    tables["backends"] = {}

    def fail(plugin: str, stage: str, message: str) -> None:
        source = sources[plugin]
        problem = PluginProblem(plugin, source.distribution, stage, message)
        found.append(problem)
        warnings.warn(str(problem), PluginWarning, stacklevel=4)

    def run(
        hook_name: str,
        kind: str,
        make: Callable[[list[tuple[Any, ...]]], Any],
        check: Callable[[tuple[Any, ...]], tuple[str, Any] | str],
    ) -> None:
        hook = getattr(pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            plugin = impl.plugin_name
            if plugin in skipped:
                continue
            pending: list[tuple[Any, ...]] = []
            try:
                impl.function(make(pending))
            except Exception as error:
                fail(plugin, f"hook:{hook_name}", _describe(error))
                continue
            checked: list[tuple[str, Any, bool]] = []
            invalid = None
            for entry in pending:
                outcome = check(entry[:-1])
                if isinstance(outcome, str):
                    invalid = outcome
                    break
                checked.append((outcome[0], outcome[1], entry[-1]))
            if invalid is not None:
                fail(plugin, f"hook:{hook_name}", invalid)
                continue
            for ident, value, replace in checked:
                previous = owners.get((kind, ident))
                if previous is not None and previous != plugin and not replace:
                    raise DuplicateRegistrationError(kind.rstrip("s"), ident, previous, plugin)
                owners[(kind, ident)] = plugin
                tables[kind][ident] = value
                registered[plugin].setdefault(kind, []).append(ident)

    def item_register(pending: list[tuple[Any, ...]]) -> Callable[..., None]:
        def register(item: Any, *, replace: bool = False) -> None:
            pending.append((item, replace))

        return register

    for hook_name, kind, cls, ident_of in _KINDS:

        def check(
            entry: tuple[Any, ...], cls: type = cls, ident_of: Callable[[Any], str] = ident_of
        ) -> tuple[str, Any] | str:
            (item,) = entry
            if not isinstance(item, cls):
                return f"registered {type(item).__name__} {item!r:.60}, expected {cls.__name__}"
            return (ident_of(item), item)

        run(hook_name, kind, item_register, check)

    def backend_register(pending: list[tuple[Any, ...]]) -> Callable[..., None]:
        def register(scheme: str, factory: Callable[..., Any], *, replace: bool = False) -> None:
            pending.append((scheme, factory, replace))

        return register

    def check_backend(entry: tuple[Any, ...]) -> tuple[str, Any] | str:
        scheme, factory = entry
        if not isinstance(scheme, str) or (not scheme.isidentifier() and "-" not in scheme):
            return f"storage scheme must be a name such as 'sqlite', not {scheme!r}"
        if not callable(factory):
            return f"storage backend factory for {scheme!r} is not callable"
        return (scheme, factory)

    run("resilience_register_storage_backends", "backends", backend_register, check_backend)

    wording = {(w.instrument_id, w.locale): w for w in tables["wording"].values()}
    infos = tuple(
        PluginInfo(
            name=name,
            distribution=source.distribution,
            version=source.version,
            builtin=source.builtin,
            hooks=tuple(sorted(impl.name for impl in _hooks_of(pm, name))),
            registered={kind: tuple(ids) for kind, ids in registered[name].items()},
        )
        for name, source in sources.items()
        if pm.get_plugin(name) is not None
    )
    rule_plugins = {ident: plugin for (kind, ident), plugin in owners.items() if kind == "rules"}
    return Registry(
        instruments=FrozenDict(tables["instruments"]),
        wording=FrozenDict(wording),
        rules=FrozenDict(tables["rules"]),
        rule_plugins=FrozenDict(rule_plugins),
        templates=FrozenDict(tables["templates"]),
        backends=FrozenDict(tables["backends"]),
        plugins=infos,
        problems=tuple(found),
    )


def _hooks_of(pm: pluggy.PluginManager, name: str) -> list[Any]:
    plugin = pm.get_plugin(name)
    callers = pm.get_hookcallers(plugin) or []
    return list(callers)


def build_registry(
    plugins: Iterable[object] = (),
    *,
    load_installed: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Registry:
    """Build a plugin manager and collect its registrations in one go.

    Example:
        >>> registry = build_registry(load_installed=False)
        >>> registry.problems
        ()
    """
    pm, sources, problems = build_plugin_manager(
        plugins, load_installed=load_installed, environ=environ
    )
    return collect(pm, sources, problems)


def wrap_error(plugin: str, error: BaseException) -> PluginError:
    """A :class:`PluginError` for ``plugin`` describing ``error``."""
    return PluginError(plugin, _describe(error))
