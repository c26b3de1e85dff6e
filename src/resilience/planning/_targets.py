"""Which pillars a plan aims at, and when it must start with seeking support."""

from __future__ import annotations

from resilience.model.network import SupportNetwork
from resilience.model.profile import NoteKind, ResilienceProfile
from resilience.model.taxonomy import IsolationSign, Pillar, Strategy
from resilience.planning._reassessment import STEADY_WITHIN

__all__ = [
    "FEWEST_LADDERS",
    "FOCUS_MARGIN",
    "FOCUS_MOST",
    "ROOM_TO_GROW",
    "sign_levels",
    "support_required",
    "targets_for",
    "trusted_ties",
]

#: A pillar with a known strength below this (0–100) has room to grow: only such pillars
#: join the weakest as targets (the weakest itself is a target whatever its strength).
ROOM_TO_GROW = 70.0

#: How far (0–100) above the weakest pillar another may be and still share the plan's
#: focus: twice :data:`~resilience.planning.STEADY_WITHIN`, because each of two strengths
#: can sit that far from where another day's answers would put it.
FOCUS_MARGIN = 2 * STEADY_WITHIN

#: The most pillars one plan aims at: a plan that aims at everything aims at nothing.
FOCUS_MOST = 2

#: The fewest ladders (strategies other than seeking support) a plan's targets should
#: open: with one ladder only, a rung that fits nobody leaves the plan with nothing else.
FEWEST_LADDERS = 2

_ORDER_PILLAR = {pillar: i for i, pillar in enumerate(Pillar)}


def sign_levels(profile: ResilienceProfile) -> dict[IsolationSign, float]:
    """The strongest level of every sign the profile reports as present.

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> sign_levels(p)
        {}
    """
    levels: dict[IsolationSign, float] = {}
    for reading in profile.signs:
        if reading.present:
            levels[reading.sign] = max(levels.get(reading.sign, 0.0), reading.level)
    return levels


def targets_for(profile: ResilienceProfile) -> tuple[Pillar, ...]:
    """The pillars a plan for ``profile`` aims at, weakest first: a plan keeps its focus.

    * **Something is measured:** the weakest known pillar, and at most one more: the next
      weakest, when it is also below :data:`ROOM_TO_GROW` and less than
      :data:`FOCUS_MARGIN` points above the weakest. Two strengths that close could swap
      places on another day's answers (each can move by up to
      :data:`~resilience.planning.STEADY_WITHIN` points), so both are "the weakest"; a
      pillar further up waits until a re-assessment shows it is among the weakest. The
      one exception: when fewer than :data:`FEWEST_LADDERS` strategies besides seeking
      support rebuild the weakest pillar (practical support is rebuilt by reaching out
      alone), the next weakest below :data:`ROOM_TO_GROW` joins it whatever the gap, so
      the plan has more than one ladder to climb. When
      even the weakest is at or above :data:`ROOM_TO_GROW`, it alone is the target (there
      is always room to grow). Unmeasured pillars are not targets: unknown is not weak.
    * **Nothing is measured:** the :data:`FOCUS_MOST` pillars that reported signs point at
      most strongly; with no sign either, all four (nothing says which is weakest, so the
      plan does not pretend to know).

    The focus never drops a support step: seeking support rebuilds every pillar.

    Example:
        >>> import datetime as dt
        >>> from resilience import PillarScore
        >>> B, V, C = Pillar.BELONGING, Pillar.VALIDATION, Pillar.CO_REGULATION
        >>> def at(strengths):
        ...     return ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        ...         {p: PillarScore(p, v, 1.0) for p, v in strengths.items()}, {})
        >>> targets_for(at({B: 80.0, V: 40.0}))
        (<Pillar.VALIDATION: 'validation'>,)
        >>> targets_for(at({B: 19.0, V: 24.0, C: 25.0}))  # at most two, both within the margin
        (<Pillar.BELONGING: 'belonging'>, <Pillar.VALIDATION: 'validation'>)
        >>> targets_for(at({B: 19.0, V: 29.0}))  # ten points or more above: not yet
        (<Pillar.BELONGING: 'belonging'>,)
        >>> targets_for(at({Pillar.PRACTICAL_SUPPORT: 0.0, B: 35.0}))  # one ladder: one more
        (<Pillar.PRACTICAL_SUPPORT: 'practical-support'>, <Pillar.BELONGING: 'belonging'>)
    """
    known = profile.weakest_pillars()
    if known:
        strengths = {p: profile.pillars[p].strength or 0.0 for p in known}
        weakest = strengths[known[0]]
        if weakest >= ROOM_TO_GROW:
            return (known[0],)
        narrow = len(known[0].strategies - {Strategy.SEEK_SUPPORT}) < FEWEST_LADDERS
        close = [
            p
            for p in known[1:]
            if strengths[p] < ROOM_TO_GROW and (narrow or strengths[p] - weakest < FOCUS_MARGIN)
        ]
        return (known[0], *close[: FOCUS_MOST - 1])
    pressure: dict[Pillar, float] = dict.fromkeys(Pillar, 0.0)
    for sign, level in sign_levels(profile).items():
        for pillar in sign.pillars:
            pressure[pillar] += level
    signalled = sorted(
        (p for p in Pillar if pressure[p] > 0.0), key=lambda p: (-pressure[p], _ORDER_PILLAR[p])
    )
    return tuple(signalled[:FOCUS_MOST]) if signalled else tuple(Pillar)


def support_required(profile: ResilienceProfile, network: SupportNetwork | None = None) -> bool:
    """Whether a plan must start with seeking professional or community support.

    True when the profile carries :attr:`~resilience.Flag.SUPPORT_ADVISED`, when the
    network has no trusted tie (the network given wins, else the profile's summary of it),
    or when someone in it is trusted but not felt safe with (then a support step is offered
    instead of any step with that person).

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> (support_required(p), support_required(p, SupportNetwork(())))
        (False, True)
    """
    if profile.support_advised or trusted_ties(profile, network) == 0:
        return True
    if network is not None:
        return any(c.trusted_but_not_felt_safe for c in network.connections)
    return any(note.kind is NoteKind.TRUSTED_NOT_FELT_SAFE for note in profile.notes)


def trusted_ties(profile: ResilienceProfile, network: SupportNetwork | None) -> int | None:
    """Trusted ties: in the network given, else in the profile's summary (``None``: unknown).

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> (trusted_ties(p, None), trusted_ties(p, SupportNetwork(())))
        (None, 0)
    """
    if network is not None:
        return len(network.trusted())
    return profile.network.trusted_ties if profile.network is not None else None
