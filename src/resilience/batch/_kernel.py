"""The batch kernel: score a matrix of answers to one instrument with the per-answer rules.

One row is one answer set, one column one item in the instrument's order. The kernel
applies exactly the rules of :class:`resilience._scoring.ScoringKey` (the per-answer scorer),
column by column instead of answer by answer:

- an item is *unanswered* when its cell holds the missing marker (or ``None``);
- a cell that is not a declared value of the item's scale is a problem (``out-of-range``
  for a number, ``wrong-type`` for anything else, a bool included), never clamped;
- more unanswered items than the policy allows is a problem (``too-many-missing``) and
  the row is refused as a whole, subscales included, like a row with an invalid cell;
  only when the policy scores the subscales alone is each subscale that keeps enough of
  its own items still scored, and only the total left out (the row keeps that problem, as
  the reason it has no total), and the problem is not reported for a row that already
  has invalid cells while some subscale keeps enough answered items;
- a sum with items missing is prorated to the full item count (unless the policy says to
  sum the answered items), a mean averages the answered items;
- a subscale is scored from its own items: it is left out when none of them, or fewer
  than its policy asks, are answered;
- a band is the first whose upper edge the score does not pass.

The arithmetic is the scorer's too, in the same order (sum, then ``* count / answered``),
so the floats are identical. Sums are exact whenever every item score is a multiple of a
power of two small enough that no sum can round (whole numbers, halves, quarters…, the
case for every built-in instrument); otherwise each row is summed with ``math.fsum``, as
the scorer does.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from resilience.errors import AnswerProblem, BatchInputError
from resilience.model.instruments import Band, Instrument, ScoringMethod

__all__ = ["BatchScorer", "BatchScores", "Cells", "RowProblems"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
# (Any, not np.object_: the trailing underscore reads as a link target in the docs.)
ObjectArray = npt.NDArray[Any]

# Below this every whole number, and every sum of them, is a float exactly.
_EXACT_LIMIT = 2.0**53


@attrs.frozen
class Cells:
    """Answers as the kernel reads them: numbers, plus what is not a number.

    Attributes:
        numbers: The value of every cell as a float (anything for a cell that is not a
            number or is unanswered; those cells are marked below).
        unanswered: Cells that hold no answer (the missing marker, ``None``, a null).
        wrong_type: Cells that hold something other than a number (a bool, a string…).
        originals: The cells as given, for the messages about wrong types; ``None`` when
            every cell is a number.

    Example:
        >>> import numpy as np
        >>> cells = Cells.from_numbers(np.array([[1.0, np.nan]]), missing=np.nan)
        >>> cells.unanswered.tolist()
        [[False, True]]
    """

    numbers: FloatArray
    unanswered: BoolArray
    wrong_type: BoolArray
    originals: ObjectArray | None = None

    @classmethod
    def from_numbers(cls, numbers: npt.ArrayLike, *, missing: float) -> Cells:
        """Cells from a numeric matrix; ``missing`` (NaN for NaN) marks unanswered cells."""
        values = np.asarray(numbers, dtype=np.float64)
        unanswered = np.isnan(values) if math.isnan(missing) else values == missing
        return cls(values, unanswered, np.zeros(values.shape, dtype=np.bool_))

    @classmethod
    def from_objects(cls, objects: npt.ArrayLike, *, missing: float) -> Cells:
        """Cells from a matrix of Python objects, checked one by one.

        ``None`` is unanswered, as for the per-answer scorer; so is the missing marker.
        A bool is of the wrong type even though ``True == 1``.
        """
        originals = np.asarray(objects, dtype=object)
        if originals.ndim != 2:
            raise BatchInputError(f"answers must be a 2-D table, got {originals.ndim} dimension(s)")
        numbers = np.full(originals.shape, np.nan)
        unanswered = np.zeros(originals.shape, dtype=np.bool_)
        wrong = np.zeros(originals.shape, dtype=np.bool_)
        nan_missing = math.isnan(missing)
        flat_numbers = numbers.reshape(-1)
        flat_unanswered = unanswered.reshape(-1)
        flat_wrong = wrong.reshape(-1)
        for n, value in enumerate(originals.reshape(-1)):
            if value is None:
                flat_unanswered[n] = True
            elif isinstance(value, bool | np.bool_) or not isinstance(
                value, int | float | np.integer | np.floating
            ):
                flat_wrong[n] = True
            else:
                try:
                    number = float(value)
                except OverflowError:  # an int too large for a float is on no scale
                    number = math.inf
                flat_numbers[n] = number
                if number == missing or (nan_missing and number != number):
                    flat_unanswered[n] = True
        return cls(numbers, unanswered, wrong, originals)


def _exact_sums(tables: Sequence[Mapping[float, float]]) -> bool:
    # Exact when every score is a multiple of 2**-m and the largest possible sum, in units
    # of 2**-m, stays below 2**53: then every partial sum in any order is a float exactly,
    # so numpy's sum equals math.fsum.
    scores = [score for table in tables for score in table.values()]
    exponent = max((math.frexp(score.as_integer_ratio()[1])[1] - 1 for score in scores), default=0)
    largest = math.fsum(max((abs(s) for s in table.values()), default=0.0) for table in tables)
    return largest * 2.0**exponent < _EXACT_LIMIT


# Rows per block, for the kernel and its matrix products: small enough that a block's
# intermediate matrices stay in cache, and that the BLAS library computes each product
# in the calling thread. Its worker threads cost far more than they save on such
# thin products, and on a busy machine they were seen to make scoring five times slower.
_BLOCK = 4096


# Up to this many values on a scale, a cell's position among them is found by comparing
# it with each value; past it, by a binary search.
_FEW_VALUES = 16


def _times(left: FloatArray, right: FloatArray) -> FloatArray:
    # left @ right, a block of rows at a time (the same numbers: each row is independent).
    out = np.empty((left.shape[0], right.shape[1]))
    for start in range(0, left.shape[0], _BLOCK):
        np.matmul(left[start : start + _BLOCK], right, out=out[start : start + _BLOCK])
    return out


def _affine(values: FloatArray, scores: FloatArray) -> tuple[float, float] | None:
    # (sign, offset) when score = sign * value + offset for every declared value.
    if np.array_equal(scores, values):
        return (1.0, 0.0)
    offset = float(values[0] + values[-1])
    if np.array_equal(scores, offset - values):
        return (-1.0, offset)
    return None


def _band_ids(bands: tuple[Band, ...], values: FloatArray) -> ObjectArray:
    # The first band whose upper edge the value does not pass; NaN passes every edge.
    # An instrument's bands rise strictly in (upper edge, inclusive) (checked when it
    # is built), so the bands a value lies within are the last ones, and the first of
    # them is the number of bands less the number it lies within: counted with one
    # comparison and one addition per band, no masked writes, then looked up once in
    # the array of band ids (the last entry, None, for a value within no band).
    within = np.zeros(values.shape, dtype=np.intp)
    for band in bands:
        upper = float(band.upper)
        within += (values <= upper) if band.upper_inclusive else (values < upper)
    ids = np.array([band.id for band in bands] + [None], dtype=object)
    chosen: ObjectArray = ids.take(len(bands) - within)
    return chosen


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class RowProblems(Mapping[int, tuple[AnswerProblem, ...]]):
    """Every problem of every row that is not fully valid, by row number.

    Described only when asked for: scoring a million rows with a few percent of them
    spoiled should not build tens of thousands of messages nobody reads.

    Example:
        >>> import numpy as np
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> problems = BatchScorer(UCLA_3).score_array(np.array([[1, 1, 1], [0, 1, 1]])).problems
        >>> list(problems), [p.kind for p in problems[1]]
        ([1], ['out-of-range'])
    """

    def __init__(
        self,
        scorer: BatchScorer,
        cells: Cells,
        wrong: BoolArray,
        off_scale: BoolArray,
        too_many: BoolArray,
        rows: npt.NDArray[np.intp],
    ) -> None:
        self._scorer = scorer
        self._cells = cells
        self._wrong = wrong
        self._off_scale = off_scale
        self._too_many = too_many
        self._rows = rows
        self._row_set: frozenset[int] | None = None
        self._described: dict[int, tuple[AnswerProblem, ...]] = {}

    def __getitem__(self, row: int) -> tuple[AnswerProblem, ...]:
        described = self._described.get(row)
        if described is None:
            if self._row_set is None:
                self._row_set = frozenset(self._rows.tolist())
            if row not in self._row_set:
                raise KeyError(row)
            described = self._scorer._row_problems(
                self._cells, row, self._wrong[row], self._off_scale[row], bool(self._too_many[row])
            )
            self._described[row] = described
        return described

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows.tolist())

    def __len__(self) -> int:
        return len(self._rows)


@attrs.frozen(eq=False)
class BatchScores:
    """The scores of many answer sets to one instrument, one entry per row, in row order.

    Nothing is dropped: a row that cannot be scored keeps its place, with ``NaN`` (or
    ``None``) where a score would be and the reasons in :attr:`problems`.

    Attributes:
        instrument_id: The instrument scored.
        version: The instrument definition's version.
        key_hash: The definition's scoring-key hash.
        item_ids: The items, in the instrument's order (the columns of :attr:`items`).
        total: The total per row; ``NaN`` where it cannot be scored.
        band: The band id of each total (``None`` if unbanded or unscored).
        subscales: Per subscale id, its score per row (``NaN`` where left out).
        subscale_bands: Per banded subscale id, the band id per row.
        items: The keyed score (after reverse keys and recoding) of every item per row;
            ``NaN`` where unanswered or invalid.
        unanswered: Which items each row left unanswered.
        valid: Rows scored in full: a total and no problem. A row whose subscales are
            scored alone, without a total, is not valid; its problem is
            ``too-many-missing``.
        problems: For every row that is not valid, by row number, every problem with it
            (the kinds the per-answer scorer reports), described when first asked for.

    Example:
        >>> import numpy as np
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> scores = BatchScorer(UCLA_3).score_array(np.array([[1, 2, 3], [3, 3, 9]]))
        >>> scores.total.tolist(), scores.band.tolist()
        ([6.0, nan], ['lonely', None])
        >>> [(p.item_id, p.kind) for p in scores.problems[1]]
        [('ucla-3', 'out-of-range')]
    """

    instrument_id: str
    version: str
    key_hash: str
    item_ids: tuple[str, ...]
    total: FloatArray
    band: ObjectArray
    subscales: Mapping[str, FloatArray]
    subscale_bands: Mapping[str, ObjectArray]
    items: FloatArray
    unanswered: BoolArray
    valid: BoolArray
    problems: Mapping[int, tuple[AnswerProblem, ...]]

    def __len__(self) -> int:
        return int(self.total.shape[0])

    @property
    def n_missing(self) -> npt.NDArray[np.int64]:
        """How many items each row left unanswered."""
        counts: npt.NDArray[np.int64] = self.unanswered.sum(axis=1, dtype=np.int64)
        return counts

    def problem_text(self) -> list[str | None]:
        """Per row, its problems in one line (``None`` for a valid row).

        Example:
            >>> import numpy as np
            >>> from resilience.builtin.instruments.ucla3 import UCLA_3
            >>> BatchScorer(UCLA_3).score_array(np.array([[1, 1, 1], [0, 1, 1]])).problem_text()
            [None, "ucla-1: 0 is not one of the scale's values (1, 2, 3) [out-of-range]"]
        """
        text: list[str | None] = [None] * len(self)
        for row, problems in self.problems.items():
            text[row] = "; ".join(
                f"{p.item_id + ': ' if p.item_id else ''}{p.message} [{p.kind}]" for p in problems
            )
        return text

    def to_pandas(self, *, index: Any = None) -> Any:
        """The scores as a pandas DataFrame, with the columns of ``score_partition``.

        Example:
            >>> import numpy as np
            >>> from resilience.builtin.instruments.lsns6 import LSNS_6
            >>> frame = BatchScorer(LSNS_6).score_array(np.full((2, 6), 2)).to_pandas()
            >>> list(frame.columns)[:4]
            ['total', 'band', 'subscale:family', 'subscale:friends']
        """
        import pandas as pd

        data: dict[str, Any] = {
            "total": self.total,
            "band": pd.Series(self.band, dtype=object, index=index),
        }
        for sub_id, values in self.subscales.items():
            data[f"subscale:{sub_id}"] = values
        for sub_id, bands in self.subscale_bands.items():
            data[f"band:{sub_id}"] = pd.Series(bands, dtype=object, index=index)
        data["missing"] = self.n_missing
        data["valid"] = self.valid
        data["problems"] = pd.Series(self.problem_text(), dtype=object, index=index)
        return pd.DataFrame(data, index=index)


class BatchScorer:
    """An instrument compiled for scoring whole tables of answers at once.

    Build it once per instrument (any :class:`~resilience.Instrument`, a plugin's too)
    and call it on as many batches as you like; it holds no state between calls.

    Args:
        instrument: The instrument to score.

    Example:
        >>> import numpy as np
        >>> from resilience.builtin.instruments.brs import BRS
        >>> scorer = BatchScorer(BRS)
        >>> scorer.score_array(np.array([[5, 1, 5, 1, 5, 1], [3, 3, 3, 3, 3, np.nan]])).total
        array([5., 3.])
    """

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.item_ids = tuple(item.id for item in instrument.items)
        position = {item_id: n for n, item_id in enumerate(self.item_ids)}
        self._values: list[FloatArray] = []
        self._scores: list[FloatArray] = []
        tables: list[dict[float, float]] = []
        for item in instrument.items:
            scale = instrument.scale_of(item)
            table: dict[float, float] = {}
            for value in scale.values:
                if item.recode is not None:
                    table[float(value)] = float(item.recode[value])
                elif item.reverse:
                    table[float(value)] = float(scale.reverse(value))
                else:
                    table[float(value)] = float(value)
            tables.append(table)
            self._values.append(np.array(list(table), dtype=np.float64))
            self._scores.append(np.array(list(table.values()), dtype=np.float64))
        self._allowed_text = [
            ", ".join(_fmt(v) for v in instrument.scale_of(item).values)
            for item in instrument.items
        ]
        # When every item shares one scale, the lookup runs on the whole matrix at once.
        first = self._values[0]
        self._shared = all(
            v.shape == first.shape and bool((v == first).all()) for v in self._values
        )
        self._score_table = np.stack(self._scores) if self._shared else None
        # Plain and reverse-keyed items are affine in the answer (x, or low + high - x):
        # when every item is, keying is one multiply-add over the whole matrix.
        affine = [_affine(v, t) for v, t in zip(self._values, self._scores, strict=True)]
        self._affine: tuple[FloatArray, FloatArray] | None = None
        if all(a is not None for a in affine):
            self._affine = (
                np.array([a[0] for a in affine if a is not None]),
                np.array([a[1] for a in affine if a is not None]),
            )
        self._identity = (
            self._affine is not None
            and bool((self._affine[0] == 1.0).all())
            and not self._affine[1].any()
        )
        self._exact = _exact_sums(tables)
        self._mean = instrument.method is ScoringMethod.MEAN
        self._prorate = instrument.missing.prorate
        self._allowed = instrument.missing.max_missing
        self._sub_limit = instrument.missing.subscale_max_missing
        self._alone = instrument.missing.subscales_alone
        self._subscales = [
            (s.id, np.array([position[i] for i in s.item_ids], dtype=np.intp), s.bands)
            for s in instrument.subscales
        ]
        # Which items each score adds up: the total, then each subscale.
        self._scale_columns = [np.arange(len(self.item_ids))] + [c for _, c, _ in self._subscales]
        self._counts = np.array([len(c) for c in self._scale_columns], dtype=np.intp)
        self._members = np.zeros((len(self.item_ids), len(self._scale_columns)))
        for n, columns in enumerate(self._scale_columns):
            self._members[columns, n] = 1.0
        # A subscale stands on its own items: scored when at least this many of them are
        # answered (at least one, and no more missing than the policy allows).
        self._needed = np.maximum(1, self._counts[1:] - self._sub_limit)

    # -- inputs ------------------------------------------------------------------------

    def check_missing_marker(self, missing: float) -> None:
        """Refuse a missing marker that is also an answer some item can be given.

        Example:
            >>> from resilience.builtin.instruments.lsns6 import LSNS_6
            >>> BatchScorer(LSNS_6).check_missing_marker(0)
            Traceback (most recent call last):
            ...
            resilience.errors.BatchInputError: the missing marker 0 is a value of the scale of lsns-1; choose one that no item can be given (such as -9 or NaN)
        """  # noqa: E501
        for item_id, values in zip(self.item_ids, self._values, strict=True):
            if bool((values == missing).any()):
                raise BatchInputError(
                    f"the missing marker {_fmt(missing)} is a value of the scale of {item_id}; "
                    "choose one that no item can be given (such as -9 or NaN)"
                )

    def score_array(self, answers: npt.ArrayLike, *, missing: float = math.nan) -> BatchScores:
        """Score a 2-D array: one row per answer set, items in the instrument's order.

        Args:
            answers: A numeric array, or an object array of Python values (``None`` is
                unanswered; strings and bools are of the wrong type).
            missing: The value that marks an unanswered item (default ``NaN``).

        Raises:
            BatchInputError: the array is not 2-D with one column per item, or the
                missing marker is a value of the scale.

        Example:
            >>> import numpy as np
            >>> from resilience.builtin.instruments.ucla3 import UCLA_3
            >>> scores = BatchScorer(UCLA_3).score_array(np.array([[1, 2, -9]]), missing=-9)
            >>> [(p.item_id, p.kind) for p in scores.problems[0]]
            [(None, 'too-many-missing')]
        """
        self.check_missing_marker(missing)
        array = np.asarray(answers)
        if array.dtype.kind in "iuf":
            cells = Cells.from_numbers(array, missing=missing)
        else:
            cells = Cells.from_objects(array, missing=missing)
        return self.score_cells(cells)

    def score_cells(self, cells: Cells) -> BatchScores:
        """Score answers already read into :class:`Cells` (the step every input ends in).

        Example:
            >>> import numpy as np
            >>> from resilience.builtin.instruments.ucla3 import UCLA_3
            >>> cells = Cells.from_numbers(np.array([[3, 3, 3]]), missing=np.nan)
            >>> BatchScorer(UCLA_3).score_cells(cells).total
            array([9.])
        """
        numbers = cells.numbers
        if numbers.ndim != 2 or numbers.shape[1] != len(self.item_ids):
            raise BatchInputError(
                f"{self.instrument.id} has {len(self.item_ids)} items "
                f"({', '.join(self.item_ids)}); the answers need one column per item, "
                f"got shape {numbers.shape}"
            )
        rows, count = numbers.shape
        scores = np.empty((rows, count))
        # Cells of the wrong type come only from tables of Python objects: numeric
        # input has none, and the passes that sort them out are skipped.
        any_wrong = bool(cells.wrong_type.any())
        wrong = (np.empty if any_wrong else np.zeros)((rows, count), dtype=np.bool_)
        off_scale = np.empty((rows, count), dtype=np.bool_)
        combined = np.empty((rows, len(self._scale_columns)))
        # Per row, what the counts of answered and unanswered items decide, kept as
        # flags: the counts themselves are needed only a block at a time.
        spoiled = np.empty(rows, dtype=np.bool_)
        too_many = np.empty(rows, dtype=np.bool_)
        short = np.empty((rows, len(self._subscales)), dtype=np.bool_)
        ones = np.ones((count, 1))
        # A block of rows at a time: each block's dozen intermediate matrices stay in
        # the processor's cache, so the cost per row does not grow with the batch.
        for start in range(0, rows, _BLOCK):
            block = slice(start, start + _BLOCK)
            unanswered = cells.unanswered[block]
            keyed = scores[block]  # keyed in place: these are the item scores returned
            declared = self._lookup(numbers[block], keyed)
            # Each cell is answered (a declared value), unanswered, of the wrong type,
            # or off the scale: exactly one of them.
            answered = declared & ~unanswered
            if any_wrong:
                wrong[block] = cells.wrong_type[block] & ~unanswered
                off_scale[block] = ~(declared | unanswered | wrong[block])
                answered &= ~wrong[block]
            else:
                off_scale[block] = ~(declared | unanswered)
            combined[block], n_answered = self._combine(keyed, answered)
            keyed[~answered] = np.nan
            # Counted as a matrix product: much faster than a sum along rows of a
            # dozen booleans.
            n_missing = _times(unanswered.astype(np.float64), ones)[:, 0]
            # A row is spoiled when some item is neither answered nor unanswered.
            spoiled[block] = n_answered[:, 0] + n_missing < count
            too_many[block] = n_missing > self._allowed
            short[block] = n_answered[:, 1:] < self._needed
        unanswered = cells.unanswered
        invalid = spoiled | too_many
        total = combined[:, 0]
        total[invalid] = np.nan
        instrument = self.instrument
        subscales: dict[str, FloatArray] = {}
        subscale_bands: dict[str, ObjectArray] = {}
        # A row with too many items missing is refused as a whole, its subscales too,
        # unless the policy scores the subscales alone.
        refused = spoiled if self._alone else invalid
        for n, (sub_id, _, bands) in enumerate(self._subscales, start=1):
            value = combined[:, n]
            value[refused | short[:, n - 1]] = np.nan
            subscales[sub_id] = value
            if bands:
                subscale_bands[sub_id] = _band_ids(bands, value)
        return BatchScores(
            instrument_id=instrument.id,
            version=instrument.version,
            key_hash=instrument.key_hash,
            item_ids=self.item_ids,
            total=total,
            band=_band_ids(instrument.bands, total),
            subscales=subscales,
            subscale_bands=subscale_bands,
            items=scores,
            unanswered=unanswered,
            valid=~invalid,
            problems=RowProblems(self, cells, wrong, off_scale, too_many, np.flatnonzero(invalid)),
        )

    # -- the arithmetic -----------------------------------------------------------------

    def _declared(
        self, values: FloatArray, numbers: FloatArray
    ) -> tuple[BoolArray, npt.NDArray[np.intp] | None]:
        # Whether each cell holds a declared value, and (when keying needs a table) its
        # position in the table of values.
        if self._affine is not None:
            found: BoolArray = np.isin(numbers, values)
            return found, None
        if len(values) <= _FEW_VALUES:
            # The position of a declared value is how many values above the lowest it
            # reaches: a comparison per value, several times faster than a binary search
            # per cell on a scale this short. (NaN reaches none: position 0, undeclared.)
            index = np.zeros(numbers.shape, dtype=np.intp)
            for value in values[1:].tolist():
                index += numbers >= value
        else:
            index = np.minimum(np.searchsorted(values, numbers), len(values) - 1)
        declared: BoolArray = values[index] == numbers
        return declared, index

    def _lookup(self, numbers: FloatArray, scores: FloatArray) -> BoolArray:
        # Each cell's keyed score, written into ``scores`` (anything where not declared),
        # and whether each cell is declared.
        if self._score_table is not None:
            declared, index = self._declared(self._values[0], numbers)
            if self._affine is not None:
                signs, offsets = self._affine
                if self._identity:  # no item is reversed: the answers are the scores
                    scores[...] = numbers
                else:  # the same two operations, in the same order, as x * sign + offset
                    np.multiply(numbers, signs, out=scores)
                    scores += offsets
                return declared
            columns = np.arange(numbers.shape[1])[np.newaxis, :]
            scores[...] = self._score_table[columns, index]
            return declared
        declared = np.empty(numbers.shape, dtype=np.bool_)
        for column, (values, table) in enumerate(zip(self._values, self._scores, strict=True)):
            cells = numbers[:, column]
            hit, index = self._declared(values, cells)
            declared[:, column] = hit
            if self._affine is not None:
                scores[:, column] = cells * self._affine[0][column] + self._affine[1][column]
            else:
                scores[:, column] = table[index]
        return declared

    def _combine(
        self, scores: FloatArray, answered: BoolArray
    ) -> tuple[FloatArray, npt.NDArray[np.intp]]:
        # The per-answer scorer's rule for every score of every row (column 0 the total,
        # then the subscales): sum the answered items; a mean divides by the number
        # answered; a sum with items missing is prorated (sum * count / answered) unless
        # the policy sums the answered items only. One matrix product gives every sum
        # of every row; it is exact (see _exact_sums), else each sum is an fsum.
        n_answered = _times(answered.astype(np.float64), self._members).astype(np.intp)
        if self._exact:
            sums: FloatArray = _times(np.where(answered, scores, 0.0), self._members)
        else:
            sums = np.array(
                [
                    [math.fsum(row[columns][ok[columns]]) for columns in self._scale_columns]
                    for row, ok in zip(scores, answered, strict=True)
                ]
            ).reshape(-1, len(self._scale_columns))
        counts = self._counts
        with np.errstate(invalid="ignore", divide="ignore"):
            if self._mean:
                result: FloatArray = sums / n_answered
            elif self._prorate:
                result = np.where(n_answered == counts, sums, sums * counts / n_answered)
            else:
                result = sums
        return result, n_answered

    def _row_problems(
        self,
        cells: Cells,
        row: int,
        wrong: BoolArray,
        off_scale: BoolArray,
        too_many: bool,
    ) -> tuple[AnswerProblem, ...]:
        # In the scorer's order: each item in the instrument's order, then missing items.
        instrument_id = self.instrument.id
        problems = []
        for column in np.flatnonzero(wrong | off_scale).tolist():
            item_id = self.item_ids[column]
            allowed = self._allowed_text[column]
            if wrong[column]:
                value: object = (
                    cells.originals[row, column] if cells.originals is not None else None
                )
                problems.append(
                    AnswerProblem(
                        instrument_id,
                        item_id,
                        "wrong-type",
                        f"{value!r} is a {type(value).__name__}; answers are numbers ({allowed})",
                    )
                )
            else:
                # The value as given where there is one: an int past 2**53 (or too large
                # for a float at all) is shown as the scorer shows it, not as its float.
                number: object = float(cells.numbers[row, column])
                if cells.originals is not None:
                    number = cells.originals[row, column]
                problems.append(
                    AnswerProblem(
                        instrument_id,
                        item_id,
                        "out-of-range",
                        f"{_fmt(number)} is not one of the scale's values ({allowed})",
                    )
                )
        if too_many:
            gaps = cells.unanswered[row]
            # As in the scorer: when the subscales are scored alone, too many missing items
            # are a problem of the answers only if no subscale keeps enough of its own
            # (counting unanswered items only, not invalid ones). A row that keeps one is
            # still listed, without a total: the total is what cannot be scored.
            standing = self._alone and any(
                int(gaps[columns].sum()) <= self._sub_limit
                and int(gaps[columns].sum()) < len(columns)
                for _, columns, _ in self._subscales
            )
            if not (standing and problems):
                missing = [self.item_ids[c] for c in np.flatnonzero(gaps).tolist()]
                either = (
                    " and no subscale can be scored from its own items"
                    if self._subscales and not standing
                    else ""
                )
                problems.append(
                    AnswerProblem(
                        instrument_id,
                        None,
                        "too-many-missing",
                        f"{len(missing)} items unanswered ({', '.join(missing)}); "
                        f"at most {self._allowed} may be missing{either}",
                    )
                )
        return tuple(problems)
