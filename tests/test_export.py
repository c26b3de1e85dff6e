"""CSV export of scores and strengths: columns, numbers that read back exactly, RFC 4180."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.errors import InvalidRecordError
from resilience.storage import open_store
from resilience.tables import (
    FORMULA_STARTS,
    SCORE_COLUMNS,
    STRENGTH_COLUMNS,
    scores_csv,
    strengths_csv,
)
from resilience.testing import strategies

UTC = dt.timezone.utc
ENGINE = rs.Engine(load_installed=False)


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def written(text: str, *, safe: bool = False) -> str:
    """How the export writes a text field: with a ``'`` in front of a formula, if safe."""
    return f"'{text}" if safe and text.startswith(FORMULA_STARTS) else text


def flags(profile: rs.ResilienceProfile) -> list[str]:
    return sorted(flag.value for flag in profile.flags)


def assessment(person: str, day: int, brs_6: int | None = 3) -> rs.Assessment:
    mspss = {f"mspss-{n}": 1 + (n % 7) for n in range(1, 13)}
    brs = {"brs-1": 4, "brs-2": 2, "brs-3": 5, "brs-4": 1, "brs-5": 3, "brs-6": brs_6}
    return rs.Assessment(
        person,
        dt.datetime(2026, 3, day, 9, 30, tzinfo=UTC),
        {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": day % 3 + 1}, "brs": brs, "mspss": mspss},
    )


@pytest.fixture
def profiles() -> list[rs.ResilienceProfile]:
    """Two profiles of p-1 (the second with an unanswered BRS item) and one of p-2."""
    return [
        ENGINE.profile(assessment("p-1", 2)),
        ENGINE.profile(assessment("p-1", 9, brs_6=None)),
        ENGINE.profile(assessment("p-2", 4)),
    ]


def check_scores(
    rows: list[dict[str, str]], profiles: list[rs.ResilienceProfile], *, safe: bool = False
) -> None:
    """Every row is its (profile, instrument), and every number reads back exactly."""
    expected = [(p, p.scores[i]) for p in profiles for i in sorted(p.scores)]
    assert len(rows) == len(expected)
    for row, (profile, score) in zip(rows, expected, strict=True):
        assert row["person_id"] == written(profile.person_id, safe=safe)
        assert dt.datetime.fromisoformat(row["assessed_at"]) == profile.assessed_at
        assert row["flags"].split() == flags(profile)
        assert row["instrument_id"] == written(score.instrument_id, safe=safe)
        assert row["version"] == written(score.version, safe=safe)
        assert row["key_hash"] == written(score.key_hash, safe=safe)
        assert float(row["total"]) == score.total
        assert row["band"] == written(score.band or "", safe=safe)
        assert row["missing"] == written(" ".join(score.missing), safe=safe)
        for column, value in row.items():
            if column.startswith("subscale:"):
                assert number(value) == score.subscales.get(column.removeprefix("subscale:"))
            elif column.startswith("subscale_band:"):
                sub = column.removeprefix("subscale_band:")
                assert value == written(score.subscale_bands.get(sub, ""), safe=safe)


def test_scores_from_a_real_store_read_back_exactly(
    tmp_path: Path, profiles: list[rs.ResilienceProfile]
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'people.db'}") as store:
        for profile in profiles:
            store.append(profile)
        store.append(assessment("p-1", 2))  # not a profile: skipped
        store.append(rs.CheckIn("s1", dt.date(2026, 3, 3), rs.Outcome.DONE), person_id="p-1")
        history = store.history("p-1")[::-1]  # oldest first
    assert [r.kind for r in history] == ["profile", "assessment", "check-in", "profile"]
    text = scores_csv(history)
    rows = read(text)
    check_scores(rows, profiles[:2])
    assert [r["instrument_id"] for r in rows] == ["brs", "mspss", "ucla-3"] * 2
    brs = [r for r in rows if r["instrument_id"] == "brs"]
    assert [r["missing"] for r in brs] == ["", "brs-6"]
    # The numbers are really there, not just copied around: BRS is the mean of its items
    # after reverse keys (4, 4, 5, 5, 3, 3 → 4.0; without brs-6 → 4.2).
    assert [float(r["total"]) for r in brs] == [4.0, 4.2]
    mspss = next(r for r in rows if r["instrument_id"] == "mspss")
    assert {c for c in mspss if c.startswith("subscale")} == {
        f"{prefix}:{sub}"
        for prefix in ("subscale", "subscale_band")
        for sub in ("family", "friends", "significant-other")
    }
    assert all(mspss[f"subscale:{sub}"] != "" for sub in ("family", "friends"))
    assert rows[2]["subscale:family"] == ""  # ucla-3 has no subscales


def test_scores_columns_are_stable_and_the_text_is_rfc_4180(
    profiles: list[rs.ResilienceProfile],
) -> None:
    text = scores_csv(profiles)
    header = text.split("\r\n", 1)[0].split(",")
    assert tuple(header[: len(SCORE_COLUMNS)]) == SCORE_COLUMNS
    subscale_columns = header[len(SCORE_COLUMNS) :]
    ids = [c.removeprefix("subscale:") for c in subscale_columns[::2]]
    assert ids == sorted(ids)
    assert subscale_columns[1::2] == [f"subscale_band:{i}" for i in ids]
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert scores_csv(list(reversed(profiles))).split("\r\n", 1)[0] == ",".join(header)
    assert scores_csv([]) == ",".join(SCORE_COLUMNS) + "\r\n"


def test_awkward_text_is_quoted_and_reads_back() -> None:
    person = 'Ana, "the quiet one"\nfrom 4B'
    profile = ENGINE.profile(attrs.evolve(assessment("x", 5), person_id=person))
    for text in (scores_csv([profile]), strengths_csv([profile])):
        assert '"Ana, ""the quiet one""\nfrom 4B"' in text
        assert {row["person_id"] for row in read(text)} == {person}


def test_file_gets_the_same_text(tmp_path: Path, profiles: list[rs.ResilienceProfile]) -> None:
    path = tmp_path / "scores.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        text = scores_csv(profiles, file=file)
    assert path.read_bytes() == text.encode()
    buffer = io.StringIO()
    assert strengths_csv(profiles, file=buffer) == buffer.getvalue()


def check_strengths(
    rows: list[dict[str, str]], profiles: list[rs.ResilienceProfile], *, safe: bool = False
) -> None:
    """One row per pillar, then capacity, of each profile, with its strength and evidence."""
    assert [list(row) for row in rows[:1]] == [list(STRENGTH_COLUMNS)] * min(1, len(rows))
    per_profile = len(rs.Pillar) + len(rs.Capacity)
    assert len(rows) == per_profile * len(profiles)
    for n, profile in enumerate(profiles):
        mine = rows[n * per_profile : (n + 1) * per_profile]
        assert [r["target"] for r in mine] == [t.value for t in (*rs.Pillar, *rs.Capacity)]
        kinds = ["pillar"] * len(rs.Pillar) + ["capacity"] * len(rs.Capacity)
        assert [r["target_kind"] for r in mine] == kinds
        for row in mine:
            assert row["person_id"] == written(profile.person_id, safe=safe)
            assert dt.datetime.fromisoformat(row["assessed_at"]) == profile.assessed_at
            assert row["flags"].split() == flags(profile)
            found: rs.PillarScore | rs.CapacityScore
            if row["target_kind"] == "pillar":
                found = profile.pillars[rs.Pillar(row["target"])]
            else:
                found = profile.capacities[rs.Capacity(row["target"])]
            assert number(row["strength"]) == found.strength
            assert float(row["evidence"]) == found.evidence


def test_strengths_have_one_row_per_pillar_and_capacity(
    profiles: list[rs.ResilienceProfile],
) -> None:
    rows = read(strengths_csv(profiles))
    check_strengths(rows, profiles)
    assert any(r["strength"] == "" for r in rows)  # unknown stays empty, never 0
    assert any(r["strength"] not in ("", "0.0") for r in rows)
    belonging = [r for r in rows if r["target"] == "belonging"]
    assert [number(r["strength"]) for r in belonging] == [
        p.pillars[rs.Pillar.BELONGING].strength for p in profiles
    ]


def test_something_else_than_profiles_is_refused() -> None:
    with pytest.raises(InvalidRecordError, match="item 2: expected a ResilienceProfile"):
        scores_csv([ENGINE.profile(assessment("p", 1)), assessment("p", 1)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="item 1"):
        strengths_csv(["p-1"])  # type: ignore[list-item]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(strategies.profiles(), st.lists(strategies.instrument_scores(), max_size=3)),
        max_size=3,
    )
)
def test_any_profiles_read_back_exactly(
    drawn: list[tuple[rs.ResilienceProfile, list[rs.InstrumentScore]]],
) -> None:
    profiles = [
        attrs.evolve(profile, scores={s.instrument_id: s for s in scores})
        for profile, scores in drawn
    ]
    check_scores(read(scores_csv(profiles, spreadsheet_safe=False)), profiles)
    check_strengths(read(strengths_csv(profiles, spreadsheet_safe=False)), profiles)
    check_scores(read(scores_csv(profiles)), profiles, safe=True)
    check_strengths(read(strengths_csv(profiles)), profiles, safe=True)


# -- spreadsheets: formulas and flags -------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_a_spreadsheet_would_run_gets_a_quote_in_front(start: str) -> None:
    person = f'{start}HYPERLINK("http://example.test", "open")'
    profile = ENGINE.profile(attrs.evolve(assessment("x", 5), person_id=person))
    for write in (scores_csv, strengths_csv):
        rows = read(write([profile]))
        assert {row["person_id"] for row in rows} == {f"'{person}"}
        raw = read(write([profile], spreadsheet_safe=False))
        assert {row["person_id"] for row in raw} == {person}
        # Nothing else changes: the numbers and the other fields are the same either way.
        for safe_row, raw_row in zip(rows, raw, strict=True):
            assert {k: v for k, v in safe_row.items() if k != "person_id"} == {
                k: v for k, v in raw_row.items() if k != "person_id"
            }


def test_every_text_column_is_guarded_and_no_number_is() -> None:
    profile = ENGINE.profile(assessment("p-1", 2))
    (score_id, score), *_ = sorted(profile.scores.items())
    risky_score = attrs.evolve(
        score, version="=1", key_hash="+cmd", band="@band", missing=("-item",)
    )
    risky = attrs.evolve(profile, person_id="-p", scores={score_id: risky_score})
    (row,) = read(scores_csv([risky]))
    assert (row["person_id"], row["version"], row["key_hash"], row["band"]) == (
        "'-p",
        "'=1",
        "'+cmd",
        "'@band",
    )
    assert row["missing"] == "'-item"
    assert float(row["total"]) == score.total
    for row in read(strengths_csv([risky])):
        assert row["person_id"] == "'-p"
        assert not row["strength"].startswith("'")
        assert not row["evidence"].startswith("'")
    assert "'" not in scores_csv([profile])  # ordinary values are left alone


def test_the_flags_column_shows_when_support_is_advised() -> None:
    profile = ENGINE.profile(assessment("p-1", 2))
    advised = attrs.evolve(profile, flags={rs.Flag.SUPPORT_ADVISED})
    scores = read(scores_csv([profile, advised]))
    assert {r["flags"] for r in scores[: len(profile.scores)]} == {""}
    assert {r["flags"] for r in scores[len(profile.scores) :]} == {"support-advised"}
    strengths = read(strengths_csv([advised]))
    assert {r["flags"] for r in strengths} == {"support-advised"}
    assert SCORE_COLUMNS.index("flags") == STRENGTH_COLUMNS.index("flags") == 2
