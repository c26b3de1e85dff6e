"""Junk in, library errors out: every public constructor and entry point.

Whatever a caller passes, the library either accepts it or raises one of its own errors
(a ResilienceError, naming the problem); never a raw KeyError, AttributeError, TypeError,
RecursionError, UnicodeError, OverflowError or ValueError from below. The store's own
entry points (append, append_many, history, latest, export), on every backend, are fed
junk in ``tests/storage/test_junk_store.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience import fhir

UTC = dt.timezone.utc
ENGINE = rs.Engine(load_installed=False)

# Scalars of every kind, including the ones that broke things on main.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(5000).map(lambda digits: 10**digits),  # built lazily: its repr would fail
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(codec=None), max_size=8),  # lone surrogates too
    st.sampled_from(["", "\ud800", "done", "belonging", "ucla-3", "ucla-1", "sqlite", "\x00"]),
    st.binary(max_size=8),
    st.datetimes(),
    st.datetimes(timezones=st.just(UTC)),
    st.dates(),
    st.sampled_from([member for kind in (rs.Pillar, rs.Strategy, rs.Outcome) for member in kind]),
)
junk = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.frozensets(scalars, max_size=3),
        st.dictionaries(scalars.filter(lambda v: v.__hash__ is not None), children, max_size=4),
    ),
    max_leaves=12,
)

# Every public attrs type a caller can build.
MODEL_TYPES = sorted(
    (
        getattr(rs, name)
        for name in rs.__all__
        if isinstance(getattr(rs, name), type)
        and attrs.has(getattr(rs, name))
        and not issubclass(getattr(rs, name), enum.Enum)
    ),
    key=lambda cls: cls.__name__,
)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.parametrize("cls", MODEL_TYPES, ids=lambda cls: cls.__name__)
@SLOW
@given(data=st.data())
def test_constructors_accept_or_raise_library_errors(cls: type, data: st.DataObject) -> None:
    fields = [f for f in attrs.fields(cls) if f.init]
    arguments = [data.draw(junk) for _ in fields]
    with contextlib.suppress(rs.ResilienceError):
        cls(*arguments)


ENTRY_POINTS: dict[str, Any] = {
    "Engine.score": lambda a, b: ENGINE.score(a, b),
    "Engine.score_all": lambda a, b: ENGINE.score_all(a),
    "Engine.profile": lambda a, b: ENGINE.profile(a),
    "Engine.plan": lambda a, b: ENGINE.plan(a),
    "Engine.stamp": lambda a, b: ENGINE.stamp(a),
    "Engine.check_assessment": lambda a, b: ENGINE.check_assessment(a),
    "Engine.check_record": lambda a, b: ENGINE.check_record(a),
    "Engine.wording": lambda a, b: ENGINE.wording(a, b if isinstance(b, str) else None),
    "Engine.append": lambda a, b: ENGINE.append(a, person_id=b),
    "Engine.append_many": lambda a, b: ENGINE.append_many(a),
    "Engine.import_records": lambda a, b: ENGINE.import_records(a),
    "Engine.to_json": lambda a, b: ENGINE.to_json(a, indent=b),
    "to_json": lambda a, b: rs.to_json(a),
    "from_json": lambda a, b: rs.from_json(a, rs.Assessment),
    "from_json plan": lambda a, b: rs.from_json(a, rs.ConnectionPlan),
    "fhir.answers_from_response": lambda a, b: fhir.answers_from_response(
        ENGINE.instruments["ucla-3"], a
    ),
    "fhir.key_hash_from_response": lambda a, b: fhir.key_hash_from_response(a),
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
@SLOW
@given(first=junk, second=junk)
def test_entry_points_accept_or_raise_library_errors(name: str, first: Any, second: Any) -> None:
    with contextlib.suppress(rs.ResilienceError):
        ENTRY_POINTS[name](first, second)


json_texts = st.one_of(
    st.text(alphabet=st.characters(codec=None), max_size=40),
    st.binary(max_size=40),
    st.sampled_from(
        [
            "[" * 100_000,
            '{"a":' * 50_000,
            '"\\ud800"',
            "1" + "0" * 5000,
            "NaN",
            '{"schema_version": 2, "person_id": "\\udfff", "taken_at": "2026-01-01T00:00:00Z"}',
        ]
    ),
)


@SLOW
@given(text=json_texts)
def test_from_json_of_any_text_is_a_library_error(text: str | bytes) -> None:
    with contextlib.suppress(rs.ResilienceError):
        rs.from_json(text, rs.Assessment)


@SLOW
@given(lines=junk)
def test_import_records_of_junk_is_a_library_error(lines: Any) -> None:
    with rs.open_store("memory://") as store, contextlib.suppress(rs.ResilienceError):
        store.import_records(lines)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "sqlite:///x.db?timeout=inf",
        "sqlite:///x.db?timeout=nan",
        "sqlite:///x.db?timeout=-1",
        "sqlite:///x.db?timeout=soon",
        "sqlite:///x\x00.db",
        "x\x00.db",
        "sqlite:///\ud800.db",
        "://nothing",
        3,
        None,
    ],
)
def test_malformed_store_urls_are_errors_naming_the_problem(
    url: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a URL wrongly accepted must not leave a file behind
    with pytest.raises(rs.StorageError) as caught:
        rs.open_store(url)
    assert isinstance(caught.value, ValueError)
    assert "store URL" in str(caught.value)


def test_the_issue_examples() -> None:
    with rs.open_store("memory://") as store, pytest.raises(rs.InvalidRecordError):
        store.import_records([1, 2])  # type: ignore[list-item]
    with pytest.raises(rs.InvalidValueError, match="must be a Assessment"):
        ENGINE.score_all({"ucla-3": {"ucla-1": 1}})  # type: ignore[arg-type]
    with pytest.raises(rs.UnknownInstrumentError):
        ENGINE.score(["ucla-3"], {})  # type: ignore[arg-type]


# -- to_json -----------------------------------------------------------------------------


@attrs.define
class Foreign:
    """An attrs type from elsewhere (a host app's, a plugin's), holding anything."""

    value: Any = None


@attrs.frozen
class ForeignPair:
    left: Any
    right: Any


def _cycle(value: Any) -> Foreign:
    made = Foreign([value])
    made.value.append(made)  # holds itself, through a list
    return made


def _cyclic_list(value: Any) -> Foreign:
    inner: list[Any] = [value]
    inner.append(inner)
    return Foreign(inner)


to_json_inputs = st.one_of(
    junk,
    st.builds(Foreign, junk),
    st.builds(ForeignPair, junk, junk),
    st.builds(_cycle, scalars),
    st.builds(_cyclic_list, scalars),
    st.builds(lambda v: Foreign({"deep": v}), st.just(10**5000).map(lambda n: [n])),
    st.just(object()),
    st.just(Foreign(Foreign(Foreign(math.nan)))),
)


@SLOW
@given(obj=to_json_inputs, indent=st.one_of(st.none(), st.integers(-2, 4), scalars))
def test_to_json_of_junk_is_json_or_a_library_error(obj: Any, indent: Any) -> None:
    for write in (rs.to_json, ENGINE.to_json):
        try:
            text = write(obj, indent=indent)
        except rs.UnwritableRecordError as error:
            # The standard errors it replaces, and a message naming the problem.
            assert isinstance(error, TypeError)  # noqa: PT017
            assert isinstance(error, ValueError)  # noqa: PT017
            assert error.problems  # noqa: PT017
            assert str(error).startswith("cannot write ")  # noqa: PT017
            continue
        # What was written is JSON any reader takes: UTF-8 text, no NaN, an object.
        text.encode("utf-8")
        data = json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} written"))
        assert isinstance(data, dict)
        assert data["schema_version"] == rs.to_json.__globals__["SCHEMA_VERSION"]


TO_JSON_CASES: dict[str, tuple[Any, dict[str, Any], str]] = {
    "text": ("a note", {}, "not str"),
    "a plain dict": ({"person_id": "p"}, {}, "not dict"),
    "a number": (10**5000, {}, "not int"),
    "nothing": (None, {}, "not NoneType"),
    "an enum member": (rs.Pillar.BELONGING, {}, "not Pillar"),
    "an object": (object(), {}, "not object"),
    "NaN inside": (Foreign({"level": math.nan}), {}, "nan is not a JSON number @ $.value.level"),
    "infinity inside": (ForeignPair(1, -math.inf), {}, "-inf is not a JSON number @ $.right"),
    "a huge integer": (Foreign([1, 10**5000]), {}, "integer too long to write out @ $.value[1]"),
    "a lone surrogate": (
        Foreign("\ud800"),
        {},
        "holding a lone surrogate, which JSON text cannot carry @ $.value",
    ),
    "bytes": (Foreign(b"x"), {}, "a value of type bytes has no JSON form @ $.value"),
    "itself": (_cyclic_list(1), {}, "RecursionError"),
    "itself as a value": (_cycle(1), {}, "RecursionError"),
    "a key JSON has none for": (Foreign({(1, 2): 3}), {}, "unhashable type"),
    "a key of a type JSON has none for": (
        Foreign({b"k": 3}),
        {},
        "a key of type bytes has no JSON form @ $.value",
    ),
    "a huge indent": (Foreign(1), {"indent": 10**5000}, "not an int of 5001 digits"),
    "an indent of text": (Foreign(1), {"indent": "  "}, "indent must be a whole number"),
    "a negative indent": (Foreign(1), {"indent": -1}, "indent must be a whole number"),
    "a converter that is not one": (
        Foreign(1),
        {"converter": "json"},
        "converter must be a cattrs Converter, not str",
    ),
}


@pytest.mark.parametrize("case", TO_JSON_CASES, ids=str)
def test_to_json_names_what_it_cannot_write(case: str) -> None:
    obj, options, expected = TO_JSON_CASES[case]
    with pytest.raises(rs.UnwritableRecordError) as caught:
        rs.to_json(obj, **options)
    assert expected in str(caught.value)
    assert isinstance(caught.value, TypeError)
    assert isinstance(caught.value, ValueError)


def test_to_json_still_writes_attrs_types_from_elsewhere() -> None:
    assert json.loads(rs.to_json(ForeignPair("a", [1, 2.5, None]))) == {
        "schema_version": rs.to_json.__globals__["SCHEMA_VERSION"],
        "left": "a",
        "right": [1, 2.5, None],
    }
