"""The batch kernel on a real Dask cluster of worker processes gives the single-machine scores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import resilience as rs
from batch_cohorts import cohort
from resilience import batch
from resilience.errors import InvalidAnswersError

ENGINE = rs.Engine(load_installed=False)


def _partitioned_answers(folder: Path, instrument: rs.Instrument, files: int) -> pd.DataFrame:
    # A dataset as it lands from a survey platform: one CSV per batch of people, with
    # unanswered items, a code off the scale and a stray word here and there.
    answers = pd.DataFrame(
        cohort(instrument, rows=240 * files), columns=[item.id for item in instrument.items]
    ).astype(object)
    answers.iloc[3, 0] = 9
    answers.iloc[250, 2] = "often"
    answers.insert(0, "person", [f"p{n:05d}" for n in range(len(answers))])
    for n in range(files):
        part = answers.iloc[n * 240 : (n + 1) * 240]
        part.to_csv(folder / f"part-{n}.csv", index=False)
    return answers


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A real cluster of two worker processes, started once for the tests of this module."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="1GiB",
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.mark.slow
def test_a_local_cluster_of_processes_scores_like_one_machine(
    tmp_path: Path, client: Client
) -> None:
    brs = ENGINE.instruments["brs"]
    _partitioned_answers(tmp_path, brs, files=4)
    frame = dd.read_csv(str(tmp_path / "part-*.csv"), dtype={"person": str, "brs-3": object})
    assert frame.npartitions >= 4
    lazy = batch.score_dask(brs, frame, keep=["person"])
    assert list(lazy.columns) == list(batch.partition_meta(brs, frame, keep=["person"]))
    distributed_result = client.compute(lazy).result()
    workers = client.run(lambda: __import__("os").getpid())
    assert len(set(workers.values())) == 2  # two worker processes did the work

    whole = pd.concat(
        [
            pd.read_csv(path, dtype={"person": str, "brs-3": object})
            for path in sorted(tmp_path.glob("part-*.csv"))
        ],
        ignore_index=True,
    )
    local = batch.score_frame(brs, whole)
    result = distributed_result.sort_values("person").reset_index(drop=True)
    assert result["person"].tolist() == whole["person"].tolist()
    np.testing.assert_array_equal(result["total"].to_numpy(), local.total)
    assert result["band"].tolist() == local.band.tolist()
    assert result["missing"].tolist() == local.n_missing.tolist()
    assert result["valid"].tolist() == local.valid.tolist()
    assert result["problems"].tolist() == local.problem_text()
    assert result["problems"].notna().sum() >= 2  # the spoiled cells were found, not dropped


def _scorer_columns(instrument: rs.Instrument, answers: dict[str, object]) -> dict[str, object]:
    # The score columns of one row as the per-answer scorer has them: NaN and None
    # where a refused row has no score, the problems in score_partition's words.
    row: dict[str, object] = {"total": None, "band": None, "valid": False, "problems": None}
    row.update({f"subscale:{s.id}": None for s in instrument.subscales})
    row.update({f"band:{s.id}": None for s in instrument.subscales if s.bands})
    try:
        scored = ENGINE.score(instrument.id, answers)
    except InvalidAnswersError as error:
        row["problems"] = "; ".join(
            f"{p.item_id + ': ' if p.item_id else ''}{p.message} [{p.kind}]" for p in error.problems
        )
        return row
    row.update(total=scored.total, band=scored.band, valid=True)
    row.update({f"subscale:{k}": v for k, v in scored.subscales.items()})
    row.update({f"band:{k}": v for k, v in scored.subscale_bands.items()})
    return row


@pytest.mark.slow
def test_rows_refused_for_missing_items_come_back_from_the_cluster_as_the_scorer_has_them(
    client: Client,
) -> None:
    # MSPSS allows no item missing: a row with a gap is refused whole, its subscales
    # too, even those whose four items are all answered.
    mspss = ENGINE.instruments["mspss"]
    rng = np.random.default_rng(1414)
    cells = rng.integers(1, 8, size=(600, 12)).astype(float)
    cells[rng.random(cells.shape) < 0.06] = np.nan
    cells[rng.random(cells.shape) < 0.005] = 9
    ids = [item.id for item in mspss.items]
    frame = pd.DataFrame(cells, columns=ids)
    result = client.compute(batch.score_dask(mspss, dd.from_pandas(frame, npartitions=3))).result()
    refused = 0
    for n, values in enumerate(cells.tolist()):
        answers = {i: None if np.isnan(v) else int(v) for i, v in zip(ids, values, strict=True)}
        wanted = _scorer_columns(mspss, answers)
        got = result.iloc[n]
        for column, value in wanted.items():
            if value is None and column not in ("valid", "problems"):
                assert got[column] is None or np.isnan(got[column]), (n, column, got[column])
            else:
                assert got[column] == value, (n, column, got[column], value)
        refused += not wanted["valid"]
    assert refused > 100  # many rows had a gap; none kept a subscale
