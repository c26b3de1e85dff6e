"""Quickstart: the article's model, then one person's answers scored.

Run it with ``python examples/quickstart.py``. It uses an in-memory store, so it leaves
nothing behind.
"""

from __future__ import annotations

import resilience as rs


def show_taxonomy() -> None:
    print("The four pillars of connection, what signals a gap, and what rebuilds it\n")
    for pillar in rs.Pillar:
        print(f"{pillar.label}")
        print(f"  {pillar.description}")
        print("  Signs it may be unmet:")
        for sign in sorted(pillar.signs, key=lambda s: s.label):
            print(f"    - {sign.label}")
        print("  Strategies that rebuild it:")
        for strategy in sorted(pillar.strategies, key=lambda s: s.label):
            print(f"    - {strategy.label}")
        print()


def score_some_answers(engine: rs.Engine) -> None:
    print("Scoring the Brief Resilience Scale (answers 1-5; items 2, 4, 6 reverse-keyed)")
    score = engine.score(
        "brs", {"brs-1": 4, "brs-2": 2, "brs-3": 4, "brs-4": 3, "brs-5": 3, "brs-6": 2}
    )
    print(f"  mean {score.total:.2f} of {score.total_range}, band: {score.band}")
    print(f"  key {score.key_hash[:12]}… of {score.instrument_id} v{score.version}\n")


def main() -> None:
    show_taxonomy()
    engine = rs.Engine()
    score_some_answers(engine)


if __name__ == "__main__":
    main()
