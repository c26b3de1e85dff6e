"""A person's support network: the people they can turn to, and how.

People are named by an alias the person chooses ("Sam", "my sister"); the library never
needs a real name. What matters for resilience is the *quality* of each tie (trust, how
safe and accepted the person feels, how contact happens), far more than the number of ties.

Example:
    >>> from resilience import Connection, Pillar, SupportNetwork
    >>> from resilience.model.network import ContactMode, Frequency, Relation
    >>> sam = Connection("Sam", Relation.FRIEND, trust=5, safety=5,
    ...                  pillars={Pillar.CO_REGULATION},
    ...                  contact={ContactMode.IN_PERSON: Frequency.WEEKLY})
    >>> SupportNetwork((sam,)).trusted()
    (Connection(alias='Sam', ...),)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from resilience.errors import InvalidValueError
from resilience.model._checks import check_day, enum_map, enum_one, enum_set, shown, text_fields
from resilience.model._frozen import FrozenDict, to_tuple
from resilience.model.taxonomy import Pillar

__all__ = ["Connection", "ContactMode", "Frequency", "Relation", "SupportNetwork"]


class Relation(enum.Enum):
    """What kind of relationship a connection is.

    Example:
        >>> Relation("neighbour")
        <Relation.NEIGHBOUR: 'neighbour'>
    """

    FAMILY = "family"
    PARTNER = "partner"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    NEIGHBOUR = "neighbour"
    COMMUNITY = "community"
    PROFESSIONAL = "professional"


class ContactMode(enum.Enum):
    """How two people are in touch, from richest to thinnest.

    Example:
        >>> [m.value for m in ContactMode]
        ['in-person', 'call', 'message', 'social-media']
    """

    IN_PERSON = "in-person"
    CALL = "call"
    MESSAGE = "message"
    SOCIAL_MEDIA = "social-media"


class Frequency(enum.Enum):
    """How often contact of one mode happens.

    Example:
        >>> Frequency.WEEKLY.per_month
        4.0
    """

    RARELY = "rarely"
    MONTHLY = "monthly"
    WEEKLY = "weekly"
    DAILY = "daily"

    @property
    def per_month(self) -> float:
        """A rough number of contacts per month, for summaries."""
        return {"rarely": 0.25, "monthly": 1.0, "weekly": 4.0, "daily": 30.0}[self.value]


def _check_level(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValueError(
            f"{attribute.name} must be a whole number from 1 to 5, not {shown(value)}"
        )


def _check_alias(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(f"alias must be a non-empty string, not {shown(value)}")


def _check_last_contact(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_day(instance, attribute, value)


def _to_relation(value: object) -> Relation:
    return enum_one(Relation, "relation", value)


def _to_pillars(value: object) -> frozenset[Pillar]:
    return enum_set(Pillar, "pillars", value)


def _to_contact(value: object) -> FrozenDict[ContactMode, Any]:
    return enum_map(ContactMode, "contact", value, Frequency)


@attrs.frozen(field_transformer=text_fields)
class Connection:
    """One person in someone's support network.

    Attributes:
        alias: A name the person chooses; never needs to be a real name.
        relation: What kind of relationship it is.
        trust: How much the person trusts them, 1 (not at all) to 5 (completely).
        safety: How safe and accepted the person feels with them, 1 to 5.
        pillars: The kinds of support this tie gives.
        contact: How often they are in touch, per mode.
        last_contact: When they were last in touch, if known.

    Enum fields take the member or its id: ``relation="friend"``,
    ``pillars={"validation"}`` and ``contact={"call": "weekly"}`` are converted once,
    here; an unknown id is an :class:`~resilience.errors.InvalidValueError` naming the
    field and the allowed ids.

    Example:
        >>> Connection("Ana", Relation.FAMILY, trust=4, safety=3).trusted
        True
        >>> Connection("Sam", "friend", 4, 4, pillars={"validation"}).pillars
        frozenset({<Pillar.VALIDATION: 'validation'>})
    """

    alias: str = attrs.field(validator=_check_alias)
    relation: Relation = attrs.field(converter=_to_relation)
    trust: int = attrs.field(validator=_check_level)
    safety: int = attrs.field(validator=_check_level)
    pillars: frozenset[Pillar] = attrs.field(default=frozenset(), converter=_to_pillars)
    contact: Mapping[ContactMode, Frequency] = attrs.field(
        factory=FrozenDict,
        converter=_to_contact,
    )
    last_contact: dt.date | None = attrs.field(default=None, validator=_check_last_contact)

    @property
    def trusted(self) -> bool:
        """Whether this is a trusted tie: trust of 4 or more (the documented threshold)."""
        return self.trust >= 4

    @property
    def in_person(self) -> bool:
        """Whether the two meet in person at all."""
        return ContactMode.IN_PERSON in self.contact


def _connections(values: Any) -> tuple[Connection, ...]:
    connections = to_tuple(values)
    for index, connection in enumerate(connections):
        if not isinstance(connection, Connection):
            raise InvalidValueError(
                f"connections[{index}] must be a Connection, not {type(connection).__name__}"
            )
    return connections


@attrs.frozen(field_transformer=text_fields)
class SupportNetwork:
    """The connections a person can turn to; aliases are unique.

    Example:
        >>> SupportNetwork(()).connections
        ()
    """

    connections: tuple[Connection, ...] = attrs.field(default=(), converter=_connections)

    def __attrs_post_init__(self) -> None:
        aliases = [c.alias for c in self.connections]
        repeated = sorted({a for a in aliases if aliases.count(a) > 1})
        if repeated:
            raise InvalidValueError(
                f"aliases must be unique in a network; repeated: {', '.join(map(repr, repeated))}"
            )

    def trusted(self) -> tuple[Connection, ...]:
        """The trusted ties (trust of 4 or more), in the order given."""
        return tuple(c for c in self.connections if c.trusted)

    def get(self, alias: str) -> Connection | None:
        """The connection with this alias, or ``None``."""
        for connection in self.connections:
            if connection.alias == alias:
                return connection
        return None
