"""Streaming files: chunked CSV and Parquet scoring, and ``resilience score-file``."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import resilience as rs
from batch_cohorts import cohort
from resilience import batch
from resilience.cli import main
from resilience.errors import BatchInputError

ENGINE = rs.Engine(load_installed=False)
MSPSS = ENGINE.instruments["mspss"]
ITEMS = [item.id for item in MSPSS.items]


def _answers(rows: int = 500) -> pd.DataFrame:
    answers = np.nan_to_num(cohort(MSPSS, rows=rows), nan=4.0)  # every item answered
    frame = pd.DataFrame(answers, columns=ITEMS).astype("int64")
    frame.insert(0, "person", [f"p{n:04d}" for n in range(rows)])
    return frame


def _spoil(text: str) -> str:
    # Three rows with what a real export holds: a word, an off-scale code, a blank row.
    lines = text.splitlines()
    person, _, rest = lines[2].split(",", 2)
    lines[2] = f"{person},seven,{rest}"
    lines[3] = lines[3].rsplit(",", 1)[0] + ",9"
    lines[4] = lines[4].split(",", 1)[0] + "," * len(ITEMS)
    return "\n".join(lines) + "\n"


def _same_scores(written: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(written) == len(expected)
    for column in expected.columns:
        got, want = written[column].tolist(), expected[column].tolist()
        for a, b in zip(got, want, strict=True):
            if isinstance(b, float) and math.isnan(b):
                assert a is None or (isinstance(a, float) and math.isnan(a)), column
            else:
                assert a == b or (pd.isna(a) and b is None), (column, a, b)


@pytest.mark.parametrize("chunk_rows", [3, 100_000])
def test_a_csv_scores_the_same_in_any_chunk_size(tmp_path: Path, chunk_rows: int) -> None:
    source = tmp_path / "answers.csv"
    source.write_text(_spoil(_answers(60).to_csv(index=False)))
    summary = batch.score_file(
        MSPSS, source, tmp_path / "out.csv", keep=["person"], chunk_rows=chunk_rows
    )
    written = pd.read_csv(tmp_path / "out.csv", dtype={"person": str})
    assert summary.rows == len(written) == 60
    assert summary.invalid == 3 == int((~written["valid"]).sum())
    # the expected scores: the same rows read and scored in one go
    frame = batch.score_partition(
        pd.read_csv(source, dtype={"person": str}).pipe(
            lambda f: f.assign(**{c: pd.to_numeric(f[c], errors="coerce") for c in ITEMS})
        ),
        MSPSS,
        keep=["person"],
    )
    valid = written["valid"].to_numpy()
    _same_scores(written[valid], frame[valid].drop(columns=["problems"]))
    problems = written["problems"].tolist()
    assert (
        problems[1]
        == "mspss-1: 'seven' is a str; answers are numbers (1, 2, 3, 4, 5, 6, 7) [wrong-type]"
    )
    assert "9 is not one of the scale's values" in problems[2]
    assert "[too-many-missing]" in problems[3]


def test_parquet_in_and_out_keeps_every_row(tmp_path: Path) -> None:
    answers = _answers(300)
    answers.loc[5, "mspss-3"] = pd.NA
    answers.loc[6, "mspss-4"] = 12
    pq.write_table(pa.Table.from_pandas(answers, preserve_index=False), tmp_path / "in.parquet")
    seen: list[tuple[int, int]] = []
    summary = batch.score_file(
        MSPSS,
        tmp_path / "in.parquet",
        tmp_path / "out.parquet",
        keep=["person"],
        chunk_rows=64,
        progress=lambda done, total: seen.append((done, total)),
    )
    written = pq.read_table(tmp_path / "out.parquet").to_pandas()
    expected = batch.score_frame(MSPSS, answers)
    assert summary.rows == 300
    assert written["person"].tolist() == answers["person"].tolist()
    np.testing.assert_array_equal(written["total"].to_numpy(), expected.total)
    assert written["valid"].tolist() == expected.valid.tolist()
    assert seen[-1] == (300, 300)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_unknown_formats_and_columns_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "answers.csv"
    source.write_text("a,b\n1,2\n")
    with pytest.raises(BatchInputError, match=r"give a \.csv or \.parquet file"):
        batch.score_file(MSPSS, tmp_path / "answers.xlsx", tmp_path / "out.csv")
    with pytest.raises(BatchInputError, match="no column for items mspss-1"):
        batch.score_file(MSPSS, source, tmp_path / "out.csv")
    header = ",".join(ITEMS)
    source.write_text(header + "\n" + ",".join(["1"] * 12) + "\n")
    with pytest.raises(BatchInputError, match="no column 'person' to keep"):
        batch.score_file(MSPSS, source, tmp_path / "out.csv", keep=["person"])


def test_an_empty_file_writes_the_header(tmp_path: Path) -> None:
    source = tmp_path / "answers.csv"
    source.write_text(",".join(ITEMS) + "\n")
    summary = batch.score_file(MSPSS, source, tmp_path / "out.csv")
    assert summary.rows == 0
    header = (tmp_path / "out.csv").read_text().splitlines()[0].split(",")
    assert header == list(batch.partition_meta(MSPSS).columns)


def test_the_progress_bar_draws_one_line() -> None:
    out = io.StringIO()
    bar = batch.ProgressBar(out, width=4)
    bar(1, 4)
    bar(4, 4)
    bar.close()
    assert out.getvalue().endswith("[####] 100%\n")


def test_score_file_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "answers.csv"
    source.write_text("id,ucla-1,ucla-2,ucla-3\na,1,2,3\nb,1,-9,3\nc,3,3,4\n")
    output = tmp_path / "scores.csv"
    status = main(["score-file", "ucla-3", str(source), "-o", str(output), "--keep", "id"])
    assert status == 0
    said = capsys.readouterr()
    assert "3 rows scored: 1 valid, 2 with problems" in said.out
    assert said.err == ""  # no progress bar when stderr is not a terminal
    written = pd.read_csv(output)
    assert written["id"].tolist() == ["a", "b", "c"]
    assert written["total"].tolist()[0] == 6.0
    # -9 declared as the missing code: row b is then unanswered, not off the scale
    assert main(["score-file", "ucla-3", str(source), "-o", str(output), "--missing", "-9"]) == 0
    assert "[too-many-missing]" in pd.read_csv(output)["problems"][1]


def test_score_file_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "answers.csv"
    source.write_text("x\n1\n")
    # The command's documented exit statuses: 4 for an unknown instrument, 3 for bad input.
    assert main(["score-file", "nope", str(source), "-o", str(tmp_path / "o.csv")]) == 4
    assert "nope" in capsys.readouterr().err
    assert main(["score-file", "ucla-3", str(source), "-o", str(tmp_path / "o.csv")]) == 3
    assert "no column for items ucla-1, ucla-2, ucla-3" in capsys.readouterr().err
