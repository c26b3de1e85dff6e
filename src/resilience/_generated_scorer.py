"""Straight-line Python generated once per instrument for the common case: complete answers.

The general scorer (:meth:`resilience._scoring.ScoringKey._score_general`) loops over the
items, tracks missing ones and collects problems. Most answer sets are complete and valid,
and for them that bookkeeping costs more than the arithmetic. So, as attrs does for
``__init__`` and cattrs for structuring, each instrument gets a function written for it
when it is compiled: one variable per item, the subscales and bands unrolled, the result
built slot by slot. It does the same arithmetic in the same order as the general scorer
(``math.fsum`` over the same values), so both give identical scores; a property test
holds them to that.

The generated function only ever *accepts*: whenever an answer set is not complete and
valid (an item missing, a value off the scale or of the wrong type, an unknown item, not a
mapping), it hands the answers to the general scorer, which decides and describes every
problem. Nothing from the instrument definition (ids, labels, thresholds) is written into
the source text: every such value is bound as a variable of the function's namespace, so
no definition can inject code, and floats keep their exact value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from math import fsum
from typing import Any

from resilience.model.fields import FrozenDict

__all__ = ["generate_scorer"]

# ``(upper, inclusive, id)`` per band, as compiled by the scorer.
Edges = tuple[tuple[float, bool, str], ...]
# ``(id, item ids, item count, band edges)`` per subscale.
Subscales = tuple[tuple[str, tuple[str, ...], int, Edges], ...]


def generate_scorer(
    *,
    tables: tuple[tuple[str, Mapping[Any, float]], ...],
    mean: bool,
    edges: Edges,
    subscales: Subscales,
    result_class: type,
    setters: Mapping[str, Callable[[Any, Any], None]],
    constants: Mapping[str, object],
    general: Callable[[Mapping[str, Any]], Any],
) -> Callable[[Mapping[str, Any]], Any]:
    """Generate the complete-answers scorer for one compiled instrument.

    Args:
        tables: Per item, in the instrument's order: its id and the table from each
            declared answer value to the score it counts as.
        mean: Whether totals and subscales are means (otherwise sums).
        edges: The total's band edges.
        subscales: Each subscale's id, item ids, item count and band edges.
        result_class: The class of the result; its instances are made empty with
            ``object.__new__`` and filled through ``setters``.
        setters: One slot setter per result field (``instrument_id`` … ``missing``).
        constants: The result fields that are the same for every answer set
            (``instrument_id``, ``version``, ``key_hash``, ``total_range``,
            ``higher_is_better``, ``subscale_ranges``).
        general: The general scorer, called for every answer set this one does not accept.

    Returns:
        A function of one answer mapping that returns the same result as ``general``.

    Example:
        >>> from resilience._scoring import compile_instrument
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> compile_instrument(UCLA_3).score({"ucla-1": 3, "ucla-2": 3, "ucla-3": 2}).total
        8.0
    """
    namespace: dict[str, Any] = {
        "fsum": fsum,
        "FrozenDict": FrozenDict,
        "EMPTY": FrozenDict(),
        "Mapping": Mapping,
        "new": object.__new__,
        "result_class": result_class,
        "general": general,
        "PLAIN": frozenset({int, float}),
    }
    for name, setter in setters.items():
        namespace[f"set_{name}"] = setter
    for name, value in constants.items():
        namespace[f"const_{name}"] = value

    count = len(tables)
    position = {item_id: n for n, (item_id, _) in enumerate(tables)}
    values = [f"v{n}" for n in range(count)]
    scores = [f"s{n}" for n in range(count)]
    lines = [
        "def score(answers):",
        # Only len() and get() are used, as in the general scorer; with exactly as many
        # keys as items and every item found, no key can be unknown.
        "    if answers.__class__ is not dict and not isinstance(answers, Mapping):",
        "        return general(answers)",
        f"    if len(answers) != {count}:",
        "        return general(answers)",
        "    get = answers.get",
    ]
    for n, (item_id, table) in enumerate(tables):
        namespace[f"item{n}"] = item_id
        namespace[f"table{n}"] = table
        lines.append(f"    v{n} = get(item{n})")
    if values:
        # Only plain ints and floats take the fast path: True == 1 in a lookup table (and
        # so does NumPy's True), but a yes/no is not an answer value; the general scorer
        # tells those apart from NumPy's numbers.
        lines.append("    if " + " or ".join(f"{v}.__class__ not in PLAIN" for v in values) + ":")
        lines.append("        return general(answers)")
        lines.append("    try:")
        # None (missing) is in no table: a KeyError, like any undeclared value.
        lines.extend(f"        s{n} = table{n}[v{n}]" for n in range(count))
        lines.append("    except (KeyError, TypeError):")
        lines.append("        return general(answers)")
    add = _adder(tables)
    lines.append(f"    total = {add(scores)}")
    if mean:
        lines.append(f"    total /= {count}")
    lines.extend(_band_lines("total", edges, "band", namespace))

    subscale_entries = []
    banded = []
    for n, (sub_id, item_ids, sub_count, sub_edges) in enumerate(subscales):
        namespace[f"subscale{n}"] = sub_id
        members = [scores[position[item_id]] for item_id in item_ids]
        divide = f" / {sub_count}" if mean else ""
        lines.append(f"    sub{n} = {add(members)}{divide}")
        subscale_entries.append(f"subscale{n}: sub{n}")
        if sub_edges:
            lines.extend(_band_lines(f"sub{n}", sub_edges, f"sub_band{n}", namespace))
            banded.append(n)

    if banded:
        lines.append("    bands = {}")
        for n in banded:
            lines.append(f"    if sub_band{n} is not None:")
            lines.append(f"        bands[subscale{n}] = sub_band{n}")
    items = ", ".join(f"item{n}: s{n}" for n in range(count))
    lines += [
        "    result = new(result_class)",
        "    set_instrument_id(result, const_instrument_id)",
        "    set_version(result, const_version)",
        "    set_key_hash(result, const_key_hash)",
        "    set_total(result, total)",
        "    set_total_range(result, const_total_range)",
        "    set_higher_is_better(result, const_higher_is_better)",
        "    set_band(result, band)",
        "    set_subscales(result, "
        + (f"FrozenDict({{{', '.join(subscale_entries)}}}))" if subscale_entries else "EMPTY)"),
        "    set_subscale_ranges(result, const_subscale_ranges)",
        "    set_subscale_bands(result, "
        + ("FrozenDict(bands) if bands else EMPTY)" if banded else "EMPTY)"),
        f"    set_items(result, FrozenDict({{{items}}}))",
        "    set_missing(result, ())",
        "    return result",
    ]
    filename = f"<resilience scorer for {constants['instrument_id']!r}>"
    code = compile("\n".join(lines), filename, "exec")
    exec(code, namespace)  # the source holds generated names only, never definition data
    scorer: Callable[[Mapping[str, Any]], Any] = namespace["score"]
    return scorer


# Below this, every whole number is a float exactly, and so is every partial sum of them.
_EXACT_LIMIT = 2.0**53


def _adder(tables: tuple[tuple[str, Mapping[Any, float]], ...]) -> Callable[[list[str]], str]:
    # When every item score is a whole number and no sum can reach 2**53, each partial
    # sum is exact, so plain "+" gives the same float as math.fsum (the general scorer's
    # sum), at a fraction of the cost. Any fractional score (a recode to 0.5, say) keeps
    # fsum, whose correctly rounded result does not depend on the order of the items.
    whole = all(float(v).is_integer() for _, table in tables for v in table.values())
    largest = sum(max((abs(v) for v in table.values()), default=0.0) for _, table in tables)
    if whole and largest < _EXACT_LIMIT:
        return lambda names: f"({' + '.join(names)})" if names else "0.0"
    return lambda names: f"fsum(({''.join(f'{name}, ' for name in names).rstrip()}))"


def _band_lines(value: str, edges: Edges, target: str, namespace: dict[str, Any]) -> list[str]:
    # The first band whose upper edge the value does not pass, as scoring.band_of decides:
    # below the edge, or on it when the edge is inclusive. NaN passes every edge: None.
    if not edges:
        return [f"    {target} = None"]
    lines = []
    for n, (upper, inclusive, band_id) in enumerate(edges):
        namespace[f"{target}_upper{n}"] = upper
        namespace[f"{target}_id{n}"] = band_id
        keyword = "if" if n == 0 else "elif"
        compare = "<=" if inclusive else "<"
        lines.append(f"    {keyword} {value} {compare} {target}_upper{n}:")
        lines.append(f"        {target} = {target}_id{n}")
    lines.append("    else:")
    lines.append(f"        {target} = None")
    return lines
