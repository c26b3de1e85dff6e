"""Connection-rebuilding plans: small concrete steps, check-ins and what they led to.

A :class:`ConnectionPlan` is immutable: :meth:`ConnectionPlan.check_in` returns a new plan
with the check-in recorded, so a plan's history can be stored append-only.

Example:
    >>> import datetime as dt
    >>> c = CheckIn("s1", dt.date(2026, 1, 9), Outcome.DONE, felt=4)
    >>> c.outcome.value
    'done'
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from resilience.model._frozen import to_frozenset, to_tuple
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
    """Whether a step template names one of the person's own connections.

    Example:
        >>> ConnectionNeed.TRUSTED.value
        'trusted'
    """

    NONE = "none"
    ANY = "any"
    TRUSTED = "trusted"


@attrs.frozen
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

    Example:
        >>> t = StepTemplate("reach-out/message", Strategy.REACH_OUT, 1, Effort.TINY,
        ...                  "Send {alias} a short message.", needs=ConnectionNeed.ANY)
        >>> sorted(p.value for p in t.pillars)
        ['belonging', 'practical-support']
    """

    id: str
    strategy: Strategy
    rung: int
    effort: Effort
    action: str
    pillars: frozenset[Pillar] = attrs.field(converter=to_frozenset)
    needs: ConnectionNeed = ConnectionNeed.NONE
    suits: frozenset[IsolationDriver] = attrs.field(default=frozenset(), converter=to_frozenset)
    in_person: bool = False

    @pillars.default
    def _strategy_pillars(self) -> frozenset[Pillar]:
        return self.strategy.pillars

    def __attrs_post_init__(self) -> None:
        if self.rung < 1:
            raise ValueError(f"step template {self.id!r}: rung must be 1 or more")
        if not self.pillars:
            raise ValueError(f"step template {self.id!r}: needs at least one pillar")


@attrs.frozen
class Step:
    """One concrete thing to do, drawn from one of the five strategies.

    Attributes:
        id: Unique within its plan.
        strategy: The strategy it comes from.
        pillars: The pillars it rebuilds.
        action: What to do, in plain words.
        effort: How much it asks.
        due: When it is due.
        reason: Why it was chosen, pointing at the profile's evidence.
        connection: The alias of the connection it involves, if any.
        template: The id of the template it was made from.
        rung: Its place on the strategy's ladder.

    Example:
        >>> import datetime as dt
        >>> Step("s1", Strategy.REACH_OUT, frozenset({Pillar.BELONGING}),
        ...      "Send Sam a message.", Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest",
        ...      connection="Sam").connection
        'Sam'
    """

    id: str
    strategy: Strategy
    pillars: frozenset[Pillar] = attrs.field(converter=to_frozenset)
    action: str
    effort: Effort
    due: dt.date
    reason: str
    connection: str | None = None
    template: str = ""
    rung: int = 1


def _check_felt(instance: CheckIn, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"felt must be a whole number from 1 to 5 or None, not {value!r}")


@attrs.frozen
class CheckIn:
    """What happened with one step.

    Attributes:
        step_id: The step checked in on.
        on: The day it happened (or was skipped).
        outcome: Done, partly done or skipped.
        felt: How it felt, 1 (hard) to 5 (good), if the person said.
        note: A free-text note, if any.

    Example:
        >>> import datetime as dt
        >>> CheckIn("s1", dt.date(2026, 1, 9), Outcome.DONE, felt=6)
        Traceback (most recent call last):
        ...
        ValueError: felt must be a whole number from 1 to 5 or None, not 6
    """

    step_id: str
    on: dt.date
    outcome: Outcome
    felt: int | None = attrs.field(default=None, validator=_check_felt)
    note: str | None = None


@attrs.frozen
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


@attrs.frozen
class ConnectionPlan:
    """A person's plan to rebuild connection, with everything that happened since.

    Attributes:
        person_id: Whose plan it is.
        made_on: The day it was made.
        profile: The profile it was made from.
        targets: The pillars it aims at, weakest first.
        steps: The steps, in the order to take them.
        check_ins: What happened, in the order reported.
        resources: Support resources it points to.
        reflection: A question to reflect on at the end of the plan's cycle.
        weekly_limit: The most steps due in any one week.

    Example:
        >>> # plans are made by Engine.plan(profile); see the planning guide.
    """

    person_id: str
    made_on: dt.date
    profile: ResilienceProfile
    targets: tuple[Pillar, ...] = attrs.field(converter=to_tuple)
    steps: tuple[Step, ...] = attrs.field(converter=to_tuple)
    check_ins: tuple[CheckIn, ...] = attrs.field(default=(), converter=to_tuple)
    resources: tuple[SupportResource, ...] = attrs.field(default=(), converter=to_tuple)
    reflection: str = ""
    weekly_limit: int = 3

    def step(self, step_id: str) -> Step:
        """Return the step with this id, or raise ``KeyError`` naming the known ids."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"no step {step_id!r} in this plan; steps: {[s.id for s in self.steps]}")

    def check_in(self, check_in: CheckIn) -> ConnectionPlan:
        """Return a new plan with ``check_in`` recorded; this plan is left unchanged.

        Raises:
            ValueError: the step is not part of this plan.

        Example:
            >>> # new_plan = plan.check_in(CheckIn(plan.steps[0].id, today, Outcome.DONE))
        """
        if not any(step.id == check_in.step_id for step in self.steps):
            known = ", ".join(step.id for step in self.steps)
            raise ValueError(f"check-in for unknown step {check_in.step_id!r}; steps: {known}")
        return attrs.evolve(self, check_ins=(*self.check_ins, check_in))
