"""Charts: one person's profile, their pillars over three assessments, and a plan's weeks.

Needs the ``plot`` extra: ``pip install 'connection-resilience[plot]'`` (matplotlib).
Run it with ``python examples/charts.py [FOLDER]``; the pictures are written to FOLDER
(default: the current folder) as ``profile.png``, ``strengths.png``, ``progress.png`` and
``history.png``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import resilience as rs
from resilience import plot

UTC = dt.timezone.utc
SIGNS = {
    "exhausted-by-small-stress": 3,
    "hard-to-bounce-back": 2,
    "not-understood": 3,
    "lost-purpose": 2,
    "hides-struggles": 3,
    "alone-or-lonely": 3,
    "relies-only-on-self": 2,
}


def assessment(day: int, ucla: tuple[int, int, int], network: rs.SupportNetwork) -> rs.Assessment:
    """The UCLA-3 and the signs checklist answered on one day of November 2026."""
    return rs.Assessment(
        "p-charts",
        dt.datetime(2026, 11, day, 18, 0, tzinfo=UTC),
        {
            "ucla-3": dict(zip(("ucla-1", "ucla-2", "ucla-3"), ucla, strict=True)),
            "connection-signs": SIGNS,
        },
        network=network,
    )


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    folder.mkdir(parents=True, exist_ok=True)
    engine = rs.Engine(load_installed=False)
    network = rs.SupportNetwork(
        (
            rs.Connection(
                "Jo",
                rs.Relation.FRIEND,
                trust=5,
                safety=4,
                pillars={rs.Pillar.CO_REGULATION, rs.Pillar.VALIDATION},
                contact={rs.ContactMode.CALL: rs.Frequency.MONTHLY},
            ),
        )
    )
    profiles = [
        engine.profile(assessment(day, ucla, network))
        for day, ucla in ((2, (3, 3, 3)), (16, (3, 2, 2)), (30, (2, 2, 1)))
    ]
    plan = engine.plan(profiles[0], network=network, today=dt.date(2026, 11, 3))
    for step, day, outcome in zip(
        plan.steps,
        (5, 7, 9, 12),
        (rs.Outcome.DONE, rs.Outcome.DONE, rs.Outcome.SKIPPED, rs.Outcome.PARTLY),
        strict=False,
    ):
        plan = plan.check_in(rs.CheckIn(step.id, dt.date(2026, 11, day), outcome))

    # Only the UCLA-3: the chart shows the pillars and capacities with no evidence.
    only_ucla = rs.Assessment(
        "p-charts",
        dt.datetime(2026, 11, 2, 18, 0, tzinfo=UTC),
        {"ucla-3": {"ucla-1": 3, "ucla-2": 3, "ucla-3": 2}},
    )
    charts = {
        "profile.png": plot.profile_figure(engine.profile(only_ucla)),
        "strengths.png": plot.strengths_figure(profiles),
        "progress.png": plot.progress_figure(plan),
        "history.png": plot.history_figure(profiles, plan),
    }
    for name, figure in charts.items():
        path = folder / name
        figure.savefig(path, dpi=100)
        print(f"Drew {name}: {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
