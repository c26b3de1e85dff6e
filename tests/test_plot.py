"""Charts render headless to real images of a sensible size, and no evidence looks different."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

import resilience as rs
from resilience import plot

ENGINE = rs.Engine(load_installed=False)
UTC = dt.timezone.utc
PNG = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def profile_at(
    day: int, ucla: tuple[int, int, int], **answers: dict[str, int]
) -> rs.ResilienceProfile:
    assessment = rs.Assessment(
        "p-1",
        dt.datetime(2026, 1, day, 18, 0, tzinfo=UTC),
        {"ucla-3": dict(zip(("ucla-1", "ucla-2", "ucla-3"), ucla, strict=True)), **answers},
    )
    return ENGINE.profile(assessment)


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = "import sys, resilience.plot; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_a_profile_draws_no_evidence_as_an_empty_hatched_bar(tmp_path: Path) -> None:
    profile = profile_at(5, (3, 2, 3))  # UCLA-3 only: two pillars known, two unknown
    unknown = [p for p in rs.Pillar if profile.pillars[p].strength is None]
    assert len(unknown) == 2
    figure = plot.profile_figure(profile)
    pillars_axes, capacities_axes = figure.axes
    hatched = [bar for bar in pillars_axes.patches if bar.get_hatch()]
    solid = [bar for bar in pillars_axes.patches if not bar.get_hatch()]
    assert len(hatched) == len(unknown)
    assert all(bar.get_width() == 100 and bar.get_facecolor()[3] == 0 for bar in hatched)
    assert len(solid) == 4 - len(unknown)
    labels = [t.get_text() for t in pillars_axes.texts]
    assert labels.count("no evidence yet") == len(unknown)
    assert len([bar for bar in capacities_axes.patches if bar.get_hatch()]) == len(rs.Capacity)
    assert pillars_axes.get_xlabel() == "Strength (0 to 100, higher is stronger)"
    out = tmp_path / "profile.png"
    figure.savefig(out, dpi=100)
    width, height = png_size(out)
    assert (width, height) == (850, 620)
    assert out.stat().st_size > 20_000


def test_strengths_across_re_assessments(tmp_path: Path) -> None:
    profiles = [profile_at(5, (3, 3, 3)), profile_at(19, (2, 2, 3)), profile_at(26, (1, 1, 2))]
    figure = plot.strengths_figure(profiles)
    (axes,) = figure.axes
    lines = axes.get_lines()
    # UCLA-3 alone speaks to two pillars; the legend says the others have no evidence.
    assert [line.get_label() for line in lines] == [
        "Emotional co-regulation",
        "Validation and perspective (no evidence yet)",
        "Meaning and belonging",
        "Practical support and shared resources (no evidence yet)",
    ]
    belonging = lines[list(rs.Pillar).index(rs.Pillar.BELONGING)]
    assert list(belonging.get_ydata()) == [
        pytest.approx(p.pillars[rs.Pillar.BELONGING].strength) for p in profiles
    ]
    assert len({line.get_marker() for line in lines}) == 4  # not colour alone
    assert [t.get_text() for t in axes.get_xticklabels()] == ["5 Jan", "19 Jan", "26 Jan"]
    out = tmp_path / "strengths.png"
    figure.savefig(out, dpi=100)
    assert png_size(out) == (900, 450)


def test_plan_progress_week_by_week(tmp_path: Path) -> None:
    plan = ENGINE.plan(profile_at(5, (3, 3, 3)), today=dt.date(2026, 1, 5))
    plan = plan.check_in(rs.CheckIn(plan.steps[0].id, dt.date(2026, 1, 7), rs.Outcome.DONE))
    plan = plan.check_in(rs.CheckIn(plan.steps[1].id, dt.date(2026, 1, 9), rs.Outcome.SKIPPED))
    figure = plot.progress_figure(plan)
    (axes,) = figure.axes
    heights: dict[str, list[float]] = {}
    for container in axes.containers:
        heights[container.get_label()] = [bar.get_height() for bar in container]
    assert heights["Done"][0] == 1
    assert heights["Skipped"][0] == 1
    assert sum(sum(v) for v in heights.values()) == len(plan.steps)
    out = tmp_path / "progress.png"
    figure.savefig(out, dpi=100)
    assert png_size(out) == (900, 420)


def test_history_has_both_panels_and_survives_no_profile(tmp_path: Path) -> None:
    profile = profile_at(5, (3, 3, 3))
    plan = ENGINE.plan(profile, today=dt.date(2026, 1, 5))
    both = plot.history_figure([profile], plan)
    assert [a.get_title(loc="left") for a in both.axes] == [
        "Pillar strengths across re-assessments",
        "Plan made on 5 January 2026, week by week",
    ]
    out = tmp_path / "history.png"
    both.savefig(out, dpi=100)
    assert png_size(out) == (900, 820)
    empty = plot.history_figure([])
    empty.savefig(tmp_path / "empty.png", dpi=100)
    assert png_size(tmp_path / "empty.png") == (900, 450)
