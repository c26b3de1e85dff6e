"""``connection-signs``: the project's own checklist of the seven signs of disconnection.

One item per :class:`~resilience.IsolationSign`, answered on a five-step frequency scale
(0 = never … 4 = almost always), and one subscale per pillar made of the signs that point
at it. It is a reflection aid written by the project, **not** a validated screening tool:
it helps a person notice where connection may be thin, and feeds the plan.

Example:
    >>> CONNECTION_SIGNS.subscale("belonging").item_ids
    ('lost-purpose', 'alone-or-lonely')
"""

from __future__ import annotations

from resilience.model.instruments import (
    Instrument,
    Item,
    MissingPolicy,
    ScoringMethod,
    Subscale,
    Wording,
)
from resilience.model.taxonomy import IsolationSign, Pillar
from resilience.profiling import SIGNS_INSTRUMENT, SIGNS_SCALE

__all__ = ["CONNECTION_SIGNS", "CONNECTION_SIGNS_WORDING_EN"]

# The profile reads the signs on this scale (see resilience.profiling.read_signs).
_SCALE = SIGNS_SCALE

CONNECTION_SIGNS = Instrument(
    id=SIGNS_INSTRUMENT,
    name="Signs of disconnection (reflection checklist)",
    version="1",
    items=tuple(Item(sign.value, sign.label) for sign in IsolationSign),
    scale=_SCALE,
    method=ScoringMethod.MEAN,
    subscales=tuple(
        Subscale(
            pillar.value,
            pillar.label,
            tuple(sign.value for sign in IsolationSign if pillar in sign.pillars),
        )
        for pillar in Pillar
    ),
    missing=MissingPolicy(max_missing=2, subscale_max_missing=1),
    higher_is_better=False,
    validated=False,
    licence="Written by the resilience project; free to use under the project's licence.",
    description=(
        "How often the seven signs that disconnection may be wearing resilience down show "
        "up; a reflection aid, not a validated screening tool. Higher means more signs."
    ),
    notes=(
        "Not validated: use it to reflect and to plan, never to diagnose.",
        "Up to two items may be left unanswered; the score is the mean of the rest.",
    ),
)

_TEXTS = {
    IsolationSign.EXHAUSTED_BY_SMALL_STRESS: (
        "Small everyday pressures leave me feeling emotionally drained."
    ),
    IsolationSign.HARD_TO_BOUNCE_BACK: (
        "When something goes wrong, I find it hard to work through the feelings and move on."
    ),
    IsolationSign.NOT_UNDERSTOOD: "I feel that nobody really understands what I am going through.",
    IsolationSign.LOST_PURPOSE: (
        "Things that used to matter to me no longer seem worth the effort."
    ),
    IsolationSign.HIDES_STRUGGLES: "I keep it to myself when I am struggling.",
    IsolationSign.ALONE_OR_LONELY: (
        "I spend most of my time on my own, or feel lonely even with people around me."
    ),
    IsolationSign.RELIES_ONLY_ON_SELF: (
        "I handle everything by myself, even when it is more than I can manage."
    ),
}

#: English wording, written by the project.
CONNECTION_SIGNS_WORDING_EN = Wording(
    instrument_id="connection-signs",
    locale="en",
    items={sign.value: text for sign, text in _TEXTS.items()},
    options={
        "never": "Never",
        "rarely": "Rarely",
        "sometimes": "Sometimes",
        "often": "Often",
        "almost-always": "Almost always",
    },
    title="How connected have you been feeling?",
    instructions=(
        "Thinking about the last two weeks, how often has each of these been true for you? "
        "There are no right or wrong answers."
    ),
    source="The resilience project (own wording).",
)
