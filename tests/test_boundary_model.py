"""Every way into the model converts or refuses (issue: trust at every way in).

Enum fields take their member or its stable id, converted once; anything else is an
InvalidValueError naming the field, the value and the allowed ids. Datetimes carry an
offset, answers are int or finite float, strings are JSON text. The Engine never stores
answers scoring would refuse unless asked, and then the record says so. DJG-6 subscales
are scored from their own items when the total cannot be.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience.model.network import ContactMode, Frequency, Relation
from resilience.model.plans import ConnectionNeed, Effort, Outcome
from resilience.model.profile import CapacityScore, Contribution, Flag, PillarScore, SignReading
from resilience.planning import ProfileChange, ScoreChange
from resilience.serialization import SCHEMA_VERSION

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 1, 5, tzinfo=UTC)
DAY = dt.date(2026, 1, 7)
ENGINE = rs.Engine(load_installed=False)


def _profile(**changes: Any) -> rs.ResilienceProfile:
    return attrs.evolve(rs.ResilienceProfile("p", WHEN, {}, {}), **changes)


def _step(**changes: Any) -> rs.Step:
    base = rs.Step("s1", rs.Strategy.REACH_OUT, {rs.Pillar.BELONGING}, "Say hi.", Effort.TINY,
                   DAY, "r")  # fmt: skip
    return attrs.evolve(base, **changes)


def _template(**changes: Any) -> rs.StepTemplate:
    base = rs.StepTemplate("t", rs.Strategy.REACH_OUT, 1, Effort.TINY, "Say hi.")
    return attrs.evolve(base, **changes)


# (build from a value, the enum, whether the field holds a collection)
ENUM_FIELDS: dict[str, tuple[Any, type[enum.Enum]]] = {
    "Connection.relation": (lambda v: rs.Connection("Sam", v, 4, 4), Relation),
    "Connection.pillars": (lambda v: rs.Connection("Sam", "friend", 4, 4, pillars={v}), rs.Pillar),
    "Connection.contact key": (
        lambda v: rs.Connection("Sam", "friend", 4, 4, contact={v: Frequency.WEEKLY}),
        ContactMode,
    ),
    "Connection.contact value": (
        lambda v: rs.Connection("Sam", "friend", 4, 4, contact={ContactMode.CALL: v}),
        Frequency,
    ),
    "Assessment.drivers": (lambda v: rs.Assessment("p", WHEN, {}, drivers=[v]), rs.IsolationDriver),
    "CheckIn.outcome": (lambda v: rs.CheckIn("s1", DAY, v), Outcome),
    "Step.strategy": (lambda v: _step(strategy=v), rs.Strategy),
    "Step.effort": (lambda v: _step(effort=v), Effort),
    "Step.pillars": (lambda v: _step(pillars=[v]), rs.Pillar),
    "StepTemplate.needs": (lambda v: _template(needs=v), ConnectionNeed),
    "StepTemplate.suits": (lambda v: _template(suits={v}), rs.IsolationDriver),
    "StepTemplate.strategy": (lambda v: _template(strategy=v), rs.Strategy),
    "PillarScore.pillar": (lambda v: PillarScore(v, 50.0, 1.0), rs.Pillar),
    "CapacityScore.capacity": (lambda v: CapacityScore(v, 50.0, 1.0), rs.Capacity),
    "SignReading.sign": (lambda v: SignReading(v, 10.0, "x"), rs.IsolationSign),
    "Contribution.target": (lambda v: Contribution("r", "1", v, 50.0, 1.0), rs.Pillar),
    "ResilienceProfile.flags": (lambda v: _profile(flags={v}), Flag),
    "ResilienceProfile.drivers": (lambda v: _profile(drivers={v}), rs.IsolationDriver),
    "ConnectionPlan.targets": (
        lambda v: rs.ConnectionPlan("p", WHEN.date(), _profile(), [v], ()),
        rs.Pillar,
    ),
    "ConnectionPlan.ladder": (
        lambda v: rs.ConnectionPlan("p", WHEN.date(), _profile(), (), (), ladder={v: 2}),
        rs.Strategy,
    ),
    "ScoreChange.target": (lambda v: ScoreChange(v, 1.0, 2.0), rs.Capacity),
}


def _holds(built: Any, member: enum.Enum) -> bool:
    # Whether the member (never its id string) is somewhere in the built value's fields.
    for value in attrs.asdict(built, recurse=False).values():
        if value is member:
            return True
        if isinstance(value, tuple | frozenset | list) and member in value:
            return True
        if isinstance(value, dict) and (member in value or member in value.values()):
            return True
    return False


@pytest.mark.parametrize("name", sorted(ENUM_FIELDS))
def test_enum_fields_take_the_member_or_its_id_and_hold_the_member(name: str) -> None:
    build, kind = ENUM_FIELDS[name]
    for member in kind:
        from_id = build(member.value)
        assert _holds(from_id, member), (name, member)
        assert from_id == build(member)


@pytest.mark.parametrize("name", sorted(ENUM_FIELDS))
def test_enum_fields_refuse_anything_else_naming_field_value_and_ids(name: str) -> None:
    build, kind = ENUM_FIELDS[name]
    for junk in ("no-such-id", 3, None, b"friend", 1.5):
        with pytest.raises(rs.InvalidValueError) as caught:
            build(junk)
        message = str(caught.value)
        assert repr(junk) in message, message
        assert all(str(member.value) in message for member in kind), message


def test_a_validation_pillar_given_by_id_is_scored_not_dropped() -> None:
    # Seen on main: pillars={"validation"} was accepted and the pillar then scored 0.
    by_id = rs.Connection(
        "Sam", "friend", 5, 5, pillars={"validation"}, contact={"in-person": "weekly"}
    )
    by_member = rs.Connection(
        "Sam", Relation.FRIEND, 5, 5, pillars={rs.Pillar.VALIDATION},
        contact={ContactMode.IN_PERSON: Frequency.WEEKLY},
    )  # fmt: skip
    assert by_id == by_member
    profile = ENGINE.profile(rs.Assessment("p", WHEN, {}, network=rs.SupportNetwork([by_id])))
    strength = profile.pillars[rs.Pillar.VALIDATION].strength
    assert strength is not None
    assert strength > 0


def test_a_check_in_outcome_given_by_id_counts_in_progress() -> None:
    from resilience import planning

    plan = rs.ConnectionPlan("p", WHEN.date(), _profile(), (rs.Pillar.BELONGING,), (_step(),))
    plan = plan.check_in(rs.CheckIn("s1", DAY, "done"))
    assert planning.progress(plan).overall.done == 1


@pytest.mark.parametrize(
    "build",
    [
        lambda when: rs.Assessment("p", when, {}),
        lambda when: rs.ResilienceProfile("p", when, {}, {}),
        lambda when: ProfileChange("p", when, WHEN, {}, {}),
        lambda when: ProfileChange("p", WHEN, when, {}, {}),
    ],
)
def test_every_model_datetime_needs_an_offset(build: Any) -> None:
    with pytest.raises(rs.InvalidValueError, match="timezone-aware"):
        build(dt.datetime(2026, 1, 5))
    with pytest.raises(rs.InvalidValueError, match="timezone-aware"):
        build("2026-01-05T00:00:00+00:00")
    build(dt.datetime(2026, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5))))


@pytest.mark.parametrize(
    "value",
    [True, False, "two", math.nan, math.inf, -math.inf, 10**5000, 2e9, [1], {}],
    ids=["True", "False", "str", "nan", "inf", "-inf", "10**5000", "2e9", "list", "dict"],
)
def test_answers_must_be_int_or_finite_float_in_bounds(value: object) -> None:
    with pytest.raises(rs.InvalidValueError) as caught:
        rs.Assessment("p", WHEN, {"ucla-3": {"ucla-1": value}})
    assert "answers['ucla-3']['ucla-1']" in str(caught.value)


@given(st.one_of(st.integers(-(10**9), 10**9), st.floats(-1e9, 1e9), st.none()))
def test_answers_in_bounds_are_kept_as_given(value: float | None) -> None:
    assessment = rs.Assessment("p", WHEN, {"x": {"i": value}})
    assert assessment.answers["x"]["i"] is value


def test_answer_keys_must_be_strings() -> None:
    with pytest.raises(rs.InvalidValueError, match="item id"):
        rs.Assessment("p", WHEN, {"ucla-3": {1: 1}})  # type: ignore[dict-item]
    with pytest.raises(rs.InvalidValueError, match="instrument id"):
        rs.Assessment("p", WHEN, {("ucla-3",): {}})  # type: ignore[dict-item]


LONE = "\ud83d"  # half of a surrogate pair: Python allows it, UTF-8 and JSON do not


@pytest.mark.parametrize(
    "build",
    [
        lambda t: rs.Assessment(t, WHEN, {}),
        lambda t: rs.Assessment("p", WHEN, {t: {}}),
        lambda t: rs.Assessment("p", WHEN, {"x": {t: 1}}),
        lambda t: rs.Assessment("p", WHEN, {}, locales={"x": t}),
        lambda t: rs.CheckIn("s1", DAY, "done", note=t),
        lambda t: rs.CheckIn(t, DAY, "done"),
        lambda t: rs.Connection(t, "friend", 4, 4),
        lambda t: _step(action=t),
        lambda t: _profile(flag_reasons=(t,)),
        lambda t: Contribution("r", "1", "belonging", 1.0, 1.0, inputs={t: 1.0}),
        lambda t: rs.SupportResource("n", t, "c"),
    ],
)
def test_strings_json_cannot_carry_are_refused_at_construction(build: Any) -> None:
    with pytest.raises(rs.InvalidValueError, match="lone surrogate"):
        build(f"note {LONE} end")
    built = build("fine \u2028 \u0085 ✓")  # unusual but valid text is kept
    assert "\u2028" in rs.to_json(built)


def test_string_fields_refuse_other_types() -> None:
    with pytest.raises(rs.InvalidValueError, match="step_id must be a string"):
        rs.CheckIn(7, DAY, "done")  # type: ignore[arg-type]
    with pytest.raises(rs.InvalidValueError, match="note must be a string"):
        rs.CheckIn("s1", DAY, "done", note=b"bytes")  # type: ignore[arg-type]


def test_days_must_be_days() -> None:
    with pytest.raises(rs.InvalidValueError, match="due must be a day"):
        _step(due=WHEN)
    with pytest.raises(rs.InvalidValueError, match="last_contact must be a day"):
        rs.Connection("Sam", "friend", 4, 4, last_contact="2026-01-01")  # type: ignore[arg-type]


# -- the engine checks what it stores ----------------------------------------------


@pytest.mark.parametrize(
    ("answers", "kinds"),
    [
        ({"ucla-3": {"ucla-1": 99, "ucla-2": 1, "ucla-3": 1}}, ["out-of-range"]),
        ({"phq-9": {"q1": 1}}, ["unknown-instrument"]),
        (
            {"ucla-3": {"ucla-1": 1, "x": 1, "ucla-2": 1, "ucla-3": 7}},
            ["unknown-item", "out-of-range"],
        ),
        ({"brs": {"brs-1": 1}, "phq-9": {}}, ["too-many-missing", "unknown-instrument"]),
    ],
)
def test_engine_append_refuses_what_scoring_would_and_names_every_problem(
    tmp_path: Any, answers: dict[str, Any], kinds: list[str]
) -> None:
    assessment = rs.Assessment("p", WHEN, answers)
    with rs.Engine(store=tmp_path / "s.db", load_installed=False) as engine:
        with pytest.raises(rs.InvalidAnswersError) as caught:
            engine.append(assessment)
        assert sorted(p.kind for p in caught.value.problems) == sorted(kinds)
        with pytest.raises(rs.InvalidAnswersError):
            engine.append_many([assessment, rs.Assessment("q", WHEN, {})])
        assert engine.store.history("p") == []
        assert engine.store.history("q") == []


def test_unregistered_answers_are_stored_only_on_request_and_say_so(tmp_path: Any) -> None:
    assessment = rs.Assessment("p", WHEN, {"phq-9": {"q1": 1}})
    with rs.Engine(store=tmp_path / "s.db", load_installed=False) as engine:
        engine.append(assessment, allow_unregistered=True)
        (stored,) = engine.store.history("p")
        assert isinstance(stored.record, rs.Assessment)
        assert stored.record.unchecked == frozenset({"phq-9"})
        assert json.loads(engine.store.export("p")[0])["record"]["unchecked"] == ["phq-9"]


def test_a_checked_assessment_keeps_its_json_and_id() -> None:
    # ``unchecked`` is left out when empty, so stored ids of checked records never move.
    text = rs.to_json(rs.Assessment("p", WHEN, {"ucla-3": {"ucla-1": 1}}))
    assert "unchecked" not in text


def test_engine_import_refuses_bad_answers_by_line_number(tmp_path: Any) -> None:
    good = rs.Assessment("p", WHEN, {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}})
    bad = rs.Assessment("p", WHEN + dt.timedelta(days=1), {"ucla-3": {"ucla-1": 99}})
    unknown = rs.Assessment("p", WHEN + dt.timedelta(days=2), {"phq-9": {"q1": 1}})
    with rs.open_store("memory://") as plain:  # a store without checks, as on main
        for record in (good, bad, unknown):
            plain.append(record)
        lines = plain.export("p")
    with rs.Engine(store=tmp_path / "s.db", load_installed=False) as engine:
        with pytest.raises(rs.InvalidRecordError) as caught:
            engine.import_records(lines)
        problems = caught.value.problems
        assert len(problems) == 2
        assert problems[0].startswith("line 2:")
        assert "out-of-range" in problems[0]
        assert problems[1].startswith("line 3:")
        assert "unknown-instrument" in problems[1]
        assert engine.store.history("p") == []
        with pytest.raises(rs.InvalidRecordError):
            engine.import_records(lines, allow_unregistered=True)  # line 2 is still bad
        # Imports keep records as exported, so an unmarked unregistered answer set cannot
        # come in even when allowed; one stored with the mark can.
        with pytest.raises(rs.InvalidRecordError, match="does not say"):
            engine.import_records([lines[0], lines[2]], allow_unregistered=True)
        assert engine.import_records([lines[0]]) == 1
    with rs.Engine(load_installed=False) as source:
        source.append(unknown, allow_unregistered=True)
        marked = source.store.export("p")
    with rs.Engine(store=tmp_path / "s.db", load_installed=False) as engine:
        with pytest.raises(rs.InvalidRecordError, match="unknown-instrument"):
            engine.import_records(marked)
        assert engine.import_records(marked, allow_unregistered=True) == 1
        kept = {
            tuple(r.record.unchecked)
            for r in engine.store.history("p")
            if isinstance(r.record, rs.Assessment)
        }
        assert kept == {(), ("phq-9",)}


def test_cli_import_checks_answers(tmp_path: Any, capsys: Any) -> None:
    from resilience.cli import main

    with rs.open_store("memory://") as plain:
        plain.append(rs.Assessment("p", WHEN, {"ucla-3": {"ucla-1": 99}}))
        path = tmp_path / "p.jsonl"
        path.write_text("".join(plain.export("p")), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 's.db'}"
    code = main(["import", str(path), "--store", url])
    assert code != 0
    assert "line 1" in capsys.readouterr().err
    with rs.open_store(url) as store:
        assert store.history("p") == []


# -- DJG-6: subscales from their own items ---------------------------------------------


def test_djg6_scores_a_complete_subscale_when_the_total_cannot_be() -> None:
    # Emotional items complete (yes, yes, no -> 1, 1, 0); two social items missing.
    answers = {"djg-1": 3, "djg-4": 3, "djg-6": 1, "djg-2": 1}
    score = ENGINE.score("djg-6", answers)
    assert score.total is None
    assert score.band is None
    assert dict(score.subscales) == {"emotional": 2.0}
    assert dict(score.subscale_bands) == {"emotional": "lonely"}
    assert score.strength("emotional") == pytest.approx(100 / 3)
    with pytest.raises(rs.InvalidValueError, match="not scored"):
        score.strength()
    assert rs.from_json(rs.to_json(score), rs.InstrumentScore) == score


def test_djg6_without_a_total_still_informs_the_profile() -> None:
    answers = {"djg-6": {"djg-1": 3, "djg-4": 3, "djg-6": 3}}
    profile = ENGINE.profile(rs.Assessment("p", WHEN, answers))
    contributions = profile.explain(rs.Pillar.CO_REGULATION)
    assert [c.rule for c in contributions] == ["djg-6"]
    assert contributions[0].value == 0.0


def test_djg6_with_no_scorable_part_is_still_refused() -> None:
    with pytest.raises(rs.InvalidAnswersError, match="no subscale can be scored"):
        ENGINE.score("djg-6", {"djg-1": 3, "djg-2": 1})


def test_other_instruments_keep_refusing_too_many_missing() -> None:
    # Their sources give no rule for subscales without the total.
    answers = {f"lsns-{i}": 2 for i in (1, 2, 3)}
    with pytest.raises(rs.InvalidAnswersError, match="at most 0 may be missing"):
        ENGINE.score("lsns-6", answers)


def test_older_records_read_under_the_new_schema() -> None:
    assert SCHEMA_VERSION == 2
    score = ENGINE.score("ucla-3", {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1})
    data = json.loads(rs.to_json(score))
    data["schema_version"] = 1
    assert rs.from_json(json.dumps(data), rs.InstrumentScore) == score
    old = {"schema_version": 1, "person_id": "p", "taken_at": WHEN.isoformat(), "answers": {}}
    assert rs.from_json(json.dumps(old), rs.Assessment).unchecked == frozenset()
