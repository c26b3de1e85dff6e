"""JSON round trips for every public type, and clear errors for bad or newer records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.serialization import SCHEMA_VERSION, register_upgrade, structure_record
from resilience.testing import strategies as rst

ROUND_TRIPS: list[tuple[type, st.SearchStrategy[Any]]] = [
    (rs.Instrument, rst.instruments()),
    (rs.Wording, rst.wordings()),
    (rs.InstrumentScore, rst.instrument_scores()),
    (rs.Assessment, rst.assessments()),
    (rs.Connection, rst.connections()),
    (rs.SupportNetwork, rst.support_networks()),
    (rs.Contribution, rst.contributions()),
    (rs.NetworkSummary, rst.network_summaries()),
    (rs.ResilienceProfile, rst.profiles()),
    (rs.StepTemplate, rst.step_templates()),
    (rs.Step, rst.steps()),
    (rs.CheckIn, rst.check_ins()),
    (rs.SupportResource, rst.support_resources()),
    (rs.ConnectionPlan, rst.connection_plans()),
]


@pytest.mark.parametrize(("cls", "strategy"), ROUND_TRIPS, ids=lambda x: getattr(x, "__name__", ""))
@settings(max_examples=40)
@given(data=st.data())
def test_round_trip(cls: type, strategy: st.SearchStrategy[Any], data: st.DataObject) -> None:
    value = data.draw(strategy)
    text = rs.to_json(value)
    assert json.loads(text)["schema_version"] == SCHEMA_VERSION
    again = rs.from_json(text, cls)
    assert again == value
    # Writing is deterministic: the same value always gives the same text.
    assert rs.to_json(again) == text


@given(rst.instruments())
def test_instrument_round_trip_keeps_the_key_hash(instrument: rs.Instrument) -> None:
    assert rs.from_json(rs.to_json(instrument), rs.Instrument).key_hash == instrument.key_hash


def test_sets_are_written_in_a_stable_order() -> None:
    drivers = frozenset(rs.IsolationDriver)
    a = rs.Assessment("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, drivers=drivers)
    written = json.loads(rs.to_json(a))["drivers"]
    assert written == sorted(written)


def _assessment_json(**changes: Any) -> str:
    base = json.loads(
        rs.to_json(
            rs.Assessment(
                "p-1", dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc), {"brs": {"brs-1": 4}}
            )
        )
    )
    base.update(changes)
    return json.dumps(base)


def test_malformed_json_is_a_clear_error() -> None:
    with pytest.raises(rs.InvalidRecordError, match="malformed JSON") as info:
        rs.from_json('{"schema_version": 1,', rs.Assessment)
    assert isinstance(info.value, ValueError)


def test_every_problem_is_named_with_its_path() -> None:
    text = _assessment_json(person_id=7, taken_at="yesterday", answers={"brs": {"brs-1": "4"}})
    with pytest.raises(rs.InvalidRecordError) as info:
        rs.from_json(text, rs.Assessment)
    problems = "\n".join(info.value.problems)
    assert "$.person_id" in problems
    assert "$.taken_at" in problems
    assert "$.answers['brs']['brs-1']" in problems or "$.answers.brs" in problems


def test_wrong_types_are_not_coerced() -> None:
    with pytest.raises(rs.InvalidRecordError, match="got bool"):
        rs.from_json(_assessment_json(answers={"brs": {"brs-1": True}}), rs.Assessment)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(rs.InvalidRecordError, match="extra fields"):
        rs.from_json(_assessment_json(surprise=1), rs.Assessment)


def test_naive_datetime_in_json_is_refused() -> None:
    with pytest.raises(rs.InvalidRecordError, match="timezone-aware"):
        rs.from_json(_assessment_json(taken_at="2026-01-05T09:00:00"), rs.Assessment)


def test_newer_schema_version_is_a_clear_error() -> None:
    with pytest.raises(rs.SchemaVersionError, match="newer") as info:
        rs.from_json(_assessment_json(schema_version=SCHEMA_VERSION + 1), rs.Assessment)
    assert info.value.found == SCHEMA_VERSION + 1


@pytest.mark.parametrize("version", [None, 0, "1", True])
def test_missing_or_invalid_schema_version(version: Any) -> None:
    data = json.loads(_assessment_json())
    if version is None:
        del data["schema_version"]
    else:
        data["schema_version"] = version
    with pytest.raises(rs.InvalidRecordError, match="schema_version"):
        rs.from_json(json.dumps(data), rs.Assessment)


def test_older_versions_are_upgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    import resilience.serialization as serialization

    monkeypatch.setattr(serialization, "SCHEMA_VERSION", 2)
    calls = []

    @register_upgrade("CheckIn", 1)
    def rename(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(data)
        data = dict(data)
        data["step_id"] = data.pop("step")
        return data

    try:
        old = {"schema_version": 1, "step": "s1", "on": "2026-01-09", "outcome": "done"}
        check_in = structure_record(old, rs.CheckIn)
    finally:
        serialization._UPGRADES.pop(("CheckIn", 1))
    assert check_in == rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE)
    assert len(calls) == 1


def test_library_converter_is_not_cattrs_global() -> None:
    import cattrs

    from resilience.serialization import default_converter

    assert default_converter() is not cattrs.global_converter
