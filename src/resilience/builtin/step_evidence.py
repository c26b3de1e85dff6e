"""What each built-in step template rests on: approach, technique codes and references.

Kept beside the templates until they declare it themselves.

Example:
    >>> EVIDENCE["reach-out/message"]["techniques"]
    ('8.7', '1.4')
"""

from __future__ import annotations

from resilience.builtin.references import (
    ARON_1997,
    HICKIN_2021,
    HOLT_LUNSTAD_2010,
    LASGAARD_2025,
    LIANG_2024,
    LIU_2023,
    MASI_2011,
)
from resilience.model.evidence import Approach, Reference

__all__ = ["EVIDENCE"]

_CONTACT = Approach.MORE_CONTACT
_SUPPORT = Approach.SOCIAL_SUPPORT
_SKILLS = Approach.SOCIAL_SKILLS


def _e(
    approach: Approach, techniques: tuple[str, ...], *references: Reference
) -> dict[str, object]:
    return {"approach": approach, "techniques": techniques, "references": references}


# Technique codes (BCT Taxonomy v1): 1.4 action planning, 8.7 graded tasks, 12.2
# restructuring the social environment, 8.1 behavioural practice/rehearsal, 8.3 habit
# formation, 3.1/3.2/3.3 social support (unspecified/practical/emotional), named by the
# ontology class "advise to seek ... support" where the step advises seeking it.
_MESSAGE = _e(_CONTACT, ("8.7", "1.4"), LIU_2023, MASI_2011)
_CALL = _e(_CONTACT, ("8.7", "1.4"), LIU_2023, LASGAARD_2025)
_MEET = _e(_CONTACT, ("8.7", "1.4"), LIANG_2024, LASGAARD_2025)
_GROUP = _e(_CONTACT, ("12.2", "1.4"), LASGAARD_2025, MASI_2011)
_FACE = _e(_CONTACT, ("12.2", "1.4"), LIANG_2024, HOLT_LUNSTAD_2010)
_OPEN = _e(_SKILLS, ("8.1", "8.7"), ARON_1997, LASGAARD_2025)
_ASK = _e(_SUPPORT, ("BCIO:007031", "1.4"), LASGAARD_2025, HOLT_LUNSTAD_2010)
_INVEST = _e(_SKILLS, ("8.1", "1.4"), HOLT_LUNSTAD_2010, LASGAARD_2025)
_RITUAL = _e(_SKILLS, ("8.3", "1.4"), HOLT_LUNSTAD_2010, LASGAARD_2025)
_SEEK = _e(_SUPPORT, ("BCIO:007029", "1.4"), HICKIN_2021, LASGAARD_2025)
_ATTEND = _e(_SUPPORT, ("BCIO:007029", "8.7"), HICKIN_2021, LASGAARD_2025)

#: Evidence per built-in template id.
EVIDENCE: dict[str, dict[str, object]] = {
    "reach-out/message": _MESSAGE,
    "reach-out/message-in-a-gap": _MESSAGE,
    "reach-out/find-local-group": _GROUP,
    "reach-out/call": _CALL,
    "reach-out/call-on-the-way": _CALL,
    "reach-out/contact-local-group": _GROUP,
    "reach-out/meet": _MEET,
    "reach-out/join-local-group": _GROUP,
    "reach-out/organise": _MEET,
    "reach-out/take-part-locally": _GROUP,
    "in-person/short-chat": _FACE,
    "in-person/work-among-people": _FACE,
    "in-person/walk-instead": _FACE,
    "in-person/evening-off-the-feed": _FACE,
    "in-person/visit": _FACE,
    "in-person/meet-colleagues": _FACE,
    "in-person/regular-time": _e(_CONTACT, ("8.3", "12.2"), LIANG_2024, HOLT_LUNSTAD_2010),
    "vulnerable/one-honest-thing": _OPEN,
    "vulnerable/first-honest-conversation": _OPEN,
    "vulnerable/share-a-struggle": _OPEN,
    "vulnerable/honest-walk": _OPEN,
    "vulnerable/ask-for-support": _ASK,
    "vulnerable/lean-on-each-other": _ASK,
    "invest/appreciate": _INVEST,
    "invest/time-in-the-diary": _INVEST,
    "invest/beyond-a-like": _INVEST,
    "invest/ask-and-follow-up": _INVEST,
    "invest/unhurried-time": _INVEST,
    "invest/offer-a-hand": _e(_SKILLS, ("8.1",), HOLT_LUNSTAD_2010, LASGAARD_2025),
    "invest/shared-ritual": _RITUAL,
    "support/find-out": _SEEK,
    "support/find-community": _SEEK,
    "support/make-contact": _SEEK,
    "support/first-visit": _ATTEND,
    "support/volunteer": _e(_CONTACT, ("12.2",), LASGAARD_2025, MASI_2011),
    "support/keep-going": _e(_SUPPORT, ("BCIO:007029", "8.3"), HICKIN_2021, LASGAARD_2025),
}
