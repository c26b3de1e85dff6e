"""Answers remember the definition they were collected with (USERS.md #5).

An assessment records, per instrument, the key hash of the definition its answers were
given against (``Assessment.key_hashes``, filled by ``Engine.stamp``). Scoring them later with a
changed definition (a moved cut-off) is refused with ``KeyMismatchError`` until the app
decides on purpose. Also: ``Engine.plan`` without ``today`` gives the same plan every day.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import resilience as rs
from resilience.builtin.instruments.ucla3 import make_ucla3
from resilience.testing import strategies as rst

WHEN = dt.datetime(2020, 3, 2, 18, 45, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
ENGINE = rs.Engine(load_installed=False)
UCLA = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}  # total 6
BRS = {f"brs-{n}": 3 for n in range(1, 7)}


class MovedCutOff:
    """A plugin that replaces UCLA-3 with a definition whose "lonely" band starts at 7."""

    @rs.hookimpl
    def resilience_register_instruments(self, register: object) -> None:
        register(make_ucla3(lonely_from=7), replace=True)  # type: ignore[operator]


MOVED = rs.Engine(plugins=[MovedCutOff()], load_installed=False)


def assessment(**changes: object) -> rs.Assessment:
    base = rs.Assessment("p-1", WHEN, {"ucla-3": UCLA, "brs": BRS})
    return attrs.evolve(base, **changes)


def test_assessments_record_no_keys_unless_asked() -> None:
    assert assessment().key_hashes == {}
    # Positional construction of the fields before ``keys`` keeps working.
    a = rs.Assessment("p", WHEN, {}, None, frozenset(), {"brs": "en"})
    assert (a.locales, a.key_hashes) == ({"brs": "en"}, {})


def test_the_moved_cut_off_changes_the_key_but_not_the_version() -> None:
    before, after = ENGINE.instruments["ucla-3"], MOVED.instruments["ucla-3"]
    assert before.version == after.version
    assert before.key_hash != after.key_hash
    assert ENGINE.score("ucla-3", UCLA).band == "lonely"
    assert MOVED.score("ucla-3", UCLA).band == "not-lonely"


def test_stamp_fills_the_key_of_every_answered_instrument() -> None:
    original = assessment()
    stamped = ENGINE.stamp(original)
    assert stamped.key_hashes == {
        "ucla-3": ENGINE.instruments["ucla-3"].key_hash,
        "brs": ENGINE.instruments["brs"].key_hash,
    }
    assert original.key_hashes == {}  # a copy; the original is unchanged
    assert attrs.evolve(stamped, key_hashes={}) == original
    assert ENGINE.stamp(stamped) is stamped  # nothing left to fill


def test_stamp_keeps_recorded_keys_unless_replacing_them() -> None:
    stamped = ENGINE.stamp(assessment())
    assert MOVED.stamp(stamped).key_hashes == stamped.key_hashes
    restamped = MOVED.stamp(stamped, replace=True)
    assert restamped.key_hashes["ucla-3"] == MOVED.instruments["ucla-3"].key_hash
    assert restamped.key_hashes["brs"] == stamped.key_hashes["brs"]  # brs did not change


def test_stamp_refuses_an_unknown_instrument() -> None:
    with pytest.raises(rs.UnknownInstrumentError, match="'phq-9'"):
        ENGINE.stamp(assessment(answers={"phq-9": {"q1": 1}}))


def test_matching_keys_score_as_without_keys() -> None:
    stamped = ENGINE.stamp(assessment())
    assert ENGINE.score_all(stamped) == ENGINE.score_all(assessment())
    profile = ENGINE.profile(stamped)
    assert profile == ENGINE.profile(assessment())
    assert profile.scores["ucla-3"].key_hash == stamped.key_hashes["ucla-3"]


@pytest.mark.parametrize("method", ["score_all", "profile"])
def test_a_changed_definition_is_refused_naming_the_instrument_and_both_keys(
    method: str,
) -> None:
    stamped = ENGINE.stamp(assessment())
    recorded = stamped.key_hashes["ucla-3"]
    current = MOVED.instruments["ucla-3"].key_hash
    with pytest.raises(rs.KeyMismatchError) as caught:
        getattr(MOVED, method)(stamped)
    error = caught.value
    assert isinstance(error, rs.ResilienceError)
    assert isinstance(error, ValueError)
    assert (error.instrument_id, error.recorded, error.current) == ("ucla-3", recorded, current)
    message = str(error)
    assert "'ucla-3'" in message
    assert recorded[:12] in message
    assert current[:12] in message
    assert "changed since the answers were collected" in message


def test_without_a_recorded_key_the_current_definition_is_used() -> None:
    # Old assessments (stored before keys existed) are scored as before.
    assert MOVED.profile(assessment()).scores["ucla-3"].band == "not-lonely"


def test_re_scoring_on_purpose_uses_the_current_definition() -> None:
    stamped = ENGINE.stamp(assessment())
    assert ENGINE.profile(stamped).scores["ucla-3"].band == "lonely"
    rescored = MOVED.profile(MOVED.stamp(stamped, replace=True))
    assert rescored.scores["ucla-3"].band == "not-lonely"


def test_only_answered_instruments_are_checked() -> None:
    unrelated = assessment(
        answers={"brs": BRS}, key_hashes={"brs": ENGINE.instruments["brs"].key_hash, "ucla-3": "0"}
    )
    assert set(MOVED.score_all(unrelated)) == {"brs"}


def test_a_wrong_key_for_one_instrument_is_refused_even_if_others_match() -> None:
    keys = dict(ENGINE.stamp(assessment()).key_hashes, brs="f" * 64)
    with pytest.raises(rs.KeyMismatchError, match=r"'brs'.*ffffffffffff…"):
        ENGINE.profile(assessment(key_hashes=keys))


# -- keys are part of the record ---------------------------------------------------------


def test_keys_round_trip_through_json() -> None:
    stamped = ENGINE.stamp(assessment())
    text = rs.to_json(stamped)
    assert json.loads(text)["keys"] == dict(stamped.key_hashes)
    again = rs.from_json(text, rs.Assessment)
    assert again == stamped
    assert again.key_hashes == stamped.key_hashes
    with pytest.raises(rs.KeyMismatchError):
        MOVED.profile(again)


def test_a_record_written_before_keys_existed_still_reads() -> None:
    data = json.loads(rs.to_json(assessment()))
    del data["keys"]
    assert rs.from_json(json.dumps(data), rs.Assessment) == assessment()


def test_keys_survive_the_store() -> None:
    stamped = ENGINE.stamp(assessment())
    with rs.open_store("memory://") as store:
        store.append(stamped)
        stored = store.latest("p-1", "assessment")
        assert stored is not None
        assert stored.record.key_hashes == stamped.key_hashes


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rst.assessments())
def test_stamping_never_changes_a_profile_and_round_trips(a: rs.Assessment) -> None:
    stamped = ENGINE.stamp(a)
    assert set(stamped.key_hashes) == set(a.answers)
    assert ENGINE.profile(stamped) == ENGINE.profile(a)
    assert rs.from_json(rs.to_json(stamped), rs.Assessment) == stamped


# -- Engine.plan without ``today`` ---------------------------------------------------------


def test_a_plan_without_today_starts_on_the_day_of_the_assessment() -> None:
    profile = ENGINE.profile(assessment())
    plan = ENGINE.plan(profile)
    # The assessment's own day in its own timezone (UTC would already be March 3rd).
    assert plan.made_on == dt.date(2020, 3, 2)
    assert plan.made_on != dt.date.today()
    assert plan == ENGINE.plan(profile, today=dt.date(2020, 3, 2))
    assert rs.to_json(ENGINE.plan(profile)) == rs.to_json(plan)


def test_today_still_wins_when_given() -> None:
    profile = ENGINE.profile(assessment())
    later = ENGINE.plan(profile, today=dt.date(2020, 4, 1))
    assert later.made_on == dt.date(2020, 4, 1)
    assert min(s.due for s in later.steps) >= dt.date(2020, 4, 1)


def test_the_old_name_keys_still_works_with_a_deprecation_warning() -> None:
    stamped = ENGINE.stamp(assessment())
    with pytest.warns(DeprecationWarning, match="Assessment.keys is deprecated"):
        assert stamped.keys == stamped.key_hashes
    with pytest.warns(DeprecationWarning, match=r"Assessment\(keys=...\) is deprecated"):
        old_style = rs.Assessment(
            stamped.person_id, stamped.taken_at, stamped.answers, keys=stamped.key_hashes
        )
    assert old_style == stamped
    with (
        pytest.warns(DeprecationWarning, match="keys=.... is deprecated"),
        pytest.raises(rs.InvalidValueError, match="not both"),
    ):
        rs.Assessment("p", stamped.taken_at, key_hashes={"brs": "a"}, keys={"brs": "a"})


def test_the_json_name_stays_keys_so_stored_record_ids_do_not_change() -> None:
    stamped = ENGINE.stamp(assessment())
    data = json.loads(rs.to_json(stamped))
    assert "keys" in data
    assert "key_hashes" not in data
    assert rs.from_json(json.dumps(data), rs.Assessment) == stamped
    data["key_hashes"] = data.pop("keys")
    with pytest.raises(rs.InvalidRecordError):
        rs.from_json(json.dumps(data), rs.Assessment)
