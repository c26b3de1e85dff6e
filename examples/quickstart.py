"""Quickstart: the article's model, then one person's full cycle.

assess -> profile -> plan -> check in -> progress -> re-assess -> continue the plan

Run it with ``python examples/quickstart.py``. Records go to the store named by
``RESILIENCE_STORE`` if it is set, otherwise to an in-memory store that leaves nothing
behind.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap

import resilience as rs
from resilience import text
from resilience.model.network import ContactMode, Frequency, Relation

UTC = dt.timezone.utc


def show_taxonomy() -> None:
    print("The four pillars of connection, what signals a gap, and what rebuilds it\n")
    for pillar in rs.Pillar:
        print(pillar.label)
        for line in (
            pillar.description,
            "Signs it may be unmet: " + "; ".join(sorted(s.label for s in pillar.signs)) + ".",
            "Rebuilt by: " + "; ".join(sorted(s.label for s in pillar.strategies)) + ".",
        ):
            print(textwrap.fill(line, 88, initial_indent="  ", subsequent_indent="    "))
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


def main() -> None:
    show_taxonomy()
    with rs.Engine(store=os.environ.get("RESILIENCE_STORE", "memory://")) as engine:
        assessment = first_assessment()
        profile = engine.profile(assessment)
        print(text.render_profile(profile, instruments=engine.instruments), end="\n\n")

        # The profile above already said where help is found: the plan need not repeat it.
        plan = engine.plan(profile, network=assessment.network, today=dt.date(2026, 11, 3))
        print(text.render_plan(plan, today=dt.date(2026, 11, 3), support=False), end="\n\n")

        # A week later: the first step went well, the second was skipped.
        plan = plan.check_in(
            rs.CheckIn(plan.steps[0].id, dt.date(2026, 11, 5), rs.Outcome.DONE, felt=4)
        )
        plan = plan.check_in(rs.CheckIn(plan.steps[1].id, dt.date(2026, 11, 8), rs.Outcome.SKIPPED))
        print(text.render_progress(plan), end="\n\n")

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
        # With the networks, a change that comes only from time passing is told as such.
        change = engine.compare(
            profile,
            new_profile,
            plan=plan,
            before_network=assessment.network,
            after_network=later.network,
        )
        print(
            text.render_change(
                change,
                instruments=engine.instruments,
                before_network=assessment.network,
                after_network=later.network,
            ),
            end="\n\n",
        )
        next_plan = engine.plan(
            new_profile, network=later.network, today=dt.date(2026, 12, 2), previous=plan
        )
        # Where help is found was said with the first plan; this screen does not repeat it.
        print(text.render_plan(next_plan, today=dt.date(2026, 12, 2), support=False), end="\n\n")
        print(textwrap.fill(f"To reflect on at the end of the weeks: {next_plan.reflection}", 88))
        stored = engine.store.history(assessment.person_id)
        print(f"\n{len(stored)} records stored for {assessment.person_id}.")


if __name__ == "__main__":
    main()
