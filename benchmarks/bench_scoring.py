"""Time ``engine.score`` against hand-written scorers for the same scales, in one run.

For every built-in instrument this script scores the same answer sets twice: once through
``Engine.score`` (the one data-driven scorer) and once through a function written by hand
for that one scale. The hand-written functions do the same work a careful app would do:
reject unknown items, check that every value is on the scale (a bool is not a number),
apply the scale's missing-item rule, reverse-key or dichotomise, and compute the total, the
subscales and the bands, returning a small dict. Before timing, the script checks that both
give the same numbers for every answer set, so the comparison is like for like.

Goal (issue 3): the engine within 2x of the hand-written function, a few microseconds per
answer set. Run it::

    python benchmarks/bench_scoring.py            # default: 20000 calls x 5 repeats
    python benchmarks/bench_scoring.py --number 200 --repeat 1

Each line prints microseconds per call for both and their ratio (engine / hand-written);
the best of the repeats is used, which is the least noisy estimate on a busy machine.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import resilience as rs

Answers = Mapping[str, Any]
Result = dict[str, Any]


def _bad(instrument: str, detail: str) -> ValueError:
    return ValueError(f"{instrument}: {detail}")


def _check_items(instrument: str, answers: Answers, known: frozenset[str]) -> None:
    if not known.issuperset(answers):
        raise _bad(instrument, f"unknown items {sorted(set(answers) - known)}")


def _value(instrument: str, answers: Answers, key: str, allowed: frozenset[int]) -> int | None:
    value = answers.get(key)
    if value is None:
        return None
    if value.__class__ is bool or value not in allowed:
        raise _bad(instrument, f"{key}: {value!r} is not one of {sorted(allowed)}")
    return int(value)


# -- ucla-3: sum of three items 1-3; lonely from 6 ------------------------------------

_UCLA = ("ucla-1", "ucla-2", "ucla-3")
_UCLA_SET = frozenset(_UCLA)
_ONE_TO_THREE = frozenset((1, 2, 3))


def hand_ucla3(answers: Answers) -> Result:
    _check_items("ucla-3", answers, _UCLA_SET)
    total = 0
    for key in _UCLA:
        value = _value("ucla-3", answers, key, _ONE_TO_THREE)
        if value is None:
            raise _bad("ucla-3", f"{key} is missing")
        total += value
    return {"total": float(total), "band": "lonely" if total >= 6 else "not-lonely"}


# -- brs: mean of six items 1-5, items 2, 4, 6 reversed; one may be missing -------------

_BRS = tuple(f"brs-{i}" for i in range(1, 7))
_BRS_SET = frozenset(_BRS)
_BRS_REVERSED = frozenset(("brs-2", "brs-4", "brs-6"))
_ONE_TO_FIVE = frozenset(range(1, 6))


def hand_brs(answers: Answers) -> Result:
    _check_items("brs", answers, _BRS_SET)
    values = []
    for key in _BRS:
        value = _value("brs", answers, key, _ONE_TO_FIVE)
        if value is not None:
            values.append(6 - value if key in _BRS_REVERSED else value)
    if len(values) < 5:
        raise _bad("brs", "more than one item is missing")
    mean = sum(values) / len(values)
    band = "low" if mean < 3.0 else "normal" if mean <= 4.30 else "high"
    return {"total": mean, "band": band}


# -- lsns-6: sum of six counts 0-5, family and friends subscales; at risk below 12 ------

_LSNS = tuple(f"lsns-{i}" for i in range(1, 7))
_LSNS_SET = frozenset(_LSNS)
_ZERO_TO_FIVE = frozenset(range(6))


def hand_lsns6(answers: Answers) -> Result:
    _check_items("lsns-6", answers, _LSNS_SET)
    values = []
    for key in _LSNS:
        value = _value("lsns-6", answers, key, _ZERO_TO_FIVE)
        if value is None:
            raise _bad("lsns-6", f"{key} is missing")
        values.append(value)
    family = sum(values[:3])
    friends = sum(values[3:])
    total = family + friends
    return {
        "total": float(total),
        "band": "at-risk" if total < 12 else "not-at-risk",
        "subscales": {"family": float(family), "friends": float(friends)},
    }


# -- djg-6: dichotomised yes / more or less / no; total and two subscales ---------------

_DJG_EMOTIONAL = ("djg-1", "djg-4", "djg-6")  # 1 for "yes" (3) or "more or less" (2)
_DJG_SOCIAL = ("djg-2", "djg-3", "djg-5")  # 1 for "no" (1) or "more or less" (2)
_DJG_SET = frozenset(_DJG_EMOTIONAL + _DJG_SOCIAL)


def _djg_part(answers: Answers, keys: Sequence[str], lonely: frozenset[int]) -> tuple[int, int]:
    score = answered = 0
    for key in keys:
        value = _value("djg-6", answers, key, _ONE_TO_THREE)
        if value is not None:
            answered += 1
            score += value in lonely
    return score, answered


def hand_djg6(answers: Answers) -> Result:
    _check_items("djg-6", answers, _DJG_SET)
    emotional, e_answered = _djg_part(answers, _DJG_EMOTIONAL, frozenset((2, 3)))
    social, s_answered = _djg_part(answers, _DJG_SOCIAL, frozenset((1, 2)))
    if e_answered + s_answered < 5:
        raise _bad("djg-6", "more than one item is missing")
    total = emotional + social
    band = "not-lonely" if total <= 1 else "moderately-lonely" if total <= 4 else "severely-lonely"
    subscales = {}
    if e_answered == 3:
        subscales["emotional"] = float(emotional)
    if s_answered == 3:
        subscales["social"] = float(social)
    return {"total": float(total), "band": band, "subscales": subscales}


# -- mspss: means of 12 items 1-7 and of three four-item subscales -----------------------

_MSPSS = tuple(f"mspss-{i}" for i in range(1, 13))
_MSPSS_SET = frozenset(_MSPSS)
_ONE_TO_SEVEN = frozenset(range(1, 8))
_MSPSS_PARTS = {
    "significant-other": (0, 1, 4, 9),
    "family": (2, 3, 7, 10),
    "friends": (5, 6, 8, 11),
}


def _mspss_band(mean: float) -> str:
    return "low" if mean < 3.0 else "moderate" if mean <= 5.0 else "high"


def hand_mspss(answers: Answers) -> Result:
    _check_items("mspss", answers, _MSPSS_SET)
    values = []
    for key in _MSPSS:
        value = _value("mspss", answers, key, _ONE_TO_SEVEN)
        if value is None:
            raise _bad("mspss", f"{key} is missing")
        values.append(value)
    total = sum(values) / 12
    subscales = {name: sum(values[i] for i in index) / 4 for name, index in _MSPSS_PARTS.items()}
    return {
        "total": total,
        "band": _mspss_band(total),
        "subscales": subscales,
        "subscale_bands": {name: _mspss_band(value) for name, value in subscales.items()},
    }


# -- the project's checklists: means with a few items allowed missing -------------------

_SIGNS = tuple(sign.value for sign in rs.IsolationSign)
_SIGNS_SET = frozenset(_SIGNS)
_ZERO_TO_FOUR = frozenset(range(5))
_SIGN_PILLARS = {
    pillar.value: tuple(sign.value for sign in rs.IsolationSign if pillar in sign.pillars)
    for pillar in rs.Pillar
}


def hand_connection_signs(answers: Answers) -> Result:
    _check_items("connection-signs", answers, _SIGNS_SET)
    values: dict[str, int] = {}
    for key in _SIGNS:
        value = _value("connection-signs", answers, key, _ZERO_TO_FOUR)
        if value is not None:
            values[key] = value
    if len(values) < len(_SIGNS) - 2:
        raise _bad("connection-signs", "more than two items are missing")
    subscales = {}
    for pillar, keys in _SIGN_PILLARS.items():
        answered = [values[key] for key in keys if key in values]
        if answered and len(keys) - len(answered) <= 1:
            subscales[pillar] = sum(answered) / len(answered)
    return {"total": sum(values.values()) / len(values), "band": None, "subscales": subscales}


_CAPACITIES = tuple(capacity.value for capacity in rs.Capacity)
_CAPACITIES_SET = frozenset(_CAPACITIES)


def hand_capacities(answers: Answers) -> Result:
    _check_items("resilience-capacities", answers, _CAPACITIES_SET)
    values = []
    for key in _CAPACITIES:
        value = _value("resilience-capacities", answers, key, _ONE_TO_FIVE)
        if value is not None:
            values.append(value)
    if len(values) < len(_CAPACITIES) - 1:
        raise _bad("resilience-capacities", "more than one item is missing")
    return {"total": sum(values) / len(values), "band": None}


HAND_WRITTEN: dict[str, Callable[[Answers], Result]] = {
    "connection-signs": hand_connection_signs,
    "resilience-capacities": hand_capacities,
    "ucla-3": hand_ucla3,
    "brs": hand_brs,
    "lsns-6": hand_lsns6,
    "djg-6": hand_djg6,
    "mspss": hand_mspss,
}


def answer_sets(instrument: rs.Instrument, count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` complete, valid answer sets drawn at random (the same for both scorers)."""
    rng = random.Random(seed)
    return [
        {item.id: rng.choice(instrument.scale_of(item).values) for item in instrument.items}
        for _ in range(count)
    ]


def _agree(expected: Result, score: rs.InstrumentScore) -> bool:
    close = math.isclose(expected["total"], score.total, abs_tol=1e-9)
    subscales = expected.get("subscales", {})
    same_subscales = set(subscales) == set(score.subscales) and all(
        math.isclose(value, score.subscales[name], abs_tol=1e-9)
        for name, value in subscales.items()
    )
    bands = expected.get("subscale_bands")
    same_bands = bands is None or dict(score.subscale_bands) == bands
    return close and expected["band"] == score.band and same_subscales and same_bands


def best_per_call(
    function: Callable[..., object], calls: list[tuple[Any, ...]], *, number: int, repeat: int
) -> float:
    """The fastest of ``repeat`` runs of ``number`` calls, in microseconds per call.

    Each call is ``function(*args)`` for the next ``args`` in ``calls``, so the engine and
    the hand-written functions are called the same way, with no wrapper around either.
    """
    cycle = (calls * (number // len(calls) + 1))[:number]
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        for args in cycle:
            function(*args)
        best = min(best, time.perf_counter() - start)
    return best / number * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=20_000, help="calls per repeat")
    parser.add_argument("--repeat", type=int, default=5, help="repeats (the best is kept)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    engine = rs.Engine(load_installed=False)
    print(
        f"resilience {rs.__version__}, Python {sys.version.split()[0]}; "
        f"{args.number} calls x {args.repeat} repeats, best kept"
    )
    print(f"{'instrument':<22} {'engine µs':>10} {'hand µs':>9} {'ratio':>7}")
    ratios = []
    for instrument_id, hand in HAND_WRITTEN.items():
        instrument = engine.instruments[instrument_id]
        sets = answer_sets(instrument, 64, args.seed)
        for answers in sets:
            if not _agree(hand(answers), engine.score(instrument_id, answers)):
                print(f"MISMATCH for {instrument_id}: {answers}", file=sys.stderr)
                return 1

        engine_calls = [(instrument_id, answers) for answers in sets]
        hand_calls = [(answers,) for answers in sets]
        engine_us = best_per_call(
            engine.score, engine_calls, number=args.number, repeat=args.repeat
        )
        hand_us = best_per_call(hand, hand_calls, number=args.number, repeat=args.repeat)
        ratio = engine_us / hand_us
        ratios.append(ratio)
        print(f"{instrument_id:<22} {engine_us:>10.2f} {hand_us:>9.2f} {ratio:>6.2f}x")
    geometric_mean = math.exp(math.fsum(math.log(r) for r in ratios) / len(ratios))
    print(f"{'geometric mean ratio':<22} {'':>10} {'':>9} {geometric_mean:>6.2f}x  (goal: <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
