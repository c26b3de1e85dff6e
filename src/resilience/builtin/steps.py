"""Built-in plan step templates (filled in by the planning work)."""

from __future__ import annotations

from collections.abc import Callable

from resilience.hookspecs import hookimpl
from resilience.model.plans import StepTemplate

__all__: list[str] = []


@hookimpl(trylast=True)
def resilience_register_plan_steps(register: Callable[[StepTemplate], None]) -> None:
    """Register the built-in step templates."""
