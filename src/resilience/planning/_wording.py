"""What a step says: its action with the person's own connections, and why it was chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from resilience.builtin.references import HICKIN_2021, LASGAARD_2025
from resilience.model.evidence import Approach
from resilience.model.network import Connection
from resilience.model.plans import Effort, StepTemplate, SupportResource
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationSign, Pillar, Strategy
from resilience.planning._ladders import Choice, LadderMode, Planner, Position
from resilience.planning._people import LONG_SILENCE_DAYS
from resilience.planning._targets import ROOM_TO_GROW

__all__ = [
    "CLIMB_NOTE",
    "GENERAL_SUPPORT",
    "QUOTE_FROM",
    "SUPPORT_FALLBACK",
    "action_text",
    "ladder_note",
    "resource_line",
    "step_reason",
]

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
    approach=Approach.SOCIAL_SUPPORT,
    techniques=("BCIO:007029", "1.4"),  # advise to seek support; action planning
    references=(HICKIN_2021, LASGAARD_2025),
)

_LADDER_NOTES = {
    LadderMode.NEW: "A first, small step on this ladder.",
    LadderMode.FROM: "Picks up where the last plan left this ladder.",
    LadderMode.ABOVE: "One rung up from the step you did last time.",
    LadderMode.SAME: "The same rung again, since the last step was partly done.",
    LadderMode.STAY: "A step of the same size, not a bigger one, since the last one felt hard.",
}

#: The note of every step after the first on a ladder.
CLIMB_NOTE = "One rung up from the step before it."

#: A sign reported at this level (0–100) or more is quoted back as "you said you tend to
#: …": "often" or more on a five-step frequency scale.
QUOTE_FROM = 75.0


def ladder_note(position: Position, choice: Choice) -> str:
    """The sentence that says where a ladder's first step in this plan comes from.

    After a skip it says "smaller" only when the step is smaller (a lower rung or less
    effort); otherwise it says what is different about it.

    Example:
        >>> from resilience.planning._ladders import Position
        >>> choice = Choice(SUPPORT_FALLBACK, None, frozenset({Pillar.BELONGING}))
        >>> ladder_note(Position(LadderMode.NEW, 1), choice)
        'A first, small step on this ladder.'
        >>> ladder_note(Position(LadderMode.BELOW, 1, 0, "support/find-out"), choice)
        'Another way to take this step, after the last one was skipped.'
    """
    if position.mode is not LadderMode.BELOW:
        return _LADDER_NOTES[position.mode]
    template = choice.template
    if template.rung < position.rung or template.effort.level < position.effort:
        return "A smaller step, after the last one was skipped."
    alias = choice.connection.alias if choice.connection is not None else None
    if alias is not None and position.connection is not None and alias != position.connection:
        return "A step of the same size with someone else, after the last one was skipped."
    return "Another way to take this step, after the last one was skipped."


def _pillar_kind(
    profile: ResilienceProfile, levels: Mapping[IsolationSign, float], pillar: Pillar
) -> str:
    """What the evidence says about ``pillar``, as one of the keys of :data:`_TAILS`."""
    score = profile.pillars.get(pillar)
    if score is not None and score.strength is not None:
        if score.little_evidence:
            return "thin"
        return "room" if score.strength < ROOM_TO_GROW else "strength"
    return "signs" if any(pillar in s.pillars for s in levels) else "unmeasured"


# The clause said once for a group of pillars of one kind: (one pillar, several pillars).
_TAILS = {
    "thin": (
        "which may be thin, though so far little evidence speaks to it (a rough first look)",
        "which may be thin, though so far little evidence speaks to them (a rough first look)",
    ),
    "room": ("where your answers show room to grow",) * 2,
    "most": ("where your answers show the most room to grow",) * 2,
    "strength": (
        "already a strength for you, which can still grow",
        "already strengths for you, which can still grow",
    ),
    "signs": ("which the signs you reported point to",) * 2,
    "unmeasured": ("which has not been measured yet", "which have not been measured yet"),
}


def _aims(planner: Planner, pillars: Sequence[Pillar]) -> str:
    """The pillars a step aims at, each named once, grouped by what the evidence says.

    Pillars the same words apply to share one clause ("validation and perspective, and at
    meaning and belonging, where your answers show the most room to grow"), so no clause is
    said twice. "The most room to grow" is said of a group with the plan's first target in
    it (a plan has at most one other, the next weakest); a group without it has "room to
    grow".
    """
    levels = planner.sign_levels
    groups: dict[str, list[Pillar]] = {}
    for pillar in pillars:
        groups.setdefault(_pillar_kind(planner.profile, levels, pillar), []).append(pillar)
    clauses = []
    for kind, members in groups.items():
        if kind == "room" and planner.targets and planner.targets[0] in members:
            kind = "most"
        one, several = _TAILS[kind]
        tail = one if len(members) == 1 else several
        if kind == "signs":
            signs = sorted(s.label.lower() for s in levels if s.pillars & set(members))
            tail = f"{tail} ({', '.join(signs)})"
        clauses.append(", and at ".join(p.label.lower() for p in members) + f", {tail}")
    return "; and at ".join(clauses)


def _support_first_reason(planner: Planner) -> str:
    profile = planner.profile
    if profile.support_advised:
        return (
            "It comes first because your answers describe a heavy load, and nobody should "
            "have to carry that alone."
        )
    unsafe = [c.alias for c in planner.connections if c.trusted_but_not_felt_safe]
    if unsafe:
        return (
            f"It comes first because you rated feeling safe with {unsafe[0]} low; someone "
            "outside that relationship can listen without taking sides."
        )
    return "It comes first because nobody you fully trust is on your list yet."


def step_reason(planner: Planner, choice: Choice, note: str, support_first: bool) -> str:
    """Why a step was chosen, in full sentences with no scores or ids in them.

    It names each pillar the step aims at once, and each thing the evidence says about
    them once (the weakest called so only when it rests on enough evidence), the drivers
    it fits, what the person reported (quoted only where the
    answer says it), the person named, and where the step stands on its ladder.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> from resilience.planning._ladders import Position
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> planner = Planner(p, TEMPLATES, None, dt.date(2026, 1, 5), frozenset())
        >>> choice = Choice(SUPPORT_FALLBACK, None, frozenset({Pillar.BELONGING}))
        >>> step_reason(planner, choice, ladder_note(Position(LadderMode.NEW, 1), choice),
        ...             False)[:50]
        'Aims at meaning and belonging, which has not been '
    """
    template = choice.template
    pillars = sorted(choice.pillars, key=lambda p: planner.targets.index(p))
    parts = [f"Aims at {_aims(planner, pillars)}."]
    if support_first:
        parts.append(_support_first_reason(planner))
    matched = sorted((d for d in template.suits if d in planner.drivers), key=lambda d: d.value)
    if matched:
        parts.append("It fits " + ", ".join(d.label.lower() for d in matched) + ".")
    hidden = planner.sign_levels.get(IsolationSign.HIDES_STRUGGLES, 0.0)
    if template.strategy is Strategy.BE_VULNERABLE_FIRST and hidden >= QUOTE_FROM:
        parts.append("You said you often keep struggles to yourself; start with one person.")
    if choice.connection is not None:
        parts.append(_who(choice.connection, planner.today))
    parts.append(note)
    return " ".join(parts)


def _who(connection: Connection, today: dt.date) -> str:
    alias = connection.alias
    if connection.professional:
        return f"{alias} is support you already have."
    if connection.group:
        return f"{alias} is a group you belong to."
    if connection.safe_to_confide:
        who = f"{alias} is someone you trust and feel safe with"
    elif connection.trusted:
        who = f"{alias} is someone you trust"
    else:
        who = f"{alias} is someone in your life"
    days = connection.days_since_contact(today)
    if days is not None and days >= LONG_SILENCE_DAYS:
        who += ", and it has been a while since you were in touch"
    return who + "."


def resource_line(resources: Sequence[SupportResource]) -> str:
    """One sentence naming where help is found: the host's resources, or general places.

    Example:
        >>> resource_line(()) == GENERAL_SUPPORT
        True
    """
    if not resources:
        return GENERAL_SUPPORT
    # Descriptions are the host's sentences: drop their closing stop so the list reads
    # as one sentence ("…weekends; Tuesday walking group…").
    listed = "; ".join(
        f"{r.name} ({r.contact}): {r.description.rstrip().rstrip('.')}" for r in resources
    )
    return f"Support that comes with this plan: {listed}."


def action_text(choice: Choice, resources: Sequence[SupportResource]) -> str:
    """The step's action with the connection's alias (or the template's unnamed wording).

    Example:
        >>> action_text(Choice(SUPPORT_FALLBACK, None, frozenset()), ())[:24]
        'Choose one place where y'
    """
    template = choice.template
    name = choice.connection.alias if choice.connection is not None else template.unnamed
    text = template.action.replace("{alias}", name)
    if text[:1].islower():  # an unnamed placeholder at the start of a sentence
        text = text[0].upper() + text[1:]
    if template.strategy is Strategy.SEEK_SUPPORT:
        text = f"{text} {resource_line(resources)}"
    return text
