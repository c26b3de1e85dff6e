"""Ladders: where each strategy stands, and which template and connection come next.

Each strategy is a ladder of rungs. A plan climbs one rung at a time; where a continued
plan starts depends on the latest check-in of the plan before it (:class:`LadderMode`).
:class:`Planner` holds one plan build's inputs and ranks the candidate steps.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence

import attrs

from resilience.errors import UnknownStepError
from resilience.model.network import Connection, ContactMode, SupportNetwork
from resilience.model.plans import (
    CheckIn,
    ConnectionNeed,
    ConnectionPlan,
    Effort,
    Outcome,
    Step,
    StepTemplate,
    check_in_timeline,
    latest_check_ins,
)
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationDriver, Pillar, Strategy
from resilience.planning._targets import sign_levels, targets_for

__all__ = [
    "Choice",
    "LadderMode",
    "Planner",
    "Position",
    "completed_steps",
    "latest_by_strategy",
    "positions",
]

_DIGITAL = frozenset({IsolationDriver.REMOTE_AND_DIGITAL, IsolationDriver.SHALLOW_SOCIAL_MEDIA})
_UNKNOWN_DAYS = -1  # sorts a connection with no known last contact after every known one


class LadderMode(enum.Enum):
    """How a strategy's ladder goes on when a plan is made.

    Example:
        >>> LadderMode.after(Outcome.SKIPPED)
        <LadderMode.BELOW: 'below'>
    """

    NEW = "new"  #: the strategy was not in the plan before: start on its lowest rung
    FROM = "from"  #: go on from the rung the last plan reached, nothing checked in since
    ABOVE = "above"  #: the last step was done: one rung up
    SAME = "same"  #: the last step was partly done: the same rung again
    BELOW = "below"  #: the last step was skipped: a smaller step

    @classmethod
    def after(cls, outcome: Outcome) -> LadderMode:
        """The mode that follows a check-in with ``outcome``."""
        return {Outcome.DONE: cls.ABOVE, Outcome.PARTLY: cls.SAME, Outcome.SKIPPED: cls.BELOW}[
            outcome
        ]


@attrs.frozen
class Position:
    """Where a strategy's ladder stands when a plan is made.

    Attributes:
        mode: How the ladder goes on.
        rung: The rung reached (for :attr:`LadderMode.NEW`, the lowest rung).
        effort: The effort level of the step checked in last (0: none).
        template: The template of that step ("" when none).
        connection: The alias the strategy has been working with, if any.

    Example:
        >>> Position(LadderMode.ABOVE, 2).start_rung
        3
    """

    mode: LadderMode
    rung: int
    effort: int = 0
    template: str = ""
    connection: str | None = None

    @property
    def start_rung(self) -> int:
        """The rung the next step is looked for on."""
        if self.mode is LadderMode.ABOVE:
            return self.rung + 1
        if self.mode is LadderMode.BELOW:
            return max(1, self.rung - 1)
        return self.rung


@attrs.frozen
class Choice:
    """One candidate step: a template, the connection it names (or nobody), its pillars."""

    template: StepTemplate
    connection: Connection | None
    pillars: frozenset[Pillar]


class Planner:
    """The state of one plan build: the inputs, prepared once, and the ranking of steps.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> planner = Planner(p, TEMPLATES, None, dt.date(2026, 1, 5), frozenset())
        >>> len(planner.targets)
        4
    """

    def __init__(
        self,
        profile: ResilienceProfile,
        templates: Iterable[StepTemplate],
        network: SupportNetwork | None,
        today: dt.date,
        done: frozenset[tuple[str, str | None]],
    ) -> None:
        self.profile = profile
        self.today = today
        self.done = done
        self.targets = targets_for(profile)
        self.sign_levels = sign_levels(profile)
        self.weight = {p: len(self.targets) - i for i, p in enumerate(self.targets)}
        self.drivers = profile.drivers
        self.connections = network.connections if network is not None else ()
        self.ceiling = Effort.MEDIUM.level if IsolationDriver.BUSY_LIFE in profile.drivers else None
        by_id = {t.id: t for t in templates}
        self.templates = [by_id[i] for i in sorted(by_id)]

    # ranking ------------------------------------------------------------------------

    def usable(self, strategy: Strategy) -> list[StepTemplate]:
        """The strategy's templates that aim at a target and fit the effort ceiling."""
        target_set = set(self.targets)
        return [
            t
            for t in self.templates
            if t.strategy is strategy
            and t.pillars & target_set
            and (self.ceiling is None or t.effort.level <= self.ceiling)
        ]

    def target_weight(self, pillars: Iterable[Pillar]) -> int:
        """How high the best-placed target among ``pillars`` ranks (0: none targeted)."""
        return max((self.weight.get(p, 0) for p in pillars), default=0)

    def rank(self, choice: Choice, avoid: str = "") -> tuple[object, ...]:
        """The documented ranking key of a candidate step: smaller ranks better."""
        t = choice.template
        return (
            t.id == avoid and avoid != "",
            -self.target_weight(t.pillars),
            -len(t.suits & self.drivers),
            bool(t.suits) and not t.suits & self.drivers,  # tailored to someone else
            -(1 if t.in_person and self.drivers & _DIGITAL else 0),
            -(1 if choice.connection is not None else 0),
            t.effort.level,
            t.id,
        )

    def days_since(self, connection: Connection) -> int:
        """Days since the last contact with ``connection`` (-1 when unknown)."""
        if connection.last_contact is None:
            return _UNKNOWN_DAYS
        return (self.today - connection.last_contact).days

    def people(self, strategy: Strategy, focus: str | None) -> list[Connection]:
        """The person's connections in the order this strategy prefers them."""

        def key(c: Connection) -> tuple[object, ...]:
            stale = -self.days_since(c)
            if strategy is Strategy.BE_VULNERABLE_FIRST:
                core: tuple[object, ...] = (-c.trust, -c.safety, stale)
            elif strategy is Strategy.INVEST_IN_RELATIONSHIPS:
                core = (not c.trusted, -c.safety, -c.trust, stale)
            elif strategy is Strategy.IN_PERSON:
                core = (not c.trusted, ContactMode.IN_PERSON in c.contact, stale, -c.trust)
            else:
                core = (not c.trusted, stale, -c.trust, -c.safety)
            return (c.alias != focus, *core, c.alias)

        return sorted(self.connections, key=key)

    def choices(
        self,
        template: StepTemplate,
        strategy: Strategy,
        focus: str | None,
        *,
        allow_done: bool = False,
    ) -> list[Choice]:
        """Every way to use ``template``: with each fitting connection, or with nobody."""
        pillars = frozenset(p for p in template.pillars if p in self.weight)
        found: list[Choice] = []
        if template.needs is not ConnectionNeed.NONE:
            trusted_only = (
                template.needs is ConnectionNeed.TRUSTED
                or strategy is Strategy.BE_VULNERABLE_FIRST  # opening up: trusted people only
            )
            for c in self.people(strategy, focus):
                if trusted_only and not c.trusted:
                    continue
                if allow_done or (template.id, c.alias) not in self.done:
                    found.append(Choice(template, c, pillars))
        if allow_done or (template.id, None) not in self.done:
            found.append(Choice(template, None, pillars))
        return found

    def best(
        self,
        strategy: Strategy,
        candidates: Iterable[StepTemplate],
        focus: str | None,
        *,
        avoid: str = "",
        allow_done: bool = False,
    ) -> Choice | None:
        """The best-ranked way to use any of ``candidates`` (``None``: there is none)."""
        options = [
            choice
            for t in candidates
            for choice in self.choices(t, strategy, focus, allow_done=allow_done)
        ]
        # Among the ways to use one template, the connection order of ``people`` decides;
        # ``min`` keeps the first of equal keys, so that order is respected.
        return min(options, key=lambda choice: self.rank(choice, avoid), default=None)

    # ladders ------------------------------------------------------------------------

    def first(
        self, strategy: Strategy, position: Position, *, allow_done: bool = False
    ) -> Choice | None:
        """The first step of ``strategy`` in this plan, going on from ``position``."""
        rung = _Rungs(self, strategy, position.connection, allow_done)
        if position.mode in (LadderMode.NEW, LadderMode.FROM):
            return rung.lowest_from(position.rung)
        if position.mode is LadderMode.ABOVE:
            return rung.above(position)
        if position.mode is LadderMode.SAME:
            choice = rung.best_at(position.rung)
            return choice if choice is not None else rung.lowest_from(position.rung)
        return rung.below(position)

    def climb(self, strategy: Strategy, after: Choice, focus: str | None) -> Choice | None:
        """The next rung up from ``after``, at most one effort level bigger or smaller."""
        pool = self.usable(strategy)
        level = after.template.effort.level
        for r in sorted({t.rung for t in pool if t.rung > after.template.rung}):
            fitting = [t for t in pool if t.rung == r and abs(t.effort.level - level) <= 1]
            choice = self.best(strategy, fitting, focus)
            if choice is not None:
                return choice
        return None


class _Rungs:
    """The usable rungs of one strategy's ladder, searched for a first step."""

    def __init__(self, planner: Planner, strategy: Strategy, focus: str | None, done: bool):
        self.planner = planner
        self.strategy = strategy
        self.focus = focus
        self.allow_done = done
        self.pool = planner.usable(strategy)

    def at(self, rung: int, cap: int | None = None) -> list[StepTemplate]:
        return [t for t in self.pool if t.rung == rung and (cap is None or t.effort.level <= cap)]

    def pick(self, candidates: Iterable[StepTemplate], avoid: str = "") -> Choice | None:
        return self.planner.best(
            self.strategy, candidates, self.focus, avoid=avoid, allow_done=self.allow_done
        )

    def best_at(self, rung: int) -> Choice | None:
        return self.pick(self.at(rung))

    def lowest_from(self, rung: int, near: int | None = None) -> Choice | None:
        """The lowest rung from ``rung`` up with a step (within one level of ``near``)."""
        for r in sorted({t.rung for t in self.pool if t.rung >= rung}):
            level_ok = [t for t in self.at(r) if near is None or abs(t.effort.level - near) <= 1]
            choice = self.pick(level_ok)
            if choice is not None:
                return choice
        return None

    def above(self, position: Position) -> Choice | None:
        """One rung up from a done step; at the top, something new on the same rung."""
        choice = self.lowest_from(position.rung + 1, near=position.effort)
        if choice is None:  # the top of the ladder: stay there with something new
            choice = self.best_at(position.rung)
        if choice is None:  # the rung is out of reach now (a busy life caps the effort)
            for r in sorted({t.rung for t in self.pool if t.rung < position.rung}, reverse=True):
                choice = self.best_at(r)
                if choice is not None:
                    break
        return choice

    def below(self, position: Position) -> Choice | None:
        """After a skip: the highest rung below with a smaller step; else nothing bigger."""
        for r in sorted({t.rung for t in self.pool if t.rung < position.rung}, reverse=True):
            smaller = [t for t in self.at(r) if t.effort.level < position.effort]
            choice = self.pick(smaller)
            if choice is not None:
                return choice
        # Nothing smaller: the same rung again with nothing bigger, preferring another template.
        no_bigger = [
            t for t in self.pool if t.rung <= position.rung and t.effort.level <= position.effort
        ]
        top = max((t.rung for t in no_bigger), default=None)
        if top is None:
            return None
        return self.pick([t for t in no_bigger if t.rung == top], avoid=position.template)


def latest_by_strategy(
    steps: Mapping[str, Step], timeline: Sequence[CheckIn], *, strict: bool = False
) -> dict[Strategy, tuple[CheckIn, Step]]:
    """Each strategy's latest check-in on ``timeline``, with its step.

    A check-in for a step not in ``steps`` is passed over, or raises
    :class:`~resilience.errors.UnknownStepError` when ``strict``.

    Example:
        >>> latest_by_strategy({}, [])
        {}
    """
    latest: dict[Strategy, tuple[CheckIn, Step]] = {}
    for check_in in timeline:
        step = steps.get(check_in.step_id)
        if step is not None:
            latest[step.strategy] = (check_in, step)
        elif strict:
            raise UnknownStepError(check_in.step_id, list(steps))
    return latest


def positions(previous: ConnectionPlan | None) -> dict[Strategy, Position]:
    """Where each strategy's ladder stands after ``previous`` (see the plans guide).

    Example:
        >>> positions(None)
        {}
    """
    found: dict[Strategy, Position] = {}
    if previous is None:
        return found
    for strategy, rung in previous.ladder.items():
        found[strategy] = Position(LadderMode.FROM, rung)
    latest = latest_by_strategy({s.id: s for s in previous.steps}, check_in_timeline(previous))
    for strategy in Strategy:
        steps = [s for s in previous.steps if s.strategy is strategy]
        if not steps:
            continue
        if strategy not in found:
            found[strategy] = Position(LadderMode.FROM, steps[0].rung)
        focus = next((s.connection for s in steps if s.connection is not None), None)
        if strategy not in latest:
            found[strategy] = attrs.evolve(found[strategy], connection=focus)
            continue
        check_in, step = latest[strategy]
        found[strategy] = Position(
            LadderMode.after(check_in.outcome),
            step.rung,
            step.effort.level,
            step.template,
            step.connection or focus,
        )
    return found


def completed_steps(previous: ConnectionPlan | None) -> tuple[Step, ...]:
    """Every step done in ``previous`` and the plans it continued (never repeated).

    Example:
        >>> completed_steps(None)
        ()
    """
    if previous is None:
        return ()
    latest = latest_check_ins(previous)
    done = tuple(
        s for s in previous.steps if s.id in latest and latest[s.id].outcome is Outcome.DONE
    )
    return (*previous.completed, *done)
