"""Evidence as data: approaches, the technique table, references, template checks, "why"."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience import evidence, planning
from resilience._plugins import build_registry
from resilience.builtin.references import LIANG_2024, LIU_2023, MASI_2011, REFERENCES
from resilience.errors import InvalidValueError, StepEvidenceError, UnknownTechniqueError
from resilience.testing import strategies as rst

REGISTRY = build_registry(load_installed=False)
ENGINE = rs.Engine(load_installed=False)
TEMPLATES = list(REGISTRY.templates.values())
by_template = pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)

PILOT = rs.Reference(
    "walking-pilot-2026",
    "Walking pilot 2026",
    "Our team (2026). A neighbourhood walking pilot. Internal report.",
    "twelve people in an uncontrolled pilot said they felt less alone",
    "An uncontrolled pilot; no comparison group, so it shows feasibility only.",
)


def walk(**changes: Any) -> rs.StepTemplate:
    fields: dict[str, Any] = {
        "id": "walking-club/first-walk",
        "strategy": rs.Strategy.IN_PERSON,
        "rung": 1,
        "effort": rs.Effort.TINY,
        "action": "Join the neighbourhood walking club's Saturday stroll.",
        "in_person": True,
        "approach": rs.Approach.MORE_CONTACT,
        "techniques": ("12.2", "1.4"),
        "references": (PILOT, LIANG_2024),
    }
    return rs.StepTemplate(**{**fields, **changes})


class WalkingClub:
    """A plugin with a template of its own that cites its own reference and a built-in one."""

    def __init__(self, template: rs.StepTemplate, *references: rs.Reference) -> None:
        self.template = template
        self.references = references

    @rs.hookimpl
    def resilience_register_references(self, register: Any) -> None:
        for reference in self.references:
            register(reference)

    @rs.hookimpl
    def resilience_register_plan_steps(self, register: Any) -> None:
        register(self.template)


def problems_of(plugin: object) -> list[str]:
    registry = build_registry([plugin], load_installed=False)
    return [str(problem) for problem in registry.problems]


# -- the technique table -----------------------------------------------------------------


def test_the_table_holds_the_93_techniques_of_bct_taxonomy_v1_in_16_groups() -> None:
    # Michie et al. 2013: 93 BCTs clustered into 16 groups.
    table = evidence.technique_table()
    assert len(table) == 93
    assert {code.split(".")[0] for code in table} == {str(g) for g in range(1, 17)}
    assert all(rows for rows in table.values())


# Checked one by one against the ontology's bcto.xlsx (ID, Label, Cross-reference columns).
CHECKED = [
    ("1.4", "Action planning", "BCIO:007010", "action planning BCT"),
    ("2.4", "Self-monitoring of outcome(s) of behaviour", "BCIO:007025", None),
    ("4.4", "Behavioural experiments", "BCIO:007054", "conduct a behavioural experiment BCT"),
    ("8.1", "Behavioural practice/rehearsal", "BCIO:007094", "practise behaviour BCT"),
    ("8.3", "Habit formation", "BCIO:007096", None),
    ("8.7", "Graded tasks", "BCIO:007100", "set graded tasks BCT"),
    ("12.2", "Restructuring the social environment", "BCIO:050349", None),
]


@pytest.mark.parametrize(("code", "label", "bcto_id", "bcto_label"), CHECKED)
def test_codes_the_built_ins_use_carry_the_checked_label_and_ontology_class(
    code: str, label: str, bcto_id: str, bcto_label: str | None
) -> None:
    found = evidence.technique(code)
    assert (found.code, found.label, found.bcto_id) == (code, label, bcto_id)
    if bcto_label is not None:
        assert found.bcto_label == bcto_label


def test_an_ontology_id_names_its_class_and_the_number_it_cross_references() -> None:
    emotional = evidence.technique("BCIO:007031")
    assert (emotional.code, emotional.label) == ("3.3", "Social support (emotional)")
    assert emotional.bcto_label == "advise to seek emotional support BCT"
    seek = evidence.technique("BCIO:007029")
    assert (seek.code, seek.label, seek.bcto_label) == (
        "3.1",
        "Social support (unspecified)",
        "advise to seek support BCT",
    )


def test_a_number_with_several_ontology_classes_carries_none_of_them() -> None:
    # 3.1 is cross-referenced by four classes; picking one silently would misreport it.
    assert len(evidence.technique_table()["3.1"]) == 4
    assert evidence.technique("3.1").bcto_id is None


@pytest.mark.parametrize("code", ["4.5", "8.77", "BCIO:999999", "graded tasks", ""])
def test_an_unknown_code_is_an_error_naming_the_code(code: str) -> None:
    with pytest.raises(UnknownTechniqueError) as info:
        evidence.technique(code, template="walk/invite")
    assert info.value.code == code
    assert "'walk/invite'" in str(info.value)
    assert isinstance(info.value, LookupError)


# -- every template says what it rests on ------------------------------------------------


def test_every_built_in_template_is_registered() -> None:
    from resilience.builtin.steps import TEMPLATES as BUILT_IN

    assert REGISTRY.problems == ()
    assert {t.id for t in BUILT_IN} <= set(REGISTRY.templates)


@by_template
def test_every_template_declares_approach_techniques_and_references(
    template: rs.StepTemplate,
) -> None:
    assert isinstance(template.approach, rs.Approach)
    assert len(template.techniques) >= 1
    assert len(template.references) >= 1
    for code in template.techniques:
        evidence.technique(code, template=template.id)
    for reference in template.references:
        assert REGISTRY.references[reference.id] == reference


def test_the_built_in_references_are_the_checked_ones() -> None:
    assert [r.id for r in REFERENCES] == [
        "masi-2011",
        "lasgaard-2025",
        "hickin-2021",
        "liu-2023",
        "aron-1997",
        "liang-2024",
        "holt-lunstad-2010",
    ]
    assert set(REGISTRY.references) == {r.id for r in REFERENCES}
    # The public codebase this issue mentions credited Liu et al. to other authors.
    assert LIU_2023.citation.startswith("Liu, P. J., Rim, S., Min, L., & Min, K. E. (2023).")
    assert "124(4), 754–771" in LIU_2023.citation
    assert "15(3), 219–266" in MASI_2011.citation


def test_a_plugin_template_with_its_own_reference_is_registered_and_planned() -> None:
    plugin = WalkingClub(walk(), PILOT)
    engine = rs.Engine(plugins=[plugin], load_installed=False)
    assert engine.plugin_problems == ()
    assert engine.references["walking-pilot-2026"] is PILOT
    info = engine.plugins()[-1]
    assert info.registered["references"] == ("walking-pilot-2026",)
    assert info.registered["templates"] == ("walking-club/first-walk",)


def test_a_template_without_evidence_gets_its_plugin_skipped_naming_the_template() -> None:
    bare = walk(approach=None, techniques=(), references=())
    with pytest.warns(rs.PluginWarning):
        engine = rs.Engine(plugins=[WalkingClub(bare)], load_installed=False)
    (problem,) = engine.plugin_problems
    assert problem.stage == "resilience_register_plan_steps"
    assert "step template 'walking-club/first-walk'" in problem.error
    assert "no approach, no technique code and no reference" in problem.error
    registry = build_registry([WalkingClub(bare)], load_installed=False)
    assert "walking-club/first-walk" not in registry.templates


def test_an_unknown_code_gets_its_plugin_skipped_naming_template_and_code() -> None:
    (problem,) = problems_of(WalkingClub(walk(techniques=("1.4", "12.9")), PILOT))
    assert "step template 'walking-club/first-walk'" in problem
    assert "unknown behaviour-change technique '12.9'" in problem


def test_a_reference_nobody_registered_gets_its_plugin_skipped() -> None:
    (problem,) = problems_of(WalkingClub(walk()))  # PILOT is cited but not registered
    assert "cites reference 'walking-pilot-2026', which no plugin registers" in problem


def test_a_reference_cited_differently_from_the_registered_one_is_refused() -> None:
    # An inline copy with a made-up effect size must not pass for the checked reference.
    forged = attrs.evolve(LIU_2023, finding="reaching out doubled happiness (d = 2.0)")
    (problem,) = problems_of(WalkingClub(walk(references=(forged,))))
    assert "cites reference 'liu-2023' differently from the registered one" in problem


def test_a_technique_named_twice_is_refused() -> None:
    template = walk(techniques=("3.3", "BCIO:007031"), references=(LIANG_2024,))
    with pytest.raises(StepEvidenceError, match=r"names technique 3\.3 twice"):
        evidence.check_template(template)


@pytest.mark.parametrize("bad", ["8", "BCT8.7", 8.7, "bcio:007100"])
def test_a_technique_that_is_not_shaped_like_a_code_is_refused_at_once(bad: object) -> None:
    with pytest.raises(InvalidValueError, match="techniques must be BCT Taxonomy v1 numbers"):
        walk(techniques=(bad,))


def test_references_on_a_template_must_be_reference_values() -> None:
    with pytest.raises(InvalidValueError, match="references must be Reference values"):
        walk(references=("masi-2011",))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Masi 2011"}, "reference id must be lower-case words"),
        ({"finding": "it helped."}, "leave out its final full stop"),
        ({"certainty": "  "}, "certainty must be a non-empty text"),
    ],
)
def test_a_reference_is_checked_when_built(changes: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        attrs.evolve(PILOT, **changes)


# -- why this step -----------------------------------------------------------------------


def _step_from(template: rs.StepTemplate) -> rs.Step:
    return rs.Step(
        "c1-01",
        template.strategy,
        template.pillars,
        template.action,
        template.effort,
        dt.date(2026, 1, 7),
        "aims at the weakest pillar",
        template=template.id,
        approach=template.approach,
        techniques=evidence.techniques_of(template),
        references=template.references,
    )


def _sentences(text: str) -> int:
    # Full stops inside "et al." and decimal numbers do not end a sentence.
    plain = re.sub(r"et al\.|\d\.\d", "", text)
    return len(re.findall(r"[.!?](?:\s|$)", plain))


@by_template
def test_why_is_one_plain_sentence_naming_approach_technique_and_source(
    template: rs.StepTemplate,
) -> None:
    step = _step_from(template)
    sentence = evidence.why(step)
    assert sentence is not None
    assert sentence.startswith("Why this step: it ")
    assert _sentences(sentence) == 1
    assert sentence.endswith(").")
    assert step.approach is not None
    assert step.approach.purpose in sentence
    first = template.references[0]
    assert sentence.endswith(f"({first.short}).")
    assert first.finding in sentence
    for technique in step.techniques:
        assert technique.label[1:] in sentence


@given(st.tuples(rst.profiles(), st.none() | rst.support_networks()))
def test_every_planned_step_carries_its_templates_evidence(
    inputs: tuple[rs.ResilienceProfile, rs.SupportNetwork | None],
) -> None:
    profile, network = inputs
    plan = ENGINE.plan(profile, network=network, today=START)
    for step in plan.steps:
        template = REGISTRY.templates.get(step.template, planning.SUPPORT_FALLBACK)
        assert step.approach is template.approach is not None
        assert step.techniques == evidence.techniques_of(template)
        assert step.references == template.references
        assert evidence.why(step) is not None


def test_the_support_fallback_says_what_it_rests_on() -> None:
    evidence.check_template(planning.SUPPORT_FALLBACK)
    evidence.check_references(planning.SUPPORT_FALLBACK, REGISTRY.references)


def test_a_step_without_evidence_has_no_why() -> None:
    step = attrs.evolve(_step_from(TEMPLATES[0]), approach=None)
    assert evidence.why(step) is None


def test_the_step_carries_the_looked_up_techniques() -> None:
    template = REGISTRY.templates["vulnerable/ask-for-support"]
    step = _step_from(template)
    assert [t.display for t in step.techniques] == [
        "3.3 Social support (emotional)",
        "1.4 Action planning",
    ]
    assert step.techniques[0].bcto_id == "BCIO:007031"


# -- expectations ------------------------------------------------------------------------

PROFILE = rs.ResilienceProfile("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc), {}, {})
START = dt.date(2026, 1, 5)


def _plan(n: int) -> rs.ConnectionPlan:
    steps = [
        rs.Step(
            f"c1-{i:02d}",
            rs.Strategy.REACH_OUT,
            {rs.Pillar.BELONGING},
            "Send a line.",
            rs.Effort.TINY,
            START,
            "",
        )
        for i in range(n)
    ]
    return rs.ConnectionPlan("p-1", START, PROFILE, (rs.Pillar.BELONGING,), steps)


rating = st.none() | st.integers(1, 5)
check_ins = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 20), rating, rating, st.sampled_from(rs.Outcome)),
    max_size=12,
)


@given(check_ins)
def test_each_step_counts_once_with_its_latest_check_in_that_compared(
    entries: list[tuple[int, int, int | None, int | None, rs.Outcome]],
) -> None:
    plan = _plan(4)
    for step, day, expected, happened, outcome in entries:
        plan = plan.check_in(
            rs.CheckIn(
                f"c1-{step:02d}",
                START + dt.timedelta(days=day),
                outcome,
                expected=expected,
                happened=happened,
            )
        )
    summary = planning.progress(plan).expectations
    assert summary == planning.expectations(plan)
    # The model: order by day (stable, so report order breaks ties), keep the last pair.
    last: dict[int, tuple[int, int]] = {}
    for step, _, expected, happened, _ in sorted(entries, key=lambda e: e[1]):
        if expected is not None and happened is not None:
            last[step] = (expected, happened)
    assert summary.compared == len(last)
    assert summary.too_gloomy == sum(1 for e, h in last.values() if h > e)
    assert summary.too_hopeful == sum(1 for e, h in last.values() if h < e)
    if last:
        assert summary.gloomy_share == summary.too_gloomy / len(last)
    else:
        assert summary.gloomy_share is None


def test_a_later_check_in_without_a_comparison_keeps_the_earlier_one() -> None:
    plan = _plan(1)
    plan = plan.check_in(rs.CheckIn("c1-00", START, rs.Outcome.DONE, expected=1, happened=4))
    plan = plan.check_in(rs.CheckIn("c1-00", START + dt.timedelta(days=2), rs.Outcome.DONE))
    assert planning.expectations(plan) == rs.Expectations(too_gloomy=1)


@pytest.mark.parametrize("field", ["expected", "happened"])
@pytest.mark.parametrize("value", [0, 6, 2.5, True, "3"])
def test_expectations_are_whole_numbers_from_1_to_5(field: str, value: object) -> None:
    with pytest.raises(InvalidValueError, match=f"{field} must be a whole number from 1 to 5"):
        rs.CheckIn("s1", START, rs.Outcome.DONE, **{field: value})  # type: ignore[arg-type]


# -- storage of the new fields -------------------------------------------------------------


def test_check_ins_and_steps_without_the_new_fields_write_what_earlier_releases_wrote() -> None:
    check_in = json.loads(rs.to_json(rs.CheckIn("s1", START, rs.Outcome.DONE, felt=4)))
    assert sorted(check_in) == ["felt", "note", "on", "outcome", "schema_version", "step_id"]
    step = json.loads(rs.to_json(_plan(1).steps[0]))
    assert not {"approach", "techniques", "references"} & set(step)


@by_template
def test_a_step_with_evidence_and_a_check_in_with_expectations_round_trip(
    template: rs.StepTemplate,
) -> None:
    step = _step_from(template)
    assert rs.from_json(rs.to_json(step), rs.Step) == step
    check_in = rs.CheckIn("c1-01", START, rs.Outcome.PARTLY, expected=2, happened=5)
    assert rs.from_json(rs.to_json(check_in), rs.CheckIn) == check_in


def test_an_older_check_in_record_reads_with_no_expectations() -> None:
    old = '{"schema_version": 1, "step_id": "s1", "on": "2026-01-09", "outcome": "done"}'
    read = rs.from_json(old, rs.CheckIn)
    assert (read.expected, read.happened) == (None, None)


# -- social-cognition rungs and when the planner prefers them ---------------------------

COGNITION = rs.Approach.SOCIAL_COGNITION
EXPECTATION_SIGNS = [
    rs.IsolationSign.NOT_UNDERSTOOD,
    rs.IsolationSign.HIDES_STRUGGLES,
    rs.IsolationSign.RELIES_ONLY_ON_SELF,
]
OTHER_SIGNS = [s for s in rs.IsolationSign if s not in EXPECTATION_SIGNS]
# Changed (plans keep their focus): with all four tied the plan aims at two of them only;
# belonging a little lower keeps every strategy but seeking support in play (belonging and
# co-regulation are the targets).
WEAK_ALL = {
    p: rs.PillarScore(p, 25.0 if p is rs.Pillar.BELONGING else 30.0, 1.0) for p in rs.Pillar
}
FRIENDS = rs.SupportNetwork(
    (
        rs.Connection(
            "Ana",
            rs.Relation.FRIEND,
            trust=5,
            safety=5,
            contact={rs.ContactMode.IN_PERSON: rs.Frequency.MONTHLY},
        ),
        rs.Connection(
            "Ben",
            rs.Relation.FRIEND,
            trust=4,
            safety=4,
            contact={rs.ContactMode.MESSAGE: rs.Frequency.MONTHLY},
        ),
    )
)


def _profile(signs: list[rs.IsolationSign], **extra: Any) -> rs.ResilienceProfile:
    return rs.ResilienceProfile(
        "p-1",
        dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        WEAK_ALL,
        {},
        signs=tuple(rs.SignReading(s, 70.0, "connection-signs") for s in signs),
        **extra,
    )


def _cognition_rungs() -> dict[rs.Strategy, int]:
    return {t.strategy: t.rung for t in TEMPLATES if t.approach is COGNITION}


def test_the_social_cognition_rungs_sit_inside_four_of_the_five_strategies() -> None:
    assert {t.id: (t.strategy, t.rung, t.effort) for t in TEMPLATES if t.approach is COGNITION} == {
        "reach-out/predict-and-send": (rs.Strategy.REACH_OUT, 1, rs.Effort.TINY),
        "vulnerable/test-the-thought": (rs.Strategy.BE_VULNERABLE_FIRST, 1, rs.Effort.TINY),
        "invest/guess-and-ask": (rs.Strategy.INVEST_IN_RELATIONSHIPS, 2, rs.Effort.SMALL),
        "support/expect-and-ask": (rs.Strategy.SEEK_SUPPORT, 2, rs.Effort.SMALL),
    }
    for t in TEMPLATES:
        if t.approach is COGNITION:
            assert "4.4" in t.techniques  # behavioural experiments
            plain = [
                o
                for o in TEMPLATES
                if o.strategy is t.strategy and o.rung == t.rung and o.approach is not COGNITION
            ]
            assert plain, t.id  # never the only way up a ladder
            assert all(o.effort is t.effort for o in plain), t.id


@pytest.mark.parametrize("sign", EXPECTATION_SIGNS)
def test_the_planner_prefers_them_when_the_signs_point_there(sign: rs.IsolationSign) -> None:
    plan = ENGINE.plan(_profile([sign]), network=FRIENDS, today=START)
    rungs = _cognition_rungs()
    chosen = [s for s in plan.steps if rungs.get(s.strategy) == s.rung]
    assert chosen
    assert all(s.approach is COGNITION for s in chosen), [s.template for s in chosen]
    assert all(s.approach is not COGNITION for s in plan.steps if s not in chosen)


@given(st.lists(st.sampled_from(OTHER_SIGNS), unique=True), st.none() | rst.support_networks())
def test_without_those_signs_a_fresh_plan_uses_none_of_them(
    signs: list[rs.IsolationSign], network: rs.SupportNetwork | None
) -> None:
    plan = ENGINE.plan(_profile(signs), network=network, today=START)
    assert all(s.approach is not COGNITION for s in plan.steps)


@given(st.sampled_from(EXPECTATION_SIGNS), st.none() | rst.support_networks())
def test_support_still_comes_first_with_the_new_rungs_in_play(
    sign: rs.IsolationSign, network: rs.SupportNetwork | None
) -> None:
    plan = ENGINE.plan(
        _profile([sign], flags={rs.Flag.SUPPORT_ADVISED}), network=network, today=START
    )
    assert plan.steps[0].strategy is rs.Strategy.SEEK_SUPPORT
    assert plan.steps[0].effort is rs.Effort.TINY
    for step in plan.steps:
        if step.strategy is rs.Strategy.SEEK_SUPPORT:
            assert "Help can be found" in step.action or "Support that comes" in step.action


@given(st.sampled_from(EXPECTATION_SIGNS), st.sampled_from(list(rs.Outcome)))
def test_the_new_rungs_climb_and_step_down_like_every_other(
    sign: rs.IsolationSign, outcome: rs.Outcome
) -> None:
    plan = ENGINE.plan(_profile([sign]), network=FRIENDS, today=START)
    first = next(s for s in plan.steps if s.template == "reach-out/predict-and-send")
    plan = plan.check_in(rs.CheckIn(first.id, first.due, outcome, expected=2, happened=4))
    later = ENGINE.plan(_profile([sign]), network=FRIENDS, today=START, previous=plan)
    nxt = next(s for s in later.steps if s.strategy is rs.Strategy.REACH_OUT)
    if outcome is rs.Outcome.SKIPPED:
        assert nxt.effort.level <= first.effort.level
    elif outcome is rs.Outcome.DONE:
        assert nxt.rung == first.rung + 1
    else:
        assert nxt.rung == first.rung
    assert planning.progress(plan).expectations.too_gloomy == 1


def test_a_step_holds_technique_values_only() -> None:
    with pytest.raises(InvalidValueError, match="techniques must be Technique values"):
        attrs.evolve(_step_from(TEMPLATES[0]), techniques=("8.7",))
