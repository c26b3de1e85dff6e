"""The :class:`Engine`: the object host apps use. It wires plugins, scoring and storage.

Building an engine builds its own plugin manager (there is no global one), calls every
register hook once, compiles every instrument once and opens the store. After that,
scoring an answer set touches no hook.

Example:
    >>> import resilience as rs
    >>> engine = rs.Engine(load_installed=False)
    >>> engine.score("ucla-3", {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}).band
    'lonely'
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

import cattrs

from resilience import planning, profiling
from resilience.errors import UnknownInstrumentError, WordingNotFoundError
from resilience.model._frozen import FrozenDict
from resilience.model.assessment import Answers, Assessment, InstrumentScore
from resilience.model.instruments import Instrument, Wording
from resilience.model.network import SupportNetwork
from resilience.model.plans import ConnectionPlan, SupportResource
from resilience.model.profile import ResilienceProfile, ScoringRule
from resilience.plugins import (
    PluginInfo,
    PluginProblem,
    PluginWarning,
    build_plugin_manager,
    collect,
)
from resilience.scoring import ScoringKey
from resilience.serialization import from_json, make_converter, to_json

if TYPE_CHECKING:
    from resilience.storage import Store

__all__ = ["Engine"]

T = TypeVar("T")

DEFAULT_STORE = "memory://"


class Engine:
    """Built-in content plus installed plugins, and a store.

    Args:
        store: A store URL (``"memory://"``, ``"sqlite:///path.db"``,
            ``"postgresql://…"``) or an already open store. Defaults to an in-memory store.
        plugins: Extra plugin objects or modules to register (after the built-ins).
        load_installed: Whether to load plugins of installed distributions (entry-point
            group ``resilience``), subject to ``RESILIENCE_PLUGINS`` and
            ``RESILIENCE_DISABLE_PLUGINS``.
        locale: The default locale for wording and support resources.
        environ: The environment to read plugin controls from (defaults to ``os.environ``).

    Example:
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> sorted(engine.instruments)[:3]
        ['brs', 'connection-signs', 'djg-6']
    """

    def __init__(
        self,
        *,
        store: str | Store | None = None,
        plugins: Iterable[object] = (),
        load_installed: bool = True,
        locale: str = "en",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.locale = locale
        self._pm, sources, problems = build_plugin_manager(
            plugins, load_installed=load_installed, environ=environ
        )
        for problem in problems:
            warnings.warn(str(problem), PluginWarning, stacklevel=2)
        registry = collect(self._pm, sources, problems)
        self._registry = registry
        self._keys = {iid: ScoringKey(inst) for iid, inst in registry.instruments.items()}
        self.converter: cattrs.Converter = make_converter()
        self._pm.hook.resilience_configure_converter(converter=self.converter)
        self._store: Store | None = None
        self._store_arg = DEFAULT_STORE if store is None else store

    # -- content -------------------------------------------------------------------

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Every registered instrument, by id."""
        return self._registry.instruments

    @property
    def rules(self) -> Mapping[str, ScoringRule]:
        """Every registered scoring rule, by name."""
        return self._registry.rules

    @property
    def plugin_problems(self) -> tuple[PluginProblem, ...]:
        """Plugins that were skipped because of a fault, with the reason."""
        return self._registry.problems

    def plugins(self) -> tuple[PluginInfo, ...]:
        """Each loaded plugin with its distribution, version and what it registered.

        Example:
            >>> import resilience as rs
            >>> [p.name for p in rs.Engine(load_installed=False).plugins()][0]
            'resilience.builtin.instruments'
        """
        return self._registry.plugins

    def wording(self, instrument_id: str, locale: str | None = None) -> Wording:
        """The item texts of an instrument in a locale (falling back from ``de-AT`` to ``de``).

        Raises:
            WordingNotFoundError: none is registered; the message says how to register it.

        Example:
            >>> import resilience as rs
            >>> rs.Engine(load_installed=False).wording("connection-signs").locale
            'en'
        """
        self._key(instrument_id)
        wanted = locale or self.locale
        for candidate in (wanted, wanted.split("-")[0]):
            found = self._registry.wording.get((instrument_id, candidate))
            if found is not None:
                return found
        available = [loc for (iid, loc) in self._registry.wording if iid == instrument_id]
        raise WordingNotFoundError(instrument_id, wanted, available)

    # -- scoring -------------------------------------------------------------------

    def _key(self, instrument_id: str) -> ScoringKey:
        try:
            return self._keys[instrument_id]
        except KeyError:
            raise UnknownInstrumentError(instrument_id, self._keys) from None

    def score(self, instrument_id: str, answers: Answers) -> InstrumentScore:
        """Score one set of answers to one instrument.

        Raises:
            UnknownInstrumentError: no instrument has that id.
            InvalidAnswersError: listing every problem with the answers.

        Example:
            >>> import resilience as rs
            >>> rs.Engine(load_installed=False).score("lsns-6", {
            ...     "lsns-1": 2, "lsns-2": 1, "lsns-3": 1,
            ...     "lsns-4": 3, "lsns-5": 2, "lsns-6": 1}).band
            'not-at-risk'
        """
        return self._key(instrument_id).score(answers)

    def score_all(self, assessment: Assessment) -> Mapping[str, InstrumentScore]:
        """Score every instrument answered in an assessment.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                   {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 2}})
            >>> rs.Engine(load_installed=False).score_all(a)["ucla-3"].total
            4.0
        """
        return FrozenDict(
            (iid, self.score(iid, answers)) for iid, answers in assessment.answers.items()
        )

    def profile(self, assessment: Assessment) -> ResilienceProfile:
        """Turn an assessment into an explained :class:`~resilience.ResilienceProfile`.

        Raises:
            InvalidAnswersError: the answers cannot be scored.
            ScoringRuleError: a rule raised or returned something out of range (the
                profile is not built without it).
        """
        scores = self.score_all(assessment)
        return profiling.build_profile(
            assessment, scores, self._registry.rules, plugins=self._registry.rule_plugins
        )

    # -- planning ------------------------------------------------------------------

    def support_resources(
        self, profile: ResilienceProfile, locale: str | None = None
    ) -> tuple[SupportResource, ...]:
        """Support resources every plugin offers for this profile, without duplicates.

        A plugin that raises here is skipped and reported with a warning; the others'
        resources are still returned.
        """
        wanted = locale or self.locale
        found: list[SupportResource] = []
        hook = self._pm.hook.resilience_support_resources
        for impl in reversed(hook.get_hookimpls()):
            try:
                kwargs: dict[str, Any] = {"profile": profile, "locale": wanted}
                result = cast(
                    "Iterable[object] | None",
                    impl.function(*(kwargs[name] for name in impl.argnames)),
                )
                for resource in result or ():
                    if not isinstance(resource, SupportResource):
                        raise TypeError(
                            f"returned {type(resource).__name__}, expected SupportResource"
                        )
                    if resource not in found:
                        found.append(resource)
            except Exception as error:
                warnings.warn(
                    f"plugin {impl.plugin_name!r} skipped in resilience_support_resources: "
                    f"{type(error).__name__}: {error}",
                    PluginWarning,
                    stacklevel=2,
                )
        return tuple(found)

    def plan(
        self,
        profile: ResilienceProfile,
        *,
        network: SupportNetwork | None = None,
        today: dt.date | None = None,
        previous: ConnectionPlan | None = None,
        weekly_limit: int = 3,
        locale: str | None = None,
    ) -> ConnectionPlan:
        """Build a connection-rebuilding plan from a profile (pure and deterministic).

        See :func:`resilience.planning.build_plan` for the rules it follows.
        """
        return planning.build_plan(
            profile,
            templates=tuple(self._registry.templates.values()),
            resources=self.support_resources(profile, locale),
            network=network,
            today=today or dt.date.today(),
            previous=previous,
            weekly_limit=weekly_limit,
        )

    # -- storage and serialisation -------------------------------------------------

    @property
    def store(self) -> Store:
        """The engine's store, opened on first use."""
        if self._store is None:
            from resilience.storage import open_store

            arg = self._store_arg
            self._store = (
                open_store(arg, backends=self._registry.backends, converter=self.converter)
                if isinstance(arg, str)
                else arg
            )
        return self._store

    def close(self) -> None:
        """Close the store, if it was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def to_json(self, obj: Any) -> str:
        """Like :func:`resilience.to_json`, with the hooks plugins added."""
        return to_json(obj, converter=self.converter)

    def from_json(self, text: str | bytes, cls: type[T]) -> T:
        """Like :func:`resilience.from_json`, with the hooks plugins added."""
        return from_json(text, cls, converter=self.converter)
