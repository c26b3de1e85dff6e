"""Run the batch kernel on every partition of a Dask DataFrame (extra ``dask``).

The kernel is a pure function of one partition, and its output schema is known before
any data is read, so the glue is one ``map_partitions`` call with ``meta``: Dask never
has to run the kernel on a sample to learn the columns, and every worker process builds
the same compiled scorer from the instrument it is sent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from resilience.model.instruments import Instrument

__all__ = ["score_dask"]


def score_dask(
    instrument: Instrument,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
    missing: float = math.nan,
) -> Any:
    """Score a Dask DataFrame partition by partition; lazy, like every Dask operation.

    Returns a Dask DataFrame with the schema of
    :func:`~resilience.batch.score_partition` (the ``keep`` columns, then the scores),
    partitioned and indexed as ``frame``. Call ``.compute()`` or write it out.

    Example:
        >>> import dask.dataframe as dd, pandas as pd
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> answers = pd.DataFrame({"ucla-1": [1, 3], "ucla-2": [1, 3], "ucla-3": [1, 3]})
        >>> lazy = score_dask(UCLA_3, dd.from_pandas(answers, npartitions=2))
        >>> lazy.compute()["total"].tolist()
        [3.0, 9.0]
    """
    from resilience.batch import partition_meta, score_partition

    meta = partition_meta(instrument, frame, keep=keep)
    return frame.map_partitions(
        score_partition,
        instrument,
        columns=dict(columns) if columns else None,
        keep=tuple(keep),
        missing=missing,
        meta=meta,
        enforce_metadata=False,
    )
