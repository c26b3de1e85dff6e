"""The error hierarchy: every error class is a ResilienceError, bad input is a ValueError.

Also guards the model, the engine and the record encoder against raising the standard
exceptions directly, so that ``except rs.ResilienceError`` catches everything they raise.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from pathlib import Path

import pytest

import resilience as rs
from resilience import errors

SRC = Path(rs.__file__).parent

#: Exception classes in resilience.errors (AnswerProblem is a record, not an error).
ERROR_CLASSES = [
    obj
    for name in errors.__all__
    if inspect.isclass(obj := getattr(errors, name)) and issubclass(obj, BaseException)
]


def test_every_error_class_is_a_resilience_error() -> None:
    assert len(ERROR_CLASSES) == len(errors.__all__) - 1  # all but AnswerProblem
    for cls in ERROR_CLASSES:
        assert issubclass(cls, rs.ResilienceError), cls


@pytest.mark.parametrize(
    "name",
    [
        "InvalidValueError",
        "KeyMismatchError",
        "MissingPersonError",
        "UnknownStepError",
    ],
)
def test_new_errors_are_exported_from_the_package(name: str) -> None:
    assert name in rs.__all__
    assert getattr(rs, name) is getattr(errors, name)


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (errors.InvalidValueError, (rs.ResilienceError, ValueError)),
        (errors.KeyMismatchError, (rs.ResilienceError, ValueError)),
        (errors.MissingPersonError, (rs.StorageError, ValueError)),
        (errors.UnknownStepError, (rs.PlanningError, ValueError, KeyError, LookupError)),
    ],
)
def test_bad_input_errors_are_also_standard_exceptions(
    cls: type[Exception], bases: tuple[type[Exception], ...]
) -> None:
    for base in bases:
        assert issubclass(cls, base), (cls, base)


def test_an_unknown_step_reads_as_a_sentence_not_a_repr() -> None:
    error = errors.UnknownStepError("s9", ["s1", "s2"])
    # KeyError's own str() would wrap the message in quotes.
    assert str(error) == "no step 's9' in this plan; steps: s1, s2"
    assert (error.step_id, error.known) == ("s9", ("s1", "s2"))
    assert str(errors.UnknownStepError("s9", [])).endswith("steps: none")


def test_a_key_mismatch_names_the_instrument_both_hashes_and_what_to_do() -> None:
    recorded, current = "a" * 64, "b" * 64
    error = errors.KeyMismatchError("brs", recorded, current, "2")
    message = str(error)
    assert "'brs'" in message
    assert "a" * 12 in message
    assert "a" * 13 not in message  # a prefix, not the whole hash
    assert "b" * 12 in message
    assert "b" * 13 not in message
    assert "version 2" in message
    assert "changed since the answers were collected" in message
    assert "stamp(assessment, replace=True)" in message
    assert "register the definition" in message
    assert (error.instrument_id, error.recorded, error.current) == ("brs", recorded, current)


# -- no bare standard exceptions -------------------------------------------------------

#: Modules that must raise only the library's errors. FrozenDict's "read-only" TypeError
#: is Python's protocol for refusing item assignment (as attrs' FrozenInstanceError is
#: for attribute assignment), so it is the one allowed exception.
GUARDED = [
    "engine.py",
    "errors.py",
    "model/assessment.py",
    "model/network.py",
    "model/plans.py",
    "model/profile.py",
    "model/taxonomy.py",
    "model/fields.py",
    "storage/_records.py",
]
ALLOWED = {("model/fields.py", "TypeError")}
STANDARD = {"ValueError", "TypeError", "KeyError", "LookupError", "IndexError", "Exception"}


def _caught(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type
    names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds] if kinds else []
    return {n.id for n in names if isinstance(n, ast.Name)}


def _raised_names(tree: ast.AST, caught: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """Names of the exceptions raised, except those a surrounding ``try`` catches itself."""
    found: list[tuple[int, str]] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id not in caught:
                found.append((node.lineno, target.id))
        if isinstance(node, ast.Try):
            inner = caught | {name for h in node.handlers for name in _caught(h)}
            for child in node.body:
                found.extend(_raised_names(ast.Module([child], []), inner))
            for part in (*node.handlers, *node.orelse, *node.finalbody):
                found.extend(_raised_names(part, caught))
        elif not isinstance(node, ast.Raise):
            found.extend(_raised_names(node, caught))
    return found


@pytest.mark.parametrize("module", GUARDED)
def test_guarded_modules_raise_only_the_librarys_errors(module: str) -> None:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    bare = [
        f"{module}:{line} raises {name}"
        for line, name in _raised_names(tree)
        if name in STANDARD and (module, name) not in ALLOWED
    ]
    assert bare == []


def test_the_guard_finds_bare_raises_but_not_locally_caught_ones() -> None:
    code = (
        "def f(x):\n"
        "    try:\n"
        "        raise TypeError\n"
        "    except (TypeError, KeyError):\n"
        "        raise ValueError('x')\n"
        "    raise KeyError(x)\n"
    )
    assert _raised_names(ast.parse(code)) == [(5, "ValueError"), (6, "KeyError")]


def test_one_except_clause_catches_every_model_error() -> None:
    when = dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc)
    bad = [
        lambda: rs.Assessment("p", dt.datetime(2026, 1, 5), {}),
        lambda: rs.Connection("Sam", rs.Relation.FRIEND, trust=6, safety=3),
        lambda: rs.Contribution("r", "1", rs.Pillar.BELONGING, 120.0, 1.0),
        lambda: rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE, felt=6),
        lambda: rs.ResilienceProfile("p", when, {}, {}, signs=5),
    ]
    for build in bad:
        with pytest.raises(rs.ResilienceError):
            build()
