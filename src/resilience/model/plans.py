"""Connection-rebuilding plans: small concrete steps, check-ins and what they led to.

A :class:`ConnectionPlan` is immutable: :meth:`ConnectionPlan.check_in` returns a new plan
with the check-in recorded, so a plan's history can be stored append-only. Plans are built,
followed and compared by :mod:`resilience.planning`.

Example:
    >>> import datetime as dt
    >>> c = CheckIn("s1", dt.date(2026, 1, 9), Outcome.DONE, felt=4)
    >>> c.outcome.value
    'done'
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any

import attrs

from resilience.errors import InvalidValueError, PlanningError, UnknownStepError
from resilience.model.evidence import Approach, Reference, Technique
from resilience.model.fields import (
    FrozenDict,
    check_day,
    check_person_id,
    enum_map,
    enum_one,
    enum_set,
    enum_tuple,
    shown,
    text_fields,
    to_tuple,
)
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationDriver, Pillar, Strategy

__all__ = [
    "CheckIn",
    "ConnectionNeed",
    "ConnectionPlan",
    "Effort",
    "Outcome",
    "Step",
    "StepTemplate",
    "SupportResource",
    "check_in_timeline",
    "latest_check_ins",
]


class Effort(enum.Enum):
    """How much a step asks of a person, smallest first.

    Example:
        >>> Effort.TINY.level < Effort.MEDIUM.level
        True
    """

    TINY = "tiny"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def level(self) -> int:
        """0 for tiny up to 3 for large."""
        return list(Effort).index(self)


class Outcome(enum.Enum):
    """What happened with a step.

    Example:
        >>> Outcome("partly")
        <Outcome.PARTLY: 'partly'>
    """

    DONE = "done"
    PARTLY = "partly"
    SKIPPED = "skipped"


class ConnectionNeed(enum.Enum):
    """Whether a step template names one of the person's own connections, and which kind.

    ``ANY`` and ``TRUSTED`` name one person who is neither a group nor a professional;
    ``DORMANT`` names such a person not in touch for a long while (a step that says "no
    need to explain the silence"); ``HOUSEHOLD`` names someone the person shares daily life
    with; ``GROUP`` names a group or community the person belongs to; ``PROFESSIONAL``
    names a professional the person already sees (a step that builds on that support).

    Example:
        >>> ConnectionNeed.TRUSTED.value
        'trusted'
    """

    NONE = "none"
    ANY = "any"
    TRUSTED = "trusted"
    DORMANT = "dormant"
    HOUSEHOLD = "household"
    GROUP = "group"
    PROFESSIONAL = "professional"


def _to_strategy(value: object) -> Strategy:
    return enum_one(Strategy, "strategy", value)


def _to_effort(value: object) -> Effort:
    return enum_one(Effort, "effort", value)


def _to_pillars(value: object) -> frozenset[Pillar]:
    return enum_set(Pillar, "pillars", value)


def _to_needs(value: object) -> ConnectionNeed:
    return enum_one(ConnectionNeed, "needs", value)


def _to_suits(value: object) -> frozenset[IsolationDriver]:
    return enum_set(IsolationDriver, "suits", value)


def _check_approach(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Approach):
        raise InvalidValueError(
            f"approach must be an Approach or None, not {type(value).__name__} {value!r}"
        )


_TECHNIQUE_ID = re.compile(r"[1-9][0-9]?\.[1-9][0-9]?|BCIO:[0-9]{6}")


def _check_technique_ids(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    for code in value:
        if not isinstance(code, str) or not _TECHNIQUE_ID.fullmatch(code):
            raise InvalidValueError(
                "techniques must be BCT Taxonomy v1 numbers such as '8.7' or BCT Ontology "
                f"ids such as 'BCIO:007100', not {code!r}"
            )


def _check_references(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    for reference in value:
        if not isinstance(reference, Reference):
            raise InvalidValueError(
                f"references must be Reference values, not {type(reference).__name__}"
            )


def _check_techniques(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]
) -> None:
    for technique in value:
        if not isinstance(technique, Technique):
            raise InvalidValueError(
                f"techniques must be Technique values, not {type(technique).__name__}"
            )


@attrs.frozen(field_transformer=text_fields)
class StepTemplate:
    """A kind of step a plan can contain: one rung of one strategy's ladder.

    Plugins add templates through ``resilience_register_plan_steps``.

    Attributes:
        id: A unique id (``"reach-out/message"``).
        strategy: The strategy it belongs to.
        rung: Its place on the strategy's ladder, 1 for the smallest first move.
        effort: How much it asks.
        action: The action in plain words; ``{alias}`` is replaced by a connection's alias.
        pillars: The pillars it rebuilds (defaults to the strategy's).
        needs: Whether it names a connection, and whether that one must be trusted.
        suits: Drivers of isolation it is tailored to.
        in_person: Whether it happens face to face.
        unnamed: The words put in place of ``{alias}`` when the network has someone who
            fits ``needs`` but who cannot be named by this step (already named in about a
            third of the plan, say). Plans never use them when nobody fits: a step never
            presumes a person the network does not have. Write the action so that it
            reads well both ways.
        approach: The kind of intervention it belongs to (the four of Masi et al. 2011).
        techniques: Its behaviour-change techniques: BCT Taxonomy v1 numbers (``"8.7"``),
            or BCT Ontology ids (``"BCIO:007031"``) to name one ontology class where a
            number has several. Checked against the bundled table when registered.
        references: The registered references it rests on, the strongest first.

    Every registered template must declare an approach, at least one technique and at
    least one reference (see :mod:`resilience.evidence`).

    Example:
        >>> t = StepTemplate("reach-out/message", Strategy.REACH_OUT, 1, Effort.TINY,
        ...                  "Send {alias} a short message.", needs=ConnectionNeed.ANY)
        >>> sorted(p.value for p in t.pillars)
        ['belonging', 'practical-support']
    """

    id: str
    strategy: Strategy = attrs.field(converter=_to_strategy)
    rung: int
    effort: Effort = attrs.field(converter=_to_effort)
    action: str
    pillars: frozenset[Pillar] = attrs.field(converter=_to_pillars)
    needs: ConnectionNeed = attrs.field(
        default=ConnectionNeed.NONE,
        converter=_to_needs,
    )
    suits: frozenset[IsolationDriver] = attrs.field(default=frozenset(), converter=_to_suits)
    in_person: bool = False
    unnamed: str = "someone you trust"
    approach: Approach | None = attrs.field(default=None, validator=_check_approach)
    techniques: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_technique_ids
    )
    references: tuple[Reference, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_references
    )

    @pillars.default
    def _strategy_pillars(self) -> frozenset[Pillar]:
        return self.strategy.pillars

    def __attrs_post_init__(self) -> None:
        rung = self.rung
        if isinstance(rung, bool) or not isinstance(rung, int) or rung < 1:
            raise InvalidValueError(
                f"step template {self.id!r}: rung must be a whole number of 1 or more, "
                f"not {shown(rung)}"
            )
        if not self.pillars:
            raise InvalidValueError(f"step template {self.id!r}: needs at least one pillar")


@attrs.frozen(field_transformer=text_fields)
class Step:
    """One concrete thing to do, drawn from one of the five strategies.

    Attributes:
        id: Unique within its plan.
        strategy: The strategy it comes from.
        pillars: The pillars it rebuilds among those its plan targets.
        action: What to do, in plain words.
        effort: How much it asks.
        due: When it is due.
        reason: Why it was chosen, pointing at the profile's evidence.
        connection: The alias of the connection it involves, if any.
        template: The id of the template it was made from.
        rung: Its place on the strategy's ladder.
        in_person: Whether it happens face to face.
        approach: The kind of intervention it belongs to, from its template.
        techniques: Its behaviour-change techniques, looked up from its template's codes.
        references: The references its template rests on;
            :func:`resilience.evidence.why` turns them into one plain sentence.

    Example:
        >>> import datetime as dt
        >>> Step("s1", Strategy.REACH_OUT, frozenset({Pillar.BELONGING}),
        ...      "Send Sam a message.", Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest",
        ...      connection="Sam").connection
        'Sam'
    """

    id: str
    strategy: Strategy = attrs.field(converter=_to_strategy)
    pillars: frozenset[Pillar] = attrs.field(converter=_to_pillars)
    action: str
    effort: Effort = attrs.field(converter=_to_effort)
    due: dt.date = attrs.field(validator=check_day)
    reason: str
    connection: str | None = None
    template: str = ""
    rung: int = 1
    in_person: bool = False
    approach: Approach | None = attrs.field(default=None, validator=_check_approach)
    techniques: tuple[Technique, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_techniques
    )
    references: tuple[Reference, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_references
    )


def _check_felt(instance: CheckIn, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValueError(
            f"{attribute.name} must be a whole number from 1 to 5 or None, not {shown(value)}"
        )


def _to_outcome(value: object) -> Outcome:
    return enum_one(Outcome, "outcome", value)


@attrs.frozen(field_transformer=text_fields)
class CheckIn:
    """What happened with one step.

    Attributes:
        step_id: The step checked in on.
        on: The day it happened (or was skipped).
        outcome: Done, partly done or skipped.
        felt: How it felt, 1 (hard) to 5 (good), if the person said.
        note: A free-text note, if any.
        expected: For a step that tests an expectation: how well the person expected it
            to go beforehand, 1 (badly) to 5 (very well), if they said.
        happened: How well it actually went, on the same 1–5 scale. A check-in with both
            shows whether the expectation was too gloomy (``happened > expected``).

    Example:
        >>> import datetime as dt
        >>> CheckIn("s1", dt.date(2026, 1, 9), Outcome.DONE, felt=6)
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: felt must be a whole number from 1 to 5 or None, not 6
    """

    step_id: str
    on: dt.date = attrs.field(validator=check_day)
    outcome: Outcome = attrs.field(converter=_to_outcome)
    felt: int | None = attrs.field(default=None, validator=_check_felt)
    note: str | None = None
    expected: int | None = attrs.field(default=None, validator=_check_felt)
    happened: int | None = attrs.field(default=None, validator=_check_felt)


@attrs.frozen(field_transformer=text_fields)
class SupportResource:
    """A place to find professional or community support, registered by the host app.

    Attributes:
        name: Its name.
        description: What it offers.
        contact: How to reach it (a phone number, an address, a URL).
        kind: ``"helpline"``, ``"service"``, ``"community"`` or ``"general"``.
        locale: The locale or region it serves, if it is limited to one.

    Example:
        >>> SupportResource("Local listening line", "Talk to a trained volunteer",
        ...                 "0800 000 000", kind="helpline").kind
        'helpline'
    """

    name: str
    description: str
    contact: str
    kind: str = "service"
    locale: str | None = None


def _check_limit(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(
            f"{attribute.name} must be a whole number of 1 or more, not {shown(value)}"
        )


def _to_targets(value: object) -> tuple[Pillar, ...]:
    return enum_tuple(Pillar, "targets", value)


def _to_ladder(value: object) -> FrozenDict[Strategy, Any]:
    return enum_map(Strategy, "ladder", value)


@attrs.frozen(field_transformer=text_fields)
class ConnectionPlan:
    """A person's plan to rebuild connection, with everything that happened since.

    Attributes:
        person_id: Whose plan it is.
        made_on: The day it was made; week 1 of the plan starts that day.
        profile: The profile it was made from.
        targets: The pillars it aims at, weakest first.
        steps: The steps, in the order to take them (by due date).
        check_ins: What happened, in the order reported.
        resources: Support resources it points to.
        reflection: A question to reflect on at the end of the plan's cycle.
        weekly_limit: The most steps due in any one week.
        cycle: 1 for a fresh plan; one more for each plan it continues.
        ladder: The rung each strategy stood on when the plan was made (where a
            continuation picks up when a strategy had no check-in).
        completed: Steps done in the earlier plans this one continues, so that they are
            not offered again.

    Example:
        >>> import datetime as dt
        >>> profile = ResilienceProfile("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                             {}, {})
        >>> step = Step("c1-01", Strategy.REACH_OUT, {Pillar.BELONGING}, "Send Sam a message.",
        ...             Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest")
        >>> plan = ConnectionPlan("p-1", dt.date(2026, 1, 5), profile, (Pillar.BELONGING,),
        ...                       (step,))
        >>> later = plan.check_in(CheckIn("c1-01", dt.date(2026, 1, 7), Outcome.DONE))
        >>> (len(plan.check_ins), later.outcome("c1-01"))
        (0, <Outcome.DONE: 'done'>)
    """

    person_id: str = attrs.field(validator=check_person_id)
    made_on: dt.date = attrs.field(validator=check_day)
    profile: ResilienceProfile
    targets: tuple[Pillar, ...] = attrs.field(converter=_to_targets)
    steps: tuple[Step, ...] = attrs.field(converter=to_tuple)
    check_ins: tuple[CheckIn, ...] = attrs.field(default=(), converter=to_tuple)
    resources: tuple[SupportResource, ...] = attrs.field(default=(), converter=to_tuple)
    reflection: str = ""
    weekly_limit: int = attrs.field(default=3, validator=_check_limit)
    cycle: int = attrs.field(default=1, validator=_check_limit)
    ladder: Mapping[Strategy, int] = attrs.field(factory=FrozenDict, converter=_to_ladder)
    completed: tuple[Step, ...] = attrs.field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        ids = [step.id for step in self.steps]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise InvalidValueError(
                f"step ids must be unique in a plan; repeated: {', '.join(map(repr, repeated))}"
            )

    def step(self, step_id: str) -> Step:
        """Return the step with this id.

        Raises:
            UnknownStepError: the plan has no such step (also a ``KeyError``); the message
                names the plan's steps.

        Example:
            >>> import datetime as dt
            >>> profile = ResilienceProfile(
            ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {}, {})
            >>> step = Step("c1-01", Strategy.REACH_OUT, {Pillar.BELONGING}, "Say hello.",
            ...             Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest")
            >>> plan = ConnectionPlan("p-1", dt.date(2026, 1, 5), profile, (), (step,))
            >>> plan.step("c1-01").action
            'Say hello.'
            >>> plan.step("c1-02")
            Traceback (most recent call last):
            ...
            resilience.errors.UnknownStepError: no step 'c1-02' in this plan; steps: c1-01
        """
        for step in self.steps:
            if step.id == step_id:
                return step
        raise UnknownStepError(step_id, [s.id for s in self.steps])

    def check_in(self, check_in: CheckIn) -> ConnectionPlan:
        """Return a new plan with ``check_in`` recorded; this plan is left unchanged.

        Raises:
            UnknownStepError: the step is not part of this plan (a
                :class:`~resilience.errors.PlanningError`).
            PlanningError: the check-in is dated before the day the plan was made.
            InvalidValueError: ``check_in`` is not a :class:`CheckIn`.

        Example:
            >>> import datetime as dt
            >>> profile = ResilienceProfile(
            ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {}, {})
            >>> step = Step("c1-01", Strategy.REACH_OUT, {Pillar.BELONGING}, "Say hello.",
            ...             Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest")
            >>> plan = ConnectionPlan("p-1", dt.date(2026, 1, 5), profile, (), (step,))
            >>> plan.check_in(CheckIn("c1-01", dt.date(2026, 1, 8), Outcome.DONE)).outcome("c1-01")
            <Outcome.DONE: 'done'>
            >>> plan.check_in(CheckIn("c1-01", dt.date(2026, 1, 2), Outcome.DONE))
            Traceback (most recent call last):
            ...
            resilience.errors.PlanningError: check-in for step 'c1-01' is dated 2026-01-02, before the plan was made on 2026-01-05
        """  # noqa: E501
        if not isinstance(check_in, CheckIn):
            raise InvalidValueError(f"check_in must be a CheckIn, not {type(check_in).__name__}")
        if not any(step.id == check_in.step_id for step in self.steps):
            raise UnknownStepError(
                check_in.step_id, [step.id for step in self.steps], doing="check-in"
            )
        if check_in.on < self.made_on:
            raise PlanningError(
                f"check-in for step {check_in.step_id!r} is dated {check_in.on.isoformat()}, "
                f"before the plan was made on {self.made_on.isoformat()}"
            )
        return attrs.evolve(self, check_ins=(*self.check_ins, check_in))

    def latest_check_in(self, step_id: str) -> CheckIn | None:
        """The check-in that counts for a step: the latest by date, then by order reported.

        Example:
            >>> # plan.latest_check_in("c1-01") is None until someone checks in on it
        """
        return latest_check_ins(self).get(step_id)

    def outcome(self, step_id: str) -> Outcome | None:
        """The outcome that counts for a step, or ``None`` while it is still open."""
        latest = self.latest_check_in(step_id)
        return None if latest is None else latest.outcome


def check_in_timeline(plan: ConnectionPlan) -> list[CheckIn]:
    """A plan's check-ins in the order they count: by date, then the order reported.

    Example:
        >>> # check_in_timeline(plan)[-1] is the check-in that was reported last, by date
    """
    indexed = sorted(enumerate(plan.check_ins), key=lambda entry: (entry[1].on, entry[0]))
    return [check_in for _, check_in in indexed]


def latest_check_ins(plan: ConnectionPlan) -> dict[str, CheckIn]:
    """The check-in that counts for each step with one: its last on the timeline.

    Example:
        >>> # latest_check_ins(plan).get("c1-01") is the check-in that counts for step c1-01
    """
    return {check_in.step_id: check_in for check_in in check_in_timeline(plan)}
