"""Evidence behind plan steps: the technique table, template checks, and "why this step".

Every step template declares what it rests on: its :class:`~resilience.Approach`, one or
more behaviour-change technique codes, and one or more registered
:class:`~resilience.Reference` values. This module holds what checks and explains that:

- :func:`technique` looks a code up in the bundled table: BCT Taxonomy v1 numbers and
  labels (Michie et al. 2013) with the BCT Ontology classes that cross-reference them
  (Marques et al. 2023; data from the ontology's public repository under CC BY 4.0).
  :func:`technique_table` is the whole table.
- :func:`check_template` is what registration runs on every template: an unknown code is an
  :class:`~resilience.errors.UnknownTechniqueError` naming the template and the code, a
  missing declaration a :class:`~resilience.errors.StepEvidenceError`.
- :func:`techniques_of` gives the techniques a :class:`~resilience.Step` made from a
  template carries; :func:`why` turns a step's evidence into one plain sentence.
- :func:`evidence_page` writes the evidence page of the docs from the templates.

The table is read from the package the first time it is needed, never on import.

Example:
    >>> technique("8.7").display
    '8.7 Graded tasks'
    >>> technique("BCIO:007031").label
    'Social support (emotional)'
    >>> technique("8.77")
    Traceback (most recent call last):
    ...
    resilience.errors.UnknownTechniqueError: unknown behaviour-change technique '8.77' (not a BCT Taxonomy v1 number or BCT Ontology id in the bundled table)
"""  # noqa: E501

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
from collections.abc import Iterable, Mapping

from resilience.errors import StepEvidenceError, UnknownTechniqueError
from resilience.model.evidence import Approach, Reference, Technique
from resilience.model.fields import FrozenDict
from resilience.model.plans import Step, StepTemplate
from resilience.model.taxonomy import Strategy

__all__ = [
    "BCTO_SYSTEM",
    "BCTT_SYSTEM",
    "check_references",
    "check_template",
    "evidence_page",
    "technique",
    "technique_table",
    "techniques_of",
    "why",
]

#: The code system of BCT Taxonomy v1 numbers, as this library writes them (for example
#: in FHIR codings). BCT Taxonomy v1 has no official system URI.
BCTT_SYSTEM = "urn:resilience:bct-taxonomy-v1"
#: The code system of BCT Ontology ids: the ontology's own IRI.
BCTO_SYSTEM = "http://humanbehaviourchange.org/ontology/bcto.owl"

_TABLE_FILE = "bct_taxonomy.csv"


@functools.cache
def _rows() -> tuple[Technique, ...]:
    text = importlib.resources.files("resilience").joinpath(_TABLE_FILE).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)))
    return tuple(
        Technique(row["code"], row["label"], row["bcto_id"], row["bcto_label"]) for row in rows
    )


@functools.cache
def _by_key() -> dict[str, Technique]:
    by_code: dict[str, list[Technique]] = {}
    for row in _rows():
        by_code.setdefault(row.code, []).append(row)
    found: dict[str, Technique] = {}
    for code, rows in by_code.items():
        first = min(rows, key=lambda row: row.bcto_id or "")
        if len(rows) == 1:
            found[code] = first
        else:  # several ontology classes: a number alone names none of them
            found[code] = Technique(code, first.label)
    for row in _rows():
        if row.bcto_id is not None:
            # An ontology id names its class and the taxonomy number it cross-references.
            found[row.bcto_id] = Technique(row.code, found[row.code].label, *_bcto(row))
    return found


def _bcto(row: Technique) -> tuple[str | None, str | None]:
    return row.bcto_id, row.bcto_label


def technique_table() -> Mapping[str, tuple[Technique, ...]]:
    """Every BCT Taxonomy v1 number in the bundled table, with its ontology classes.

    Each number maps to one :class:`~resilience.Technique` per BCT Ontology class that
    cross-references it, ordered by ontology id. The numbers are the 93 techniques of
    BCT Taxonomy v1 (16 groups).

    Example:
        >>> table = technique_table()
        >>> len(table), [t.bcto_id for t in table["3.3"]]
        (93, ['BCIO:007031', 'BCIO:007036', 'BCIO:007041'])
    """
    grouped: dict[str, list[Technique]] = {}
    for row in _rows():
        grouped.setdefault(row.code, []).append(row)
    return FrozenDict(
        (code, tuple(sorted(rows, key=lambda row: row.bcto_id or "")))
        for code, rows in sorted(grouped.items(), key=lambda item: _code_order(item[0]))
    )


def _code_order(code: str) -> tuple[int, int]:
    group, number = code.split(".")
    return int(group), int(number)


def technique(code: str, *, template: str = "") -> Technique:
    """The technique a code names: a BCT Taxonomy v1 number or a BCT Ontology id.

    A number with exactly one ontology class carries that class; a number with several
    carries none (name the class by its ontology id instead). An ontology id gives its
    class together with the taxonomy number the ontology cross-references to it.

    Args:
        code: ``"8.7"`` or ``"BCIO:007100"``.
        template: The template asking, named in the error.

    Raises:
        UnknownTechniqueError: the table knows no such code (also a ``LookupError``).

    Example:
        >>> technique("1.4")
        Technique(code='1.4', label='Action planning', bcto_id='BCIO:007010', bcto_label='action planning BCT')
        >>> technique("3.1").bcto_id is None
        True
    """  # noqa: E501
    found = _by_key().get(code) if isinstance(code, str) else None
    if found is None:
        raise UnknownTechniqueError(template, str(code))
    return found


def check_template(template: StepTemplate) -> None:
    """Check that a template declares its evidence, with codes the table knows.

    Registration runs this on every template, built-in or from a plugin. Whether its
    references are registered is checked once every plugin has registered its own
    (:func:`check_references`).

    Raises:
        UnknownTechniqueError: a code is not in the bundled table.
        StepEvidenceError: the template declares no approach, no technique or no
            reference, or names one technique twice.

    Example:
        >>> from resilience.model.plans import Effort
        >>> bare = StepTemplate("walk/invite", Strategy.IN_PERSON, 2, Effort.SMALL, "Walk.")
        >>> check_template(bare)
        Traceback (most recent call last):
        ...
        resilience.errors.StepEvidenceError: step template 'walk/invite': declares no approach, no technique code and no reference; every template says what it rests on
    """  # noqa: E501
    missing = []
    if template.approach is None:
        missing.append("no approach")
    if not template.techniques:
        missing.append("no technique code")
    if not template.references:
        missing.append("no reference")
    if missing:
        listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
        raise StepEvidenceError(
            template.id, f"declares {listed}; every template says what it rests on"
        )
    codes = [t.code for t in techniques_of(template)]
    repeated = sorted({c for c in codes if codes.count(c) > 1}, key=_code_order)
    if repeated:
        raise StepEvidenceError(template.id, f"names technique {', '.join(repeated)} twice")
    ids = [r.id for r in template.references]
    if len(set(ids)) != len(ids):
        raise StepEvidenceError(template.id, "cites one reference twice")


def check_references(template: StepTemplate, registered: Mapping[str, Reference]) -> None:
    """Check that every reference a template cites is the one registered under its id.

    Raises:
        StepEvidenceError: a reference is not registered, or differs from the registered
            one of the same id.

    Example:
        >>> from resilience.builtin.references import MASI_2011
        >>> from resilience.model.plans import Effort
        >>> t = StepTemplate("walk/invite", Strategy.IN_PERSON, 2, Effort.SMALL, "Walk.",
        ...                  approach=Approach.MORE_CONTACT, techniques=("1.4",),
        ...                  references=(MASI_2011,))
        >>> check_references(t, {})
        Traceback (most recent call last):
        ...
        resilience.errors.StepEvidenceError: step template 'walk/invite': cites reference 'masi-2011', which no plugin registers
    """  # noqa: E501
    for reference in template.references:
        known = registered.get(reference.id)
        if known is None:
            raise StepEvidenceError(
                template.id, f"cites reference {reference.id!r}, which no plugin registers"
            )
        if known != reference:
            raise StepEvidenceError(
                template.id,
                f"cites reference {reference.id!r} differently from the registered one",
            )


def techniques_of(template: StepTemplate) -> tuple[Technique, ...]:
    """The techniques a template's codes name, looked up in the table, in its order.

    Plan building gives each :class:`~resilience.Step` these, with the template's approach
    and references, so that every step says what it rests on.

    Raises:
        UnknownTechniqueError: a code is not in the table (naming the template).

    Example:
        >>> from resilience.model.plans import Effort
        >>> t = StepTemplate("walk/invite", Strategy.IN_PERSON, 2, Effort.SMALL, "Walk.",
        ...                  techniques=("12.2", "1.4"))
        >>> [technique.display for technique in techniques_of(t)]
        ['12.2 Restructuring the social environment', '1.4 Action planning']
    """
    return tuple(technique(code, template=template.id) for code in template.techniques)


def why(step: Step) -> str | None:
    """One plain sentence on why a step should help, or ``None`` if it carries no evidence.

    The sentence names what the step does (its approach), its techniques, and what its
    first reference found, with the short citation.

    Example:
        >>> import datetime as dt
        >>> from resilience.builtin.references import LIU_2023
        >>> from resilience.model.plans import Effort
        >>> from resilience.model.taxonomy import Pillar
        >>> step = Step("c1-01", Strategy.REACH_OUT, {Pillar.BELONGING}, "Send Sam a line.",
        ...             Effort.TINY, dt.date(2026, 1, 7), "belonging is weakest",
        ...             approach=Approach.MORE_CONTACT, techniques=(technique("8.7"),),
        ...             references=(LIU_2023,))
        >>> print(why(step))
        Why this step: it makes room for more contact with other people (graded tasks); in a series of preregistered experiments, people who reached out underestimated how much the other person appreciated it, the more so when the contact came as a surprise (Liu et al. 2023).
    """  # noqa: E501
    if step.approach is None:
        return None
    sentence = f"Why this step: {step.approach.purpose}"
    if step.techniques:
        sentence += " (" + ", ".join(_lower_first(t.label) for t in step.techniques) + ")"
    if step.references:
        first = step.references[0]
        sentence += f"; {first.finding} ({first.short})"
    return sentence + "."


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


# -- the evidence page ---------------------------------------------------------------------


def evidence_page(templates: Iterable[StepTemplate], references: Mapping[str, Reference]) -> str:
    """The Markdown of the docs' evidence page, generated from the registered templates.

    Per strategy and approach it lists the steps with their technique codes and
    references; then every reference with its finding and certainty. The page's own
    introduction and closing statement are written by hand around the generated part
    (between the ``evidence:start`` and ``evidence:end`` markers).

    Example:
        >>> from resilience._plugins import build_registry
        >>> registry = build_registry(load_installed=False)
        >>> page = evidence_page(registry.templates.values(), registry.references)
        >>> page.splitlines()[0]
        '## Reach out, even if it feels awkward'
    """
    by_strategy: dict[Strategy, list[StepTemplate]] = {}
    for template in templates:
        by_strategy.setdefault(template.strategy, []).append(template)
    lines: list[str] = []
    for strategy in Strategy:
        own = by_strategy.get(strategy)
        if not own:
            continue
        if lines:
            lines.append("")
        lines.append(f"## {strategy.label}")
        for approach in Approach:
            rows = sorted((t for t in own if t.approach is approach), key=lambda t: (t.rung, t.id))
            if not rows:
                continue
            lines += ["", f"### {approach.label}", ""]
            lines.append("| rung | step | techniques | references |")
            lines.append("|---|---|---|---|")
            for t in rows:
                codes = ", ".join(technique(code).display for code in t.techniques)
                cited = ", ".join(f"[{r.short}](#{r.id})" for r in t.references)
                lines.append(f"| {t.rung} | `{t.id}` | {codes} | {cited} |")
    lines += ["", "## References"]
    for ident in sorted(references):
        reference = references[ident]
        lines += ["", f"({reference.id})=", f"### {reference.short}", "", reference.citation]
        if reference.url is not None:
            lines[-1] += f" <{reference.url}>"
        lines += [
            "",
            f"- **Found:** {reference.finding[:1].upper()}{reference.finding[1:]}.",
            f"- **Certainty:** {reference.certainty}",
        ]
    return "\n".join(lines) + "\n"
