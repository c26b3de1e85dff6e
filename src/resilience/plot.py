"""Charts of a profile, of strengths across re-assessments, and of a plan's progress.

Needs the ``plot`` extra (matplotlib): ``pip install 'connection-resilience[plot]'``.
matplotlib is imported when a chart is drawn, never when this module is imported. Every
function returns a :class:`matplotlib.figure.Figure` made without pyplot, so it draws
headless (no display, no global state); save it with ``figure.savefig("chart.png")``.

The colours are the Okabe–Ito palette, chosen to stay distinct for the common kinds of
colour blindness, and every series also differs by marker or hatching, so no chart relies
on colour alone. A pillar or capacity with no evidence is drawn as an empty hatched bar
labelled "no evidence yet", never as a short bar that would read as a low score; one
that rests on little evidence is a pale outlined bar whose number says "a first look".

Example:
    >>> import datetime as dt, resilience as rs
    >>> from resilience.plot import profile_figure
    >>> engine = rs.Engine(load_installed=False)
    >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                   {"ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}})
    >>> figure = profile_figure(engine.profile(a))
    >>> figure.axes[0].get_title("left")
    'The four pillars of connection'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from resilience.model.plans import ConnectionPlan, Outcome
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import Capacity, Pillar

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "OKABE_ITO",
    "history_figure",
    "profile_figure",
    "progress_figure",
    "strengths_figure",
]

#: The Okabe–Ito colours (Okabe and Ito, 2008, "Color Universal Design"), by name.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

_PILLAR_STYLE = {
    Pillar.CO_REGULATION: (OKABE_ITO["blue"], "o", "-"),
    Pillar.VALIDATION: (OKABE_ITO["orange"], "s", "--"),
    Pillar.BELONGING: (OKABE_ITO["bluish green"], "^", "-."),
    Pillar.PRACTICAL_SUPPORT: (OKABE_ITO["reddish purple"], "D", ":"),
}
_GREY = "#8C8C8C"
_STRENGTH_AXIS = "Strength (0 to 100, higher is stronger)"


def _long_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _short_day(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _figure(width: float, height: float) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ModuleNotFoundError:  # pragma: no cover - exercised without the extra
        raise ModuleNotFoundError(
            "charts need matplotlib: pip install 'connection-resilience[plot]'",
            name="matplotlib",
        ) from None
    return Figure(figsize=(width, height), layout="constrained")


def _bars(
    axes: Any,
    labels: Sequence[str],
    values: Sequence[float | None],
    colour: str,
    ink: str = "white",
    thin: Sequence[bool] = (),
) -> None:
    positions = list(range(len(labels)))[::-1]  # first label at the top
    thin = list(thin) or [False] * len(values)
    for y, value, little in zip(positions, values, thin, strict=True):
        if value is not None and little:
            # Little evidence: a pale bar with an outline, its number saying "a first look",
            # so a thin number never reads as solid as the others.
            axes.barh(y, max(value, 0.8), height=0.6, color=colour, alpha=0.35, edgecolor=colour)
            axes.text(
                value - 1.5 if value > 60 else value + 1.5,
                y,
                f"{value:.0f}, a first look",
                ha="right" if value > 60 else "left",
                va="center",
                fontsize=9,
                color="black",
            )
        elif value is None:
            axes.barh(y, 100, height=0.6, color="none", edgecolor=_GREY, hatch="///", linewidth=1)
            axes.text(
                50,
                y,
                "no evidence yet",
                ha="center",
                va="center",
                fontsize=9,
                color="#444444",
                backgroundcolor="white",
            )
        else:
            axes.barh(y, max(value, 0.8), height=0.6, color=colour)
            inside = value >= 12
            axes.text(
                value - 1.5 if inside else value + 1.5,
                y,
                f"{value:.0f}",
                ha="right" if inside else "left",
                va="center",
                fontsize=9,
                color=ink if inside else "black",
            )
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, 100)
    axes.set_xlabel(_STRENGTH_AXIS)
    axes.spines[["top", "right"]].set_visible(False)


def profile_figure(profile: ResilienceProfile) -> Figure:
    """A profile's pillars and capacities as bars from 0 to 100.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> p = rs.ResilienceProfile("p", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...     {rs.Pillar.BELONGING: rs.PillarScore(rs.Pillar.BELONGING, 20.0, 1.0)}, {})
        >>> [a.get_title("left") for a in profile_figure(p).axes]
        ['The four pillars of connection', 'The five resilience capacities']
    """
    figure = _figure(8.5, 6.2)
    top, bottom = figure.subplots(2, 1, height_ratios=[4, 5])
    pillar_values = [profile.pillars[p].strength if p in profile.pillars else None for p in Pillar]
    capacity_values = [
        profile.capacities[c].strength if c in profile.capacities else None for c in Capacity
    ]
    pillars_thin = [p in profile.pillars and profile.pillars[p].little_evidence for p in Pillar]
    capacities_thin = [
        c in profile.capacities and profile.capacities[c].little_evidence for c in Capacity
    ]
    _bars(top, [p.label for p in Pillar], pillar_values, OKABE_ITO["blue"], thin=pillars_thin)
    top.set_title("The four pillars of connection", loc="left")
    _bars(
        bottom,
        [c.label for c in Capacity],
        capacity_values,
        OKABE_ITO["orange"],
        "black",
        thin=capacities_thin,
    )
    bottom.set_title("The five resilience capacities", loc="left")
    figure.suptitle(
        f"Profile of {profile.person_id}, answers of {_long_day(profile.assessed_at)}",
        fontsize=12,
    )
    return figure


def _strength_lines(axes: Any, profiles: Sequence[ResilienceProfile]) -> None:
    ordered = sorted(profiles, key=lambda p: p.assessed_at)
    days = [p.assessed_at for p in ordered]
    # Pillars that read the same evidence often share a line: each is drawn thinner and
    # with a smaller marker than the one before, so a shared line shows every colour.
    for layer, pillar in enumerate(Pillar):
        colour, marker, line = _PILLAR_STYLE[pillar]
        values = [_strength(p, pillar) for p in ordered]
        label = pillar.label
        if all(v != v for v in values):  # NaN everywhere
            label += " (no evidence yet)"
        axes.plot(
            days,
            values,
            color=colour,
            marker=marker,
            linestyle=line,
            linewidth=4.0 - 0.9 * layer,
            markersize=12 - 2 * layer,
            label=label,
        )
    axes.set_ylim(-3, 103)
    axes.set_yticks([0, 20, 40, 60, 80, 100])
    axes.set_ylabel(_STRENGTH_AXIS)
    axes.set_xlabel("Date of the answers")
    axes.set_title("Pillar strengths across re-assessments", loc="left")
    axes.grid(axis="y", color="#DDDDDD")
    axes.spines[["top", "right"]].set_visible(False)
    if len(days) == 1:
        pad = dt.timedelta(days=7)
        axes.set_xlim(days[0] - pad, days[0] + pad)
    _date_axis(axes, days)
    # Below the axis label, lower still when the tick labels carry a time of day.
    two_lines = any("\n" in label.get_text() for label in axes.get_xticklabels())
    axes.legend(
        loc="upper left",
        bbox_to_anchor=(0.0, -0.27 if two_lines else -0.17),
        ncol=2,
        frameon=False,
        fontsize=9,
    )


def _date_axis(axes: Any, days: Sequence[dt.datetime]) -> None:
    """Ticks at the assessments themselves while there are few, else evenly spread dates."""
    import matplotlib.dates as mdates

    if len(days) <= 8:
        labels = _moment_labels(days)
        axes.set_xticks(days, labels)
        return
    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))  # type: ignore[no-untyped-call]


def _moment_labels(days: Sequence[dt.datetime]) -> list[str]:
    """Day labels ("1 Dec"), with the time added where two assessments share a day."""
    dates = [d.date() for d in days]
    return [f"{d.day} {d:%b}" + (f"\n{d:%H:%M}" if dates.count(d.date()) > 1 else "") for d in days]


def _strength(profile: ResilienceProfile, pillar: Pillar) -> float:
    score = profile.pillars.get(pillar)
    if score is None or score.strength is None:
        return float("nan")  # a gap in the line: no evidence then
    return score.strength


def strengths_figure(profiles: Sequence[ResilienceProfile]) -> Figure:
    """Each pillar's strength at every assessment, oldest first (a gap: no evidence then).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> def at(day, value):
        ...     when = dt.datetime(2026, 1, day, tzinfo=dt.timezone.utc)
        ...     return rs.ResilienceProfile("p", when, {rs.Pillar.BELONGING:
        ...         rs.PillarScore(rs.Pillar.BELONGING, value, 1.0)}, {})
        >>> figure = strengths_figure([at(5, 20.0), at(26, 45.0)])
        >>> len(figure.axes[0].get_lines())
        4
    """
    figure = _figure(9, 4.5)
    axes = figure.subplots()
    if profiles:
        _strength_lines(axes, profiles)
    return figure


def _week_counts(plan: ConnectionPlan) -> list[dict[str, int]]:
    weeks: list[dict[str, int]] = []
    for step in plan.steps:
        week = max(0, (step.due - plan.made_on).days // 7)
        while len(weeks) <= week:
            weeks.append({"done": 0, "partly": 0, "skipped": 0, "open": 0})
        outcome = plan.outcome(step.id)
        key = {
            None: "open",
            Outcome.DONE: "done",
            Outcome.PARTLY: "partly",
            Outcome.SKIPPED: "skipped",
        }[outcome]
        weeks[week][key] += 1
    return weeks


def _progress_bars(axes: Any, plan: ConnectionPlan) -> None:
    weeks = _week_counts(plan)
    labels = [
        f"Week {n + 1}\nfrom {_short_day(plan.made_on + dt.timedelta(days=7 * n))}"
        for n in range(len(weeks))
    ]
    series = (
        ("done", "Done", OKABE_ITO["bluish green"], ""),
        ("partly", "Partly done", OKABE_ITO["sky blue"], ".."),
        ("skipped", "Skipped", OKABE_ITO["vermillion"], "xx"),
        ("open", "Still open", "white", "//"),
    )
    bottoms = [0] * len(weeks)
    for key, label, colour, hatch in series:
        counts = [week[key] for week in weeks]
        axes.bar(
            labels,
            counts,
            bottom=bottoms,
            color=colour,
            hatch=hatch,
            edgecolor=_GREY,
            linewidth=0.8,
            label=label,
            width=0.6,
        )
        bottoms = [b + c for b, c in zip(bottoms, counts, strict=True)]
    axes.set_ylim(0, max(bottoms, default=0) + 0.6)  # room between the bars and the title
    axes.set_ylabel("Steps due that week")
    axes.set_title(f"Plan made on {_long_day(plan.made_on)}, week by week", loc="left")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(loc="upper left", bbox_to_anchor=(0.0, -0.2), ncol=4, frameon=False, fontsize=9)


def progress_figure(plan: ConnectionPlan) -> Figure:
    """A plan's steps per week, stacked by what happened: done, partly, skipped, open.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
        >>> profile = rs.ResilienceProfile("p-1", when, {}, {})
        >>> plan = rs.Engine(load_installed=False).plan(profile, today=dt.date(2026, 1, 5))
        >>> progress_figure(plan).axes[0].get_ylabel()
        'Steps due that week'
    """
    figure = _figure(9, 4.2)
    _progress_bars(figure.subplots(), plan)
    return figure


def history_figure(
    profiles: Sequence[ResilienceProfile], plan: ConnectionPlan | None = None
) -> Figure:
    """Strengths across re-assessments above, and the plan's progress below (if given).

    Example:
        >>> history_figure([]).axes[0].get_title("left")
        'Pillar strengths across re-assessments'
    """
    if plan is None:
        figure = _figure(9, 4.5)
        axes = figure.subplots()
        _strength_lines(axes, profiles) if profiles else _empty(axes)
        return figure
    figure = _figure(9, 8.2)
    top, bottom = figure.subplots(2, 1)
    _strength_lines(top, profiles) if profiles else _empty(top)
    _progress_bars(bottom, plan)
    return figure


def _empty(axes: Any) -> None:
    axes.set_title("Pillar strengths across re-assessments", loc="left")
    axes.text(0.5, 0.5, "No profile yet", ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()
