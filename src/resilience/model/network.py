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
from resilience.model.fields import (
    FrozenDict,
    check_day,
    enum_map,
    enum_one,
    enum_set,
    shown,
    text_fields,
    to_tuple,
)
from resilience.model.taxonomy import Pillar

__all__ = [
    "FELT_SAFE_FROM",
    "NOT_FELT_SAFE_UP_TO",
    "TRUSTED_FROM",
    "Connection",
    "ContactMode",
    "Frequency",
    "Relation",
    "SupportNetwork",
]


class Relation(enum.Enum):
    """What kind of relationship a connection is.

    Most relations are with one person. ``GROUP`` and ``COMMUNITY`` are with a group (a
    book club, a congregation, a team, an online forum): plans address the group's next
    meeting and one person there, never the group as if it were one person. The
    professional relations (``THERAPIST``, ``COUNSELLOR``, ``DOCTOR``, ``SUPPORT_WORKER``
    and the general ``PROFESSIONAL``) are support in place: plans build on them ("bring
    this to your next session") and never ask the person to befriend, visit or invest in a
    professional.

    Example:
        >>> Relation("neighbour")
        <Relation.NEIGHBOUR: 'neighbour'>
        >>> (Relation.THERAPIST.professional, Relation.GROUP.group, Relation.FRIEND.group)
        (True, True, False)
    """

    FAMILY = "family"
    PARTNER = "partner"
    FRIEND = "friend"
    COLLEAGUE = "colleague"
    NEIGHBOUR = "neighbour"
    COMMUNITY = "community"
    PROFESSIONAL = "professional"
    GROUP = "group"
    THERAPIST = "therapist"
    COUNSELLOR = "counsellor"
    DOCTOR = "doctor"
    SUPPORT_WORKER = "support-worker"

    @property
    def professional(self) -> bool:
        """Whether this is a professional tie (someone paid or trained to help)."""
        return self in _PROFESSIONAL

    @property
    def group(self) -> bool:
        """Whether this is a group or a community rather than one person."""
        return self in _GROUPS

    @property
    def label(self) -> str:
        """The relation in words ("support worker")."""
        return self.value.replace("-", " ")


_PROFESSIONAL = frozenset(
    {
        Relation.PROFESSIONAL,
        Relation.THERAPIST,
        Relation.COUNSELLOR,
        Relation.DOCTOR,
        Relation.SUPPORT_WORKER,
    }
)
_GROUPS = frozenset({Relation.GROUP, Relation.COMMUNITY})

#: Trust from which a tie is trusted (1–5 scale).
TRUSTED_FROM = 4
#: Felt safety from which a tie is felt safe (1–5 scale): opening-up steps need it.
FELT_SAFE_FROM = 4
#: Felt safety up to which a tie is *not* felt safe (1–5 scale): a trusted tie at or
#: below it is noted in the profile, never asked for disclosure, and the plan offers support.
NOT_FELT_SAFE_UP_TO = 2


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
        """Whether this is a trusted tie: trust of 4 or more (:data:`TRUSTED_FROM`)."""
        return self.trust >= TRUSTED_FROM

    @property
    def felt_safe(self) -> bool:
        """Whether the person feels safe and accepted with them: 4 or more (:data:`FELT_SAFE_FROM`).

        Example:
            >>> Connection("Ana", Relation.FAMILY, trust=5, safety=3).felt_safe
            False
        """
        return self.safety >= FELT_SAFE_FROM

    @property
    def safe_to_confide(self) -> bool:
        """Trusted and felt safe: the only ties opening-up and asking-for-support steps name.

        Example:
            >>> Connection("Ana", Relation.FAMILY, trust=4, safety=4).safe_to_confide
            True
        """
        return self.trusted and self.felt_safe

    @property
    def trusted_but_not_felt_safe(self) -> bool:
        """A trusted tie the person does not feel safe with (safety of 2 or less).

        Example:
            >>> Connection("Ryan", Relation.PARTNER, trust=4, safety=1).trusted_but_not_felt_safe
            True
        """
        return self.trusted and self.safety <= NOT_FELT_SAFE_UP_TO

    @property
    def in_person(self) -> bool:
        """Whether the two meet in person at all."""
        return ContactMode.IN_PERSON in self.contact

    @property
    def professional(self) -> bool:
        """Whether this is a professional tie (:attr:`Relation.professional`)."""
        return self.relation.professional

    @property
    def group(self) -> bool:
        """Whether this is a group or community rather than one person."""
        return self.relation.group

    @property
    def daily_life(self) -> bool:
        """Whether the two share daily life: seen in person every day.

        Example:
            >>> Connection("Alex", Relation.PARTNER, trust=5, safety=5,
            ...            contact={ContactMode.IN_PERSON: Frequency.DAILY}).daily_life
            True
        """
        return self.contact.get(ContactMode.IN_PERSON) is Frequency.DAILY

    def days_since_contact(self, on: dt.date) -> int | None:
        """Days from the last contact to ``on`` (0 if later), or ``None`` when unknown.

        Example:
            >>> import datetime as dt
            >>> c = Connection("Sam", Relation.FRIEND, trust=4, safety=4,
            ...                last_contact=dt.date(2026, 1, 1))
            >>> c.days_since_contact(dt.date(2026, 1, 31))
            30
        """
        if self.last_contact is None:
            return None
        return max(0, (on - self.last_contact).days)


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
