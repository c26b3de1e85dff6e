"""Score a cohort of 100,000 people at once, and check how reliable the scales were.

A made-up survey: everyone answered the Brief Resilience Scale (BRS) and the six-item
De Jong Gierveld loneliness scale (DJG-6). Each person's answers lean on one underlying
level of resilience and of loneliness, with noise, a few items skipped and a few codes
that are not on the scale, as real exports have. Needs the ``batch`` extra.

Run it with ``python examples/cohort.py``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import resilience as rs
from resilience import batch

PEOPLE = 100_000


def survey(instrument: rs.Instrument, level: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Answers near each person's level; reverse-keyed and recoded items the other way."""
    columns = {}
    for item in instrument.items:
        values = np.array(instrument.scale_of(item).values, dtype=float)
        against = item.reverse or (
            item.recode is not None and item.recode[values[0]] > item.recode[values[-1]]
        )
        position = (-level if against else level) + rng.normal(scale=0.9, size=len(level))
        position /= position.std()
        # cut the position into the scale's answers, evenly by the normal curve
        cuts = np.quantile(rng.normal(size=10_000), np.linspace(0, 1, len(values) + 1)[1:-1])
        answers = values[np.searchsorted(cuts, position)]
        answers[rng.random(len(level)) < 0.02] = np.nan  # skipped
        answers[rng.random(len(level)) < 0.001] = 9  # a code that is not an answer
        columns[item.id] = answers
    return pd.DataFrame(columns)


def main() -> None:
    rng = np.random.default_rng(2026)
    engine = rs.Engine(load_installed=False)
    strength = rng.normal(size=PEOPLE)
    loneliness = -0.5 * strength + rng.normal(scale=0.85, size=PEOPLE)

    for instrument_id, level in (("brs", strength), ("djg-6", loneliness)):
        instrument = engine.instruments[instrument_id]
        answers = survey(instrument, level, rng)
        start = time.perf_counter()
        scores = batch.score_frame(instrument, answers)
        seconds = time.perf_counter() - start
        print(f"{instrument.name}")
        print(
            f"  scored {len(scores):,} answer sets in {seconds * 1e3:.0f} ms: "
            f"{int(scores.valid.sum()):,} in full, {len(scores.problems):,} with problems"
        )
        bands = pd.Series(scores.band).fillna("not scored").value_counts()
        print("  bands: " + ", ".join(f"{band} {n:,}" for band, n in bands.items()))
        first_problem = next(iter(scores.problems))
        print(f"  e.g. row {first_problem}: {scores.problem_text()[first_problem]}")

        reports = batch.reliability(instrument, scores)
        for scale, report in reports.items():
            low, high = report.feldt
            print(
                f"  Cronbach's alpha, {scale}: {report.raw_alpha:.3f} "
                f"(95% CI {low:.3f}–{high:.3f}, standardised {report.std_alpha:.3f}, "
                f"{report.n_complete:,} complete cases)"
            )
        weakest = min(reports["total"].items, key=lambda item: item.r_drop)
        print(
            f"  weakest item: {weakest.item_id} (corrected item-total r = {weakest.r_drop:.2f}, "
            f"alpha without it {weakest.alpha_if_dropped:.3f})\n"
        )
    print(
        "Alpha says how consistently the items of a scale moved together in this cohort; "
        "it is not evidence that the scale measures what it is meant to."
    )


if __name__ == "__main__":
    main()
