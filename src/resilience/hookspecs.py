"""The hooks through which plugins extend ``resilience``, and the markers to implement them.

Register-callback style: for the ``resilience_register_*`` hooks the engine passes a
``register`` function and keeps validation and de-duplication to itself, so a plugin
stays a few lines long. Every hook is called once, when an :class:`~resilience.Engine` is
built, except :func:`resilience_support_resources`, which is called when a plan is made.

Implementations may accept fewer arguments than a spec names; specs only ever gain
arguments, so plugins written today keep working.

Example:
    >>> import resilience as rs
    >>> class MyPlugin:
    ...     @rs.hookimpl
    ...     def resilience_register_instruments(self, register):
    ...         pass  # register(rs.Instrument(...))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pluggy

if TYPE_CHECKING:
    import cattrs

    from resilience.model.instruments import Instrument, Wording
    from resilience.model.plans import StepTemplate, SupportResource
    from resilience.model.profile import ResilienceProfile, ScoringRule

__all__ = [
    "PROJECT_NAME",
    "Register",
    "RegisterBackend",
    "hookimpl",
    "hookspec",
    "resilience_configure_converter",
    "resilience_register_instruments",
    "resilience_register_plan_steps",
    "resilience_register_scoring_rules",
    "resilience_register_storage_backends",
    "resilience_register_wording",
    "resilience_support_resources",
]

#: The pluggy project name, which is also the entry-point group plugins declare.
PROJECT_NAME = "resilience"

_F = TypeVar("_F", bound=Callable[..., Any])


#: Marks a plugin's hook implementations: ``@resilience.hookimpl``.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
#: Marks hook specifications (for this module only).
hookspec = pluggy.HookspecMarker(PROJECT_NAME)

_T_contra = TypeVar("_T_contra", contravariant=True)


class Register(Protocol[_T_contra]):
    """The ``register`` callable passed to a register hook.

    ``replace=True`` says on purpose that this registration replaces one with the same id
    from another plugin; without it a clash is a
    :class:`~resilience.errors.DuplicateRegistrationError` naming both plugins.
    """

    def __call__(self, item: _T_contra, /, *, replace: bool = False) -> None:
        """Register ``item``; ``replace=True`` replaces one with the same id on purpose."""


class RegisterBackend(Protocol):
    """The ``register`` callable of :func:`resilience_register_storage_backends`."""

    def __call__(
        self, scheme: str, factory: Callable[..., Any], /, *, replace: bool = False
    ) -> None:
        """Register ``factory`` for store URLs of ``scheme``."""


@hookspec
def resilience_register_instruments(register: Register[Instrument]) -> None:
    """Register questionnaire definitions: call ``register(instrument)`` for each.

    Called once when an engine is built. Instrument ids must be unique across plugins;
    ``register(instrument, replace=True)`` replaces a built-in one on purpose (for example
    the UCLA-3 with another cut-off). Results of all plugins are combined; built-ins are
    registered first, so an installed plugin's replacement wins.
    """


@hookspec
def resilience_register_wording(register: Register[Wording]) -> None:
    """Register item texts per instrument and locale: call ``register(wording)``.

    Called once when an engine is built. Validated scales ship without wording because it is
    copyrighted; a host app that holds a licence registers it here. One wording per
    (instrument id, locale); ``replace=True`` replaces an existing one.
    """


@hookspec
def resilience_register_scoring_rules(register: Register[ScoringRule]) -> None:
    """Register scoring rules that turn assessments into contributions: ``register(rule)``.

    Called once when an engine is built. Rule names are unique; ``replace=True`` replaces
    a rule of the same name (for example a built-in one). Every registered rule runs on
    every assessment, and their contributions are combined by the documented
    evidence-weighted mean, independent of the order plugins load in.
    """


@hookspec
def resilience_register_plan_steps(register: Register[StepTemplate]) -> None:
    """Register step templates that plans may draw from: ``register(template)``.

    Called once when an engine is built. Template ids are unique; ``replace=True`` replaces
    one with the same id. All templates from all plugins form one pool, which plan building
    ranks by the documented contract.
    """


@hookspec
def resilience_register_storage_backends(register: RegisterBackend) -> None:
    """Register storage backends: ``register(scheme, factory)``.

    Called once when an engine is built. ``factory(url, converter=...)`` returns a
    :class:`~resilience.storage.Store` for URLs of that scheme (``"sqlite"`` for
    ``sqlite:///path``). Schemes are unique; ``replace=True`` replaces a backend on purpose.
    """


@hookspec
def resilience_configure_converter(converter: cattrs.Converter) -> None:
    """Add cattrs hooks for a plugin's own types to the engine's converter.

    Called once when an engine is built, after the library's own hooks are registered.
    Every plugin's implementation is called; do not replace hooks for the library's types.
    """


@hookspec
def resilience_support_resources(
    profile: ResilienceProfile, locale: str
) -> Iterable[SupportResource] | None:
    """Return professional or community support resources suited to ``profile`` and ``locale``.

    Called when a plan is made (not when the engine is built), because the answer depends
    on the person. The resources of every plugin are combined, in plugin order (installed
    plugins before the built-in ones), without duplicates.
    """
