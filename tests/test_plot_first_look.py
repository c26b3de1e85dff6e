"""A chart never draws a thin number like a solid one: little evidence is a pale "first look"."""

from __future__ import annotations

import sys
from pathlib import Path

import resilience as rs
from resilience import plot

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
import quickstart

ENGINE = rs.Engine(load_installed=False)


def test_thin_capacities_are_pale_bars_marked_a_first_look() -> None:
    profile = ENGINE.profile(quickstart.first_assessment())
    _, capacities_axes = plot.profile_figure(profile).axes
    bars = capacities_axes.patches  # one per capacity, in the taxonomy's order
    labels = [t.get_text() for t in capacities_axes.texts]
    assert len(bars) == len(rs.Capacity)
    for capacity, bar in zip(rs.Capacity, bars, strict=True):
        score = profile.capacities[capacity]
        assert score.strength is not None
        pale = bar.get_facecolor()[3] < 1.0
        assert pale == score.little_evidence, capacity
        marked = f"{score.strength:.0f}, a first look"
        assert (marked in labels) == score.little_evidence, (capacity, labels)
    assert sum(profile.capacities[c].little_evidence for c in rs.Capacity) == 3
