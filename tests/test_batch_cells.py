"""Cell by cell, every way into the batch kernel gives what the per-answer scorer gives.

For random instruments (built-in and generated, with subscales scored alone or not, with
band edges put exactly on scores that occur) and random answer matrices (items left out
anywhere, so that many rows have too many missing; a few cells off the scale or of the
wrong type), each row's total, band, every subscale and subscale band, validity, item
scores and problems are compared with what the scorer says about that row's answers, as
a numpy array (objects, floats with ``NaN``, floats with a ``-9`` marker), a pandas
DataFrame and an Arrow table.

A row the scorer refuses must come out as the batch API documents a refused row: ``NaN``
for the total and every subscale, ``None`` for every band, not valid, and the scorer's
problems, word for word. A row whose subscales the scorer scores alone (no total) has
them, and ``too-many-missing`` as the reason it has no total.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import batch
from resilience._scoring import compile_instrument
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.errors import InvalidAnswersError
from resilience.testing import strategies as rst

MARKER = -9  # on no generated or built-in scale (their values lie within -2..14)


def _same_float(got: float, wanted: float | None) -> bool:
    # The very same float: equal, and of the same sign (0.0 is not -0.0); NaN for None.
    if wanted is None:
        return math.isnan(got)
    return got == wanted and math.copysign(1.0, got) == math.copysign(1.0, wanted)


def _achievable_bands(
    draw: st.DrawFn, scores: list[float], span: tuple[float, float], prefix: str
) -> tuple[rs.Band, ...]:
    # Bands whose edges are scores that occur, so that rows land exactly on an edge.
    low, high = span
    inside = sorted({s for s in scores if low <= s < high})
    if not inside:
        return ()
    cuts = sorted(set(draw(st.lists(st.sampled_from(inside), min_size=1, max_size=3))))
    below = [
        rs.Band(f"{prefix}{n}", f"Band {n}", cut, upper_inclusive=draw(st.booleans()))
        for n, cut in enumerate(cuts)
    ]
    return (*below, rs.Band(f"{prefix}top", "Top", high))


@st.composite
def instruments(draw: st.DrawFn) -> rs.Instrument:
    """A built-in instrument, or a generated one, possibly scoring its subscales alone."""
    if draw(st.booleans()):
        return draw(st.sampled_from(BUILTIN_INSTRUMENTS))
    instrument = draw(rst.instruments())
    if instrument.subscales and draw(st.booleans()):
        alone = attrs.evolve(instrument.missing, subscales_alone=True)
        instrument = attrs.evolve(instrument, missing=alone)
    if draw(st.booleans()):
        # Band edges exactly on scores the scorer gives (with and without missing items).
        key = compile_instrument(instrument)
        samples = [key.score(a) for a in draw(st.lists(rst.answers_for(instrument), max_size=8))]
        totals = [s.total for s in samples if s.total is not None]
        subscales = tuple(
            attrs.evolve(
                sub,
                bands=_achievable_bands(
                    draw,
                    [s.subscales[sub.id] for s in samples if sub.id in s.subscales],
                    instrument.subscale_range(sub.id),
                    f"{sub.id}-",
                ),
            )
            for sub in instrument.subscales
        )
        instrument = attrs.evolve(
            instrument,
            bands=_achievable_bands(draw, totals, instrument.total_range, "t"),
            subscales=subscales,
        )
    return instrument


@st.composite
def answer_rows(draw: st.DrawFn, instrument: rs.Instrument) -> list[list[Any]]:
    """Rows of cells in the instrument's item order; ``None`` is an item left out."""
    count = len(instrument.items)
    rows = []
    for _ in range(draw(st.integers(1, 10))):
        gaps = draw(st.sets(st.integers(0, count - 1)))
        spoiled = (
            draw(st.sets(st.integers(0, count - 1), max_size=2))
            if draw(st.integers(0, 3)) == 0
            else set()
        )
        row: list[Any] = []
        for column, item in enumerate(instrument.items):
            values = instrument.scale_of(item).values
            if column in spoiled:
                row.append(
                    draw(
                        st.sampled_from(
                            [min(values) - 1, max(values) + 1, max(values) + 0.5, 10**6]
                        )
                        | st.sampled_from(["often", "", True])
                    )
                )
            elif column in gaps:
                row.append(None)
            else:
                row.append(draw(st.sampled_from(values)))
        rows.append(row)
    return rows


def _arrow_column(values: list[Any]) -> pa.Array:
    # A column of numbers (and nulls) as numbers; one holding anything else as text.
    if all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values):
        return pa.array(
            values, type=pa.float64() if any(isinstance(v, float) for v in values) else None
        )
    return pa.array([None if v is None else str(v) for v in values])


def _answers(instrument: rs.Instrument, row: list[Any]) -> dict[str, Any]:
    # The answer set a row holds; NaN (an empty cell) is an item left out.
    return {
        item.id: None if isinstance(value, float) and math.isnan(value) else value
        for item, value in zip(instrument.items, row, strict=True)
    }


def assert_rows_match_the_scorer(
    instrument: rs.Instrument, scores: batch.BatchScores, rows: list[dict[str, Any]]
) -> None:
    key = compile_instrument(instrument)
    assert len(scores) == len(rows)
    for r, answers in enumerate(rows):
        where = (instrument.id, r, answers)
        got_subscales = {sub_id: float(v[r]) for sub_id, v in scores.subscales.items()}
        got_bands = {sub_id: v[r] for sub_id, v in scores.subscale_bands.items()}
        assert set(got_subscales) == {s.id for s in instrument.subscales}
        assert set(got_bands) == {s.id for s in instrument.subscales if s.bands}
        problems = scores.problems.get(r, ())
        gaps = [i for i, value in answers.items() if value is None]
        unanswered = [
            i for i, gap in zip(scores.item_ids, scores.unanswered[r], strict=True) if gap
        ]
        assert unanswered == gaps, where
        try:
            expected = key.score(answers)
        except InvalidAnswersError as error:
            refusal = list(error.problems)
        else:
            refusal = None
        if refusal is not None:
            # Refused: NaN and None wherever a score or band would be, the scorer's words.
            assert list(problems) == refusal, where
            assert not scores.valid[r], where
            assert math.isnan(scores.total[r]), where
            assert scores.band[r] is None, where
            assert all(math.isnan(v) for v in got_subscales.values()), (where, got_subscales)
            assert all(b is None for b in got_bands.values()), (where, got_bands)
            # Item scores: NaN where unanswered or invalid, else the item's keyed score.
            invalid = {p.item_id for p in refusal if p.item_id is not None}
            filled = {
                i: (v if v is not None and i not in invalid else _a_value(instrument, i))
                for i, v in answers.items()
            }
            keyed = key.score(filled).items
            for item_id, value in zip(scores.item_ids, scores.items[r], strict=True):
                if answers[item_id] is None or item_id in invalid:
                    assert math.isnan(value), (where, item_id)
                else:
                    assert _same_float(float(value), keyed[item_id]), (where, item_id)
            continue
        assert _same_float(float(scores.total[r]), expected.total), (where, scores.total[r])
        assert scores.band[r] == expected.band, where
        for sub_id, value in got_subscales.items():
            assert _same_float(value, expected.subscales.get(sub_id)), (where, sub_id, value)
        for sub_id, band in got_bands.items():
            assert band == expected.subscale_bands.get(sub_id), (where, sub_id, band)
        items = {
            i: float(v) for i, v in zip(scores.item_ids, scores.items[r], strict=True) if v == v
        }
        assert items == dict(expected.items), where
        if expected.total is None:
            # Subscales scored alone: not valid, and the reason is the missing items.
            assert not scores.valid[r], where
            (problem,) = problems
            assert (problem.item_id, problem.kind) == (None, "too-many-missing"), where
            assert problem.message.startswith(
                f"{len(gaps)} items unanswered ({', '.join(gaps)}); "
                f"at most {instrument.missing.max_missing} may be missing"
            ), where
            assert "no subscale" not in problem.message, where
        else:
            assert scores.valid[r], (where, problems)
            assert not problems, (where, problems)


def _a_value(instrument: rs.Instrument, item_id: str) -> Any:
    item = next(item for item in instrument.items if item.id == item_id)
    return instrument.scale_of(item).values[0]


def _check_every_way(instrument: rs.Instrument, rows: list[list[Any]]) -> None:
    ids = [item.id for item in instrument.items]
    matrix = np.empty((len(rows), len(ids)), dtype=object)
    matrix[:, :] = rows
    as_given = [_answers(instrument, row) for row in rows]
    assert_rows_match_the_scorer(instrument, batch.score_array(instrument, matrix), as_given)

    if all(v is None or not isinstance(v, str | bool) for row in rows for v in row):
        numbers = np.array([[math.nan if v is None else v for v in row] for row in rows], float)
        floats = [_answers(instrument, list(row)) for row in numbers.tolist()]
        assert_rows_match_the_scorer(instrument, batch.score_array(instrument, numbers), floats)
        coded = np.where(np.isnan(numbers), MARKER, numbers)
        assert_rows_match_the_scorer(
            instrument, batch.score_array(instrument, coded, missing=MARKER), floats
        )

    frame = pd.DataFrame(matrix, columns=ids).infer_objects()
    cells = frame.astype(object).to_numpy().tolist()
    assert_rows_match_the_scorer(
        instrument,
        batch.score_frame(instrument, frame),
        [_answers(instrument, row) for row in cells],
    )

    table = pa.table({i: _arrow_column([row[c] for row in rows]) for c, i in enumerate(ids)})
    held = [[record[i] for i in ids] for record in table.to_pylist()]
    assert_rows_match_the_scorer(
        instrument, batch.score_table(instrument, table), [_answers(instrument, r) for r in held]
    )


@settings(max_examples=300)
@given(st.data())
def test_every_cell_of_every_row_is_what_the_scorer_gives(data: st.DataObject) -> None:
    instrument = data.draw(instruments(), label="instrument")
    _check_every_way(instrument, data.draw(answer_rows(instrument), label="rows"))


@pytest.mark.parametrize("instrument", BUILTIN_INSTRUMENTS, ids=lambda i: i.id)
def test_a_row_with_too_many_missing_has_no_subscale_unless_they_stand_alone(
    instrument: rs.Instrument,
) -> None:
    # The last items left out, one more than the instrument allows: subscales made of
    # the first items keep all of theirs, and still must not be scored unless they
    # stand alone.
    count = len(instrument.items)
    gone = instrument.missing.max_missing + 1
    values = [instrument.scale_of(item).values[-1] for item in instrument.items]
    row: list[Any] = list(values)
    for column in range(count - gone, count):
        row[column] = None
    _check_every_way(instrument, [values, row])


@st.composite
def long_scale_instruments(draw: st.DrawFn) -> rs.Instrument:
    """Recoded items on scales of more values than the kernel compares one by one."""
    count = draw(st.integers(17, 30))
    start = draw(st.integers(-3, 3))
    scale = rs.ResponseScale("long", [rs.ResponseOption(start + n, f"o{n}") for n in range(count)])
    items = [
        rs.Item(
            f"i{n}",
            f"item {n}",
            recode={v: draw(st.integers(0, 5)) for v in scale.values} | {scale.values[0]: 0},
        )
        for n in range(draw(st.integers(1, 5)))
    ]
    items[0] = attrs.evolve(items[0], recode={v: n % 6 for n, v in enumerate(scale.values)})
    ids = [item.id for item in items]
    return rs.Instrument(
        id="long",
        name="Long",
        version="1",
        items=items,
        scale=scale,
        subscales=[rs.Subscale("first", "First", ids[: max(1, len(ids) // 2)])],
        missing=rs.MissingPolicy(max_missing=draw(st.integers(0, len(ids) - 1)), prorate=False),
    )


@settings(max_examples=60)
@given(st.data())
def test_scales_of_many_values_are_keyed_as_the_scorer_keys_them(data: st.DataObject) -> None:
    instrument = data.draw(long_scale_instruments(), label="instrument")
    _check_every_way(instrument, data.draw(answer_rows(instrument), label="rows"))
