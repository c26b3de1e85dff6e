"""``resilience-capacities``: the project's own checklist of the five resilience capacities.

One item per :class:`~resilience.Capacity`, answered on a five-step agreement scale
(1 = strongly disagree … 5 = strongly agree); the score is the mean, higher = stronger. It
is a reflection aid written by the project, **not** a validated measure of resilience (use
the Brief Resilience Scale, ``brs``, where a validated measure is needed).

Example:
    >>> [item.id for item in RESILIENCE_CAPACITIES.items][:2]
    ['stay-grounded', 'cope-with-change']
"""

from __future__ import annotations

from resilience.builtin.instruments._scales import AGREE_5
from resilience.model.instruments import (
    Instrument,
    Item,
    MissingPolicy,
    ScoringMethod,
    Wording,
)
from resilience.model.taxonomy import Capacity

__all__ = ["RESILIENCE_CAPACITIES", "RESILIENCE_CAPACITIES_WORDING_EN"]

_SCALE = AGREE_5

#: The project's own checklist of the five resilience capacities (a reflection aid).
RESILIENCE_CAPACITIES = Instrument(
    id="resilience-capacities",
    name="Resilience capacities (reflection checklist)",
    version="1",
    items=tuple(Item(capacity.value, capacity.label) for capacity in Capacity),
    scale=_SCALE,
    method=ScoringMethod.MEAN,
    missing=MissingPolicy(max_missing=1),
    higher_is_better=True,
    validated=False,
    licence="Written by the resilience project; free to use under the project's licence.",
    description=(
        "How true each of the five resilience capacities feels right now; a reflection aid, "
        "not a validated measure. Higher means stronger."
    ),
    notes=("Not validated: use it to reflect and to plan, never to diagnose.",),
)

_TEXTS = {
    Capacity.GROUNDED: "When pressure builds up, I can keep my footing.",
    Capacity.ADAPT: "I can find my way when plans change or the future is unclear.",
    Capacity.RECOVER: "After a setback, I get back on my feet in reasonable time.",
    Capacity.HOPE: "Even in hard times, I hold on to a sense of purpose and hope.",
    Capacity.GROW: "Difficult experiences have taught me things I value.",
}

#: English wording, written by the project.
RESILIENCE_CAPACITIES_WORDING_EN = Wording(
    instrument_id="resilience-capacities",
    locale="en",
    items={capacity.value: text for capacity, text in _TEXTS.items()},
    options={
        "strongly-disagree": "Strongly disagree",
        "disagree": "Disagree",
        "neutral": "Neither agree nor disagree",
        "agree": "Agree",
        "strongly-agree": "Strongly agree",
    },
    title="How are you holding up?",
    instructions="How much do you agree with each statement about yourself at the moment?",
    source="The resilience project (own wording).",
)
