"""Score whole cohorts at once, and the reliability statistics of their answers (extra ``batch``).

``pip install "connection-resilience[batch]"`` brings numpy; pandas and pyarrow are used when
they are installed, Dask with the ``dask`` extra. One pure kernel scores a batch of answer sets to
one instrument (a 2-D array, a pandas DataFrame, an Arrow table) with exactly the rules of
``Engine.score``: the same totals, subscales, bands and missing-item rule, the same
problems. Nothing is clamped and no row is dropped: a row that cannot be scored keeps its
place with ``NaN`` scores and its reasons.

The kernel is a function of one partition with a declared output schema
(:func:`score_partition`, :func:`partition_meta`), so it runs unchanged per partition of a
Dask DataFrame (:func:`score_dask`), under Spark's ``mapInPandas``, or anything else that
maps a function over DataFrames. :func:`score_file` streams a CSV or Parquet file in
chunks; :func:`reliability` gives Cronbach's alpha and item statistics per scale and
subscale, on the keyed item scores.

Example:
    >>> import pandas as pd
    >>> import resilience as rs
    >>> from resilience import batch
    >>> ucla = rs.Engine(load_installed=False).instruments["ucla-3"]
    >>> answers = pd.DataFrame({"ucla-1": [1, 3, 2], "ucla-2": [1, 3, 5], "ucla-3": [2, 2, 2]})
    >>> scores = batch.score_frame(ucla, answers)
    >>> scores.total.tolist(), scores.band.tolist()
    ([4.0, 8.0, nan], ['not-lonely', 'lonely', None])
    >>> scores.problem_text()[2]
    "ucla-2: 5 is not one of the scale's values (1, 2, 3) [out-of-range]"
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy.typing as npt

from resilience.batch._columns import cells_from_arrow, cells_from_pandas, column_names
from resilience.batch._dask import score_dask
from resilience.batch._kernel import BatchScorer, BatchScores, Cells
from resilience.batch._reliability import ItemReliability, ScaleReliability, reliability
from resilience.batch._stream import FileSummary, ProgressBar, progress_to_terminal, score_file
from resilience.model.instruments import Instrument

__all__ = [
    "BatchScorer",
    "BatchScores",
    "Cells",
    "FileSummary",
    "ItemReliability",
    "ProgressBar",
    "ScaleReliability",
    "partition_meta",
    "progress_to_terminal",
    "reliability",
    "score_array",
    "score_dask",
    "score_file",
    "score_frame",
    "score_partition",
    "score_table",
    "scorer_for",
]


@functools.lru_cache(maxsize=64)
def scorer_for(instrument: Instrument) -> BatchScorer:
    """The compiled :class:`BatchScorer` of ``instrument`` (compiled once, then reused).

    Example:
        >>> from resilience.builtin.instruments.brs import BRS
        >>> scorer_for(BRS) is scorer_for(BRS)
        True
    """
    return BatchScorer(instrument)


def score_array(
    instrument: Instrument, answers: npt.ArrayLike, *, missing: float = math.nan
) -> BatchScores:
    """Score a 2-D array of answers: one row per answer set, items in the instrument's order.

    ``missing`` is the value that marks an unanswered item (``NaN`` by default; ``-9``,
    say, for data coded that way). In an object array ``None`` is unanswered too.

    Example:
        >>> import numpy as np
        >>> from resilience.builtin.instruments.brs import BRS
        >>> score_array(BRS, np.array([[4, 2, 4, 2, 4, -9]]), missing=-9).total
        array([4.])
    """
    return scorer_for(instrument).score_array(answers, missing=missing)


def score_frame(
    instrument: Instrument,
    frame: Any,
    *,
    columns: Mapping[str, str] | None = None,
    missing: float = math.nan,
) -> BatchScores:
    """Score the answers in a pandas DataFrame, one row per answer set.

    Args:
        instrument: The instrument answered.
        frame: A DataFrame with a column per item, named by item id (other columns are
            ignored).
        columns: Column names for items whose column is not named by the item id.
        missing: A value that marks an unanswered item, besides empty cells (which are
            always unanswered).

    Raises:
        BatchInputError: an item has no column.

    Example:
        >>> import pandas as pd
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> frame = pd.DataFrame({"q1": [3], "q2": [3], "q3": [1]})
        >>> score_frame(UCLA_3, frame, columns={"ucla-1": "q1", "ucla-2": "q2", "ucla-3": "q3"}
        ...             ).total
        array([7.])
    """
    scorer = scorer_for(instrument)
    scorer.check_missing_marker(missing)
    names = column_names(scorer.item_ids, list(frame.columns), columns)
    return scorer.score_cells(cells_from_pandas(frame, names, missing=missing))


def score_table(
    instrument: Instrument,
    table: Any,
    *,
    columns: Mapping[str, str] | None = None,
    missing: float = math.nan,
) -> BatchScores:
    """Score the answers in an Arrow table or record batch (see :func:`score_frame`).

    Example:
        >>> import pyarrow as pa
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> table = pa.table({"ucla-1": [1, None], "ucla-2": [1, 1], "ucla-3": [2, 1]})
        >>> score_table(UCLA_3, table).total
        array([ 4., nan])
    """
    scorer = scorer_for(instrument)
    scorer.check_missing_marker(missing)
    names = column_names(scorer.item_ids, list(table.schema.names), columns)
    return scorer.score_cells(cells_from_arrow(table, names, missing=missing))


def score_partition(
    frame: Any,
    instrument: Instrument,
    *,
    columns: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
    missing: float = math.nan,
) -> Any:
    """Score one DataFrame partition: the ``keep`` columns, then the score columns.

    A pure function of the partition (its index is kept), with the schema that
    :func:`partition_meta` declares, so Dask's ``map_partitions``, Spark's
    ``mapInPandas`` and the like can run it as it is. The score columns are ``total``,
    ``band``, ``subscale:<id>`` per subscale, ``band:<id>`` per banded subscale,
    ``missing`` (items unanswered), ``valid`` and ``problems`` (one line per row that is
    not valid).

    Example:
        >>> import pandas as pd
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> frame = pd.DataFrame({"id": ["a"], "ucla-1": [2], "ucla-2": [2], "ucla-3": [2]})
        >>> score_partition(frame, UCLA_3, keep=["id"]).to_dict("records")
        [{'id': 'a', 'total': 6.0, 'band': 'lonely', 'missing': 0, 'valid': True, 'problems': None}]
    """
    import pandas as pd

    scores = score_frame(instrument, frame, columns=columns, missing=missing)
    scored = scores.to_pandas(index=frame.index)
    if not keep:
        return scored
    return pd.concat([frame[list(keep)], scored], axis=1)


def partition_meta(instrument: Instrument, frame: Any = None, *, keep: Sequence[str] = ()) -> Any:
    """An empty DataFrame with the columns and dtypes :func:`score_partition` returns.

    ``frame`` (a pandas or Dask DataFrame) gives the dtypes of the ``keep`` columns.

    Example:
        >>> from resilience.builtin.instruments.djg6 import DJG_6
        >>> partition_meta(DJG_6).dtypes.astype(str).to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'total': 'float64', 'band': 'object', 'subscale:emotional': 'float64',
         'subscale:social': 'float64', 'band:emotional': 'object', 'band:social': 'object',
         'missing': 'int64', 'valid': 'bool', 'problems': 'object'}
    """
    import numpy as np
    import pandas as pd

    scorer = scorer_for(instrument)
    empty = scorer.score_array(np.empty((0, len(scorer.item_ids)))).to_pandas()
    if not keep:
        return empty
    if frame is None:
        raise TypeError("partition_meta needs the frame to know the dtypes of the kept columns")
    sample = getattr(frame, "_meta", frame)  # a Dask DataFrame's empty pandas twin
    kept = sample[list(keep)].iloc[:0]
    return pd.concat([kept.reset_index(drop=True), empty], axis=1)
