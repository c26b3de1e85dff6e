"""A kit for testing plugins and host apps (needs the ``test`` extra for hypothesis).

What is here, and where:

* :func:`engine_with` builds an engine with the built-ins plus only the plugins given, so a
  test never depends on what happens to be installed, and fails loudly if a plugin is
  skipped.
* :func:`check_scoring_rule` checks the contract of a scoring rule with hypothesis: it
  never raises on a valid assessment, it is deterministic and keeps no state between
  calls, and every contribution is in range and names the rule.
* :mod:`resilience.testing.strategies` has hypothesis strategies for every public type
  (``instruments()``, ``answers_for(instrument)``, ``assessments()``, ``profiles()``, …).
* :mod:`resilience.testing.storage` has the conformance suite every storage backend must
  pass; a plugin that registers a backend runs it against its own store.

Example:
    >>> import resilience as rs
    >>> from resilience.testing import check_scoring_rule, engine_with
    >>> def steady(assessment, scores):
    ...     return [rs.Contribution("steady", "1", rs.Pillar.BELONGING, 50.0, 1.0)]
    >>> rule = rs.ScoringRule("steady", "1", "always 50", steady)
    >>> check_scoring_rule(rule, max_examples=10)
    >>> class Steady:
    ...     @rs.hookimpl
    ...     def resilience_register_scoring_rules(self, register):
    ...         register(rule)
    >>> "steady" in engine_with(Steady()).rules
    True
"""

from __future__ import annotations

import collections
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs

from resilience._plugins import PluginWarning
from resilience._profiles import run_rule
from resilience.engine import Engine
from resilience.errors import PluginError, ScoringRuleError
from resilience.model.assessment import Assessment, InstrumentScore
from resilience.model.fields import FrozenDict
from resilience.model.instruments import Instrument
from resilience.model.profile import Contribution, ScoringRule

if TYPE_CHECKING:
    from resilience.storage import Store

__all__ = ["check_scoring_rule", "engine_with"]


def engine_with(
    *plugins: object,
    store: str | os.PathLike[str] | Store | None = None,
    locale: str = "en",
    strict: bool = True,
) -> Engine:
    """An engine with the built-ins plus only ``plugins``; installed plugins never load.

    Args:
        plugins: Plugin objects or modules, registered in this order after the built-ins.
        store: The store, as for :class:`~resilience.Engine` (in memory by default).
        locale: The engine's default locale.
        strict: Raise if any plugin was skipped, instead of warning (a test should not
            pass with its plugin silently left out).

    Raises:
        PluginError: ``strict`` and a plugin was skipped; the message lists every problem.

    Example:
        >>> import resilience as rs
        >>> class Broken:
        ...     @rs.hookimpl
        ...     def resilience_register_instruments(self, register):
        ...         register("not an instrument")
        >>> engine_with(Broken())  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        resilience.errors.PluginError: plugin '...Broken': skipped at resilience_register_instruments: registered str ...
    """  # noqa: E501
    if not strict:
        return Engine(plugins=plugins, load_installed=False, store=store, locale=locale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PluginWarning)  # raised as an error just below
        engine = Engine(plugins=plugins, load_installed=False, store=store, locale=locale)
    problems = engine.plugin_problems
    if problems:
        first = problems[0]
        details = [f"skipped at {p.stage}: {p.error}" for p in problems[:1]]
        details.extend(str(p) for p in problems[1:])
        raise PluginError(first.plugin, "; ".join(details), distribution=first.distribution)
    return engine


def _run(
    rule: ScoringRule, assessment: Assessment, scores: Mapping[str, InstrumentScore]
) -> collections.Counter[Contribution]:
    # The same call and the same contract build_profile uses, so that a rule passes here
    # exactly when a profile can be built with it.
    try:
        contributions = run_rule(rule, assessment, scores)
    except ScoringRuleError as error:
        if error.__cause__ is not None:
            raise AssertionError(
                f"scoring rule {rule.name!r} raised on a valid assessment: {error.detail}"
            ) from error.__cause__
        raise AssertionError(f"scoring rule {rule.name!r} {error.detail}") from None
    return collections.Counter(contributions)


def check_scoring_rule(
    rule: ScoringRule, *, instruments: Iterable[Instrument] = (), max_examples: int = 100
) -> None:
    """Check a scoring rule's contract on assessments hypothesis generates.

    For every valid assessment (answers to any subset of the built-in instruments and of
    ``instruments``, with or without a support network), the rule must:

    * return contributions and never raise (anything: ``SystemExit`` and other
      ``BaseException`` subclasses fail the check like any error, as they stop a profile);
    * be deterministic: the same assessment gives the same contributions, whatever order
      its answers are listed in, and even after the rule has seen another assessment (it
      keeps no state);
    * keep every value within 0–100 and every weight finite and non-negative;
    * sign each contribution with its own name and version, so explanations are true.

    Args:
        rule: The rule to check.
        instruments: Instruments of the rule's plugin, so that it is fed answers to them.
        max_examples: How many assessments hypothesis tries.

    Raises:
        AssertionError: the first broken promise, with the assessment hypothesis found.

    Example:
        >>> import resilience as rs
        >>> def moody(assessment, scores):
        ...     return [rs.Contribution("moody", "1", rs.Pillar.BELONGING,
        ...                             100.0 * len(assessment.answers), 1.0)]
        >>> try:
        ...     check_scoring_rule(rs.ScoringRule("moody", "1", "", moody))
        ... except AssertionError as error:
        ...     print(str(error))  # doctest: +ELLIPSIS
        scoring rule 'moody' raised on a valid assessment: InvalidValueError: value ...outside 0–100
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Flaky

    from resilience._scoring import compile_instrument
    from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
    from resilience.testing import strategies

    pool = {inst.id: inst for inst in (*BUILTIN_INSTRUMENTS, *instruments)}
    keys = {iid: compile_instrument(inst) for iid, inst in pool.items()}

    def scores_of(assessment: Assessment) -> Mapping[str, InstrumentScore]:
        return FrozenDict(
            (iid, keys[iid].score(answers)) for iid, answers in assessment.answers.items()
        )

    @settings(
        max_examples=max_examples,
        deadline=None,
        # Each rule is checked afresh: a shared example database would replay one rule's
        # failures against the next rule checked by this same function.
        database=None,
        report_multiple_bugs=False,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        assessment=strategies.assessments(tuple(pool.values())),
        other=strategies.assessments(tuple(pool.values())),
    )
    def check(assessment: Assessment, other: Assessment) -> None:
        scores = scores_of(assessment)
        first = _run(rule, assessment, scores)
        again = _run(rule, assessment, scores)
        if first != again:
            raise AssertionError(
                f"scoring rule {rule.name!r} is not deterministic: two calls with the same "
                "assessment gave different contributions"
            )
        reordered = attrs.evolve(
            assessment,
            answers={
                iid: dict(reversed(list(answers.items())))
                for iid, answers in reversed(list(assessment.answers.items()))
            },
        )
        if _run(rule, reordered, FrozenDict(reversed(list(scores.items())))) != first:
            raise AssertionError(
                f"scoring rule {rule.name!r} depends on the order answers are listed in"
            )
        _run(rule, other, scores_of(other))
        if _run(rule, assessment, scores) != first:
            raise AssertionError(
                f"scoring rule {rule.name!r} keeps state between calls: the same assessment "
                "gave different contributions after another one was scored"
            )

    try:
        check()
    except Flaky as error:
        raise AssertionError(
            f"scoring rule {rule.name!r} is not deterministic: it failed once on an "
            "assessment and then passed on the very same one (it depends on state, time or "
            "randomness)"
        ) from error
