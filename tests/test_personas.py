"""Plans that fit the person: a set of lives, each profiled and planned end to end.

Each persona is a realistic person with answers, a network and drivers. Every plan is
checked against the rules that hold for everyone (``test_every_plan_keeps_the_rules``),
and each persona against what its life needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest

import resilience as rs
from resilience import planning
from resilience.builtin.steps import TEMPLATES

UTC = dt.timezone.utc
TODAY = dt.date(2026, 3, 2)
WHEN = dt.datetime(2026, 3, 2, 9, tzinfo=UTC)
ENGINE = rs.Engine(load_installed=False)
BY_ID = {t.id: t for t in TEMPLATES}
P = rs.Pillar
S = rs.Strategy
R = rs.Relation
M = rs.ContactMode
F = rs.Frequency
O = rs.Outcome  # noqa: E741

UCLA_WORST = {"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}
UCLA_LONELY = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
UCLA_OK = {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}
LSNS_TWO = {"lsns-1": 1, "lsns-2": 1, "lsns-3": 0, "lsns-4": 0, "lsns-5": 0, "lsns-6": 0}
DJG_EMOTIONAL = {"djg-1": 3, "djg-2": 3, "djg-3": 3, "djg-4": 3, "djg-5": 3, "djg-6": 3}
SILENCE = "no need to explain the silence"


def tie(
    alias: str, relation: rs.Relation, trust: int, safety: int, **more: object
) -> rs.Connection:
    return rs.Connection(alias, relation, trust=trust, safety=safety, **more)  # type: ignore[arg-type]


def signs(*, hides: int) -> dict[str, int]:
    answers = {sign.value: 1 for sign in rs.IsolationSign}
    answers[rs.IsolationSign.HIDES_STRUGGLES.value] = hides
    return answers


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@attrs.frozen
class Persona:
    name: str
    answers: dict[str, dict[str, int]]
    network: rs.SupportNetwork | None = None
    drivers: frozenset[rs.IsolationDriver] = frozenset()

    def assessment(self, when: dt.datetime = WHEN) -> rs.Assessment:
        return rs.Assessment(
            self.name, when, self.answers, network=self.network, drivers=self.drivers
        )

    def profile(self) -> rs.ResilienceProfile:
        return ENGINE.profile(self.assessment())

    def plan(self) -> rs.ConnectionPlan:
        return ENGINE.plan(self.profile(), network=self.network, today=TODAY)


PARENTS_ABROAD = tie(
    "Mum and Dad", R.FAMILY, 5, 5, pillars={P.CO_REGULATION, P.VALIDATION},
    contact={M.CALL: F.WEEKLY}, last_contact=days_ago(4),
)  # fmt: skip
OLD_FRIEND = tie(
    "Jo", R.FRIEND, 4, 4, pillars={P.BELONGING, P.VALIDATION},
    contact={M.MESSAGE: F.MONTHLY}, last_contact=days_ago(40),
)  # fmt: skip
ANNE = tie(
    "Anne", R.FAMILY, 5, 5, pillars={P.CO_REGULATION, P.VALIDATION},
    contact={M.CALL: F.WEEKLY}, last_contact=days_ago(6),
)  # fmt: skip
ALEX = tie(
    "Alex", R.PARTNER, 5, 5, pillars={P.CO_REGULATION, P.PRACTICAL_SUPPORT},
    contact={M.IN_PERSON: F.DAILY}, last_contact=days_ago(0),
)  # fmt: skip
KIM = tie(
    "Kim", R.FRIEND, 4, 4, pillars={P.BELONGING, P.VALIDATION},
    contact={M.MESSAGE: F.WEEKLY}, last_contact=days_ago(12),
)  # fmt: skip
HUSBAND = tie(
    "Tom", R.PARTNER, 5, 5, pillars={P.CO_REGULATION},
    contact={M.IN_PERSON: F.DAILY}, last_contact=days_ago(0),
)  # fmt: skip
NEIGHBOUR = tie(
    "Joan", R.NEIGHBOUR, 4, 4, pillars={P.PRACTICAL_SUPPORT, P.BELONGING},
    contact={M.IN_PERSON: F.WEEKLY}, last_contact=days_ago(2),
)  # fmt: skip
THERAPIST = tie(
    "Dr Okafor", R.THERAPIST, 5, 5, pillars={P.CO_REGULATION, P.VALIDATION},
    contact={M.IN_PERSON: F.WEEKLY}, last_contact=days_ago(5),
)  # fmt: skip
RYAN = tie(
    "Ryan", R.PARTNER, 4, 1, pillars={P.PRACTICAL_SUPPORT},
    contact={M.IN_PERSON: F.DAILY}, last_contact=days_ago(0),
)  # fmt: skip
MIA = tie(
    "Mia", R.FRIEND, 4, 5, pillars={P.CO_REGULATION, P.VALIDATION, P.BELONGING},
    contact={M.IN_PERSON: F.MONTHLY, M.MESSAGE: F.WEEKLY}, last_contact=days_ago(9),
)  # fmt: skip
COUSIN = tie(
    "Cousin Dan", R.FAMILY, 4, 2, pillars={P.BELONGING},
    contact={M.MESSAGE: F.MONTHLY}, last_contact=days_ago(50),
)  # fmt: skip
NEIGHBOUR_SAFE = tie(
    "Priya", R.NEIGHBOUR, 3, 4, pillars={P.BELONGING},
    contact={M.IN_PERSON: F.WEEKLY}, last_contact=days_ago(20),
)  # fmt: skip
BOOK_CLUB = tie(
    "book club", R.GROUP, 3, 4, pillars={P.BELONGING},
    contact={M.IN_PERSON: F.MONTHLY}, last_contact=days_ago(25),
)  # fmt: skip
SAM_DORMANT = tie(
    "Sam", R.FRIEND, 5, 5, pillars=set(P), contact={M.MESSAGE: F.RARELY},
    last_contact=days_ago(240),
)  # fmt: skip
LEE_DORMANT = tie(
    "Lee", R.FRIEND, 4, 4, pillars={P.BELONGING, P.VALIDATION},
    contact={M.IN_PERSON: F.RARELY}, last_contact=days_ago(200),
)  # fmt: skip
# Changed (plans keep their focus): a plan aims only at the weakest pillars, so a tie is
# named only when it gives one of them. The cousin-or-neighbour and group-member lives now
# share a home with a partner who gives the rest, so that belonging, which the cousin, the
# neighbour and the book club give, is what is thin, and their steps are still planned.
PARTNER = tie(
    "Chris", R.PARTNER, 5, 5, pillars={P.CO_REGULATION, P.VALIDATION, P.PRACTICAL_SUPPORT},
    contact={M.IN_PERSON: F.DAILY}, last_contact=days_ago(0),
)  # fmt: skip
FOLLOWERS = tuple(
    tie(f"follower {i}", R.COMMUNITY, 2, 3, pillars={P.VALIDATION, P.BELONGING},
        contact={M.SOCIAL_MEDIA: F.DAILY}, last_contact=days_ago(1))
    for i in range(12)
)  # fmt: skip

PERSONAS = {
    "relocated-graduate": Persona(
        "relocated-graduate",
        {"ucla-3": UCLA_LONELY},
        rs.SupportNetwork((PARENTS_ABROAD, OLD_FRIEND)),
        frozenset({rs.IsolationDriver.LIFE_TRANSITION, rs.IsolationDriver.REMOTE_AND_DIGITAL}),
    ),
    "widow-daughter-abroad": Persona(
        "widow-daughter-abroad",
        {"ucla-3": UCLA_LONELY, "lsns-6": LSNS_TWO},
        rs.SupportNetwork((ANNE,)),
        frozenset({rs.IsolationDriver.LIFE_TRANSITION}),
    ),
    "busy-parent": Persona(
        "busy-parent",
        {"ucla-3": UCLA_LONELY},
        rs.SupportNetwork((ALEX, KIM)),
        frozenset({rs.IsolationDriver.BUSY_LIFE}),
    ),
    "carer": Persona(
        "carer",
        {"ucla-3": UCLA_LONELY},
        rs.SupportNetwork((HUSBAND, NEIGHBOUR)),
        frozenset({rs.IsolationDriver.LIFE_TRANSITION}),
    ),
    "therapist-only": Persona(
        "therapist-only", {"ucla-3": UCLA_LONELY}, rs.SupportNetwork((THERAPIST,))
    ),
    "nobody-at-all": Persona("nobody-at-all", {"ucla-3": UCLA_WORST}, rs.SupportNetwork(())),
    "ucla-only": Persona("ucla-only", {"ucla-3": UCLA_WORST}),
    "partner-not-safe": Persona(
        "partner-not-safe",
        {"ucla-3": UCLA_LONELY, "connection-signs": signs(hides=3)},
        rs.SupportNetwork((RYAN, MIA)),
    ),
    "cousin-or-neighbour": Persona(
        "cousin-or-neighbour",
        {"ucla-3": UCLA_LONELY},
        rs.SupportNetwork((COUSIN, NEIGHBOUR_SAFE, PARTNER)),
    ),
    "group-member": Persona(
        "group-member", {"ucla-3": UCLA_LONELY}, rs.SupportNetwork((BOOK_CLUB, KIM, PARTNER))
    ),
    "dormant-ties": Persona(
        "dormant-ties",
        {"ucla-3": UCLA_LONELY, "connection-signs": signs(hides=4)},
        rs.SupportNetwork((SAM_DORMANT, LEE_DORMANT)),
        frozenset({rs.IsolationDriver.INDEPENDENCE_NORMS}),
    ),
    "followers": Persona(
        "followers",
        {"djg-6": DJG_EMOTIONAL},
        rs.SupportNetwork(FOLLOWERS),
        frozenset({rs.IsolationDriver.SHALLOW_SOCIAL_MEDIA}),
    ),
    "rarely-hides": Persona(
        "rarely-hides",
        {"ucla-3": UCLA_OK, "connection-signs": {s.value: 1 for s in rs.IsolationSign}},
        rs.SupportNetwork((MIA, KIM)),
        frozenset({rs.IsolationDriver.INDEPENDENCE_NORMS}),
    ),
}


def of(plan: rs.ConnectionPlan, strategy: rs.Strategy) -> list[rs.Step]:
    return [s for s in plan.steps if s.strategy is strategy]


def named(plan: rs.ConnectionPlan, alias: str) -> list[rs.Step]:
    return [s for s in plan.steps if s.connection == alias]


# -- the rules that hold for everyone ------------------------------------------------------


def keeps_the_rules(plan: rs.ConnectionPlan, network: rs.SupportNetwork | None) -> None:
    ties = {c.alias: c for c in (network.connections if network is not None else ())}
    counts: dict[str, int] = {}
    for step in plan.steps:
        template = BY_ID[step.template]
        assert "{alias}" not in step.action
        reason = step.reason.replace(step.connection or "", "")
        assert not any(ch.isdigit() for ch in reason), step.reason
        if SILENCE in step.action:
            assert step.connection is not None
            assert planning._people.dormant(ties[step.connection], plan.made_on)
        if step.connection is None:
            continue
        counts[step.connection] = counts.get(step.connection, 0) + 1
        c = ties[step.connection]
        assert not c.trusted_but_not_felt_safe
        if c.professional:
            assert template.needs is rs.ConnectionNeed.PROFESSIONAL
            assert step.strategy is S.SEEK_SUPPORT
        if c.group:
            assert template.needs is rs.ConnectionNeed.GROUP
        if step.in_person:
            assert c.in_person, step
        if step.strategy is S.BE_VULNERABLE_FIRST:
            assert c.trusted
            assert c.felt_safe
        if c.pillars and not c.professional:
            assert c.pillars & step.pillars
    for alias, count in counts.items():
        assert count <= planning._people.most_named(len(plan.steps)), alias
    if plan.profile.support_advised:
        assert plan.steps[0].strategy is S.SEEK_SUPPORT


@pytest.mark.parametrize("name", sorted(PERSONAS))
def test_every_plan_keeps_the_rules(name: str) -> None:
    persona = PERSONAS[name]
    plan = persona.plan()
    assert plan.steps
    keeps_the_rules(plan, persona.network)


# -- each life -----------------------------------------------------------------------------


def test_relocated_graduate_gets_local_groups_and_calls_not_coffees_with_people_far_away() -> None:
    plan = PERSONAS["relocated-graduate"].plan()
    assert not [s for s in plan.steps if s.in_person and s.connection is not None]
    assert any("group" in s.action for s in plan.steps if s.connection is None)


def test_widow_with_her_daughter_abroad_is_pointed_to_support_and_never_asked_to_meet_her() -> None:
    persona = PERSONAS["widow-daughter-abroad"]
    profile = persona.profile()
    assert profile.support_advised  # LSNS-6 at risk with UCLA-3 lonely, one tie abroad
    plan = persona.plan()
    assert plan.steps[0].strategy is S.SEEK_SUPPORT
    assert not [s for s in named(plan, "Anne") if s.in_person]
    assert all("coffee" not in s.action for s in named(plan, "Anne"))


def test_busy_parent_gets_steps_that_fit_living_together_and_a_crowded_week() -> None:
    plan = PERSONAS["busy-parent"].plan()
    assert all(s.effort is not rs.Effort.LARGE for s in plan.steps)
    for step in named(plan, "Alex"):
        assert "Visit" not in step.action
        assert "invite them round" not in step.action
        assert step.strategy not in (S.REACH_OUT,)
    assert any(BY_ID[s.template].needs is rs.ConnectionNeed.HOUSEHOLD for s in plan.steps)


def test_carer_is_helped_by_the_neighbour_who_helps_not_asked_for_help_by_her_ill_husband() -> None:
    # Changed (plans keep their focus): nobody in the carer's network is there to talk
    # things through with (validation 0 of 100), so her first plan aims at that alone and
    # names nobody; once she has found someone to talk to, the re-assessment moves the
    # plan on to belonging, where the neighbour who helps her is named.
    persona = PERSONAS["carer"]
    first = persona.plan()
    assert first.targets == (P.VALIDATION,)
    lou = tie("Lou", R.FRIEND, 4, 5, pillars={P.VALIDATION}, contact={M.CALL: F.WEEKLY},
              last_contact=TODAY + dt.timedelta(days=38))  # fmt: skip
    network = rs.SupportNetwork((*persona.network.connections, lou))  # type: ignore[union-attr]
    _, plan = continued(persona, lambda s: (O.DONE, 4), network=network)
    assert P.BELONGING in plan.targets
    assert named(plan, "Joan")
    for step in named(first, "Tom") + named(plan, "Tom"):
        assert P.CO_REGULATION in step.pillars
    practical = [s for s in (*first.steps, *plan.steps) if P.PRACTICAL_SUPPORT in s.pillars]
    assert all(s.connection != "Tom" for s in practical)


def test_therapist_only_builds_on_the_sessions_and_never_befriends_the_therapist() -> None:
    plan = PERSONAS["therapist-only"].plan()
    with_therapist = named(plan, "Dr Okafor")
    assert with_therapist
    assert all(s.strategy is S.SEEK_SUPPORT for s in with_therapist)
    assert any("next session with Dr Okafor" in s.action for s in with_therapist)
    first_support = of(plan, S.SEEK_SUPPORT)[0]
    assert first_support.template == "support/note-for-session"  # not "find out what support"


def test_nobody_at_all_gets_support_first_and_steps_that_find_people() -> None:
    for name in ("nobody-at-all", "ucla-only"):
        persona = PERSONAS[name]
        plan = persona.plan()
        assert persona.profile().support_advised  # UCLA-3 at its maximum
        assert plan.steps[0].strategy is S.SEEK_SUPPORT
        assert all(s.connection is None for s in plan.steps)
        for step in plan.steps:
            for presumes in ("someone you feel safe with", "a friend or relative", "lost touch"):
                assert presumes not in step.action, step.action
        text = " ".join(s.action for s in plan.steps).lower()
        assert "befriending" in text
        assert "social prescriber" in text
    (note,) = PERSONAS["ucla-only"].profile().notes
    assert note.kind is rs.NoteKind.MISSING_EVIDENCE


def test_a_partner_trusted_but_not_felt_safe_is_never_named_and_support_is_offered() -> None:
    persona = PERSONAS["partner-not-safe"]
    profile = persona.profile()
    assert [n.kind for n in profile.notes] == [rs.NoteKind.TRUSTED_NOT_FELT_SAFE]
    plan = persona.plan()
    assert not named(plan, "Ryan")
    assert plan.steps[0].strategy is S.SEEK_SUPPORT
    opening = of(plan, S.BE_VULNERABLE_FIRST)
    assert opening
    assert opening[0].connection == "Mia"


def test_reaching_out_prefers_the_neighbour_felt_safe_over_the_cousin_who_is_not() -> None:
    plan = PERSONAS["cousin-or-neighbour"].plan()
    reach = [s for s in of(plan, S.REACH_OUT) if s.connection is not None]
    assert reach
    assert reach[0].connection == "Priya"


def test_a_group_gets_group_shaped_steps() -> None:
    plan = PERSONAS["group-member"].plan()
    club = named(plan, "book club")
    assert club
    for step in club:
        assert BY_ID[step.template].needs is rs.ConnectionNeed.GROUP
        assert "book club is someone" not in step.reason
    assert any("next book club meeting" in s.action or "when book club next meets" in s.action
               for s in club)  # fmt: skip


def test_dormant_ties_are_re_contacted_before_anything_is_disclosed() -> None:
    plan = PERSONAS["dormant-ties"].plan()
    sam = named(plan, "Sam")
    assert sam
    assert sam[0].strategy is S.REACH_OUT
    assert sam[0].rung == 1
    # The first contact after the silence is a short message: either the re-contact message
    # itself, or the social-cognition rung that first predicts how glad Sam will be to hear
    # from them (people underestimate that most when the message is a surprise).
    assert SILENCE in sam[0].action or sam[0].template == "reach-out/predict-and-send"
    assert all(s.strategy is S.REACH_OUT for s in named(plan, "Sam") + named(plan, "Lee"))


def test_twelve_followers_do_not_outweigh_emotional_loneliness() -> None:
    profile = PERSONAS["followers"].profile()
    validation = profile.pillars[P.VALIDATION].strength
    assert validation is not None
    assert validation < 10.0


def test_a_rarely_answer_is_not_quoted_as_tending_to_keep_struggles_in() -> None:
    plan = PERSONAS["rarely-hides"].plan()
    assert all("keep struggles to yourself" not in s.reason for s in plan.steps)


# -- lives over time -----------------------------------------------------------------------


def continued(
    persona: Persona,
    check: Callable[[rs.Step], tuple[rs.Outcome, int | None] | None],
    *,
    answers: dict[str, dict[str, int]] | None = None,
    network: rs.SupportNetwork | None = None,
) -> tuple[rs.ConnectionPlan, rs.ConnectionPlan]:
    first = persona.plan()
    plan = first
    for step in first.steps:
        outcome = check(step)
        if outcome is not None:
            plan = plan.check_in(rs.CheckIn(step.id, step.due, outcome[0], felt=outcome[1]))
    later = attrs.evolve(
        persona, answers=answers or persona.answers, network=network or persona.network
    )
    when = WHEN + dt.timedelta(days=42)
    profile = ENGINE.profile(later.assessment(when))
    nxt = ENGINE.plan(profile, network=later.network, today=when.date(), previous=plan)
    return plan, nxt


def test_a_new_local_friend_found_at_re_assessment_is_used() -> None:
    persona = PERSONAS["relocated-graduate"]
    # Changed (plans keep their focus): Ravi also gives what the graduate still lacks after
    # the first plan (practical help). A new tie met weekly in person lifts belonging out of
    # the next plan's focus, which then, rightly, is about something Ravi does not give.
    local = tie("Ravi", R.FRIEND, 4, 4, pillars={P.BELONGING, P.PRACTICAL_SUPPORT},
                contact={M.MESSAGE: F.WEEKLY},
                last_contact=TODAY + dt.timedelta(days=40))  # fmt: skip
    network = rs.SupportNetwork((*persona.network.connections, local))  # type: ignore[union-attr]
    _, nxt = continued(persona, lambda s: (O.DONE, 4), network=network)
    assert named(nxt, "Ravi")


def test_repeated_skips_lower_the_load_and_offer_a_gentler_way_in() -> None:
    persona = PERSONAS["cousin-or-neighbour"]
    plan, nxt = continued(persona, lambda s: (O.SKIPPED, None))
    assert nxt.weekly_limit == plan.weekly_limit - 1
    for strategy in {s.strategy for s in plan.steps}:
        skipped = of(plan, strategy)[-1]
        following = of(nxt, strategy)
        if not following:
            continue
        first = following[0]
        assert first.effort.level <= skipped.effort.level
        if "smaller" in first.reason:
            assert first.rung < skipped.rung or first.effort.level < skipped.effort.level


def test_a_step_done_but_felt_hard_is_not_followed_by_a_bigger_one() -> None:
    persona = PERSONAS["busy-parent"]
    plan, nxt = continued(persona, lambda s: (O.DONE, 1))
    for strategy in {s.strategy for s in plan.steps}:
        last = of(plan, strategy)[-1]
        following = of(nxt, strategy)
        if following:
            assert following[0].effort.level <= last.effort.level


def test_a_worse_re_assessment_gives_a_shorter_gentler_plan_with_support_first() -> None:
    persona = PERSONAS["busy-parent"]
    plan, nxt = continued(
        persona, lambda s: (O.DONE, 3), answers={"ucla-3": UCLA_WORST, "djg-6": DJG_EMOTIONAL}
    )
    assert len(nxt.steps) < len(plan.steps)
    assert nxt.weekly_limit <= 2
    assert nxt.steps[0].strategy is S.SEEK_SUPPORT
    assert all(s.effort.level <= rs.Effort.SMALL.level for s in nxt.steps)
    change = planning.compare(plan.profile, nxt.profile, plan=plan)
    assert change.summary.startswith("Since the last check you did")
    assert "a GP, a counsellor or a support line could help" in change.summary
    assert "point to" not in change.summary


def test_the_same_answers_six_weeks_later_are_told_as_time_passing() -> None:
    persona = Persona(
        "same-again",
        {"ucla-3": UCLA_LONELY},
        rs.SupportNetwork((attrs.evolve(KIM, last_contact=days_ago(80)),)),
    )
    before = ENGINE.profile(persona.assessment())
    after = ENGINE.profile(persona.assessment(WHEN + dt.timedelta(days=42)))
    change = planning.compare(
        before, after, before_network=persona.network, after_network=persona.network
    )
    assert "Weaker" not in change.summary
    assert "over three months since you were in touch with Kim" in change.summary
    for score in change.pillars.values():
        if score.direction == "down":
            assert "only from time passing" in score.explanation


def test_half_a_point_is_steady_and_checklist_shifts_are_reflections() -> None:
    a = rs.ResilienceProfile(
        "p", WHEN, {P.BELONGING: rs.PillarScore(P.BELONGING, 40.0, 1.0)},
        {rs.Capacity.HOPE: rs.CapacityScore(rs.Capacity.HOPE, 20.0, 0.75)},
    )  # fmt: skip
    b = rs.ResilienceProfile(
        "p", WHEN + dt.timedelta(days=28), {P.BELONGING: rs.PillarScore(P.BELONGING, 40.5, 1.0)},
        {rs.Capacity.HOPE: rs.CapacityScore(rs.Capacity.HOPE, 58.0, 0.75)},
    )  # fmt: skip
    change = planning.compare(a, b)
    assert change.pillars[P.BELONGING].direction == "same"
    assert "reflection" in change.capacities[rs.Capacity.HOPE].explanation
