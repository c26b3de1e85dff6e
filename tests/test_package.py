"""The package itself: cheap import, curated API, frozen public types."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import subprocess
import sys

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience.testing import strategies as rst


def test_version_comes_from_metadata() -> None:
    from importlib.metadata import version

    assert rs.__version__ == version("connection-resilience")


def test_import_is_cheap_and_loads_no_plugin() -> None:
    code = (
        "import sys, json, importlib.metadata as md\n"
        "calls = []\n"
        "real = md.entry_points\n"
        "md.entry_points = lambda *a, **k: calls.append(k) or real(*a, **k)\n"
        "import resilience\n"
        "heavy = [m for m in ('numpy', 'psycopg', 'matplotlib', 'hypothesis', 'sqlite3')"
        " if m in sys.modules]\n"
        "print(json.dumps({'heavy': heavy, 'entry_point_calls': len(calls)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == {"heavy": [], "entry_point_calls": 0}


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_import_loads_no_submodule_and_no_package_metadata() -> None:
    # The face is lazy (PEP 562): importing it must not load the engine, the model,
    # storage or importlib.metadata; a name's module loads on the name's first use.
    out = _run(
        "import sys, json\n"
        "import resilience\n"
        "before = sorted(m for m in sys.modules if m.startswith('resilience'))\n"
        "metadata = 'importlib.metadata' in sys.modules\n"
        "resilience.Pillar\n"
        "after = 'resilience.model.taxonomy' in sys.modules\n"
        "print(json.dumps([before, metadata, after, 'resilience.engine' in sys.modules]))\n"
    )
    assert json.loads(out) == [["resilience", "resilience._version"], False, True, False]


def test_every_lazy_name_resolves_to_the_object_its_module_defines() -> None:
    import importlib

    for name in rs.__all__:
        if name == "__version__":
            continue
        module = importlib.import_module(rs._LAZY[name])
        assert getattr(rs, name) is getattr(module, name)
    assert set(rs._LAZY) | {"__version__"} == set(rs.__all__)
    assert sorted(rs.__all__) == dir(rs)


def test_an_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Enigne'"):
        _ = rs.Enigne  # type: ignore[attr-defined]
    assert not hasattr(rs, "_not_public")


def test_all_names_exist_and_are_documented() -> None:
    for name in rs.__all__:
        obj = getattr(rs, name)
        if name == "__version__":
            continue
        assert inspect.getdoc(obj), f"{name} has no docstring"


PUBLIC_TYPES = [
    getattr(rs, name)
    for name in rs.__all__
    if inspect.isclass(getattr(rs, name)) and attrs.has(getattr(rs, name))
]


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda c: c.__name__)
def test_public_attrs_types_are_frozen(cls: type) -> None:
    params = attrs.fields(cls)
    assert params, cls
    # attrs' frozen classes refuse every assignment.
    instance = object.__new__(cls)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(instance, params[0].name, None)


@given(rst.connection_plans())
def test_mappings_inside_records_are_read_only(plan: rs.ConnectionPlan) -> None:
    with pytest.raises(TypeError):
        plan.profile.pillars[rs.Pillar.BELONGING] = None  # type: ignore[index]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        plan.steps = ()  # type: ignore[misc]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        rs.Assessment("p", dt.datetime(2026, 1, 1), {})


@given(st.data())
def test_answers_cannot_be_edited_after_the_fact(data: st.DataObject) -> None:
    assessment = data.draw(rst.assessments())
    for answers in assessment.answers.values():
        with pytest.raises(TypeError):
            answers["new-item"] = 1  # type: ignore[index]
