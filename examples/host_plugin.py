"""A host app's own plugin: licensed wording, a moved cut-off and its support services.

Run it with ``python examples/host_plugin.py``. A host app that holds a licence for a
validated scale's wording registers it; one that follows another cut-off replaces the
instrument on purpose; and every app registers the support services its people can reach.
The plugin here is a plain class passed to the engine; packaged plugins declare the same
hooks through an entry point (see ``examples/plugins/``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import resilience as rs
from resilience import text
from resilience.builtin.instruments.ucla3 import make_ucla3

UTC = dt.timezone.utc


class HostPlugin:
    @rs.hookimpl
    def resilience_register_wording(self, register: Any) -> None:
        # Placeholder texts: a real host pastes the licensed wording it holds here.
        register(
            rs.Wording(
                instrument_id="ucla-3",
                locale="en",
                items={
                    "ucla-1": "[licensed text of item 1]",
                    "ucla-2": "[licensed text of item 2]",
                    "ucla-3": "[licensed text of item 3]",
                },
                source="Licensed to the host app (placeholder in this example).",
            )
        )

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        # This host reads "lonely" from 7 instead of the usual 6; the key hash changes,
        # so scores made with either definition can always be told apart.
        register(make_ucla3(lonely_from=7), replace=True)

    @rs.hookimpl
    def resilience_support_resources(
        self, profile: rs.ResilienceProfile, locale: str
    ) -> list[rs.SupportResource]:
        return [
            rs.SupportResource(
                "Neighbourhood listening line",
                "Talk with a trained volunteer, evenings and weekends.",
                "0800 000 000 (example number)",
                kind="helpline",
            ),
            rs.SupportResource(
                "Tuesday walking group",
                "A gentle group walk from the community centre, newcomers welcome.",
                "community centre front desk",
                kind="community",
            ),
        ]


def main() -> None:
    engine = rs.Engine(plugins=[HostPlugin()], load_installed=False)
    wording = engine.wording("ucla-3")
    print(f"UCLA-3 wording ({wording.locale}): {wording.source}")

    answers = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
    score = engine.score("ucla-3", answers)
    band = {b.id: b.label for b in engine.instruments["ucla-3"].bands}[score.band or ""]
    print(f"UCLA-3 total {score.total:g}: {band!r} under the host's own cut-off")

    assessment = rs.Assessment(
        "p-host-demo",
        dt.datetime(2026, 11, 24, 19, 0, tzinfo=UTC),
        {
            "djg-6": {"djg-1": 3, "djg-2": 1, "djg-3": 1, "djg-4": 3, "djg-5": 2, "djg-6": 3},
            "ucla-3": answers,
        },
        network=rs.SupportNetwork(()),
    )
    profile = engine.profile(assessment)
    # The profile in plain words: support is advised, said once, with the reasons.
    print()
    resources = engine.support_resources(profile)
    print(text.render_profile(profile, instruments=engine.instruments, resources=resources))
    plan = engine.plan(profile, today=dt.date(2026, 11, 25))
    # The plan's first week; the host's resources are listed once, where help is found.
    print()
    print(text.render_plan(plan, today=dt.date(2026, 11, 25), instruments=engine.instruments))


if __name__ == "__main__":
    main()
