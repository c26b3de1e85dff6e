"""The quality of ties, and how the ties that give a pillar cover it (pure arithmetic).

A tie's quality (:func:`connection_quality`) is closeness (trust and felt safety) times
how contact happens (:func:`contact_factor`) times how recent it is (:func:`recency_factor`),
capped below 1 by :data:`MAX_QUALITY`. The ties that give a pillar combine as a noisy-or,
``100 × (1 − Π(1 − q))`` (:func:`pillar_coverage`): one strong tie counts for a lot, each
further tie adds less. Untrusted ties (trust of :data:`UNTRUSTED_UP_TO` or less) are pooled
on their own and squeezed below :data:`UNTRUSTED_CEILING`, so that any number of them gives
a pillar less than one trusted, felt-safe tie met in person does (at least
:data:`WEAKEST_CLOSE_TIE`).

The built-in ``network`` scoring rule and the profile's network summary both read these
functions; :mod:`resilience.builtin.rules` re-exports them under the same names.

Example:
    >>> import datetime as dt, resilience as rs
    >>> sam = rs.Connection("Sam", rs.Relation.FRIEND, trust=5, safety=5,
    ...                     pillars={rs.Pillar.BELONGING},
    ...                     contact={rs.ContactMode.IN_PERSON: rs.Frequency.WEEKLY})
    >>> connection_quality(sam, dt.date(2026, 1, 5))
    0.9
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from resilience.model.fields import FrozenDict
from resilience.model.network import (
    FELT_SAFE_FROM,
    TRUSTED_FROM,
    Connection,
    ContactMode,
    Frequency,
    SupportNetwork,
)
from resilience.model.taxonomy import Pillar

__all__ = [
    "FREQUENCY_WEIGHTS",
    "MAX_QUALITY",
    "MODE_WEIGHTS",
    "RECENCY_OLDER",
    "RECENCY_STEPS",
    "RECENCY_UNKNOWN",
    "UNKNOWN_CONTACT",
    "UNTRUSTED_CEILING",
    "UNTRUSTED_UP_TO",
    "WEAKEST_CLOSE_TIE",
    "closeness",
    "connection_quality",
    "contact_factor",
    "coverage_of",
    "pillar_coverage",
    "recency_factor",
]

#: How much one contact mode carries, richest first: face to face carries tone, touch and
#: presence; a feed carries the least. The project's own choice, after the article.
MODE_WEIGHTS: Mapping[ContactMode, float] = FrozenDict(
    {
        ContactMode.IN_PERSON: 1.0,
        ContactMode.CALL: 0.7,
        ContactMode.MESSAGE: 0.45,
        ContactMode.SOCIAL_MEDIA: 0.2,
    }
)
#: How much the frequency of a mode keeps of its weight.
FREQUENCY_WEIGHTS: Mapping[Frequency, float] = FrozenDict(
    {
        Frequency.DAILY: 1.0,
        Frequency.WEEKLY: 1.0,
        Frequency.MONTHLY: 0.8,
        Frequency.RARELY: 0.5,
    }
)
#: The contact factor of a connection whose contact was not described.
UNKNOWN_CONTACT = 0.5
#: ``(days since last contact, at most) -> factor``, checked in order.
RECENCY_STEPS: tuple[tuple[int, float], ...] = ((30, 1.0), (90, 0.85), (365, 0.6))
#: The recency factor when the last contact was more than a year ago.
RECENCY_OLDER = 0.35
#: The recency factor when the date of last contact is not known (not discounted: the
#: contact frequencies already say how contact happens).
RECENCY_UNKNOWN = 1.0
#: The quality of a perfect tie. Below 1, so that no single person is ever "all the
#: support one needs" and every further tie can still add a little.
MAX_QUALITY = 0.9
#: Trust up to which a tie counts as untrusted (1–5 scale).
UNTRUSTED_UP_TO = 2
#: The most (0–100, never reached) that untrusted ties, however many, give one pillar.
UNTRUSTED_CEILING = 10.0


def closeness(connection: Connection) -> float:
    """Trust and felt safety, each scaled from 1–5 to 0–1, averaged.

    Example:
        >>> from resilience.model.network import Relation
        >>> closeness(Connection("Sam", Relation.FRIEND, trust=5, safety=3))
        0.75
    """
    return ((connection.trust - 1) / 4 + (connection.safety - 1) / 4) / 2


def contact_factor(connection: Connection) -> float:
    """The richest way two people are in touch: the best ``mode × frequency`` weight.

    Example:
        >>> from resilience.model.network import Relation
        >>> c = Connection("Sam", Relation.FRIEND, trust=5, safety=5,
        ...                contact={ContactMode.SOCIAL_MEDIA: Frequency.DAILY,
        ...                         ContactMode.CALL: Frequency.MONTHLY})
        >>> round(contact_factor(c), 2)
        0.56
    """
    if not connection.contact:
        return UNKNOWN_CONTACT
    return max(
        MODE_WEIGHTS[mode] * FREQUENCY_WEIGHTS[frequency]
        for mode, frequency in connection.contact.items()
    )


def recency_factor(connection: Connection, on: dt.date) -> float:
    """How much of a tie's quality is kept, given how long ago the last contact was.

    A last contact after ``on`` counts as today.

    Example:
        >>> import datetime as dt
        >>> from resilience.model.network import Relation
        >>> c = Connection("Sam", Relation.FRIEND, trust=5, safety=5,
        ...                last_contact=dt.date(2025, 11, 1))
        >>> recency_factor(c, dt.date(2026, 1, 5))
        0.85
    """
    if connection.last_contact is None:
        return RECENCY_UNKNOWN
    days = max(0, (on - connection.last_contact).days)
    for limit, factor in RECENCY_STEPS:
        if days <= limit:
            return factor
    return RECENCY_OLDER


def connection_quality(connection: Connection, on: dt.date) -> float:
    """One tie's quality in ``[0, MAX_QUALITY]``: closeness × contact × recency × 0.9.

    Example:
        >>> import datetime as dt
        >>> from resilience.model.network import Relation
        >>> friend = Connection("Sam", Relation.FRIEND, trust=5, safety=5,
        ...                     contact={ContactMode.IN_PERSON: Frequency.WEEKLY})
        >>> connection_quality(friend, dt.date(2026, 1, 5))
        0.9
    """
    return (
        MAX_QUALITY
        * closeness(connection)
        * contact_factor(connection)
        * recency_factor(connection, on)
    )


def _noisy_or(qualities: Iterable[float]) -> float:
    # Sorted, so the product (float multiplication is not associative) never depends on
    # the order the connections were listed in.
    return 100.0 * (1.0 - math.prod(1.0 - q for q in sorted(qualities)))


def _pillar_support(ties: Iterable[tuple[Connection, float]]) -> float:
    """Support for one pillar from its ties and their qualities: quality over quantity.

    The ties with some trust combine as a noisy-or ``A``; the untrusted ones as their own
    noisy-or, scaled into ``[0, UNTRUSTED_CEILING)`` (``B``); then ``100 × (1 − (1 − A)(1 −
    B))``. Adding any tie never lowers the result.
    """
    trusted: list[float] = []
    untrusted: list[float] = []
    for connection, quality in ties:
        (untrusted if connection.trust <= UNTRUSTED_UP_TO else trusted).append(quality)
    held = _noisy_or(trusted) / 100.0
    thin = UNTRUSTED_CEILING / 100.0 * _noisy_or(untrusted) / 100.0
    return 100.0 * (1.0 - (1.0 - held) * (1.0 - thin))


def pillar_coverage(network: SupportNetwork, on: dt.date) -> Mapping[Pillar, float]:
    """Support per pillar, 0–100: a noisy-or ``100 × (1 − Π(1 − q))`` over the ties giving it.

    One strong tie counts for a lot; each further tie adds less. Untrusted ties (trust of
    :data:`UNTRUSTED_UP_TO` or less) together stay below :data:`UNTRUSTED_CEILING`, which is
    below what any one trusted, felt-safe tie met in person gives
    (:data:`WEAKEST_CLOSE_TIE`). A pillar nobody gives is 0.

    Example:
        >>> import datetime as dt
        >>> from resilience.model.network import Relation
        >>> friend = Connection("Sam", Relation.FRIEND, trust=5, safety=5,
        ...                     pillars={Pillar.BELONGING},
        ...                     contact={ContactMode.IN_PERSON: Frequency.WEEKLY})
        >>> round(pillar_coverage(SupportNetwork((friend,)), dt.date(2026, 1, 5))
        ...       [Pillar.BELONGING], 1)
        90.0
    """
    quality = {c.alias: connection_quality(c, on) for c in network.connections}
    return coverage_of(network, quality)


def coverage_of(network: SupportNetwork, quality: Mapping[str, float]) -> Mapping[Pillar, float]:
    """Each pillar's support (0–100) from the qualities already worked out, by alias.

    Example:
        >>> coverage_of(SupportNetwork(()), {})[Pillar.BELONGING]
        0.0
    """
    return FrozenDict(
        (
            pillar,
            _pillar_support(
                (c, quality[c.alias]) for c in network.connections if pillar in c.pillars
            ),
        )
        for pillar in Pillar
    )


#: The least one trusted, felt-safe tie met in person gives a pillar it is named for
#: (trust and safety 4, in person rarely, last contact over a year ago): about 11.8, above
#: :data:`UNTRUSTED_CEILING`.
WEAKEST_CLOSE_TIE: float = 100.0 * (
    MAX_QUALITY
    * ((TRUSTED_FROM - 1) / 4 + (FELT_SAFE_FROM - 1) / 4)
    / 2
    * MODE_WEIGHTS[ContactMode.IN_PERSON]
    * min(FREQUENCY_WEIGHTS.values())
    * min(RECENCY_OLDER, *(factor for _, factor in RECENCY_STEPS))
)
