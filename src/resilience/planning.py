"""Plan building, progress and re-assessment: pure functions over model values.

:func:`build_plan` turns a :class:`~resilience.ResilienceProfile` into a
:class:`~resilience.ConnectionPlan` of small, concrete steps drawn from the five strategies;
:func:`progress` sums up the check-ins; :func:`next_steps` says what to do now;
:func:`compare` explains what changed between two profiles. Nothing here reads a clock,
touches plugins or does I/O: the same input always gives the same output.

The rules below are a contract, documented in the plans guide (``docs/plans.md``):

* **Targets.** Pillars with a known strength below :data:`ROOM_TO_GROW`, weakest first,
  then pillars nobody measured but that a reported sign points at. If no pillar qualifies,
  the single weakest known one. If no pillar is known at all, all four (signalled first).
* **Steps.** Every step's pillars are the pillars of its template that the plan targets,
  so they are never empty and always among :attr:`~resilience.ConnectionPlan.targets`.
* **Ladders.** Each strategy starts on its lowest rung (or where the plan it continues left
  off) and climbs one rung at a time; consecutive steps of a strategy never differ by more
  than one effort level, and each comes at least a week after the one before.
* **Safety.** When the profile advises support, or the network has no trusted tie, the
  first step is a seek-support step, and every seek-support step says where help is found.

Example:
    >>> import datetime as dt, resilience as rs
    >>> from resilience import planning
    >>> engine = rs.Engine(load_installed=False)
    >>> profile = rs.ResilienceProfile(
    ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...     {rs.Pillar.BELONGING: rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)}, {})
    >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
    >>> plan.targets
    (<Pillar.BELONGING: 'belonging'>,)
    >>> plan.steps[0].effort
    <Effort.TINY: 'tiny'>
    >>> planning.progress(plan).overall.open == len(plan.steps)
    True
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

import attrs

from resilience.errors import PlanningError, UnknownStepError
from resilience.model.network import Connection, ContactMode, SupportNetwork
from resilience.model.plans import (
    CheckIn,
    ConnectionNeed,
    ConnectionPlan,
    Effort,
    Outcome,
    ProfileChange,
    Progress,
    ScoreChange,
    Step,
    StepTemplate,
    SupportResource,
    Tally,
    _latest,
    _timeline,
)
from resilience.model.profile import Contribution, Flag, ResilienceProfile, Target
from resilience.model.taxonomy import Capacity, IsolationDriver, IsolationSign, Pillar, Strategy

__all__ = [
    "CYCLE_WEEKS",
    "GENERAL_SUPPORT",
    "REFLECTION",
    "ROOM_TO_GROW",
    "SUPPORT_FALLBACK",
    "build_plan",
    "compare",
    "next_steps",
    "progress",
    "reflection_due",
    "support_required",
    "targets_for",
]

#: How many weeks one plan covers; steps that do not fit wait for the next plan.
CYCLE_WEEKS = 4

#: A pillar with a known strength below this (0–100) is a target of the plan.
ROOM_TO_GROW = 70.0

#: The question offered at the end of a plan's cycle (the project's own words).
REFLECTION = (
    "Looking back on these weeks: who helped you feel steadier, understood or less alone, "
    "and are you carrying anything by yourself that you could share with one of them?"
)

#: Where help is found, said in general terms, for plans with no registered resources.
GENERAL_SUPPORT = (
    "Help can be found through a doctor or GP, a local helpline, a community centre, or a "
    "support group for people in a similar situation; any of them can point you further. "
    "If you are ever in immediate danger, call your local emergency number."
)

#: The seek-support step used when support is required but no registered template fits.
SUPPORT_FALLBACK = StepTemplate(
    "support/fallback",
    Strategy.SEEK_SUPPORT,
    1,
    Effort.TINY,
    "Choose one place where you could talk to someone about how things are, and note how "
    "to reach it.",
)

_ORDER_PILLAR = {pillar: i for i, pillar in enumerate(Pillar)}
_ORDER_STRATEGY = {strategy: i for i, strategy in enumerate(Strategy)}
_DIGITAL = frozenset({IsolationDriver.REMOTE_AND_DIGITAL, IsolationDriver.SHALLOW_SOCIAL_MEDIA})
_UNKNOWN_DAYS = -1  # sorts a connection with no known last contact after every known one


# -- targets and the safety rule -----------------------------------------------------------


def _sign_levels(profile: ResilienceProfile) -> dict[IsolationSign, float]:
    levels: dict[IsolationSign, float] = {}
    for reading in profile.signs:
        if reading.present:
            levels[reading.sign] = max(levels.get(reading.sign, 0.0), reading.level)
    return levels


def targets_for(profile: ResilienceProfile) -> tuple[Pillar, ...]:
    """The pillars a plan for ``profile`` aims at, weakest first.

    Known pillars below :data:`ROOM_TO_GROW` come first, weakest first; then pillars with no
    evidence (strength ``None``) that a reported sign points at, the most signalled first.
    If that leaves nothing, the single weakest known pillar (there is always room to grow).
    If no pillar is known at all, all four: the signalled ones first, then taxonomy order.

    Example:
        >>> import datetime as dt
        >>> from resilience import PillarScore
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        ...     {Pillar.BELONGING: PillarScore(Pillar.BELONGING, 80.0, 1.0),
        ...      Pillar.VALIDATION: PillarScore(Pillar.VALIDATION, 40.0, 1.0)}, {})
        >>> targets_for(p)
        (<Pillar.VALIDATION: 'validation'>,)
    """
    known = profile.weakest_pillars()
    strengths = {p: profile.pillars[p].strength for p in known}
    pressure: dict[Pillar, float] = dict.fromkeys(Pillar, 0.0)
    for sign, level in _sign_levels(profile).items():
        for pillar in sign.pillars:
            pressure[pillar] += level
    unknown = [p for p in Pillar if p not in strengths]
    unknown.sort(key=lambda p: (-pressure[p], _ORDER_PILLAR[p]))
    if not known:
        return tuple(unknown)
    below = [p for p in known if (strengths[p] or 0.0) < ROOM_TO_GROW]
    signalled = [p for p in unknown if pressure[p] > 0.0]
    targets = below + signalled
    return tuple(targets) if targets else (known[0],)


def support_required(profile: ResilienceProfile, network: SupportNetwork | None = None) -> bool:
    """Whether a plan must start with seeking professional or community support.

    True when the profile carries :attr:`~resilience.Flag.SUPPORT_ADVISED`, or when the
    network has no trusted tie: the network given wins, else the profile's summary of it.

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> (support_required(p), support_required(p, SupportNetwork(())))
        (False, True)
    """
    return profile.support_advised or _trusted_ties(profile, network) == 0


def _trusted_ties(profile: ResilienceProfile, network: SupportNetwork | None) -> int | None:
    """Trusted ties: in the network given, else in the profile's summary (``None``: unknown)."""
    if network is not None:
        return len(network.trusted())
    return profile.network.trusted_ties if profile.network is not None else None


# -- choosing templates and connections ----------------------------------------------------


@attrs.frozen
class _Position:
    """Where a strategy's ladder stands when a plan is made."""

    mode: str  # "from", "above", "same" or "below"
    rung: int
    effort: int = 0
    template: str = ""
    connection: str | None = None

    @property
    def start_rung(self) -> int:
        return {"above": self.rung + 1, "below": max(1, self.rung - 1)}.get(self.mode, self.rung)


@attrs.frozen
class _Choice:
    template: StepTemplate
    connection: Connection | None
    pillars: frozenset[Pillar]


class _Planner:
    """The state of one plan build: the inputs, prepared once."""

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
        self.sign_levels = _sign_levels(profile)
        self.weight = {p: len(self.targets) - i for i, p in enumerate(self.targets)}
        self.drivers = profile.drivers
        self.connections = network.connections if network is not None else ()
        self.ceiling = Effort.MEDIUM.level if IsolationDriver.BUSY_LIFE in profile.drivers else None
        by_id = {t.id: t for t in templates}
        self.templates = [by_id[i] for i in sorted(by_id)]

    # ranking ------------------------------------------------------------------------

    def usable(self, strategy: Strategy) -> list[StepTemplate]:
        target_set = set(self.targets)
        return [
            t
            for t in self.templates
            if t.strategy is strategy
            and t.pillars & target_set
            and (self.ceiling is None or t.effort.level <= self.ceiling)
        ]

    def target_weight(self, pillars: Iterable[Pillar]) -> int:
        return max((self.weight.get(p, 0) for p in pillars), default=0)

    def rank(self, choice: _Choice, avoid: str = "") -> tuple[object, ...]:
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

    def _days_since(self, connection: Connection) -> int:
        if connection.last_contact is None:
            return _UNKNOWN_DAYS
        return (self.today - connection.last_contact).days

    def people(self, strategy: Strategy, focus: str | None) -> list[Connection]:
        """The person's connections in the order this strategy prefers them."""

        def key(c: Connection) -> tuple[object, ...]:
            stale = -self._days_since(c)
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
    ) -> list[_Choice]:
        """Every way to use ``template``: with each fitting connection, or with nobody."""
        pillars = frozenset(p for p in template.pillars if p in self.weight)
        found: list[_Choice] = []
        if template.needs is not ConnectionNeed.NONE:
            for c in self.people(strategy, focus):
                trusted_only = (
                    template.needs is ConnectionNeed.TRUSTED
                    or strategy is Strategy.BE_VULNERABLE_FIRST  # opening up: trusted people only
                )
                if trusted_only and not c.trusted:
                    continue
                if allow_done or (template.id, c.alias) not in self.done:
                    found.append(_Choice(template, c, pillars))
        if allow_done or (template.id, None) not in self.done:
            found.append(_Choice(template, None, pillars))
        return found

    def best(
        self,
        strategy: Strategy,
        candidates: Iterable[StepTemplate],
        focus: str | None,
        *,
        avoid: str = "",
        allow_done: bool = False,
    ) -> _Choice | None:
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
        self, strategy: Strategy, position: _Position, *, allow_done: bool = False
    ) -> _Choice | None:
        pool = self.usable(strategy)
        focus = position.connection

        def at(rung: int, cap: int | None = None) -> list[StepTemplate]:
            return [t for t in pool if t.rung == rung and (cap is None or t.effort.level <= cap)]

        def lowest_from(rung: int, near: int | None = None) -> _Choice | None:
            for r in sorted({t.rung for t in pool if t.rung >= rung}):
                level_ok = [t for t in at(r) if near is None or abs(t.effort.level - near) <= 1]
                choice = self.best(strategy, level_ok, focus, allow_done=allow_done)
                if choice is not None:
                    return choice
            return None

        if position.mode == "from":
            return lowest_from(position.rung)
        if position.mode == "above":
            choice = lowest_from(position.rung + 1, near=position.effort)
            if choice is None:  # the top of the ladder: stay there with something new
                choice = self.best(strategy, at(position.rung), focus, allow_done=allow_done)
            if choice is None:  # the rung is out of reach now (a busy life caps the effort)
                for r in sorted({t.rung for t in pool if t.rung < position.rung}, reverse=True):
                    choice = self.best(strategy, at(r), focus, allow_done=allow_done)
                    if choice is not None:
                        break
            return choice
        if position.mode == "same":
            choice = self.best(strategy, at(position.rung), focus, allow_done=allow_done)
            return choice if choice is not None else lowest_from(position.rung)
        # "below": a skip. The highest rung below it with a smaller step; if nothing is
        # smaller, the same rung again with nothing bigger, preferring another template.
        for r in sorted({t.rung for t in pool if t.rung < position.rung}, reverse=True):
            smaller = [t for t in at(r) if t.effort.level < position.effort]
            choice = self.best(strategy, smaller, focus, allow_done=allow_done)
            if choice is not None:
                return choice
        no_bigger = [t for t in pool if t.rung <= position.rung]
        no_bigger = [t for t in no_bigger if t.effort.level <= position.effort]
        top = max((t.rung for t in no_bigger), default=None)
        if top is None:
            return None
        return self.best(
            strategy,
            [t for t in no_bigger if t.rung == top],
            focus,
            avoid=position.template,
            allow_done=allow_done,
        )

    def climb(self, strategy: Strategy, after: _Choice, focus: str | None) -> _Choice | None:
        pool = self.usable(strategy)
        level = after.template.effort.level
        for r in sorted({t.rung for t in pool if t.rung > after.template.rung}):
            fitting = [t for t in pool if t.rung == r and abs(t.effort.level - level) <= 1]
            choice = self.best(strategy, fitting, focus)
            if choice is not None:
                return choice
        return None


# -- continuing a plan ---------------------------------------------------------------------


def _positions(previous: ConnectionPlan | None) -> dict[Strategy, _Position]:
    """Where each strategy's ladder stands after ``previous`` (see the contract)."""
    positions: dict[Strategy, _Position] = {}
    if previous is None:
        return positions
    for strategy, rung in previous.ladder.items():
        positions[strategy] = _Position("from", rung)
    by_id = {s.id: s for s in previous.steps}
    latest = _latest_by_strategy(by_id, _timeline(previous))
    for strategy in Strategy:
        steps = [s for s in previous.steps if s.strategy is strategy]
        if not steps:
            continue
        if strategy not in positions:
            positions[strategy] = _Position("from", steps[0].rung)
        focus = next((s.connection for s in steps if s.connection is not None), None)
        if strategy not in latest:
            positions[strategy] = attrs.evolve(positions[strategy], connection=focus)
            continue
        check_in, step = latest[strategy]
        mode = {Outcome.DONE: "above", Outcome.PARTLY: "same", Outcome.SKIPPED: "below"}[
            check_in.outcome
        ]
        positions[strategy] = _Position(
            mode, step.rung, step.effort.level, step.template, step.connection or focus
        )
    return positions


def _completed(previous: ConnectionPlan | None) -> tuple[Step, ...]:
    if previous is None:
        return ()
    latest = _latest(previous)
    done = tuple(
        s for s in previous.steps if s.id in latest and latest[s.id].outcome is Outcome.DONE
    )
    return (*previous.completed, *done)


# -- explaining a step ---------------------------------------------------------------------


def _evidence(profile: ResilienceProfile, pillar: Pillar) -> str:
    contributions = profile.explain(pillar)
    if not contributions:
        return ""
    top = max(contributions, key=lambda c: (c.weight, c.rule))
    return f"; mostly from {top.reason or f'the {top.rule!r} rule'}"


def _pillar_reason(
    profile: ResilienceProfile,
    sign_levels: Mapping[IsolationSign, float],
    pillar: Pillar,
    weakest: bool,
) -> str:
    score = profile.pillars.get(pillar)
    label = pillar.label.lower()
    if score is not None and score.strength is not None:
        rank = ", the weakest" if weakest else ""
        return f"{label} ({score.strength:.0f} of 100{rank}{_evidence(profile, pillar)})"
    signs = sorted(s.label.lower() for s in sign_levels if pillar in s.pillars)
    if signs:
        return f"{label} (not measured, but pointed at by: {', '.join(signs)})"
    return f"{label} (not measured yet)"


def _reason(
    planner: _Planner,
    choice: _Choice,
    note: str,
    support_first: bool,
) -> str:
    profile = planner.profile
    template = choice.template
    pillars = sorted(choice.pillars, key=lambda p: planner.targets.index(p))
    parts = [
        "Aims at "
        + "; ".join(
            _pillar_reason(profile, planner.sign_levels, p, p is planner.targets[0])
            for p in pillars
        )
        + "."
    ]
    if support_first:
        if profile.support_advised and profile.flag_reasons:
            parts.append("Offered first because " + "; ".join(profile.flag_reasons) + ".")
        elif profile.support_advised:
            parts.append("Offered first because the answers describe a heavy load to carry.")
        else:
            parts.append("Offered first because nobody you fully trust is on your list yet.")
    matched = sorted((d for d in template.suits if d in planner.drivers), key=lambda d: d.value)
    if matched:
        parts.append("Fits " + ", ".join(d.label.lower() for d in matched) + ".")
    if (
        template.strategy is Strategy.BE_VULNERABLE_FIRST
        and IsolationSign.HIDES_STRUGGLES in planner.sign_levels
    ):
        parts.append("You said you tend to keep struggles to yourself; start with one person.")
    if choice.connection is not None:
        c = choice.connection
        who = "someone you trust" if c.trusted else "someone in your network"
        if c.last_contact is not None:
            who += f", last in touch on {c.last_contact.isoformat()}"
        parts.append(f"{c.alias} is {who}.")
    parts.append(note)
    return " ".join(parts)


def _resource_line(resources: Sequence[SupportResource]) -> str:
    if not resources:
        return GENERAL_SUPPORT
    # Descriptions are the host's sentences: drop their closing stop so the list reads
    # as one sentence ("…weekends; Tuesday walking group…").
    listed = "; ".join(
        f"{r.name} ({r.contact}): {r.description.rstrip().rstrip('.')}" for r in resources
    )
    return f"Support that comes with this plan: {listed}."


def _action(choice: _Choice, resources: Sequence[SupportResource]) -> str:
    template = choice.template
    name = choice.connection.alias if choice.connection is not None else template.unnamed
    text = template.action.replace("{alias}", name)
    if text[:1].islower():  # an unnamed placeholder at the start of a sentence
        text = text[0].upper() + text[1:]
    if template.strategy is Strategy.SEEK_SUPPORT:
        text = f"{text} {_resource_line(resources)}"
    return text


# -- building --------------------------------------------------------------------------


def _strategy_order(
    planner: _Planner, safety: bool, network: SupportNetwork | None
) -> list[Strategy]:
    """The strategies a plan uses, in the order their steps are interleaved."""
    profile = planner.profile
    trusted = _trusted_ties(profile, network)
    seek = (
        safety
        or bool(Strategy.SEEK_SUPPORT.counters & profile.drivers)
        or (trusted is not None and trusted <= 1)
    )
    opens_first = (
        IsolationSign.HIDES_STRUGGLES in planner.sign_levels
        or IsolationDriver.INDEPENDENCE_NORMS in profile.drivers
    )
    target_set = set(planner.targets)

    def key(s: Strategy) -> tuple[int, ...]:
        return (
            0 if safety and s is Strategy.SEEK_SUPPORT else 1,
            0 if opens_first and s is Strategy.BE_VULNERABLE_FIRST else 1,
            min(planner.targets.index(p) for p in s.pillars if p in target_set),
            -len(s.counters & profile.drivers),
            _ORDER_STRATEGY[s],
        )

    used = [
        s for s in Strategy if s.pillars & target_set and (seek or s is not Strategy.SEEK_SUPPORT)
    ]
    return sorted(used, key=key)


def build_plan(
    profile: ResilienceProfile,
    *,
    templates: Iterable[StepTemplate],
    resources: Sequence[SupportResource] = (),
    network: SupportNetwork | None = None,
    today: dt.date,
    previous: ConnectionPlan | None = None,
    weekly_limit: int = 3,
) -> ConnectionPlan:
    """Build a plan from a profile, or continue ``previous`` after a re-assessment.

    The rules (targets, strategy order, template ranking, ladders, weekly limit, safety
    and continuation) are the contract described in the plans guide.

    Args:
        profile: The profile to plan from.
        templates: The step templates to draw from (every registered one).
        resources: The support resources the host registered for this profile.
        network: The person's support network, so that steps can name their connections.
        today: The day the plan is made; week 1 starts on it.
        previous: The plan this one continues: done steps are not repeated, each ladder
            goes on from the rung reached, and a skipped step is followed by a smaller one.
        weekly_limit: The most steps due in any one week (1 or more).

    Raises:
        ValueError: ``weekly_limit`` is not a whole number of 1 or more, or ``previous``
            belongs to another person.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {},
        ...                       flags={Flag.SUPPORT_ADVISED})
        >>> plan = build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> plan.steps[0].strategy
        <Strategy.SEEK_SUPPORT: 'seek-support'>
    """
    if isinstance(weekly_limit, bool) or not isinstance(weekly_limit, int) or weekly_limit < 1:
        raise PlanningError(
            f"weekly_limit must be a whole number of 1 or more, not {weekly_limit!r}"
        )
    if isinstance(today, dt.datetime):
        today = today.date()
    if previous is not None and previous.person_id != profile.person_id:
        raise PlanningError(
            f"cannot continue a plan of {previous.person_id!r} for {profile.person_id!r}"
        )
    completed = _completed(previous)
    done = frozenset((s.template, s.connection) for s in completed)
    planner = _Planner(profile, templates, network, today, done)
    positions = _positions(previous)
    safety = support_required(profile, network)
    resources = tuple(resources)

    # One ladder per strategy, climbed one rung at a time.
    order = _strategy_order(planner, safety, network)
    ladders: dict[Strategy, list[tuple[_Choice, str]]] = {}
    for strategy in order:
        position = positions.get(strategy, _Position("from", 1))
        first = planner.first(strategy, position)
        if first is None and safety and strategy is Strategy.SEEK_SUPPORT:
            # The safety rule wins over "done steps are not repeated".
            first = planner.first(strategy, position, allow_done=True) or _Choice(
                SUPPORT_FALLBACK, None, frozenset(planner.targets)
            )
        if first is None:
            continue
        note = {
            "new": "A first, small step on this ladder.",
            "from": "Picks up where the last plan left this ladder.",
            "above": "One rung up from the step you did last time.",
            "same": "The same rung again, since the last step was partly done.",
            "below": "A smaller step, after the last one was skipped.",
        }[position.mode if strategy in positions else "new"]
        ladder = [(first, note)]
        while len(ladder) < CYCLE_WEEKS:
            focus = ladder[-1][0].connection
            nxt = planner.climb(strategy, ladder[-1][0], focus.alias if focus else None)
            if nxt is None:
                break
            ladder.append((nxt, "One rung up from the step before it."))
        ladders[strategy] = ladder

    # Interleave the ladders rung by rung in strategy order, then fill the weeks.
    queue = [
        (strategy, k, item)
        for k in range(CYCLE_WEEKS)
        for strategy in ladders
        if k < len(ladders[strategy])
        for item in (ladders[strategy][k],)
    ]
    load = [0] * CYCLE_WEEKS
    last_week: dict[Strategy, int] = {}
    closed: set[Strategy] = set()
    placed: list[tuple[dt.date, int, Strategy, _Choice, str]] = []
    for serial, (strategy, k, (choice, note)) in enumerate(queue):
        if strategy in closed:
            continue
        week = next(
            (
                w
                for w in range(last_week.get(strategy, -1) + 1, CYCLE_WEEKS)
                if load[w] < weekly_limit
            ),
            None,
        )
        if week is None:
            closed.add(strategy)  # the rest of this ladder waits for the next plan
            continue
        day = ((load[week] + 1) * 6) // weekly_limit
        load[week] += 1
        last_week[strategy] = week
        due = today + dt.timedelta(days=7 * week + day)
        support_first = safety and strategy is Strategy.SEEK_SUPPORT and k == 0
        placed.append(
            (due, serial, strategy, choice, _reason(planner, choice, note, support_first))
        )
    placed.sort(key=lambda entry: (entry[0], entry[1]))

    cycle = 1 if previous is None else previous.cycle + 1
    steps = tuple(
        Step(
            id=f"c{cycle}-{n:02d}",
            strategy=strategy,
            pillars=choice.pillars,
            action=_action(choice, resources),
            effort=choice.template.effort,
            due=due,
            reason=reason,
            connection=choice.connection.alias if choice.connection else None,
            template=choice.template.id,
            rung=choice.template.rung,
            in_person=choice.template.in_person,
        )
        for n, (due, _, strategy, choice, reason) in enumerate(placed, start=1)
    )
    ladder_state = {s: pos.start_rung for s, pos in positions.items()}
    for step in reversed(steps):
        ladder_state[step.strategy] = step.rung  # the first step of each strategy wins
    return ConnectionPlan(
        person_id=profile.person_id,
        made_on=today,
        profile=profile,
        targets=planner.targets,
        steps=steps,
        resources=resources,
        reflection=REFLECTION,
        weekly_limit=weekly_limit,
        cycle=cycle,
        ladder={s: ladder_state[s] for s in Strategy if s in ladder_state},
        completed=completed,
    )


# -- progress ------------------------------------------------------------------------------


def _latest_by_strategy(
    steps: Mapping[str, Step], timeline: Sequence[CheckIn], *, strict: bool = False
) -> dict[Strategy, tuple[CheckIn, Step]]:
    """Each strategy's latest check-in on ``timeline``, with its step.

    A check-in for a step not in ``steps`` is passed over, or raises
    :class:`~resilience.errors.UnknownStepError` when ``strict``.
    """
    latest: dict[Strategy, tuple[CheckIn, Step]] = {}
    for check_in in timeline:
        step = steps.get(check_in.step_id)
        if step is not None:
            latest[step.strategy] = (check_in, step)
        elif strict:
            raise UnknownStepError(check_in.step_id, list(steps))
    return latest


def _tally(
    steps: Sequence[Step], latest: Mapping[str, CheckIn], timeline: Sequence[CheckIn]
) -> Tally:
    counts = dict.fromkeys(Outcome, 0)
    still_open = 0
    for step in steps:
        counted = latest.get(step.id)
        if counted is None:
            still_open += 1
        else:
            counts[counted.outcome] += 1
    ids = {step.id for step in steps}
    run = longest = 0
    for check_in in timeline:
        if check_in.step_id not in ids:
            continue
        run = 0 if check_in.outcome is Outcome.SKIPPED else run + 1
        longest = max(longest, run)
    return Tally(
        done=counts[Outcome.DONE],
        partly=counts[Outcome.PARTLY],
        skipped=counts[Outcome.SKIPPED],
        open=still_open,
        streak=run,
        longest_streak=longest,
    )


def _step_down(plan: ConnectionPlan, timeline: Sequence[CheckIn]) -> dict[Strategy, Step]:
    """Strategies whose latest check-in was a skip, with the skipped step."""
    latest = _latest_by_strategy({s.id: s for s in plan.steps}, timeline, strict=True)
    return {
        strategy: step
        for strategy, (check_in, step) in latest.items()
        if check_in.outcome is Outcome.SKIPPED
    }


def progress(plan: ConnectionPlan) -> Progress:
    """Sum up what happened with a plan: tallies per strategy and pillar, streaks, feelings.

    A step counts once, with the outcome of its latest check-in (by date, then the order
    reported). Streaks count check-ins in a row, in date order, that were done or partly
    done; a skip ends a streak. ``step_down`` names the strategies whose latest check-in was
    a skip: their next step should be smaller (continue the plan to get it).

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> first = plan.steps[0]
        >>> plan = plan.check_in(CheckIn(first.id, dt.date(2026, 1, 6), Outcome.DONE, felt=4))
        >>> report = progress(plan)
        >>> (report.overall.done, report.by_strategy[first.strategy].streak, report.felt)
        (1, 1, 4.0)
    """
    timeline = _timeline(plan)
    latest = _latest(plan)
    felt = [c.felt for c in plan.check_ins if c.felt is not None]
    return Progress(
        overall=_tally(plan.steps, latest, timeline),
        by_strategy={
            s: _tally([x for x in plan.steps if x.strategy is s], latest, timeline)
            for s in Strategy
        },
        by_pillar={
            p: _tally([x for x in plan.steps if p in x.pillars], latest, timeline) for p in Pillar
        },
        felt=math.fsum(felt) / len(felt) if felt else None,
        step_down=frozenset(_step_down(plan, timeline)),
        finished=bool(plan.steps) and all(s.id in latest for s in plan.steps),
    )


def next_steps(plan: ConnectionPlan, today: dt.date) -> tuple[Step, ...]:
    """The open steps to take now: due by the end of the current plan week, or overdue.

    Steps of a strategy whose latest check-in was a skip are held back when they sit
    higher on the ladder than the skipped step, so a skip is never followed by a bigger
    step. The smaller step comes from continuing the plan:
    ``engine.plan(profile, previous=plan)``.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> [s.due <= dt.date(2026, 1, 11) for s in next_steps(plan, dt.date(2026, 1, 5))]
        [True, True, True]
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    week = max(0, (today - plan.made_on).days // 7)
    week_end = plan.made_on + dt.timedelta(days=7 * (week + 1))
    held = _step_down(plan, _timeline(plan))
    latest = _latest(plan)
    return tuple(
        step
        for step in plan.steps
        if step.id not in latest
        and step.due < week_end
        and not (step.strategy in held and step.rung >= held[step.strategy].rung)
    )


def reflection_due(plan: ConnectionPlan, today: dt.date) -> bool:
    """Whether the plan's cycle has ended: time to offer its ``reflection`` question.

    A cycle ends when every step has a check-in, or once the last step's due date (or,
    for a plan without steps, the end of its :data:`CYCLE_WEEKS` weeks) has passed.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> plan = build_plan(p, templates=TEMPLATES, today=dt.date(2026, 1, 5))
        >>> (reflection_due(plan, dt.date(2026, 1, 6)), reflection_due(plan, dt.date(2026, 3, 1)))
        (False, True)
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    latest = _latest(plan)
    if plan.steps and all(s.id in latest for s in plan.steps):
        return True
    end = (
        max(s.due for s in plan.steps)
        if plan.steps
        else plan.made_on + dt.timedelta(days=7 * CYCLE_WEEKS - 1)
    )
    return today > end


# -- re-assessment -------------------------------------------------------------------------


def _by_rule(contributions: Iterable[Contribution]) -> dict[str, float]:
    groups: dict[str, list[Contribution]] = {}
    for c in contributions:
        groups.setdefault(c.rule, []).append(c)
    means: dict[str, float] = {}
    for rule, own in groups.items():
        weight = math.fsum(c.weight for c in own)
        if weight > 0:
            means[rule] = math.fsum(c.weight * c.value for c in own) / weight
        else:
            means[rule] = math.fsum(c.value for c in own) / len(own)
    return means


def _describe_change(
    label: str,
    before: float | None,
    after: float | None,
    old: Sequence[Contribution],
    new: Sequence[Contribution],
) -> str:
    if before is None and after is None:
        return f"{label}: not measured either time."
    if before is None:
        head = f"{label}: not measured before; now {after:.0f} of 100."
    elif after is None:
        head = f"{label}: {before:.0f} of 100 before; not measured this time."
    else:
        change = after - before
        if abs(change) < 0.5:
            head = f"{label}: steady at {after:.0f} of 100."
        else:
            verb = "rose" if change > 0 else "fell"
            head = f"{label}: {verb} from {before:.0f} to {after:.0f} ({change:+.0f})."
    was, now = _by_rule(old), _by_rule(new)
    shifts: list[tuple[float, str, str]] = []
    for rule in sorted(set(was) | set(now)):
        a, b = was.get(rule), now.get(rule)
        if a is not None and b is not None and abs(b - a) >= 0.5:
            shifts.append((abs(b - a), rule, f"{rule!r} {a:.0f} → {b:.0f}"))
        elif a is None and b is not None:
            shifts.append((math.inf, rule, f"{rule!r} new evidence at {b:.0f}"))
        elif a is not None and b is None:
            shifts.append((math.inf, rule, f"{rule!r} no longer answered"))
    shifts.sort(key=lambda entry: (-entry[0], entry[1]))
    if not shifts:
        return head
    return f"{head} What moved: " + "; ".join(text for _, _, text in shifts[:3]) + "."


def _score_change(target: Target, old: ResilienceProfile, new: ResilienceProfile) -> ScoreChange:
    before: float | None = None
    after: float | None = None
    if isinstance(target, Pillar):
        old_p, new_p = old.pillars.get(target), new.pillars.get(target)
        before = old_p.strength if old_p is not None else None
        after = new_p.strength if new_p is not None else None
    else:
        old_c, new_c = old.capacities.get(target), new.capacities.get(target)
        before = old_c.strength if old_c is not None else None
        after = new_c.strength if new_c is not None else None
    old_evidence, new_evidence = old.explain(target), new.explain(target)
    return ScoreChange(
        target,
        before,
        after,
        _describe_change(target.label, before, after, old_evidence, new_evidence),
        old_evidence,
        new_evidence,
    )


def compare(old: ResilienceProfile, new: ResilienceProfile) -> ProfileChange:
    """What changed between two profiles of one person, pillar by pillar and capacity by capacity.

    Each change carries the contributions behind both numbers and a sentence naming the
    rules whose evidence moved most.

    Raises:
        ValueError: the profiles belong to different people.

    Example:
        >>> import datetime as dt
        >>> from resilience import PillarScore
        >>> when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
        >>> old = ResilienceProfile("p", when, {Pillar.BELONGING: PillarScore(
        ...     Pillar.BELONGING, 30.0, 1.0)}, {})
        >>> new = ResilienceProfile("p", when + dt.timedelta(days=28), {Pillar.BELONGING:
        ...     PillarScore(Pillar.BELONGING, 45.0, 1.0)}, {})
        >>> compare(old, new).pillars[Pillar.BELONGING].explanation
        'Meaning and belonging: rose from 30 to 45 (+15).'
    """
    if old.person_id != new.person_id:
        raise PlanningError(
            f"cannot compare profiles of different people: {old.person_id!r}, {new.person_id!r}"
        )
    pillars = {p: _score_change(p, old, new) for p in Pillar}
    capacities = {c: _score_change(c, old, new) for c in Capacity}
    raised = new.flags - old.flags
    cleared = old.flags - new.flags
    changes = [*pillars.values(), *capacities.values()]
    groups: dict[str, list[str]] = {"up": [], "down": []}
    for change in changes:
        if change.direction in groups and change.change is not None:
            groups[change.direction].append(f"{change.target.label.lower()} ({change.change:+.0f})")
    parts = []
    if groups["up"]:
        parts.append("Stronger: " + ", ".join(groups["up"]) + ".")
    if groups["down"]:
        parts.append("Weaker: " + ", ".join(groups["down"]) + ".")
    unmeasured = [
        change.target.label.lower()
        for change in changes
        if change.before is not None and change.after is None
    ]
    newly = [
        change.target.label.lower()
        for change in changes
        if change.before is None and change.after is not None
    ]
    if newly:
        parts.append("Measured for the first time: " + ", ".join(newly) + ".")
    if unmeasured:
        parts.append("Not measured this time: " + ", ".join(unmeasured) + ".")
    if not parts:
        parts.append("No measured pillar or capacity moved by a whole point.")
    if Flag.SUPPORT_ADVISED in raised:
        parts.append("Support is now advised: point to professional or community help.")
    if Flag.SUPPORT_ADVISED in cleared:
        parts.append("Support is no longer flagged, though it stays open to them.")
    return ProfileChange(
        person_id=new.person_id,
        before_at=old.assessed_at,
        after_at=new.assessed_at,
        pillars=pillars,
        capacities=capacities,
        flags_raised=raised,
        flags_cleared=cleared,
        summary=" ".join(parts),
    )
