"""A plan as an HL7 FHIR R4 CarePlan: valid against the R4 JSON schema, and read back."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fhir_r4_schema
import resilience as rs
from resilience import evidence, fhir
from resilience.errors import InvalidRecordError
from resilience.testing import strategies as rst

ENGINE = rs.Engine(load_installed=False)
TODAY = dt.date(2026, 1, 5)
UTC = dt.timezone.utc
BCTT = "urn:resilience:bct-taxonomy-v1"
BCTO = "http://humanbehaviourchange.org/ontology/bcto.owl"
STEP_URL = "urn:resilience:StructureDefinition/plan-step"

PROFILE = rs.ResilienceProfile(
    "p-1",
    dt.datetime(2026, 1, 5, tzinfo=UTC),
    {rs.Pillar.BELONGING: rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)},
    {},
    flags={rs.Flag.SUPPORT_ADVISED},
)


PLAN = ENGINE.plan(PROFILE, today=TODAY)


def checked_in(plan: rs.ConnectionPlan, *outcomes: rs.Outcome | None) -> rs.ConnectionPlan:
    for step, outcome in zip(plan.steps, outcomes, strict=False):
        if outcome is not None:
            note = "went better than I feared" if outcome is rs.Outcome.DONE else None
            plan = plan.check_in(rs.CheckIn(step.id, step.due, outcome, note=note))
    return plan


def test_a_plan_is_a_valid_r4_careplan() -> None:
    plan = checked_in(PLAN, rs.Outcome.DONE, rs.Outcome.PARTLY, rs.Outcome.SKIPPED)
    resource = fhir.careplan(plan)
    assert fhir_r4_schema.problems(resource) == []
    assert resource["resourceType"] == "CarePlan"
    assert (resource["status"], resource["intent"]) == ("active", "plan")
    assert resource["subject"] == {"identifier": {"system": fhir.PERSON_SYSTEM, "value": "p-1"}}
    assert len(resource["activity"]) == len(plan.steps)


def test_the_schema_check_can_fail() -> None:
    resource = fhir.careplan(PLAN)
    broken = copy.deepcopy(resource)
    broken["activity"][0]["detail"]["status"] = "done"
    broken["activity"][0]["detail"]["colour"] = "blue"
    del broken["subject"]
    found = fhir_r4_schema.problems(broken)
    assert any("'done' is not one of" in p for p in found)
    assert any("'colour' was unexpected" in p for p in found)
    assert any("'subject' is a required property" in p for p in found)


def test_activity_status_follows_the_check_ins() -> None:
    plan = checked_in(PLAN, rs.Outcome.DONE, rs.Outcome.PARTLY, rs.Outcome.SKIPPED)
    statuses = [a["detail"]["status"] for a in fhir.careplan(plan)["activity"]]
    open_ = ["not-started"] * (len(plan.steps) - 3)
    assert statuses == ["completed", "in-progress", "cancelled", *open_]
    # The latest check-in counts, as everywhere else.
    later = plan.check_in(rs.CheckIn(plan.steps[2].id, plan.steps[2].due, rs.Outcome.DONE))
    assert fhir.careplan(later)["activity"][2]["detail"]["status"] == "completed"
    assert [n["text"] for n in fhir.careplan(later)["activity"][2]["progress"]] == [
        "skipped",
        "done",
    ]


def test_a_finished_plan_is_a_completed_careplan() -> None:
    plan = checked_in(PLAN, *([rs.Outcome.DONE] * len(PLAN.steps)))
    assert fhir.careplan(plan)["status"] == "completed"


def test_the_steps_techniques_are_the_activitys_codes() -> None:
    resource = fhir.careplan(PLAN)
    for step, activity in zip(PLAN.steps, resource["activity"], strict=True):
        codings = activity["detail"]["code"]["coding"]
        taxonomy = [(c["code"], c["display"]) for c in codings if c["system"] == BCTT]
        assert taxonomy == [(t.code, t.label) for t in step.techniques]
        ontology = [c["code"] for c in codings if c["system"] == BCTO]
        assert ontology == [t.bcto_id for t in step.techniques if t.bcto_id is not None]
        assert activity["detail"]["reasonCode"] == [{"text": evidence.why(step)}]
        assert activity["detail"]["scheduledPeriod"] == {"end": step.due.isoformat()}
        assert activity["detail"]["description"] == step.action


def test_a_host_can_name_the_subject() -> None:
    resource = fhir.careplan(PLAN, subject={"reference": "Patient/123"})
    assert resource["subject"] == {"reference": "Patient/123"}
    assert fhir_r4_schema.problems(resource) == []


def test_the_careplan_is_plain_json() -> None:
    resource = fhir.careplan(checked_in(PLAN, rs.Outcome.DONE))
    assert json.loads(json.dumps(resource)) == resource


plan_inputs = st.tuples(
    rst.profiles(),
    st.none() | rst.support_networks(),
    st.lists(st.sampled_from([None, *rs.Outcome]), max_size=12),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs)
def test_every_plan_is_valid_and_reads_back(
    inputs: tuple[rs.ResilienceProfile, rs.SupportNetwork | None, list[rs.Outcome | None]],
) -> None:
    profile, network, outcomes = inputs
    plan = ENGINE.plan(profile, network=network, today=TODAY)
    plan = checked_in(plan, *outcomes)
    resource = fhir.careplan(plan)
    assert fhir_r4_schema.problems(resource) == []
    assert fhir.steps_from_careplan(resource) == plan.steps
    assert fhir.outcomes_from_careplan(resource) == {s.id: plan.outcome(s.id) for s in plan.steps}


def test_a_status_changed_elsewhere_reads_back_as_an_outcome() -> None:
    resource = fhir.careplan(PLAN)
    resource["activity"][0]["detail"]["status"] = "completed"
    resource["activity"][1]["detail"]["status"] = "scheduled"
    outcomes = fhir.outcomes_from_careplan(resource)
    assert outcomes[PLAN.steps[0].id] is rs.Outcome.DONE
    assert outcomes[PLAN.steps[1].id] is None


def _broken(change: Any) -> dict[str, Any]:
    resource = fhir.careplan(PLAN)
    change(resource)
    return resource


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(resourceType="Goal"), "resourceType must be 'CarePlan'"),
        (lambda r: r.update(activity={}), "activity must be a list @ $.activity"),
        (lambda r: r["activity"][1].pop("extension"), "careplan()) @ $.activity[1].extension"),
        (
            lambda r: r["activity"][0]["extension"][0].update(valueString='{"id": 1}'),
            "(in the step record @ $.activity[0])",
        ),
    ],
)
def test_a_careplan_that_cannot_be_read_names_the_problem(change: Any, message: str) -> None:
    with pytest.raises(InvalidRecordError) as info:
        fhir.steps_from_careplan(_broken(change))
    assert message in str(info.value)


@pytest.mark.parametrize("status", ["on-hold", "stopped", "unknown", "entered-in-error", 3])
def test_a_status_with_no_outcome_is_refused_with_its_path(status: object) -> None:
    resource = _broken(lambda r: r["activity"][0]["detail"].update(status=status))
    with pytest.raises(InvalidRecordError, match=r"@ \$\.activity\[0\]\.detail\.status"):
        fhir.outcomes_from_careplan(resource)


def test_careplan_takes_a_plan() -> None:
    with pytest.raises(TypeError, match="takes a ConnectionPlan"):
        fhir.careplan(PROFILE)  # type: ignore[arg-type]
