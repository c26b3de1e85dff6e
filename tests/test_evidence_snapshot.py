"""The built-in templates against a snapshot taken before their evidence was restated.

``fixtures/template_snapshot.json`` holds every built-in template, field by field, as the
code stood at commit 8890b90 (generated once from ``resilience.builtin.steps.TEMPLATES``
and committed). A refactor of how the templates state their evidence must leave every
template as it was; the only differences allowed are the deliberate corrections listed in
``CORRECTED`` below, each of which must really change the template it names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import resilience as rs
from resilience.builtin.steps import TEMPLATES

SNAPSHOT = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "template_snapshot.json").read_text("utf-8")
)["templates"]

EVIDENCE = ("approach", "techniques", "references")

#: Templates whose evidence was corrected on purpose after the snapshot, with what they
#: declare now (approach, technique codes, reference ids). steps.py says why, one line each.
CORRECTED: dict[str, dict[str, Any]] = {
    # An unsent draft is no contact and no plan: practice (8.1) on the lowest rung (8.7).
    "reach-out/message-as-draft": {
        "approach": "social-skills",
        "techniques": ["8.1", "8.7"],
        "references": ["liu-2023", "masi-2011"],
    },
    # Writing for oneself tells nobody: not a rehearsal of telling (8.1), a first rung only.
    "vulnerable/write-it-down": {
        "approach": "social-skills",
        "techniques": ["8.7"],
        "references": ["aron-1997", "lasgaard-2025"],
    },
    # A listening line is not one of the person's own relationships (Holt-Lunstad et al.).
    "vulnerable/listening-line": {
        "approach": "social-support",
        "techniques": ["BCIO:007031", "1.4"],
        "references": ["lasgaard-2025"],
    },
    # Groups, classes, befriending and link workers are not psychological therapy (Hickin).
    "support/ask-about-more": {
        "approach": "social-support",
        "techniques": ["BCIO:007029", "1.4"],
        "references": ["lasgaard-2025"],
    },
    "support/social-prescriber": {
        "approach": "social-support",
        "techniques": ["BCIO:007029", "1.4"],
        "references": ["lasgaard-2025"],
    },
}


def as_snapshot(template: rs.StepTemplate) -> dict[str, Any]:
    """A template in the snapshot's plain form."""
    assert template.approach is not None
    return {
        "strategy": template.strategy.value,
        "rung": template.rung,
        "effort": template.effort.value,
        "action": template.action,
        "pillars": sorted(p.value for p in template.pillars),
        "needs": template.needs.value,
        "suits": sorted(s.value for s in template.suits),
        "in_person": template.in_person,
        "unnamed": template.unnamed,
        "approach": template.approach.value,
        "techniques": list(template.techniques),
        "references": [r.id for r in template.references],
    }


CURRENT = {template.id: as_snapshot(template) for template in TEMPLATES}


def test_the_same_templates_in_the_same_order() -> None:
    assert list(CURRENT) == list(SNAPSHOT)


@pytest.mark.parametrize("ident", list(SNAPSHOT))
def test_everything_but_the_evidence_is_as_it_was(ident: str) -> None:
    now = {k: v for k, v in CURRENT[ident].items() if k not in EVIDENCE}
    before = {k: v for k, v in SNAPSHOT[ident].items() if k not in EVIDENCE}
    assert now == before


@pytest.mark.parametrize("ident", list(SNAPSHOT))
def test_the_evidence_is_as_it_was_unless_corrected_on_purpose(ident: str) -> None:
    now = {k: CURRENT[ident][k] for k in EVIDENCE}
    before = {k: SNAPSHOT[ident][k] for k in EVIDENCE}
    assert now == CORRECTED.get(ident, before)


def test_every_listed_correction_names_a_snapshot_template_and_changes_it() -> None:
    assert set(CORRECTED) <= set(SNAPSHOT)
    unchanged = [
        ident
        for ident, now in CORRECTED.items()
        if now == {k: SNAPSHOT[ident][k] for k in EVIDENCE}
    ]
    assert unchanged == []
