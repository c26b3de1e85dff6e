"""Loads an engine's plugins and collects what they register, isolating every fault.

Each :class:`~resilience.Engine` builds its own plugin manager; nothing here runs on
import. The steps, in order:

1. The built-in plugins (:data:`DEFAULT_PLUGINS`, marked ``trylast``) are registered,
   then the plugins passed to the engine, then the installed distributions that declare
   an entry point in the ``resilience`` group (in entry-point name order), unless
   ``load_installed=False``. ``RESILIENCE_PLUGINS`` (a comma-separated allow-list of
   entry-point or distribution names; empty allows none) and
   ``RESILIENCE_DISABLE_PLUGINS`` (a block-list) narrow down the installed ones.
2. A plugin that implements a hook that does not exist (a typo would otherwise be ignored
   silently) or that pluggy rejects is unregistered.
3. Every register hook is called once per plugin. Registrations are checked when the
   hook returns; a plugin whose hook raises or who registered anything invalid keeps
   nothing at all: it is never half-registered.
4. The registrations are pooled in priority order (built-ins first). An id registered
   twice is a :class:`~resilience.errors.DuplicateRegistrationError` naming both plugins,
   unless the later one passed ``replace=True``. An installed plugin at fault is skipped;
   a clash between plugins the host chose itself (built-ins and those it passed) is
   raised, because only the host can fix it.
5. Every ``resilience_configure_converter`` is called on the engine's converter.

Every skipped plugin is reported as a :class:`PluginProblem` (the engine also warns with a
:class:`PluginWarning`); everything else keeps working.

Example:
    >>> from resilience._plugins import build_registry
    >>> registry = build_registry(load_installed=False)
    >>> "ucla-3" in registry.instruments, registry.problems
    (True, ())
"""

from __future__ import annotations

import importlib
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

import attrs
import pluggy

from resilience import evidence, hookspecs
from resilience.errors import DuplicateRegistrationError
from resilience.model.evidence import Reference
from resilience.model.fields import FrozenDict, to_frozen_map, to_tuple
from resilience.model.instruments import Instrument, Wording, wording_gaps
from resilience.model.plans import StepTemplate, SupportResource
from resilience.model.profile import ResilienceProfile, ScoringRule
from resilience.serialization import round_trip_problem

if TYPE_CHECKING:
    import cattrs

    from resilience.hookspecs import Register, RegisterBackend

__all__ = [
    "DEFAULT_PLUGINS",
    "ENV_ALLOW",
    "ENV_DISABLE",
    "PluginHooks",
    "PluginInfo",
    "PluginProblem",
    "PluginWarning",
    "Registry",
    "build_registry",
]

#: Modules of the built-in plugins, registered exactly like third-party plugins.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "resilience.builtin.instruments",
    "resilience.builtin.rules",
    "resilience.builtin.references",
    "resilience.builtin.steps",
    "resilience.builtin.storage",
)

#: Comma-separated entry-point or distribution names: only these installed plugins load.
ENV_ALLOW = "RESILIENCE_PLUGINS"
#: Comma-separated entry-point or distribution names: these installed plugins never load.
ENV_DISABLE = "RESILIENCE_DISABLE_PLUGINS"


class PluginWarning(UserWarning):
    """Warned when a plugin is skipped because of a fault.

    The same faults are listed in :attr:`resilience.Engine.plugin_problems`.

    Example:
        >>> issubclass(PluginWarning, UserWarning)
        True
    """


@attrs.frozen
class PluginProblem:
    """A plugin that was skipped, and why.

    Attributes:
        plugin: The plugin's name (its entry-point name, or its module or class name).
        distribution: The installed distribution it came from, if any.
        stage: Where it failed: ``"import"``, ``"register"`` (rejected when registered,
            for example for implementing an unknown hook), ``"duplicate"``, or the name of
            the hook that raised or registered something invalid.
        error: What went wrong, naming the error type.
        skipped: ``True`` when the plugin was skipped; ``False`` for something a loaded
            plugin did that the host must know about (replacing a built-in storage
            scheme, which the host allowed).

    Example:
        >>> print(PluginProblem("broken", "broken-dist", "import", "ImportError: no x"))
        plugin 'broken' (distribution broken-dist) skipped at import: ImportError: no x
        >>> print(PluginProblem("fast", None, "resilience_register_storage_backends",
        ...                     "replaced the built-in storage scheme 'sqlite'", skipped=False))
        plugin 'fast' at resilience_register_storage_backends: replaced the built-in storage scheme 'sqlite'
    """  # noqa: E501

    plugin: str
    distribution: str | None
    stage: str
    error: str
    skipped: bool = True

    def __str__(self) -> str:
        dist = f" (distribution {self.distribution})" if self.distribution else ""
        if not self.skipped:
            return f"plugin {self.plugin!r}{dist} at {self.stage}: {self.error}"
        return f"plugin {self.plugin!r}{dist} skipped at {self.stage}: {self.error}"


@attrs.frozen
class PluginInfo:
    """One loaded plugin, where it came from and what it registered.

    Attributes:
        name: The plugin's name (entry-point name for installed plugins).
        distribution: The distribution that installed it, or ``None``.
        version: That distribution's version, or ``None``.
        builtin: Whether it is one of the library's own plugins.
        hooks: The hooks it implements, sorted.
        registered: The ids it registered, per kind: ``instruments``, ``wording``
            (``instrument/locale``), ``rules``, ``references``, ``templates`` and
            ``backends``.

    Example:
        >>> import resilience as rs
        >>> info = rs.Engine(load_installed=False).plugins()[0]
        >>> info.name, info.builtin, "ucla-3" in info.registered["instruments"]
        ('resilience.builtin.instruments', True, True)
    """

    name: str
    distribution: str | None
    version: str | None
    builtin: bool
    hooks: tuple[str, ...] = attrs.field(converter=to_tuple)
    registered: Mapping[str, tuple[str, ...]] = attrs.field(converter=to_frozen_map)


@attrs.frozen
class _Source:
    name: str
    distribution: str | None = None
    version: str | None = None
    builtin: bool = False
    installed: bool = False


class PluginHooks:
    """Typed calls of every hook, one plugin at a time: the only code that calls hooks.

    Calling plugin by plugin is what lets a fault be pinned on one plugin. Plugins are
    listed by :meth:`implementers` in priority order, lowest first (built-ins first).

    Example:
        >>> import pluggy
        >>> from resilience import hookspecs
        >>> import resilience.builtin.instruments as builtin
        >>> pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        >>> pm.add_hookspecs(hookspecs)
        >>> _ = pm.register(builtin, name="builtin")
        >>> hooks = PluginHooks(pm)
        >>> hooks.implementers("resilience_register_instruments")
        ('builtin',)
        >>> found = []
        >>> hooks.register_instruments("builtin", lambda item, replace=False: found.append(item))
        >>> len(found)
        7
    """

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self._pm = pm

    def implementers(self, hook_name: str) -> tuple[str, ...]:
        """Names of the plugins implementing ``hook_name``, lowest priority first."""
        hook: pluggy.HookCaller = getattr(self._pm.hook, hook_name)
        return tuple(impl.plugin_name for impl in hook.get_hookimpls())

    def remove(self, plugin: str) -> None:
        """Unregister ``plugin``, so that none of its hooks is called again."""
        if self._pm.get_plugin(plugin) is not None:
            self._pm.unregister(name=plugin)

    def _call(self, hook_name: str, plugin: str, **kwargs: object) -> object:
        hook: pluggy.HookCaller = getattr(self._pm.hook, hook_name)
        for impl in hook.get_hookimpls():
            if impl.plugin_name == plugin:
                # An implementation may take any subset of the spec's arguments.
                return impl.function(*(kwargs[name] for name in impl.argnames))
        raise LookupError(f"plugin {plugin!r} does not implement {hook_name}")

    def register_instruments(self, plugin: str, register: Register[Instrument]) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_register_instruments`."""
        self._call("resilience_register_instruments", plugin, register=register)

    def register_wording(self, plugin: str, register: Register[Wording]) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_register_wording`."""
        self._call("resilience_register_wording", plugin, register=register)

    def register_scoring_rules(self, plugin: str, register: Register[ScoringRule]) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_register_scoring_rules`."""
        self._call("resilience_register_scoring_rules", plugin, register=register)

    def register_references(self, plugin: str, register: Register[Reference]) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_register_references`."""
        self._call("resilience_register_references", plugin, register=register)

    def register_plan_steps(self, plugin: str, register: Register[StepTemplate]) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_register_plan_steps`."""
        self._call("resilience_register_plan_steps", plugin, register=register)

    def register_storage_backends(self, plugin: str, register: RegisterBackend) -> None:
        """Call ``plugin``'s ``resilience_register_storage_backends``."""
        self._call("resilience_register_storage_backends", plugin, register=register)

    def configure_converter(self, plugin: str, converter: cattrs.Converter) -> None:
        """Call ``plugin``'s :func:`~resilience.hookspecs.resilience_configure_converter`."""
        self._call("resilience_configure_converter", plugin, converter=converter)

    def support_resources(
        self, profile: ResilienceProfile, locale: str
    ) -> tuple[SupportResource, ...]:
        """Every plugin's support resources, highest priority first, without duplicates.

        A plugin that raises, or returns anything but support resources, contributes
        nothing and is reported with a :class:`PluginWarning`; the others still count.
        """
        found: dict[SupportResource, None] = {}
        hook_name = "resilience_support_resources"
        for plugin in reversed(self.implementers(hook_name)):
            try:
                result = self._call(hook_name, plugin, profile=profile, locale=locale)
                resources = _support_resources(result)
            except BaseException as error:
                _reraise_interrupt(error)
                warnings.warn(
                    f"plugin {plugin!r} skipped in {hook_name}: {_describe(error)}",
                    PluginWarning,
                    stacklevel=3,
                )
                continue
            found.update(dict.fromkeys(resources))
        return tuple(found)


def _support_resources(result: object) -> list[SupportResource]:
    if result is None:
        return []
    if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
        raise TypeError(f"returned {type(result).__name__}, expected SupportResource values")
    resources = list(result)
    for resource in resources:
        if not isinstance(resource, SupportResource):
            raise TypeError(f"returned {type(resource).__name__}, expected SupportResource")
    return resources


@attrs.frozen
class Registry:
    """Everything the loaded plugins registered, validated and de-duplicated.

    Attributes:
        instruments: Instruments by id.
        wording: Wording by (instrument id, locale).
        rules: Scoring rules by name.
        rule_plugins: The plugin that registered each rule (named in rule errors).
        references: References by id (the sources step templates cite).
        templates: Step templates by id; each one's evidence has been checked.
        backends: Storage backend factories by URL scheme.
        plugins: Every loaded plugin, built-ins first.
        problems: Every plugin that was skipped, with the reason.
        hooks: The typed facade for the hooks still to be called
            (``resilience_support_resources``).
        converter: The converter the plugins configured (a copy of the one passed to
            :func:`build_registry`, which is left as it was), or ``None`` if none was.

    Example:
        >>> registry = build_registry(load_installed=False)
        >>> registry.instruments["brs"].name
        'Brief Resilience Scale (BRS)'
    """

    instruments: Mapping[str, Instrument]
    wording: Mapping[tuple[str, str], Wording]
    rules: Mapping[str, ScoringRule]
    rule_plugins: Mapping[str, str]
    templates: Mapping[str, StepTemplate]
    references: Mapping[str, Reference]
    backends: Mapping[str, Callable[..., Any]]
    plugins: tuple[PluginInfo, ...]
    problems: tuple[PluginProblem, ...]
    hooks: PluginHooks = attrs.field(eq=False, repr=False)
    converter: cattrs.Converter | None = attrs.field(default=None, eq=False, repr=False)


# -- loading -------------------------------------------------------------------------------


def _normalise(name: str) -> str:
    # Distribution names compare as PEP 503 normalised names.
    return re.sub(r"[-_.]+", "-", name).lower()


def _env_names(environ: Mapping[str, str], key: str) -> frozenset[str] | None:
    raw = environ.get(key)
    if raw is None:
        return None
    return frozenset(_normalise(name.strip()) for name in raw.split(",") if name.strip())


def _reraise_interrupt(error: BaseException) -> None:
    # Whatever a plugin raises is isolated (SystemExit, GeneratorExit and the rest too),
    # except the user pressing Ctrl-C: that is never a plugin fault.
    if isinstance(error, KeyboardInterrupt):
        raise error


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _plugin_name(plugin: object) -> str:
    if isinstance(plugin, ModuleType):
        return plugin.__name__
    if isinstance(plugin, type):
        return f"{plugin.__module__}.{plugin.__qualname__}"
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


class _Loader:
    """Registers plugins on a fresh manager, keeping their sources and problems."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.sources: dict[str, _Source] = {}
        self.problems: list[PluginProblem] = []

    def problem(self, source: _Source, stage: str, error: str) -> None:
        self.problems.append(PluginProblem(source.name, source.distribution, stage, error))

    def add(self, plugin: object, source: _Source) -> None:
        try:
            self.pm.register(plugin, name=source.name)
        except BaseException as error:  # pluggy's validation, a name clash, a plugin's own code
            _reraise_interrupt(error)
            self.problem(source, "register", _describe(error))
            return
        unknown: list[str] = []
        wrappers: list[str] = []
        for caller in self.pm.get_hookcallers(plugin) or ():
            own = [impl for impl in caller.get_hookimpls() if impl.plugin is plugin]
            if not caller.has_spec() and not all(impl.optionalhook for impl in own):
                unknown.append(caller.name)
            elif any(impl.hookwrapper or impl.wrapper for impl in own):
                wrappers.append(caller.name)
        if unknown or wrappers:
            self.pm.unregister(plugin)
            reasons = []
            if unknown:
                reasons.append(f"implements unknown hook(s): {', '.join(sorted(unknown))}")
            if wrappers:
                reasons.append(f"hook wrappers are not supported: {', '.join(sorted(wrappers))}")
            self.problem(source, "register", "; ".join(reasons))
            return
        self.sources[source.name] = source

    def add_builtins(self) -> None:
        for module_name in DEFAULT_PLUGINS:
            # A built-in that fails to import is a bug in the library: let it raise.
            self.add(importlib.import_module(module_name), _Source(module_name, builtin=True))

    def add_passed(self, plugins: Iterable[object]) -> None:
        for plugin in plugins:
            base = _plugin_name(plugin)
            name, count = base, 1
            while name in self.sources or self.pm.has_plugin(name):
                count += 1
                name = f"{base}#{count}"
            self.add(plugin, _Source(name))

    def add_installed(self, environ: Mapping[str, str]) -> None:
        allow = _env_names(environ, ENV_ALLOW)
        block = _env_names(environ, ENV_DISABLE) or frozenset()
        import importlib.metadata  # here, not at the top: it costs a third of the start-up time

        entry_points = importlib.metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP)
        for entry_point in sorted(entry_points, key=lambda ep: (ep.name, ep.value)):
            dist = entry_point.dist
            dist_name = dist.metadata["Name"] if dist is not None else None
            names = {_normalise(entry_point.name)}
            if dist_name:
                names.add(_normalise(dist_name))
            if (allow is not None and not names & allow) or names & block:
                continue
            source = _Source(
                entry_point.name,
                dist_name,
                dist.version if dist is not None else None,
                installed=True,
            )
            try:
                loaded = entry_point.load()
            except BaseException as error:  # a plugin must never take us down
                _reraise_interrupt(error)
                self.problem(source, "import", _describe(error))
                continue
            if self.pm.is_registered(loaded):
                continue  # also passed to the engine explicitly: it is loaded already
            self.add(loaded, source)


@attrs.frozen
class _Entry:
    ident: str
    value: Any
    replace: bool


_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*")


def _checker(cls: type, ident_of: Callable[[Any], str]) -> Callable[[object], str]:
    """A check that a registered value is a ``cls``, returning its id."""

    def check(item: object) -> str:
        if not isinstance(item, cls):
            raise TypeError(
                f"registered {type(item).__name__} {item!r:.60}, expected {cls.__name__}"
            )
        return ident_of(item)

    return check


def _check_backend(entry: object) -> str:
    scheme, factory = cast("tuple[object, object]", entry)
    if not isinstance(scheme, str) or not _SCHEME.fullmatch(scheme):
        raise ValueError(f"storage scheme must be a URL scheme such as 'sqlite', not {scheme!r}")
    if not callable(factory):
        raise TypeError(f"storage backend factory for {scheme!r} is not callable")
    return scheme


def _call_backends(hooks: PluginHooks, plugin: str, register: Any) -> None:
    def register_backend(
        scheme: str, factory: Callable[..., Any], /, *, replace: bool = False
    ) -> None:
        register((scheme, factory), replace=replace)

    hooks.register_storage_backends(plugin, register_backend)


_is_template = _checker(StepTemplate, lambda x: x.id)


def _check_template(item: object) -> str:
    ident = _is_template(item)
    # Approach, techniques (against the bundled table) and references declared; whether
    # the references are registered is checked when every plugin's are pooled.
    evidence.check_template(cast("StepTemplate", item))
    return ident


@attrs.frozen
class _Kind:
    """One kind of registration: its hook, how a value is checked, how the hook is called."""

    name: str  # the key of the pooled table, and of PluginInfo.registered
    hook: str
    singular: str  # for messages
    check: Callable[[object], str]  # raises for a bad value, else returns its id
    call: Callable[[PluginHooks, str, Any], None]  # (hooks, plugin, register)


# In the order the hooks are called and the registrations pooled.
_KINDS: tuple[_Kind, ...] = (
    _Kind(
        "instruments",
        "resilience_register_instruments",
        "instrument",
        _checker(Instrument, lambda x: x.id),
        PluginHooks.register_instruments,
    ),
    _Kind(
        "wording",
        "resilience_register_wording",
        "wording",
        _checker(Wording, lambda x: f"{x.instrument_id}/{x.locale}"),
        PluginHooks.register_wording,
    ),
    _Kind(
        "rules",
        "resilience_register_scoring_rules",
        "scoring rule",
        _checker(ScoringRule, lambda x: x.name),
        PluginHooks.register_scoring_rules,
    ),
    _Kind(
        "references",
        "resilience_register_references",
        "reference",
        _checker(Reference, lambda x: x.id),
        PluginHooks.register_references,
    ),
    _Kind(
        "templates",
        "resilience_register_plan_steps",
        "step template",
        _check_template,
        PluginHooks.register_plan_steps,
    ),
    _Kind(
        "backends",
        "resilience_register_storage_backends",
        "storage backend",
        _check_backend,
        _call_backends,
    ),
)


class _Failed(Exception):
    def __init__(self, plugin: str, stage: str, message: str) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.stage = stage
        self.message = message


class _Collector:
    """Calls the register hooks plugin by plugin and pools what they register."""

    def __init__(
        self,
        hooks: PluginHooks,
        sources: Mapping[str, _Source],
        *,
        allow_backend_replacement: bool = False,
    ) -> None:
        self.hooks = hooks
        self.sources = sources
        self.allow_backend_replacement = allow_backend_replacement
        self.notices: list[PluginProblem] = []
        self.pending: dict[str, dict[str, list[_Entry]]] = {name: {} for name in sources}
        self.failed: dict[str, PluginProblem] = {}

    def fail(self, plugin: str, stage: str, message: str) -> None:
        source = self.sources[plugin]
        self.failed[plugin] = PluginProblem(plugin, source.distribution, stage, message)
        self.hooks.remove(plugin)

    def call_all(self) -> None:
        for kind in _KINDS:
            for plugin in self.hooks.implementers(kind.hook):
                self._call_one(plugin, kind)

    def _call_one(self, plugin: str, kind: _Kind) -> None:
        if plugin in self.failed:
            return
        hook_name = kind.hook
        entries: list[_Entry] = []
        errors: list[str] = []
        open_ = True

        def register(item: object, /, *, replace: bool = False) -> None:
            if not open_:
                raise RuntimeError(f"register() of {hook_name} called after the hook returned")
            try:
                ident = kind.check(item)
            except Exception as error:  # our own checks: they raise ordinary errors
                errors.append(str(error))
                return
            if any(entry.ident == ident for entry in entries):
                errors.append(f"registered {kind.singular} {ident!r} twice")
                return
            value = item[1] if kind.name == "backends" else item  # type: ignore[index]
            entries.append(_Entry(ident, value, bool(replace)))

        try:
            kind.call(self.hooks, plugin, register)
        except BaseException as error:
            _reraise_interrupt(error)
            self.fail(plugin, hook_name, _describe(error))
            return
        finally:
            open_ = False
        if errors:
            self.fail(plugin, hook_name, "; ".join(errors))
            return
        if entries:
            self.pending[plugin][kind.name] = entries

    def configure(self, converter: cattrs.Converter) -> cattrs.Converter:
        """Let each plugin configure the converter; return the converter configured.

        Each plugin configures a copy of the converter so far, which must still read back
        every kind of record the library stores exactly as it was written; only then is
        the copy kept. So a converter hook that loses data (drops a check-in's note, say)
        is caught and its plugin skipped, with none of its hooks left behind, before any
        record is written with it. Each hook is still called once.
        """
        hook_name = "resilience_configure_converter"
        current = converter
        for plugin in self.hooks.implementers(hook_name):
            if plugin in self.failed:
                continue
            try:
                trial = current.copy()
                self.hooks.configure_converter(plugin, trial)
                lost = round_trip_problem(trial)
            except BaseException as error:
                _reraise_interrupt(error)
                self.fail(plugin, hook_name, _describe(error))
                continue
            if lost is not None:
                self.fail(plugin, hook_name, f"its converter hooks lose data: {lost}")
                continue
            current = trial
        return current

    def pool(self) -> dict[str, dict[str, tuple[str, Any]]]:
        """Pool every registration, dropping the plugins at fault until none is left."""
        while True:
            try:
                return self._pool_once()
            except _Failed as failure:
                self.fail(failure.plugin, failure.stage, failure.message)

    def _pool_once(self) -> dict[str, dict[str, tuple[str, Any]]]:
        # table[kind][ident] = (owning plugin, value)
        tables: dict[str, dict[str, tuple[str, Any]]] = {kind.name: {} for kind in _KINDS}
        replaced: set[str] = set()  # instruments a later plugin took over
        notices: list[PluginProblem] = []
        for row in _KINDS:
            kind, table = row.name, tables[row.name]
            for plugin in self.hooks.implementers(row.hook):
                for entry in self.pending.get(plugin, {}).get(kind, ()):
                    previous = table.get(entry.ident)
                    if previous is not None and not entry.replace:
                        error = DuplicateRegistrationError(
                            row.singular, entry.ident, previous[0], plugin
                        )
                        if self.sources[plugin].installed:
                            raise _Failed(plugin, "duplicate", _describe(error))
                        raise error
                    if previous is not None and kind == "instruments":
                        replaced.add(entry.ident)
                    if (
                        previous is not None
                        and kind == "backends"
                        and self.sources[previous[0]].builtin
                    ):
                        notices.append(self._backend_replaced(plugin, entry.ident))
                    table[entry.ident] = (plugin, entry.value)
        for ident, (plugin, wording) in list(tables["wording"].items()):
            found = tables["instruments"].get(wording.instrument_id)
            if found is None:
                raise _Failed(
                    plugin,
                    "resilience_register_wording",
                    f"wording {ident!r} is for instrument {wording.instrument_id!r}, "
                    "which no plugin registers",
                )
            problem = _wording_problem(wording, found[1])
            if problem is None:
                continue
            if wording.instrument_id in replaced and found[0] != plugin:
                # The instrument was replaced on purpose and this wording no longer fits:
                # the replacing plugin is expected to register wording of its own.
                del tables["wording"][ident]
                continue
            raise _Failed(plugin, "resilience_register_wording", f"wording {ident!r}: {problem}")
        references = {ident: value for ident, (_, value) in tables["references"].items()}
        for plugin, template in tables["templates"].values():
            try:
                evidence.check_references(template, references)
            except ValueError as error:
                raise _Failed(plugin, "resilience_register_plan_steps", str(error)) from None
        self.notices = notices
        return tables

    def _backend_replaced(self, plugin: str, scheme: str) -> PluginProblem:
        """Report a built-in storage scheme taken over, or refuse it (raising _Failed).

        A store that only looks like the built-in one could keep, lose or leak a person's
        records behind the host's back (``forget`` erasing nothing from the real file), so
        it takes the host's explicit consent, and is reported even then.
        """
        if not self.allow_backend_replacement:
            raise _Failed(
                plugin,
                "resilience_register_storage_backends",
                f"replaces the built-in storage scheme {scheme!r}, which the host has not "
                "allowed (Engine(allow_backend_replacement=True) allows it)",
            )
        source = self.sources[plugin]
        return PluginProblem(
            plugin,
            source.distribution,
            "resilience_register_storage_backends",
            f"replaced the built-in storage scheme {scheme!r} (allowed by the host)",
            skipped=False,
        )


def _wording_problem(wording: Wording, instrument: Instrument) -> str | None:
    missing, unknown, extra = wording_gaps(instrument, wording)
    problems = []
    if missing:
        problems.append(f"no text for item(s) {', '.join(sorted(missing))}")
    if unknown:
        problems.append(f"text for unknown item(s) {', '.join(unknown)}")
    if extra:
        problems.append(f"text for unknown response option(s) {', '.join(extra)}")
    return "; ".join(problems) or None


def build_registry(
    plugins: Iterable[object] = (),
    *,
    load_installed: bool = True,
    environ: Mapping[str, str] | None = None,
    converter: cattrs.Converter | None = None,
    allow_backend_replacement: bool = False,
) -> Registry:
    """Load the plugins and collect, check and pool what they register.

    Args:
        plugins: Plugin objects or modules to register after the built-ins.
        load_installed: Whether to load installed plugins (entry-point group
            ``resilience``), subject to ``RESILIENCE_PLUGINS`` and
            ``RESILIENCE_DISABLE_PLUGINS``.
        environ: Where to read those variables (``os.environ`` by default).
        converter: The converter ``resilience_configure_converter`` hooks configure a
            copy of (see :attr:`Registry.converter`; none when it is ``None``). A plugin
            whose hooks make it lose data of a record the library stores is skipped.
        allow_backend_replacement: Whether a plugin may replace a built-in storage
            scheme (``sqlite``, ``memory``, ``postgresql``) with ``replace=True``. Without
            it such a plugin is skipped; with it the replacement is still reported in
            ``problems`` (with ``skipped=False``).

    Raises:
        DuplicateRegistrationError: two plugins the host chose (built-ins, or plugins it
            passed) registered the same id and the later did not pass ``replace=True``.

    Example:
        >>> import resilience as rs
        >>> class Typo:
        ...     @rs.hookimpl
        ...     def resilience_register_instrument(self, register):  # missing "s"
        ...         pass
        >>> registry = build_registry([Typo()], load_installed=False)
        >>> print(registry.problems[0])  # doctest: +ELLIPSIS
        plugin 'resilience._plugins.Typo' skipped at register: implements unknown hook(s): ...
    """
    loader = _Loader()
    loader.add_builtins()
    loader.add_passed(plugins)
    if load_installed:
        loader.add_installed(os.environ if environ is None else environ)

    hooks = PluginHooks(loader.pm)
    collector = _Collector(
        hooks, loader.sources, allow_backend_replacement=allow_backend_replacement
    )
    collector.call_all()
    # Pooling drops the plugins at fault first, so that their converter hooks never run.
    tables = collector.pool()
    if converter is not None:
        failed = len(collector.failed)
        converter = collector.configure(converter)
        if len(collector.failed) != failed:  # a converter hook failed: pool without it
            tables = collector.pool()

    def values(kind: str) -> FrozenDict[str, Any]:
        return FrozenDict((ident, value) for ident, (_, value) in tables[kind].items())

    wording = FrozenDict(((w.instrument_id, w.locale), w) for _, w in tables["wording"].values())
    infos = tuple(
        PluginInfo(
            name=name,
            distribution=source.distribution,
            version=source.version,
            builtin=source.builtin,
            hooks=sorted(
                caller.name
                for caller in loader.pm.get_hookcallers(loader.pm.get_plugin(name)) or ()
            ),
            registered={
                kind: tuple(entry.ident for entry in entries)
                for kind, entries in collector.pending[name].items()
            },
        )
        for name, source in loader.sources.items()
        if name not in collector.failed
    )
    return Registry(
        instruments=values("instruments"),
        wording=wording,
        rules=values("rules"),
        rule_plugins=FrozenDict((ident, plugin) for ident, (plugin, _) in tables["rules"].items()),
        templates=values("templates"),
        references=values("references"),
        backends=values("backends"),
        plugins=infos,
        problems=(*loader.problems, *collector.failed.values(), *collector.notices),
        hooks=hooks,
        converter=converter,
    )
