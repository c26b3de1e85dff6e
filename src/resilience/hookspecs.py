"""The hooks through which plugins extend ``resilience``, and the marker to implement them.

A plugin is a module or an object with functions named after these hooks and marked with
:data:`hookimpl`. Installed distributions announce theirs with an entry point in the
``resilience`` group; host apps can also pass plugin objects to
:class:`~resilience.Engine`.

Register-callback style: for the ``resilience_register_*`` hooks the engine passes a
``register`` function and keeps validation and de-duplication to itself, so a plugin stays
a few lines long. Every hook is called once, when an :class:`~resilience.Engine` is built,
except :func:`resilience_support_resources`, which is called each time a plan is made.

How results combine: plugins are taken in *priority order*, lowest first. The built-in
plugins are marked ``trylast`` and so come first; then plugins passed to the engine; then
installed plugins, in entry-point name order. Everything registered is pooled. An id may be
registered once; a later plugin takes an id over only with ``register(..., replace=True)``.

Implementations may accept fewer arguments than a spec names; specs only ever gain
arguments, never lose or rename them, so plugins written today keep working.

Example:
    >>> import resilience as rs
    >>> class Quiet:
    ...     @rs.hookimpl
    ...     def resilience_register_instruments(self, register):
    ...         pass  # register(rs.Instrument(...)) for each instrument
    >>> engine = rs.Engine(plugins=[Quiet()], load_installed=False)
    >>> [p.name for p in engine.plugins() if not p.builtin]
    ['resilience.hookspecs.Quiet']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pluggy

if TYPE_CHECKING:
    import cattrs

    from resilience.model.evidence import Reference
    from resilience.model.instruments import Instrument, Wording
    from resilience.model.plans import StepTemplate, SupportResource
    from resilience.model.profile import ResilienceProfile, ScoringRule

__all__ = [
    "ENTRY_POINT_GROUP",
    "HOOK_NAMES",
    "PROJECT_NAME",
    "Register",
    "RegisterBackend",
    "hookimpl",
    "hookspec",
    "resilience_configure_converter",
    "resilience_register_instruments",
    "resilience_register_plan_steps",
    "resilience_register_references",
    "resilience_register_scoring_rules",
    "resilience_register_storage_backends",
    "resilience_register_wording",
    "resilience_support_resources",
]

#: The pluggy project name: the name of the markers' attribute on implementations.
PROJECT_NAME = "resilience"

#: The entry-point group installed plugins declare (``[project.entry-points.resilience]``).
ENTRY_POINT_GROUP = "resilience"

#: Marks a plugin's hook implementations: ``@resilience.hookimpl``. Accepts pluggy's
#: options, such as ``@hookimpl(trylast=True)`` (the built-in plugins use it).
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: Marks hook specifications (used by this module only).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)

_T_contra = TypeVar("_T_contra", contravariant=True)


class Register(Protocol[_T_contra]):
    """The ``register`` callable passed to a ``resilience_register_*`` hook.

    ``register(thing)`` adds one thing. ``register(thing, replace=True)`` says on purpose
    that it takes over an id another plugin registered earlier (a built-in one, say);
    without it, a clash is a :class:`~resilience.errors.DuplicateRegistrationError` naming
    both plugins. Registrations are checked after the hook returns: if anything the plugin
    registered is invalid, or the hook raises, none of it is kept.

    Example:
        >>> import resilience as rs
        >>> from resilience.builtin.instruments.brs import BRS
        >>> class Stricter:
        ...     @rs.hookimpl
        ...     def resilience_register_instruments(self, register: Register[rs.Instrument]):
        ...         register(BRS, replace=True)
        >>> rs.Engine(plugins=[Stricter()], load_installed=False).instruments["brs"] is BRS
        True
    """

    def __call__(self, item: _T_contra, /, *, replace: bool = False) -> None:
        """Register ``item``; ``replace=True`` takes over an existing id on purpose."""


class RegisterBackend(Protocol):
    """The ``register`` callable of :func:`resilience_register_storage_backends`.

    Example:
        >>> def register_backends(register: RegisterBackend) -> None:
        ...     register("acme", lambda url, **options: ...)
    """

    def __call__(
        self, scheme: str, factory: Callable[..., Any], /, *, replace: bool = False
    ) -> None:
        """Register ``factory`` for store URLs of ``scheme``; ``replace=True`` on purpose."""


@hookspec
def resilience_register_instruments(register: Register[Instrument]) -> None:
    """Register questionnaire definitions: call ``register(instrument)`` for each.

    Registers :class:`~resilience.Instrument` values (scoring definitions; their wording
    comes through :func:`resilience_register_wording`).

    When: once, while an :class:`~resilience.Engine` is built; every instrument is then
    compiled once, so scoring touches no hook.

    Combining: the instruments of all plugins are pooled by id. Ids are unique; a plugin
    that means to replace one (the UCLA-3 with another cut-off, say) passes
    ``replace=True``, and since built-ins come first the replacement wins.

    Example:
        >>> import resilience as rs
        >>> yes_no = rs.ResponseScale("yes-no", (rs.ResponseOption(0, "no"),
        ...                                      rs.ResponseOption(1, "yes")))
        >>> class WeeklyCheck:
        ...     @rs.hookimpl
        ...     def resilience_register_instruments(self, register):
        ...         register(rs.Instrument("weekly-check", "Weekly check", "1",
        ...                                items=(rs.Item("met", "met someone"),),
        ...                                scale=yes_no))
        >>> engine = rs.Engine(plugins=[WeeklyCheck()], load_installed=False)
        >>> engine.score("weekly-check", {"met": 1}).total
        1.0
    """


@hookspec
def resilience_register_wording(register: Register[Wording]) -> None:
    """Register the texts people see: call ``register(wording)`` for each locale.

    Registers :class:`~resilience.Wording` values: item texts (and option texts) of one
    instrument in one locale. Validated scales ship without wording because it is
    copyrighted; a host app that holds a licence registers it here.

    When: once, while an engine is built, after every plugin's instruments are known; a
    wording must name a registered instrument and give a text for each of its items.

    Combining: one wording per (instrument id, locale); ``replace=True`` takes over an
    existing one. :meth:`~resilience.Engine.wording` falls back from ``de-AT`` to ``de``.

    Example:
        >>> import resilience as rs
        >>> class Licensed:
        ...     @rs.hookimpl
        ...     def resilience_register_wording(self, register):
        ...         register(rs.Wording("brs", "en", {f"brs-{n}": f"(licensed text {n})"
        ...                                           for n in range(1, 7)},
        ...                             source="licensed from the authors"))
        >>> engine = rs.Engine(plugins=[Licensed()], load_installed=False)
        >>> engine.wording("brs", "en-GB").items["brs-1"]
        '(licensed text 1)'
    """


@hookspec
def resilience_register_scoring_rules(register: Register[ScoringRule]) -> None:
    """Register scoring rules that turn assessments into evidence: ``register(rule)``.

    Registers :class:`~resilience.ScoringRule` values: pure, deterministic functions from
    an assessment and its instrument scores to :class:`~resilience.Contribution` values.
    Check a rule with :func:`resilience.testing.check_scoring_rule`.

    When: once, while an engine is built; the rules then run for each profile.

    Combining: rules are pooled by name; ``replace=True`` takes over a rule of the same
    name. Every rule runs on every assessment, and a pillar's or capacity's strength is the
    evidence-weighted mean of all contributions, independent of the order plugins load in.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> def steady(assessment, scores):
        ...     return [rs.Contribution("steady", "1", rs.Pillar.BELONGING, 50.0, 1.0)]
        >>> class Steady:
        ...     @rs.hookimpl
        ...     def resilience_register_scoring_rules(self, register):
        ...         register(rs.ScoringRule("steady", "1", "always 50", steady))
        >>> engine = rs.Engine(plugins=[Steady()], load_installed=False)
        >>> "steady" in engine.rules
        True
    """


@hookspec
def resilience_register_plan_steps(register: Register[StepTemplate]) -> None:
    """Register kinds of steps plans may contain: ``register(template)``.

    Registers :class:`~resilience.StepTemplate` values: rungs on one strategy's ladder.
    Every template declares what it rests on: its ``approach``, one or more behaviour-change
    ``techniques`` (BCT Taxonomy v1 numbers, checked against the bundled table) and one or
    more ``references`` registered through :func:`resilience_register_references` (the
    built-in ones can be imported from :mod:`resilience.builtin.references`). A template
    without them, with an unknown code, or citing an unregistered reference gets its plugin
    skipped, with the template and the problem named.

    When: once, while an engine is built.

    Combining: templates are pooled by id into one pool that plan building ranks (weakest
    pillars first, smallest rung first, tailored to the person's drivers); ``replace=True``
    takes over a template with the same id.

    Example:
        >>> import resilience as rs
        >>> from resilience.builtin.references import LIANG_2024
        >>> class Walks:
        ...     @rs.hookimpl
        ...     def resilience_register_plan_steps(self, register):
        ...         register(rs.StepTemplate("walk/invite", rs.Strategy.IN_PERSON, 2,
        ...                                  rs.Effort.SMALL, "Invite {alias} for a walk.",
        ...                                  needs=rs.ConnectionNeed.ANY, in_person=True,
        ...                                  approach=rs.Approach.MORE_CONTACT,
        ...                                  techniques=("1.4", "12.2"),
        ...                                  references=(LIANG_2024,)))
        >>> engine = rs.Engine(plugins=[Walks()], load_installed=False)
        >>> [p.registered["templates"] for p in engine.plugins() if not p.builtin]
        [('walk/invite',)]
    """


@hookspec
def resilience_register_references(register: Register[Reference]) -> None:
    """Register the published sources step templates rest on: ``register(reference)``.

    Registers :class:`~resilience.Reference` values: a citation, what the source found
    (only what it says), and the certainty it gives. Templates cite references as values;
    each one cited must be registered, by this plugin or another, under the same id.

    When: once, while an engine is built, before the step templates are checked.

    Combining: references are pooled by id; ``replace=True`` takes over one (to correct a
    citation, say). A template citing a reference that differs from the registered one of
    its id is refused.

    Example:
        >>> import resilience as rs
        >>> own = rs.Reference("our-pilot-2026", "Our pilot 2026", "Our team (2026). Pilot.",
        ...                    "people in the pilot reported feeling less alone",
        ...                    "an uncontrolled pilot of twelve people")
        >>> class Pilot:
        ...     @rs.hookimpl
        ...     def resilience_register_references(self, register):
        ...         register(own)
        >>> engine = rs.Engine(plugins=[Pilot()], load_installed=False)
        >>> engine.references["our-pilot-2026"].short
        'Our pilot 2026'
    """


@hookspec
def resilience_register_storage_backends(register: RegisterBackend) -> None:
    """Register storage backends: ``register(scheme, factory)``.

    Registers a factory per URL scheme (``"sqlite"`` for ``sqlite:///path``). The factory
    is called as ``factory(url, converter=converter)`` and returns a
    :class:`~resilience.storage.Store` that passes the contract suite in
    :mod:`resilience.testing.storage`.

    When: once, while an engine is built; the factory is called when the engine's store is
    first used.

    Combining: schemes are unique; ``replace=True`` takes over a scheme on purpose.

    Example:
        >>> import resilience as rs
        >>> class Acme:
        ...     @rs.hookimpl
        ...     def resilience_register_storage_backends(self, register):
        ...         register("acme", lambda url, converter: ...)
        >>> engine = rs.Engine(plugins=[Acme()], load_installed=False)
        >>> [p.registered["backends"] for p in engine.plugins() if not p.builtin]
        [('acme',)]
    """


@hookspec
def resilience_configure_converter(converter: cattrs.Converter) -> None:
    """Add cattrs hooks for a plugin's own types to the engine's converter.

    Registers structure and unstructure hooks on the engine's one converter (never on
    cattrs' global one), so records holding a plugin's types can be stored and read back.

    When: once, while an engine is built, after the library's own hooks are on it.

    Combining: every plugin's implementation is called, in priority order, on the same
    converter. Add hooks for your own types only; leave the library's types alone.

    Example:
        >>> import resilience as rs
        >>> class Mood:
        ...     def __init__(self, level): self.level = level
        >>> class MoodPlugin:
        ...     @rs.hookimpl
        ...     def resilience_configure_converter(self, converter):
        ...         converter.register_unstructure_hook(Mood, lambda m: m.level)
        >>> rs.Engine(plugins=[MoodPlugin()], load_installed=False).converter.unstructure(Mood(3))
        3
    """


@hookspec
def resilience_support_resources(
    profile: ResilienceProfile, locale: str
) -> Iterable[SupportResource] | None:
    """Return professional or community support resources suited to a person and locale.

    Returns :class:`~resilience.SupportResource` values (helplines, services, community
    groups), or ``None`` for none. Host apps implement it to point people to the help that
    exists where they live.

    When: each time a plan is made (not when the engine is built), because the answer
    may depend on the person's profile and locale.

    Combining: the resources of every plugin are joined, highest priority first (installed
    plugins, then those passed to the engine, then the built-ins), without duplicates. A
    plugin that raises here is skipped with a :class:`~resilience._plugins.PluginWarning`.

    Example:
        >>> import resilience as rs
        >>> class Local:
        ...     @rs.hookimpl
        ...     def resilience_support_resources(self, locale):
        ...         return [rs.SupportResource("Listening line", "A trained volunteer",
        ...                                    "0800 000 000", kind="helpline")]
        >>> engine = rs.Engine(plugins=[Local()], load_installed=False)
        >>> import datetime as dt
        >>> profile = rs.ResilienceProfile("p", dt.datetime.now(dt.timezone.utc), {}, {})
        >>> [r.name for r in engine.support_resources(profile)]
        ['Listening line']
    """


#: The names of every hook, in the order they are documented.
HOOK_NAMES: tuple[str, ...] = (
    "resilience_register_instruments",
    "resilience_register_wording",
    "resilience_register_scoring_rules",
    "resilience_register_references",
    "resilience_register_plan_steps",
    "resilience_register_storage_backends",
    "resilience_configure_converter",
    "resilience_support_resources",
)
