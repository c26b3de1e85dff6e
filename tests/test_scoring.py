"""The one scorer: bad input, missing items, and the invariants every score keeps."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import math
import types
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import resilience as rs
from resilience._scoring import band_of, compile_instrument, score
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.errors import AnswerProblem
from resilience.testing.strategies import answers_for, instruments
from test_instruments import any_instrument

ENGINE = rs.Engine(load_installed=False)
UCLA = {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3}


def problems_of(instrument_id: str, answers: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(rs.InvalidAnswersError) as caught:
        ENGINE.score(instrument_id, answers)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, rs.ResilienceError)
    for problem in error.problems:
        assert problem.instrument_id == instrument_id
        assert str(problem) in str(error)
    return [(p.item_id, p.kind) for p in error.problems]


# -- bad input ----------------------------------------------------------------------------


def test_every_problem_is_listed_at_once_with_instrument_and_item() -> None:
    answers = {
        "brs-1": 0,  # not on the 1-5 scale
        "brs-2": True,  # a bool is not a number
        "brs-3": "3",  # a string is not a number
        "brs-4": math.nan,
        "brs-5": [4],  # unhashable
        "brs-6": 2.5,  # a number between two options
        "brs-7": 3,  # no such item
    }
    assert problems_of("brs", answers) == [
        ("brs-7", "unknown-item"),
        ("brs-1", "out-of-range"),
        ("brs-2", "wrong-type"),
        ("brs-3", "wrong-type"),
        ("brs-4", "out-of-range"),
        ("brs-5", "wrong-type"),
        ("brs-6", "out-of-range"),
    ]


def test_messages_name_the_allowed_values_and_the_known_items() -> None:
    with pytest.raises(rs.InvalidAnswersError) as caught:
        ENGINE.score("ucla-3", {"ucla-1": 4, "ucla-2": 1, "ucla-3": 1, "lonely": 1})
    text = str(caught.value)
    assert "ucla-3/ucla-1: 4 is not one of the scale's values (1, 2, 3)" in text
    assert "no item 'lonely' in ucla-3; items: ucla-1, ucla-2, ucla-3" in text
    assert text.startswith("2 problems with the answers:")


@pytest.mark.parametrize("value", [True, False])
def test_a_bool_is_never_taken_for_a_number(value: bool) -> None:
    # True == 1 and False == 0 are both on the LSNS-6 scale; they must still be refused.
    answers = {f"lsns-{i}": 1 for i in range(1, 7)} | {"lsns-2": value}
    assert problems_of("lsns-6", answers) == [("lsns-2", "wrong-type")]


def test_too_many_missing_is_a_problem_of_the_whole_set_listing_the_items() -> None:
    with pytest.raises(rs.InvalidAnswersError) as caught:
        ENGINE.score("brs", {"brs-1": 3, "brs-2": None, "brs-3": 3, "brs-4": 3})
    (problem,) = caught.value.problems
    assert (problem.item_id, problem.kind) == (None, "too-many-missing")
    assert "brs-2, brs-5, brs-6" in problem.message
    assert "at most 1 may be missing" in problem.message


def test_missing_and_wrong_values_are_reported_together() -> None:
    assert problems_of("ucla-3", {"ucla-1": 7}) == [
        ("ucla-1", "out-of-range"),
        (None, "too-many-missing"),
    ]


@pytest.mark.parametrize("answers", [[("ucla-1", 1)], "ucla-1=1", None, 3, {1, 2, 3}])
def test_answers_that_are_not_a_mapping(answers: Any) -> None:
    assert problems_of("ucla-3", answers) == [(None, "wrong-type")]


def test_non_string_keys_are_unknown_items() -> None:
    assert problems_of("ucla-3", UCLA | {1: 1}) == [("1", "unknown-item")]


def test_any_mapping_is_accepted_and_floats_equal_to_a_value_count_as_it() -> None:
    proxy = types.MappingProxyType({"ucla-1": 1.0, "ucla-2": 2, "ucla-3": 3})
    assert ENGINE.score("ucla-3", proxy) == ENGINE.score("ucla-3", UCLA)


def test_none_means_missing_exactly_like_an_absent_item() -> None:
    answers = {"brs-1": 4, "brs-2": 2, "brs-3": 4, "brs-4": 2, "brs-5": 4}
    assert ENGINE.score("brs", answers) == ENGINE.score("brs", answers | {"brs-6": None})


@given(st.sampled_from(BUILTIN_INSTRUMENTS), st.data())
def test_the_callers_answers_are_never_changed(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    answers = data.draw(answers_for(instrument))
    if data.draw(st.booleans()):  # make some of them bad as well
        answers[instrument.items[0].id] = data.draw(st.sampled_from([99, "x", True, [1]]))
        answers["not-an-item"] = 1
    before = copy.deepcopy(answers)
    with contextlib.suppress(rs.InvalidAnswersError):
        ENGINE.score(instrument.id, answers)
    assert answers == before
    assert [type(v) for v in answers.values()] == [type(v) for v in before.values()]


# -- the score's contents ----------------------------------------------------------------


def test_the_score_carries_its_provenance() -> None:
    result = ENGINE.score("ucla-3", UCLA)
    instrument = ENGINE.instruments["ucla-3"]
    assert (result.instrument_id, result.version, result.key_hash) == (
        "ucla-3",
        instrument.version,
        instrument.key_hash,
    )
    assert result.total_range == instrument.total_range
    assert result.higher_is_better is False
    assert result.items == {"ucla-1": 1.0, "ucla-2": 2.0, "ucla-3": 3.0}
    assert result.missing == ()
    assert isinstance(result.total, float)


@given(any_instrument, st.data())
def test_a_score_is_an_ordinary_equal_hashable_value(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    result = compile_instrument(instrument).score(data.draw(answers_for(instrument)))
    rebuilt = attrs.evolve(result)  # through InstrumentScore's own constructor
    assert rebuilt == result
    assert hash(rebuilt) == hash(result)
    assert type(result) is rs.InstrumentScore
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.total = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.subscales["x"] = 1.0  # type: ignore[index]
    assert rs.from_json(rs.to_json(result), rs.InstrumentScore) == result


def test_score_function_and_compiled_key_agree_with_the_engine() -> None:
    instrument = ENGINE.instruments["mspss"]
    answers = {f"mspss-{i}": (i % 7) + 1 for i in range(1, 13)}
    assert score(instrument, answers) == compile_instrument(instrument).score(answers)
    assert score(instrument, answers) == ENGINE.score("mspss", answers)


def test_band_of() -> None:
    bands = (rs.Band("low", "L", 3, upper_inclusive=False), rs.Band("high", "H", 7))
    assert [band_of(bands, v) for v in (1, 2.999, 3, 7)] == ["low", "low", "high", "high"]
    assert band_of(bands, 7.5) is None
    assert band_of((), 1) is None


# -- missing-item rules (generic) --------------------------------------------------------

_SCALE = rs.ResponseScale("s", [rs.ResponseOption(v, f"o{v}") for v in (1, 2, 3, 4)])


def _quiz(**changes: Any) -> rs.Instrument:
    fields: dict[str, Any] = {
        "id": "quiz",
        "name": "Quiz",
        "version": "1",
        "items": [rs.Item(f"q{i}", f"q{i}") for i in range(1, 5)],
        "scale": _SCALE,
    }
    return rs.Instrument(**(fields | changes))


def test_a_sum_with_missing_items_is_prorated_to_the_full_count() -> None:
    quiz = _quiz(missing=rs.MissingPolicy(max_missing=1))
    result = score(quiz, {"q1": 1, "q2": 2, "q3": 3})
    assert result.total == 8.0  # mean 2 of the three answered, times 4 items
    assert result.missing == ("q4",)


def test_a_mean_with_missing_items_averages_the_answered_ones() -> None:
    quiz = _quiz(method=rs.ScoringMethod.MEAN, missing=rs.MissingPolicy(max_missing=2))
    assert score(quiz, {"q1": 1, "q3": 4}).total == 2.5


def test_subscales_follow_their_own_missing_limit() -> None:
    quiz = _quiz(
        subscales=[rs.Subscale("ab", "AB", ("q1", "q2")), rs.Subscale("cd", "CD", ("q3", "q4"))],
        missing=rs.MissingPolicy(max_missing=2, subscale_max_missing=1),
    )
    one_gap = score(quiz, {"q1": 4, "q3": 2, "q4": 3})
    assert one_gap.subscales == {"ab": 8.0, "cd": 5.0}  # "ab" prorated from q1
    two_gaps = score(quiz, {"q3": 2, "q4": 3})
    assert two_gaps.subscales == {"cd": 5.0}  # "ab" has nothing answered: left out
    assert two_gaps.total == 10.0


# -- properties ----------------------------------------------------------------------------


@given(any_instrument, st.data())
def test_every_score_lies_in_the_declared_range(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    result = compile_instrument(instrument).score(data.draw(answers_for(instrument)))
    low, high = instrument.total_range
    assert low <= result.total <= high
    assert set(result.subscales) <= {s.id for s in instrument.subscales}
    for subscale_id, value in result.subscales.items():
        sub_low, sub_high = instrument.subscale_range(subscale_id)
        assert sub_low <= value <= sub_high
        assert 0.0 <= result.strength(subscale_id) <= 100.0
    assert 0.0 <= result.strength() <= 100.0
    if instrument.bands:
        assert result.band in {band.id for band in instrument.bands}
    else:
        assert result.band is None
    assert set(result.missing) | set(result.items) == {item.id for item in instrument.items}


def keyed(instrument: rs.Instrument, item: rs.Item, value: float) -> float:
    """What an answer counts as, read straight from the definition."""
    if item.recode is not None:
        return item.recode[value]
    scale = instrument.scale_of(item)
    return scale.minimum + scale.maximum - value if item.reverse else value


@given(any_instrument, st.data())
def test_moving_one_answer_the_worse_way_never_improves_strength(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    answers = data.draw(answers_for(instrument))
    answered = [item for item in instrument.items if answers.get(item.id) is not None]
    item = data.draw(st.sampled_from(answered))
    current = keyed(instrument, item, answers[item.id])
    # "Worse" means less strength: a lower keyed score, or a higher one on a scale where
    # higher means more strain (loneliness).
    worse = [
        value
        for value in instrument.scale_of(item).values
        if (keyed(instrument, item, value) < current) == instrument.higher_is_better
        and keyed(instrument, item, value) != current
    ]
    assume(worse)
    moved = answers | {item.id: data.draw(st.sampled_from(worse))}
    key = compile_instrument(instrument)
    before, after = key.score(answers), key.score(moved)
    assert after.strength() <= before.strength()
    for subscale_id in instrument.subscales_of(item.id):
        if subscale_id in before.subscales:
            assert after.strength(subscale_id) <= before.strength(subscale_id)


@given(instruments(), st.data())
def test_scoring_does_not_depend_on_the_order_of_the_answers(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    answers = data.draw(answers_for(instrument))
    shuffled = dict(data.draw(st.permutations(list(answers.items()))))
    key = compile_instrument(instrument)
    assert key.score(shuffled) == key.score(answers)


def test_answer_problem_text() -> None:
    problem = AnswerProblem("brs", None, "too-many-missing", "2 items unanswered")
    assert str(problem) == "brs: 2 items unanswered [too-many-missing]"


# -- the generated path for complete answers ----------------------------------------------
# Each compiled instrument scores complete, valid answer sets with generated straight-line
# code and hands everything else to the general path. These tests hold the two to exactly
# the same results (the general path is reached directly only here, on purpose).

_ODD_VALUES: list[Any] = [None, 99, -1, 2.5, "1", True, False, [1], float("nan")]


def _outcome(function: Any, answers: Any) -> Any:
    try:
        return function(answers)
    except rs.InvalidAnswersError as error:
        return [str(problem) for problem in error.problems]


@given(any_instrument, st.data())
def test_generated_and_general_paths_give_identical_results(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    key = compile_instrument(instrument)
    answers: dict[Any, Any] = data.draw(answers_for(instrument))
    ids = [item.id for item in instrument.items]
    for _ in range(data.draw(st.integers(0, 2))):  # sometimes spoil the set
        target = data.draw(st.sampled_from([*ids, "not-an-item", 7]))
        answers[target] = data.draw(st.sampled_from(_ODD_VALUES))
    if data.draw(st.booleans()):
        answers = types.MappingProxyType(answers)  # type: ignore[assignment]
    fast, general = _outcome(key.score, answers), _outcome(key._score_general, answers)
    assert fast == general
    if isinstance(fast, rs.InstrumentScore):
        assert general.__class__ is rs.InstrumentScore
        assert attrs.asdict(fast) == attrs.asdict(general)  # field by field, types alike
        assert [type(v) for v in attrs.astuple(fast)] == [type(v) for v in attrs.astuple(general)]


def test_fractional_item_scores_are_summed_exactly_on_both_paths() -> None:
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in plain float addition; the scorer sums with
    # math.fsum wherever item scores are not whole numbers, so the total is 0.6 exactly.
    scale = rs.ResponseScale("s", (rs.ResponseOption(1, "a"), rs.ResponseOption(2, "b")))
    items = tuple(rs.Item(f"i{n}", f"item {n}", recode={1: 0.0, 2: n / 10}) for n in (1, 2, 3))
    instrument = rs.Instrument(
        id="fractions",
        name="Fractions",
        version="1",
        items=items,
        scale=scale,
        subscales=(rs.Subscale("all", "All", ("i1", "i2", "i3")),),
        missing=rs.MissingPolicy(max_missing=1, prorate=False),
    )
    key = compile_instrument(instrument)
    complete = key.score({"i1": 2, "i2": 2, "i3": 2})
    assert complete.total == 0.6
    assert complete.subscales == {"all": 0.6}
    assert key.score({"i1": 2, "i2": 2, "i3": None}).total == math.fsum([0.1, 0.2])


def test_definition_text_never_becomes_code() -> None:
    # Ids, labels and band names are bound as values of the generated function, never
    # written into its source: text that would break (or run as) Python scores normally.
    odd = "x'\"\n) or __import__('os').abort() #{"
    scale = rs.ResponseScale(odd, (rs.ResponseOption(1, odd), rs.ResponseOption(2, odd + "2")))
    instrument = rs.Instrument(
        id=odd,
        name=odd,
        version=odd,
        items=(rs.Item(odd, odd), rs.Item(odd + "b", odd, reverse=True)),
        scale=scale,
        subscales=(rs.Subscale(odd, odd, (odd,), bands=(rs.Band(odd, odd, 2),)),),
        bands=(rs.Band(odd + "low", odd, 3, upper_inclusive=False), rs.Band(odd, odd, 4)),
    )
    result = compile_instrument(instrument).score({odd: 2, odd + "b": 2})
    assert (result.instrument_id, result.version) == (odd, odd)
    assert (result.total, result.band) == (3.0, odd)
    assert result.subscales == {odd: 2.0}
    assert result.subscale_bands == {odd: odd}
    assert result.items == {odd: 2.0, odd + "b": 1.0}


def test_dict_subclasses_and_stored_answers_score_like_a_plain_dict() -> None:
    class Answers(dict[str, int]):
        pass

    answers = {f"mspss-{i}": (i % 7) + 1 for i in range(1, 13)}
    expected = ENGINE.score("mspss", answers)
    assert ENGINE.score("mspss", Answers(answers)) == expected
    taken = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    stored = rs.Assessment("p", taken, {"mspss": answers}).answers["mspss"]
    assert type(stored) is not dict  # a read-only mapping, scored the same way
    assert ENGINE.score("mspss", stored) == expected


@pytest.mark.parametrize("yes_no", ["python", "numpy"])
@pytest.mark.parametrize("others", [{"ucla-2": 2, "ucla-3": 1}, {"ucla-2": 2}])
def test_a_yes_no_is_refused_as_an_answer_even_though_it_equals_one(
    yes_no: str, others: dict[str, int]
) -> None:
    import numpy as np  # from the test extra

    value = True if yes_no == "python" else np.True_
    engine = rs.Engine(load_installed=False)
    with pytest.raises(rs.InvalidAnswersError, match=r"ucla-1: .*True_? is a bool.*wrong-type"):
        engine.score("ucla-3", {"ucla-1": value, **others})


def test_numpy_numbers_score_as_the_numbers_they_hold() -> None:
    import numpy as np

    engine = rs.Engine(load_installed=False)
    plain = engine.score("ucla-3", {"ucla-1": 1, "ucla-2": 2, "ucla-3": 3})
    for kind in (np.int64, np.int8, np.float64, np.float32):
        answers = {"ucla-1": kind(1), "ucla-2": kind(2), "ucla-3": kind(3)}
        assert engine.score("ucla-3", answers) == plain
    with pytest.raises(rs.InvalidAnswersError, match=r"not one of the scale's values"):
        engine.score("ucla-3", {"ucla-1": np.int64(7), "ucla-2": 2, "ucla-3": 3})
