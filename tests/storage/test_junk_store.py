"""Junk into a store: a library error naming what was wrong, and nothing stored changes.

The storage half of the junk-input test (``tests/test_junk_input.py`` feeds every other
entry point). ``Store.append``, ``append_many``, ``history``, ``latest`` and ``export`` get
whatever hypothesis makes (records that are not records, records forged behind their
constructor's back, person ids that are numbers, bytes, empty, NUL-holding, lone
surrogates, too long or a ``str`` subclass that misbehaves, bounds of every type, naive
datetimes and time zones that answer nonsense) on a real in-memory, SQLite and PostgreSQL
store. Each call either works or raises a ``ResilienceError`` that is also a
``ValueError`` with a message; either way, the export of every person already stored is
byte-identical before and after.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.storage import MAX_PERSON_ID, Store, StoredRecord, open_store
from resilience.storage._records import person_id_problem

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
#: The people stored before any junk arrives; junk never uses these ids.
SEEDED = ("seed-person-α", "seed-person-β")
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


class Sneaky(str):
    """A person id that is a str, but compares and hashes like nothing else."""

    def __eq__(self, other: object) -> bool:
        raise SystemExit("compared")

    def __hash__(self) -> int:
        raise SystemExit("hashed")


class BrokenZone(dt.tzinfo):
    """A time zone that answers with an offset no time zone can have."""

    def utcoffset(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(hours=30)

    def tzname(self, when: dt.datetime | None) -> str:
        return "broken"

    def dst(self, when: dt.datetime | None) -> dt.timedelta:
        return dt.timedelta(0)


def _forged(record: Any, **fields: Any) -> Any:
    # What a careless caller can hand over past the constructor's checks.
    for name, value in fields.items():
        object.__setattr__(record, name, value)
    return record


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        url = "memory://"
    elif request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'junk.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    with open_store(url) as opened:
        for person in SEEDED:
            opened.append(rs.Assessment(person, WHEN, {"ucla-3": {"ucla-1": 1}}))
            opened.append(
                rs.CheckIn("s1", dt.date(2026, 1, 6), "done", note="kept\u2028as is"),
                person_id=person,
            )
        yield opened


person_ids = st.one_of(
    st.none(),
    st.integers(),
    st.binary(max_size=6),
    st.text(alphabet=st.characters(codec=None), max_size=8),  # lone surrogates too
    st.sampled_from(
        [
            "",
            "p\x00",
            "\x00",
            "\ud800",
            "p-1",
            "x" * (MAX_PERSON_ID + 1),
            "é" * 3000,
        ]
    ),
    st.builds(Sneaky, st.text(max_size=4)),
)
#: Queries may also name a seeded person, as a misbehaving str subclass.
query_ids = st.one_of(person_ids, st.just(SEEDED[0]).map(Sneaky))
times = st.one_of(
    st.none(),
    st.datetimes(),  # naive
    st.datetimes(timezones=st.just(UTC)),
    st.datetimes(timezones=st.just(dt.timezone(dt.timedelta(hours=-12)))),
    st.datetimes().map(lambda when: when.replace(tzinfo=BrokenZone())),
    st.dates(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.booleans(),
    st.sampled_from([dt.datetime.max.replace(tzinfo=UTC), dt.date.min, dt.time(1)]),
)
kinds = st.one_of(
    st.none(),
    st.sampled_from(["assessment", "profile", "plan", "check-in", "note", "", "Plan"]),
    st.integers(),
    st.lists(st.text(max_size=3), max_size=2),
)


@st.composite
def records(draw: st.DrawFn) -> Any:
    """Real records, records forged past their checks, and things that are not records."""
    person = draw(st.sampled_from(["junk-a", "junk-b"]))
    real = st.one_of(
        st.builds(lambda: rs.Assessment(person, WHEN, {"brs": {"brs-1": 4}})),
        st.builds(lambda: rs.CheckIn("s2", dt.date(2026, 2, 1), "partly")),
    )
    forged = st.one_of(
        st.builds(
            lambda value: _forged(rs.Assessment(person, WHEN, {}), answers={"x": {"a": value}}),
            st.sampled_from([math.nan, math.inf, object(), b"x", 10**5000, "\ud800"]),
        ),
        st.builds(
            lambda when: _forged(rs.Assessment(person, WHEN, {}), taken_at=when),
            st.sampled_from(["yesterday", dt.datetime(2026, 1, 1), None, 5]),
        ),
        st.builds(
            lambda pid: _forged(rs.Assessment(person, WHEN, {}), person_id=pid),
            person_ids,
        ),
        st.builds(
            lambda note: _forged(rs.CheckIn("s3", dt.date(2026, 1, 1), "done"), note=note),
            st.sampled_from(["\ud800", 7, object()]),
        ),
    )
    junk = st.one_of(
        st.none(),
        st.integers(),
        st.text(max_size=5),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.just(rs.Pillar.BELONGING),
        st.just(rs.InstrumentScore("x", "1", "0" * 64, 1.0, (0.0, 2.0), True, None)),
    )
    return draw(st.one_of(real, forged, junk))


entries = st.one_of(
    records(),
    st.tuples(records(), person_ids),
    st.tuples(records()),
    st.tuples(records(), person_ids, person_ids),
)
batches = st.one_of(
    st.lists(entries, max_size=4),
    st.tuples(entries, entries),
    records(),
    st.none(),
    st.integers(),
    st.text(max_size=4),
    st.dictionaries(st.text(max_size=3), entries, max_size=2),
)


def _snapshot(store: Store, *others: object) -> list[list[str]]:
    people: list[object] = [*SEEDED, *others]
    return [
        store.export(str.__str__(person))
        for person in people
        if isinstance(person, str) and person_id_problem(person, new=False) is None
    ]


def _junk_is_refused_cleanly(
    store: Store, call: Callable[[], object], *people: object
) -> tuple[bool, object]:
    """Run ``call``; a failure must be a clear library error that changed nothing."""
    before = _snapshot(store, *people)
    try:
        result = call()
    except rs.ResilienceError as error:
        assert isinstance(error, ValueError), repr(error)  # noqa: PT017
        assert str(error).strip(), repr(error)  # noqa: PT017
        assert _snapshot(store, *people) == before
        return False, error
    # Junk that was accepted was a real record: the seeded people are still untouched.
    assert _snapshot(store)[: len(SEEDED)] == before[: len(SEEDED)]
    return True, result


@SLOW
@given(record=records(), person_id=person_ids)
def test_append_of_junk(store: Store, record: Any, person_id: Any) -> None:
    stored, result = _junk_is_refused_cleanly(
        store, lambda: store.append(record, person_id=person_id), person_id
    )
    if stored:
        assert isinstance(result, str)
        assert len(result) == 64


@SLOW
@given(batch=batches)
def test_append_many_of_junk(store: Store, batch: Any) -> None:
    stored, result = _junk_is_refused_cleanly(store, lambda: store.append_many(batch))
    if stored:
        assert isinstance(result, list)
        assert all(isinstance(record_id, str) for record_id in result)


@SLOW
@given(person_id=query_ids, kind=kinds, since=times, until=times)
def test_history_of_junk(store: Store, person_id: Any, kind: Any, since: Any, until: Any) -> None:
    found, result = _junk_is_refused_cleanly(
        store, lambda: store.history(person_id, kind, since, until), person_id
    )
    if found:
        assert isinstance(result, list)
        assert all(isinstance(item, StoredRecord) for item in result)


@SLOW
@given(person_id=query_ids, kind=kinds)
def test_latest_and_export_of_junk(store: Store, person_id: Any, kind: Any) -> None:
    _junk_is_refused_cleanly(store, lambda: store.latest(person_id, kind), person_id)
    _junk_is_refused_cleanly(store, lambda: store.export(person_id), person_id)


CHECK_IN = rs.CheckIn("s1", dt.date(2026, 1, 9), "done")
NAIVE = dt.datetime(2026, 1, 1)

#: (what is done, what the error must say) — each of these escaped or misled before.
CASES: dict[str, tuple[Callable[[Store], object], str]] = {
    "a NUL in a check-in's person id": (
        lambda s: s.append(CHECK_IN, person_id="p\x00q"),
        "person_id holds a NUL character",
    ),
    "a NUL in a record's person id": (
        lambda s: s.append(_forged(rs.Assessment("p", WHEN, {}), person_id="p\x00")),
        "person_id holds a NUL character",
    ),
    "a NUL in a batch's person id": (
        lambda s: s.append_many([(CHECK_IN, "\x00")]),
        "records[0]: person_id holds a NUL character",
    ),
    "a lone surrogate in a check-in's person id": (
        lambda s: s.append(CHECK_IN, person_id="\udfff"),
        "lone surrogate",
    ),
    "a person id too long for every backend": (
        lambda s: s.append(CHECK_IN, person_id="x" * (MAX_PERSON_ID + 1)),
        f"a store keeps ids of at most {MAX_PERSON_ID}",
    ),
    "a NUL in a history query": (
        lambda s: s.history("p\x00"),
        "person_id holds a NUL character",
    ),
    "a NUL in an export": (lambda s: s.export("\x00"), "person_id holds a NUL character"),
    "a NUL in latest": (
        lambda s: s.latest("\x00", "plan"),
        "person_id holds a NUL character",
    ),
    "a NUL in forget": (lambda s: s.forget("p\x00"), "person_id holds a NUL character"),
    "a batch that is a number": (
        lambda s: s.append_many(3),  # type: ignore[arg-type]
        "records must be an iterable of records, not int",
    ),
    "a batch that is nothing": (
        lambda s: s.append_many(None),  # type: ignore[arg-type]
        "not NoneType",
    ),
    "a batch that is a mapping": (
        lambda s: s.append_many({CHECK_IN: "p"}),  # type: ignore[arg-type]
        "not dict",
    ),
    "a batch entry of three": (
        lambda s: s.append_many([(CHECK_IN, "p", "q")]),  # type: ignore[list-item]
        "records[0]: a pair is (record, person_id), not a tuple of 3",
    ),
    "a batch entry of one": (
        lambda s: s.append_many([(CHECK_IN,)]),  # type: ignore[list-item]
        "not a tuple of 1",
    ),
    "a forged record JSON cannot carry": (
        lambda s: s.append(_forged(rs.Assessment("p", WHEN, {}), answers={"x": {"a": object()}})),
        "cannot be written as JSON",
    ),
    "a forged record with no time": (
        lambda s: s.append(_forged(rs.Assessment("p", WHEN, {}), taken_at="soon")),
        "cannot be written as JSON",
    ),
    "a time zone with an impossible offset": (
        lambda s: s.history("p", since=dt.datetime(2026, 1, 1, tzinfo=BrokenZone())),
        "since has a time zone that gives no valid UTC offset",
    ),
    "a naive until": (lambda s: s.history("p", until=NAIVE), "until must be timezone-aware"),
    "a since of text": (
        lambda s: s.history("p", since="2026-01-01"),  # type: ignore[arg-type]
        "since must be a datetime or a date, not str",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_named_junk_is_refused_with_its_reason(store: Store, case: str) -> None:
    call, expected = CASES[case]
    before = _snapshot(store)
    with pytest.raises(rs.ResilienceError) as caught:
        call(store)
    assert isinstance(caught.value, ValueError)
    assert expected in " ".join(str(caught.value).split())
    assert "NaN" not in str(caught.value)
    assert _snapshot(store) == before


def test_a_misbehaving_str_subclass_reads_as_plain_text(store: Store) -> None:
    # Its == and hash() raise SystemExit: the store must never run them.
    found = store.history(Sneaky(SEEDED[0]))
    assert [r.person_id for r in found] == [SEEDED[0], SEEDED[0]]
    assert type(found[0].person_id) is str
    record_id = store.append(CHECK_IN, person_id=Sneaky("sneaky-person"))
    assert store.latest("sneaky-person", "check-in").id == record_id  # type: ignore[union-attr]
    assert store.export(Sneaky(SEEDED[1])) == store.export(SEEDED[1])


def test_queries_still_reach_ids_stored_before_the_length_limit(store: Store) -> None:
    # Ids longer than the limit cannot be stored any more; asking for one is not an error
    # (forget must reach records an older release stored under such an id).
    long_id = "y" * (MAX_PERSON_ID + 1)
    assert store.history(long_id) == []
    assert store.export(long_id) == []
    assert store.forget(long_id) == 0
