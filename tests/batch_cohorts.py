"""Reproducible synthetic cohorts for the reliability tests (and the R script that checks them).

Each person has one latent trait per subscale (correlated), and answers every item near
it, with noise; reverse-keyed items are answered the other way round; a few answers are
left out. Only ``random.Random.random`` is used (Python guarantees its sequence for a
seed), so the data are the same on every Python version and machine.

The expected values in ``test_batch_reliability.py`` were computed from these data with
R's psych package (version 2.2.9), by writing each scale's keyed complete cases with
:func:`write_for_r` and running :data:`R_SCRIPT`.
"""

from __future__ import annotations

import random
import statistics
from pathlib import Path

import numpy as np

import resilience as rs
from resilience import batch

SEED = 20261201
ROWS = 400
_NORMAL = statistics.NormalDist()

R_SCRIPT = r"""
library(psych)
for (f in commandArgs(trailingOnly = TRUE)) {
  x <- read.csv(f, check.names = FALSE)
  a <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)
  cat(f, "\n")
  cat(sprintf("%.12f", c(a$total$raw_alpha, a$total$std.alpha, a$total$average_r,
                         a$total$ase, a$feldt$lower.ci, a$feldt$upper.ci)), "\n")
  cat(sprintf("%.12f", a$item.stats$r.drop), "\n")
  cat(sprintf("%.12f", a$alpha.drop$raw_alpha), "\n")
  cat(sprintf("%.12f", a$alpha.drop$std.alpha), "\n")
  cat(nrow(x), "\n")
}
"""


def cohort(instrument: rs.Instrument, rows: int = ROWS, seed: int = SEED) -> np.ndarray:
    """Answers of ``rows`` synthetic people to ``instrument`` (NaN for an unanswered item)."""
    rng = random.Random(f"{seed}:{instrument.id}")

    def normal() -> float:
        return _NORMAL.inv_cdf(min(max(rng.random(), 1e-12), 1 - 1e-12))

    groups = {item.id: 0 for item in instrument.items}
    for n, subscale in enumerate(instrument.subscales, start=1):
        for item_id in subscale.item_ids:
            groups[item_id] = n
    answers = np.full((rows, len(instrument.items)), np.nan)
    for row in range(rows):
        general = normal()
        traits = [0.7 * general + 0.7 * normal() for _ in range(len(instrument.subscales) + 1)]
        for column, item in enumerate(instrument.items):
            values = instrument.scale_of(item).values
            # recoded items (DJG-6) are worded towards or against the trait by their key
            against = item.reverse or (
                item.recode is not None and item.recode[values[0]] > item.recode[values[-1]]
            )
            position = traits[groups[item.id]] + 0.9 * normal()
            share = _NORMAL.cdf(-position if against else position)
            answers[row, column] = values[min(int(share * len(values)), len(values) - 1)]
            if rng.random() < 0.02:
                answers[row, column] = np.nan
    return answers


def keyed_scales(instrument: rs.Instrument) -> dict[str, np.ndarray]:
    """The keyed complete cases of every scale of the instrument's cohort: what R is given."""
    scores = batch.score_array(instrument, cohort(instrument))
    position = {item_id: n for n, item_id in enumerate(scores.item_ids)}
    scales = {"total": list(scores.item_ids)}
    scales.update({s.id: list(s.item_ids) for s in instrument.subscales})
    out = {}
    for name, item_ids in scales.items():
        keyed = scores.items[:, [position[i] for i in item_ids]]
        out[name] = keyed[~np.isnan(keyed).any(axis=1)]
    return out


def write_for_r(instrument: rs.Instrument, folder: Path) -> list[Path]:
    """Write each scale's keyed complete cases as CSV for :data:`R_SCRIPT`."""
    paths = []
    for name, keyed in keyed_scales(instrument).items():
        path = folder / f"{instrument.id}.{name}.csv"
        header = ",".join(f"i{n}" for n in range(keyed.shape[1]))
        np.savetxt(path, keyed, delimiter=",", header=header, comments="", fmt="%.17g")
        paths.append(path)
    return paths
