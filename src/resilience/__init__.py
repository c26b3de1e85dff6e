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

from importlib.metadata import PackageNotFoundError, version

from resilience.engine import Engine
from resilience.errors import (
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
    StorageError,
    StoreURLError,
    UnknownInstrumentError,
    UnknownStepError,
    WordingNotFoundError,
)
from resilience.hookspecs import hookimpl
from resilience.model.assessment import Assessment, InstrumentScore
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
    Wording,
)
from resilience.model.network import Connection, ContactMode, Frequency, Relation, SupportNetwork
from resilience.model.plans import (
    CheckIn,
    ConnectionNeed,
    ConnectionPlan,
    Effort,
    Outcome,
    ProfileChange,
    Progress,
    ScoreChange,
    Step,
    StepTemplate,
    SupportResource,
    Tally,
)
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    Flag,
    NetworkSummary,
    PillarScore,
    ResilienceProfile,
    ScoringRule,
    SignReading,
)
from resilience.model.taxonomy import Capacity, IsolationDriver, IsolationSign, Pillar, Strategy
from resilience.serialization import from_json, to_json
from resilience.storage import Store, StoredRecord, open_store

try:
    __version__ = version("resilience")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
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
    "Effort",
    "Engine",
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
    "Outcome",
    "Pillar",
    "PillarScore",
    "PlanningError",
    "PluginError",
    "ProfileChange",
    "Progress",
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
    "StepTemplate",
    "StorageError",
    "Store",
    "StoreURLError",
    "StoredRecord",
    "Strategy",
    "Subscale",
    "SupportNetwork",
    "SupportResource",
    "Tally",
    "UnknownInstrumentError",
    "UnknownStepError",
    "Wording",
    "WordingNotFoundError",
    "__version__",
    "from_json",
    "hookimpl",
    "open_store",
    "to_json",
]
