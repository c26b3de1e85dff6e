"""Hypothesis strategies for every public type, for property tests and plugin authors.

Needs the ``test`` extra (hypothesis). Each strategy builds only *valid* values, so a
property such as "``from_json(to_json(x)) == x``" or "a scoring rule never raises on a valid
assessment" can be stated directly.

Example:
    >>> from hypothesis import given
    >>> import resilience as rs
    >>> from resilience.testing import strategies as rst
    >>> @given(rst.check_ins())
    ... def test_round_trip(check_in):
    ...     assert rs.from_json(rs.to_json(check_in), rs.CheckIn) == check_in
    >>> test_round_trip()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import strategies as st

from resilience._scoring import compile_instrument
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.builtin.references import REFERENCES
from resilience.evidence import technique_table
from resilience.model.assessment import AnswerValue, Assessment, InstrumentScore
from resilience.model.evidence import Approach
from resilience.model.instruments import (
    Band,
    Citation,
    Instrument,
    Item,
    MissingPolicy,
    ResponseOption,
    ResponseScale,
    ScoringMethod,
    Subscale,
    Wording,
)
from resilience.model.network import (
    Connection,
    ContactMode,
    Frequency,
    Relation,
    SupportNetwork,
)
from resilience.model.plans import (
    CheckIn,
    ConnectionNeed,
    ConnectionPlan,
    Effort,
    Outcome,
    Step,
    StepTemplate,
    SupportResource,
)
from resilience.model.profile import (
    CapacityScore,
    Contribution,
    Flag,
    NetworkSummary,
    NoteKind,
    PillarScore,
    ProfileNote,
    ResilienceProfile,
    SignReading,
)
from resilience.model.taxonomy import Capacity, IsolationDriver, IsolationSign, Pillar, Strategy

__all__ = [
    "answers_for",
    "answers_with_problems",
    "assessments",
    "bands",
    "capacity_scores",
    "check_ins",
    "connection_plans",
    "connections",
    "contributions",
    "dates",
    "datetimes",
    "identifiers",
    "instrument_scores",
    "instruments",
    "network_summaries",
    "pillar_scores",
    "profile_notes",
    "profiles",
    "response_scales",
    "sign_readings",
    "step_templates",
    "steps",
    "support_networks",
    "support_resources",
    "texts",
    "wordings",
]

_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"


def identifiers() -> st.SearchStrategy[str]:
    """Short ids such as ``"a-1"``.

    Example:
        >>> from hypothesis import given
        >>> @given(identifiers())
        ... def starts_with_a_letter_or_digit(ident):
        ...     assert ident[0] != "-"
        >>> starts_with_a_letter_or_digit()
    """
    return st.text(_ALNUM, min_size=1, max_size=6).flatmap(
        lambda head: st.text(_ALNUM + "-", max_size=6).map(lambda tail: head + tail)
    )


def texts() -> st.SearchStrategy[str]:
    """Human text, including non-ASCII letters (JSON must carry them intact).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.texts())
        ... def test(value):
        ...     assert isinstance(value, str)
        >>> test()
    """
    return st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
    )


def dates() -> st.SearchStrategy[dt.date]:
    """Dates between 2000 and 2100.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.dates())
        ... def test(value):
        ...     assert isinstance(value, dt.date)
        >>> test()
    """
    return st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


def datetimes() -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes (UTC or a fixed offset).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.datetimes())
        ... def test(value):
        ...     assert value.tzinfo is not None  # always timezone-aware
        >>> test()
    """
    offsets = st.integers(-12 * 60, 14 * 60).map(
        lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
    )
    return st.datetimes(
        dt.datetime(2000, 1, 1),
        dt.datetime(2100, 1, 1),
        timezones=st.just(dt.timezone.utc) | offsets,
    )


def _finite_floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


# -- instruments -----------------------------------------------------------------------


def response_scales() -> st.SearchStrategy[ResponseScale]:
    """Response scales of 2–7 ascending options in whole or half steps (reversal stays exact).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.response_scales())
        ... def test(value):
        ...     assert len(value.options) >= 2
        >>> test()
    """
    return st.builds(
        lambda start, count, step, sid: ResponseScale(
            sid,
            tuple(ResponseOption(start + i * step, f"o{i}") for i in range(count)),
        ),
        st.integers(-2, 2),
        st.integers(2, 7),
        st.sampled_from([1, 2, 0.5]),
        identifiers(),
    )


def bands(low: float, high: float) -> st.SearchStrategy[tuple[Band, ...]]:
    """Ascending bands covering ``low``–``high`` (possibly none).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.bands(0.0, 10.0))
        ... def test(value):
        ...     assert [b.upper for b in value] == sorted(b.upper for b in value)
        >>> test()
    """
    if high <= low:
        return st.just(())
    edge = st.floats(low, high, exclude_max=True, allow_nan=False)
    cuts = st.lists(edge, max_size=3, unique=True).map(sorted)
    return cuts.flatmap(
        lambda edges: st.lists(st.booleans(), min_size=len(edges), max_size=len(edges)).map(
            lambda inclusive: (
                tuple(
                    Band(f"b{i}", f"Band {i}", edge, upper_inclusive=inc)
                    for i, (edge, inc) in enumerate(zip(edges, inclusive, strict=True))
                )
                + ((Band("top", "Top", high),) if edges else ())
            )
        )
    )


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    """Valid instruments: random items, reverse keys, recodes, subscales, bands, missing rules.

    Recodes are of two kinds: scores drawn from the scale itself (reaching both of its ends,
    so every item shares one range) or arbitrary small scores, negative ones included.
    Subscales carry bands of their own. Missing items are allowed only where the definition
    can score without them.

    Example:
        >>> from hypothesis import given
        >>> @given(instruments())
        ... def total_range_is_ordered(instrument):
        ...     low, high = instrument.total_range
        ...     assert low <= high
        >>> total_range_is_ordered()
    """
    scale = draw(response_scales())
    values = scale.values
    count = draw(st.integers(1, 8))
    homogeneous = draw(st.booleans())
    items = []
    for index in range(count):
        kind = draw(st.sampled_from(["plain", "reverse", "recode"]))
        recode = None
        if kind == "recode":
            if homogeneous:  # scores drawn from the scale, reaching both of its ends
                scores = draw(
                    st.lists(st.sampled_from(values), min_size=len(values), max_size=len(values))
                )
                low_at, high_at = draw(st.permutations(range(len(values))))[:2]
                scores[low_at], scores[high_at] = values[0], values[-1]
            else:
                scores = draw(
                    st.lists(st.integers(-3, 3), min_size=len(values), max_size=len(values))
                )
            recode = dict(zip(values, scores, strict=True))
        items.append(Item(f"i{index}", f"item {index}", reverse=kind == "reverse", recode=recode))
    ids = [item.id for item in items]
    members = [
        tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=count, unique=True)))
        for _ in range(draw(st.integers(0, 3)))
    ]
    method = draw(st.sampled_from(list(ScoringMethod)))
    prorate = draw(st.booleans())
    probe = Instrument(
        id="probe",
        name="probe",
        version="1",
        items=items,
        scale=scale,
        method=method,
        subscales=tuple(Subscale(f"s{i}", f"s{i}", m) for i, m in enumerate(members)),
    )
    # Missing items are only allowed where the definition can score without them: items
    # that share one range when averaging or prorating, and 0 in range when summing only.
    ranges = {probe.item_range(item) for item in items}
    averaged = method is ScoringMethod.MEAN or prorate
    can_miss = len(ranges) == 1 if averaged else all(lo <= 0 <= hi for lo, hi in ranges)
    missing = MissingPolicy(
        max_missing=draw(st.integers(0, count - 1)) if can_miss else 0,
        subscale_max_missing=draw(st.integers(0, 2)),
        prorate=prorate,
    )
    subscales = tuple(
        Subscale(f"s{i}", f"subscale {i}", m, bands=draw(bands(*probe.subscale_range(f"s{i}"))))
        for i, m in enumerate(members)
    )
    low, high = probe.total_range
    return Instrument(
        id=draw(identifiers()),
        name=draw(texts()),
        version=draw(st.sampled_from(["1", "2", "1.1"])),
        items=tuple(items),
        scale=scale,
        method=method,
        subscales=subscales,
        missing=missing,
        bands=draw(bands(low, high)),
        higher_is_better=draw(st.booleans()),
        validated=draw(st.booleans()),
        citation=draw(st.none() | st.builds(Citation, texts(), st.none() | identifiers())),
        licence=draw(texts()),
        description=draw(texts()),
        notes=tuple(draw(st.lists(texts(), max_size=2))),
    )


@st.composite
def answers_for(
    draw: st.DrawFn, instrument: Instrument, *, allow_missing: bool = True
) -> dict[str, AnswerValue]:
    """Valid answers to ``instrument``: declared values, missing items within its policy.

    Example:
        >>> from hypothesis import given
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> from resilience._scoring import score
        >>> @given(answers_for(UCLA_3))
        ... def always_scores(answers):
        ...     assert 3 <= score(UCLA_3, answers).total <= 9
        >>> always_scores()
    """
    answers: dict[str, AnswerValue] = {
        item.id: draw(st.sampled_from(instrument.scale_of(item).values))
        for item in instrument.items
    }
    if allow_missing and instrument.missing.max_missing:
        ids = [item.id for item in instrument.items]
        dropped = draw(
            st.lists(st.sampled_from(ids), max_size=instrument.missing.max_missing, unique=True)
        )
        for item_id in dropped:
            if draw(st.booleans()):
                del answers[item_id]
            else:
                answers[item_id] = None
    return answers


@st.composite
def answers_with_problems(draw: st.DrawFn, instrument: Instrument) -> dict[str, object]:
    """Answers to ``instrument`` in which any item may be spoiled.

    Each item is valid, unanswered (``None`` or absent), off the scale, or of the wrong
    type (a string, a bool).

    For checking that every way of scoring finds the same problems as the scorer.

    Example:
        >>> from hypothesis import given
        >>> from resilience.builtin.instruments.ucla3 import UCLA_3
        >>> from resilience.errors import InvalidAnswersError
        >>> from resilience._scoring import score
        >>> @given(answers_with_problems(UCLA_3))
        ... def scores_or_says_why(answers):
        ...     try:
        ...         score(UCLA_3, answers)
        ...     except InvalidAnswersError as error:
        ...         assert error.problems
        >>> scores_or_says_why()
    """
    answers: dict[str, object] = {}
    for item in instrument.items:
        values = instrument.scale_of(item).values
        off_scale = st.sampled_from(
            [min(values) - 1, max(values) + 1, max(values) + 0.5, 10**6, -(10**6)]
        )
        value = draw(
            st.sampled_from(values)
            | st.sampled_from(values)
            | st.none()
            | off_scale
            | st.sampled_from(["1", "", True, False])
        )
        if value is None and draw(st.booleans()):
            continue  # absent, rather than None
        answers[item.id] = value
    return answers


def wordings(instrument: Instrument | None = None) -> st.SearchStrategy[Wording]:
    """Wording covering every item of ``instrument`` (or of a random instrument).

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.wordings())
        ... def test(value):
        ...     assert value.items
        >>> test()
    """
    base = st.just(instrument) if instrument is not None else instruments()
    return base.flatmap(
        lambda inst: st.builds(
            Wording,
            st.just(inst.id),
            st.sampled_from(["en", "de", "fr-CA", "nl"]),
            st.fixed_dictionaries({item.id: texts() for item in inst.items}),
            st.fixed_dictionaries({o.label: texts() for o in inst.scale.options}),
            texts(),
            texts(),
            texts(),
        )
    )


@st.composite
def instrument_scores(draw: st.DrawFn) -> InstrumentScore:
    """Scores of random valid answers to a built-in or random instrument.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.instrument_scores())
        ... def test(value):
        ...     assert 0.0 <= value.strength() <= 100.0 if value.total is not None else True
        >>> test()
    """
    instrument = draw(st.sampled_from(BUILTIN_INSTRUMENTS) | instruments())
    return compile_instrument(instrument).score(draw(answers_for(instrument)))


# -- network ---------------------------------------------------------------------------


def connections(alias: str | None = None) -> st.SearchStrategy[Connection]:
    """Connections with any relation, trust, safety, pillars and contact pattern.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.connections())
        ... def test(value):
        ...     assert 1 <= value.trust <= 5
        >>> test()
    """
    return st.builds(
        Connection,
        alias=st.just(alias) if alias is not None else identifiers(),
        relation=st.sampled_from(list(Relation)),
        trust=st.integers(1, 5),
        safety=st.integers(1, 5),
        pillars=st.frozensets(st.sampled_from(list(Pillar))),
        contact=st.dictionaries(
            st.sampled_from(list(ContactMode)), st.sampled_from(list(Frequency))
        ),
        last_contact=st.none() | dates(),
    )


def support_networks(max_size: int = 6) -> st.SearchStrategy[SupportNetwork]:
    """Networks of up to ``max_size`` connections with unique aliases.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.support_networks())
        ... def test(value):
        ...     assert len(value.connections) <= 6
        >>> test()
    """
    return st.lists(identifiers(), max_size=max_size, unique=True).flatmap(
        lambda aliases: st.tuples(*(connections(a) for a in aliases)).map(SupportNetwork)
    )


@st.composite
def assessments(
    draw: st.DrawFn, instruments: Sequence[Instrument] = BUILTIN_INSTRUMENTS
) -> Assessment:
    """Valid assessments: answers to a random subset of ``instruments``, maybe a network.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.assessments())
        ... def test(value):
        ...     assert value.taken_at.tzinfo is not None
        >>> test()
    """
    chosen = draw(st.lists(st.sampled_from(list(instruments)), unique_by=lambda i: i.id))
    return Assessment(
        person_id=draw(identifiers()),
        taken_at=draw(datetimes()),
        answers={inst.id: draw(answers_for(inst)) for inst in chosen},
        network=draw(st.none() | support_networks()),
        drivers=draw(st.frozensets(st.sampled_from(list(IsolationDriver)))),
        locales={inst.id: "en" for inst in chosen if draw(st.booleans())},
    )


# -- profiles --------------------------------------------------------------------------


def _targets() -> st.SearchStrategy[Pillar | Capacity]:
    return st.sampled_from([*Pillar, *Capacity])


def contributions() -> st.SearchStrategy[Contribution]:
    """Contributions with values in 0–100 and non-negative weights.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.contributions())
        ... def test(value):
        ...     assert 0.0 <= value.value <= 100.0 and value.weight >= 0.0
        >>> test()
    """
    return st.builds(
        Contribution,
        rule=identifiers(),
        rule_version=st.sampled_from(["1", "2"]),
        target=_targets(),
        value=_finite_floats(0, 100),
        weight=_finite_floats(0, 10),
        inputs=st.dictionaries(identifiers(), _finite_floats(-1e6, 1e6), max_size=3),
        reason=texts(),
    )


def _strength() -> st.SearchStrategy[float | None]:
    return st.none() | _finite_floats(0, 100)


def pillar_scores(pillar: Pillar) -> st.SearchStrategy[PillarScore]:
    """A score for ``pillar``; unknown (``None``) strength comes with zero evidence.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.pillar_scores(rs.Pillar.BELONGING))
        ... def test(value):
        ...     assert value.pillar is rs.Pillar.BELONGING
        >>> test()
    """
    return _strength().flatmap(
        lambda s: st.builds(
            PillarScore,
            st.just(pillar),
            st.just(s),
            st.just(0.0) if s is None else _finite_floats(0.1, 20),
        )
    )


def capacity_scores(capacity: Capacity) -> st.SearchStrategy[CapacityScore]:
    """A score for ``capacity``; unknown (``None``) strength comes with zero evidence.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.capacity_scores(rs.Capacity.GROUNDED))
        ... def test(value):
        ...     assert value.capacity is rs.Capacity.GROUNDED
        >>> test()
    """
    return _strength().flatmap(
        lambda s: st.builds(
            CapacityScore,
            st.just(capacity),
            st.just(s),
            st.just(0.0) if s is None else _finite_floats(0.1, 20),
        )
    )


def sign_readings() -> st.SearchStrategy[tuple[SignReading, ...]]:
    """One reading per sign, or none at all.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.sign_readings())
        ... def test(value):
        ...     assert all(isinstance(r, rs.SignReading) for r in value)
        >>> test()
    """
    readings = st.tuples(
        *(
            st.builds(
                SignReading, st.just(sign), _finite_floats(0, 100), st.just("connection-signs")
            )
            for sign in IsolationSign
        )
    )
    return st.just(()) | readings


def network_summaries() -> st.SearchStrategy[NetworkSummary]:
    """Network summaries with consistent counts.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.network_summaries())
        ... def test(value):
        ...     assert isinstance(value, rs.NetworkSummary)
        >>> test()
    """
    return st.integers(0, 12).flatmap(
        lambda ties: st.builds(
            NetworkSummary,
            st.just(ties),
            st.integers(0, ties),
            st.fixed_dictionaries({p: _finite_floats(0, 100) for p in Pillar}),
            st.none() | _finite_floats(0, 1),
        )
    )


def profile_notes() -> st.SearchStrategy[tuple[ProfileNote, ...]]:
    """Up to four notes of any kind, some with the question that would fill a gap.

    Example:
        >>> import resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.profile_notes())
        ... def test(value):
        ...     assert all(isinstance(note.kind, rs.NoteKind) for note in value)
        >>> test()
    """
    note = st.builds(
        ProfileNote,
        kind=st.sampled_from(list(NoteKind)),
        text=texts(),
        ask=st.just("") | texts(),
        about=st.lists(identifiers(), max_size=3).map(tuple),
    )
    return st.lists(note, max_size=4).map(tuple)


@st.composite
def profiles(draw: st.DrawFn) -> ResilienceProfile:
    """Profiles with any mix of known and unknown strengths, signs, drivers, flags and notes.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.profiles())
        ... def test(value):
        ...     assert rs.from_json(rs.to_json(value), rs.ResilienceProfile) == value
        >>> test()
    """
    flags = draw(st.frozensets(st.sampled_from(list(Flag))))
    return ResilienceProfile(
        person_id=draw(identifiers()),
        assessed_at=draw(datetimes()),
        pillars={p: draw(pillar_scores(p)) for p in Pillar},
        capacities={c: draw(capacity_scores(c)) for c in Capacity},
        signs=draw(sign_readings()),
        network=draw(st.none() | network_summaries()),
        drivers=draw(st.frozensets(st.sampled_from(list(IsolationDriver)))),
        flags=flags,
        flag_reasons=tuple(draw(texts()) for _ in flags),
        explanation=tuple(draw(st.lists(contributions(), max_size=4))),
        scores={},
        notes=draw(profile_notes()),
    )


# -- plans -----------------------------------------------------------------------------


def _technique_codes() -> st.SearchStrategy[tuple[str, ...]]:
    codes = sorted(technique_table())
    return st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True).map(tuple)


def step_templates() -> st.SearchStrategy[StepTemplate]:
    """Valid step templates for any strategy, each declaring its evidence.

    Every one can be registered: an approach, one to three techniques from the bundled
    table and one or two of the built-in references.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.step_templates())
        ... def test(value):
        ...     assert value.id
        >>> test()
    """
    return st.builds(
        StepTemplate,
        id=identifiers(),
        strategy=st.sampled_from(list(Strategy)),
        rung=st.integers(1, 6),
        effort=st.sampled_from(list(Effort)),
        action=texts(),
        needs=st.sampled_from(list(ConnectionNeed)),
        suits=st.frozensets(st.sampled_from(list(IsolationDriver))),
        in_person=st.booleans(),
        approach=st.sampled_from(list(Approach)),
        techniques=_technique_codes(),
        references=st.lists(
            st.sampled_from(REFERENCES), min_size=1, max_size=2, unique_by=lambda r: r.id
        ).map(tuple),
    )


def steps(step_id: str | None = None) -> st.SearchStrategy[Step]:
    """Steps of any strategy and effort.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.steps("s-1"))
        ... def test(value):
        ...     assert value.id == "s-1"
        >>> test()
    """
    return st.builds(
        Step,
        id=st.just(step_id) if step_id is not None else identifiers(),
        strategy=st.sampled_from(list(Strategy)),
        pillars=st.frozensets(st.sampled_from(list(Pillar)), min_size=1),
        action=texts(),
        effort=st.sampled_from(list(Effort)),
        due=dates(),
        reason=texts(),
        connection=st.none() | identifiers(),
        template=identifiers(),
        rung=st.integers(1, 6),
        approach=st.none() | st.sampled_from(list(Approach)),
        techniques=st.lists(
            st.sampled_from([t for rows in technique_table().values() for t in rows]),
            max_size=3,
        ).map(tuple),
        references=st.lists(st.sampled_from(REFERENCES), max_size=2).map(tuple),
    )


def check_ins(step_id: str | None = None) -> st.SearchStrategy[CheckIn]:
    """Check-ins with any outcome, feeling and note.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.check_ins("s-1"))
        ... def test(value):
        ...     assert value.step_id == "s-1"
        >>> test()
    """
    return st.builds(
        CheckIn,
        step_id=st.just(step_id) if step_id is not None else identifiers(),
        on=dates(),
        outcome=st.sampled_from(list(Outcome)),
        felt=st.none() | st.integers(1, 5),
        note=st.none() | texts(),
        expected=st.none() | st.integers(1, 5),
        happened=st.none() | st.integers(1, 5),
    )


def support_resources() -> st.SearchStrategy[SupportResource]:
    """Support resources of any kind.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.support_resources())
        ... def test(value):
        ...     assert value.name
        >>> test()
    """
    return st.builds(
        SupportResource,
        name=texts(),
        description=texts(),
        contact=texts(),
        kind=st.sampled_from(["helpline", "service", "community", "general"]),
        locale=st.none() | st.sampled_from(["en", "en-GB", "de"]),
    )


@st.composite
def connection_plans(draw: st.DrawFn) -> ConnectionPlan:
    """Plans with unique step ids and check-ins that refer to their steps.

    Example:
        >>> import datetime as dt, resilience as rs
        >>> from hypothesis import given, settings
        >>> from resilience.testing import strategies as rst
        >>> @settings(max_examples=10)
        ... @given(rst.connection_plans())
        ... def test(value):
        ...     assert rs.from_json(rs.to_json(value), rs.ConnectionPlan) == value
        >>> test()
    """
    ids = draw(st.lists(identifiers(), min_size=1, max_size=5, unique=True))
    plan_steps = tuple(draw(steps(step_id)) for step_id in ids)
    plan_check_ins = tuple(draw(st.lists(st.sampled_from(ids).flatmap(check_ins), max_size=4)))
    return ConnectionPlan(
        person_id=draw(identifiers()),
        made_on=draw(dates()),
        profile=draw(profiles()),
        targets=tuple(draw(st.lists(st.sampled_from(list(Pillar)), unique=True))),
        steps=plan_steps,
        check_ins=plan_check_ins,
        resources=tuple(draw(st.lists(support_resources(), max_size=2))),
        reflection=draw(texts()),
        weekly_limit=draw(st.integers(1, 7)),
    )
