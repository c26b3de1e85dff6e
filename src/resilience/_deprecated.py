"""Module paths that moved, kept working for a while: each use warns where the name lives now.

Up to version 0.1 every implementation module was public by name. The modules below were
documented, so code may import from them; they now hold no code of their own, only a
module ``__getattr__`` made by :func:`forward` that finds the name in its new home and
raises a :class:`DeprecationWarning` saying where that is. Names that moved to a public
module point there; names that became internal point to the public call that does the same
job. The aliases go away in version 1.0.

Example:
    >>> import warnings
    >>> from resilience import tables
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     from resilience.export import scores_csv
    >>> scores_csv is tables.scores_csv
    True
    >>> print(caught[0].message)
    resilience.export.scores_csv is deprecated: import it from resilience.tables
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MOVED", "forward"]

# What an alias says about a name that is internal now: the public way to do its job.
_PROFILES = "it is internal now; build profiles with Engine.profile"
_SCORING = "it is internal now; score with Engine.score or Engine.check_assessment"
_PLUGINS = "it is internal now; the Engine loads and checks plugins"
_STORAGE = "it is internal now; use open_store and the Store methods"

#: For each old module: each name it documented -> (the module that has it now, the
#: advice the warning gives). A public new home is advised as ``import it from …``.
MOVED: Mapping[str, Mapping[str, tuple[str, str]]] = {
    "resilience.profiling": dict.fromkeys(
        (
            "ASK_FOR_NETWORK",
            "MOST_SIGNS",
            "build_profile",
            "combine",
            "contribution_order",
            "contribution_problem",
            "profile_notes",
            "read_signs",
            "summarise_network",
            "support_flags",
        ),
        ("resilience._profiles", _PROFILES),
    ),
    "resilience.scoring": dict.fromkeys(
        ("ScoringKey", "answer_problems", "band_of", "compile_instrument", "score"),
        ("resilience._scoring", _SCORING),
    ),
    "resilience.plugins": {
        **dict.fromkeys(("PluginInfo", "PluginProblem", "PluginWarning"), ("resilience", "")),
        **dict.fromkeys(
            (
                "DEFAULT_PLUGINS",
                "ENV_ALLOW",
                "ENV_DISABLE",
                "PluginHooks",
                "Registry",
                "build_registry",
            ),
            ("resilience._plugins", _PLUGINS),
        ),
    },
    "resilience.connection_quality": dict.fromkeys(
        (
            "FREQUENCY_WEIGHTS",
            "MAX_QUALITY",
            "MODE_WEIGHTS",
            "RECENCY_OLDER",
            "RECENCY_STEPS",
            "RECENCY_UNKNOWN",
            "UNKNOWN_CONTACT",
            "UNTRUSTED_CEILING",
            "UNTRUSTED_UP_TO",
            "WEAKEST_CLOSE_TIE",
            "closeness",
            "connection_quality",
            "contact_factor",
            "pillar_coverage",
            "recency_factor",
        ),
        ("resilience.builtin.rules", ""),
    ),
    "resilience.export": dict.fromkeys(
        ("FORMULA_STARTS", "SCORE_COLUMNS", "STRENGTH_COLUMNS", "scores_csv", "strengths_csv"),
        ("resilience.tables", ""),
    ),
    "resilience.storage.erasure": {
        **dict.fromkeys(("Erasure", "ErasureRow"), ("resilience.storage", "")),
        **dict.fromkeys(
            (
                "ITERATIONS",
                "Sealer",
                "erasure_from_row",
                "hash_person",
                "key_check",
                "lookup_tag",
                "normalise_key",
            ),
            ("resilience.storage._erasure", _STORAGE),
        ),
    },
    "resilience.storage.base": {
        **dict.fromkeys(("RowStore", "Seal"), ("resilience.storage", "")),
        **dict.fromkeys(
            ("KEY_CHECK", "erase_where", "select_query"), ("resilience.storage._base", _STORAGE)
        ),
    },
    "resilience.storage.sql": {
        **dict.fromkeys(("Cursor", "Dialect", "SQLRowStore"), ("resilience.storage", "")),
        **dict.fromkeys(("SCHEMA", "migration_statements"), ("resilience.storage._sql", _STORAGE)),
    },
    "resilience.storage.postgres": dict.fromkeys(
        ("CONNECT_TIMEOUT", "SCHEMA", "PostgresStore", "open_postgres"),
        ("resilience.storage._postgres", _STORAGE),
    ),
}


def forward(old: str) -> Callable[[str], Any]:
    """The module ``__getattr__`` of the alias module ``old``: warn, then hand the name over.

    Example:
        >>> getattr_ = forward("resilience.export")
        >>> getattr_("nothing_here")
        Traceback (most recent call last):
        ...
        AttributeError: module 'resilience.export' has no attribute 'nothing_here'
    """
    moved = MOVED[old]

    def __getattr__(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module, advice = moved[name]
        advice = advice or f"import it from {module}"
        warnings.warn(f"{old}.{name} is deprecated: {advice}", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(module), name)

    return __getattr__
