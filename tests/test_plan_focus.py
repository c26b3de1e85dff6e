"""A plan keeps its focus: the weakest pillars only, a light first week, reasons said once.

Also: a re-assessment through the Engine and through the ``resilience`` command tells
change that comes only from time passing, because both pass the networks they have.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import cli, planning
from resilience.builtin.steps import TEMPLATES
from resilience.testing import strategies as rst

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UTC = dt.timezone.utc
P = rs.Pillar
WORD = re.compile(r"[a-z0-9'’-]+")
# The ladder notes and other fixed sentences are shared by every step; a "phrase" here is
# a run of this many words, long enough that ordinary sentences do not share one by chance.
PHRASE_WORDS = 4


def plan_for(
    profile: rs.ResilienceProfile, network: rs.SupportNetwork | None, **more: object
) -> rs.ConnectionPlan:
    return planning.build_plan(
        profile,
        templates=TEMPLATES,
        network=network,
        today=dt.date(2026, 3, 2),
        **more,  # type: ignore[arg-type]
    )


def known(profile: rs.ResilienceProfile) -> dict[rs.Pillar, float]:
    return {p: s.strength for p, s in profile.pillars.items() if s.strength is not None}


KIM = rs.Connection(
    "Kim",
    rs.Relation.FRIEND,
    trust=4,
    safety=4,
    pillars={P.BELONGING, P.VALIDATION},
    contact={rs.ContactMode.MESSAGE: rs.Frequency.WEEKLY},
    last_contact=dt.date(2025, 12, 12),
)


# -- the focus rule ------------------------------------------------------------------------


@SETTINGS
@given(rst.profiles())
def test_targets_are_the_weakest_pillars_with_room_to_grow(profile: rs.ResilienceProfile) -> None:
    targets = planning.targets_for(profile)
    strengths = known(profile)
    assert targets
    assert len(set(targets)) == len(targets)
    if not strengths:
        assert len(targets) <= planning.FOCUS_MOST or targets == tuple(P)
        return
    assert len(targets) <= planning.FOCUS_MOST
    weakest = min(strengths.values())
    assert targets[0] in strengths  # the weakest known pillar is always a target
    assert strengths[targets[0]] == weakest
    below = {p for p, v in strengths.items() if v < planning.ROOM_TO_GROW}
    if below:
        assert set(targets) <= below  # never a pillar without room to grow, nor an unknown
    else:
        assert targets == (targets[0],)
    for other in targets[1:]:
        assert strengths[other] >= weakest
        narrow = len(targets[0].strategies - {rs.Strategy.SEEK_SUPPORT}) < planning.FEWEST_LADDERS
        assert narrow or strengths[other] - weakest < planning.FOCUS_MARGIN
    # Nothing weaker was left out for something stronger.
    for left in set(strengths) - set(targets):
        assert all(strengths[left] >= strengths[t] for t in targets)


@SETTINGS
@given(rst.profiles(), st.none() | rst.support_networks())
def test_support_is_never_dropped_by_the_focus(
    profile: rs.ResilienceProfile, network: rs.SupportNetwork | None
) -> None:
    plan = plan_for(profile, network)
    if planning.support_required(profile, network):
        assert plan.steps[0].strategy is rs.Strategy.SEEK_SUPPORT
        assert plan.steps[0].due == min(s.due for s in plan.steps)
    for step in plan.steps:
        assert step.pillars <= set(plan.targets)


@SETTINGS
@given(rst.profiles(), st.none() | rst.support_networks(), st.integers(1, 6))
def test_a_first_plan_starts_with_a_light_week(
    profile: rs.ResilienceProfile, network: rs.SupportNetwork | None, limit: int
) -> None:
    plan = plan_for(profile, network, weekly_limit=limit)
    first_week = [s for s in plan.steps if (s.due - plan.made_on).days < 7]
    assert len(first_week) <= min(planning.FIRST_WEEK_STEPS, limit)
    assert all(s.effort.level <= rs.Effort.SMALL.level for s in first_week)


# -- reasons said once ---------------------------------------------------------------------


def phrases(text: str) -> list[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    return [tuple(words[i : i + PHRASE_WORDS]) for i in range(len(words) - PHRASE_WORDS + 1)]


@SETTINGS
@given(rst.profiles(), st.none() | rst.support_networks())
def test_a_reason_says_nothing_twice_and_names_each_pillar_once(
    profile: rs.ResilienceProfile, network: rs.SupportNetwork | None
) -> None:
    plan = plan_for(profile, network)
    aliases = [c.alias for c in network.connections] if network is not None else []
    for step in plan.steps:
        reason = step.reason
        for alias in aliases:  # a generated alias may be any text
            reason = reason.replace(alias, "someone")
        said = phrases(reason)
        repeated = {p for p in said if said.count(p) > 1}
        assert not repeated, step.reason
        lowered = step.reason.lower()
        for pillar in step.pillars:
            assert lowered.count(pillar.label.lower()) == 1, step.reason
        for pillar in set(P) - step.pillars:
            assert pillar.label.lower() not in lowered.removeprefix("aims at ").split(".")[0]


def test_a_step_for_two_pillars_names_them_in_one_clause() -> None:
    when = dt.datetime(2026, 3, 2, tzinfo=UTC)
    close = {
        P.BELONGING: 20.0,
        P.VALIDATION: 26.0,
        P.CO_REGULATION: 80.0,
        P.PRACTICAL_SUPPORT: 75.0,
    }
    profile = rs.ResilienceProfile(
        "p", when, {p: rs.PillarScore(p, v, 1.0) for p, v in close.items()}, {}
    )
    plan = plan_for(profile, rs.SupportNetwork((KIM,)))
    both = [s for s in plan.steps if s.pillars == {P.BELONGING, P.VALIDATION}]
    assert both
    assert both[0].reason.startswith(
        "Aims at meaning and belonging, and at validation and perspective, where your answers "
        "show the most room to grow."
    )
    assert all(s.reason.count("room to grow") == 1 for s in plan.steps)


# -- re-assessment through the Engine and the command --------------------------------------

ANSWERS = {"ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}}
FIRST = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = FIRST + dt.timedelta(days=42)  # Kim's last contact goes from 80 to 122 days ago
TIME_ONLY = "over three months since you were in touch with Kim"


def same_answers_twice(
    engine: rs.Engine, network: rs.SupportNetwork | None = None
) -> list[rs.ResilienceProfile]:
    network = network or rs.SupportNetwork((KIM,))
    assessments = [rs.Assessment("p-1", when, ANSWERS, network=network) for when in (FIRST, LATER)]
    profiles = [engine.profile(a) for a in assessments]
    engine.store.append_many([*assessments, *profiles])
    return profiles


def test_the_engine_reads_the_networks_from_the_stored_assessments(tmp_path: Path) -> None:
    with rs.Engine(store=f"sqlite:///{tmp_path / 'r.db'}", load_installed=False) as engine:
        old, new = same_answers_twice(engine)
        change = engine.compare(old, new)
    assert TIME_ONLY in change.summary
    assert "Lower:" not in change.summary
    down = [c for c in change.pillars.values() if c.direction == "down"]
    assert down
    assert all("only from time passing" in c.explanation for c in down)
    # Without the networks (what the engine used to do), the same fall reads as a loss.
    plain = planning.compare(old, new)
    assert TIME_ONLY not in plain.summary
    assert "Lower:" in plain.summary


def test_the_engine_uses_networks_it_is_given_and_tells_nothing_without_them() -> None:
    engine = rs.Engine(load_installed=False)  # nothing stored: the networks must be passed
    net = rs.SupportNetwork((KIM,))
    old, new = (
        engine.profile(rs.Assessment("p-1", w, ANSWERS, network=net)) for w in (FIRST, LATER)
    )
    assert TIME_ONLY in engine.compare(old, new, before_network=net, after_network=net).summary
    assert TIME_ONLY not in engine.compare(old, new).summary
    # A network passed that the profiles were not made with explains nothing.
    bare = [engine.profile(rs.Assessment("p-1", w, ANSWERS)) for w in (FIRST, LATER)]
    assert TIME_ONLY not in engine.compare(*bare, before_network=net, after_network=net).summary
    moved = rs.SupportNetwork((attrs.evolve(KIM, last_contact=dt.date(2026, 4, 10)),))
    assert (
        TIME_ONLY not in engine.compare(old, new, before_network=net, after_network=moved).summary
    )


def test_the_history_command_tells_change_that_comes_only_from_time_passing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("RESILIENCE_PLUGINS", "RESILIENCE_DISABLE_PLUGINS", "RESILIENCE_STORE"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    with rs.Engine(store=url, load_installed=False) as engine:
        same_answers_twice(engine)
    assert cli.main(["history", "p-1", "--json", "--store", url]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert TIME_ONLY in data["change"]["summary"]
    pillars: Sequence[dict[str, object]] = list(data["change"]["pillars"].values())
    falls = [c for c in pillars if "fell" in str(c["explanation"])]
    assert falls
    assert all("only from time passing" in str(c["explanation"]) for c in falls)
    assert cli.main(["history", "p-1", "--store", url]) == cli.EXIT_OK
    text = " ".join(capsys.readouterr().out.split())
    assert "last contact with Kim is now over three months ago" in text
    # The person is told the fall is time passing, and never that they became "weaker".
    assert "Lower only because time has passed, not because of anything you answered" in text
    assert "Weaker" not in text
    assert TIME_ONLY in text
