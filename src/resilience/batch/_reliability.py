"""Internal consistency of a cohort's answers: Cronbach's alpha and item statistics.

Computed, per scale (the whole instrument) and per subscale, on the *keyed* item scores
(after reverse keys and recoding, the scores the scorer adds up) of the rows that
answered every item of that scale validly (complete cases). The statistics follow
R's ``psych::alpha`` (Revelle), against which the test suite checks them:

- raw alpha ``k / (k - 1) * (1 - tr(C) / sum(C))`` from the item covariance matrix ``C``;
- standardised alpha, the same from the correlation matrix;
- for each item, the corrected item–total correlation (psych's ``r.drop``: the item
  against the sum of the *other* items) and alpha if the item is dropped;
- two confidence intervals for raw alpha, as ``psych::alpha`` prints them: Feldt's
  (Feldt, Woodruff & Salih 1987, from the F distribution with ``n - 1`` and
  ``(n - 1)(k - 1)`` degrees of freedom) and Duhachek's (Duhachek & Iacobucci 2004,
  alpha ± z·ASE with the asymptotic standard error of van Zyl, Neudecker & Nel 2000).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from resilience.batch._fdist import f_quantile
from resilience.batch._kernel import BatchScores
from resilience.errors import BatchInputError
from resilience.model.fields import FrozenDict
from resilience.model.instruments import Instrument

__all__ = ["ItemReliability", "ScaleReliability", "reliability"]


@attrs.frozen
class ItemReliability:
    """How one item sits in its scale.

    Attributes:
        item_id: The item.
        r_drop: Corrected item–total correlation: the item's keyed score against the sum
            of the other items of the scale (psych's ``r.drop``).
        alpha_if_dropped: Raw alpha of the scale without this item.
        std_alpha_if_dropped: Standardised alpha of the scale without this item.
        mean: Mean keyed score over the complete cases.
        sd: Standard deviation of the keyed score (``n - 1`` in the denominator).

    Example:
        >>> ItemReliability("brs-1", 0.5, 0.7, 0.71, 3.4, 1.1).r_drop
        0.5
    """

    item_id: str
    r_drop: float
    alpha_if_dropped: float
    std_alpha_if_dropped: float
    mean: float
    sd: float


@attrs.frozen
class ScaleReliability:
    """Cronbach's alpha of one scale or subscale in a cohort, with item statistics.

    Attributes:
        scale: ``"total"`` for the whole instrument, else the subscale id.
        item_ids: The scale's items.
        n_complete: Rows that answered every item of the scale validly: the rows used.
        n_rows: Rows given.
        raw_alpha: Cronbach's alpha from the covariances of the keyed item scores.
        std_alpha: Alpha from the correlations (as if every item were standardised).
        average_r: The mean correlation between two different items.
        feldt: Feldt's confidence interval for raw alpha (lower, upper).
        duhachek: Duhachek's confidence interval for raw alpha (lower, upper).
        ase: The asymptotic standard error of raw alpha that Duhachek's interval uses.
        confidence: The confidence level of both intervals.
        items: Per item, its :class:`ItemReliability`.

    A statistic that cannot be computed (fewer than two items or two complete cases, an
    item that never varies) is ``NaN``.

    Example:
        >>> import numpy as np
        >>> from resilience.batch import reliability, score_array
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> answers = np.array([[1, 1, 1], [2, 2, 1], [3, 2, 3], [3, 3, 3], [1, 2, 1]])
        >>> report = reliability(UCLA_3, score_array(UCLA_3, answers))["total"]
        >>> round(report.raw_alpha, 3), report.n_complete
        (0.896, 5)
    """

    scale: str
    item_ids: tuple[str, ...]
    n_complete: int
    n_rows: int
    raw_alpha: float
    std_alpha: float
    average_r: float
    feldt: tuple[float, float]
    duhachek: tuple[float, float]
    ase: float
    confidence: float
    items: tuple[ItemReliability, ...]


FloatArray = npt.NDArray[np.float64]
_NAN = math.nan


def _alphas(covariance: FloatArray) -> tuple[float, float, float]:
    # raw alpha, standardised alpha and the mean inter-item correlation
    k = covariance.shape[0]
    if k < 2:
        return _NAN, _NAN, _NAN
    total = float(covariance.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = (1.0 - float(np.trace(covariance)) / total) * k / (k - 1)
        sd = np.sqrt(np.diag(covariance))
        correlation = covariance / np.outer(sd, sd)
        sum_r = float(correlation.sum())
        std = (1.0 - k / sum_r) * k / (k - 1)
        average_r = (sum_r - k) / (k * (k - 1))
    return raw, std, average_r


def _duhachek_ase(covariance: FloatArray, n: int) -> float:
    # The asymptotic variance of alpha (van Zyl, Neudecker & Nel 2000), as psych computes
    # it: Q = 2k²/((k-1)² (1'C1)³) · [1'C1 (tr C² + (tr C)²) − 2 tr C · 1'C²1].
    k = covariance.shape[0]
    total = float(covariance.sum())
    trace = float(np.trace(covariance))
    squared = covariance @ covariance
    q = (2.0 * k**2 / ((k - 1) ** 2 * total**3)) * (
        total * (float(np.trace(squared)) + trace**2) - 2.0 * trace * float(squared.sum())
    )
    return math.sqrt(q / n) if q >= 0 else _NAN


def _scale(
    name: str,
    item_ids: tuple[str, ...],
    keyed: FloatArray,
    n_rows: int,
    confidence: float,
) -> ScaleReliability:
    complete = keyed[~np.isnan(keyed).any(axis=1)]
    n, k = complete.shape
    nan_pair = (_NAN, _NAN)
    if n < 2 or k < 2:
        return ScaleReliability(
            name, item_ids, n, n_rows, _NAN, _NAN, _NAN, nan_pair, nan_pair, _NAN, confidence, ()
        )
    covariance = np.cov(complete, rowvar=False, ddof=1)
    raw, std, average_r = _alphas(covariance)
    tail = (1.0 - confidence) / 2.0
    if math.isnan(raw):
        feldt = nan_pair
    else:
        df1, df2 = n - 1, (n - 1) * (k - 1)
        feldt = (
            1.0 - (1.0 - raw) * f_quantile(1.0 - tail, df1, df2),
            1.0 - (1.0 - raw) * f_quantile(tail, df1, df2),
        )
    ase = _duhachek_ase(covariance, n)
    z = statistics.NormalDist().inv_cdf(1.0 - tail)
    duhachek = (raw - z * ase, raw + z * ase)

    column_sums = covariance.sum(axis=0)
    variances = np.diag(covariance)
    total_variance = float(covariance.sum())
    means = complete.mean(axis=0)
    items = []
    for i, item_id in enumerate(item_ids):
        rest = [j for j in range(k) if j != i]
        dropped_raw, dropped_std, _ = _alphas(covariance[np.ix_(rest, rest)])
        # Covariance of the item with the sum of the others, over both standard deviations.
        with_rest = float(column_sums[i] - variances[i])
        rest_variance = total_variance - 2.0 * float(column_sums[i]) + float(variances[i])
        denominator = math.sqrt(float(variances[i]) * rest_variance)
        r_drop = with_rest / denominator if denominator > 0 else _NAN
        items.append(
            ItemReliability(
                item_id,
                r_drop,
                dropped_raw,
                dropped_std,
                float(means[i]),
                math.sqrt(float(variances[i])),
            )
        )
    return ScaleReliability(
        name,
        item_ids,
        n,
        n_rows,
        raw,
        std,
        average_r,
        feldt,
        duhachek,
        ase,
        confidence,
        tuple(items),
    )


def reliability(
    instrument: Instrument, scores: BatchScores, *, confidence: float = 0.95
) -> Mapping[str, ScaleReliability]:
    """Cronbach's alpha and item statistics per scale: ``"total"``, then each subscale.

    Args:
        instrument: The instrument the cohort answered.
        scores: The cohort's :class:`~resilience.batch.BatchScores`; its keyed item scores
            are used, so reverse-keyed and recoded items count the way they are scored.
        confidence: The level of the confidence intervals.

    Raises:
        BatchInputError: the scores are of another instrument or definition.

    Example:
        >>> import numpy as np
        >>> from resilience.batch import reliability, score_array
        >>> from resilience.builtin.instruments.lsns6 import LSNS_6
        >>> rng = np.random.default_rng(7)
        >>> answers = np.clip(rng.integers(0, 3, (200, 1)) + rng.integers(0, 3, (200, 6)), 0, 5)
        >>> report = reliability(LSNS_6, score_array(LSNS_6, answers))
        >>> list(report), report["family"].n_complete
        (['total', 'family', 'friends'], 200)
    """
    if scores.key_hash != instrument.key_hash:
        raise BatchInputError(
            f"the scores are of {scores.instrument_id} (key {scores.key_hash[:12]}…), "
            f"not of {instrument.id} (key {instrument.key_hash[:12]}…)"
        )
    if not 0.0 < confidence < 1.0:
        raise BatchInputError(f"confidence must be between 0 and 1, not {confidence}")
    position = {item_id: n for n, item_id in enumerate(scores.item_ids)}
    scales: list[tuple[str, Sequence[str]]] = [("total", scores.item_ids)]
    scales.extend((s.id, s.item_ids) for s in instrument.subscales)
    n_rows = len(scores)
    return FrozenDict(
        (
            name,
            _scale(
                name,
                tuple(item_ids),
                scores.items[:, [position[i] for i in item_ids]],
                n_rows,
                confidence,
            ),
        )
        for name, item_ids in scales
    )
