"""An example plugin for ``resilience``: a weekly connection check-in and its scoring rule.

A plugin is a module with functions named after the hooks, marked with
``resilience.hookimpl``. This one registers three things:

* ``WEEKLY_CONNECTION``, an instrument: four statements about the past week, answered on
  a four-point agreement scale. It is a reflection aid written for this example, not a
  validated scale, so it ships its own wording;
* ``WEEKLY_CONNECTION_EN``, its English wording;
* ``WEEKLY_CONNECTION_RULE``, a scoring rule that reads each statement as evidence about
  one pillar of connection.

The entry point in ``pyproject.toml`` (group ``resilience``) points at this module.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import resilience as rs
from resilience.hookspecs import Register

__all__ = ["WEEKLY_CONNECTION", "WEEKLY_CONNECTION_EN", "WEEKLY_CONNECTION_RULE"]

INSTRUMENT_ID = "weekly-connection"

AGREEMENT = rs.ResponseScale(
    "weekly-agreement",
    (
        rs.ResponseOption(1, "disagree"),
        rs.ResponseOption(2, "somewhat-disagree"),
        rs.ResponseOption(3, "somewhat-agree"),
        rs.ResponseOption(4, "agree"),
    ),
)

WEEKLY_CONNECTION = rs.Instrument(
    id=INSTRUMENT_ID,
    name="Weekly connection check-in (example plugin)",
    version="1",
    items=(
        rs.Item("talked-openly", "talked openly with someone about how things were"),
        rs.Item("met-in-person", "spent unhurried time with someone face to face"),
        rs.Item("could-ask-for-help", "knew whom to ask for practical help"),
        rs.Item("part-of-something", "felt part of a group or community"),
    ),
    scale=AGREEMENT,
    # One unanswered statement is fine; the total is then prorated.
    missing=rs.MissingPolicy(max_missing=1),
    bands=(
        rs.Band("little-connection", "Little connection this week", 8),
        rs.Band("some-connection", "Some connection this week", 12),
        rs.Band("well-connected", "Well connected this week", 16),
    ),
    validated=False,
    licence="MIT, like the rest of this example.",
    description="How connected the past week felt, one statement per pillar of connection.",
)

WEEKLY_CONNECTION_EN = rs.Wording(
    instrument_id=INSTRUMENT_ID,
    locale="en",
    title="Your week",
    instructions="Think about the past seven days. How much do you agree?",
    items={
        "talked-openly": "I talked openly with someone about how things were going for me.",
        "met-in-person": "I spent unhurried time with someone face to face.",
        "could-ask-for-help": "I knew whom I could ask if I needed a hand with something.",
        "part-of-something": "I felt part of a group, team or community.",
    },
    options={
        "disagree": "Disagree",
        "somewhat-disagree": "Somewhat disagree",
        "somewhat-agree": "Somewhat agree",
        "agree": "Agree",
    },
    source="Written for the resilience example plugin (MIT).",
)

#: Which pillar each statement speaks to.
PILLAR_OF_ITEM: Mapping[str, rs.Pillar] = {
    "talked-openly": rs.Pillar.CO_REGULATION,
    "met-in-person": rs.Pillar.BELONGING,
    "could-ask-for-help": rs.Pillar.PRACTICAL_SUPPORT,
    "part-of-something": rs.Pillar.BELONGING,
}

#: A self-made checklist carries less evidence than a validated scale (the built-in
#: rules give a validated scale a weight of 1.0).
WEIGHT = 0.5


def _weekly_connection(
    assessment: rs.Assessment, scores: Mapping[str, rs.InstrumentScore]
) -> Iterator[rs.Contribution]:
    score = scores.get(INSTRUMENT_ID)
    if score is None:
        return
    low, high = AGREEMENT.minimum, AGREEMENT.maximum
    # Sorted, so the explanation lists contributions in the same order every time.
    for item_id in sorted(score.items):
        value = 100.0 * (score.items[item_id] - low) / (high - low)
        yield rs.Contribution(
            rule=WEEKLY_CONNECTION_RULE.name,
            rule_version=WEEKLY_CONNECTION_RULE.version,
            target=PILLAR_OF_ITEM[item_id],
            value=value,
            weight=WEIGHT,
            inputs={item_id: score.items[item_id]},
            reason=f"weekly check-in: {WEEKLY_CONNECTION.item(item_id).label}",
        )


WEEKLY_CONNECTION_RULE = rs.ScoringRule(
    name="weekly-connection",
    version="1",
    description=(
        "Reads each statement of the weekly connection check-in as evidence (weight 0.5) "
        "about one pillar, scaled to 0–100."
    ),
    # A list, not a generator: the engine may call the rule more than once.
    function=lambda assessment, scores: list(_weekly_connection(assessment, scores)),
)


@rs.hookimpl
def resilience_register_instruments(register: Register[rs.Instrument]) -> None:
    """Register the weekly connection check-in."""
    register(WEEKLY_CONNECTION)


@rs.hookimpl
def resilience_register_wording(register: Register[rs.Wording]) -> None:
    """Register its English wording."""
    register(WEEKLY_CONNECTION_EN)


@rs.hookimpl
def resilience_register_scoring_rules(register: Register[rs.ScoringRule]) -> None:
    """Register the rule that reads it."""
    register(WEEKLY_CONNECTION_RULE)
