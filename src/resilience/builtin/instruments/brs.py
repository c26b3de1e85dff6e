"""BRS: the Brief Resilience Scale (Smith, Dalen, Wiggins, Tooley, Christopher & Bernard, 2008).

Scoring facts: six items answered 1 = strongly disagree … 5 = strongly agree; items 1, 3
and 5 are worded positively, items 2, 4 and 6 are reverse-keyed (6 − x); the score is the
mean of the six keyed items, 1.00–5.00, higher = more able to bounce back. Bands 1.00–2.99
low, 3.00–4.30 normal, 4.31–5.00 high come from Smith et al. (2013) as reported by
secondary sources, so they are marked as a convention and can be moved with
:func:`make_brs`. One unanswered item is tolerated (mean of the five answered), a choice
some scoring guides make; it is documented and configurable.

Example:
    >>> [item.id for item in BRS.items if item.reverse]
    ['brs-2', 'brs-4', 'brs-6']
"""

from __future__ import annotations

from resilience.builtin.instruments._scales import AGREE_5
from resilience.errors import InstrumentDefinitionError
from resilience.model.instruments import (
    Band,
    Citation,
    Instrument,
    Item,
    MissingPolicy,
    ScoringMethod,
)

__all__ = ["BRS", "make_brs"]

_SCALE = AGREE_5


def make_brs(
    *, low_below: float = 3.0, high_above: float = 4.30, max_missing: int = 1
) -> Instrument:
    """Build the BRS definition with the given band edges and missing-item allowance.

    ``low_below``: scores below it are "low"; ``high_above``: scores above it are "high".

    Example:
        >>> make_brs(max_missing=0).missing.max_missing
        0
    """
    if not 1.0 < low_below <= high_above < 5.0:
        raise InstrumentDefinitionError("need 1 < low_below <= high_above < 5")
    return Instrument(
        id="brs",
        name="Brief Resilience Scale (BRS)",
        version="1",
        items=(
            Item("brs-1", "recovering quickly"),
            Item("brs-2", "strain from stressful events", reverse=True),
            Item("brs-3", "recovery time after stress"),
            Item("brs-4", "difficulty recovering after bad events", reverse=True),
            Item("brs-5", "coping with hard times"),
            Item("brs-6", "time to get over setbacks", reverse=True),
        ),
        scale=_SCALE,
        method=ScoringMethod.MEAN,
        missing=MissingPolicy(max_missing=max_missing),
        bands=(
            Band("low", "Low resilience", low_below, upper_inclusive=False, convention=True),
            Band("normal", "Normal resilience", high_above, convention=True),
            Band("high", "High resilience", 5.0, convention=True),
        ),
        higher_is_better=True,
        validated=True,
        citation=Citation(
            "Smith BW, Dalen J, Wiggins K, Tooley E, Christopher P, Bernard J. The brief "
            "resilience scale: assessing the ability to bounce back. International Journal "
            "of Behavioral Medicine. 2008;15(3):194–200.",
            doi="10.1080/10705500802222972",
        ),
        licence=(
            "Public measure banks list it as free to use without permission for research "
            "and education; commercial terms are not stated. Wording is not included."
        ),
        description="The ability to bounce back from stress; higher means more resilient.",
        notes=(
            "Bands (low below 3.00, high above 4.30) follow Smith et al. (2013) as "
            "reported by secondary sources; override with make_brs().",
            f"Up to {max_missing} unanswered item(s) allowed; the score is then the mean "
            "of the answered items.",
        ),
    )


#: The BRS with the conventional bands and one missing item allowed.
BRS = make_brs()
