"""Score a CSV or Parquet file in chunks, with memory that does not grow with the file.

The file is read a chunk of rows at a time, each chunk is scored by the batch kernel and
written out before the next is read, so only one chunk is ever in memory. The output has
the kept columns and the score columns of :func:`resilience.batch.score_partition`, one
row per input row, in the input's order; a row that cannot be scored is written with its
problems, never left out.

CSV cells are text: a cell that spells a number is that number, an empty cell is
unanswered, anything else is an answer of the wrong type. Parquet files (with pyarrow)
keep their column types.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

from resilience.errors import BatchInputError
from resilience.model.instruments import Instrument

__all__ = ["FileSummary", "ProgressBar", "score_file"]

#: Progress so far and in all (bytes for CSV, rows for Parquet).
Progress = Callable[[int, int], None]

_CSV = (".csv",)
_PARQUET = (".parquet", ".pq")


@attrs.frozen
class FileSummary:
    """What :func:`score_file` wrote.

    Attributes:
        rows: Rows read and written.
        valid: Rows scored in full.
        invalid: Rows written with problems (their reasons are in the ``problems`` column).
        output: The file written.

    Example:
        >>> FileSummary(10, 9, 1, "out.csv").invalid
        1
    """

    rows: int
    valid: int
    invalid: int
    output: str


class ProgressBar:
    """A one-line progress bar for a terminal, redrawn at most ten times a second.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = ProgressBar(out, width=10)
        >>> bar(50, 100); bar(100, 100); bar.close()
        >>> out.getvalue().splitlines()[-1].strip()
        '[##########] 100%'
    """

    def __init__(self, stream: TextIO, *, width: int = 30) -> None:
        self._stream = stream
        self._width = width
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        share = min(1.0, done / total) if total else 1.0
        filled = round(share * self._width)
        bar = "#" * filled + "-" * (self._width - filled)
        self._stream.write(f"\r[{bar}] {share:4.0%}")
        self._stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the line the bar was drawn on."""
        if self._drawn:
            self._stream.write("\n")
            self._stream.flush()


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _check_format(path: Path, what: str) -> str:
    suffix = _suffix(path)
    if suffix in _CSV:
        return "csv"
    if suffix in _PARQUET:
        return "parquet"
    raise BatchInputError(f"{what} {path.name!r}: give a .csv or .parquet file")


def _csv_chunks(
    path: Path,
    item_columns: Sequence[str],
    keep: Sequence[str],
    chunk_rows: int,
    progress: Progress | None,
) -> Iterator[Any]:
    import pandas as pd

    size = os.path.getsize(path)
    with open(path, "rb") as handle:
        header = pd.read_csv(handle, nrows=0).columns
        handle.seek(0)
        # Kept columns stay text (an id such as "007" keeps its zeros). Item columns are
        # parsed as numbers; a column in which some cell is not a number arrives as text
        # and is converted cell by cell by the caller, so a stray word is reported on
        # its own row.
        text = {name: object for name in header if name in set(keep)}
        reader = pd.read_csv(handle, chunksize=chunk_rows, dtype=text)
        for chunk in reader:
            yield chunk
            if progress is not None:
                progress(handle.tell(), size)


def _parquet_batches(
    path: Path, needed: Sequence[str], chunk_rows: int, progress: Progress | None
) -> Iterator[Any]:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)
    total = source.metadata.num_rows
    done = 0
    for record_batch in source.iter_batches(batch_size=chunk_rows, columns=list(needed)):
        yield record_batch
        done += record_batch.num_rows
        if progress is not None:
            progress(done, total)


def _arrow_schema(frame: Any) -> Any:
    import pyarrow as pa

    fields = []
    for name, dtype in frame.dtypes.items():
        kind = str(dtype)
        if kind == "float64":
            fields.append(pa.field(name, pa.float64()))
        elif kind == "int64":
            fields.append(pa.field(name, pa.int64()))
        elif kind == "bool":
            fields.append(pa.field(name, pa.bool_()))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields)


class _Writer:
    # Writes scored chunks one after another, to CSV or Parquet.
    def __init__(self, path: Path, kind: str) -> None:
        self._path = path
        self._kind = kind
        self._csv: Any = None
        self._parquet: Any = None
        self._schema: Any = None

    def write(self, frame: Any) -> None:
        if self._kind == "csv":
            if self._csv is None:
                self._csv = open(self._path, "w", encoding="utf-8", newline="")  # noqa: SIM115
                frame.to_csv(self._csv, index=False)
            else:
                frame.to_csv(self._csv, index=False, header=False)
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._parquet is None:
            self._schema = _arrow_schema(frame)
            self._parquet = pq.ParquetWriter(self._path, self._schema)
        self._parquet.write_table(
            pa.Table.from_pandas(frame, schema=self._schema, preserve_index=False)
        )

    def close(self) -> None:
        if self._csv is not None:
            self._csv.close()
        if self._parquet is not None:
            self._parquet.close()


def score_file(
    instrument: Instrument,
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    keep: Sequence[str] = (),
    missing: float = math.nan,
    chunk_rows: int = 50_000,
    progress: Progress | None = None,
) -> FileSummary:
    r"""Score every row of a CSV or Parquet file into a CSV or Parquet file, chunk by chunk.

    Args:
        instrument: The instrument answered.
        source: A ``.csv`` file with a header row, or a ``.parquet`` file (needs pyarrow).
        output: The file to write, ``.csv`` or ``.parquet``; replaced if it exists.
        columns: Column names for items whose column is not named by the item id.
        keep: Input columns to copy to the output (an id column, say).
        missing: A value that marks an unanswered item, besides empty cells.
        chunk_rows: Rows per chunk; memory use is proportional to it, not to the file.
        progress: Called after each chunk with the progress so far and in all.

    Raises:
        BatchInputError: a file is of an unknown format, or an item has no column.

    Example:
        >>> import pathlib, tempfile
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "in.csv").write_text("id,ucla-1,ucla-2,ucla-3\na,1,2,3\nb,1,,3\n")
        >>> summary = score_file(UCLA_3, folder / "in.csv", folder / "out.csv", keep=["id"])
        >>> summary.rows, summary.valid, summary.invalid
        (2, 1, 1)
        >>> (folder / "out.csv").read_text().splitlines()[1]
        'a,6.0,lonely,0,True,'
    """
    from resilience.batch import score_partition, score_table, scorer_for
    from resilience.batch._columns import column_names, text_to_numbers

    source, output = Path(source), Path(output)
    source_kind = _check_format(source, "input")
    output_kind = _check_format(output, "output")
    if chunk_rows < 1:
        raise BatchInputError(f"chunk_rows must be at least 1, not {chunk_rows}")
    scorer = scorer_for(instrument)
    scorer.check_missing_marker(missing)
    writer = _Writer(output, output_kind)
    rows = valid = 0
    try:
        if source_kind == "csv":
            import pandas as pd

            header = list(pd.read_csv(source, nrows=0).columns)
            names = column_names(scorer.item_ids, header, columns)
            _check_kept(keep, header)
            for chunk in _csv_chunks(source, names, keep, chunk_rows, progress):
                scored = score_partition(
                    text_to_numbers(chunk, names),
                    instrument,
                    columns=columns,
                    keep=keep,
                    missing=missing,
                )
                writer.write(scored)
                rows += len(scored)
                valid += int(scored["valid"].sum())
        else:
            import pyarrow.parquet as pq

            header = list(pq.read_schema(source).names)
            names = column_names(scorer.item_ids, header, columns)
            _check_kept(keep, header)
            needed = list(dict.fromkeys([*keep, *names]))
            for record_batch in _parquet_batches(source, needed, chunk_rows, progress):
                scores = score_table(instrument, record_batch, columns=columns, missing=missing)
                scored = scores.to_pandas()
                if keep:
                    kept = record_batch.select(list(keep)).to_pandas()
                    scored = kept.join(scored)
                writer.write(scored)
                rows += len(scored)
                valid += int(scores.valid.sum())
        if rows == 0:
            writer.write(_empty_output(instrument, keep))
    finally:
        writer.close()
    return FileSummary(rows, valid, rows - valid, str(output))


def _check_kept(keep: Sequence[str], header: Sequence[str]) -> None:
    absent = [name for name in keep if name not in header]
    if absent:
        raise BatchInputError(f"no column {', '.join(map(repr, absent))} to keep in the file")


def _empty_output(instrument: Instrument, keep: Sequence[str]) -> Any:
    import pandas as pd

    from resilience.batch import partition_meta

    meta = partition_meta(instrument)
    kept = pd.DataFrame({name: pd.Series([], dtype=object) for name in keep})
    return pd.concat([kept, meta], axis=1)


def progress_to_terminal() -> ProgressBar | None:
    """A :class:`ProgressBar` on stderr when stderr is a terminal, else ``None``.

    Example:
        >>> progress_to_terminal() is None  # stderr is not a terminal under the tests
        True
    """
    return ProgressBar(sys.stderr) if sys.stderr.isatty() else None
