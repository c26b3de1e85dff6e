"""What a person must not miss: a profile's notes, and numbers that rest on little evidence.

Every note a profile carries is shown in its rendering, in its own words and with the
question it asks; no note kind, rule id or band id is shown; a strength that rests on
little evidence is marked as a rough first look, and one with enough evidence is not.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import attrs
import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import resilience as rs
from resilience import text
from resilience._profiles import ASK_FOR_NETWORK
from resilience.planning import GENERAL_SUPPORT, compare
from resilience.testing.strategies import (
    assessments,
    connections,
    profiles,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
import quickstart

ENGINE = rs.Engine(load_installed=False)
UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ASK_LEAD = "A question that would fill this in:"
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def flat(words: str) -> str:
    return " ".join(words.split())


def profiles_with_notes() -> st.SearchStrategy[rs.ResilienceProfile]:
    # The public strategy draws notes too; here every profile has at least one.
    return profiles().filter(lambda profile: bool(profile.notes))


def worth_knowing(markdown: str) -> list[str]:
    """The bullets under "Worth knowing" in a Markdown rendering, each as one string."""
    lines = markdown.split("\n")
    if "**Worth knowing**" not in lines:
        return []
    start = lines.index("**Worth knowing**") + 2
    bullets: list[str] = []
    for line in lines[start:]:
        if line.startswith("- "):
            bullets.append(line[2:])
        elif line.startswith("  ") and bullets:
            bullets[-1] += "\n" + line[2:]
        else:
            break
    return bullets


def expected_bullet(note: rs.ProfileNote) -> str:
    parts = [flat(note.text), f"{ASK_LEAD} {flat(note.ask)}" if flat(note.ask) else ""]
    return "\n".join(p for p in parts if p)


def table_rows(markdown: str) -> dict[str, str]:
    rows = {}
    for line in markdown.split("\n"):
        match = re.fullmatch(r"\| (.+?) \| (.+) \|", line)
        if match and match.group(1) not in ("---",):
            rows[match.group(1)] = match.group(2)
    return rows


# -- notes: every one shown, in its own words, never its kind or ids ------------------------


@SLOW
@given(profiles_with_notes())
def test_every_note_of_a_profile_is_a_bullet_of_its_rendering(
    profile: rs.ResilienceProfile,
) -> None:
    markdown = text.render_profile(profile, markdown=True)
    shown = [n for n in profile.notes if expected_bullet(n)]
    assert worth_knowing(markdown) == [expected_bullet(n) for n in shown]
    for kind in rs.NoteKind:
        assert kind.value not in markdown


@SLOW
@given(profiles_with_notes(), st.integers(40, 120))
def test_notes_in_plain_text_keep_to_the_width_and_say_everything(
    profile: rs.ResilienceProfile, width: int
) -> None:
    rendered = text.render_profile(profile, width=width)
    for line in rendered.splitlines():
        assert len(line) <= width or any(len(word) > width // 3 for word in line.split()), line
    words = flat(rendered)
    for note in profile.notes:
        assert flat(note.text) in words
        if flat(note.ask):
            assert f"{ASK_LEAD} {flat(note.ask)}" in words
    assert ("Worth knowing" in rendered) == any(expected_bullet(n) for n in profile.notes)


@SLOW
@given(assessments())
def test_real_notes_appear_in_profile_and_plan_and_no_internal_id_leaks(
    assessment: rs.Assessment,
) -> None:
    profile = ENGINE.profile(assessment)
    plan = ENGINE.plan(profile, network=assessment.network, today=dt.date(2026, 1, 5))
    shown = {
        "profile": text.render_profile(profile, instruments=ENGINE.instruments),
        "plan": text.render_plan(plan, all_steps=True),
    }
    for where, rendered in shown.items():
        words = flat(rendered)
        for note in profile.notes:
            assert flat(note.text) in words, where
            if note.ask:
                assert f"{ASK_LEAD} {flat(note.ask)}" in words, where
        for kind in rs.NoteKind:
            assert kind.value not in rendered
        aliases = [c.alias for c in (assessment.network or rs.SupportNetwork(())).connections]
        for note in profile.notes:
            for about in note.about:
                if about in ENGINE.instruments and not any(about in a for a in aliases):
                    assert about not in rendered, (where, about)
        # The support paragraph is said once at most, notes or not.
        assert words.count(GENERAL_SUPPORT) <= 1


# -- residue: nothing rule-side reaches a person ---------------------------------------------

_BAND_IDS = sorted(
    {
        band.id
        for instrument in ENGINE.instruments.values()
        for band in (*instrument.bands, *(b for s in instrument.subscales for b in s.bands))
        if "-" in band.id
    }
)
_RULE_IDS = sorted(name for name in ENGINE.rules if name not in ("network",))


def _residue(rendered: str, own_words: str) -> list[str]:
    """Band ids, rule ids and tie-quality figures in ``rendered`` ("" if none).

    ``own_words`` are the person's own (ids, aliases): an alias may legitimately be
    "brs" or "at-risk", and is then not counted.
    """
    found = []
    for ident in (*_BAND_IDS, *_RULE_IDS):
        if ident in own_words:
            continue
        if re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", rendered):
            found.append(ident)
    if "'network'" in rendered:
        found.append("'network'")
    found += re.findall(r"quality [0-9.]+", rendered)
    return found


@SLOW
@given(assessments(), assessments())
def test_no_band_id_rule_id_or_quality_figure_in_any_rendering(
    first: rs.Assessment, second: rs.Assessment
) -> None:
    later = attrs.evolve(
        second, person_id=first.person_id, taken_at=first.taken_at + dt.timedelta(days=28)
    )
    before, after = ENGINE.profile(first), ENGINE.profile(later)
    plan = ENGINE.plan(before, network=first.network, today=dt.date(2026, 1, 5))
    own = " ".join(
        [first.person_id]
        + [c.alias for a in (first, later) for c in (a.network.connections if a.network else ())]
    )
    for rendered in (
        text.render_profile(before, instruments=ENGINE.instruments),
        text.render_profile(after, instruments=ENGINE.instruments, markdown=True),
        text.render_plan(plan, all_steps=True),
        text.render_change(
            compare(before, after),
            instruments=ENGINE.instruments,
            before_network=first.network,
            after_network=later.network,
        ),
    ):
        assert _residue(rendered, own) == [], rendered


def test_the_network_rule_writes_no_quality_figure_into_its_reasons() -> None:
    # The figure stays in the contribution's inputs, for the explanation; the sentence a
    # person may read names the strongest tie only. Nothing in rendering cleans it up.
    assessment = quickstart.first_assessment()
    profile = ENGINE.profile(assessment)
    network = [c for c in profile.explanation if c.rule == "network"]
    assert any("quality[" in name for c in network for name in c.inputs)
    assert not any("quality" in c.reason for c in network)
    assert _residue(text.render_profile(profile, instruments=ENGINE.instruments), "") == []


# -- little evidence: marked when thin, never when solid -------------------------------------


@SLOW
@given(profiles())
def test_thin_strengths_are_marked_and_solid_ones_are_not(profile: rs.ResilienceProfile) -> None:
    rows = table_rows(text.render_profile(profile, markdown=True))
    scores: list[rs.PillarScore | rs.CapacityScore] = [
        *profile.pillars.values(),
        *profile.capacities.values(),
    ]
    for score in scores:
        target = score.pillar if isinstance(score, rs.PillarScore) else score.capacity
        value = rows[target.label]
        assert (text.FIRST_LOOK in value) == score.little_evidence, (target, value)
        if score.strength is not None:
            assert value.startswith(f"{score.strength:.0f}")
    weakest = [label for label, value in rows.items() if value.endswith("the weakest")]
    solid = [
        p for p in profile.weakest_pillars() if not profile.pillars[p].little_evidence
    ]  # weakest first
    assert weakest == ([solid[0].label] if solid else [])


def test_the_quickstart_person_sees_which_numbers_are_a_first_look() -> None:
    profile = ENGINE.profile(quickstart.first_assessment())
    grow = profile.capacities[rs.Capacity.GROW]
    assert grow.strength == 0.0
    assert grow.little_evidence  # one checklist answer
    rendered = text.render_profile(profile, instruments=ENGINE.instruments)
    lines = rendered.splitlines()
    assert (
        "  Learning and growing through adversity  0 (a rough first look, from little evidence)"
        in lines
    )
    assert "  Recovering from setbacks                42" in lines
    assert "  Meaning and belonging                   19   the weakest" in lines
    assert "“A rough first look” means only a little evidence speaks to" in flat(rendered)
    assert all(len(line) <= text.DEFAULT_WIDTH for line in lines)


def test_when_every_pillar_is_a_first_look_none_is_called_the_weakest() -> None:
    signs = {s.value: 3 for s in rs.IsolationSign}
    profile = ENGINE.profile(rs.Assessment("p-signs", WHEN, {"connection-signs": signs}))
    assert all(s.little_evidence for s in profile.pillars.values())
    rendered = text.render_profile(profile, instruments=ENGINE.instruments, width=60)
    assert "the weakest" not in rendered
    for pillar in rs.Pillar:
        assert f"{pillar.label}: " in rendered  # narrow: "label: value", wrapped
    assert flat(rendered).count(text.FIRST_LOOK) == len(rs.Pillar) + sum(
        s.little_evidence for s in profile.capacities.values()
    )
    # What the lowest first look rests on is still shown, so it can be seen for what it is.
    assert "rests on" in rendered


def test_a_re_assessment_marks_steady_first_looks_apart() -> None:
    first = quickstart.first_assessment()
    later = attrs.evolve(
        first,
        taken_at=dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        answers={**first.answers, "ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}},
    )
    change = compare(ENGINE.profile(first), ENGINE.profile(later))
    words = flat(text.render_change(change, instruments=ENGINE.instruments))
    assert (
        "Steady, but resting on little evidence (a rough first look): coping with uncertainty "
        "and change (50), keeping hope and purpose (25), and learning and growing through "
        "adversity (0)."
    ) in words
    assert "recovering from setbacks (42)" in words
    assert "(42, " not in words


def test_a_change_says_which_of_its_numbers_is_a_first_look() -> None:
    signs = {s.value: 1 for s in rs.IsolationSign}
    thin = ENGINE.profile(rs.Assessment("p-4", WHEN, {"connection-signs": signs}))
    brs = {f"brs-{i}": v for i, v in enumerate((5, 1, 5, 1, 5, 1), 1)}
    solid = ENGINE.profile(
        rs.Assessment("p-4", WHEN + dt.timedelta(days=30), {"connection-signs": signs, "brs": brs})
    )
    recover_before = thin.capacities[rs.Capacity.RECOVER]
    recover_after = solid.capacities[rs.Capacity.RECOVER]
    assert recover_before.little_evidence
    assert not recover_after.little_evidence
    words = flat(text.render_change(compare(thin, solid), instruments=ENGINE.instruments))
    line = re.search(r"Recovering from setbacks: [^-]*", words)
    assert line is not None
    assert f"(the earlier number was {text.FIRST_LOOK})" in line.group(0)


# -- the people a note is about ----------------------------------------------------------------


def test_missing_evidence_is_said_with_its_question_in_profile_and_plan() -> None:
    answers = {"ucla-3": {"ucla-1": 3, "ucla-2": 3, "ucla-3": 2}}
    profile = ENGINE.profile(rs.Assessment("p-5", WHEN, answers))
    (note,) = profile.notes
    assert note.kind is rs.NoteKind.MISSING_EVIDENCE
    for markdown in (False, True):
        rendered = text.render_profile(profile, instruments=ENGINE.instruments, markdown=markdown)
        words = flat(rendered)
        assert flat(note.text) in words
        assert f"{ASK_LEAD} {ASK_FOR_NETWORK}" in words
        assert "ucla-3" not in rendered  # the note's `about` is never shown
    plan = ENGINE.plan(profile, today=dt.date(2026, 1, 5))
    assert ASK_FOR_NETWORK in flat(text.render_plan(plan))
    # Where the same screen already shows the profile, the plan need not repeat it.
    assert ASK_FOR_NETWORK not in flat(text.render_plan(plan, notes=False))


@SLOW
@given(connections("Alex"), st.integers(4, 5), st.integers(1, 2))
def test_a_trusted_tie_not_felt_safe_is_said_in_the_notes_words(
    tie: rs.Connection, trust: int, safety: int
) -> None:
    tie = attrs.evolve(tie, trust=trust, safety=safety)
    network = rs.SupportNetwork((tie,))
    answers = {"ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}}
    profile = ENGINE.profile(rs.Assessment("p-6", WHEN, answers, network=network))
    (note,) = [n for n in profile.notes if n.kind is rs.NoteKind.TRUSTED_NOT_FELT_SAFE]
    plan = ENGINE.plan(profile, network=network, today=dt.date(2026, 1, 5))
    for rendered in (
        text.render_profile(profile, instruments=ENGINE.instruments),
        text.render_plan(plan, markdown=True),
    ):
        assert flat(note.text) in flat(rendered)
        assert "trusted-not-felt-safe" not in rendered
