"""``resilience``: how connected and resilient a person is, and small steps to rebuild connection.

The library models an article on psychological resilience and human connection: five
resilience capacities, four pillars through which connection builds strength, seven signs
that disconnection may be wearing resilience down, five drivers of isolation and five
strategies to rebuild connection. Questionnaires are data scored by one scorer; profiles
explain every number; plans start small and aim at the weakest pillars.

It describes needs and strengths; it never diagnoses. The project's own checklists are
reflection aids, not clinical screening tools.

Example:
    >>> import resilience as rs
    >>> engine = rs.Engine(load_installed=False)
    >>> engine.score("brs", {"brs-1": 4, "brs-2": 2, "brs-3": 4,
    ...                      "brs-4": 2, "brs-5": 4, "brs-6": 2}).total
    4.0
"""

from __future__ import annotations

import importlib

from resilience._version import __version__

# Not ``typing.TYPE_CHECKING``: importing ``typing`` alone would double the start-up time.
# Type checkers treat this name as true, so they see the real imports below.
TYPE_CHECKING = False
if TYPE_CHECKING:  # the real imports, for type checkers and IDEs; at run time names load lazily
    from typing import Any

    from resilience._plugins import PluginInfo, PluginProblem, PluginWarning
    from resilience.engine import Engine
    from resilience.errors import (
        AnswerProblem,
        DuplicateRegistrationError,
        InstrumentDefinitionError,
        InvalidAnswersError,
        InvalidRecordError,
        InvalidValueError,
        KeyMismatchError,
        MissingPersonError,
        PlanningError,
        PluginError,
        ResilienceError,
        SchemaVersionError,
        ScoringRuleError,
        StepEvidenceError,
        StorageError,
        StoreURLError,
        UnknownBackendError,
        UnknownInstrumentError,
        UnknownStepError,
        UnknownTechniqueError,
        UnwritableRecordError,
        WordingNotFoundError,
    )
    from resilience.hookspecs import hookimpl
    from resilience.model.assessment import Assessment, InstrumentScore
    from resilience.model.evidence import Approach, Reference, Technique
    from resilience.model.instruments import (
        Band,
        Citation,
        Instrument,
        Item,
        MissingPolicy,
        ResponseOption,
        ResponseScale,
        ScoringMethod,
        Subscale,
        SupportDeclaration,
        Wording,
    )
    from resilience.model.network import (
        Connection,
        ContactMode,
        Frequency,
        Relation,
        SupportNetwork,
    )
    from resilience.model.plans import (
        CheckIn,
        ConnectionNeed,
        ConnectionPlan,
        Effort,
        Outcome,
        Step,
        StepTemplate,
        SupportResource,
    )
    from resilience.model.profile import (
        CapacityScore,
        Contribution,
        Flag,
        NetworkSummary,
        NoteKind,
        PillarScore,
        ProfileNote,
        ResilienceProfile,
        ScoringRule,
        SignReading,
    )
    from resilience.model.taxonomy import Capacity, IsolationDriver, IsolationSign, Pillar, Strategy
    from resilience.planning import Expectations, ProfileChange, Progress, ScoreChange, Tally
    from resilience.serialization import from_json, to_json
    from resilience.storage import Erasure, Store, StoredRecord, open_store

# Each public name and the module that defines it. ``import resilience`` loads none of them:
# a name's module is imported the first time the name is used (PEP 562), so start-up costs
# no more than the dependencies', and a host that only needs the taxonomy never loads storage.
_LAZY: dict[str, str] = {
    "AnswerProblem": "resilience.errors",
    "Approach": "resilience.model.evidence",
    "Assessment": "resilience.model.assessment",
    "Band": "resilience.model.instruments",
    "Capacity": "resilience.model.taxonomy",
    "CapacityScore": "resilience.model.profile",
    "CheckIn": "resilience.model.plans",
    "Citation": "resilience.model.instruments",
    "Connection": "resilience.model.network",
    "ConnectionNeed": "resilience.model.plans",
    "ConnectionPlan": "resilience.model.plans",
    "ContactMode": "resilience.model.network",
    "Contribution": "resilience.model.profile",
    "DuplicateRegistrationError": "resilience.errors",
    "Effort": "resilience.model.plans",
    "Engine": "resilience.engine",
    "Erasure": "resilience.storage",
    "Expectations": "resilience.planning",
    "Flag": "resilience.model.profile",
    "Frequency": "resilience.model.network",
    "Instrument": "resilience.model.instruments",
    "InstrumentDefinitionError": "resilience.errors",
    "InstrumentScore": "resilience.model.assessment",
    "InvalidAnswersError": "resilience.errors",
    "InvalidRecordError": "resilience.errors",
    "InvalidValueError": "resilience.errors",
    "IsolationDriver": "resilience.model.taxonomy",
    "IsolationSign": "resilience.model.taxonomy",
    "Item": "resilience.model.instruments",
    "KeyMismatchError": "resilience.errors",
    "MissingPersonError": "resilience.errors",
    "MissingPolicy": "resilience.model.instruments",
    "NetworkSummary": "resilience.model.profile",
    "NoteKind": "resilience.model.profile",
    "Outcome": "resilience.model.plans",
    "Pillar": "resilience.model.taxonomy",
    "PillarScore": "resilience.model.profile",
    "PlanningError": "resilience.errors",
    "PluginError": "resilience.errors",
    "PluginInfo": "resilience._plugins",
    "PluginProblem": "resilience._plugins",
    "PluginWarning": "resilience._plugins",
    "ProfileChange": "resilience.planning",
    "ProfileNote": "resilience.model.profile",
    "Progress": "resilience.planning",
    "Reference": "resilience.model.evidence",
    "Relation": "resilience.model.network",
    "ResilienceError": "resilience.errors",
    "ResilienceProfile": "resilience.model.profile",
    "ResponseOption": "resilience.model.instruments",
    "ResponseScale": "resilience.model.instruments",
    "SchemaVersionError": "resilience.errors",
    "ScoreChange": "resilience.planning",
    "ScoringMethod": "resilience.model.instruments",
    "ScoringRule": "resilience.model.profile",
    "ScoringRuleError": "resilience.errors",
    "SignReading": "resilience.model.profile",
    "Step": "resilience.model.plans",
    "StepEvidenceError": "resilience.errors",
    "StepTemplate": "resilience.model.plans",
    "StorageError": "resilience.errors",
    "Store": "resilience.storage",
    "StoreURLError": "resilience.errors",
    "StoredRecord": "resilience.storage",
    "Strategy": "resilience.model.taxonomy",
    "Subscale": "resilience.model.instruments",
    "SupportDeclaration": "resilience.model.instruments",
    "SupportNetwork": "resilience.model.network",
    "SupportResource": "resilience.model.plans",
    "Tally": "resilience.planning",
    "Technique": "resilience.model.evidence",
    "UnknownBackendError": "resilience.errors",
    "UnknownInstrumentError": "resilience.errors",
    "UnknownStepError": "resilience.errors",
    "UnknownTechniqueError": "resilience.errors",
    "UnwritableRecordError": "resilience.errors",
    "Wording": "resilience.model.instruments",
    "WordingNotFoundError": "resilience.errors",
    "from_json": "resilience.serialization",
    "hookimpl": "resilience.hookspecs",
    "open_store": "resilience.storage",
    "to_json": "resilience.serialization",
}

__all__ = [
    "AnswerProblem",
    "Approach",
    "Assessment",
    "Band",
    "Capacity",
    "CapacityScore",
    "CheckIn",
    "Citation",
    "Connection",
    "ConnectionNeed",
    "ConnectionPlan",
    "ContactMode",
    "Contribution",
    "DuplicateRegistrationError",
    "Effort",
    "Engine",
    "Erasure",
    "Expectations",
    "Flag",
    "Frequency",
    "Instrument",
    "InstrumentDefinitionError",
    "InstrumentScore",
    "InvalidAnswersError",
    "InvalidRecordError",
    "InvalidValueError",
    "IsolationDriver",
    "IsolationSign",
    "Item",
    "KeyMismatchError",
    "MissingPersonError",
    "MissingPolicy",
    "NetworkSummary",
    "NoteKind",
    "Outcome",
    "Pillar",
    "PillarScore",
    "PlanningError",
    "PluginError",
    "PluginInfo",
    "PluginProblem",
    "PluginWarning",
    "ProfileChange",
    "ProfileNote",
    "Progress",
    "Reference",
    "Relation",
    "ResilienceError",
    "ResilienceProfile",
    "ResponseOption",
    "ResponseScale",
    "SchemaVersionError",
    "ScoreChange",
    "ScoringMethod",
    "ScoringRule",
    "ScoringRuleError",
    "SignReading",
    "Step",
    "StepEvidenceError",
    "StepTemplate",
    "StorageError",
    "Store",
    "StoreURLError",
    "StoredRecord",
    "Strategy",
    "Subscale",
    "SupportDeclaration",
    "SupportNetwork",
    "SupportResource",
    "Tally",
    "Technique",
    "UnknownBackendError",
    "UnknownInstrumentError",
    "UnknownStepError",
    "UnknownTechniqueError",
    "UnwritableRecordError",
    "Wording",
    "WordingNotFoundError",
    "__version__",
    "from_json",
    "hookimpl",
    "open_store",
    "to_json",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and cache the name here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'resilience' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    """The public names, as ``dir(resilience)`` and tab completion should show them."""
    return sorted(__all__)
