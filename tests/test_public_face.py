"""The public face is exactly what the API reference documents, and nothing leaks past it.

A module is public when no part of its dotted name starts with ``_``; everything else may
change without notice. These tests hold the public modules to ``docs/api.md``: each one is
documented there and each one documented is public; each lists its contract in
``__all__``; each class and function in it has a docstring with an example; every name on
the top-level face comes from a documented module; and every library type that a public
call takes or returns can be imported from a public module.
"""

from __future__ import annotations

import ast
import enum
import functools
import importlib
import inspect
import pkgutil
import re
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import attrs
import pytest

import resilience as rs
from resilience._deprecated import MOVED

DOCS = Path(__file__).resolve().parent.parent / "docs"
DIRECTIVE = re.compile(r"^\.\. auto(module|class):: (\S+)\n((?:   :\S.*\n)*)", re.MULTILINE)


def _public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split(".")[1:])


def _public_module_names() -> list[str]:
    names = ["resilience"]
    for info in pkgutil.walk_packages(rs.__path__, "resilience."):
        if _public(info.name) and info.name not in MOVED:
            names.append(info.name)
    return sorted(names)


def _is_container(module: ModuleType) -> bool:
    """A package that only holds submodules (``resilience.model``): nothing to document."""
    return not hasattr(module, "__all__") and not any(
        not name.startswith("_") and not inspect.ismodule(value)
        for name, value in vars(module).items()
        if name not in {"annotations"}
    )


PUBLIC = {name: importlib.import_module(name) for name in _public_module_names()}
# The batch, plot and postgres extras are installed for the tests, so every module imports.
DOCUMENTED = [
    m
    for name, m in PUBLIC.items()
    if name not in ("resilience", "resilience.__main__") and not _is_container(m)
]


def _directives() -> dict[str, tuple[str, str]]:
    """Each ``automodule``/``autoclass`` target of the docs: (kind, options).

    Most are on the API reference page (``docs/api.md``); a guide may document the module
    it is about (``docs/fhir.md``) instead.
    """
    found: dict[str, tuple[str, str]] = {}
    for page in sorted(DOCS.glob("*.md")):
        for kind, target, options in DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            assert target not in found, f"{target} is documented twice"
            found[target] = (kind, options)
    return found


def _listed_members(options: str) -> set[str] | None:
    """The names of a ``:members: a, b`` option, or ``None`` for plain ``:members:``."""
    match = re.search(r":members:(.*)", options)
    assert match, f"a directive without :members: documents nothing: {options!r}"
    listed = {name.strip() for name in match.group(1).split(",") if name.strip()}
    return listed or None


def test_every_public_module_is_in_the_api_reference_and_nothing_else_is() -> None:
    modules = {target for target, (kind, _) in _directives().items() if kind == "module"}
    public = {m.__name__ for m in DOCUMENTED}
    assert sorted(public - modules) == [], "public but not in the docs"
    assert sorted(modules - public) == [], "in the docs but not a public module"


def test_documented_classes_are_on_the_face() -> None:
    for target, (kind, _) in _directives().items():
        if kind == "class":
            module, _, name = target.rpartition(".")
            assert _public(target)
            assert name in importlib.import_module(module).__all__


@pytest.mark.parametrize("module", DOCUMENTED, ids=lambda m: m.__name__)
def test_a_public_module_lists_its_contract(module: ModuleType) -> None:
    assert isinstance(getattr(module, "__all__", None), list), f"{module.__name__}: no __all__"
    assert len(set(module.__all__)) == len(module.__all__), "a name listed twice"
    for name in module.__all__:
        assert hasattr(module, name), f"{module.__name__}.{name} is listed but not defined"
    options = _directives()[module.__name__][1]
    listed = _listed_members(options)
    if listed is not None:  # an explicit list must be the whole contract, no more, no less
        assert listed == set(module.__all__)


def _documented_objects(module: ModuleType) -> Iterator[tuple[str, object]]:
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            yield f"{module.__name__}.{name}", obj


@functools.cache
def _assignments(module: ModuleType) -> dict[str, bool]:
    """Each name the module's source assigns at top level: whether it is documented there
    (a ``#:`` comment above it or a docstring after it). Each module is parsed once."""
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return {}
    lines = source.splitlines()
    body = ast.parse(source).body
    found: dict[str, bool] = {}
    for i, node in enumerate(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            continue
        above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
        after = body[i + 1] if i + 1 < len(body) else None
        string_after = (
            isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        )
        for name in names:
            found[name] = found.get(name, False) or above.startswith("#:") or string_after
    return found


@pytest.mark.parametrize("module", DOCUMENTED, ids=lambda m: m.__name__)
def test_every_public_name_is_documented_with_an_example(module: ModuleType) -> None:
    for qualified, obj in _documented_objects(module):
        doc = inspect.getdoc(obj) or ""
        assert doc, f"{qualified} has no docstring"
        if getattr(obj, "__module__", "").startswith("resilience"):
            assert ">>>" in doc, f"{qualified} has no example"
    # Constants, aliases and instances are documented by a ``#:`` comment where defined.
    constants = [
        name
        for name in module.__all__
        if not (inspect.isclass(getattr(module, name)) or callable(getattr(module, name)))
    ]
    missing = [n for n in constants if not _assignments(_defining_module(module, n))[n]]
    assert missing == [], f"{module.__name__}: constants without a #: comment"


def _defining_module(module: ModuleType, name: str) -> ModuleType:
    """The module whose source assigns ``name`` (a re-exported constant is documented there)."""
    for candidate in (module, *_library_modules()):
        if name in _assignments(candidate) and getattr(candidate, name, None) is getattr(
            module, name
        ):
            return candidate
    raise AssertionError(f"{module.__name__}.{name}: no module of the library assigns it")


def _library_modules() -> list[ModuleType]:
    return [m for n, m in sorted(sys.modules.items()) if n.startswith("resilience")]


def test_the_top_level_face_comes_from_documented_modules() -> None:
    documented_names = {
        id(getattr(m, name)) for m in DOCUMENTED for name in m.__all__ if hasattr(m, name)
    }
    documented_names |= {
        id(getattr(rs, target.rpartition(".")[2]))
        for target, (kind, _) in _directives().items()
        if kind == "class" and target.rpartition(".")[0] == "resilience"
    }
    for name in rs.__all__:
        if name == "__version__":
            continue
        assert id(getattr(rs, name)) in documented_names, f"resilience.{name} is undocumented"


def _library_classes() -> dict[str, type]:
    """Every class the library defines, public or not, by its name."""
    for info in pkgutil.walk_packages(rs.__path__, "resilience."):
        if info.name not in MOVED and info.name != "resilience.__main__":
            importlib.import_module(info.name)
    found: dict[str, type] = {}
    for module in _library_modules():
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and value.__module__ == module.__name__
                and not value.__name__.startswith("_")
            ):
                found.setdefault(value.__name__, value)
    return found


def _reachable() -> set[int]:
    return {
        id(getattr(m, n))
        for m in (rs, *DOCUMENTED)
        for n in m.__all__
        if n != "__version__" and hasattr(m, n)
    }


def _signatures(obj: object) -> Iterator[tuple[str, str]]:
    """(where, annotation text) of every parameter and return of ``obj``'s public calls."""
    calls: list[tuple[str, object]] = []
    if inspect.isclass(obj):
        if attrs.has(obj):
            for field in attrs.fields(obj):
                if not field.name.startswith("_"):
                    calls.append((f"{obj.__name__}.{field.name}", field))
        calls.append((obj.__name__, obj.__init__))
        for name, member in vars(obj).items():
            if name.startswith("_") or isinstance(obj, enum.EnumMeta):
                continue
            target = member.fget if isinstance(member, property) else member
            if isinstance(target, (staticmethod, classmethod)):
                target = target.__func__
            if inspect.isfunction(target):
                calls.append((f"{obj.__name__}.{name}", target))
    elif inspect.isfunction(obj):
        calls.append((obj.__name__, obj))
    for where, call in calls:
        if isinstance(call, attrs.Attribute):
            if isinstance(call.type, str):
                yield where, call.type
            continue
        for key, annotation in getattr(call, "__annotations__", {}).items():
            if isinstance(annotation, str):
                yield f"{where}({key})", annotation


def test_every_type_a_public_call_takes_or_returns_is_reachable_from_the_face() -> None:
    classes = _library_classes()
    reachable = _reachable()
    unreachable: set[str] = set()
    for module in DOCUMENTED:
        for name in module.__all__:
            for where, annotation in _signatures(getattr(module, name)):
                for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation):
                    cls = classes.get(word)
                    if cls is not None and id(cls) not in reachable:
                        unreachable.add(f"{word} (in {module.__name__}.{where})")
    assert sorted(unreachable) == []


@pytest.mark.parametrize(
    ("old", "name"),
    [(old, name) for old, names in MOVED.items() for name in names],
    ids=lambda value: value,
)
def test_a_moved_name_still_works_and_says_where_it_lives_now(old: str, name: str) -> None:
    module = importlib.import_module(old)
    new_home, advice = MOVED[old][name]
    with pytest.warns(DeprecationWarning, match=re.escape(f"{old}.{name} is deprecated")) as w:
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(new_home), name)
    message = str(w[0].message)
    assert (f"import it from {new_home}" in message) if not advice else (advice in message)
    if not advice:
        assert _public(new_home), "a name is only advised to be imported from a public module"


def test_a_moved_module_has_nothing_but_its_documented_names() -> None:
    for old in MOVED:
        module = importlib.import_module(old)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(AttributeError, match="has no attribute 'not_a_name'"):
                _ = module.not_a_name
