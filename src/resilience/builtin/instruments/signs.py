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
    ResponseOption,
    ResponseScale,
    ScoringMethod,
    Subscale,
    SupportDeclaration,
    Wording,
)
from resilience.model.taxonomy import IsolationSign, Pillar

__all__ = ["CONNECTION_SIGNS", "CONNECTION_SIGNS_WORDING_EN", "SIGNS_SCALE"]

#: The five-step frequency scale of the checklist (0 never … 4 almost always). Its
#: declaration tells the profile to read every item as the sign of the same id, on this
#: scale, with 3 ("often") and above counting as reported often.
SIGNS_SCALE = ResponseScale(
    "frequency-5",
    (
        ResponseOption(0, "never"),
        ResponseOption(1, "rarely"),
        ResponseOption(2, "sometimes"),
        ResponseOption(3, "often"),
        ResponseOption(4, "almost-always"),
    ),
)
_SCALE = SIGNS_SCALE

#: The project's own checklist of the seven signs of disconnection (a reflection aid).
CONNECTION_SIGNS = Instrument(
    id="connection-signs",
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
    support=SupportDeclaration(
        label="signs checklist",
        signs={sign.value: sign for sign in IsolationSign},
        often_from=3,
    ),
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
