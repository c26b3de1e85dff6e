"""Reading the item columns of a pandas DataFrame or an Arrow table into kernel cells.

A column is found by the item's id, or by the name the caller maps the item to. In a
table, an empty cell (``NaN``, ``None``, ``pd.NA``, an Arrow null) is unanswered, and so
is a cell holding the declared missing marker. A numeric column is read in one step; any
other column cell by cell, so that a string or a bool in it is reported as of the wrong
type instead of being converted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from resilience.batch._kernel import Cells
from resilience.errors import BatchInputError

__all__ = ["cells_from_arrow", "cells_from_pandas", "column_names", "text_to_numbers"]


def column_names(
    item_ids: Sequence[str], available: Sequence[str], columns: Mapping[str, str] | None
) -> list[str]:
    """The column holding each item, in the instrument's order.

    Raises:
        BatchInputError: an item has no column, or the mapping names an unknown item.

    Example:
        >>> column_names(["a", "b"], ["b", "x", "a"], {"b": "x"})
        ['a', 'x']
    """
    mapping = dict(columns or {})
    unknown = sorted(set(mapping) - set(item_ids))
    if unknown:
        raise BatchInputError(
            f"the column mapping names items the instrument does not have: {', '.join(unknown)}"
        )
    names = [mapping.get(item_id, item_id) for item_id in item_ids]
    present = set(available)
    absent = [
        f"{item_id} (column {name!r})" if name != item_id else item_id
        for item_id, name in zip(item_ids, names, strict=True)
        if name not in present
    ]
    if absent:
        raise BatchInputError(
            f"no column for item{'s' if len(absent) > 1 else ''} {', '.join(absent)}; "
            "name the columns by item id or pass columns={item id: column name}"
        )
    return names


def _merge(parts: list[Cells]) -> Cells:
    # One Cells per column, side by side.
    originals = None
    if any(part.originals is not None for part in parts):
        originals = np.column_stack(
            [
                part.originals if part.originals is not None else part.numbers.astype(object)
                for part in parts
            ]
        )
    return Cells(
        np.column_stack([part.numbers for part in parts]),
        np.column_stack([part.unanswered for part in parts]),
        np.column_stack([part.wrong_type for part in parts]),
        originals,
    )


def _numeric_cells(values: Any, empty: Any, missing: float) -> Cells:
    numbers = np.asarray(values, dtype=np.float64).reshape(-1, 1)
    unanswered = np.asarray(empty, dtype=np.bool_).reshape(-1, 1) | np.isnan(numbers)
    if not math.isnan(missing):
        unanswered |= numbers == missing
    return Cells(numbers, unanswered, np.zeros(numbers.shape, dtype=np.bool_))


def _object_cells(values: Sequence[Any], empty: Any, missing: float) -> Cells:
    column = np.empty((len(values), 1), dtype=object)
    column[:, 0] = values
    cells = Cells.from_objects(column, missing=missing)
    unanswered = cells.unanswered | np.asarray(empty, dtype=np.bool_).reshape(-1, 1)
    return Cells(cells.numbers, unanswered, cells.wrong_type & ~unanswered, cells.originals)


def cells_from_pandas(frame: Any, names: Sequence[str], *, missing: float) -> Cells:
    """Read the named columns of a DataFrame, in order.

    Example:
        >>> import pandas as pd
        >>> cells = cells_from_pandas(pd.DataFrame({"a": [1, None], "b": ["x", 2]}),
        ...                           ["a", "b"], missing=float("nan"))
        >>> cells.unanswered.tolist(), cells.wrong_type.tolist()
        ([[False, False], [True, False]], [[False, True], [False, False]])
    """
    import pandas as pd

    parts = []
    for name in names:
        series = frame[name]
        empty = series.isna().to_numpy(dtype=np.bool_)
        dtype = series.dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
            parts.append(_numeric_cells(numbers, empty, missing))
        else:
            values = [None if e else v for v, e in zip(series.tolist(), empty, strict=True)]
            parts.append(_object_cells(values, empty, missing))
    if not parts:
        return Cells.from_numbers(np.empty((len(frame), 0)), missing=missing)
    return _merge(parts)


def cells_from_arrow(table: Any, names: Sequence[str], *, missing: float) -> Cells:
    """Read the named columns of an Arrow table or record batch, in order.

    Example:
        >>> import pyarrow as pa
        >>> cells = cells_from_arrow(pa.table({"a": [1, None]}), ["a"], missing=float("nan"))
        >>> cells.numbers[0, 0], cells.unanswered.tolist()
        (np.float64(1.0), [[False], [True]])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = []
    for name in names:
        column = table.column(name)
        empty = pc.is_null(column, nan_is_null=True).to_numpy(zero_copy_only=False)
        kind = column.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            numbers = pc.fill_null(column.cast(pa.float64()), math.nan)
            parts.append(_numeric_cells(numbers.to_numpy(zero_copy_only=False), empty, missing))
        else:
            parts.append(_object_cells(column.to_pylist(), empty, missing))
    if not parts:
        return Cells.from_numbers(np.empty((table.num_rows, 0)), missing=missing)
    return _merge(parts)


def text_to_numbers(frame: Any, names: Sequence[str]) -> Any:
    """Turn text cells that spell numbers into numbers (for files, where all is text).

    A CSV file has no types: ``"3"`` is the answer 3. A cell that does not spell a
    number stays text and is then reported as of the wrong type.

    Example:
        >>> import pandas as pd
        >>> text_to_numbers(pd.DataFrame({"a": ["3", "x", None]}), ["a"])["a"].tolist()
        [3.0, 'x', None]
    """
    import pandas as pd

    converted = {}
    for name in names:
        series = frame[name]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            continue
        numbers = pd.to_numeric(series, errors="coerce")
        failed = numbers.isna() & series.notna()
        mixed = series.astype(object).where(failed, numbers.astype(object))
        converted[name] = mixed.where(series.notna() | failed, None)
    if not converted:
        return frame
    return frame.assign(**converted)
