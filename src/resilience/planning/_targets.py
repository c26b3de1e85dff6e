"""Which pillars a plan aims at, and when it must start with seeking support."""

from __future__ import annotations

from resilience.model.network import SupportNetwork
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationSign, Pillar

__all__ = ["ROOM_TO_GROW", "sign_levels", "support_required", "targets_for", "trusted_ties"]

#: A pillar with a known strength below this (0–100) is a target of the plan.
ROOM_TO_GROW = 70.0

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
    """The pillars a plan for ``profile`` aims at, weakest first.

    Known pillars below :data:`ROOM_TO_GROW` come first, weakest first; then pillars with no
    evidence (strength ``None``) that a reported sign points at, the most signalled first.
    If that leaves nothing, the single weakest known pillar (there is always room to grow).
    If no pillar is known at all, all four: the signalled ones first, then taxonomy order.

    Example:
        >>> import datetime as dt
        >>> from resilience import PillarScore
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        ...     {Pillar.BELONGING: PillarScore(Pillar.BELONGING, 80.0, 1.0),
        ...      Pillar.VALIDATION: PillarScore(Pillar.VALIDATION, 40.0, 1.0)}, {})
        >>> targets_for(p)
        (<Pillar.VALIDATION: 'validation'>,)
    """
    known = profile.weakest_pillars()
    strengths = {p: profile.pillars[p].strength for p in known}
    pressure: dict[Pillar, float] = dict.fromkeys(Pillar, 0.0)
    for sign, level in sign_levels(profile).items():
        for pillar in sign.pillars:
            pressure[pillar] += level
    unknown = [p for p in Pillar if p not in strengths]
    unknown.sort(key=lambda p: (-pressure[p], _ORDER_PILLAR[p]))
    if not known:
        return tuple(unknown)
    below = [p for p in known if (strengths[p] or 0.0) < ROOM_TO_GROW]
    signalled = [p for p in unknown if pressure[p] > 0.0]
    targets = below + signalled
    return tuple(targets) if targets else (known[0],)


def support_required(profile: ResilienceProfile, network: SupportNetwork | None = None) -> bool:
    """Whether a plan must start with seeking professional or community support.

    True when the profile carries :attr:`~resilience.Flag.SUPPORT_ADVISED`, or when the
    network has no trusted tie: the network given wins, else the profile's summary of it.

    Example:
        >>> import datetime as dt
        >>> p = ResilienceProfile("p", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, {})
        >>> (support_required(p), support_required(p, SupportNetwork(())))
        (False, True)
    """
    return profile.support_advised or trusted_ties(profile, network) == 0


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
