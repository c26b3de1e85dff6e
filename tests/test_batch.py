"""The batch kernel gives, row by row, exactly what ``Engine.score`` gives for each answer set."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import batch
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.errors import BatchInputError, InvalidAnswersError
from resilience.testing import strategies as rst

ENGINE = rs.Engine(load_installed=False)


class _Registers:
    """A plugin that registers one instrument, as a host app or a third party would."""

    def __init__(self, instrument: rs.Instrument) -> None:
        self.instrument = instrument

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        register(self.instrument)


def _engine_for(instrument: rs.Instrument) -> rs.Engine:
    if ENGINE.instruments.get(instrument.id) == instrument:
        return ENGINE
    return rs.Engine(plugins=[_Registers(instrument)], load_installed=False)


def _nan_to_none(value: float) -> float | None:
    return None if math.isnan(value) else value


def assert_row_matches(
    scores: batch.BatchScores, row: int, engine: rs.Engine, answers: dict[str, Any]
) -> None:
    """Row ``row`` of ``scores`` says what ``engine.score`` says about ``answers``."""
    instrument_id = scores.instrument_id
    try:
        expected = engine.score(instrument_id, answers)
    except InvalidAnswersError as error:
        wanted = [(p.item_id, p.kind) for p in error.problems]
        got = [(p.item_id, p.kind) for p in scores.problems.get(row, ())]
        assert got == wanted, (answers, got, wanted)
        assert math.isnan(scores.total[row])
        assert scores.band[row] is None
        return
    # Scored: the same total, band, subscales, subscale bands, item scores and missing.
    total = getattr(expected, "total", None)
    assert _nan_to_none(float(scores.total[row])) == total, answers
    if total is None:  # a definition that scores subscales without a total
        assert [p.kind for p in scores.problems[row]] == ["too-many-missing"]
    else:
        assert row not in scores.problems, (answers, scores.problems.get(row))
    assert scores.band[row] == expected.band
    subscales = {
        sub_id: float(values[row])
        for sub_id, values in scores.subscales.items()
        if not math.isnan(values[row])
    }
    assert subscales == dict(expected.subscales), answers
    bands = {
        sub_id: values[row]
        for sub_id, values in scores.subscale_bands.items()
        if values[row] is not None
    }
    assert bands == dict(expected.subscale_bands)
    items = {
        item_id: float(value)
        for item_id, value in zip(scores.item_ids, scores.items[row], strict=True)
        if not math.isnan(value)
    }
    assert items == dict(expected.items)
    unanswered = tuple(
        item_id for item_id, gap in zip(scores.item_ids, scores.unanswered[row], strict=True) if gap
    )
    assert unanswered == tuple(expected.missing)


def _rows_for(instrument: rs.Instrument) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = rst.answers_for(instrument) | rst.answers_with_problems(instrument)
    return st.lists(row, min_size=1, max_size=12)


def _object_matrix(instrument: rs.Instrument, rows: list[dict[str, Any]]) -> np.ndarray:
    matrix = np.empty((len(rows), len(instrument.items)), dtype=object)
    for r, answers in enumerate(rows):
        for c, item in enumerate(instrument.items):
            matrix[r, c] = answers.get(item.id)
    return matrix


def _check_all_ways(instrument: rs.Instrument, rows: list[dict[str, Any]]) -> None:
    engine = _engine_for(instrument)
    matrix = _object_matrix(instrument, rows)
    from_array = batch.score_array(instrument, matrix)
    frame = pd.DataFrame(matrix, columns=[item.id for item in instrument.items])
    from_frame = batch.score_frame(instrument, frame)
    for r, answers in enumerate(rows):
        assert_row_matches(from_array, r, engine, answers)
        assert_row_matches(from_frame, r, engine, answers)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
@pytest.mark.parametrize("instrument", BUILTIN_INSTRUMENTS, ids=lambda i: i.id)
def test_every_builtin_instrument_scores_row_by_row_like_the_engine(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    _check_all_ways(instrument, data.draw(_rows_for(instrument)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_plugin_instruments_score_row_by_row_like_the_engine(data: st.DataObject) -> None:
    instrument = data.draw(rst.instruments())
    _check_all_ways(instrument, data.draw(_rows_for(instrument)))


def _fractional_instrument() -> rs.Instrument:
    # Scores of 0.1 and 0.7 are not sums a float holds exactly: rows go through fsum.
    scale = rs.ResponseScale("three", [rs.ResponseOption(v, f"o{v}") for v in (1, 2, 3)])
    items = [rs.Item(f"f{n}", f"item {n}", recode={1: 0.1, 2: 0.7, 3: 1.3}) for n in range(5)]
    return rs.Instrument(
        id="fractions",
        name="Fractions",
        version="1",
        items=items,
        scale=scale,
        subscales=[rs.Subscale("odd", "Odd", ["f1", "f3"])],
        missing=rs.MissingPolicy(max_missing=2, subscale_max_missing=1),
        bands=[rs.Band("low", "Low", 2.5), rs.Band("high", "High", 6.5)],
    )


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_fractional_item_scores_add_up_as_the_engine_adds_them(data: st.DataObject) -> None:
    instrument = _fractional_instrument()
    _check_all_ways(instrument, data.draw(_rows_for(instrument)))


def test_a_numeric_array_uses_the_declared_missing_marker() -> None:
    brs = ENGINE.instruments["brs"]
    coded = np.array([[4, 2, 4, 2, 4, -9], [4, -9, 4, 2, 4, -9], [4, 2, 4, 2, 4, np.nan]])
    scores = batch.score_array(brs, coded, missing=-9)
    five = {"brs-1": 4, "brs-2": 2, "brs-3": 4, "brs-4": 2, "brs-5": 4}
    assert scores.total[0] == ENGINE.score("brs", five).total == 4.0
    assert scores.n_missing.tolist() == [1, 2, 0]
    assert [p.kind for p in scores.problems[1]] == ["too-many-missing"]
    # With -9 declared, NaN is not a marker: it is off the scale, reported, not dropped.
    assert [(p.item_id, p.kind) for p in scores.problems[2]] == [("brs-6", "out-of-range")]
    default = batch.score_array(brs, coded)
    assert default.n_missing.tolist() == [0, 0, 1]
    assert [p.kind for p in default.problems[0]] == ["out-of-range"]


def test_bool_and_text_arrays_are_of_the_wrong_type() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    flags = batch.score_array(ucla, np.array([[True, True, False]]))
    assert [p.kind for p in flags.problems[0]] == ["wrong-type"] * 3
    text = batch.score_array(ucla, np.array([["1", "2", "3"]]))
    assert [p.kind for p in text.problems[0]] == ["wrong-type"] * 3
    assert "'1' is a str" in text.problem_text()[0]


def test_a_column_mapping_and_extra_columns() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    frame = pd.DataFrame({"person": ["a", "b"], "q1": [1, 3], "ucla-2": [1, 3], "ucla-3": [2, 3]})
    scores = batch.score_frame(ucla, frame, columns={"ucla-1": "q1"})
    assert scores.total.tolist() == [4.0, 9.0]
    with pytest.raises(BatchInputError, match="no column for item ucla-1"):
        batch.score_frame(ucla, frame)
    with pytest.raises(BatchInputError, match="items the instrument does not have: nope"):
        batch.score_frame(ucla, frame, columns={"nope": "q1"})


def test_nullable_pandas_and_arrow_columns_match_the_engine() -> None:
    lsns = ENGINE.instruments["lsns-6"]
    rows = [[1, 2, 3, 4, 5, 0], [1, None, 3, 4, 5, 0], [9, 2, 3, 4, 5, 0]]
    names = [item.id for item in lsns.items]
    frame = pd.DataFrame(rows, columns=names).astype("Int64")
    table = pa.table({name: [row[n] for row in rows] for n, name in enumerate(names)})
    for scores in (batch.score_frame(lsns, frame), batch.score_table(lsns, table)):
        for r, row in enumerate(rows):
            assert_row_matches(scores, r, ENGINE, dict(zip(names, row, strict=True)))


def test_arrow_text_column_cells_are_of_the_wrong_type() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    table = pa.table({"ucla-1": ["1", None], "ucla-2": [1, 1], "ucla-3": [1, 1]})
    scores = batch.score_table(ucla, table)
    assert [(p.item_id, p.kind) for p in scores.problems[0]] == [("ucla-1", "wrong-type")]
    assert [p.kind for p in scores.problems[1]] == ["too-many-missing"]


def test_input_errors_name_what_is_wrong() -> None:
    lsns = ENGINE.instruments["lsns-6"]
    with pytest.raises(BatchInputError, match="missing marker 0 is a value of the scale"):
        batch.score_array(lsns, np.zeros((1, 6)), missing=0)
    with pytest.raises(BatchInputError, match="lsns-6 has 6 items"):
        batch.score_array(lsns, np.zeros((2, 5)))
    with pytest.raises(BatchInputError, match="2-D"):
        batch.score_array(lsns, np.array(["a", "b"]))
    assert issubclass(BatchInputError, rs.ResilienceError)
    assert issubclass(BatchInputError, ValueError)


def test_an_empty_batch_has_the_declared_columns() -> None:
    djg = ENGINE.instruments["djg-6"]
    scores = batch.score_array(djg, np.empty((0, 6)))
    assert len(scores) == 0
    frame = scores.to_pandas()
    assert list(frame.columns) == list(batch.partition_meta(djg).columns)


def test_score_partition_keeps_the_index_and_the_kept_columns() -> None:
    ucla = ENGINE.instruments["ucla-3"]
    frame = pd.DataFrame(
        {"id": ["x", "y"], "ucla-1": [1, 3], "ucla-2": [1, 3], "ucla-3": [1, 3]}, index=[10, 20]
    )
    out = batch.score_partition(frame, ucla, keep=["id"])
    assert out.index.tolist() == [10, 20]
    assert out["id"].tolist() == ["x", "y"]
    assert out["total"].tolist() == [3.0, 9.0]
    meta = batch.partition_meta(ucla, frame, keep=["id"])
    assert list(meta.columns) == list(out.columns)
    assert meta.dtypes.astype(str).tolist() == out.dtypes.astype(str).tolist()


def test_a_large_batch_scores_every_row_as_the_engine_does() -> None:
    # More rows than the kernel handles in one block: rows on both sides of a block's
    # edge, spoiled ones among them, keep their own scores and problems.
    mspss = ENGINE.instruments["mspss"]
    rng = np.random.default_rng(14)
    answers = rng.integers(1, 8, size=(9_000, 12)).astype(float)
    answers[rng.random(answers.shape) < 0.01] = np.nan
    answers[rng.random(answers.shape) < 0.002] = 8
    scores = batch.score_array(mspss, answers)
    names = [item.id for item in mspss.items]
    rows = [*range(4090, 4100), *range(8185, 8200), *rng.integers(0, 9_000, 200).tolist()]
    for row in rows:
        given = {
            name: None if math.isnan(value) else int(value)
            for name, value in zip(names, answers[row], strict=True)
        }
        assert_row_matches(scores, row, ENGINE, given)
    assert len(scores.problems) == int((~scores.valid).sum()) > 0


def test_a_reverse_key_around_zero_is_still_a_reverse_key() -> None:
    # -1..1 reversed is -x: an offset of 0, but not the answers as they are.
    scale = rs.ResponseScale("pm", [rs.ResponseOption(-1, "no"), rs.ResponseOption(1, "yes")])
    flip = rs.Instrument(
        id="flip", name="Flip", version="1", items=[rs.Item("a", "a", reverse=True)], scale=scale
    )
    assert batch.score_array(flip, np.array([[-1], [1]])).total.tolist() == [1.0, -1.0]


def test_subscales_scored_alone_stand_without_a_total() -> None:
    # DJG-6: with two items missing the total is not scored, but a subscale whose own
    # three items are all answered still is, exactly as Engine.score does.
    djg = ENGINE.instruments["djg-6"]
    rows = [
        {"djg-1": 3, "djg-2": None, "djg-3": None, "djg-4": 3, "djg-5": 1, "djg-6": 1},
        {"djg-1": None, "djg-2": 3, "djg-3": 3, "djg-4": 1, "djg-5": None, "djg-6": 1},
        {"djg-1": 0, "djg-2": None, "djg-3": None, "djg-4": 3, "djg-5": 1, "djg-6": 1},
    ]
    scores = batch.score_array(djg, _object_matrix(djg, rows))
    for r, answers in enumerate(rows):
        assert_row_matches(scores, r, ENGINE, answers)
    assert math.isnan(scores.total[0])
    assert not math.isnan(scores.subscales["emotional"][0])
    assert scores.valid.tolist() == [False, False, False]
    assert "no subscale" not in scores.problems[0][0].message
    assert "no subscale can be scored" in scores.problems[1][0].message
    assert [p.kind for p in scores.problems[2]] == ["out-of-range"]
    frame = scores.to_pandas()
    assert list(frame.columns) == list(batch.partition_meta(djg).columns)
    assert frame["total"].isna().tolist() == [True, True, True]
