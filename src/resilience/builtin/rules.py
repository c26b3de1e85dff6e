"""Built-in scoring rules (filled in by the profiles work)."""

from __future__ import annotations

from collections.abc import Callable

from resilience.hookspecs import hookimpl
from resilience.model.profile import ScoringRule

__all__: list[str] = []


@hookimpl(trylast=True)
def resilience_register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Register the built-in scoring rules."""
