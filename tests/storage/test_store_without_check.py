"""Engine imports into a third-party store whose ``import_records`` has no ``check=``.

``LegacyStore`` is written the way a plugin author wrote a store before ``check`` was part
of the contract: its own class, every method of the protocol, an ``import_records(lines)``
that stores whatever it is given (it keeps its records in a real SQLite file through the
library's store underneath, as a wrapper adding, say, auditing would). The engine must
check every line for it before it sees any, and keep the built-in stores on their single
pass.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

import resilience as rs
from resilience.storage import Store, import_checked, open_store, takes_import_check
from resilience.storage import _records as records_module

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 1, 5, tzinfo=UTC)
GOOD = {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}}


class LegacyStore:
    """A store from before ``check=``: it counts what it is handed and stores it all."""

    def __init__(self, url: str) -> None:
        self._inner = open_store(url)
        self.imports: list[int] = []  # how many lines each import_records call was given

    def append(self, record: Any, *, person_id: str | None = None) -> str:
        return self._inner.append(record, person_id=person_id)

    def append_many(self, records: Iterable[Any]) -> list[str]:
        return self._inner.append_many(records)

    def history(
        self, person_id: str, kind: str | None = None, since: Any = None, until: Any = None
    ) -> Any:
        return self._inner.history(person_id, kind, since, until)

    def latest(self, person_id: str, kind: str) -> Any:
        return self._inner.latest(person_id, kind)

    def export(self, person_id: str) -> list[str]:
        return self._inner.export(person_id)

    def import_records(self, lines: Iterable[str | bytes] | str | bytes) -> int:
        given = list(lines)  # type: ignore[arg-type]
        self.imports.append(len(given))
        return self._inner.import_records(given)

    def forget(self, person_id: str) -> int:
        return self._inner.forget(person_id)

    def forget_before(self, cutoff: Any) -> int:
        return self._inner.forget_before(cutoff)

    def erasures(self, person_id: str | None = None) -> Any:
        return self._inner.erasures(person_id)

    def close(self) -> None:
        self._inner.close()

    def __enter__(self) -> LegacyStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ForwardingStore(LegacyStore):
    """Forwards ``**kwargs``: whether it takes ``check`` is unknown, so it is not assumed."""

    def import_records(self, lines: Any, **options: Any) -> int:  # type: ignore[override]
        if options:
            raise TypeError(f"unexpected options {sorted(options)}")
        return super().import_records(lines)


def _lines(tmp_path: Path) -> list[str]:
    """An export of one person: a good assessment, a check-in with a U+2028 note, one
    assessment the engine refuses (an answer off the scale), one to an unknown instrument.
    A plain store keeps them all: only an engine checks answers."""
    with open_store(f"sqlite:///{tmp_path / 'source.db'}") as source:
        source.append(rs.Assessment("p-1", WHEN, GOOD))
        source.append(
            rs.CheckIn("s1", dt.date(2026, 1, 6), "done", note="line\u2028sep"), person_id="p-1"
        )
        source.append(rs.Assessment("p-1", WHEN, {"ucla-3": {"ucla-1": 99}}))
        source.append(rs.Assessment("p-1", WHEN, {"phq-9": {"q1": 2}}))
        return source.export("p-1")


@pytest.fixture
def legacy(tmp_path: Path) -> Iterator[LegacyStore]:
    with LegacyStore(f"sqlite:///{tmp_path / 'legacy.db'}") as store:
        yield store


def test_the_store_declares_no_check_and_still_satisfies_the_protocol(
    legacy: LegacyStore,
) -> None:
    assert isinstance(legacy, Store)
    assert not takes_import_check(legacy)
    assert not takes_import_check(ForwardingStore("memory://"))
    assert takes_import_check(open_store("memory://"))


def test_refused_lines_never_reach_a_store_without_check(
    legacy: LegacyStore, tmp_path: Path
) -> None:
    lines = _lines(tmp_path)
    engine = rs.Engine(load_installed=False, store=legacy)
    before = legacy.export("p-1")
    with pytest.raises(rs.InvalidRecordError) as caught:
        engine.import_records(lines)
    message = str(caught.value)
    assert "line 3:" in message
    assert "out-of-range" in message
    assert "line 4:" in message
    assert "phq-9" in message
    assert "line 1:" not in message
    assert legacy.imports == []  # the store was never handed a line
    assert legacy.export("p-1") == before == []


def test_lines_that_pass_are_stored_exactly_as_exported(
    legacy: LegacyStore, tmp_path: Path
) -> None:
    good = _lines(tmp_path)[:2]
    engine = rs.Engine(load_installed=False, store=legacy)
    assert engine.import_records(good) == 2
    assert legacy.imports == [2]
    assert legacy.export("p-1") == good  # ids, stored_at and the U+2028 note kept
    assert engine.import_records(good) == 0


def test_an_open_file_is_read_once_for_a_store_without_check(
    legacy: LegacyStore, tmp_path: Path
) -> None:
    good = _lines(tmp_path)[:2]
    path = tmp_path / "export.jsonl"
    path.write_text("".join(good), encoding="utf-8")
    engine = rs.Engine(load_installed=False, store=legacy)
    with path.open("rb") as file:  # a single pass: it cannot be read again
        assert engine.import_records(file) == 2
    assert legacy.export("p-1") == good


def test_a_newer_schema_version_is_refused_before_the_store_sees_it(
    legacy: LegacyStore, tmp_path: Path
) -> None:
    first, second = _lines(tmp_path)[:2]
    newer = json.loads(second)
    newer["schema_version"] = 99
    engine = rs.Engine(load_installed=False, store=legacy)
    with pytest.raises(rs.SchemaVersionError):
        engine.import_records([first, json.dumps(newer)])
    assert legacy.imports == []


def test_a_forwarding_store_gets_checked_lines_and_no_check(tmp_path: Path) -> None:
    with ForwardingStore(f"sqlite:///{tmp_path / 'fwd.db'}") as store:
        engine = rs.Engine(load_installed=False, store=store)
        assert engine.import_records(_lines(tmp_path)[:2]) == 2
        assert store.imports == [2]


def test_a_check_that_would_replace_a_record_refuses_its_line_without_check(
    legacy: LegacyStore, tmp_path: Path
) -> None:
    lines = _lines(tmp_path)[:2]

    def marks(record: Any) -> Any:
        if isinstance(record, rs.Assessment):
            return rs.Assessment(record.person_id, record.taken_at, {}, unchecked={"x"})
        return None

    with pytest.raises(rs.InvalidRecordError, match="line 1: the check replaced the record"):
        import_checked(legacy, lines, check=marks)
    assert legacy.imports == []


def test_built_in_stores_stay_on_the_single_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_precheck(*args: object, **kwargs: object) -> None:
        raise AssertionError("a built-in store was pre-checked")

    monkeypatch.setattr(records_module, "precheck_lines", no_precheck)
    lines = _lines(tmp_path)
    with rs.Engine(load_installed=False, store=f"sqlite:///{tmp_path / 'x.db'}") as engine:
        with pytest.raises(rs.InvalidRecordError, match="line 3:"):
            engine.import_records(lines)
        assert engine.import_records(lines[:2]) == 2
