"""Readable forms: labels not ids, whole numbers, support said once, well-formed sentences."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import resilience as rs
from resilience import text
from resilience.planning import GENERAL_SUPPORT, compare
from resilience.testing.strategies import assessments

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
import quickstart

ENGINE = rs.Engine(load_installed=False)
UTC = dt.timezone.utc
_BOUNDARY = re.compile(r"[.!?]\s+(\S)")
_LONG_FLOAT = re.compile(r"\d+\.\d{3,}")


def assert_sentences(words: str) -> None:
    """Capital first letter, one closing stop, no spliced stops, capitals after each stop."""
    assert words, "empty text"
    assert words == words.strip(), repr(words)
    assert words[0].isupper() or words[0].isdigit() or words[0] in "'\"“(", repr(words)
    assert words.endswith((".", "!", "?")), repr(words)
    for bad in (".;", ";.", ",.", " .", ".,"):
        assert bad not in words, f"{bad!r} in {words!r}"
    assert ".." not in words.replace("...", ""), repr(words)
    for start in _BOUNDARY.findall(words):
        assert start.isupper() or start.isdigit() or start in "'\"“(", repr(words)


# -- sentences -----------------------------------------------------------------------------

_FRAGMENTS = st.lists(
    st.text(st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=20)
    .map(lambda s: s.strip())
    # Words that start with a letter that has a capital of its own ("ŉ" has none).
    .filter(lambda s: s[:1].isalpha() and len(s[:1].upper()) == 1 and s[:1].upper().isupper())
    .map(lambda s: s + st_punctuation(s)),
    min_size=1,
    max_size=5,
)


def st_punctuation(fragment: str) -> str:
    # The endings builders leave behind: none, a stop, a semicolon, a colon.
    return ("", ".", ";", ":", ",")[len(fragment) % 5]


@given(_FRAGMENTS)
def test_join_sentences_makes_well_formed_sentences(fragments: list[str]) -> None:
    joined = text.join_sentences(fragments)
    assert_sentences(joined)
    assert joined.count(".") >= len([f for f in fragments if f.rstrip(".;:,").strip()])


def test_tidy_repairs_the_spliced_reason_of_the_issue() -> None:
    spliced = (
        "Offered first because The UCLA-3 answers describe loneliness (trust of 4 or "
        "more).; Talking with a professional is advised; not a diagnosis.. A first, small step"
    )
    tidied = text.tidy(spliced)
    assert ".;" not in tidied
    assert "diagnosis. A first" in tidied
    assert tidied.endswith("small step.")


# -- every reason, for any profile --------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments())
def test_every_reason_in_a_rendered_plan_is_well_formed(assessment: rs.Assessment) -> None:
    profile = ENGINE.profile(assessment)
    plan = ENGINE.plan(profile, network=assessment.network, today=dt.date(2026, 1, 5))
    for step in plan.steps:
        assert_sentences(text.tidy(step.reason))
        # The reason builders join whole sentences too (no ".;" or ".." left to repair).
        assert ".;" not in step.reason
        assert ".." not in step.reason.replace("...", "")
    rendered = text.render_plan(plan, all_steps=True)
    for line in rendered.splitlines():
        assert not _LONG_FLOAT.search(line), line
    for why in re.findall(r"Why: (.*?)(?=\n  - |\n\n|\Z)", rendered, flags=re.S):
        assert_sentences(" ".join(why.split()))
    for reason in profile.flag_reasons:
        assert_sentences(text.tidy(reason))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(assessments(), st.integers(40, 120))
def test_a_rendered_profile_is_wrapped_rounded_and_labelled(
    assessment: rs.Assessment, width: int
) -> None:
    profile = ENGINE.profile(assessment)
    rendered = text.render_profile(profile, instruments=ENGINE.instruments, width=width)
    flat = " ".join(rendered.split())
    for pillar in rs.Pillar:
        assert pillar.label in flat
    for line in rendered.splitlines():
        assert not _LONG_FLOAT.search(line), line
        # Only a line holding a word too long to break may stick out.
        assert len(line) <= width or any(len(word) > width // 3 for word in line.split()), line
    for score in profile.scores.values():
        if score.band is not None and "-" in score.band:
            assert f"'{score.band}'" not in rendered  # the band's label, not its id
    assert flat.count(GENERAL_SUPPORT) == (1 if profile.support_advised else 0)
    unknown = [p for p, s in profile.pillars.items() if s.strength is None]
    assert flat.count("not measured yet") >= len(unknown)


# -- the quickstart person -----------------------------------------------------------------


def _quickstart() -> tuple[rs.Assessment, rs.ResilienceProfile, rs.ConnectionPlan]:
    assessment = quickstart.first_assessment()
    profile = ENGINE.profile(assessment)
    plan = ENGINE.plan(profile, network=assessment.network, today=dt.date(2026, 11, 3))
    return assessment, profile, plan


def test_a_plan_says_where_help_is_found_once_and_shows_this_week_first() -> None:
    _, _, plan = _quickstart()
    assert sum(GENERAL_SUPPORT in s.action for s in plan.steps) >= 2  # the raw plan repeats it
    rendered = text.render_plan(plan, today=dt.date(2026, 11, 3))
    assert " ".join(rendered.split()).count(GENERAL_SUPPORT) == 1
    this_week = rendered.index("This week")
    later = rendered.index("Later (")
    assert this_week < later
    first_week = [s for s in plan.steps if s.due < dt.date(2026, 11, 10)]
    for step in first_week:
        assert this_week < rendered.index(step.id) < later
    for step in plan.steps:
        if step not in first_week:
            assert rendered.index(step.id) > later
    assert len(rendered) < 5000  # the raw repr of this plan is over 17,000 characters
    assert all(len(line) <= text.DEFAULT_WIDTH for line in rendered.splitlines())


def test_a_re_assessment_speaks_in_the_profiles_own_words() -> None:
    first, profile, _ = _quickstart()
    later = rs.Assessment(
        first.person_id,
        dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
        {**first.answers, "ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}},
        network=first.network,
        drivers=first.drivers,
    )
    change = compare(profile, ENGINE.profile(later))
    rendered = text.render_change(
        change,
        instruments=ENGINE.instruments,
        before_network=first.network,
        after_network=later.network,
    )
    flat = " ".join(rendered.split())
    assert "Loneliness Scale (UCLA-3) answers improved (7 → 5, of a possible 3 to 9)" in flat
    assert "last contact with Sam is now over three months ago" in flat
    assert "'network'" not in flat
    assert "'ucla-3'" not in flat
    assert "quality" not in flat
    for bullet in rendered.split("\n  - ")[1:]:
        assert_sentences(" ".join(bullet.split()))


def test_progress_and_markdown_forms() -> None:
    _, profile, plan = _quickstart()
    plan = plan.check_in(rs.CheckIn(plan.steps[0].id, dt.date(2026, 11, 5), rs.Outcome.DONE, 4))
    plan = plan.check_in(rs.CheckIn(plan.steps[1].id, dt.date(2026, 11, 8), rs.Outcome.SKIPPED))
    words = text.render_progress(plan)
    assert "1 done, 1 skipped" in words
    assert "felt 4 of 5" in words
    assert "True" not in words
    assert "[]" not in words
    markdown = text.render_profile(profile, instruments=ENGINE.instruments, markdown=True)
    assert markdown.startswith("## Profile of p-quickstart")
    belonging = profile.pillars[rs.Pillar.BELONGING].strength
    assert belonging is not None
    assert f"| Meaning and belonging | {belonging:.0f}   the weakest |" in markdown
    plan_md = text.render_plan(plan, markdown=True, today=dt.date(2026, 11, 10))
    assert "**This week**" in plan_md
    assert "### Where to find support" in plan_md
