"""Built-in instrument definitions, one module per instrument.

Each module exposes its instrument as a constant and, where the scoring carries a
documented convention (a cut-off that is a research habit rather than a published norm),
a ``make_*`` function whose keyword arguments override it.

Example:
    >>> from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
    >>> sorted(i.id for i in BUILTIN_INSTRUMENTS)
    ['brs', 'connection-signs', 'djg-6', 'lsns-6', 'mspss', 'resilience-capacities', 'ucla-3']
"""

from __future__ import annotations

from collections.abc import Callable

from resilience.builtin.instruments.brs import BRS
from resilience.builtin.instruments.capacities import (
    RESILIENCE_CAPACITIES,
    RESILIENCE_CAPACITIES_WORDING_EN,
)
from resilience.builtin.instruments.djg6 import DJG_6
from resilience.builtin.instruments.lsns6 import LSNS_6
from resilience.builtin.instruments.mspss import MSPSS
from resilience.builtin.instruments.signs import CONNECTION_SIGNS, CONNECTION_SIGNS_WORDING_EN
from resilience.builtin.instruments.ucla3 import UCLA_3
from resilience.hookspecs import hookimpl
from resilience.model.instruments import Instrument, Wording

__all__ = ["BUILTIN_INSTRUMENTS", "BUILTIN_WORDING"]

#: Every built-in instrument, in the order the docs list them.
BUILTIN_INSTRUMENTS: tuple[Instrument, ...] = (
    CONNECTION_SIGNS,
    RESILIENCE_CAPACITIES,
    UCLA_3,
    BRS,
    LSNS_6,
    DJG_6,
    MSPSS,
)

#: Wording the project wrote itself (validated scales ship none: it is copyrighted).
BUILTIN_WORDING: tuple[Wording, ...] = (
    CONNECTION_SIGNS_WORDING_EN,
    RESILIENCE_CAPACITIES_WORDING_EN,
)


@hookimpl(trylast=True)
def resilience_register_instruments(register: Callable[[Instrument], None]) -> None:
    """Register the built-in instruments."""
    for instrument in BUILTIN_INSTRUMENTS:
        register(instrument)


@hookimpl(trylast=True)
def resilience_register_wording(register: Callable[[Wording], None]) -> None:
    """Register the project's own English wording for its checklists."""
    for wording in BUILTIN_WORDING:
        register(wording)
