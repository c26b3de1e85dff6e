"""Scheduling: which strategies a plan uses, their ladders, and the weeks steps fall in."""

from __future__ import annotations

import datetime as dt

import attrs

from resilience.model.network import SupportNetwork
from resilience.model.taxonomy import IsolationDriver, IsolationSign, Strategy
from resilience.planning._ladders import Choice, LadderMode, Planner, Position
from resilience.planning._people import most_named
from resilience.planning._targets import trusted_ties
from resilience.planning._wording import CLIMB_NOTE, SUPPORT_FALLBACK, ladder_note

__all__ = [
    "CYCLE_WEEKS",
    "FIRST_WEEK_STEPS",
    "Placed",
    "Rung",
    "build_ladders",
    "place_steps",
    "spread",
    "strategy_order",
]

#: How many weeks one plan covers; steps that do not fit wait for the next plan.
CYCLE_WEEKS = 4

#: The most steps due in the first week of a first plan (or the weekly limit, if lower):
#: the person meets a short, doable week before the plan asks for its full pace.
FIRST_WEEK_STEPS = 2

_ORDER_STRATEGY = {strategy: i for i, strategy in enumerate(Strategy)}


@attrs.frozen
class Rung:
    """One step of a strategy's ladder in this plan, with the note on where it comes from."""

    choice: Choice
    note: str


@attrs.frozen
class Placed:
    """A rung placed on a day of the plan; ``serial`` keeps the interleaving order."""

    due: dt.date
    serial: int
    strategy: Strategy
    rung: Rung
    support_first: bool


def strategy_order(
    planner: Planner, safety: bool, network: SupportNetwork | None
) -> list[Strategy]:
    """The strategies a plan uses, in the order their steps are interleaved.

    Example:
        >>> import datetime as dt
        >>> from resilience import ResilienceProfile
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> planner = Planner(p, TEMPLATES, None, dt.date(2026, 1, 5), frozenset())
        >>> strategy_order(planner, True, None)[0]
        <Strategy.SEEK_SUPPORT: 'seek-support'>
    """
    profile = planner.profile
    trusted = trusted_ties(profile, network)
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


def build_ladders(
    planner: Planner,
    order: list[Strategy],
    starts: dict[Strategy, Position],
    safety: bool,
) -> dict[Strategy, list[Rung]]:
    """One ladder per strategy in ``order``, climbed one rung at a time (up to a cycle).

    The ladders grow rung by rung, in strategy order (the order their steps are placed
    in), so that every ladder gets its first pick of people before any gets a second.
    """
    ladders: dict[Strategy, list[Rung]] = {}
    for strategy in order:
        position = starts.get(strategy, Position(LadderMode.NEW, 1))
        first = planner.first(strategy, position)
        if first is None and safety and strategy is Strategy.SEEK_SUPPORT:
            # The safety rule wins over "done steps are not repeated".
            first = planner.first(strategy, position, allow_done=True) or Choice(
                SUPPORT_FALLBACK, None, frozenset(planner.targets)
            )
        if first is not None:
            planner.count(first)
            ladders[strategy] = [Rung(first, ladder_note(position, first))]
    growing = list(ladders)
    while growing:
        for strategy in list(growing):
            ladder = ladders[strategy]
            last = ladder[-1].choice
            focus = last.connection.alias if last.connection is not None else None
            nxt = None if len(ladder) >= CYCLE_WEEKS else planner.climb(strategy, last, focus)
            if nxt is None:
                growing.remove(strategy)
                continue
            planner.count(nxt)
            ladder.append(Rung(nxt, CLIMB_NOTE))
    return ladders


def place_steps(
    ladders: dict[Strategy, list[Rung]],
    today: dt.date,
    weekly_limit: int,
    safety: bool,
    first_week: int | None = None,
) -> list[Placed]:
    """Interleave the ladders rung by rung in strategy order, then fill the weeks.

    No week holds more than ``weekly_limit`` steps (the first week no more than
    ``first_week``, when given), and each step of a strategy comes in a later week than the
    one before it; a ladder that no longer fits waits for the next plan.
    """
    limits = [weekly_limit] * CYCLE_WEEKS
    if first_week is not None:
        limits[0] = max(1, min(first_week, weekly_limit))
    queue = [
        (strategy, k, ladders[strategy][k])
        for k in range(CYCLE_WEEKS)
        for strategy in ladders
        if k < len(ladders[strategy])
    ]
    load = [0] * CYCLE_WEEKS
    last_week: dict[Strategy, int] = {}
    closed: set[Strategy] = set()
    placed: list[Placed] = []
    for serial, (strategy, k, rung) in enumerate(queue):
        if strategy in closed:
            continue
        free = range(last_week.get(strategy, -1) + 1, CYCLE_WEEKS)
        week = next((w for w in free if load[w] < limits[w]), None)
        if week is None:
            closed.add(strategy)  # the rest of this ladder waits for the next plan
            continue
        day = ((load[week] + 1) * 6) // limits[week]
        load[week] += 1
        last_week[strategy] = week
        due = today + dt.timedelta(days=7 * week + day)
        support_first = safety and strategy is Strategy.SEEK_SUPPORT and k == 0
        placed.append(Placed(due, serial, strategy, rung, support_first))
    placed.sort(key=lambda entry: (entry.due, entry.serial))
    return placed


def spread(placed: list[Placed]) -> list[Placed]:
    """Drop steps until nobody is named in more than about a third of them.

    While someone is named in more than :func:`~resilience.planning._people.most_named`
    of the steps, the latest step naming them goes, with the later steps of its ladder (so
    a ladder still climbs one rung at a time).

    Example:
        >>> spread([])
        []
    """
    kept = list(placed)
    while True:
        counts: dict[str, int] = {}
        for entry in kept:
            connection = entry.rung.choice.connection
            if connection is not None:
                counts[connection.alias] = counts.get(connection.alias, 0) + 1
        over = sorted(a for a, n in counts.items() if n > most_named(len(kept)))
        if not over:
            return kept
        last = max(
            (e for e in kept if e.rung.choice.connection is not None
             and e.rung.choice.connection.alias == over[0]),
            key=lambda e: (e.due, e.serial),
        )  # fmt: skip
        kept = [
            e
            for e in kept
            if not (e.strategy is last.strategy and (e.due, e.serial) >= (last.due, last.serial))
        ]
