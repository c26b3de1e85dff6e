"""Bad values given to the model's types: one error class, naming the field and the value.

Also the plan rules that are checked when a check-in is recorded (unknown step, a day
before the plan was made), and a check-in appended to a store without its person.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience.testing import strategies as rst

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
DAY = dt.date(2026, 1, 5)
PROFILE = rs.ResilienceProfile("p-1", WHEN, {}, {})


def step(step_id: str = "c1-01", due: dt.date = DAY) -> rs.Step:
    return rs.Step(
        step_id,
        rs.Strategy.REACH_OUT,
        {rs.Pillar.BELONGING},
        "Send Sam a short message.",
        rs.Effort.TINY,
        due,
        "belonging is weakest",
    )


def plan(**changes: Any) -> rs.ConnectionPlan:
    fields: dict[str, Any] = {
        "person_id": "p-1",
        "made_on": DAY,
        "profile": PROFILE,
        "targets": (rs.Pillar.BELONGING,),
        "steps": (step("c1-01"), step("c1-02", DAY + dt.timedelta(days=7))),
    }
    return rs.ConnectionPlan(**{**fields, **changes})


def connection(alias: str = "Sam", **changes: Any) -> rs.Connection:
    fields: dict[str, Any] = {"relation": rs.Relation.FRIEND, "trust": 4, "safety": 4}
    return rs.Connection(alias, **{**fields, **changes})


def template(**changes: Any) -> rs.StepTemplate:
    fields: dict[str, Any] = {
        "id": "reach-out/message",
        "strategy": rs.Strategy.REACH_OUT,
        "rung": 1,
        "effort": rs.Effort.TINY,
        "action": "Send {alias} a short message.",
    }
    return rs.StepTemplate(**{**fields, **changes})


# Each case: what builds the bad value, and words its message must contain (the field and
# the bad value, or what is wrong).
CASES: dict[str, tuple[Callable[[], object], tuple[str, ...]]] = {
    "naive taken_at": (
        lambda: rs.Assessment("p", dt.datetime(2026, 1, 5, 9, 30), {}),
        ("taken_at", "timezone-aware", "2026-01-05T09:30:00"),
    ),
    "taken_at not a datetime": (
        lambda: rs.Assessment("p", "2026-01-05", {}),  # type: ignore[arg-type]
        ("taken_at", "str", "'2026-01-05'"),
    ),
    "answers not a mapping": (
        lambda: rs.Assessment("p", WHEN, [("brs", {})]),  # type: ignore[arg-type]
        ("answers", "list"),
    ),
    "answers of one instrument not a mapping": (
        lambda: rs.Assessment("p", WHEN, {"brs": [4, 4]}),  # type: ignore[dict-item]
        ("answers['brs']", "list"),
    ),
    "key hash not a string": (
        lambda: rs.Assessment("p", WHEN, {}, key_hashes={"brs": 7}),  # type: ignore[dict-item]
        ("key_hashes", "'brs'", "7"),
    ),
    "empty key hash": (
        lambda: rs.Assessment("p", WHEN, {}, key_hashes={"brs": ""}),
        ("key_hashes", "'brs'", "''"),
    ),
    "trust above 5": (lambda: connection(trust=6), ("trust", "1 to 5", "6")),
    "safety below 1": (lambda: connection(safety=0), ("safety", "1 to 5", "0")),
    "trust as a bool": (lambda: connection(trust=True), ("trust", "True")),
    "trust as a string": (lambda: connection(trust="5"), ("trust", "'5'")),
    "empty alias": (lambda: connection(alias="  "), ("alias", "'  '")),
    "alias not a string": (lambda: connection(alias=3), ("alias", "3")),  # type: ignore[arg-type]
    "repeated aliases": (
        lambda: rs.SupportNetwork((connection("Sam"), connection("Jo"), connection("Sam"))),
        ("aliases", "unique", "'Sam'"),
    ),
    "connections not a sequence": (
        lambda: rs.SupportNetwork(5),  # type: ignore[arg-type]
        ("sequence", "int"),
    ),
    "pillars not a set": (
        lambda: connection(pillars=5),
        ("set", "int"),
    ),
    "contact not a mapping": (
        lambda: connection(contact=5),
        ("mapping", "int"),
    ),
    "contribution value above 100": (
        lambda: rs.Contribution("r", "1", rs.Pillar.BELONGING, 120.0, 1.0),
        ("value", "120.0", "0–100"),
    ),
    "negative contribution weight": (
        lambda: rs.Contribution("r", "1", rs.Pillar.BELONGING, 50.0, -1.0),
        ("weight", "-1.0", "negative"),
    ),
    "contribution value not finite": (
        lambda: rs.Contribution("r", "1", rs.Pillar.BELONGING, float("nan"), 1.0),
        ("value", "nan", "finite"),
    ),
    "contribution weight as a string": (
        lambda: rs.Contribution("r", "1", rs.Pillar.BELONGING, 50.0, "1"),  # type: ignore[arg-type]
        ("weight", "'1'", "finite number"),
    ),
    "sign level above 100": (
        lambda: rs.SignReading(rs.IsolationSign.HIDES_STRUGGLES, 101.0, "connection-signs"),
        ("level", "101.0", "0–100"),
    ),
    "sign level infinite": (
        lambda: rs.SignReading(rs.IsolationSign.HIDES_STRUGGLES, float("inf"), "x"),
        ("level", "inf", "finite"),
    ),
    "template rung 0": (lambda: template(rung=0), ("reach-out/message", "rung", "0")),
    "template rung as a string": (lambda: template(rung="1"), ("rung", "'1'")),
    "template without pillars": (
        lambda: template(pillars=frozenset()),
        ("reach-out/message", "pillar"),
    ),
    "felt above 5": (
        lambda: rs.CheckIn("s1", DAY, rs.Outcome.DONE, felt=6),
        ("felt", "1 to 5", "6"),
    ),
    "felt as a bool": (
        lambda: rs.CheckIn("s1", DAY, rs.Outcome.DONE, felt=False),
        ("felt", "False"),
    ),
    "check-in on a datetime": (
        lambda: rs.CheckIn("s1", WHEN, rs.Outcome.DONE),
        ("on", "datetime", "2026"),
    ),
    "check-in on a string": (
        lambda: rs.CheckIn("s1", "2026-01-05", rs.Outcome.DONE),  # type: ignore[arg-type]
        ("on", "str", "'2026-01-05'"),
    ),
    "weekly limit 0": (lambda: plan(weekly_limit=0), ("weekly_limit", "0")),
    "cycle as a bool": (lambda: plan(cycle=True), ("cycle", "True")),
    "plan made on a datetime": (lambda: plan(made_on=WHEN), ("made_on", "datetime")),
    "repeated step ids": (
        lambda: plan(steps=(step("a"), step("b"), step("a"))),
        ("step ids", "unique", "'a'"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_values_raise_invalid_value_error_naming_field_and_value(case: str) -> None:
    build, words = CASES[case]
    with pytest.raises(rs.InvalidValueError) as caught:
        build()
    assert isinstance(caught.value, rs.ResilienceError)
    assert isinstance(caught.value, ValueError)
    message = str(caught.value)
    for word in words:
        assert word in message, (word, message)


@given(st.integers())
def test_trust_is_accepted_exactly_from_1_to_5(trust: int) -> None:
    if 1 <= trust <= 5:
        assert connection(trust=trust).trust == trust
    else:
        with pytest.raises(rs.InvalidValueError, match=f"trust .* not {trust}$"):
            connection(trust=trust)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_contribution_values_are_accepted_exactly_within_0_to_100(value: float) -> None:
    if 0.0 <= value <= 100.0:
        assert rs.Contribution("r", "1", rs.Pillar.BELONGING, value, 1.0).value == value
    else:
        with pytest.raises(rs.InvalidValueError):
            rs.Contribution("r", "1", rs.Pillar.BELONGING, value, 1.0)


def test_valid_values_still_build() -> None:
    assert rs.Assessment("p", WHEN, {"brs": {"brs-1": 4}}).answers == {"brs": {"brs-1": 4}}
    assert rs.SupportNetwork([connection("Sam"), connection("Jo")]).get("Jo") is not None
    assert template(rung=3).rung == 3
    assert rs.CheckIn("s1", DAY, rs.Outcome.DONE, felt=None).felt is None
    assert plan(weekly_limit=1, cycle=2).cycle == 2


# -- reading JSON: the same checks, with the JSON path -----------------------------------


def test_a_bad_value_in_json_is_an_invalid_record_error_naming_its_path() -> None:
    network = rs.SupportNetwork((connection("Sam"),))
    data = json.loads(rs.to_json(rs.Assessment("p", WHEN, {}, network=network)))
    data["network"]["connections"][0]["trust"] = 6
    with pytest.raises(rs.InvalidRecordError) as caught:
        rs.from_json(json.dumps(data), rs.Assessment)
    assert caught.value.problems == (
        "trust must be a whole number from 1 to 5, not 6 @ $.network.connections[0]",
    )


def test_a_naive_time_in_json_is_an_invalid_record_error() -> None:
    data = json.loads(rs.to_json(rs.Assessment("p", WHEN, {})))
    data["taken_at"] = "2026-01-05T09:30:00"
    with pytest.raises(rs.InvalidRecordError, match="taken_at must be timezone-aware"):
        rs.from_json(json.dumps(data), rs.Assessment)


# -- check-ins on a plan ------------------------------------------------------------------


def test_a_check_in_for_an_unknown_step_is_a_planning_error_naming_the_steps() -> None:
    with pytest.raises(rs.UnknownStepError) as caught:
        plan().check_in(rs.CheckIn("c9-99", DAY, rs.Outcome.DONE))
    error = caught.value
    assert isinstance(error, rs.PlanningError)
    assert isinstance(error, ValueError)
    assert isinstance(error, KeyError)
    assert str(error) == (
        "check-in for unknown step 'c9-99': no step 'c9-99' in this plan; steps: c1-01, c1-02"
    )
    assert (error.step_id, error.known) == ("c9-99", ("c1-01", "c1-02"))


def test_looking_up_an_unknown_step_is_a_key_error_too() -> None:
    with pytest.raises(KeyError) as caught:
        plan().step("c9-99")
    assert isinstance(caught.value, rs.UnknownStepError)
    assert str(caught.value) == "no step 'c9-99' in this plan; steps: c1-01, c1-02"


def test_a_check_in_before_the_plan_was_made_is_refused_with_both_days() -> None:
    with pytest.raises(rs.PlanningError) as caught:
        plan().check_in(rs.CheckIn("c1-01", DAY - dt.timedelta(days=1), rs.Outcome.DONE))
    assert str(caught.value) == (
        "check-in for step 'c1-01' is dated 2026-01-04, before the plan was made on 2026-01-05"
    )


def test_a_check_in_on_the_day_the_plan_was_made_is_accepted() -> None:
    later = plan().check_in(rs.CheckIn("c1-01", DAY, rs.Outcome.PARTLY))
    assert later.outcome("c1-01") is rs.Outcome.PARTLY


def test_checking_in_something_else_is_an_invalid_value() -> None:
    with pytest.raises(rs.InvalidValueError, match="check_in must be a CheckIn, not str"):
        plan().check_in("c1-01")  # type: ignore[arg-type]


@given(rst.dates(), st.integers(-30, 30))
def test_a_check_in_is_accepted_exactly_from_the_day_the_plan_was_made(
    made_on: dt.date, offset: int
) -> None:
    base = plan(made_on=made_on, steps=(step("s", made_on),))
    try:
        on = made_on + dt.timedelta(days=offset)
    except OverflowError:
        return
    check_in = rs.CheckIn("s", on, rs.Outcome.DONE)
    if offset >= 0:
        assert base.check_in(check_in).check_ins == (check_in,)
    else:
        with pytest.raises(rs.PlanningError, match=made_on.isoformat()):
            base.check_in(check_in)
    assert base.check_ins == ()


# -- a check-in appended without its person --------------------------------------------


@pytest.mark.parametrize("person_id", [None, ""])
def test_appending_a_check_in_without_a_person_says_to_pass_one(person_id: str | None) -> None:
    check_in = rs.CheckIn("s1", DAY, rs.Outcome.DONE)
    with rs.open_store("memory://") as store:
        with pytest.raises(rs.MissingPersonError) as caught:
            store.append(check_in, person_id=person_id)
        store.append(check_in, person_id="p-1")
        assert [r.record for r in store.history("p-1")] == [check_in]
    error = caught.value
    assert isinstance(error, rs.StorageError)
    assert isinstance(error, ValueError)
    assert not isinstance(error, rs.InvalidRecordError)  # nothing was being read
    message = str(error)
    assert message.startswith("check-ins have no person of their own: pass person_id=...")
    assert message.endswith(f"not {person_id!r}")


def test_a_store_still_tells_a_check_in_without_a_person_apart_from_a_bad_record() -> None:
    with (
        rs.open_store("memory://") as store,
        pytest.raises(rs.InvalidRecordError, match="a store holds"),
    ):
        store.append("not a record", person_id="p")  # type: ignore[arg-type]
