"""LSNS-6: the Lubben Social Network Scale, six-item version (Lubben et al., 2006).

Scoring facts: three questions about family, then the same three about friends (how many
one sees or hears from at least monthly; how many one can talk to about private matters;
how many one could call on for help). Answers are counts coded 0 = none, 1 = one, 2 = two,
3 = three or four, 4 = five to eight, 5 = nine or more. Total = sum, 0–30; family and
friends subscales 0–15 each. A total below 12 is commonly read as "at risk of social
isolation" (a convention reported by secondary sources; configurable with
:func:`make_lsns6`).

For the support flag (its declaration): "at-risk" describes a small network, which advises
support together with loneliness reported on another scale; items 2 and 5 count the
people one can talk with about private matters, so both answered "none" means nobody to
confide in.

Example:
    >>> LSNS_6.subscale("friends").item_ids
    ('lsns-4', 'lsns-5', 'lsns-6')
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
    SupportDeclaration,
)

__all__ = ["LSNS_6", "make_lsns6"]

_SCALE = ResponseScale(
    "lsns-count",
    (
        ResponseOption(0, "none"),
        ResponseOption(1, "one"),
        ResponseOption(2, "two"),
        ResponseOption(3, "three-or-four"),
        ResponseOption(4, "five-to-eight"),
        ResponseOption(5, "nine-or-more"),
    ),
)


def make_lsns6(*, at_risk_below: int = 12) -> Instrument:
    """Build the LSNS-6 definition; totals below ``at_risk_below`` are "at risk".

    Example:
        >>> make_lsns6(at_risk_below=10).bands[0].upper
        10.0
    """
    if not 1 <= at_risk_below <= 30:
        raise InstrumentDefinitionError(f"at_risk_below must lie within 1–30, not {at_risk_below}")
    return Instrument(
        id="lsns-6",
        name="Lubben Social Network Scale, 6 items (LSNS-6)",
        version="1",
        items=(
            Item("lsns-1", "family seen or heard from at least monthly"),
            Item("lsns-2", "family one can talk with about private matters"),
            Item("lsns-3", "family close enough to call on for help"),
            Item("lsns-4", "friends seen or heard from at least monthly"),
            Item("lsns-5", "friends one can talk with about private matters"),
            Item("lsns-6", "friends close enough to call on for help"),
        ),
        scale=_SCALE,
        method=ScoringMethod.SUM,
        subscales=(
            Subscale("family", "Family", ("lsns-1", "lsns-2", "lsns-3")),
            Subscale("friends", "Friends", ("lsns-4", "lsns-5", "lsns-6")),
        ),
        missing=MissingPolicy(max_missing=0),
        bands=(
            Band(
                "at-risk",
                "At risk of social isolation",
                float(at_risk_below),
                upper_inclusive=False,
                convention=True,
            ),
            Band("not-at-risk", "Not at risk", 30.0, convention=True),
        ),
        higher_is_better=True,
        validated=True,
        support=SupportDeclaration(
            label="LSNS-6", at_risk_bands={"at-risk"}, confidant_items=("lsns-2", "lsns-5")
        ),
        citation=Citation(
            "Lubben J, Blozik E, Gillmann G, Iliffe S, von Renteln Kruse W, Beck JC, "
            "Stuck AE. Performance of an abbreviated version of the Lubben Social Network "
            "Scale among three European community-dwelling older adult populations. "
            "The Gerontologist. 2006;46(4):503–513.",
            doi="10.1093/geront/46.4.503",
        ),
        licence=(
            "Hosted by the Boston College School of Social Work; no licence text was found, "
            "so the wording is not included."
        ),
        description="The size of the family and friendship network one can rely on.",
        notes=(
            f"'At risk' below {at_risk_below} is a convention reported by secondary "
            "sources; override with make_lsns6(at_risk_below=...). The subscale cut-off "
            "sometimes quoted (below 6) could not be verified and is not applied.",
        ),
    )


#: The LSNS-6 with the conventional cut-off (at risk below 12).
LSNS_6 = make_lsns6()
