"""MSPSS: the Multidimensional Scale of Perceived Social Support (Zimet et al., 1988).

Scoring facts: twelve items answered 1 = very strongly disagree … 7 = very strongly agree;
no reverse keys. Subscales (by item number): significant other 1, 2, 5, 10; family 3, 4,
8, 11; friends 6, 7, 9, 12. Each subscale is the mean of its four items, the total the mean
of all twelve (1–7). The author suggests reading means of 1–2.9 as low, 3–5 as moderate and
5.1–7 as high support; the gaps in that reading are closed here on purpose: low below 3,
moderate from 3 up to and including 5, high above 5 (movable with :func:`make_mspss`).

Example:
    >>> MSPSS.subscales_of("mspss-10")
    ('significant-other',)
"""

from __future__ import annotations

from resilience.errors import InstrumentDefinitionError
from resilience.model.instruments import (
    Band,
    Citation,
    Instrument,
    Item,
    MissingPolicy,
    ResponseOption,
    ResponseScale,
    ScoringMethod,
    Subscale,
)

__all__ = ["MSPSS", "make_mspss"]

_SCALE = ResponseScale(
    "agree-7",
    (
        ResponseOption(1, "very-strongly-disagree"),
        ResponseOption(2, "strongly-disagree"),
        ResponseOption(3, "mildly-disagree"),
        ResponseOption(4, "neutral"),
        ResponseOption(5, "mildly-agree"),
        ResponseOption(6, "strongly-agree"),
        ResponseOption(7, "very-strongly-agree"),
    ),
)

_LABELS = {
    1: "significant other: availability",
    2: "significant other: sharing",
    3: "family: help",
    4: "family: emotional support",
    5: "significant other: comfort",
    6: "friends: help",
    7: "friends: reliability",
    8: "family: talking about problems",
    9: "friends: sharing",
    10: "significant other: caring",
    11: "family: decisions",
    12: "friends: talking about problems",
}


def _ids(*numbers: int) -> tuple[str, ...]:
    return tuple(f"mspss-{n}" for n in numbers)


def make_mspss(*, low_below: float = 3.0, high_above: float = 5.0) -> Instrument:
    """Build the MSPSS definition; means below ``low_below`` are "low", above ``high_above`` "high".

    The defaults close the gaps in the author's reading (1–2.9, 3–5, 5.1–7) at 3 and 5.

    Example:
        >>> [band.id for band in make_mspss(high_above=5.5).bands]
        ['low', 'moderate', 'high']
    """
    if not 1.0 < low_below <= high_above < 7.0:
        raise InstrumentDefinitionError("need 1 < low_below <= high_above < 7")
    bands = (
        Band("low", "Low support", low_below, upper_inclusive=False),
        Band("moderate", "Moderate support", high_above),
        Band("high", "High support", 7.0),
    )
    return Instrument(
        id="mspss",
        name="Multidimensional Scale of Perceived Social Support (MSPSS)",
        version="1",
        items=tuple(Item(f"mspss-{n}", label) for n, label in _LABELS.items()),
        scale=_SCALE,
        method=ScoringMethod.MEAN,
        subscales=(
            Subscale("significant-other", "Significant other", _ids(1, 2, 5, 10), bands=bands),
            Subscale("family", "Family", _ids(3, 4, 8, 11), bands=bands),
            Subscale("friends", "Friends", _ids(6, 7, 9, 12), bands=bands),
        ),
        missing=MissingPolicy(max_missing=0),
        bands=bands,
        higher_is_better=True,
        validated=True,
        citation=Citation(
            "Zimet GD, Dahlem NW, Zimet SG, Farley GK. The Multidimensional Scale of Perceived "
            "Social Support. Journal of Personality Assessment. 1988;52(1):30–41.",
        ),
        licence=(
            "Distributed free of charge by the author; no formal licence was found. Wording is "
            "not included."
        ),
        description="Perceived support from a significant other, family and friends.",
        notes=(
            "The author's reading (1–2.9 low, 3–5 moderate, 5.1–7 high) leaves gaps; here low "
            f"is below {low_below:g}, moderate is {low_below:g} to {high_above:g} inclusive, "
            f"high is above {high_above:g}; override with make_mspss().",
        ),
    )


#: The MSPSS with the author's reading, its gaps closed at 3 and 5.
MSPSS = make_mspss()
