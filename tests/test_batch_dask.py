"""The batch kernel on a real Dask cluster of worker processes gives the single-machine scores."""

from __future__ import annotations

from pathlib import Path

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import resilience as rs
from batch_cohorts import cohort
from resilience import batch

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


@pytest.mark.slow
def test_a_local_cluster_of_processes_scores_like_one_machine(tmp_path: Path) -> None:
    brs = ENGINE.instruments["brs"]
    _partitioned_answers(tmp_path, brs, files=4)
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
