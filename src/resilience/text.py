"""Readable forms of profiles, plans, progress and re-assessments, as text or Markdown.

What a person reads should not be a data structure: these functions turn the library's
values into short documents with labels instead of ids, whole numbers instead of long
floats, the support paragraph said once, this week's steps first and the rest folded,
the profile's notes in their own words, and a number that rests on little evidence
marked as a rough first look.
The same document comes out as plain text wrapped to a width (for a terminal or an
e-mail) or as Markdown (for a host app's screen). The ``resilience`` command and the
examples print these forms.

Sentences are joined with :func:`join_sentences`, which makes every fragment a
well-formed sentence (a capital first letter, one closing stop); :func:`tidy` repairs a
text that was spliced from sentences elsewhere.

Example:
    >>> import datetime as dt, resilience as rs
    >>> from resilience import text
    >>> engine = rs.Engine(load_installed=False)
    >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...                   {"ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}})
    >>> print(text.render_profile(engine.profile(a), instruments=engine.instruments))
    ... # doctest: +ELLIPSIS
    Profile of p-1, from answers given on Monday 5 January 2026
    <BLANKLINE>
    Pillars (0 to 100, higher is stronger)
      Emotional co-regulation                 67   the weakest
      Validation and perspective              not measured yet
      Meaning and belonging                   67
      Practical support and shared resources  not measured yet
    ...
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from resilience.model.instruments import Instrument
from resilience.model.network import Connection, SupportNetwork
from resilience.model.plans import ConnectionPlan, Outcome, Step, SupportResource
from resilience.model.profile import (
    LITTLE_EVIDENCE,
    CapacityScore,
    Contribution,
    PillarScore,
    ProfileNote,
    ResilienceProfile,
)
from resilience.model.taxonomy import Capacity, Pillar
from resilience.planning import (
    GENERAL_SUPPORT,
    ProfileChange,
    Progress,
    ScoreChange,
    next_steps,
    progress,
    reflection_due,
)

__all__ = [
    "DEFAULT_WIDTH",
    "FIRST_LOOK",
    "join_sentences",
    "render_change",
    "render_plan",
    "render_profile",
    "render_progress",
    "sentence",
    "strength_text",
    "tidy",
]

_S = TypeVar("_S")

#: The width text is wrapped to unless told otherwise.
DEFAULT_WIDTH = 88

_LABEL_WIDTH = 42
_END = (".", "!", "?", "…")


# -- sentences -----------------------------------------------------------------------------


def sentence(fragment: str) -> str:
    """Make one well-formed sentence of a fragment: a capital first letter, one closing stop.

    Runs of white space become one space; a trailing ``;``, ``,`` or ``:`` is dropped.
    An empty fragment gives an empty string.

    Example:
        >>> sentence("  aims at belonging;")
        'Aims at belonging.'
        >>> sentence("Call Sam.")
        'Call Sam.'
    """
    text = " ".join(fragment.split()).rstrip(";,: ")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith(_END) else f"{text}."


def join_sentences(fragments: Iterable[str]) -> str:
    """Join fragments into one text of whole sentences (see :func:`sentence`).

    Use it wherever a reason is built from parts: each part becomes its own sentence,
    so no part can lose its capital or double a stop.

    Example:
        >>> join_sentences(["aims at belonging (21 of 100)", "", "Fits a busy life."])
        'Aims at belonging (21 of 100). Fits a busy life.'
    """
    return " ".join(s for s in (sentence(f) for f in fragments) if s)


_SPLICED_STOP = re.compile(r"(?<![.…])\.\s*([;,])")
_DOUBLE_STOP = re.compile(r"(?<![.…])\.\.(?!\.)")
_SENTENCE_START = re.compile(r"([.!?]\s+)([a-z])")


def tidy(text: str) -> str:
    """Repair a text spliced from sentences: ``".;"`` and ``".."`` become one stop.

    A sentence that starts with a lower-case word (a connection's alias such as "my
    sister") gets its capital, and the text is made to read as sentences (see
    :func:`sentence`).

    Example:
        >>> tidy("more).; Talking helps.. my sister is someone you trust")
        'More); Talking helps. My sister is someone you trust.'
    """
    text = _SPLICED_STOP.sub(r"\1", text)
    text = _DOUBLE_STOP.sub(".", text)
    text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
    return sentence(text)


# -- small formats ---------------------------------------------------------------------


#: What follows a strength that rests on little evidence (see
#: :attr:`~resilience.PillarScore.little_evidence`), so nobody reads it as a finding.
FIRST_LOOK = "a rough first look, from little evidence"


def strength_text(value: float | None, *, little_evidence: bool = False) -> str:
    """A strength for people: a whole number, or "not measured yet" for no evidence.

    A strength that rests on little evidence says so after the number (:data:`FIRST_LOOK`),
    so a number read from a checklist answer or two is not taken as solid.

    Example:
        >>> (strength_text(40.48484848484849), strength_text(None))
        ('40', 'not measured yet')
        >>> strength_text(0.0, little_evidence=True)
        '0 (a rough first look, from little evidence)'
    """
    if value is None:
        return "not measured yet"
    if little_evidence:
        return f"{value:.0f} ({FIRST_LOOK})"
    return f"{value:.0f}"


def _score_text(score: PillarScore | CapacityScore) -> str:
    return strength_text(score.strength, little_evidence=score.little_evidence)


def _day(day: dt.date) -> str:
    # Weekday and month names are spelled here, not by strftime, so the locale never
    # changes the text.
    weekday = _WEEKDAYS[day.weekday()]
    return f"{weekday} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _short_day(day: dt.date) -> str:
    return f"{_WEEKDAYS[day.weekday()][:3]} {day.day} {_MONTHS[day.month - 1][:3]}"


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _listing(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    # Labels such as "validation and perspective" hold an "and" of their own; then the
    # last item is set off by a comma too, so two labels never read as four.
    last = ", and " if any(" and " in word for word in words) else " and "
    return ", ".join(words[:-1]) + last + words[-1]


# -- a tiny document: one structure, two renderings ------------------------------------


@attrs.frozen
class _Block:
    kind: str  # "title", "heading", "para", "rows", "bullets", "note"
    text: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    items: tuple[str, ...] = ()


def _title(text: str) -> _Block:
    return _Block("title", text)


def _heading(text: str) -> _Block:
    return _Block("heading", text)


def _para(text: str) -> _Block:
    return _Block("para", text)


def _rows(heading: str, rows: Iterable[tuple[str, str]]) -> _Block:
    return _Block("rows", heading, rows=tuple(rows))


def _bullets(items: Iterable[str], heading: str = "") -> _Block:
    return _Block("bullets", heading, items=tuple(items))


def _fill(text: str, width: int, first: str = "", rest: str | None = None) -> str:
    return textwrap.fill(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=first if rest is None else rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _as_text(blocks: Sequence[_Block], width: int) -> str:
    out: list[str] = []
    previous = ""
    for block in blocks:
        if out and previous != "heading":
            out.append("")
        previous = block.kind
        if block.kind in ("title", "heading") or block.kind == "para":
            out.append(_fill(block.text, width))
        elif block.kind == "rows":
            out.append(_fill(block.text, width))
            label_width = min(_LABEL_WIDTH, max((len(k) for k, _ in block.rows), default=0))
            narrow = label_width + 4 + 20 > width
            for key, value in block.rows:
                if narrow:  # no room for two columns: "label: value", wrapped
                    out.append(_fill(f"{key}: {value}", width, "  ", "    "))
                    continue
                line = f"  {key:<{label_width}}  {value}".rstrip()
                out.append(_fill(line, width, rest=" " * (label_width + 4)))
        elif block.kind == "bullets":
            if block.text:
                out.append(_fill(block.text, width))
            for item in block.items:
                lines = item.split("\n")
                out.append(_fill(lines[0], width, "  - ", "    "))
                out.extend(_fill(line, width, "    ") for line in lines[1:])
    return "\n".join(out)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _as_markdown(blocks: Sequence[_Block]) -> str:
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        if block.kind == "title":
            out.append(f"## {block.text}")
        elif block.kind == "heading":
            out.append(f"### {block.text}")
        elif block.kind == "para":
            out.append(block.text)
        elif block.kind == "rows":
            out.append(f"**{block.text}**")
            out.append("")
            out.append("| | |")
            out.append("| --- | --- |")
            out.extend(f"| {_md_escape(k)} | {_md_escape(v)} |" for k, v in block.rows)
        elif block.kind == "bullets":
            if block.text:
                out.extend([f"**{block.text}**", ""])
            for item in block.items:
                first, *rest = item.split("\n")
                out.append(f"- {first}")
                out.extend(f"  {line}" for line in rest)
    return "\n".join(out)


def _render(blocks: Sequence[_Block], width: int, markdown: bool) -> str:
    return _as_markdown(blocks) if markdown else _as_text(blocks, width)


# -- profiles --------------------------------------------------------------------------


def _how_often(level: float) -> str:
    if level <= 25:
        return "now and then"
    if level <= 50:
        return "sometimes"
    if level <= 75:
        return "often"
    return "almost always"


def _score_line(instrument_id: str, profile: ResilienceProfile, instruments: _Instruments) -> str:
    score = profile.scores[instrument_id]
    instrument = instruments.get(instrument_id)
    name = instrument.name if instrument is not None else instrument_id
    low, high = score.total_range
    if score.total is None:  # too many items unanswered for a total; subscales may still stand
        line = f"no total (too many items unanswered; possible {_number(low)} to {_number(high)})"
    else:
        line = f"total {_number(score.total)} (possible {_number(low)} to {_number(high)}"
        line += ", higher is stronger)" if score.higher_is_better else ", lower is stronger)"
    if score.band is not None:
        line += f", {_band_label(instrument, score.band)!r}"
    if score.missing:
        line += f", {len(score.missing)} item(s) unanswered"
    return f"{name}: {line}"


def _band_label(instrument: Instrument | None, band_id: str) -> str:
    if instrument is not None:
        for band in instrument.bands:
            if band.id == band_id:
                return band.label
    return band_id.replace("-", " ")


_Instruments = Mapping[str, Instrument]


def _resource_blocks(resources: Sequence[SupportResource]) -> list[_Block]:
    """Where help is found: the host's resources one by one, else in general terms."""
    if not resources:
        return [_para(GENERAL_SUPPORT)]
    return [
        _bullets(
            sentence(f"{r.name}: {r.description.rstrip().rstrip('.')}. Contact: {r.contact}")
            for r in resources
        )
    ]


def _support_blocks(
    profile: ResilienceProfile, resources: Sequence[SupportResource]
) -> list[_Block]:
    if not profile.support_advised:
        return []
    reasons = " ".join(tidy(r) for r in profile.flag_reasons)
    reasons = reasons or "The answers describe a heavy load to carry."
    return [_heading("Support"), _para(reasons), *_resource_blocks(resources)]


#: What leads the question a note asks, such as who is there for the person.
_ASK_LEAD = "A question that would fill this in:"

#: Said under the strengths when any of them rests on little evidence.
_FIRST_LOOK_MEANS = (
    "“A rough first look” means only a little evidence speaks to that strength so far: read "
    "it as a first impression, not a finding. More answers would make it firmer."
)


def _note_item(note: ProfileNote) -> str:
    """One note as the person reads it: its own words, then the question it asks, if any.

    Every kind is for the person to read. Missing evidence says what is not known yet and
    asks the question that would supply it; a trusted tie not felt safe is said in the
    note's neutral words, which already say that the plan does not ask them to open up to
    that person. ``note.kind`` and ``note.about`` (instrument ids, aliases) are for apps
    and never shown.
    """
    words = " ".join(note.text.split())
    ask = " ".join(note.ask.split())
    return "\n".join(part for part in (words, f"{_ASK_LEAD} {ask}" if ask else "") if part)


def _note_blocks(notes: Sequence[ProfileNote]) -> list[_Block]:
    items = [item for item in (_note_item(n) for n in notes) if item]
    return [_bullets(items, "Worth knowing")] if items else []


def _weakest(profile: ResilienceProfile) -> Pillar | None:
    """The pillar called the weakest: never one that rests on little evidence."""
    solid = profile.weakest_pillars(solid_only=True)
    return solid[0] if solid else None


def render_profile(
    profile: ResilienceProfile,
    *,
    instruments: _Instruments | None = None,
    resources: Sequence[SupportResource] = (),
    width: int = DEFAULT_WIDTH,
    markdown: bool = False,
) -> str:
    """A profile for people: pillars and capacities, the answers behind them, and support.

    Strengths are whole numbers from 0 to 100, and a pillar nobody measured says so
    instead of showing a number. A strength that rests on little evidence is marked as
    a rough first look (:data:`FIRST_LOOK`) and is never called the weakest. The weakest
    pillar's evidence is listed with the share each piece carries. The profile's notes
    (evidence still missing and the question that would supply it, a trusted tie not
    felt safe) are said under "Worth knowing" in their own words, never with their ids.
    When support is advised, why, and where help is found, are said once, at the end.

    Args:
        profile: The profile.
        instruments: The instruments by id (``engine.instruments``), for their names and
            band labels; without them, ids are shown.
        resources: Where help is found (``engine.support_resources(profile)``), listed
            when support is advised; without them, general words say where to look.
        width: The width plain text is wrapped to.
        markdown: Markdown instead of plain text.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> a = rs.Assessment("p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...                   {"brs": {"brs-1": 4, "brs-2": 2, "brs-3": 4,
        ...                            "brs-4": 2, "brs-5": 4, "brs-6": 2}})
        >>> md = render_profile(engine.profile(a), instruments=engine.instruments,
        ...                     markdown=True)
        >>> "| Recovering from setbacks | 75 |" in md
        True
        >>> "| Staying grounded under stress | 75 (a rough first look" in md
        True
    """
    known = instruments or {}
    blocks = [
        _title(f"Profile of {profile.person_id}, from answers given on {_day(profile.assessed_at)}")
    ]
    weakest = _weakest(profile)
    blocks.append(
        _rows(
            "Pillars (0 to 100, higher is stronger)",
            (
                (pillar.label, _score_text(score) + ("   the weakest" if pillar is weakest else ""))
                for pillar, score in _in_order(profile.pillars, Pillar)
            ),
        )
    )
    blocks.append(
        _rows(
            "Capacities (0 to 100, higher is stronger)",
            ((c.label, _score_text(score)) for c, score in _in_order(profile.capacities, Capacity)),
        )
    )
    scores: list[PillarScore | CapacityScore] = [
        *profile.pillars.values(),
        *profile.capacities.values(),
    ]
    if any(score.little_evidence for score in scores):
        blocks.append(_para(_FIRST_LOOK_MEANS))
    if profile.scores:
        blocks.append(
            _bullets(
                (_score_line(i, profile, known) for i in sorted(profile.scores)),
                "Answers scored",
            )
        )
    present = sorted((s for s in profile.signs if s.present), key=lambda s: -s.level)
    if present:
        blocks.append(
            _bullets(
                (f"{s.sign.label}: {_how_often(s.level)}" for s in present),
                "Signs of disconnection you reported",
            )
        )
    if profile.network is not None:
        net = profile.network
        people = "1 person" if net.ties == 1 else f"{net.ties} people"
        line = f"{people} described, {net.trusted_ties} of them trusted"
        if net.ties == 0:
            line = "nobody was named in it yet"
        if net.in_person_share is not None:
            line += f"; about {net.in_person_share:.0%} of monthly contact is in person"
        blocks.append(_para(sentence(f"Your network: {line}")))
    blocks += _note_blocks(profile.notes)
    # What the weakest pillar rests on; when every known pillar rests on little evidence,
    # what the lowest of them rests on, so the first look can be seen for what it is.
    known_pillars = profile.weakest_pillars()
    pillar = weakest if weakest is not None else (known_pillars[0] if known_pillars else None)
    if pillar is not None:
        shares = sorted(profile.shares(pillar), key=lambda cs: (-cs[1], cs[0].rule))
        blocks.append(
            _bullets(
                (f"{share:.0%}: {tidy(_reason(c, known))}" for c, share in shares if share > 0),
                f"What {pillar.label.lower()} rests on",
            )
        )
    blocks += _support_blocks(profile, resources)
    return _render(blocks, width, markdown)


def _in_order(scores: Mapping[Any, _S], order: Iterable[Any]) -> list[tuple[Any, _S]]:
    """A profile's scores in the taxonomy's order, whatever order a stored copy kept."""
    return [(key, scores[key]) for key in order if key in scores]


def _reason(contribution: Contribution, instruments: _Instruments) -> str:
    if contribution.reason:
        return contribution.reason
    instrument = instruments.get(contribution.rule)
    name = instrument.name if instrument is not None else contribution.rule
    return f"evidence from {name}"


# -- plans -------------------------------------------------------------------------------


def _action(step: Step, resources_text: str) -> str:
    """The step's action without the support paragraph, which the plan says once."""
    action = step.action
    for tail in (GENERAL_SUPPORT, resources_text):
        if tail and action.endswith(tail):
            action = action[: -len(tail)].rstrip()
    return action


def _resources_text(plan: ConnectionPlan) -> str:
    if not plan.resources:
        return ""
    listed = "; ".join(
        f"{r.name} ({r.contact}): {r.description.rstrip().rstrip('.')}" for r in plan.resources
    )
    return f"Support that comes with this plan: {listed}."


def _status(plan: ConnectionPlan, step: Step) -> str:
    latest = plan.latest_check_in(step.id)
    if latest is None:
        return ""
    text = {Outcome.DONE: "done", Outcome.PARTLY: "partly done", Outcome.SKIPPED: "skipped"}[
        latest.outcome
    ]
    text += f" on {_short_day(latest.on)}"
    if latest.felt is not None:
        text += f", felt {latest.felt} of 5"
    return text


def _step_item(
    plan: ConnectionPlan,
    step: Step,
    resources_text: str,
    *,
    why: bool,
) -> str:
    head = f"{step.id} · due {_short_day(step.due)} · {step.effort.value} step · "
    head += step.strategy.label.lower()
    status = _status(plan, step)
    if status:
        head += f" · {status}"
    lines = [head, sentence(_action(step, resources_text))]
    if why and step.reason:
        lines.append(f"Why: {tidy(step.reason)}")
    return "\n".join(lines)


def _folded(step: Step, resources_text: str, width: int) -> str:
    action = sentence(_action(step, resources_text))
    room = max(20, width - 30)
    if len(action) > room:
        action = action[: room - 1].rsplit(" ", 1)[0] + " …"
    return f"{step.id} · {_short_day(step.due)} · {action}"


def render_plan(
    plan: ConnectionPlan,
    *,
    today: dt.date | None = None,
    width: int = DEFAULT_WIDTH,
    markdown: bool = False,
    all_steps: bool = False,
    instruments: _Instruments | None = None,
    support: bool = True,
    notes: bool = True,
) -> str:
    """A plan for people: this week's steps in full, the rest folded to one line each.

    This week means the plan week ``today`` falls in (weeks start on the day the plan was
    made), with overdue open steps; each is shown with its action and why it was chosen.
    Later steps, and steps already checked in, are folded to one line each unless
    ``all_steps`` is set. Where help is found is said once, not in every support step.
    What the profile's notes say (evidence still missing, a trusted tie not felt safe)
    follows the steps, since it explains steps that name nobody or offer support instead.

    Args:
        plan: The plan.
        today: The day to read "this week" from (default: the plan's first day).
        width: The width plain text is wrapped to.
        markdown: Markdown instead of plain text.
        all_steps: Show every step in full.
        instruments: Accepted like :func:`render_profile`'s; a plan's reasons are
            already written in words, so nothing needs looking up.
        support: Say where help is found (turn it off only where the same screen
            already says so, e.g. right under the profile's support section).
        notes: Show the profile's notes (turn it off only where the same screen already
            shows the profile with them).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
        >>> profile = rs.ResilienceProfile("p-1", when, {rs.Pillar.BELONGING:
        ...     rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)}, {})
        >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
        >>> print(render_plan(plan))  # doctest: +ELLIPSIS
        Plan for p-1, made on Monday 5 January 2026
        <BLANKLINE>
        It aims at meaning and belonging. ... steps over 4 weeks, at most 3 a week.
        <BLANKLINE>
        This week
          - c1-01 · due Thu 8 Jan · tiny step · ...
            ...
            Why: Aims at meaning and belonging, where your answers show the most room to grow...
        Later (... steps)
          - ...
    """
    del instruments  # kept so that a plan is rendered with the same call as a profile
    day = plan.made_on if today is None else today
    if isinstance(day, dt.datetime):
        day = day.date()
    resources_text = _resources_text(plan)
    title = f"Plan for {plan.person_id}, made on {_day(plan.made_on)}"
    if plan.cycle > 1:
        title += f" (cycle {plan.cycle}, continuing the last plan)"
    last_due = max((s.due for s in plan.steps), default=plan.made_on)
    weeks = max(1, math.ceil(((last_due - plan.made_on).days + 1) / 7))
    aims = _listing([p.label.lower() for p in plan.targets]) or "no pillar in particular"
    count = len(plan.steps)
    blocks = [
        _title(title),
        _para(
            join_sentences(
                [
                    f"It aims at {aims}",
                    f"{count} step{'s' if count != 1 else ''} over {weeks} "
                    f"week{'s' if weeks != 1 else ''}, at most {plan.weekly_limit} a week",
                ]
            )
        ),
    ]
    now = next_steps(plan, day)
    now_ids = {s.id for s in now}
    if all_steps:
        blocks.append(
            _bullets(
                (_step_item(plan, s, resources_text, why=True) for s in plan.steps),
                "Steps",
            )
        )
    else:
        if now:
            blocks.append(
                _bullets(
                    (_step_item(plan, s, resources_text, why=True) for s in now),
                    "This week",
                )
            )
        else:
            blocks.append(_para("Nothing is due this week."))
        later = [s for s in plan.steps if s.id not in now_ids and plan.outcome(s.id) is None]
        if later:
            blocks.append(
                _bullets(
                    (_folded(s, resources_text, width) for s in later),
                    f"Later ({len(later)} step{'s' if len(later) != 1 else ''})",
                )
            )
        checked = [s for s in plan.steps if plan.outcome(s.id) is not None]
        if checked:
            blocks.append(
                _bullets(
                    (
                        f"{s.id} · {_status(plan, s)} · {sentence(_action(s, resources_text))}"
                        for s in checked
                    ),
                    "Checked in",
                )
            )
    if notes:
        blocks += _note_blocks(plan.profile.notes)
    seeks = any(s.strategy.value == "seek-support" for s in plan.steps) or plan.resources
    if support and seeks:
        blocks += [_heading("Where to find support"), *_resource_blocks(plan.resources)]
    if plan.reflection and reflection_due(plan, day):
        blocks += [_heading("To reflect on"), _para(plan.reflection)]
    return _render(blocks, width, markdown)


# -- progress ----------------------------------------------------------------------------


def _tally_text(done: int, partly: int, skipped: int, open_: int) -> str:
    parts = [f"{done} done"]
    if partly:
        parts.append(f"{partly} partly done")
    if skipped:
        parts.append(f"{skipped} skipped")
    parts.append(f"{open_} still open")
    return ", ".join(parts)


def render_progress(
    plan: ConnectionPlan,
    *,
    width: int = DEFAULT_WIDTH,
    markdown: bool = False,
    summary: Progress | None = None,
) -> str:
    """How a plan is going, for people: steps done, streaks, how it felt, per strategy.

    Args:
        plan: The plan with its check-ins.
        width: The width plain text is wrapped to.
        markdown: Markdown instead of plain text.
        summary: The plan's :func:`~resilience.planning.progress`, if already computed.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
        >>> profile = rs.ResilienceProfile("p-1", when, {rs.Pillar.BELONGING:
        ...     rs.PillarScore(rs.Pillar.BELONGING, 25.0, 1.0)}, {})
        >>> plan = engine.plan(profile, today=dt.date(2026, 1, 5))
        >>> plan = plan.check_in(rs.CheckIn("c1-01", dt.date(2026, 1, 7), rs.Outcome.DONE,
        ...                                 felt=4))
        >>> print(render_progress(plan))  # doctest: +ELLIPSIS
        Progress of the plan made on Monday 5 January 2026
        <BLANKLINE>
        1 done, ... still open. 1 step in a row went ahead (the longest run so far: 1). On
        average it felt 4 of 5.
        <BLANKLINE>
        By strategy
          ...  1 done, ... still open
        ...
    """
    made = summary if summary is not None else progress(plan)
    overall = made.overall
    parts = [_tally_text(overall.done, overall.partly, overall.skipped, overall.open)]
    if overall.streak:
        run = "step in a row" if overall.streak == 1 else "steps in a row"
        parts.append(
            f"{overall.streak} {run} went ahead (the longest run so far: {overall.longest_streak})"
        )
    elif overall.checked_in:
        parts.append(
            "The latest step was skipped, which is fine: the next one can be smaller "
            f"(the longest run of steps that went ahead so far: {overall.longest_streak})"
        )
    if made.felt is not None:
        parts.append(f"On average it felt {_number(round(made.felt, 1))} of 5")
    if made.step_down:
        names = _listing(sorted(f"“{s.label.lower()}”" for s in made.step_down))
        parts.append(
            f"After a skip, the bigger steps of {names} wait; continuing the plan offers a "
            "smaller one"
        )
    if made.finished:
        parts.append("Every step has a check-in: the plan's cycle is complete")
    blocks = [
        _title(f"Progress of the plan made on {_day(plan.made_on)}"),
        _para(join_sentences(parts)),
        _rows(
            "By strategy",
            (
                (s.label, _tally_text(t.done, t.partly, t.skipped, t.open))
                for s, t in made.by_strategy.items()
                if t.steps
            ),
        ),
    ]
    return _render(blocks, width, markdown)


# -- re-assessment -----------------------------------------------------------------------


def _after_days(days: int) -> str:
    if days > 365:
        return "over a year ago"
    if days > 90:
        return "over three months ago"
    if days > 30:
        return "over a month ago"
    return "within the last month"


def _tie_change(
    alias: str,
    before: float | None,
    after: float | None,
    networks: tuple[SupportNetwork | None, SupportNetwork | None],
    days: tuple[dt.date, dt.date],
) -> str:
    if before is None:
        return f"{alias} is newly named as giving this support"
    if after is None:
        return f"{alias} is no longer named as giving this support"
    more = after > before
    old = _connection(networks[0], alias)
    new = _connection(networks[1], alias)
    if old is not None and new is not None:
        if old.trust != new.trust or old.safety != new.safety:
            return (
                f"trust and felt safety with {alias} went from {old.trust} and {old.safety} "
                f"to {new.trust} and {new.safety} (of 5)"
            )
        if dict(old.contact) != dict(new.contact):
            return f"how you are in touch with {alias} changed"
        if new.last_contact is not None:
            gap = (days[1] - new.last_contact).days
            return f"last contact with {alias} is now {_after_days(gap)}"
    word = "more" if more else "less"
    return f"support from {alias} counts for {word} than before"


def _connection(network: SupportNetwork | None, alias: str) -> Connection | None:
    if network is None:
        return None
    for connection in network.connections:
        if connection.alias == alias:
            return connection
    return None


def _mean(contributions: Sequence[Contribution]) -> float | None:
    weight = math.fsum(c.weight for c in contributions)
    if not contributions:
        return None
    if weight > 0:
        return math.fsum(c.weight * c.value for c in contributions) / weight
    return math.fsum(c.value for c in contributions) / len(contributions)


def _raw(contributions: Sequence[Contribution]) -> tuple[float, float, float] | None:
    """The summed answer behind one instrument rule's contributions, with its range."""
    if len(contributions) != 1:
        return None
    inputs = dict(contributions[0].inputs)
    low, high = inputs.pop("min", None), inputs.pop("max", None)
    if low is None or high is None or not inputs:
        return None
    return math.fsum(inputs.values()), low, high


def _evidence_moves(
    change: ScoreChange,
    instruments: _Instruments,
    networks: tuple[SupportNetwork | None, SupportNetwork | None],
    days: tuple[dt.date, dt.date],
) -> list[str]:
    rules = sorted({c.rule for c in (*change.before_evidence, *change.after_evidence)})
    moves: list[tuple[float, str]] = []
    for rule in rules:
        old = [c for c in change.before_evidence if c.rule == rule]
        new = [c for c in change.after_evidence if c.rule == rule]
        if any(_is_network_input(k) for c in (*old, *new) for k in c.inputs):
            moves += _network_moves(old, new, networks, days)
            continue
        a, b = _mean(old), _mean(new)
        instrument = instruments.get(rule)
        # A rule that is not an instrument is not named: its id means nothing to a person.
        what = f"{instrument.name} answers" if instrument is not None else "other answers"
        if a is None and b is not None:
            moves.append((math.inf, f"{what} were given for the first time"))
        elif a is not None and b is None:
            moves.append((math.inf, f"{what} were not given this time"))
        elif a is not None and b is not None and abs(b - a) >= 0.5:
            verb = "improved" if b > a else "point to more strain"
            text = f"{what} {verb}"
            before_raw, after_raw = _raw(old), _raw(new)
            if before_raw and after_raw and before_raw[1:] == after_raw[1:]:
                text += (
                    f" ({_number(before_raw[0])} → {_number(after_raw[0])}, of a possible "
                    f"{_number(before_raw[1])} to {_number(before_raw[2])})"
                )
            moves.append((abs(b - a), text))
    moves.sort(key=lambda m: -m[0])
    return [text for _, text in moves[:3]]


def _is_network_input(key: str) -> bool:
    """Whether an input is the network rule's: its tie count or a tie's quality."""
    return key == "ties" or (key.startswith("quality[") and key.endswith("]"))


def _network_moves(
    old: Sequence[Contribution],
    new: Sequence[Contribution],
    networks: tuple[SupportNetwork | None, SupportNetwork | None],
    days: tuple[dt.date, dt.date],
) -> list[tuple[float, str]]:
    def qualities(contributions: Sequence[Contribution]) -> dict[str, float]:
        found: dict[str, float] = {}
        for c in contributions:
            for key, value in c.inputs.items():
                if key.startswith("quality[") and key.endswith("]"):
                    found[key[len("quality[") : -1]] = value
        return found

    was, now = qualities(old), qualities(new)
    moves = []
    for alias in sorted(set(was) | set(now)):
        a, b = was.get(alias), now.get(alias)
        if a is not None and b is not None and abs(b - a) < 0.01:
            continue
        size = math.inf if a is None or b is None else abs(b - a) * 100
        moves.append((size, _tie_change(alias, a, b, networks, days)))
    if not moves and old and not new:
        moves.append((math.inf, "no network was described this time"))
    if not moves and new and not old:
        moves.append((math.inf, "a network was described for the first time"))
    return moves


def _little_evidence(value: float | None, evidence: Sequence[Contribution]) -> bool:
    """Whether a strength in a change rests on little evidence, as a profile's score would.

    A change built by hand without its evidence says nothing about it: no mark.
    """
    weight = math.fsum(c.weight for c in evidence)
    return value is not None and bool(evidence) and weight < LITTLE_EVIDENCE


def _first_looks(change: ScoreChange) -> str:
    """Which of a change's two numbers rest on little evidence, said after them."""
    thin_before = _little_evidence(change.before, change.before_evidence)
    thin_after = _little_evidence(change.after, change.after_evidence)
    if thin_before and thin_after:
        return f" (each {FIRST_LOOK})"
    if thin_after:
        return f" (the new number is {FIRST_LOOK})"
    if thin_before:
        return f" (the earlier number was {FIRST_LOOK})"
    return ""


def _change_line(
    change: ScoreChange,
    instruments: _Instruments,
    networks: tuple[SupportNetwork | None, SupportNetwork | None],
    days: tuple[dt.date, dt.date],
) -> str:
    label = change.target.label
    before, after = change.before, change.after
    if before is None and after is None:
        return sentence(f"{label}: not measured either time")
    if before is None:
        head = f"{label}: measured for the first time, at {strength_text(after)} of 100"
    elif after is None:
        head = f"{label}: not measured this time (it was {strength_text(before)} of 100)"
    elif change.direction == "same":
        head = f"{label}: steady at {strength_text(after)} of 100"
    else:
        verb = "stronger" if change.direction == "up" else "weaker"
        head = f"{label}: {verb}, from {strength_text(before)} to {strength_text(after)} of 100"
    head += _first_looks(change)
    moves = _evidence_moves(change, instruments, networks, days)
    if not moves or change.direction == "same":
        return sentence(head)
    return join_sentences([head, "Why: " + "; ".join(moves)])


def _steady_list(changes: Sequence[ScoreChange]) -> str:
    return _listing([f"{c.target.label.lower()} ({strength_text(c.after)})" for c in changes])


def render_change(
    change: ProfileChange,
    *,
    instruments: _Instruments | None = None,
    before_network: SupportNetwork | None = None,
    after_network: SupportNetwork | None = None,
    width: int = DEFAULT_WIDTH,
    markdown: bool = False,
) -> str:
    """A re-assessment for people: what grew stronger or weaker, and in whose words why.

    Each pillar and capacity that moved says which answers moved it, in the direction of
    strength ("the UCLA-3 answers improved (7 → 5, of a possible 3 to 9)"), never a rule
    id. Given the two networks, a tie whose support counts for less says why, such as
    "last contact with Sam is now over three months ago".

    Args:
        change: :func:`resilience.planning.compare` of the two profiles.
        instruments: The instruments by id, for their names.
        before_network: The network described with the earlier answers.
        after_network: The network described with the later answers.
        width: The width plain text is wrapped to.
        markdown: Markdown instead of plain text.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from resilience.planning import compare
        >>> engine = rs.Engine(load_installed=False)
        >>> def at(day, answers):
        ...     when = dt.datetime(2026, 1, day, tzinfo=dt.timezone.utc)
        ...     return engine.profile(rs.Assessment("p-1", when, {"ucla-3": answers}))
        >>> old = at(5, {"ucla-1": 3, "ucla-2": 3, "ucla-3": 2})
        >>> new = at(26, {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1})
        >>> print(render_change(compare(old, new), instruments=engine.instruments))
        ... # doctest: +ELLIPSIS
        Re-assessment: answers of Monday 26 January 2026, compared with Monday 5 January 2026
        <BLANKLINE>
        Stronger: emotional co-regulation, and meaning and belonging.
        <BLANKLINE>
          - Emotional co-regulation: stronger, from 17 to 67 of 100. Why: Three-Item Loneliness
            Scale (UCLA-3) answers improved (8 → 5, of a possible 3 to 9).
          - Meaning and belonging: stronger, from 17 to 67 of 100. Why: Three-Item Loneliness
            Scale (UCLA-3) answers improved (8 → 5, of a possible 3 to 9).
    """
    known = instruments or {}
    networks = (before_network, after_network)
    days = (change.before_at.date(), change.after_at.date())
    everything = [*change.pillars.values(), *change.capacities.values()]
    up = [c.target.label.lower() for c in everything if c.direction == "up"]
    down = [c.target.label.lower() for c in everything if c.direction == "down"]
    summary = []
    if up:
        summary.append(f"Stronger: {_listing(up)}")
    if down and change.time_only:
        summary.append(
            f"Lower only because time has passed, not because of anything you answered "
            f"({_listing(down)}): {change.time_only}"
        )
    elif down:
        summary.append(f"Weaker: {_listing(down)}")
    if not summary:
        summary.append("No measured pillar or capacity moved by a whole point")
    flags = [f.value for f in change.flags_raised]
    if "support-advised" in flags:
        summary.append(
            "The new answers describe a heavier load: talking with a professional or a "
            "community support service is advised, as a pointer to support, not a diagnosis"
        )
    if any(f.value == "support-advised" for f in change.flags_cleared):
        summary.append("Support is no longer flagged, and it stays open to you")
    moved = [c for c in everything if c.direction in ("up", "down", "unknown")]
    moved = [c for c in moved if not (c.before is None and c.after is None)]
    steady = [c for c in everything if c.direction == "same"]
    thin = [c for c in steady if _little_evidence(c.after, c.after_evidence)]
    solid = [c for c in steady if c not in thin]
    if solid:
        summary.append("Steady: " + _steady_list(solid))
    if thin:
        summary.append(
            f"Steady, but resting on little evidence (a rough first look): {_steady_list(thin)}"
        )
    blocks = [
        _title(
            f"Re-assessment: answers of {_day(change.after_at)}, compared with "
            f"{_day(change.before_at)}"
        ),
        _para(join_sentences(summary)),
    ]
    if moved:
        blocks.append(_bullets(_change_line(c, known, networks, days) for c in moved))
    return _render(blocks, width, markdown)
