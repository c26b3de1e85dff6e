"""Quickstart: the article's model, then one person's full cycle.

assess -> profile -> plan -> check in -> progress -> re-assess -> continue the plan

Run it with ``python examples/quickstart.py``. Records go to the store named by
``RESILIENCE_STORE`` if it is set, otherwise to an in-memory store that leaves nothing
behind.
"""

from __future__ import annotations

import datetime as dt
import os

import resilience as rs
from resilience.model.network import ContactMode, Frequency, Relation
from resilience.planning import compare, progress

UTC = dt.timezone.utc


def show_taxonomy() -> None:
    print("The four pillars of connection, what signals a gap, and what rebuilds it\n")
    for pillar in rs.Pillar:
        print(pillar.label)
        print(f"  {pillar.description}")
        print("  Signs it may be unmet: " + "; ".join(sorted(s.label for s in pillar.signs)))
        print("  Rebuilt by: " + "; ".join(sorted(s.label for s in pillar.strategies)))
        print()


def network() -> rs.SupportNetwork:
    """Two close ties seen rarely, and a crowd of online acquaintances."""
    return rs.SupportNetwork(
        (
            rs.Connection(
                "Sam",
                Relation.FRIEND,
                trust=5,
                safety=5,
                pillars={rs.Pillar.CO_REGULATION, rs.Pillar.VALIDATION},
                contact={ContactMode.MESSAGE: Frequency.MONTHLY},
                last_contact=dt.date(2026, 8, 30),
            ),
            rs.Connection(
                "my sister",
                Relation.FAMILY,
                trust=4,
                safety=4,
                pillars={rs.Pillar.PRACTICAL_SUPPORT},
                contact={ContactMode.CALL: Frequency.MONTHLY},
            ),
            rs.Connection(
                "forum friends",
                Relation.COMMUNITY,
                trust=2,
                safety=3,
                pillars={rs.Pillar.BELONGING},
                contact={ContactMode.SOCIAL_MEDIA: Frequency.DAILY},
            ),
        )
    )


def first_assessment() -> rs.Assessment:
    return rs.Assessment(
        person_id="p-quickstart",
        taken_at=dt.datetime(2026, 11, 2, 18, 30, tzinfo=UTC),
        answers={
            "ucla-3": {"ucla-1": 2, "ucla-2": 3, "ucla-3": 2},
            "brs": {"brs-1": 3, "brs-2": 4, "brs-3": 3, "brs-4": 3, "brs-5": 2, "brs-6": 4},
            "connection-signs": {
                "exhausted-by-small-stress": 3,
                "hard-to-bounce-back": 2,
                "not-understood": 2,
                "lost-purpose": 3,
                "hides-struggles": 4,
                "alone-or-lonely": 3,
                "relies-only-on-self": 2,
            },
        },
        network=network(),
        drivers={rs.IsolationDriver.REMOTE_AND_DIGITAL, rs.IsolationDriver.INDEPENDENCE_NORMS},
    )


def show_profile(profile: rs.ResilienceProfile) -> None:
    print("Profile (0-100, higher is stronger; '-' means no evidence)")
    for pillar, score in profile.pillars.items():
        value = "-" if score.strength is None else f"{score.strength:5.1f}"
        print(f"  {pillar.label:<40} {value}")
    weakest = profile.weakest_pillars()[0]
    print(f"\nWhy is '{weakest.label}' where it is?")
    for contribution, share in profile.shares(weakest):
        print(f"  {share:4.0%}  {contribution.rule}: {contribution.reason}")
    for reason in profile.flag_reasons:
        print(f"\nNote: {reason}")
    print()


def show_plan(plan: rs.ConnectionPlan) -> None:
    print("Plan, aimed at: " + ", ".join(p.label for p in plan.targets))
    for step in plan.steps:
        print(f"  {step.due}  [{step.effort.value:>6}] {step.action}")
    print()


def main() -> None:
    show_taxonomy()
    with rs.Engine(store=os.environ.get("RESILIENCE_STORE", "memory://")) as engine:
        assessment = first_assessment()
        profile = engine.profile(assessment)
        show_profile(profile)

        plan = engine.plan(profile, network=assessment.network, today=dt.date(2026, 11, 3))
        show_plan(plan)

        # A week later: the first step went well, the second was skipped.
        plan = plan.check_in(
            rs.CheckIn(plan.steps[0].id, dt.date(2026, 11, 5), rs.Outcome.DONE, felt=4)
        )
        plan = plan.check_in(rs.CheckIn(plan.steps[1].id, dt.date(2026, 11, 8), rs.Outcome.SKIPPED))
        done = progress(plan).overall
        print(f"Progress: {done.done} done, {done.partly} partly, {done.skipped} skipped\n")

        for record in (assessment, profile, plan):
            engine.store.append(record)

        # Four weeks on, the person answers again; the plan continues, not restarts.
        later = rs.Assessment(
            person_id=assessment.person_id,
            taken_at=dt.datetime(2026, 12, 1, 18, 0, tzinfo=UTC),
            answers={**assessment.answers, "ucla-3": {"ucla-1": 2, "ucla-2": 2, "ucla-3": 1}},
            network=assessment.network,
            drivers=assessment.drivers,
        )
        new_profile = engine.profile(later)
        change = compare(profile, new_profile)
        print(f"Re-assessment: {change.summary}")
        for pillar_change in change.pillars.values():
            print(f"  {pillar_change.explanation}")
        next_plan = engine.plan(
            new_profile, network=later.network, today=dt.date(2026, 12, 2), previous=plan
        )
        print("\nNext steps:")
        for step in next_plan.steps[:3]:
            print(f"  [{step.effort.value:>6}] {step.action}")
        print(f"\nTo reflect on: {next_plan.reflection}")
        stored = engine.store.history(assessment.person_id)
        print(f"\n{len(stored)} records stored for {assessment.person_id}.")


if __name__ == "__main__":
    main()
