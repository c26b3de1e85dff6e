"""What a step says: its action with the person's own connections, and why it was chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from resilience.model.plans import Effort, StepTemplate, SupportResource
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationSign, Pillar, Strategy
from resilience.planning._ladders import Choice, LadderMode, Planner

__all__ = [
    "CLIMB_NOTE",
    "GENERAL_SUPPORT",
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
)

_LADDER_NOTES = {
    LadderMode.NEW: "A first, small step on this ladder.",
    LadderMode.FROM: "Picks up where the last plan left this ladder.",
    LadderMode.ABOVE: "One rung up from the step you did last time.",
    LadderMode.SAME: "The same rung again, since the last step was partly done.",
    LadderMode.BELOW: "A smaller step, after the last one was skipped.",
}

#: The note of every step after the first on a ladder.
CLIMB_NOTE = "One rung up from the step before it."


def ladder_note(mode: LadderMode) -> str:
    """The sentence that says where a ladder's first step in this plan comes from.

    Example:
        >>> ladder_note(LadderMode.NEW)
        'A first, small step on this ladder.'
    """
    return _LADDER_NOTES[mode]


def _evidence(profile: ResilienceProfile, pillar: Pillar) -> str:
    contributions = profile.explain(pillar)
    if not contributions:
        return ""
    top = max(contributions, key=lambda c: (c.weight, c.rule))
    return f"; mostly from {top.reason or f'the {top.rule!r} rule'}"


def _pillar_reason(
    profile: ResilienceProfile,
    levels: Mapping[IsolationSign, float],
    pillar: Pillar,
    weakest: bool,
) -> str:
    score = profile.pillars.get(pillar)
    label = pillar.label.lower()
    if score is not None and score.strength is not None:
        rank = ", the weakest" if weakest else ""
        return f"{label} ({score.strength:.0f} of 100{rank}{_evidence(profile, pillar)})"
    signs = sorted(s.label.lower() for s in levels if pillar in s.pillars)
    if signs:
        return f"{label} (not measured, but pointed at by: {', '.join(signs)})"
    return f"{label} (not measured yet)"


def _as_sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _support_first_reason(profile: ResilienceProfile) -> str:
    if profile.support_advised and profile.flag_reasons:
        # Each flag reason is a sentence of its own: list them whole, never splice them.
        return "Offered first because of what the answers describe. " + " ".join(
            _as_sentence(reason) for reason in profile.flag_reasons
        )
    if profile.support_advised:
        return "Offered first because the answers describe a heavy load to carry."
    return "Offered first because nobody you fully trust is on your list yet."


def step_reason(planner: Planner, choice: Choice, note: str, support_first: bool) -> str:
    """Why a step was chosen: the pillars it aims at, the fit, the person named, the rung.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.steps import TEMPLATES
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> planner = Planner(p, TEMPLATES, None, dt.date(2026, 1, 5), frozenset())
        >>> choice = Choice(SUPPORT_FALLBACK, None, frozenset({Pillar.BELONGING}))
        >>> step_reason(planner, choice, ladder_note(LadderMode.NEW), False)[:33]
        'Aims at meaning and belonging (no'
    """
    profile = planner.profile
    template = choice.template
    pillars = sorted(choice.pillars, key=lambda p: planner.targets.index(p))
    aims = "; ".join(
        _pillar_reason(profile, planner.sign_levels, p, p is planner.targets[0]) for p in pillars
    )
    parts = [f"Aims at {aims}."]
    if support_first:
        parts.append(_support_first_reason(profile))
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
