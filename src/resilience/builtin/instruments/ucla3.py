"""UCLA-3: the Three-Item Loneliness Scale (Hughes, Waite, Hawkley & Cacioppo, 2004).

Scoring facts: three items (items 4, 10 and 16 of the 20-item UCLA scale), answered
1 = hardly ever, 2 = some of the time, 3 = often; no reverse keys; total = sum, 3–9,
higher = lonelier. The paper publishes no cut-off: the split 3–5 "not lonely", 6–9
"lonely" is a widely used research convention, so it is marked as one and can be moved
with :func:`make_ucla3`. For the support flag (its declaration): "lonely" reports
loneliness, and the loneliest possible total (9 of 9) advises support on its own. The
wording derives from the copyrighted UCLA Loneliness Scale
and is not shipped.

Example:
    >>> make_ucla3(lonely_from=7).bands[0].upper
    6.0
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
    SupportDeclaration,
)

__all__ = ["UCLA_3", "make_ucla3"]

_SCALE = ResponseScale(
    "ucla-3-frequency",
    (
        ResponseOption(1, "hardly-ever"),
        ResponseOption(2, "some-of-the-time"),
        ResponseOption(3, "often"),
    ),
)


def make_ucla3(*, lonely_from: int = 6) -> Instrument:
    """Build the UCLA-3 definition, with the "lonely" band starting at ``lonely_from``.

    Example:
        >>> make_ucla3().bands[1].id
        'lonely'
    """
    if not 4 <= lonely_from <= 9:
        raise InstrumentDefinitionError(f"lonely_from must lie within 4–9, not {lonely_from}")
    return Instrument(
        id="ucla-3",
        name="Three-Item Loneliness Scale (UCLA-3)",
        version="1",
        items=(
            Item("ucla-1", "lack of companionship"),
            Item("ucla-2", "feeling left out"),
            Item("ucla-3", "feeling isolated from others"),
        ),
        scale=_SCALE,
        method=ScoringMethod.SUM,
        missing=MissingPolicy(max_missing=0),
        bands=(
            Band("not-lonely", "Not lonely", float(lonely_from - 1), convention=True),
            Band("lonely", "Lonely", 9.0, convention=True),
        ),
        higher_is_better=False,
        validated=True,
        citation=Citation(
            "Hughes ME, Waite LJ, Hawkley LC, Cacioppo JT. A short scale for measuring "
            "loneliness in large surveys. Research on Aging. 2004;26(6):655–672.",
            doi="10.1177/0164027504268574",
        ),
        licence=(
            "Cite the source. The item wording derives from the copyrighted UCLA "
            "Loneliness Scale and is not included; register licensed wording through "
            "the wording hook."
        ),
        description="Overall loneliness in three questions; higher totals mean lonelier.",
        support=SupportDeclaration(label="UCLA-3", lonely_bands={"lonely"}, severe_at_worst=True),
        notes=(
            f"The cut-off (lonely from {lonely_from}) is a research convention, not a "
            "published norm; override it with make_ucla3(lonely_from=...).",
        ),
    )


#: The UCLA-3 with the conventional cut-off (lonely from 6).
UCLA_3 = make_ucla3()
