"""DJG-6: the De Jong Gierveld six-item loneliness scale (de Jong Gierveld & van Tilburg, 2006).

Scoring facts (from the scale's manual): answers yes / more or less / no, coded here as
1 = no, 2 = more or less, 3 = yes (the coding the manual's syntax uses). Each item is
dichotomised: an emotional item counts 1 for "yes" or "more or less"; a social item
counts 1 for "no" or "more or less", so the neutral answer counts as lonely everywhere.
Total 0–6 (0–1 not lonely, 2–4 moderately lonely, 5–6 severely lonely); each subscale
0–3 (0 not lonely, 1–3 lonely). With one item missing the total is the count over the
answered items (not prorated); with more it is missing, as in the manual's syntax. A
subscale is missing when any of its items is, and otherwise scored from its own three
items even when the total is missing (version 2 of this definition; version 1 refused
such answers as a whole).

For the support flag (its declaration): "severely-lonely" advises support on its own;
"moderately-lonely" reports loneliness, which advises support when nobody trusted is there
or the network is small.

Items follow the order used in published administrations: emptiness, people to lean on,
people to trust, missing people around, people to feel close to, feeling rejected.

Example:
    >>> [s.id for s in DJG_6.subscales]
    ['emotional', 'social']
"""

from __future__ import annotations

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
    SupportDeclaration,
)

__all__ = ["DJG_6"]

_SCALE = ResponseScale(
    "yes-more-or-less-no",
    (
        ResponseOption(1, "no"),
        ResponseOption(2, "more-or-less"),
        ResponseOption(3, "yes"),
    ),
)
# "yes" and "more or less" count as lonely on the negatively worded (emotional) items;
# "no" and "more or less" count as lonely on the positively worded (social) items.
_EMOTIONAL = {1: 0, 2: 1, 3: 1}
_SOCIAL = {1: 1, 2: 1, 3: 0}

_SUBSCALE_BANDS = (Band("not-lonely", "Not lonely", 0.0), Band("lonely", "Lonely", 3.0))

#: The 6-item De Jong Gierveld Loneliness Scale, scored as its manual says.
DJG_6 = Instrument(
    id="djg-6",
    name="De Jong Gierveld Loneliness Scale, 6 items (DJG-6)",
    version="2",
    items=(
        Item("djg-1", "emptiness (emotional)", recode=_EMOTIONAL),
        Item("djg-2", "people to rely on (social)", recode=_SOCIAL),
        Item("djg-3", "people to trust (social)", recode=_SOCIAL),
        Item("djg-4", "missing company (emotional)", recode=_EMOTIONAL),
        Item("djg-5", "closeness to people (social)", recode=_SOCIAL),
        Item("djg-6", "rejection (emotional)", recode=_EMOTIONAL),
    ),
    scale=_SCALE,
    method=ScoringMethod.SUM,
    subscales=(
        Subscale(
            "emotional", "Emotional loneliness", ("djg-1", "djg-4", "djg-6"), bands=_SUBSCALE_BANDS
        ),
        Subscale("social", "Social loneliness", ("djg-2", "djg-3", "djg-5"), bands=_SUBSCALE_BANDS),
    ),
    missing=MissingPolicy(
        max_missing=1, subscale_max_missing=0, prorate=False, subscales_alone=True
    ),
    bands=(
        Band("not-lonely", "Not lonely", 1.0),
        Band("moderately-lonely", "Moderately lonely", 4.0),
        Band("severely-lonely", "Severely lonely", 6.0),
    ),
    higher_is_better=False,
    validated=True,
    support=SupportDeclaration(
        label="De Jong Gierveld scale",
        severe_bands={"severely-lonely"},
        lonely_bands={"moderately-lonely"},
    ),
    citation=Citation(
        "de Jong Gierveld J, van Tilburg T. A 6-item scale for overall, emotional, and "
        "social loneliness: confirmatory tests on survey data. 2006. "
        "Manual: de Jong Gierveld J, van Tilburg T. Manual of the Loneliness Scale. "
        "VU University Amsterdam; 1999.",
    ),
    licence=(
        "Free for scientific survey research with citation; not an open licence. Wording "
        "is not included."
    ),
    description=(
        "Overall loneliness with an emotional part (missing close attachment) and a social "
        "part (missing a wider network); higher means lonelier."
    ),
    notes=(
        "Answer codes: 1 = no, 2 = more or less, 3 = yes.",
        "With one item missing the total counts the five answered items, as the manual's "
        "syntax does; with two or more it is not scored.",
        "Each subscale is scored from its own three items whenever none of them is "
        "missing, also when the total is not scored (the score's total is then None).",
    ),
)
