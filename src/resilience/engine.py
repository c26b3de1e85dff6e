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
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import cattrs

from resilience import _profiles, planning
from resilience._plugins import PluginInfo, PluginProblem, PluginWarning, build_registry
from resilience._scoring import ScoringKey
from resilience.errors import (
    AnswerProblem,
    InvalidAnswersError,
    InvalidValueError,
    KeyMismatchError,
    UnknownInstrumentError,
    WordingNotFoundError,
)
from resilience.model.assessment import Answers, Assessment, InstrumentScore
from resilience.model.evidence import Reference
from resilience.model.fields import FrozenDict
from resilience.model.instruments import Instrument, Wording
from resilience.model.network import SupportNetwork
from resilience.model.plans import ConnectionPlan, SupportResource
from resilience.model.profile import ResilienceProfile, ScoringRule
from resilience.serialization import from_json, make_converter, to_json

if TYPE_CHECKING:
    from resilience.storage import Record, Store

__all__ = ["Engine"]

T = TypeVar("T")

DEFAULT_STORE = "memory://"


class Engine:
    """Built-in content plus plugins, and a store: the object host apps use.

    Building an engine builds its own plugin manager, loads the built-in plugins, the
    ``plugins`` given and (unless ``load_installed=False``) the installed ones, calls
    every register hook once and compiles every instrument. A plugin at fault is skipped
    with a :class:`~resilience._plugins.PluginWarning` and listed in
    :attr:`plugin_problems`; everything else keeps working.

    Args:
        store: A store URL (``"memory://"``, ``"sqlite:///path.db"``,
            ``"postgresql://…"``), a path, or an already open store. Defaults to an
            in-memory store. A URL or path is opened on first use of :attr:`store`.
        plugins: Extra plugin objects or modules to register (after the built-ins).
        load_installed: Whether to load plugins of installed distributions (entry-point
            group ``resilience``), subject to ``RESILIENCE_PLUGINS`` (allow-list) and
            ``RESILIENCE_DISABLE_PLUGINS`` (block-list).
        locale: The default locale for wording and support resources.
        environ: The environment to read plugin controls from (defaults to ``os.environ``).
        allow_backend_replacement: Let plugins replace a built-in storage scheme
            (``sqlite``, ``memory``, ``postgresql``). Off by default: a plugin that tries
            is skipped and listed in :attr:`plugin_problems`. Even when allowed, each
            replacement is listed there (and warned about).

    Raises:
        DuplicateRegistrationError: two plugins the host chose itself (built-ins, or
            plugins passed here) registered the same id without ``replace=True``.

    Example:
        >>> import resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> sorted(engine.instruments)[:3]
        ['brs', 'connection-signs', 'djg-6']
        >>> engine.plugin_problems
        ()
    """

    def __init__(
        self,
        *,
        store: str | os.PathLike[str] | Store | None = None,
        plugins: Iterable[object] = (),
        load_installed: bool = True,
        locale: str = "en",
        environ: Mapping[str, str] | None = None,
        allow_backend_replacement: bool = False,
    ) -> None:
        self.locale = locale
        #: The engine's cattrs converter: the library's hooks plus the plugins'.
        self.converter: cattrs.Converter = make_converter()
        registry = build_registry(
            plugins,
            load_installed=load_installed,
            environ=environ,
            converter=self.converter,
            allow_backend_replacement=allow_backend_replacement,
        )
        if registry.converter is not None:
            self.converter = registry.converter  # with the hooks plugins added
        for problem in registry.problems:
            warnings.warn(str(problem), PluginWarning, stacklevel=2)
        self._registry = registry
        # Compile every instrument once: scoring an answer set touches no hook.
        self._keys = {iid: ScoringKey(inst) for iid, inst in registry.instruments.items()}
        self._store: Store | None = None
        self._store_arg: str | Store
        if store is None:
            self._store_arg = DEFAULT_STORE
        elif isinstance(store, str | os.PathLike):
            self._store_arg = os.fspath(store)
        else:
            self._store_arg = store

    # -- content -------------------------------------------------------------------

    @property
    def instruments(self) -> Mapping[str, Instrument]:
        """Every registered instrument, by id.

        Example:
            >>> import resilience as rs
            >>> rs.Engine(load_installed=False).instruments["ucla-3"].validated
            True
        """
        return self._registry.instruments

    @property
    def references(self) -> Mapping[str, Reference]:
        """Every registered reference (the sources step templates rest on), by id.

        Example:
            >>> import resilience as rs
            >>> rs.Engine(load_installed=False).references["masi-2011"].short
            'Masi et al. 2011'
        """
        return self._registry.references

    @property
    def rules(self) -> Mapping[str, ScoringRule]:
        """Every registered scoring rule, by name.

        Example:
            >>> import resilience as rs
            >>> all(isinstance(r, rs.ScoringRule)
            ...     for r in rs.Engine(load_installed=False).rules.values())
            True
        """
        return self._registry.rules

    @property
    def plugin_problems(self) -> tuple[PluginProblem, ...]:
        """Plugins that were skipped because of a fault, each naming plugin and error.

        Example:
            >>> import warnings, resilience as rs
            >>> class Broken:
            ...     @rs.hookimpl
            ...     def resilience_register_instruments(self, register):
            ...         raise RuntimeError("oops")
            >>> with warnings.catch_warnings():
            ...     warnings.simplefilter("ignore")  # a PluginWarning names it too
            ...     engine = rs.Engine(plugins=[Broken()], load_installed=False)
            >>> print(engine.plugin_problems[0])  # doctest: +ELLIPSIS
            plugin '...Broken' skipped at resilience_register_instruments: RuntimeError: oops
            >>> "ucla-3" in engine.instruments
            True
        """
        return self._registry.problems

    def plugins(self) -> tuple[PluginInfo, ...]:
        """Each loaded plugin with its distribution, version and what it registered.

        Built-ins come first, then plugins passed to the engine, then installed ones.

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
        except (KeyError, TypeError):
            raise UnknownInstrumentError(instrument_id, self._keys) from None

    def score(self, instrument_id: str, answers: Answers) -> InstrumentScore:
        """Score one set of answers to one instrument.

        Raises:
            UnknownInstrumentError: no instrument has that id.
            InvalidAnswersError: listing every problem with the answers.

        Example:
            >>> import resilience as rs
            >>> score = rs.Engine(load_installed=False).score("lsns-6", {
            ...     "lsns-1": 3, "lsns-2": 2, "lsns-3": 2,
            ...     "lsns-4": 3, "lsns-5": 2, "lsns-6": 2})
            >>> score.total, score.band
            (14.0, 'not-at-risk')
        """
        # The lookup is written out rather than calling _key: this is the hot path, and
        # one Python call is a sizeable share of scoring a three-item scale.
        try:
            key = self._keys[instrument_id]
        except (KeyError, TypeError):  # TypeError: an id that is not even hashable
            raise UnknownInstrumentError(instrument_id, self._keys) from None
        return key.score(answers)

    def _check_keys(self, assessment: Assessment) -> None:
        for iid in assessment.answers:
            recorded = assessment.key_hashes.get(iid)
            if recorded is None:
                continue
            instrument = self._key(iid).instrument
            if recorded != instrument.key_hash:
                raise KeyMismatchError(iid, recorded, instrument.key_hash, instrument.version)

    def score_all(self, assessment: Assessment) -> Mapping[str, InstrumentScore]:
        """Score every instrument answered in an assessment.

        Where the assessment records the key hash an instrument's answers were collected
        with (:attr:`Assessment.key_hashes`), it must be the registered definition's.

        Raises:
            UnknownInstrumentError: an answered instrument is not registered.
            KeyMismatchError: an instrument's definition changed since its answers were
                collected.
            InvalidAnswersError: listing every problem with the answers.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                   {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 2}})
            >>> rs.Engine(load_installed=False).score_all(a)["ucla-3"].total
            4.0
        """
        _require(assessment, Assessment, "assessment")
        self._check_keys(assessment)
        return FrozenDict(
            (iid, self.score(iid, answers)) for iid, answers in assessment.answers.items()
        )

    def stamp(self, assessment: Assessment, *, replace: bool = False) -> Assessment:
        """A copy of ``assessment`` that records which definitions its answers go with.

        Fills :attr:`Assessment.key_hashes` with the registered key hash of every answered
        instrument, so that the answers are never scored later with a definition that has
        changed since (see :class:`~resilience.errors.KeyMismatchError`). Stamp an
        assessment when the answers are collected, before storing it. Keys already
        recorded are kept, unless ``replace=True``: that re-scores old answers with the
        current definitions, on purpose.

        Raises:
            UnknownInstrumentError: an answered instrument is not registered.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                   {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 2}})
            >>> stamped = engine.stamp(a)
            >>> stamped.key_hashes["ucla-3"] == engine.instruments["ucla-3"].key_hash
            True
            >>> engine.profile(stamped) == engine.profile(a)
            True
        """
        _require(assessment, Assessment, "assessment")
        keys = {} if replace else dict(assessment.key_hashes)
        for iid in assessment.answers:
            keys.setdefault(iid, self._key(iid).instrument.key_hash)
        if keys == assessment.key_hashes:
            return assessment
        return attrs.evolve(assessment, key_hashes=keys)

    def profile(self, assessment: Assessment) -> ResilienceProfile:
        """Turn an assessment into an explained :class:`~resilience.ResilienceProfile`.

        Raises:
            UnknownInstrumentError: an answered instrument is not registered.
            KeyMismatchError: an instrument's definition changed since its answers were
                collected (see :meth:`stamp`).
            InvalidAnswersError: the answers cannot be scored.
            ScoringRuleError: a rule raised or returned something out of range (the
                profile is not built without it); names the rule and its plugin.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                   {"brs": {f"brs-{n}": 3 for n in range(1, 7)}})
            >>> rs.Engine(load_installed=False).profile(a).person_id
            'p'
        """
        scores = self.score_all(assessment)  # checks that it is an Assessment
        return _profiles.build_profile(
            assessment,
            scores,
            self._registry.rules,
            instruments=self._registry.instruments,
            plugins=self._registry.rule_plugins,
        )

    # -- checking what is stored -------------------------------------------------

    def check_assessment(
        self, assessment: Assessment, *, allow_unregistered: bool = False
    ) -> Assessment:
        """Check an assessment's answers with the scorer's own checks, before it is stored.

        Every answered instrument must be registered, its recorded key hash (if any) must
        be the registered definition's, and its answers must be scorable: each problem
        is named at once, as :meth:`score` names them. An instrument the engine does not
        have is a problem too, unless ``allow_unregistered=True``: then its answers are
        kept unchecked and the returned copy says so in :attr:`Assessment.unchecked`.

        Returns:
            The assessment, or a copy that records which instruments went unchecked.

        Raises:
            InvalidAnswersError: every problem found, each naming its instrument (and
                item); kinds are the scorer's plus ``unknown-instrument`` and
                ``key-mismatch``.
            InvalidValueError: ``assessment`` is not an :class:`Assessment`.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
            >>> engine.check_assessment(rs.Assessment("p", when, {"ucla-3": {"ucla-1": 99},
            ...                                                  "phq-9": {"q1": 1}}))
            Traceback (most recent call last):
            ...
            resilience.errors.InvalidAnswersError: 3 problems with the answers:
              - ucla-3/ucla-1: 99 is not one of the scale's values (1, 2, 3) [out-of-range]
              - ucla-3: 2 items unanswered (ucla-2, ucla-3); at most 0 may be missing [too-many-missing]
              - phq-9: no instrument 'phq-9' is registered; known: brs, connection-signs, djg-6, lsns-6, mspss, resilience-capacities, ucla-3 [unknown-instrument]
            >>> kept = engine.check_assessment(rs.Assessment("p", when, {"phq-9": {"q1": 1}}),
            ...                                allow_unregistered=True)
            >>> sorted(kept.unchecked)
            ['phq-9']
        """  # noqa: E501
        _require(assessment, Assessment, "assessment")
        problems: list[AnswerProblem] = []
        unregistered: list[str] = []
        for iid, answers in assessment.answers.items():
            key = self._keys.get(iid)
            if key is None:
                if allow_unregistered:
                    unregistered.append(iid)
                else:
                    problems.append(
                        AnswerProblem(
                            iid,
                            None,
                            "unknown-instrument",
                            str(UnknownInstrumentError(iid, self._keys)),
                        )
                    )
                continue
            recorded = assessment.key_hashes.get(iid)
            if recorded is not None and recorded != key.instrument.key_hash:
                error = KeyMismatchError(
                    iid, recorded, key.instrument.key_hash, key.instrument.version
                )
                problems.append(AnswerProblem(iid, None, "key-mismatch", str(error)))
                continue
            try:
                key.score(answers)
            except InvalidAnswersError as error:
                problems.extend(error.problems)
        if problems:
            raise InvalidAnswersError(problems)
        marked = assessment.unchecked | frozenset(unregistered)
        if marked == assessment.unchecked:
            return assessment
        return attrs.evolve(assessment, unchecked=marked)

    def check_record(self, record: Record, *, allow_unregistered: bool = False) -> Record:
        """Check one record before it is stored: an assessment as :meth:`check_assessment`.

        Profiles, plans and check-ins are returned as they are (their types checked them
        when they were built). This is the check :meth:`import_records` runs on every
        line; a streaming importer can call it per record.

        Raises:
            InvalidAnswersError: an assessment's answers would be refused by scoring.
            InvalidRecordError: ``record`` is not one of the four record types.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> c = rs.CheckIn("s1", dt.date(2026, 1, 9), "done")
            >>> engine.check_record(c) is c
            True
        """
        from resilience.storage._records import kind_of

        kind_of(record)  # InvalidRecordError for anything but a record
        if isinstance(record, Assessment):
            return self.check_assessment(record, allow_unregistered=allow_unregistered)
        return record

    def append(
        self, record: Record, *, person_id: str | None = None, allow_unregistered: bool = False
    ) -> str:
        """Check a record (see :meth:`check_record`) and append it to :attr:`store`.

        Answers scoring would refuse are never stored; answers to an instrument the
        engine does not have are stored only with ``allow_unregistered=True``, and the
        stored assessment then lists them in :attr:`Assessment.unchecked`.

        Returns:
            The stored record's id.

        Raises:
            InvalidAnswersError: the answers would be refused by scoring; nothing is
                stored.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
            >>> with rs.Engine(load_installed=False) as engine:
            ...     answers = {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}}
            ...     _ = engine.append(rs.Assessment("p", when, answers))
            ...     engine.append(rs.Assessment("p", when, {"ucla-3": {"ucla-1": True}}))
            Traceback (most recent call last):
            ...
            resilience.errors.InvalidValueError: answers['ucla-3']['ucla-1'] must be a whole number, a finite number or None, not bool
        """  # noqa: E501
        checked = self.check_record(record, allow_unregistered=allow_unregistered)
        return self.store.append(checked, person_id=person_id)

    def append_many(
        self,
        records: Iterable[Record | tuple[Record, str]],
        *,
        allow_unregistered: bool = False,
    ) -> list[str]:
        """Check every record, then append them all in one transaction (all or nothing).

        Raises:
            InvalidAnswersError: some assessment would be refused by scoring; every
                problem of every record is listed, and nothing is stored.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
            >>> with rs.Engine(load_installed=False) as engine:
            ...     ids = engine.append_many([rs.Assessment("p", when, {})])
            >>> len(ids)
            1
        """
        from resilience.storage._records import batch_entries

        checked: list[Any] = []
        problems: list[AnswerProblem] = []
        for entry in batch_entries(records):
            if isinstance(entry, tuple) and len(entry) != 2:
                checked.append(entry)  # not a pair: the store names it by its position
                continue
            record, person = entry if isinstance(entry, tuple) else (entry, None)
            try:
                record = self.check_record(record, allow_unregistered=allow_unregistered)
            except InvalidAnswersError as error:
                problems.extend(error.problems)
                continue
            checked.append(record if person is None else (record, person))
        if problems:
            raise InvalidAnswersError(problems)
        return self.store.append_many(checked)

    def import_records(
        self, lines: Iterable[str | bytes] | str | bytes, *, allow_unregistered: bool = False
    ) -> int:
        """Import JSON Lines into :attr:`store`, checking every record as :meth:`append` does.

        All or nothing: a line whose answers scoring would refuse is reported with its
        line number, and nothing is stored. This holds for any store: one whose
        ``import_records`` takes no ``check=`` is handed the lines only after every one
        passed (see :func:`resilience.storage.import_checked`); a built-in store checks
        them in the same single pass that stores them. Records are stored exactly as exported, so
        with ``allow_unregistered=True`` only answers whose record already lists them in
        :attr:`Assessment.unchecked` are let through.

        Returns:
            How many records were new.

        Raises:
            InvalidRecordError: some lines cannot be read or would be refused; each is
                named by its line number.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> taken = rs.Assessment("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
            ...                       {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}})
            >>> with rs.Engine(load_installed=False) as source:
            ...     _ = source.append(taken)
            ...     lines = source.store.export("p")
            >>> with rs.Engine(load_installed=False) as target:
            ...     target.import_records(lines)
            1
        """

        def check(record: Record) -> None:
            # An import stores each record exactly as exported (its id is checked against
            # its content), so it cannot add the ``unchecked`` mark: answers to an
            # instrument this engine does not have are imported only when the record
            # already carries the mark and the caller allows it.
            checked = self.check_record(record, allow_unregistered=allow_unregistered)
            if checked is not record and isinstance(record, Assessment):
                unmarked = sorted(iid for iid in record.answers if iid not in self._keys)
                raise InvalidAnswersError(
                    AnswerProblem(
                        iid,
                        None,
                        "unknown-instrument",
                        f"no instrument {iid!r} is registered, and the record does not say "
                        "its answers are unchecked; store it with "
                        "Engine.append(..., allow_unregistered=True) instead",
                    )
                    for iid in unmarked
                    if iid not in record.unchecked
                )

        from resilience.storage import import_checked

        # A store that takes check= streams and checks in one pass; any other store (one
        # written before check= was in the contract) is handed the lines only once every
        # one of them passed.
        return import_checked(self.store, lines, check=check, converter=self.converter)

    # -- planning ------------------------------------------------------------------

    def support_resources(
        self, profile: ResilienceProfile, locale: str | None = None
    ) -> tuple[SupportResource, ...]:
        """Support resources every plugin offers for this profile, without duplicates.

        Calls every plugin's ``resilience_support_resources``, highest priority first. A
        plugin that raises here is skipped with a warning; the others' resources are still
        returned.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> class Local:
            ...     @rs.hookimpl
            ...     def resilience_support_resources(self, profile, locale):
            ...         return [rs.SupportResource("Hub", f"in {locale}", "hub.example")]
            >>> engine = rs.Engine(plugins=[Local()], load_installed=False, locale="nl")
            >>> profile = rs.ResilienceProfile("p", dt.datetime.now(dt.timezone.utc), {}, {})
            >>> [r.description for r in engine.support_resources(profile)]
            ['in nl']
        """
        _require(profile, ResilienceProfile, "profile")
        return self._registry.hooks.support_resources(profile, locale or self.locale)

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
        """Build a connection-rebuilding plan from a profile (deterministic).

        The step templates of every plugin form the pool; the support resources of every
        plugin are attached. See :func:`resilience.planning.build_plan` for the rules.

        Args:
            profile: The profile to plan from.
            network: The person's support network, so that steps can name their
                connections (without one, steps use each template's general wording).
            today: The day the plan starts; steps fall due from it. Defaults to the day
                the profile's assessment was taken (``profile.assessed_at.date()``), never
                the clock, so the same profile always gives the same plan. Pass the
                current day to start a plan from an older profile now.
            previous: The plan this one continues, if any.
            weekly_limit: The most steps due in any one week.
            locale: The locale for support resources (defaults to the engine's).

        Example:
            >>> import datetime as dt, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...                   {"ucla-3": {"ucla-1": 3, "ucla-2": 3, "ucla-3": 2}})
            >>> plan = engine.plan(engine.profile(a), today=dt.date(2026, 1, 5))
            >>> plan.person_id, len(plan.steps) > 0
            ('p', True)
        """
        _require(profile, ResilienceProfile, "profile")
        return planning.build_plan(
            profile,
            templates=tuple(self._registry.templates.values()),
            resources=self.support_resources(profile, locale),
            network=network,
            today=profile.assessed_at.date() if today is None else today,
            previous=previous,
            weekly_limit=weekly_limit,
        )

    def compare(
        self,
        old: ResilienceProfile,
        new: ResilienceProfile,
        *,
        plan: ConnectionPlan | None = None,
        before_network: SupportNetwork | None = None,
        after_network: SupportNetwork | None = None,
    ) -> planning.ProfileChange:
        """What changed between two profiles of one person (a re-assessment).

        Like :func:`resilience.planning.compare`, with the networks filled in: a network
        not passed is read from the store, from the assessment the profile was made from
        (the person's stored assessment taken at the profile's time). With both networks
        known, the same both times and the same answers, a change that comes only from
        time passing (a last contact now over three months ago) is told as such, not as
        the person getting worse.

        Args:
            old: The earlier profile.
            new: The later profile of the same person.
            plan: The plan followed since ``old``: the summary opens with what was done.
            before_network: The network described with the earlier answers.
            after_network: The network described with the later answers.

        Raises:
            ValueError: the profiles belong to different people.

        Example:
            >>> import datetime as dt, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> sam = rs.Connection("Sam", rs.Relation.FRIEND, trust=5, safety=5,
            ...                     pillars={rs.Pillar.VALIDATION},
            ...                     contact={rs.ContactMode.CALL: rs.Frequency.MONTHLY},
            ...                     last_contact=dt.date(2026, 1, 1))
            >>> def answered(month, day):  # the same answers and network, six weeks apart
            ...     return rs.Assessment("p-1",
            ...         dt.datetime(2026, month, day, tzinfo=dt.timezone.utc),
            ...         {"ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}},
            ...         network=rs.SupportNetwork((sam,)))
            >>> first, later = answered(3, 2), answered(4, 13)
            >>> _ = engine.store.append_many([first, later])
            >>> print(engine.compare(engine.profile(first), engine.profile(later)).summary)
            Lower with time only (validation and perspective): it is now over three months
            since you were in touch with Sam.
        """
        _require(old, ResilienceProfile, "old")
        _require(new, ResilienceProfile, "new")
        if before_network is None:
            before_network = self._network_of(old)
        if after_network is None:
            after_network = self._network_of(new)
        return planning.compare(
            old, new, plan=plan, before_network=before_network, after_network=after_network
        )

    def _network_of(self, profile: ResilienceProfile) -> SupportNetwork | None:
        """The network of the stored assessment ``profile`` was made from, if any."""
        at = profile.assessed_at
        stored = self.store.history(
            profile.person_id, "assessment", since=at, until=at + dt.timedelta(seconds=1)
        )
        for record in stored:
            assessment = record.record
            if not isinstance(assessment, Assessment) or assessment.taken_at != at:
                continue
            if assessment.network is not None:
                return assessment.network
        return None

    # -- storage and serialisation -------------------------------------------------

    @property
    def store(self) -> Store:
        """The engine's store, opened on first use with the backends plugins registered.

        Example:
            >>> import resilience as rs
            >>> with rs.Engine(load_installed=False) as engine:
            ...     store = engine.store
            >>> store is not None
            True
        """
        if self._store is None:
            arg = self._store_arg
            if isinstance(arg, str):
                from resilience.storage import open_store

                self._store = open_store(
                    arg, backends=self._registry.backends, converter=self.converter
                )
            else:
                self._store = arg
        return self._store

    def close(self) -> None:
        """Close the store, if the engine opened it (a store passed in stays open).

        Example:
            >>> import resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> engine.close()  # nothing opened yet: nothing to do
        """
        if self._store is not None and isinstance(self._store_arg, str):
            self._store.close()
        self._store = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def to_json(self, obj: Any, *, indent: int | None = None) -> str:
        """Like :func:`resilience.to_json`, with the hooks plugins added.

        Example:
            >>> import json, resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> score = engine.score("ucla-3", {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1})
            >>> json.loads(engine.to_json(score, indent=2))["total"]
            4.0
        """
        return to_json(obj, converter=self.converter, indent=indent)

    def from_json(self, text: str | bytes, cls: type[T]) -> T:
        """Like :func:`resilience.from_json`, with the hooks plugins added.

        Example:
            >>> import resilience as rs
            >>> engine = rs.Engine(load_installed=False)
            >>> score = engine.score("ucla-3", {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1})
            >>> engine.from_json(engine.to_json(score), rs.InstrumentScore) == score
            True
        """
        return from_json(text, cls, converter=self.converter)


def _require(value: object, cls: type, name: str) -> None:
    if not isinstance(value, cls):
        raise InvalidValueError(f"{name} must be a {cls.__name__}, not {type(value).__name__}")
