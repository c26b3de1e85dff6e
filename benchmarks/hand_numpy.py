"""Hand-written numpy scorers: the baseline the batch kernel is measured against.

Each is what a careful analyst would write for one scale with numpy alone: check every
cell is on the scale (never clamp), count unanswered items, apply the scale's reverse
keys and missing-item rule, and compute the total, the subscales and the bands, with a
validity flag per row. They return the same information as ``resilience.batch`` (the
benchmark checks that, row by row, before timing), but know their scale by heart: no
lookup tables, no generality.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Result = dict[str, Any]


def _bands(values: np.ndarray, edges: list[tuple[float, bool, str]]) -> np.ndarray:
    out = np.full(values.shape, None, dtype=object)
    open_ = ~np.isnan(values)
    for upper, inclusive, name in edges:
        hit = open_ & ((values <= upper) if inclusive else (values < upper))
        out[hit] = name
        open_ &= ~hit
    return out


def brs(answers: np.ndarray) -> Result:
    """BRS: six items 1-5, items 2, 4 and 6 reversed, mean, at most one missing."""
    missing = np.isnan(answers)
    on_scale = missing | ((answers >= 1) & (answers <= 5) & (answers == np.floor(answers)))
    keyed = answers.copy()
    keyed[:, 1::2] = 6 - keyed[:, 1::2]
    n_missing = missing.sum(axis=1)
    valid = on_scale.all(axis=1) & (n_missing <= 1)
    with np.errstate(invalid="ignore"):
        total = np.where(missing, 0.0, keyed).sum(axis=1) / (6 - n_missing)
    total[~valid] = np.nan
    band = _bands(total, [(3.0, False, "low"), (4.3, True, "normal"), (5.0, True, "high")])
    return {"total": total, "band": band, "missing": n_missing, "valid": valid}


_MSPSS_PARTS = {
    "significant-other": [0, 1, 4, 9],
    "family": [2, 3, 7, 10],
    "friends": [5, 6, 8, 11],
}
_MSPSS_BANDS = [(3.0, False, "low"), (5.0, True, "moderate"), (7.0, True, "high")]


def mspss(answers: np.ndarray) -> Result:
    """MSPSS: twelve items 1-7, mean, three four-item subscales, none missing."""
    missing = np.isnan(answers)
    on_scale = (answers >= 1) & (answers <= 7) & (answers == np.floor(answers))
    n_missing = missing.sum(axis=1)
    valid = on_scale.all(axis=1)
    total = answers.sum(axis=1) / 12
    total[~valid] = np.nan
    result: Result = {
        "total": total,
        "band": _bands(total, _MSPSS_BANDS),
        "missing": n_missing,
        "valid": valid,
    }
    for name, columns in _MSPSS_PARTS.items():
        # none may be missing: a row with a gap is refused as a whole, subscales too
        part = answers[:, columns].sum(axis=1) / 4
        part[~valid] = np.nan
        result[f"subscale:{name}"] = part
        result[f"band:{name}"] = _bands(part, _MSPSS_BANDS)
    return result


def lsns6(answers: np.ndarray) -> Result:
    """LSNS-6: six counts 0-5, sum, family and friends subscales, none missing."""
    missing = np.isnan(answers)
    on_scale = (answers >= 0) & (answers <= 5) & (answers == np.floor(answers))
    valid = on_scale.all(axis=1)
    family = answers[:, :3].sum(axis=1)
    friends = answers[:, 3:].sum(axis=1)
    total = family + friends
    total[~valid] = np.nan
    for part in (family, friends):  # none may be missing: refused as a whole, or scored
        part[~valid] = np.nan
    band = _bands(total, [(12.0, False, "at-risk"), (30.0, True, "not-at-risk")])
    return {
        "total": total,
        "band": band,
        "subscale:family": family,
        "subscale:friends": friends,
        "missing": missing.sum(axis=1),
        "valid": valid,
    }


HAND_NUMPY = {"brs": brs, "mspss": mspss, "lsns-6": lsns6}
