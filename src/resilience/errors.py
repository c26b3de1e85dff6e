"""Every error the library raises about data, in one hierarchy under :class:`ResilienceError`.

Answers, records, instrument definitions, model values, plugins, plans and storage all
fail with a :class:`ResilienceError`. Errors about bad input are also :class:`ValueError`
(and lookups of unknown names are also :class:`LookupError`), so code that already catches
the standard exceptions keeps working. Where a wrong kind of argument used to be a plain
:class:`TypeError` (``to_json`` of a plain string), the library's error is a
:class:`TypeError` too.

Example:
    >>> import resilience as rs
    >>> try:
    ...     rs.Engine(load_installed=False).score("ucla-3", {"companionship": 9})
    ... except rs.ResilienceError as error:
    ...     print(type(error).__name__)
    InvalidAnswersError
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "AnswerProblem",
    "BatchInputError",
    "DuplicateRegistrationError",
    "InstrumentDefinitionError",
    "InvalidAnswersError",
    "InvalidRecordError",
    "InvalidValueError",
    "KeyMismatchError",
    "MissingPersonError",
    "PlanningError",
    "PluginError",
    "ResilienceError",
    "SchemaVersionError",
    "ScoringRuleError",
    "StepEvidenceError",
    "StorageError",
    "StoreURLError",
    "UnknownBackendError",
    "UnknownInstrumentError",
    "UnknownStepError",
    "UnknownTechniqueError",
    "UnwritableRecordError",
    "WordingNotFoundError",
]


def _shown(value: object) -> str:
    # repr() for messages, which never fails (a huge int cannot be written in full).
    try:
        text = repr(value)
    except Exception:
        return f"a {type(value).__name__}"
    return text if len(text) <= 80 else f"{text[:77]}..."


class ResilienceError(Exception):
    """Base class of every error raised by ``resilience``.

    Example:
        >>> from resilience.errors import ResilienceError, UnknownInstrumentError
        >>> issubclass(UnknownInstrumentError, ResilienceError)
        True
    """


class InstrumentDefinitionError(ResilienceError, ValueError):
    """An instrument, item, scale or band was defined inconsistently.

    Raised when the definition is built, so a broken questionnaire never reaches a person.

    Example:
        >>> from resilience.model.instruments import ResponseOption, ResponseScale
        >>> ResponseScale("empty", ())
        Traceback (most recent call last):
        ...
        resilience.errors.InstrumentDefinitionError: scale 'empty': needs at least two options
    """


class InvalidValueError(ResilienceError, ValueError):
    """A value given to one of the library's types is of the wrong type or out of range.

    Raised when the value is built (a naive ``taken_at``, a trust level of 6, a
    contribution outside 0–100, two connections with one alias…), so a bad value never
    gets into a profile, a plan or a store. Wrong types raise it too, so callers catch
    one class; the message names the field and the bad value.

    Example:
        >>> import resilience as rs
        >>> try:
        ...     rs.Connection("Sam", rs.Relation.FRIEND, trust=6, safety=4)
        ... except rs.InvalidValueError as error:
        ...     print(error)
        trust must be a whole number from 1 to 5, not 6
    """


@attrs.frozen
class AnswerProblem:
    """One thing wrong with a set of answers.

    Attributes:
        instrument_id: The instrument the answers were for.
        item_id: The item the problem concerns, or ``None`` for the answer set as a whole.
        kind: A stable machine-readable code: ``unknown-item``, ``wrong-type``,
            ``out-of-range``, ``too-many-missing``.
        message: A sentence for people.

    Example:
        >>> AnswerProblem("brs", "b1", "out-of-range", "7 is not one of 1, 2, 3, 4, 5")
        AnswerProblem(instrument_id='brs', item_id='b1', kind='out-of-range', message='7 is not one of 1, 2, 3, 4, 5')
    """  # noqa: E501

    instrument_id: str
    item_id: str | None
    kind: str
    message: str

    def __str__(self) -> str:
        where = (
            self.instrument_id if self.item_id is None else f"{self.instrument_id}/{self.item_id}"
        )
        return f"{where}: {self.message} [{self.kind}]"


class InvalidAnswersError(ResilienceError, ValueError):
    """Answers that cannot be scored; lists *every* problem found, not just the first.

    Attributes:
        problems: Each problem, with the instrument and item it concerns.

    Example:
        >>> problem = AnswerProblem("ucla-3", "x", "unknown-item", "no such item")
        >>> error = InvalidAnswersError([problem])
        >>> print(error)
        1 problem with the answers:
          - ucla-3/x: no such item [unknown-item]
    """

    def __init__(self, problems: Iterable[AnswerProblem]) -> None:
        self.problems: tuple[AnswerProblem, ...] = tuple(problems)
        count = len(self.problems)
        lines = [f"{count} problem{'s' if count != 1 else ''} with the answers:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class BatchInputError(ResilienceError, ValueError):
    """A table of answers cannot be read as answers to the instrument (see ``resilience.batch``).

    Raised for the shape of the input as a whole (a missing item column, a missing marker
    that is also an answer value, a file of unknown format); problems with single answers
    never raise, they are reported per row.

    Example:
        >>> print(BatchInputError("no column for item ucla-2"))
        no column for item ucla-2
    """


class UnknownInstrumentError(ResilienceError, LookupError):
    """No instrument with that id is registered.

    Example:
        >>> str(UnknownInstrumentError("phq-9", ["brs", "ucla-3"]))
        "no instrument 'phq-9' is registered; known: brs, ucla-3"
    """

    def __init__(self, instrument_id: str, known: Iterable[str]) -> None:
        self.instrument_id = instrument_id
        self.known = tuple(sorted(known))
        super().__init__(
            f"no instrument {_shown(instrument_id)} is registered; known: {', '.join(self.known)}"
        )

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class WordingNotFoundError(ResilienceError, LookupError):
    """No item wording is registered for that instrument and locale.

    Validated scales ship without their (copyrighted) wording: a host app that holds a
    licence registers it through the ``resilience_register_wording`` hook.

    Example:
        >>> print(WordingNotFoundError("ucla-3", "en", []))  # doctest: +ELLIPSIS
        no wording for instrument 'ucla-3' in locale 'en' ...
    """

    def __init__(self, instrument_id: str, locale: str, available: Iterable[str]) -> None:
        self.instrument_id = instrument_id
        self.locale = locale
        self.available = tuple(sorted(available))
        have = ", ".join(self.available) or "none"
        super().__init__(
            f"no wording for instrument {_shown(instrument_id)} in locale {_shown(locale)} "
            f"(registered locales: {have}). Item wording of validated scales is copyrighted "
            "and not shipped; register licensed wording with a plugin that implements "
            "resilience_register_wording(register) and calls register(Wording(...))."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidRecordError(ResilienceError, ValueError):
    """Serialised data (JSON, a stored record, an imported line) could not be read.

    Attributes:
        problems: One line per problem, each naming the JSON path (``$.answers.brs``).

    Example:
        >>> print(InvalidRecordError("Assessment", ["missing field @ $.person_id"]))
        cannot read Assessment:
          - missing field @ $.person_id
    """

    def __init__(self, what: str, problems: Iterable[str]) -> None:
        self.what = what
        self.problems: tuple[str, ...] = tuple(problems)
        lines = [f"cannot read {what}:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class UnwritableRecordError(ResilienceError, TypeError, ValueError):
    """A value cannot be written as a JSON record; nothing was written.

    Raised by :func:`resilience.to_json` for what is not a record (a string, a number, a
    plain dict) and for a record holding what JSON cannot carry: NaN or an infinity, an
    integer too long to write out, text with a lone surrogate, an object JSON has no form
    for, a value that contains itself. It is a :class:`TypeError` (the wrong kind of
    value) and a :class:`ValueError` (a value JSON cannot carry), as the standard errors
    it replaces were.

    Attributes:
        problems: One line per problem, naming the JSON path where it is known.

    Example:
        >>> print(UnwritableRecordError("Note", ["NaN is not a JSON number @ $.score"]))
        cannot write Note as JSON:
          - NaN is not a JSON number @ $.score
    """

    def __init__(self, what: str, problems: Iterable[str]) -> None:
        self.what = what
        self.problems: tuple[str, ...] = tuple(problems)
        lines = [f"cannot write {what} as JSON:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class SchemaVersionError(InvalidRecordError):
    """A record was written by a newer version of the library than this one.

    Example:
        >>> print(SchemaVersionError("Assessment", 9, 1))  # doctest: +ELLIPSIS
        cannot read Assessment:
          - schema_version 9 is newer than the newest this library reads (1); ...
    """

    def __init__(self, what: str, found: int, newest: int) -> None:
        self.found = found
        self.newest = newest
        super().__init__(
            what,
            [
                f"schema_version {found} is newer than the newest this library reads "
                f"({newest}); upgrade resilience to read it"
            ],
        )


class PluginError(ResilienceError):
    """A plugin failed to load, raised inside a hook, or registered something invalid.

    Attributes:
        plugin: The plugin's name.
        distribution: The installed distribution it came from, if any.

    Example:
        >>> print(PluginError("broken", "registered a non-Instrument", distribution="acme"))
        plugin 'broken' (distribution acme): registered a non-Instrument
    """

    def __init__(self, plugin: str, message: str, *, distribution: str | None = None) -> None:
        self.plugin = plugin
        self.distribution = distribution
        self.detail = message
        source = f" (distribution {distribution})" if distribution else ""
        super().__init__(f"plugin {plugin!r}{source}: {message}")


class DuplicateRegistrationError(PluginError, ValueError):
    """Two plugins registered the same id (an instrument, a rule, a backend scheme).

    Mark one of them as a replacement (``register(thing, replace=True)``) to let it win.

    Example:
        >>> print(DuplicateRegistrationError("instrument", "ucla-3", "a", "b"))
        plugin 'b': instrument 'ucla-3' is already registered by plugin 'a'; pass replace=True to register() to replace it on purpose
    """  # noqa: E501

    def __init__(self, kind: str, ident: str, first: str, second: str) -> None:
        self.kind = kind
        self.ident = ident
        self.first = first
        self.second = second
        super().__init__(
            second,
            f"{kind} {ident!r} is already registered by plugin {first!r}; "
            "pass replace=True to register() to replace it on purpose",
        )


class ScoringRuleError(ResilienceError):
    """A scoring rule raised, or returned a contribution outside its allowed range.

    The profile is not built without the rule: a silently missing rule would give a
    person a misleading picture. When the rule raised (anything, ``SystemExit`` included),
    what it raised is the error's ``__cause__``.

    Attributes:
        rule: The rule's name.
        plugin: The plugin that registered it, if known.
        detail: What went wrong, without the rule's and plugin's names.

    Example:
        >>> print(ScoringRuleError("network", "value 140 is outside 0–100", plugin="acme"))
        scoring rule 'network' (plugin acme): value 140 is outside 0–100
    """

    def __init__(self, rule: str, message: str, *, plugin: str | None = None) -> None:
        self.rule = rule
        self.plugin = plugin
        self.detail = message
        source = f" (plugin {plugin})" if plugin else ""
        super().__init__(f"scoring rule {rule!r}{source}: {message}")


class PlanningError(ResilienceError, ValueError):
    """A plan cannot be built or continued from this input.

    For example a weekly limit below 1, or continuing a plan that belongs to another
    person.

    Example:
        >>> isinstance(PlanningError("weekly_limit must be 1 or more"), ValueError)
        True
    """


class UnknownStepError(PlanningError, KeyError):
    """A plan has no step with that id (also a :class:`KeyError`, as for any lookup).

    Attributes:
        step_id: The id asked for.
        known: The ids of the plan's steps.

    Example:
        >>> print(UnknownStepError("s9", ["s1", "s2"]))
        no step 's9' in this plan; steps: s1, s2
        >>> print(UnknownStepError("s9", ["s1"], doing="check-in"))
        check-in for unknown step 's9': no step 's9' in this plan; steps: s1
    """

    def __init__(self, step_id: str, known: Iterable[str], *, doing: str | None = None) -> None:
        self.step_id = step_id
        self.known = tuple(known)
        message = f"no step {step_id!r} in this plan; steps: {', '.join(self.known) or 'none'}"
        if doing is not None:
            message = f"{doing} for unknown step {step_id!r}: {message}"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would otherwise repr() the message
        return str(self.args[0])


class StepEvidenceError(ResilienceError, ValueError):
    """A step template does not say what it rests on, or cites what nobody registered.

    Every registered template declares its approach, one or more behaviour-change
    technique codes and one or more registered references; the plugin that registers a
    template without them is skipped, and the message names the template.

    Attributes:
        template: The id of the template.

    Example:
        >>> print(StepEvidenceError("walk/invite", "declares no approach"))
        step template 'walk/invite': declares no approach
    """

    def __init__(self, template: str, message: str) -> None:
        self.template = template
        super().__init__(f"step template {template!r}: {message}")


class UnknownTechniqueError(StepEvidenceError, LookupError):
    """A behaviour-change technique code that the bundled table does not know.

    Attributes:
        template: The id of the template that used it (empty for a direct look-up).
        code: The code or BCT Ontology id asked for.

    Example:
        >>> print(UnknownTechniqueError("walk/invite", "8.77"))
        step template 'walk/invite': unknown behaviour-change technique '8.77' (not a BCT Taxonomy v1 number or BCT Ontology id in the bundled table)
    """  # noqa: E501

    def __init__(self, template: str, code: str) -> None:
        self.template = template
        self.code = code
        message = (
            f"unknown behaviour-change technique {code!r} (not a BCT Taxonomy v1 number or "
            "BCT Ontology id in the bundled table)"
        )
        prefix = f"step template {template!r}: " if template else ""
        Exception.__init__(self, prefix + message)


class KeyMismatchError(ResilienceError, ValueError):
    """Answers were collected with another definition of an instrument than the one registered.

    An :class:`~resilience.model.assessment.Assessment` records, in its ``keys``, the
    scoring-key hash of each instrument its answers were given against. When the
    registered definition has changed since (a moved cut-off, another reverse key, a
    different missing-item rule), scoring the old answers with it would quietly give
    them a meaning they never had. The app decides on purpose: re-score with the current
    definition (``engine.stamp(assessment, replace=True)``), or register the old
    definition again.

    Attributes:
        instrument_id: The instrument whose definition changed.
        recorded: The key hash the answers were collected with.
        current: The key hash of the registered definition.

    Example:
        >>> error = KeyMismatchError("brs", "0123456789abcdef", "fedcba9876543210", "1")
        >>> print(error)  # doctest: +ELLIPSIS
        instrument 'brs': the answers were collected with definition key 0123456789ab…, but the registered definition (version 1) has key fedcba987654…; ...
    """  # noqa: E501

    def __init__(
        self, instrument_id: str, recorded: str, current: str, version: str | None = None
    ) -> None:
        self.instrument_id = instrument_id
        self.recorded = recorded
        self.current = current
        registered = "the registered definition"
        if version is not None:
            registered += f" (version {version})"
        super().__init__(
            f"instrument {instrument_id!r}: the answers were collected with definition key "
            f"{recorded[:12]}…, but {registered} has key {current[:12]}…; the definition "
            "changed since the answers were collected (for example a moved cut-off or "
            "another reverse key), so scoring them with it could change what they mean. "
            "Re-score them with the current definition on purpose "
            "(engine.stamp(assessment, replace=True)) or register the definition they "
            "were collected with."
        )


class StorageError(ResilienceError):
    """A storage backend failed; nothing was half-written.

    Example:
        >>> isinstance(StorageError("disk full"), ResilienceError)
        True
    """


class MissingPersonError(StorageError, ValueError):
    """A check-in was stored without saying whose it is.

    A check-in belongs to a plan, not to a person directly, so the store needs the
    ``person_id`` of the plan's owner when it is appended.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> check_in = rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE)
        >>> rs.open_store("memory://").append(check_in)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        resilience.errors.MissingPersonError: check-ins have no person of their own: pass person_id=... (the person whose plan it belongs to), not None
    """  # noqa: E501


class StoreURLError(StorageError, ValueError):
    """A store URL is empty or malformed; the message names the problem.

    Example:
        >>> import resilience as rs
        >>> rs.open_store("")
        Traceback (most recent call last):
        ...
        resilience.errors.StoreURLError: the store URL is empty; give one such as sqlite:///resilience.db or memory://
    """  # noqa: E501


class UnknownBackendError(StorageError, ValueError):
    """A store URL names a scheme no backend is registered for.

    Example:
        >>> print(UnknownBackendError("mongodb", ["memory", "sqlite"]))
        no storage backend for scheme 'mongodb'; known schemes: memory, sqlite
    """

    def __init__(self, scheme: str, known: Iterable[str]) -> None:
        self.scheme = scheme
        self.known = tuple(sorted(known))
        super().__init__(
            f"no storage backend for scheme {scheme!r}; known schemes: {', '.join(self.known)}"
        )
