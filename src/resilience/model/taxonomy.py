"""The article's concepts as enums, with labels, descriptions and the links between them.

Five resilience *capacities*; four *pillars* through which connection makes a person
stronger; seven *signs* that missing connection may be wearing resilience down; five
*drivers* that make isolation grow; five *strategies* that rebuild connection.

The links are the model's backbone: a sign points at the pillars whose need it suggests is
unmet (and the capacities it weakens); a driver points at the strategies that counter it; a
strategy points at the pillars it rebuilds. Every description is the project's own wording.

Example:
    >>> from resilience import IsolationSign, Pillar
    >>> IsolationSign.HIDES_STRUGGLES.pillars == frozenset({Pillar.VALIDATION,
    ...                                                      Pillar.CO_REGULATION})
    True
    >>> Pillar.BELONGING.label
    'Meaning and belonging'
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

__all__ = ["Capacity", "IsolationDriver", "IsolationSign", "Pillar", "Strategy"]


class Capacity(enum.Enum):
    """A capacity that makes up psychological resilience.

    Example:
        >>> Capacity("recover-from-setbacks") is Capacity.RECOVER
        True
        >>> Capacity.RECOVER.label
        'Recovering from setbacks'
    """

    GROUNDED = "stay-grounded"
    ADAPT = "cope-with-change"
    RECOVER = "recover-from-setbacks"
    HOPE = "hope-and-purpose"
    GROW = "learn-and-grow"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _CAPACITY_TEXT[self][0]

    @property
    def description(self) -> str:
        """One or two sentences in the project's own words."""
        return _CAPACITY_TEXT[self][1]


class Pillar(enum.Enum):
    """One of the four ways in which connection to other people builds strength.

    Example:
        >>> [pillar.value for pillar in Pillar]
        ['co-regulation', 'validation', 'belonging', 'practical-support']
    """

    CO_REGULATION = "co-regulation"
    VALIDATION = "validation"
    BELONGING = "belonging"
    PRACTICAL_SUPPORT = "practical-support"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _PILLAR_TEXT[self][0]

    @property
    def description(self) -> str:
        """One or two sentences in the project's own words."""
        return _PILLAR_TEXT[self][1]

    @property
    def signs(self) -> frozenset[IsolationSign]:
        """The signs that suggest this pillar's need is going unmet."""
        return frozenset(sign for sign in IsolationSign if self in sign.pillars)

    @property
    def strategies(self) -> frozenset[Strategy]:
        """The strategies that rebuild this pillar."""
        return frozenset(strategy for strategy in Strategy if self in strategy.pillars)


class IsolationSign(enum.Enum):
    """A sign that disconnection may be wearing down a person's resilience.

    A sign describes a need, not a disorder: it points at the pillars whose need may be
    unmet and at the capacities that suffer when it is.

    Example:
        >>> sorted(p.value for p in IsolationSign.RELIES_ONLY_ON_SELF.pillars)
        ['practical-support']
    """

    EXHAUSTED_BY_SMALL_STRESS = "exhausted-by-small-stress"
    HARD_TO_BOUNCE_BACK = "hard-to-bounce-back"
    NOT_UNDERSTOOD = "not-understood"
    LOST_PURPOSE = "lost-purpose"
    HIDES_STRUGGLES = "hides-struggles"
    ALONE_OR_LONELY = "alone-or-lonely"
    RELIES_ONLY_ON_SELF = "relies-only-on-self"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _SIGN_TEXT[self][0]

    @property
    def description(self) -> str:
        """One or two sentences in the project's own words."""
        return _SIGN_TEXT[self][1]

    @property
    def pillars(self) -> frozenset[Pillar]:
        """The pillars whose need this sign suggests is unmet."""
        return _SIGN_PILLARS[self]

    @property
    def capacities(self) -> frozenset[Capacity]:
        """The resilience capacities this sign weakens."""
        return _SIGN_CAPACITIES[self]


class IsolationDriver(enum.Enum):
    """A force in modern life that lets isolation grow.

    Drivers are context, not faults: they never lower a score, they shape the plan.

    Example:
        >>> Strategy.IN_PERSON in IsolationDriver.REMOTE_AND_DIGITAL.countered_by
        True
    """

    REMOTE_AND_DIGITAL = "remote-and-digital"
    BUSY_LIFE = "busy-life"
    INDEPENDENCE_NORMS = "independence-norms"
    SHALLOW_SOCIAL_MEDIA = "shallow-social-media"
    LIFE_TRANSITION = "life-transition"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _DRIVER_TEXT[self][0]

    @property
    def description(self) -> str:
        """One or two sentences in the project's own words."""
        return _DRIVER_TEXT[self][1]

    @property
    def countered_by(self) -> frozenset[Strategy]:
        """The strategies that work against this driver."""
        return _DRIVER_STRATEGIES[self]


class Strategy(enum.Enum):
    """A way to rebuild connection, and with it resilience.

    Example:
        >>> sorted(p.value for p in Strategy.BE_VULNERABLE_FIRST.pillars)
        ['co-regulation', 'validation']
    """

    REACH_OUT = "reach-out"
    IN_PERSON = "in-person"
    BE_VULNERABLE_FIRST = "be-vulnerable-first"
    INVEST_IN_RELATIONSHIPS = "invest-in-relationships"
    SEEK_SUPPORT = "seek-support"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _STRATEGY_TEXT[self][0]

    @property
    def description(self) -> str:
        """One or two sentences in the project's own words."""
        return _STRATEGY_TEXT[self][1]

    @property
    def pillars(self) -> frozenset[Pillar]:
        """The pillars this strategy rebuilds."""
        return _STRATEGY_PILLARS[self]

    @property
    def counters(self) -> frozenset[IsolationDriver]:
        """The drivers of isolation this strategy works against."""
        return frozenset(d for d in IsolationDriver if self in d.countered_by)


_CAPACITY_TEXT: Mapping[Capacity, tuple[str, str]] = {
    Capacity.GROUNDED: (
        "Staying grounded under stress",
        "Keeping one's footing and a steady mind while pressure is high.",
    ),
    Capacity.ADAPT: (
        "Coping with uncertainty and change",
        "Handling what cannot be predicted, and adjusting when circumstances shift.",
    ),
    Capacity.RECOVER: (
        "Recovering from setbacks",
        "Getting back up after a loss or a failure, in time and without lasting damage.",
    ),
    Capacity.HOPE: (
        "Keeping hope and purpose",
        "Holding on to a reason to go on, and a sense that things can improve, when life is hard.",
    ),
    Capacity.GROW: (
        "Learning and growing through adversity",
        "Taking something of value out of difficult times and coming out wiser.",
    ),
}

_PILLAR_TEXT: Mapping[Pillar, tuple[str, str]] = {
    Pillar.CO_REGULATION: (
        "Emotional co-regulation",
        "Calming down together: the presence and empathy of someone close help the body "
        "and mind settle after stress, which is hard to do alone for long.",
    ),
    Pillar.VALIDATION: (
        "Validation and perspective",
        "Being listened to and understood, and hearing another view, which eases "
        "emotional overload and interrupts brooding and worst-case thinking.",
    ),
    Pillar.BELONGING: (
        "Meaning and belonging",
        "Being part of something (a family, friendships, a community, a shared aim) "
        "that gives a reason to keep going.",
    ),
    Pillar.PRACTICAL_SUPPORT: (
        "Practical support and shared resources",
        "Having people who help with tasks, advice or a burden, so that one problem does "
        "not have to be carried alone.",
    ),
}

_SIGN_TEXT: Mapping[IsolationSign, tuple[str, str]] = {
    IsolationSign.EXHAUSTED_BY_SMALL_STRESS: (
        "Drained by small stresses",
        "Minor pressures leave the person emotionally worn out.",
    ),
    IsolationSign.HARD_TO_BOUNCE_BACK: (
        "Slow to process and recover",
        "Difficult feelings are hard to work through and setbacks linger.",
    ),
    IsolationSign.NOT_UNDERSTOOD: (
        "Feeling nobody understands",
        "The person often senses that no one really gets what they are going through.",
    ),
    IsolationSign.LOST_PURPOSE: (
        "Motivation and purpose fading",
        "Things that used to matter no longer feel worth the effort.",
    ),
    IsolationSign.HIDES_STRUGGLES: (
        "Keeping struggles hidden",
        "The person avoids telling others when things are hard.",
    ),
    IsolationSign.ALONE_OR_LONELY: (
        "Mostly alone, or lonely in company",
        "Most time is spent alone, or loneliness persists even among other people.",
    ),
    IsolationSign.RELIES_ONLY_ON_SELF: (
        "Relying only on oneself",
        "The person carries everything alone, even when it is too much.",
    ),
}

_SIGN_PILLARS: Mapping[IsolationSign, frozenset[Pillar]] = {
    IsolationSign.EXHAUSTED_BY_SMALL_STRESS: frozenset(
        {Pillar.CO_REGULATION, Pillar.PRACTICAL_SUPPORT}
    ),
    IsolationSign.HARD_TO_BOUNCE_BACK: frozenset({Pillar.CO_REGULATION, Pillar.VALIDATION}),
    IsolationSign.NOT_UNDERSTOOD: frozenset({Pillar.VALIDATION}),
    IsolationSign.LOST_PURPOSE: frozenset({Pillar.BELONGING}),
    IsolationSign.HIDES_STRUGGLES: frozenset({Pillar.VALIDATION, Pillar.CO_REGULATION}),
    IsolationSign.ALONE_OR_LONELY: frozenset({Pillar.BELONGING, Pillar.CO_REGULATION}),
    IsolationSign.RELIES_ONLY_ON_SELF: frozenset({Pillar.PRACTICAL_SUPPORT}),
}

_SIGN_CAPACITIES: Mapping[IsolationSign, frozenset[Capacity]] = {
    IsolationSign.EXHAUSTED_BY_SMALL_STRESS: frozenset({Capacity.GROUNDED}),
    IsolationSign.HARD_TO_BOUNCE_BACK: frozenset({Capacity.RECOVER, Capacity.GROUNDED}),
    IsolationSign.NOT_UNDERSTOOD: frozenset({Capacity.ADAPT}),
    IsolationSign.LOST_PURPOSE: frozenset({Capacity.HOPE}),
    IsolationSign.HIDES_STRUGGLES: frozenset({Capacity.GROW}),
    IsolationSign.ALONE_OR_LONELY: frozenset({Capacity.HOPE}),
    IsolationSign.RELIES_ONLY_ON_SELF: frozenset({Capacity.ADAPT, Capacity.RECOVER}),
}

_DRIVER_TEXT: Mapping[IsolationDriver, tuple[str, str]] = {
    IsolationDriver.REMOTE_AND_DIGITAL: (
        "Remote and digital-only contact",
        "Work and friendships run through screens, so face-to-face time has thinned out.",
    ),
    IsolationDriver.BUSY_LIFE: (
        "A crowded schedule",
        "Days are so full that seeing people keeps getting pushed aside.",
    ),
    IsolationDriver.INDEPENDENCE_NORMS: (
        "Norms of self-reliance",
        "The surrounding culture prizes coping alone or treats showing need as weakness.",
    ),
    IsolationDriver.SHALLOW_SOCIAL_MEDIA: (
        "Social media in place of closeness",
        "Feeds and likes feel like contact but rarely give depth or support.",
    ),
    IsolationDriver.LIFE_TRANSITION: (
        "A life transition",
        "A move, a change of career, an illness or growing older has loosened old ties.",
    ),
}

_DRIVER_STRATEGIES: Mapping[IsolationDriver, frozenset[Strategy]] = {
    IsolationDriver.REMOTE_AND_DIGITAL: frozenset({Strategy.IN_PERSON, Strategy.REACH_OUT}),
    IsolationDriver.BUSY_LIFE: frozenset({Strategy.REACH_OUT, Strategy.INVEST_IN_RELATIONSHIPS}),
    IsolationDriver.INDEPENDENCE_NORMS: frozenset(
        {Strategy.BE_VULNERABLE_FIRST, Strategy.SEEK_SUPPORT}
    ),
    IsolationDriver.SHALLOW_SOCIAL_MEDIA: frozenset(
        {Strategy.IN_PERSON, Strategy.INVEST_IN_RELATIONSHIPS}
    ),
    IsolationDriver.LIFE_TRANSITION: frozenset({Strategy.REACH_OUT, Strategy.SEEK_SUPPORT}),
}

_STRATEGY_TEXT: Mapping[Strategy, tuple[str, str]] = {
    Strategy.REACH_OUT: (
        "Reach out, even if it feels awkward",
        "Make the first move with something small, such as a message, a call or a visit "
        "to a local group; most people are glad to hear from someone.",
    ),
    Strategy.IN_PERSON: (
        "Choose face-to-face contact",
        "Where possible, meet in person: eye contact, tone and touch carry much of what "
        "calms and connects us.",
    ),
    Strategy.BE_VULNERABLE_FIRST: (
        "Open up first",
        "Share something honest about how things really are; it invites others to do the "
        "same and is how trust begins.",
    ),
    Strategy.INVEST_IN_RELATIONSHIPS: (
        "Invest in people, not only activities",
        "Give time to the people with whom you feel safe and accepted, not just to events "
        "that keep you busy.",
    ),
    Strategy.SEEK_SUPPORT: (
        "Seek professional or community support",
        "When personal ties are few or strained, therapists, support groups and community "
        "programmes offer connection and help.",
    ),
}

_STRATEGY_PILLARS: Mapping[Strategy, frozenset[Pillar]] = {
    Strategy.REACH_OUT: frozenset({Pillar.BELONGING, Pillar.PRACTICAL_SUPPORT}),
    Strategy.IN_PERSON: frozenset({Pillar.CO_REGULATION, Pillar.BELONGING}),
    Strategy.BE_VULNERABLE_FIRST: frozenset({Pillar.VALIDATION, Pillar.CO_REGULATION}),
    Strategy.INVEST_IN_RELATIONSHIPS: frozenset(
        {Pillar.BELONGING, Pillar.VALIDATION, Pillar.CO_REGULATION}
    ),
    Strategy.SEEK_SUPPORT: frozenset(Pillar),
}
