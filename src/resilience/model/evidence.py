"""What a plan step rests on: its intervention approach, its techniques and its references.

Three small value types describe the evidence behind a step:

- :class:`Approach`: which of the four kinds of loneliness intervention a step belongs to,
  the classification used by Masi, Chen, Hawkley and Cacioppo (2011): more opportunities
  for contact, enhancing social support, social skills, and working on social cognition.
- :class:`Technique`: a behaviour-change technique by its BCT Taxonomy v1 number and label
  (Michie et al. 2013), with the BCT Ontology class the ontology cross-references to it
  where there is one. Build one from the bundled table with
  :func:`resilience.evidence.technique`, which knows every valid code.
- :class:`Reference`: a published source, what it found in plain words, and the certainty
  the source itself gives. References are registered through
  ``resilience_register_references``, like instruments.

Example:
    >>> Approach("social-cognition").label
    'Working on social cognition'
    >>> Technique("8.7", "Graded tasks", "BCIO:007100").display
    '8.7 Graded tasks'
"""

from __future__ import annotations

import enum
import re

import attrs

from resilience.errors import InvalidValueError
from resilience.model.fields import shown, text_fields

__all__ = ["Approach", "Reference", "Technique"]


class Approach(enum.Enum):
    """One of the four kinds of intervention to reduce loneliness (Masi et al. 2011).

    Example:
        >>> [a.value for a in Approach]
        ['more-contact', 'social-support', 'social-skills', 'social-cognition']
        >>> Approach.SOCIAL_COGNITION.purpose
        'it checks a gloomy expectation about other people against what actually happens'
    """

    MORE_CONTACT = "more-contact"
    SOCIAL_SUPPORT = "social-support"
    SOCIAL_SKILLS = "social-skills"
    SOCIAL_COGNITION = "social-cognition"

    @property
    def label(self) -> str:
        """A short name for people."""
        return _APPROACH_TEXT[self][0]

    @property
    def purpose(self) -> str:
        """What a step of this kind does, as a clause that completes "Why this step: …"."""
        return _APPROACH_TEXT[self][1]


_APPROACH_TEXT: dict[Approach, tuple[str, str]] = {
    Approach.MORE_CONTACT: (
        "More opportunities for contact",
        "it makes room for more contact with other people",
    ),
    Approach.SOCIAL_SUPPORT: (
        "Enhancing social support",
        "it helps support reach you from people and places able to give it",
    ),
    Approach.SOCIAL_SKILLS: (
        "Social skills",
        "it practises one way of connecting, a small piece at a time",
    ),
    Approach.SOCIAL_COGNITION: (
        "Working on social cognition",
        "it checks a gloomy expectation about other people against what actually happens",
    ),
}

_CODE = re.compile(r"[1-9][0-9]?\.[1-9][0-9]?")
_BCTO_ID = re.compile(r"BCIO:[0-9]{6}")


def _check_code(instance: Technique, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise InvalidValueError(
            f"technique code must be a BCT Taxonomy v1 number such as '8.7', not {shown(value)}"
        )


def _check_bcto(instance: Technique, attribute: attrs.Attribute[str], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not _BCTO_ID.fullmatch(value)):
        raise InvalidValueError(
            f"technique {instance.code}: a BCT Ontology id looks like 'BCIO:007100', "
            f"not {shown(value)}"
        )


@attrs.frozen(field_transformer=text_fields)
class Technique:
    """A behaviour-change technique a step uses.

    Attributes:
        code: Its BCT Taxonomy v1 number (``"8.7"``).
        label: Its BCT Taxonomy v1 label (``"Graded tasks"``).
        bcto_id: The BCT Ontology class cross-referenced to it (``"BCIO:007100"``), if the
            ontology names exactly one, or the one a template chose among several.
        bcto_label: That class's label in the ontology.

    Example:
        >>> Technique("1.4", "Action planning", "BCIO:007010", "action planning BCT").bcto_id
        'BCIO:007010'
        >>> Technique("8", "Graded tasks")
        Traceback (most recent call last):
        ...
        resilience.errors.InvalidValueError: technique code must be a BCT Taxonomy v1 number such as '8.7', not '8'
    """  # noqa: E501

    code: str = attrs.field(validator=_check_code)
    label: str
    bcto_id: str | None = attrs.field(default=None, validator=_check_bcto)
    bcto_label: str | None = None

    @property
    def display(self) -> str:
        """The number and label together, as people cite a technique."""
        return f"{self.code} {self.label}"


_REFERENCE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@attrs.frozen(field_transformer=text_fields)
class Reference:
    """A published source behind a step, and what it found.

    Attributes:
        id: A short unique id (``"masi-2011"``); templates are checked against it.
        short: How the text cites it (``"Masi et al. 2011"``).
        citation: The full citation.
        finding: What the source found, in the project's own words: a clause that can end
            a sentence, without a final full stop. Only what the source says; never an
            effect size that was not read in it.
        certainty: The certainty of the evidence as the source gives it (a GRADE rating,
            the design, the authors' own caution), in plain words.
        doi: Its DOI, if it has one.

    Example:
        >>> r = Reference("liu-2023", "Liu et al. 2023", "Liu, P. J., ... (2023).",
        ...               "people underestimated how much reaching out was appreciated",
        ...               "preregistered experiments", doi="10.1037/pspi0000402")
        >>> r.url
        'https://doi.org/10.1037/pspi0000402'
    """

    id: str
    short: str
    citation: str
    finding: str
    certainty: str
    doi: str | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.id, str) or not _REFERENCE_ID.fullmatch(self.id):
            raise InvalidValueError(
                "reference id must be lower-case words joined by hyphens (such as "
                f"'masi-2011'), not {self.id!r}"
            )
        for name in ("short", "citation", "finding", "certainty"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidValueError(f"reference {self.id!r}: {name} must be a non-empty text")
        if self.finding.rstrip().endswith("."):
            raise InvalidValueError(
                f"reference {self.id!r}: finding is a clause that ends a sentence; "
                "leave out its final full stop"
            )

    @property
    def url(self) -> str | None:
        """Where the source can be found (its DOI as a link), if it has a DOI."""
        return None if self.doi is None else f"https://doi.org/{self.doi}"
