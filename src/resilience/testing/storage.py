"""The conformance suite every storage backend passes (needs the ``test`` extra).

Subclass :class:`StoreContract` in a test module, name the subclass ``Test…`` and
override the ``store`` fixture to yield a new, empty store of your backend. pytest then
runs every contract test against it; the library runs the same suite against its memory,
SQLite and PostgreSQL stores.

Example:
    >>> import pytest
    >>> from resilience.storage import open_store
    >>> class TestMyStore(StoreContract):
    ...     @pytest.fixture
    ...     def store(self):
    ...         with open_store("memory://") as store:
    ...             yield store
    >>> len([name for name in dir(TestMyStore) if name.startswith("test_")]) > 20
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resilience.errors import (
    InvalidRecordError,
    MissingPersonError,
    ResilienceError,
    SchemaVersionError,
    StorageError,
)
from resilience.model.assessment import Assessment
from resilience.model.network import Connection, ContactMode, Frequency, Relation, SupportNetwork
from resilience.model.plans import CheckIn, ConnectionPlan, Effort, Outcome, Step
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import IsolationDriver, Pillar, Strategy
from resilience.serialization import SCHEMA_VERSION
from resilience.storage import Erasure, Store, _erasure
from resilience.storage._erasure import Sealer
from resilience.storage._records import Record
from resilience.testing import strategies

__all__ = ["StoreContract", "sample_records"]

_UTC = dt.timezone.utc
_counter = itertools.count()


def _person(label: str) -> str:
    # Unique per call, so tests never see each other's records even in a shared database.
    return f"{label}-{next(_counter)}-{threading.get_ident() % 10_000}"


def sample_records(person_id: str) -> tuple[Assessment, ResilienceProfile, ConnectionPlan, CheckIn]:
    """One record of each kind for ``person_id``: an assessment, its profile, a plan, a check-in.

    The assessment is taken on 5 January 2026 at 09:00 UTC, the plan made on 6 January and
    the check-in done on 8 January, so newest first is check-in, plan, profile, assessment.

    Example:
        >>> [type(r).__name__ for r in sample_records("p-1")]
        ['Assessment', 'ResilienceProfile', 'ConnectionPlan', 'CheckIn']
    """
    from resilience.testing import engine_with

    taken_at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=_UTC)
    sam = Connection(
        "Sam",
        Relation.FRIEND,
        trust=5,
        safety=4,
        pillars={Pillar.CO_REGULATION, Pillar.BELONGING},
        contact={ContactMode.IN_PERSON: Frequency.WEEKLY},
    )
    assessment = Assessment(
        person_id,
        taken_at,
        {
            "ucla-3": {"ucla-1": 2, "ucla-2": 3, "ucla-3": 2},
            "brs": {"brs-1": 4, "brs-2": 2, "brs-3": 4, "brs-4": 2, "brs-5": 3, "brs-6": None},
        },
        network=SupportNetwork((sam,)),
        drivers={IsolationDriver.REMOTE_AND_DIGITAL, IsolationDriver.LIFE_TRANSITION},
        locales={"ucla-3": "en"},
    )
    profile = engine_with().profile(assessment)
    step = Step(
        "s1",
        Strategy.REACH_OUT,
        frozenset({Pillar.BELONGING}),
        "Send Sam a short message about the week.",
        Effort.TINY,
        dt.date(2026, 1, 7),
        "belonging is the weakest pillar",
        connection="Sam",
        template="reach-out/message",
    )
    plan = ConnectionPlan(person_id, dt.date(2026, 1, 6), profile, (Pillar.BELONGING,), (step,))
    check_in = CheckIn("s1", dt.date(2026, 1, 8), Outcome.DONE, felt=4, note="Café with Sam ☕")
    return assessment, profile, plan, check_in


def _append_all(store: Store, person_id: str) -> list[str]:
    assessment, profile, plan, check_in = sample_records(person_id)
    ids = [store.append(assessment), store.append(profile), store.append(plan)]
    ids.append(store.append(check_in, person_id=person_id))
    return ids


def _check_in(person_day: int, note: str | None = None) -> CheckIn:
    return CheckIn("s1", dt.date(2026, 2, person_day), Outcome.PARTLY, note=note)


def _old_check_in(day: dt.date, step: str = "s1") -> CheckIn:
    # Retention tests use days long before anything the other tests store (strategies draw
    # from 2000 on, the samples are from 2026), so a shared database loses nothing else.
    return CheckIn(step, day, Outcome.DONE)


def _line(record: Record, person_id: str) -> str:
    """The export line of ``record``, as a store would write it."""
    from resilience.storage._records import encode, export_line

    return export_line(encode(record, person_id=person_id, stored_us=0))


def _new_receipts(store: Store, known: set[str]) -> list[Erasure]:
    return [receipt for receipt in store.erasures() if receipt.id not in known]


def _counts(receipt: Erasure) -> Mapping[str, int]:
    return {kind: n for kind, n in receipt.counts.items() if n}


@st.composite
def _records(draw: st.DrawFn) -> Record:
    record: Record = draw(
        st.one_of(
            strategies.assessments(),
            strategies.profiles(),
            strategies.connection_plans(),
            strategies.check_ins(),
        )
    )
    return record


class StoreContract:
    """The contract of :class:`~resilience.storage.Store`, as pytest tests.

    Override the ``store`` fixture to yield a new, empty, open store; the tests close
    it themselves only where the contract is about closing. Every test uses person ids of
    its own, so a backend may also hand out stores sharing one database (retention tests
    only erase records dated before 1905, long before anything the other tests store).

    The erasure tests make a receipt fail by patching
    :class:`~resilience.storage._erasure.Sealer`, which
    :class:`~resilience.storage._base.RowStore` hands to ``_erase``, and watch the slow
    hash through :func:`~resilience.storage._erasure.hash_person`; a backend built
    otherwise must make its receipts with a ``Sealer`` too.

    Example:
        >>> StoreContract.test_forget_removes_every_record_of_the_person.__doc__
        'After forget, nothing of the person appears in history, latest or export.'
    """

    @pytest.fixture
    def store(self) -> Iterator[Store]:
        """A new, empty store of the backend under test (override this)."""
        raise NotImplementedError("override the `store` fixture to yield your backend's store")

    # -- append, history, latest -------------------------------------------------------

    def test_append_returns_an_id_and_every_kind_reads_back_equal(self, store: Store) -> None:
        """Each of the four kinds is stored and read back equal, under the id append returned."""
        person = _person("round-trip")
        records = sample_records(person)
        ids = _append_all(store, person)
        assert len(set(ids)) == 4
        assert all(isinstance(i, str) and i for i in ids)
        for kind, record, record_id in zip(
            ("assessment", "profile", "plan", "check-in"), records, ids, strict=True
        ):
            stored = store.latest(person, kind)
            assert stored is not None
            assert stored.record == record
            assert stored.id == record_id
            assert stored.kind == kind
            assert stored.person_id == person

    def test_history_is_newest_first_by_the_records_own_time(self, store: Store) -> None:
        """History orders by each record's own time (taken, assessed, made, done), newest first."""
        person = _person("order")
        assessment, profile, plan, check_in = sample_records(person)
        store.append(check_in, person_id=person)  # stored first, but newest by its own time
        store.append(plan)
        store.append(assessment)
        store.append(profile)
        history = store.history(person)
        assert [r.kind for r in history] == ["check-in", "plan", "profile", "assessment"]
        assert [r.time for r in history] == sorted((r.time for r in history), reverse=True)
        assert history[0].time == dt.datetime(2026, 1, 8, tzinfo=_UTC)
        assert history[-1].time == dt.datetime(2026, 1, 5, 9, tzinfo=_UTC)

    def test_records_with_the_same_time_are_latest_stored_first(self, store: Store) -> None:
        """Ties in time are broken by the order of storing: the last stored comes first."""
        person = _person("ties")
        notes = ["first", "second", "third"]
        for note in notes:
            store.append(_check_in(1, note), person_id=person)
        found = [r.record for r in store.history(person)]
        assert [c.note for c in found if isinstance(c, CheckIn)] == notes[::-1]
        latest = store.latest(person, "check-in")
        assert latest is not None
        assert isinstance(latest.record, CheckIn)
        assert latest.record.note == "third"

    def test_history_filters_by_kind(self, store: Store) -> None:
        """``kind`` keeps only records of that kind."""
        person = _person("kind")
        _append_all(store, person)
        for kind in ("assessment", "profile", "plan", "check-in"):
            assert [r.kind for r in store.history(person, kind)] == [kind]

    def test_history_since_is_inclusive_and_until_exclusive(self, store: Store) -> None:
        """``since <= time < until``; a day counts from midnight UTC; aware datetimes work."""
        person = _person("window")
        for day in range(1, 6):
            store.append(_check_in(day), person_id=person)

        def days(**bounds: dt.date) -> list[int]:
            found = store.history(person, **bounds)  # type: ignore[arg-type]
            return [r.time.day for r in found]

        assert days(since=dt.date(2026, 2, 2), until=dt.date(2026, 2, 4)) == [3, 2]
        assert days(since=dt.date(2026, 2, 4)) == [5, 4]
        assert days(until=dt.date(2026, 2, 2)) == [1]
        paris = dt.timezone(dt.timedelta(hours=1))
        since = dt.datetime(2026, 2, 3, 1, 0, tzinfo=paris)  # midnight UTC on the 3rd
        assert [r.time.day for r in store.history(person, since=since)] == [5, 4, 3]
        assert store.history(person, since=dt.date(2026, 3, 1)) == []

    def test_latest_of_an_unknown_person_or_kind_is_none(self, store: Store) -> None:
        """``latest`` returns ``None`` when there is nothing of that kind for the person."""
        person = _person("latest")
        assert store.latest(person, "profile") is None
        store.append(_check_in(1), person_id=person)
        assert store.latest(person, "profile") is None
        assert store.history(_person("nobody")) == []

    def test_people_do_not_see_each_others_records(self, store: Store) -> None:
        """Records belong to one person; identical check-ins of two people are two records."""
        first, second = _person("first"), _person("second")
        a = store.append(_check_in(1), person_id=first)
        b = store.append(_check_in(1), person_id=second)
        assert a != b
        assert [r.id for r in store.history(first)] == [a]
        assert [r.id for r in store.history(second)] == [b]

    def test_the_same_record_twice_is_stored_once(self, store: Store) -> None:
        """Appending is idempotent: the same content gets the same id and one row."""
        person = _person("twice")
        assessment = sample_records(person)[0]
        assert store.append(assessment) == store.append(assessment)
        assert store.append(_check_in(1), person_id=person) == store.append(
            _check_in(1), person_id=person
        )
        assert len(store.history(person)) == 2

    def test_append_many_stores_a_batch_under_the_ids_append_would_give(self, store: Store) -> None:
        """A batch is stored whole, its ids in order, equal to one-by-one appends' ids."""
        person = _person("batch")
        assessment, profile, plan, check_in = sample_records(person)
        batch: list[Any] = [assessment, profile, plan, (check_in, person), assessment]
        ids = store.append_many(batch)
        assert len(ids) == 5
        assert ids[0] == ids[4]  # repeated in the batch: one id, one row
        assert len(store.history(person)) == 4
        again = _person("one-by-one")
        assert store.append_many([]) == []
        with pytest.raises(InvalidRecordError):  # the records belong to `person`
            store.append_many([(assessment, again)])
        assert store.append_many(batch) == ids  # already stored: nothing new
        assert ids[:4] == [
            store.append(assessment),
            store.append(profile),
            store.append(plan),
            store.append(check_in, person_id=person),
        ]
        assert len(store.history(person)) == 4
        assert store.history(again) == []

    def test_a_bad_entry_in_a_batch_stores_nothing_and_every_one_is_named(
        self, store: Store
    ) -> None:
        """One bad entry rejects the whole batch; the error lists each bad entry's position."""
        person = _person("bad-batch")
        assessment, profile, plan, check_in = sample_records(person)
        batch: list[Any] = [assessment, check_in, profile, "note", (plan, _person("x")), plan]
        with pytest.raises(InvalidRecordError) as caught:
            store.append_many(batch)
        assert isinstance(caught.value, ValueError)
        assert [p.split(":")[0] for p in caught.value.problems] == [
            "records[1]",
            "records[3]",
            "records[4]",
        ]
        assert store.history(person) == []

    # -- bad input ---------------------------------------------------------------------

    def test_a_check_in_needs_a_person(self, store: Store) -> None:
        """A check-in has no person of its own: appending it without one is a clear error."""
        with pytest.raises(MissingPersonError, match="person_id=") as caught:
            store.append(_check_in(1))
        assert isinstance(caught.value, ValueError)

    def test_a_person_id_that_does_not_match_the_record_is_refused(self, store: Store) -> None:
        """``person_id`` given with an assessment must be the assessment's own."""
        person = _person("mismatch")
        with pytest.raises(InvalidRecordError, match="belongs to"):
            store.append(sample_records(person)[0], person_id=_person("other"))
        assert store.history(person) == []

    def test_only_records_can_be_appended(self, store: Store) -> None:
        """Anything but the four record kinds is refused with an error that is a ValueError."""
        with pytest.raises(ValueError, match="a store holds"):
            store.append("not a record", person_id="p")  # type: ignore[arg-type]

    def test_unknown_kinds_and_naive_bounds_are_errors(self, store: Store) -> None:
        """Queries name one of the four kinds and use timezone-aware datetimes."""
        with pytest.raises(InvalidRecordError, match="unknown kind 'note'"):
            store.history("p", "note")
        with pytest.raises(InvalidRecordError, match="unknown kind"):
            store.latest("p", "notes")
        with pytest.raises(InvalidRecordError, match="timezone-aware"):
            store.history("p", since=dt.datetime(2026, 1, 1))

    # -- export and import -------------------------------------------------------------

    def test_export_lines_describe_themselves(self, store: Store) -> None:
        """Every export line is one JSON object naming its kind and schema_version."""
        person = _person("export")
        ids = _append_all(store, person)
        lines = store.export(person)
        assert len(lines) == 4
        assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
        parsed = [json.loads(line) for line in lines]
        assert [p["kind"] for p in parsed] == ["assessment", "profile", "plan", "check-in"]
        assert {p["schema_version"] for p in parsed} == {SCHEMA_VERSION}
        assert [p["id"] for p in parsed] == ids
        assert {p["person_id"] for p in parsed} == {person}
        assert all(isinstance(p["record"], dict) for p in parsed)

    def test_export_forget_import_restores_the_same_history(self, store: Store) -> None:
        """Import reads exactly what export writes: ids, records and stored times survive."""
        person = _person("restore")
        _append_all(store, person)
        before = store.history(person)
        lines = store.export(person)
        assert store.forget(person) == 4
        assert store.import_records(lines) == 4
        assert store.history(person) == before
        assert store.export(person) == lines

    def test_import_is_idempotent(self, store: Store) -> None:
        """Importing the same lines again (or records already appended) stores nothing new."""
        person = _person("idempotent")
        _append_all(store, person)
        lines = store.export(person)
        assert store.import_records(lines) == 0
        assert store.import_records("".join(lines)) == 0
        assert store.import_records([line.encode() for line in lines]) == 0
        doubled = [*lines, *lines]
        store.forget(person)
        assert store.import_records(doubled) == 4
        assert len(store.history(person)) == 4

    def test_import_skips_blank_lines_and_accepts_lines_without_envelope_extras(
        self, store: Store
    ) -> None:
        """``id`` and ``stored_at`` are optional on import; blank lines are skipped."""
        person = _person("minimal")
        store.append(_check_in(3), person_id=person)
        full = json.loads(store.export(person)[0])
        store.forget(person)
        minimal = {k: full[k] for k in ("kind", "schema_version", "person_id", "record")}
        assert store.import_records(["", json.dumps(minimal), "   "]) == 1
        (stored,) = store.history(person)
        assert stored.id == full["id"]
        assert stored.record == _check_in(3)

    @pytest.mark.parametrize(
        ("bad_line", "message"),
        [
            ('{"kind": "assessment", "schema_version": 1,', "malformed JSON"),
            ('{"kind": "mood", "schema_version": 1, "person_id": "x", "record": {}}', "mood"),
            ('["a list"]', "expected a JSON object"),
            (
                '{"kind": "check-in", "schema_version": 1, "person_id": "x", "record": {}}',
                "$.step_id",
            ),
            ('{"kind": "check-in", "schema_version": 1, "person_id": "x", "oops": 1}', "oops"),
        ],
    )
    def test_a_bad_line_names_its_number_and_nothing_is_stored(
        self, store: Store, bad_line: str, message: str
    ) -> None:
        """A bad line anywhere rejects the whole batch with its line number."""
        person = _person("bad")
        _append_all(store, person)
        lines = store.export(person)
        store.forget(person)
        batch = [lines[0], lines[1], bad_line, lines[2], lines[3]]
        with pytest.raises(InvalidRecordError) as caught:
            store.import_records(batch)
        assert isinstance(caught.value, ValueError)
        assert "line 3:" in str(caught.value)
        assert message in str(caught.value)
        assert store.history(person) == []

    def test_every_bad_line_is_listed(self, store: Store) -> None:
        """The error lists every bad line, not just the first."""
        person = _person("many-bad")
        store.append(_check_in(1), person_id=person)
        good = store.export(person)[0]
        store.forget(person)
        with pytest.raises(InvalidRecordError) as caught:
            store.import_records([good, "{", good, "nope", good])
        problems = caught.value.problems
        assert [p.split(":")[0] for p in problems] == ["line 2", "line 4"]
        assert store.history(person) == []

    def test_a_newer_schema_version_is_refused_with_its_line(self, store: Store) -> None:
        """A line written by a newer release is a SchemaVersionError naming the line."""
        person = _person("newer")
        store.append(_check_in(1), person_id=person)
        store.append(_check_in(2), person_id=person)
        lines = store.export(person)
        store.forget(person)
        newer = json.loads(lines[1])
        newer["schema_version"] = SCHEMA_VERSION + 1
        with pytest.raises(SchemaVersionError) as caught:
            store.import_records([lines[0], json.dumps(newer)])
        assert isinstance(caught.value, ValueError)
        assert "line 2" in str(caught.value)
        assert store.history(person) == []

    def test_an_import_line_whose_person_does_not_match_its_record_is_refused(
        self, store: Store
    ) -> None:
        """The envelope's person must be the record's own person."""
        person = _person("envelope")
        store.append(sample_records(person)[0])
        line = json.loads(store.export(person)[0])
        store.forget(person)
        line["person_id"] = _person("someone-else")
        with pytest.raises(InvalidRecordError, match="line 1: person_id"):
            store.import_records([json.dumps(line)])
        assert store.history(person) == []

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            # One method runs on each backend's subclass; every example uses a person
            # of its own, so what one backend's run leaves behind cannot affect another.
            HealthCheck.differing_executors,
        ],
    )
    @given(records=st.lists(_records(), min_size=1, max_size=4))
    def test_any_records_survive_append_export_and_import(
        self, store: Store, records: list[Record]
    ) -> None:
        """Whatever the records hold, they read back equal, and export/import keeps them."""
        person = _person("any")
        mine = [
            record if isinstance(record, CheckIn) else attrs.evolve(record, person_id=person)
            for record in records
        ]
        ids = {store.append(record, person_id=person) for record in mine}
        history = store.history(person)
        assert {stored.id for stored in history} == ids
        assert len(history) == len(ids)
        read_back = [stored.record for stored in history]
        assert all(record in read_back for record in mine)
        lines = store.export(person)
        assert store.forget(person) == len(history)
        assert store.import_records(lines) == len(history)
        assert store.history(person) == history

    def test_an_edited_line_whose_id_no_longer_matches_is_refused(self, store: Store) -> None:
        """An export line changed after it was written (its id no longer fits) is refused."""
        person = _person("edited")
        store.append(_check_in(1, note="walked to the shop"), person_id=person)
        store.append(_check_in(2), person_id=person)
        lines = store.export(person)
        store.forget(person)
        edited = lines[1].replace('"outcome":"partly"', '"outcome":"done"')
        assert edited != lines[1]
        with pytest.raises(InvalidRecordError, match="line 2: its id does not match"):
            store.import_records([lines[0], edited])
        assert store.history(person) == []
        without_id = json.loads(edited)
        del without_id["id"]  # stored as it is now, under the id of its new content
        assert store.import_records([lines[0], json.dumps(without_id)]) == 2

    @pytest.mark.parametrize(
        ("bad_value", "message"),
        [
            ("NaN", "NaN is not a JSON number"),
            ("Infinity", "Infinity is not a JSON number"),
            ("-Infinity", "-Infinity is not a JSON number"),
            ("1e999", "the number 1e999 is too large for a float"),
        ],
    )
    def test_numbers_json_cannot_carry_are_refused_on_import(
        self, store: Store, bad_value: str, message: str
    ) -> None:
        """NaN and infinities are not JSON: a line holding one is refused by its number."""
        person = _person("nan")
        store.append(_check_in(1), person_id=person)
        line = store.export(person)[0]
        store.forget(person)
        bad = json.dumps({k: v for k, v in json.loads(line).items() if k != "id"})
        bad = bad.replace('"felt": null', f'"felt": {bad_value}')
        with pytest.raises(InvalidRecordError, match=f"line 2: {message}"):
            store.import_records([line, bad])
        assert store.history(person) == []

    def test_a_key_given_twice_in_a_line_is_refused(self, store: Store) -> None:
        """Which of two equal keys counts is not defined by JSON: such a line is refused."""
        person = _person("twice")
        store.append(_check_in(1), person_id=person)
        line = store.export(person)[0]
        store.forget(person)
        doubled = line.replace('"outcome":"partly"', '"outcome":"partly","outcome":"done"')
        with pytest.raises(InvalidRecordError, match=r"line 1: duplicate key\(s\) 'outcome'"):
            store.import_records([doubled])
        assert store.history(person) == []

    def test_line_separators_inside_text_survive_export_and_import(self, store: Store) -> None:
        """Only a line feed ends a line: U+2028, U+2029 and U+0085 in a note are text."""
        person = _person("separators")
        note = "first\u2028second\u2029third\u0085fourth\x0bfifth\x1cend"
        store.append(_check_in(1, note=note), person_id=person)
        lines = store.export(person)
        store.forget(person)
        for text in (lines, "".join(lines), "".join(lines).encode()):
            assert store.import_records(text) in (0, 1)
        (stored,) = store.history(person)
        assert isinstance(stored.record, CheckIn)
        assert stored.record.note == note

    def test_import_runs_the_given_check_and_names_the_lines_it_refuses(self, store: Store) -> None:
        """``check(record)`` raising a library error refuses that line, by number."""
        person = _person("checked")
        for day in (1, 2, 3):
            store.append(_check_in(day), person_id=person)
        lines = store.export(person)
        store.forget(person)
        seen: list[dt.date] = []

        def no_second_day(record: Record) -> None:
            assert isinstance(record, CheckIn)
            seen.append(record.on)
            if record.on.day == 2:
                raise InvalidRecordError("the check-in", ["the second day is refused"])

        with pytest.raises(InvalidRecordError, match="line 2: the second day is refused"):
            store.import_records(lines, check=no_second_day)
        assert store.history(person) == []
        assert dt.date(2026, 2, 3) in seen  # every line was still read and checked
        assert store.import_records(lines, check=lambda record: None) == 3

    def test_an_import_is_streamed_and_a_late_bad_line_stores_nothing(self, store: Store) -> None:
        """Lines may come from a generator; one bad line at the very end undoes the rest."""
        person = _person("stream")
        consumed: list[int] = []

        def lines(count: int, bad_at: int | None) -> Iterator[str]:
            for n in range(count):
                consumed.append(n)
                if n == bad_at:
                    yield "{not json"
                else:
                    check_in = CheckIn(f"s{n}", dt.date(2026, 3, 1), Outcome.DONE)
                    yield _line(check_in, person)

        with pytest.raises(InvalidRecordError, match="line 1200: malformed JSON"):
            store.import_records(lines(1200, bad_at=1199))
        assert len(consumed) == 1200
        assert store.history(person) == []
        assert store.import_records(lines(1200, bad_at=None)) == 1200
        assert len(store.history(person)) == 1200

    @pytest.mark.parametrize(
        ("lines", "message"),
        [([1, 2], "line 1: expected a line of text, got int"), (5, "not int")],
    )
    def test_what_is_not_lines_is_an_invalid_record_error(
        self, store: Store, lines: object, message: str
    ) -> None:
        """Numbers instead of lines are a library error, not an AttributeError."""
        with pytest.raises(InvalidRecordError, match=message):
            store.import_records(lines)  # type: ignore[arg-type]

    def test_a_lone_surrogate_is_refused_with_a_library_error(self, store: Store) -> None:
        """Text JSON cannot carry (a lone surrogate) never reaches the store."""
        person = _person("surrogate")
        with pytest.raises(ResilienceError):
            store.append(_check_in(1, note="half \ud800 a pair"), person_id=person)
        with pytest.raises(ResilienceError):
            store.append(_check_in(1), person_id=f"{person}\udc00")
        with pytest.raises(InvalidRecordError):
            store.history(f"{person}\udc00")
        store.append(_check_in(1), person_id=person)
        line = store.export(person)[0]
        store.forget(person)
        escaped = json.dumps({k: v for k, v in json.loads(line).items() if k != "id"})
        escaped = escaped.replace('"note": null', '"note": "\\ud800"')
        assert "\\ud800" in escaped
        with pytest.raises(InvalidRecordError, match="line 1"):
            store.import_records([escaped])
        assert store.history(person) == []

    # -- forget and close --------------------------------------------------------------

    def test_forget_removes_every_record_of_the_person(self, store: Store) -> None:
        """After forget, nothing of the person appears in history, latest or export."""
        person, other = _person("forget"), _person("keep")
        _append_all(store, person)
        _append_all(store, other)
        assert store.forget(person) == 4
        assert store.history(person) == []
        for kind in ("assessment", "profile", "plan", "check-in"):
            assert store.latest(person, kind) is None
        assert store.export(person) == []
        assert len(store.history(other)) == 4
        assert store.forget(person) == 0

    # -- erasure receipts ----------------------------------------------------------------

    def test_forget_writes_a_receipt_of_what_it_erased(self, store: Store) -> None:
        """One receipt per forget: when, how many records of each kind, and whose (hashed)."""
        person, other = _person("receipt"), _person("bystander")
        _append_all(store, person)
        store.append(_check_in(2), person_id=person)
        _append_all(store, other)
        known = {receipt.id for receipt in store.erasures()}
        start = dt.datetime.now(_UTC) - dt.timedelta(seconds=1)
        assert store.forget(person) == 5
        end = dt.datetime.now(_UTC) + dt.timedelta(seconds=1)
        (receipt,) = _new_receipts(store, known)
        assert dict(receipt.counts) == {"assessment": 1, "profile": 1, "plan": 1, "check-in": 2}
        assert receipt.total == 5
        assert receipt.before is None
        assert receipt.erased_at.utcoffset() == dt.timedelta(0)
        assert start <= receipt.erased_at <= end
        assert store.erasures(person) == [receipt]
        assert store.erasures(other) == []
        assert len(store.history(other)) == 4

    def test_a_receipt_holds_nothing_of_the_person_or_their_answers(self, store: Store) -> None:
        """Neither the person id nor anything they answered is in a receipt, even hashed plainly.

        Two receipts of the same person share no salt or hash, so they cannot be linked
        without the person id; the store still finds both from the id.
        """
        secret = "Quokka-Zanzibar-4417"
        person = _person(f"id-{secret}")
        assessment, profile, plan, _ = sample_records(person)
        for record in (assessment, profile, plan):
            store.append(record)
        store.append(_check_in(1, note=f"told {secret} about the week"), person_id=person)
        known = {receipt.id for receipt in store.erasures()}
        assert store.forget(person) == 4
        (first,) = _new_receipts(store, known)
        known.add(first.id)
        assert store.forget(person) == 0
        (second,) = _new_receipts(store, known)
        plain_hashes = [
            hashlib.new(name, person.encode()).hexdigest() for name in ("md5", "sha1", "sha256")
        ]
        for receipt in (first, second):
            text = json.dumps(attrs.asdict(receipt), default=str) + repr(receipt)
            for needle in (secret, person, *plain_hashes):
                assert needle.lower() not in text.lower(), needle
        assert first.salt != second.salt
        assert first.person_hash != second.person_hash
        assert [r.id for r in store.erasures(person)] == [first.id, second.id]

    def test_forgetting_someone_never_stored_writes_a_receipt_of_nothing(
        self, store: Store
    ) -> None:
        """A request for a person with no records is still receipted, with zero counts."""
        person = _person("never-stored")
        known = {receipt.id for receipt in store.erasures()}
        assert store.forget(person) == 0
        (receipt,) = _new_receipts(store, known)
        assert dict(receipt.counts) == {"assessment": 0, "profile": 0, "plan": 0, "check-in": 0}
        assert store.erasures(person) == [receipt]

    def test_a_receipt_that_cannot_be_written_erases_nothing(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The receipt is written in the deletion's transaction: if it fails, nothing is erased.

        This holds for forget and for a retention run over several people, where the
        second person's receipt fails after the first one's was made.
        """
        person, other = _person("atomic"), _person("atomic-too")
        _append_all(store, person)
        day = dt.date(1880, 3, 1)
        store.append(_old_check_in(day), person_id=person)
        store.append(_old_check_in(day), person_id=other)
        before = {p: store.history(p) for p in (person, other)}
        known = {receipt.id for receipt in store.erasures()}
        sealed: list[str] = []
        real_seal = Sealer.__call__

        def fail(sealer: Sealer, person_id: str, counts: Mapping[str, int]) -> object:
            sealed.append(person_id)
            if len(sealed) in (1, 3):  # forget's only receipt; the retention run's second
                raise RuntimeError("the audit table is full")
            return real_seal(sealer, person_id, counts)

        monkeypatch.setattr(Sealer, "__call__", fail)
        with pytest.raises(RuntimeError, match="audit table"):
            store.forget(person)
        with pytest.raises(RuntimeError, match="audit table"):
            store.forget_before(day + dt.timedelta(days=1))
        monkeypatch.undo()
        assert len(sealed) == 3  # one for forget, two for the retention run
        assert {p: store.history(p) for p in (person, other)} == before
        assert _new_receipts(store, known) == []
        assert store.forget_before(day + dt.timedelta(days=1)) == 2
        assert store.forget(person) == 4

    def test_receipts_add_up_to_everything_erased_while_others_append(self, store: Store) -> None:
        """Forgetting while threads append: every record is in exactly one receipt's count."""
        person = _person("race")
        known = {receipt.id for receipt in store.erasures()}
        errors: list[BaseException] = []
        erased: list[int] = []

        def append(thread: int) -> None:
            try:
                for n in range(20):
                    store.append(
                        CheckIn(f"r{thread}", dt.date(2026, 4, 1 + n), Outcome.DONE),
                        person_id=person,
                    )
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        def forget() -> None:
            try:
                for _ in range(5):
                    erased.append(store.forget(person))
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=append, args=(t,)) for t in range(4)]
        threads.append(threading.Thread(target=forget))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        erased.append(store.forget(person))
        assert store.history(person) == []
        mine = store.erasures(person)
        assert {r.id for r in mine} == {r.id for r in _new_receipts(store, known)}
        assert [r.total for r in mine] == erased
        assert sum(erased) == 80

    # -- retention ---------------------------------------------------------------------

    def test_forget_before_erases_older_records_with_one_receipt_per_person(
        self, store: Store
    ) -> None:
        """Records before the cutoff go, of everyone; each person who lost some gets a receipt."""
        old, mixed, recent = _person("old"), _person("mixed"), _person("recent")
        cutoff = dt.datetime(1903, 1, 1, tzinfo=_UTC)
        store.append(_old_check_in(dt.date(1901, 1, 1)), person_id=old)
        store.append(_old_check_in(dt.date(1901, 1, 2)), person_id=old)
        store.append(_old_check_in(dt.date(1901, 5, 1)), person_id=mixed)
        store.append(Assessment(mixed, dt.datetime(1902, 12, 31, 23, 59, tzinfo=_UTC), {}))
        store.append(_old_check_in(dt.date(1904, 1, 1)), person_id=mixed)
        store.append(_old_check_in(dt.date(1903, 1, 1)), person_id=recent)  # at the cutoff
        known = {receipt.id for receipt in store.erasures()}
        assert store.forget_before(cutoff) == 4
        assert store.history(old) == []
        assert [r.time.year for r in store.history(mixed)] == [1904]
        assert [r.time for r in store.history(recent)] == [cutoff]
        new = _new_receipts(store, known)
        assert len(new) == 2
        assert all(receipt.before == cutoff for receipt in new)
        (of_old,) = store.erasures(old)
        (of_mixed,) = store.erasures(mixed)
        assert _counts(of_old) == {"check-in": 2}
        assert _counts(of_mixed) == {"check-in": 1, "assessment": 1}
        assert store.erasures(recent) == []
        known.update(receipt.id for receipt in new)
        assert store.forget_before(dt.date(1903, 1, 1)) == 0  # a day counts from midnight UTC
        assert _new_receipts(store, known) == []
        for person in (mixed, recent):
            store.forget(person)

    def test_erasures_hash_their_receipts_before_they_hold_the_store(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The slow hash of each receipt runs before an erasure takes the store's lock.

        While ``forget`` or a retention run computes its receipts' hashes (milliseconds
        each), another thread can still read the store; only the deletion itself makes
        others wait.
        """
        people = [_person("slow-hash") for _ in range(3)]
        day = dt.date(1866, 6, 1)
        for person in people:
            store.append(_old_check_in(day), person_id=person)
        real = _erasure.hash_person
        answered: list[bool] = []

        def probed(person_id: str, salt: str, **options: object) -> tuple[str, str]:
            done = threading.Event()

            def probe() -> None:
                store.history(people[0])
                done.set()

            threading.Thread(target=probe, daemon=True).start()
            answered.append(done.wait(timeout=2.0))
            return real(person_id, salt, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(_erasure, "hash_person", probed)
        assert store.forget_before(day + dt.timedelta(days=1)) == len(people)
        assert answered == [True] * len(people)
        assert store.forget(people[0]) == 0
        monkeypatch.undo()
        assert answered == [True] * (len(people) + 1)
        assert [r.total for r in store.erasures(people[1])] == [1]

    def test_forget_before_needs_an_aware_datetime_or_a_day(self, store: Store) -> None:
        """A naive cutoff has no known instant, so it is refused like a naive history bound."""
        with pytest.raises(InvalidRecordError, match="timezone-aware"):
            store.forget_before(dt.datetime(1903, 1, 1))
        with pytest.raises(InvalidRecordError, match="forget_before cutoff"):
            store.forget_before("1903-01-01")  # type: ignore[arg-type]

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.differing_executors,
        ],
    )
    @given(
        days=st.lists(st.tuples(st.booleans(), st.integers(0, 40)), max_size=8),
        cut=st.integers(0, 41),
    )
    def test_forget_before_removes_exactly_the_records_before_the_cutoff(
        self, store: Store, days: list[tuple[bool, int]], cut: int
    ) -> None:
        """Whatever the days, exactly the older records go, and the receipts count them."""
        people = (_person("retain-a"), _person("retain-b"))
        start = dt.date(1850, 1, 1)
        cutoff = start + dt.timedelta(days=cut)
        ids: dict[str, set[str]] = {person: set() for person in people}
        older: dict[str, set[str]] = {person: set() for person in people}
        for n, (second, offset) in enumerate(days):
            person, day = people[second], start + dt.timedelta(days=offset)
            record_id = store.append(_old_check_in(day, f"s{n}"), person_id=person)
            ids[person].add(record_id)
            if day < cutoff:
                older[person].add(record_id)
        known = {receipt.id for receipt in store.erasures()}
        removed = sum(len(found) for found in older.values())
        assert store.forget_before(cutoff) == removed
        for person in people:
            left = store.history(person)
            assert {r.id for r in left} == ids[person] - older[person]
            assert all(r.time.date() >= cutoff for r in left)
        new = _new_receipts(store, known)
        assert sorted(r.total for r in new) == sorted(len(f) for f in older.values() if f)
        assert all(_counts(r) == {"check-in": r.total} and r.before is not None for r in new)
        for person in people:
            store.forget(person)

    def test_threads_can_share_a_store(self, store: Store) -> None:
        """Eight threads appending at once lose nothing and duplicate nothing."""
        person = _person("threads")
        errors: list[BaseException] = []

        def work(thread: int) -> None:
            try:
                for n in range(25):
                    store.append(
                        CheckIn(f"t{thread}", dt.date(2026, 3, 1 + n), Outcome.DONE),
                        person_id=person,
                    )
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(store.history(person)) == 200

    def test_a_closed_store_raises_storage_error(self, store: Store) -> None:
        """Using a closed store is a StorageError; closing again is harmless."""
        store.close()
        store.close()
        with pytest.raises(StorageError):
            store.append(_check_in(1), person_id="p")
        with pytest.raises(StorageError):
            store.history("p")
        with pytest.raises(StorageError):
            store.import_records([])

    def test_the_context_manager_closes_the_store(self, store: Store) -> None:
        """``with store:`` closes it on the way out."""
        with store as entered:
            assert entered is store
        with pytest.raises(StorageError):
            store.latest("p", "plan")
