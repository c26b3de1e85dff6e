"""Response scales shared by more than one built-in instrument."""

from __future__ import annotations

from resilience.model.instruments import ResponseOption, ResponseScale

#: Five-step agreement, 1 = strongly disagree … 5 = strongly agree (BRS and the
#: project's capacities checklist).
AGREE_5 = ResponseScale(
    "agree-5",
    (
        ResponseOption(1, "strongly-disagree"),
        ResponseOption(2, "disagree"),
        ResponseOption(3, "neutral"),
        ResponseOption(4, "agree"),
        ResponseOption(5, "strongly-agree"),
    ),
)
