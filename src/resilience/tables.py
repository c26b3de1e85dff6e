"""Scores and strengths as CSV, for spreadsheets, statistics packages and reports.

Two tables, each from profiles (:class:`~resilience.ResilienceProfile` values, or
:class:`~resilience.storage.StoredRecord` values from a store's ``history``; stored records
of other kinds are skipped, so a whole history can be passed):

* :func:`scores_csv` — one row per profile and instrument, with the total, band, every
  subscale and its band, the items left unanswered, and the provenance needed to trust a
  number later (instrument version and scoring-key hash);
* :func:`strengths_csv` — one row per pillar and capacity of each profile, with its
  strength (0–100, higher is stronger; empty when there was no evidence) and the evidence
  behind it.

Every row also carries the profile's ``flags`` (their values separated by spaces, e.g.
``support-advised``: the person should be pointed to professional or community support),
so a spreadsheet shows them next to the numbers.

Both are RFC 4180 CSV written by the :mod:`csv` module: a header row, commas, fields
quoted when needed, ``CRLF`` line ends. Columns come in a stable order; numbers are
written as Python writes floats (``5.0``), so they read back exactly; a missing value is
an empty field. Write the text to a file opened with ``newline=""``.

**Spreadsheet formulas.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula, so a person id such as ``=HYPERLINK(…)`` could act when the file
is opened. By default (``spreadsheet_safe=True``) every text field that starts with one of
those characters, a tab or a carriage return gets a single quote ``'`` in front, which
spreadsheets show as text. The numbers the export writes itself (totals, subscales,
strengths, evidence) are never changed. Pass ``spreadsheet_safe=False`` when the file is
read by a program rather than a spreadsheet and the values must come back unchanged.

Example:
    >>> import csv, datetime as dt, io, resilience as rs
    >>> engine = rs.Engine(load_installed=False)
    >>> profile = engine.profile(rs.Assessment(
    ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
    ...     {"ucla-3": {"ucla-1": 1, "ucla-2": 2, "ucla-3": 1}}))
    >>> row, = csv.DictReader(io.StringIO(scores_csv([profile])))
    >>> row["instrument_id"], row["total"], row["missing"], row["flags"]
    ('ucla-3', '4.0', '', '')
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from resilience.errors import InvalidRecordError
from resilience.model.profile import ResilienceProfile
from resilience.model.taxonomy import Capacity, Pillar

if TYPE_CHECKING:
    from resilience.storage._records import StoredRecord

__all__ = ["FORMULA_STARTS", "SCORE_COLUMNS", "STRENGTH_COLUMNS", "scores_csv", "strengths_csv"]

#: The first characters that make a spreadsheet read a cell as a formula; with
#: ``spreadsheet_safe=True`` a text field starting with one gets a ``'`` in front.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: The first columns of :func:`scores_csv`, always present, in this order. The subscale
#: columns ``subscale:<id>`` and ``subscale_band:<id>`` follow, by subscale id.
SCORE_COLUMNS: tuple[str, ...] = (
    "person_id",
    "assessed_at",
    "flags",
    "instrument_id",
    "version",
    "key_hash",
    "total",
    "band",
    "missing",
)

#: The columns of :func:`strengths_csv`, in this order.
STRENGTH_COLUMNS: tuple[str, ...] = (
    "person_id",
    "assessed_at",
    "flags",
    "target_kind",
    "target",
    "strength",
    "evidence",
)


def _profiles(records: Iterable[StoredRecord | ResilienceProfile]) -> list[ResilienceProfile]:
    profiles: list[ResilienceProfile] = []
    problems: list[str] = []
    for number, item in enumerate(records, start=1):
        if isinstance(item, ResilienceProfile):
            profiles.append(item)
            continue
        record = getattr(item, "record", None)
        if isinstance(record, ResilienceProfile):
            profiles.append(record)
        elif record is None or not isinstance(getattr(item, "kind", None), str):
            problems.append(
                f"item {number}: expected a ResilienceProfile or a StoredRecord, "
                f"not {type(item).__name__}"
            )
    if problems:
        raise InvalidRecordError("the CSV export", problems)
    return profiles


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def _flags(profile: ResilienceProfile) -> str:
    return " ".join(sorted(flag.value for flag in profile.flags))


def _write(
    columns: Sequence[str],
    rows: Iterable[dict[str, str]],
    file: TextIO | None,
    *,
    numeric: Callable[[str], bool],
    spreadsheet_safe: bool,
) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        if spreadsheet_safe:
            row = {
                column: f"'{value}"
                if value.startswith(FORMULA_STARTS) and not numeric(column)
                else value
                for column, value in row.items()
            }
        writer.writerow(row)
    text = buffer.getvalue()
    if file is not None:
        file.write(text)
    return text


def scores_csv(
    records: Iterable[StoredRecord | ResilienceProfile],
    *,
    file: TextIO | None = None,
    spreadsheet_safe: bool = True,
) -> str:
    """One CSV row per (profile, instrument score), with subscales, bands and missing items.

    Columns: :data:`SCORE_COLUMNS` (``flags`` lists the profile's flags and ``missing``
    the unanswered item ids, each separated by spaces), then ``subscale:<id>`` and
    ``subscale_band:<id>`` for every subscale id that any row has, ordered by id; a row
    without that subscale (another instrument, or too many missing items) leaves them
    empty. Rows follow the profiles in the order given, and each profile's instruments by
    id.

    Args:
        records: Profiles, or stored records (those of other kinds are skipped).
        file: Also write the text to this file (open it with ``newline=""``).
        spreadsheet_safe: Put a ``'`` in front of every text field that a spreadsheet
            would run as a formula (see the module documentation); numbers are never
            changed.

    Returns:
        The CSV text, header first.

    Raises:
        InvalidRecordError: an item is neither a profile nor a stored record.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> profile = engine.profile(rs.Assessment(
        ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...     {"brs": {"brs-1": 4, "brs-2": 2, "brs-3": 4, "brs-4": 2, "brs-5": 3}}))
        >>> print(scores_csv([profile]).splitlines()[1])  # doctest: +ELLIPSIS
        p-1,2026-01-05T00:00:00+00:00,,brs,1,...,3.8,...,brs-6
        >>> import attrs  # a person id that a spreadsheet would run as a formula:
        >>> risky = attrs.evolve(profile, person_id="=1+2", flags={rs.Flag.SUPPORT_ADVISED})
        >>> print(scores_csv([risky]).splitlines()[1])  # doctest: +ELLIPSIS
        '=1+2,2026-01-05T00:00:00+00:00,support-advised,brs,1,...
    """
    profiles = _profiles(records)
    subscales = sorted(
        {sub for p in profiles for score in p.scores.values() for sub in score.subscales}
    )
    columns = [*SCORE_COLUMNS]
    for sub in subscales:
        columns += [f"subscale:{sub}", f"subscale_band:{sub}"]
    rows: list[dict[str, str]] = []
    for profile in profiles:
        for instrument_id in sorted(profile.scores):
            score = profile.scores[instrument_id]
            row = {
                "person_id": profile.person_id,
                "assessed_at": profile.assessed_at.isoformat(),
                "flags": _flags(profile),
                "instrument_id": score.instrument_id,
                "version": score.version,
                "key_hash": score.key_hash,
                "total": _number(score.total),
                "band": score.band or "",
                "missing": " ".join(score.missing),
            }
            for sub in subscales:
                row[f"subscale:{sub}"] = _number(score.subscales.get(sub))
                row[f"subscale_band:{sub}"] = score.subscale_bands.get(sub, "")
            rows.append(row)
    return _write(
        columns,
        rows,
        file,
        numeric=lambda column: column == "total" or column.startswith("subscale:"),
        spreadsheet_safe=spreadsheet_safe,
    )


def strengths_csv(
    records: Iterable[StoredRecord | ResilienceProfile],
    *,
    file: TextIO | None = None,
    spreadsheet_safe: bool = True,
) -> str:
    """One CSV row per pillar and capacity of each profile: its strength and evidence.

    Columns: :data:`STRENGTH_COLUMNS`. ``flags`` lists the profile's flags separated by
    spaces (``support-advised``: point the person to professional or community support);
    ``target_kind`` is ``pillar`` or ``capacity``, ``target`` the pillar's or capacity's
    value (``belonging``, ``stay-grounded``, …); ``strength`` is 0–100 (higher is
    stronger), empty when nothing spoke to it, and ``evidence`` is the total weight behind
    it. Rows follow the profiles in the order given; within a profile, the pillars and
    then the capacities in the taxonomy's order.

    Args:
        records: Profiles, or stored records (those of other kinds are skipped).
        file: Also write the text to this file (open it with ``newline=""``).
        spreadsheet_safe: Put a ``'`` in front of every text field that a spreadsheet
            would run as a formula (see the module documentation); numbers are never
            changed.

    Returns:
        The CSV text, header first.

    Raises:
        InvalidRecordError: an item is neither a profile nor a stored record.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> engine = rs.Engine(load_installed=False)
        >>> profile = engine.profile(rs.Assessment(
        ...     "p-1", dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc),
        ...     {"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 1}}))
        >>> print(strengths_csv([profile]).splitlines()[1])
        p-1,2026-01-05T00:00:00+00:00,,pillar,co-regulation,100.0,1.0
    """
    rows: list[dict[str, str]] = []
    for profile in _profiles(records):
        assessed_at = profile.assessed_at.isoformat()
        flags = _flags(profile)
        targets: list[tuple[str, Pillar | Capacity, float | None, float]] = []
        for pillar in Pillar:
            if pillar in profile.pillars:
                found = profile.pillars[pillar]
                targets.append(("pillar", pillar, found.strength, found.evidence))
        for capacity in Capacity:
            if capacity in profile.capacities:
                known = profile.capacities[capacity]
                targets.append(("capacity", capacity, known.strength, known.evidence))
        for kind, target, strength, evidence in targets:
            rows.append(
                {
                    "person_id": profile.person_id,
                    "assessed_at": assessed_at,
                    "flags": flags,
                    "target_kind": kind,
                    "target": target.value,
                    "strength": _number(strength),
                    "evidence": _number(evidence),
                }
            )
    return _write(
        STRENGTH_COLUMNS,
        rows,
        file,
        numeric=lambda column: column in ("strength", "evidence"),
        spreadsheet_safe=spreadsheet_safe,
    )
