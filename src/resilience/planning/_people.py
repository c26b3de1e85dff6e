"""Who a step may name: the right kind of tie, felt safe where it must be, able to meet.

These rules decide, for one template and one connection, whether the step may name that
connection. They are the plans guide's "who a step names" contract:

* a tie that is trusted but not felt safe (:attr:`Connection.trusted_but_not_felt_safe`) is
  never named; the plan offers a support step instead;
* the template's need says which kind of tie it is written for
  (:class:`~resilience.ConnectionNeed`): professionals only by steps that build on their
  support, groups only by group-shaped steps, everyone else only by person-shaped steps;
* opening up and asking for support name only ties that are trusted and felt safe;
* a dormant tie (no contact for :data:`LONG_SILENCE_DAYS` or more) is named only by
  reach-out steps until a reach-out step with them has been done;
* in-person steps name only ties met in person; reaching out and face-to-face steps written
  for people apart never name someone who shares the person's daily life;
* a tie named for some pillars gives one of the step's pillars (a tie whose pillars were
  not described could give any); a professional's support in place serves any pillar.
"""

from __future__ import annotations

import datetime as dt
import math

from resilience.model.network import Connection
from resilience.model.plans import ConnectionNeed, StepTemplate
from resilience.model.taxonomy import Pillar, Strategy

__all__ = [
    "LONG_SILENCE_DAYS",
    "SHARE_OF_STEPS",
    "dormant",
    "fits_kind",
    "may_name",
    "most_named",
]

#: Days without contact from which a tie is dormant ("a long silence").
LONG_SILENCE_DAYS = 90

#: The largest share of a plan's steps that may name one person (about a third).
SHARE_OF_STEPS = 1 / 3

_PERSON_NEEDS = frozenset({ConnectionNeed.ANY, ConnectionNeed.TRUSTED, ConnectionNeed.DORMANT})
_APART = frozenset({Strategy.REACH_OUT, Strategy.IN_PERSON})


def most_named(steps: int) -> int:
    """How many of a plan's ``steps`` may name one person: about a third, at least one.

    Example:
        >>> [most_named(n) for n in (1, 3, 4, 12)]
        [1, 1, 2, 4]
    """
    return max(1, math.ceil(steps * SHARE_OF_STEPS - 1e-9))


def dormant(connection: Connection, today: dt.date) -> bool:
    """Whether the last contact was :data:`LONG_SILENCE_DAYS` or more ago (unknown: no).

    Example:
        >>> from resilience import Connection, Relation
        >>> c = Connection("Sam", Relation.FRIEND, 4, 4, last_contact=dt.date(2025, 9, 1))
        >>> dormant(c, dt.date(2026, 1, 5))
        True
    """
    days = connection.days_since_contact(today)
    return days is not None and days >= LONG_SILENCE_DAYS


def fits_kind(need: ConnectionNeed, connection: Connection, today: dt.date) -> bool:
    """Whether ``connection`` is the kind of tie a template with ``need`` is written for.

    Example:
        >>> from resilience import Connection, Relation
        >>> therapist = Connection("Dr Okafor", Relation.THERAPIST, 5, 5)
        >>> (fits_kind(ConnectionNeed.ANY, therapist, dt.date(2026, 1, 5)),
        ...  fits_kind(ConnectionNeed.PROFESSIONAL, therapist, dt.date(2026, 1, 5)))
        (False, True)
    """
    if need is ConnectionNeed.NONE or connection.trusted_but_not_felt_safe:
        return False
    if need is ConnectionNeed.PROFESSIONAL:
        return connection.professional
    if connection.professional:
        return False
    if need is ConnectionNeed.GROUP:
        return connection.group
    if connection.group:
        return False
    if need is ConnectionNeed.HOUSEHOLD:
        return connection.daily_life
    if need is ConnectionNeed.DORMANT:
        return dormant(connection, today)
    if need is ConnectionNeed.TRUSTED:
        return connection.trusted
    return True


def may_name(
    template: StepTemplate,
    pillars: frozenset[Pillar],
    connection: Connection,
    today: dt.date,
    recontacted: frozenset[str],
) -> bool:
    """Whether a step from ``template`` aimed at ``pillars`` may name ``connection``.

    ``recontacted`` holds the aliases a reach-out step was done with in earlier plans.

    Example:
        >>> from resilience import Connection, Relation
        >>> from resilience.builtin.steps import TEMPLATES
        >>> share = next(t for t in TEMPLATES if t.id == "vulnerable/share-a-struggle")
        >>> ryan = Connection("Ryan", Relation.PARTNER, trust=4, safety=1)
        >>> mia = Connection("Mia", Relation.FRIEND, trust=4, safety=5)
        >>> [may_name(share, frozenset(share.pillars), c, dt.date(2026, 1, 5), frozenset())
        ...  for c in (ryan, mia)]
        [False, True]
    """
    if not fits_kind(template.needs, connection, today):
        return False
    strategy = template.strategy
    # Felt safety is a gate for opening up whoever the template is written for, and a
    # professional is only ever named by a step of seeking support (a plugin's template
    # may declare otherwise; it does not make a therapist a friend).
    if strategy is Strategy.BE_VULNERABLE_FIRST and not connection.safe_to_confide:
        return False
    if template.needs is ConnectionNeed.PROFESSIONAL and strategy is not Strategy.SEEK_SUPPORT:
        return False
    if (
        template.needs is not ConnectionNeed.PROFESSIONAL
        and strategy is not Strategy.REACH_OUT
        and dormant(connection, today)
        and connection.alias not in recontacted
    ):
        return False
    if template.in_person and not connection.in_person:
        return False
    if template.needs in _PERSON_NEEDS and strategy in _APART and connection.daily_life:
        return False
    if template.needs is ConnectionNeed.PROFESSIONAL:
        return True  # building on support in place serves whatever the plan aims at
    return not connection.pillars or bool(connection.pillars & pillars)
