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
from resilience.model.evidence import Approach
from resilience.model.network import Connection, SupportNetwork
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
from resilience.model.taxonomy import IsolationDriver, IsolationSign, Pillar, Strategy
from resilience.planning._people import dormant, fits_kind, may_name
from resilience.planning._targets import sign_levels, targets_for

__all__ = [
    "EXPECTATION_SIGNS",
    "FELT_HARD_UP_TO",
    "Choice",
    "LadderMode",
    "Planner",
    "Position",
    "completed_steps",
    "latest_by_strategy",
    "positions",
]

_DIGITAL = frozenset({IsolationDriver.REMOTE_AND_DIGITAL, IsolationDriver.SHALLOW_SOCIAL_MEDIA})

#: Signs that point to working on social cognition: feeling nobody understands, keeping
#: struggles hidden, relying only on oneself. With any of them reported, templates whose
#: approach is :attr:`~resilience.Approach.SOCIAL_COGNITION` rank first on their rung.
EXPECTATION_SIGNS = frozenset(
    {IsolationSign.NOT_UNDERSTOOD, IsolationSign.HIDES_STRUGGLES, IsolationSign.RELIES_ONLY_ON_SELF}
)
_UNKNOWN_DAYS = -1  # sorts a connection with no known last contact after every known one
# Needs written for one kind of tie: for that tie they fit better than a general step.
_SPECIFIC = frozenset(
    {
        ConnectionNeed.DORMANT,
        ConnectionNeed.HOUSEHOLD,
        ConnectionNeed.GROUP,
        ConnectionNeed.PROFESSIONAL,
    }
)


#: A done step that felt this hard or harder (1–5) is not followed by a bigger one.
FELT_HARD_UP_TO = 2


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
    STAY = "stay"  #: the last step was done but felt hard: the same rung, nothing bigger
    BELOW = "below"  #: the last step was skipped: a smaller step

    @classmethod
    def after(cls, outcome: Outcome, felt: int | None = None) -> LadderMode:
        """The mode that follows a check-in with ``outcome`` (and how it ``felt``, 1–5).

        Example:
            >>> LadderMode.after(Outcome.DONE, felt=1)
            <LadderMode.STAY: 'stay'>
        """
        if outcome is Outcome.DONE and felt is not None and felt <= FELT_HARD_UP_TO:
            return cls.STAY
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

    ``named`` counts the steps each alias is named in so far; a connection already named
    :attr:`cap` times is passed over (no person carries the plan). ``known`` holds the
    aliases earlier plans named: a tie not among them is new, and reaching out goes to it
    first. ``recontacted`` holds the aliases a reach-out step was done with.
    """

    def __init__(
        self,
        profile: ResilienceProfile,
        templates: Iterable[StepTemplate],
        network: SupportNetwork | None,
        today: dt.date,
        done: frozenset[tuple[str, str | None]],
        *,
        known: frozenset[str] = frozenset(),
        recontacted: frozenset[str] = frozenset(),
        cap: int | None = None,
        ceiling: int | None = None,
    ) -> None:
        self.profile = profile
        self.today = today
        self.done = done
        self.known = known
        self.recontacted = recontacted
        self.cap = cap
        self.named: dict[str, int] = {}
        self.targets = targets_for(profile)
        self.sign_levels = sign_levels(profile)
        # Signs that a person reads others as unwilling or unable to be there for them:
        # then steps that test such expectations rank first, and otherwise last.
        self.tests_expectations = bool(self.sign_levels.keys() & EXPECTATION_SIGNS)
        self.weight = {p: len(self.targets) - i for i, p in enumerate(self.targets)}
        self.drivers = profile.drivers
        self.connections = network.connections if network is not None else ()
        busy = Effort.MEDIUM.level if IsolationDriver.BUSY_LIFE in profile.drivers else None
        caps = [level for level in (busy, ceiling) if level is not None]
        self.ceiling = min(caps) if caps else None
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

    def rank(
        self, choice: Choice, avoid: str = "", avoid_alias: str = "", focus: str | None = None
    ) -> tuple[object, ...]:
        """The documented ranking key of a candidate step: smaller ranks better."""
        t = choice.template
        alias = choice.connection.alias if choice.connection is not None else ""
        return (
            t.id == avoid and avoid != "",
            alias == avoid_alias and avoid_alias != "",
            -self.target_weight(t.pillars),
            (t.approach is Approach.SOCIAL_COGNITION) is not self.tests_expectations,
            -len(t.suits & self.drivers),
            bool(t.suits) and not t.suits & self.drivers,  # tailored to someone else
            -(1 if t.in_person and self.drivers & _DIGITAL else 0),
            -(1 if choice.connection is not None else 0),
            -(1 if choice.connection is not None and t.needs in _SPECIFIC else 0),
            focus is not None and alias != focus,  # a ladder keeps to its person
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
            fresh = bool(self.known) and c.alias not in self.known  # added since the last plan
            if strategy is Strategy.BE_VULNERABLE_FIRST:
                core: tuple[object, ...] = (-c.trust, -c.safety, stale)
            elif strategy is Strategy.INVEST_IN_RELATIONSHIPS:
                core = (not c.trusted, -c.safety, -c.trust, stale)
            elif strategy is Strategy.IN_PERSON:
                core = (not c.trusted, not c.felt_safe, c.daily_life, stale, -c.trust)
            else:  # reaching out prefers ties the person feels safe with
                core = (not c.felt_safe, not c.trusted, stale, -c.trust, -c.safety)
            return (not fresh, c.alias != focus, *core, c.alias)

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
        if template.needs is ConnectionNeed.NONE:
            done = not allow_done and (template.id, None) in self.done
            return [] if done else [Choice(template, None, pillars)]
        found: list[Choice] = []
        for c in self.people(strategy, focus):
            if not may_name(template, pillars, c, self.today, self.recontacted):
                continue
            if self.cap is not None and self.named.get(c.alias, 0) >= self.cap:
                continue
            if allow_done or (template.id, c.alias) not in self.done:
                found.append(Choice(template, c, pillars))
        # The general words ("someone you feel safe with") only where such a person is
        # there but cannot be named again: never a person the network does not have.
        if self.has_kind(template) and (allow_done or (template.id, None) not in self.done):
            found.append(Choice(template, None, pillars))
        return found

    def has_kind(self, template: StepTemplate) -> bool:
        """Whether the network has someone a step of ``template`` could be about."""
        return any(
            fits_kind(template.needs, c, self.today)
            and (not template.in_person or c.in_person)
            and (template.strategy is not Strategy.BE_VULNERABLE_FIRST or c.safe_to_confide)
            and not (template.strategy is not Strategy.REACH_OUT and dormant(c, self.today))
            for c in self.connections
        )

    def count(self, choice: Choice) -> None:
        """Record that a step names ``choice``'s connection (for the spreading cap)."""
        if choice.connection is not None:
            alias = choice.connection.alias
            self.named[alias] = self.named.get(alias, 0) + 1

    def best(
        self,
        strategy: Strategy,
        candidates: Iterable[StepTemplate],
        focus: str | None,
        *,
        avoid: str = "",
        avoid_alias: str = "",
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
        return min(options, key=lambda choice: self.rank(choice, avoid, avoid_alias), default=None)

    # ladders ------------------------------------------------------------------------

    def first(
        self, strategy: Strategy, position: Position, *, allow_done: bool = False
    ) -> Choice | None:
        """The first step of ``strategy`` in this plan, going on from ``position``."""
        rung = _Rungs(self, strategy, position.connection, allow_done)
        if position.mode is LadderMode.NEW:
            # Small first: a new ladder starts on its lowest rung, or waits for a later plan.
            # Climbing past rungs that fit nobody the person has would make the first step a
            # big one (meeting up, organising) for exactly the people with the least support.
            lowest = min((t.rung for t in rung.pool), default=None)
            return None if lowest is None else rung.best_at(lowest)
        if position.mode is LadderMode.FROM:
            return rung.lowest_from(position.rung)
        if position.mode is LadderMode.ABOVE:
            return rung.above(position)
        if position.mode is LadderMode.STAY:
            # Done but felt hard: the same rung again with nothing bigger, or a rest.
            return rung.pick(rung.at(position.rung, cap=position.effort))
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

    def pick(
        self, candidates: Iterable[StepTemplate], avoid: str = "", avoid_alias: str = ""
    ) -> Choice | None:
        return self.planner.best(
            self.strategy,
            candidates,
            self.focus,
            avoid=avoid,
            avoid_alias=avoid_alias,
            allow_done=self.allow_done,
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
        if any(t.effort.level < position.effort for t in self.pool):
            return None  # smaller steps exist but are used up: the ladder rests this plan
        # Nothing smaller: the same rung again with nothing bigger, preferring another
        # template (a gentler way in) and another person.
        no_bigger = [
            t for t in self.pool if t.rung <= position.rung and t.effort.level <= position.effort
        ]
        top = max((t.rung for t in no_bigger), default=None)
        if top is None:
            return None
        self.focus = None
        return self.pick(
            [t for t in no_bigger if t.rung == top],
            avoid=position.template,
            avoid_alias=position.connection or "",
        )


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
            LadderMode.after(check_in.outcome, check_in.felt),
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
