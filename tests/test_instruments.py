"""Instruments as data: the model's invariants, its validation, its key hash and its JSON.

The generators at the top build random *valid* instruments and answers; they only use the
public model and can be reused by ``resilience.testing.strategies``.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

import resilience as rs
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS
from resilience.errors import InstrumentDefinitionError
from resilience.testing.strategies import instruments, response_scales

# -- generic generators ------------------------------------------------------------------


any_instrument = st.sampled_from(BUILTIN_INSTRUMENTS) | instruments()

# -- ResponseScale ------------------------------------------------------------------------


@given(response_scales(), st.data())
def test_reversing_twice_is_the_identity(scale: rs.ResponseScale, data: st.DataObject) -> None:
    value = data.draw(st.sampled_from(scale.values))
    assert scale.reverse(scale.reverse(value)) == value


@given(response_scales())
def test_reversing_maps_the_declared_range_onto_itself(scale: rs.ResponseScale) -> None:
    assert scale.reverse(scale.minimum) == scale.maximum
    assert scale.reverse(scale.maximum) == scale.minimum
    for value in scale.values:
        assert scale.minimum <= scale.reverse(value) <= scale.maximum


def test_reverse_uses_the_declared_range_not_the_data() -> None:
    scale = rs.ResponseScale("s", [rs.ResponseOption(v, f"o{v}") for v in (1, 2, 3, 4, 5)])
    # Whatever values a person happened to use, 2 reverses to 4 on a declared 1-5 scale.
    assert scale.reverse(2) == 4


# -- validation ---------------------------------------------------------------------------

_SCALE = rs.ResponseScale("s", [rs.ResponseOption(v, f"o{v}") for v in (1, 2, 3)])


def _instrument(**changes: Any) -> rs.Instrument:
    fields: dict[str, Any] = {
        "id": "t",
        "name": "T",
        "version": "1",
        "items": (rs.Item("a", "a"), rs.Item("b", "b")),
        "scale": _SCALE,
    }
    fields.update(changes)
    return rs.Instrument(**fields)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items": ()}, "has no items"),
        ({"items": (rs.Item("a", "a"), rs.Item("a", "again"))}, "duplicate item ids: a"),
        (
            {"items": (rs.Item("a", "a", recode={1: 0, 2: 1}),)},
            "recode must map exactly the scale's values",
        ),
        (
            {"items": (rs.Item("a", "a", recode={1: 0, 2: 1, 3: 1, 4: 1}),)},
            "recode must map exactly the scale's values",
        ),
        (
            {"items": (rs.Item("a", "a", recode={1: 0, 2: 1, 3: math.nan}),)},
            "recoded scores must be finite numbers",
        ),
        (
            {"items": (rs.Item("a", "a", recode={1: 0, 2: True, 3: 1}),)},
            "recoded scores must be finite numbers",
        ),
        ({"subscales": (rs.Subscale("s", "s", ("a", "zz")),)}, "names unknown items ['zz']"),
        ({"subscales": (rs.Subscale("s", "s", ()),)}, "has no items"),
        ({"subscales": (rs.Subscale("s", "s", ("a", "a")),)}, "lists an item twice"),
        (
            {"subscales": (rs.Subscale("s", "s", ("a",)), rs.Subscale("s", "t", ("b",)))},
            "duplicate subscale ids",
        ),
        (
            {"bands": (rs.Band("high", "H", 6), rs.Band("low", "L", 4))},
            "strictly ascending order",
        ),
        (
            {"bands": (rs.Band("a", "A", 4), rs.Band("b", "B", 4), rs.Band("c", "C", 6))},
            "strictly ascending order",
        ),
        ({"bands": (rs.Band("x", "X", 4), rs.Band("x", "X", 6))}, "band ids must be unique"),
        ({"bands": (rs.Band("low", "L", 4), rs.Band("mid", "M", 5))}, "last band must reach"),
        ({"bands": (rs.Band("low", "L", 6, upper_inclusive=False),)}, "last band must reach"),
        (
            {
                "subscales": (
                    rs.Subscale("s", "s", ("a", "b"), bands=(rs.Band("l", "L", 5, False),)),
                )
            },
            "subscale 's' bands stop at 5",
        ),
        ({"missing": rs.MissingPolicy(max_missing=2)}, "max_missing must leave at least one"),
        (
            {
                "items": (rs.Item("a", "a"), rs.Item("b", "b", recode={1: 0, 2: 0, 3: 1})),
                "missing": rs.MissingPolicy(max_missing=1),
            },
            "items with different score ranges cannot be averaged or prorated",
        ),
        (
            {"missing": rs.MissingPolicy(max_missing=1, prorate=False)},
            "needs 0 within every item's score range",
        ),
    ],
)
def test_broken_definitions_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InstrumentDefinitionError) as caught:
        _instrument(**changes)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, rs.ResilienceError)
    assert "instrument 't'" in str(caught.value)


def test_every_problem_of_a_definition_is_reported_at_once() -> None:
    with pytest.raises(InstrumentDefinitionError) as caught:
        _instrument(
            items=(rs.Item("a", "a"), rs.Item("a", "a")),
            subscales=(rs.Subscale("s", "s", ("q",)),),
        )
    assert "duplicate item ids" in str(caught.value)
    assert "unknown items ['q']" in str(caught.value)


@pytest.mark.parametrize(
    "build",
    [
        lambda: rs.ResponseScale("s", [rs.ResponseOption(1, "one")]),
        lambda: rs.ResponseScale("s", [rs.ResponseOption(2, "a"), rs.ResponseOption(1, "b")]),
        lambda: rs.ResponseScale("s", [rs.ResponseOption(1, "a"), rs.ResponseOption(1, "b")]),
        lambda: rs.ResponseScale("s", [rs.ResponseOption(1, "a"), rs.ResponseOption(2, "a")]),
        lambda: rs.ResponseOption(math.nan, "nan"),
        lambda: rs.ResponseOption(math.inf, "inf"),
        lambda: rs.ResponseOption(True, "yes"),
        lambda: rs.Item("a", "a", reverse=True, recode={1: 1, 2: 0, 3: 0}),
        lambda: rs.Band("b", "B", math.nan),
        lambda: rs.Band("b", "B", True),
        lambda: rs.MissingPolicy(max_missing=-1),
        lambda: rs.MissingPolicy(subscale_max_missing=-1),
    ],
)
def test_broken_parts_are_refused(build: Any) -> None:
    with pytest.raises(InstrumentDefinitionError):
        build()


def test_zero_in_range_allows_summing_only_the_answered_items() -> None:
    recoded = rs.Item("a", "a", recode={1: 0, 2: 1, 3: 1})
    instrument = _instrument(
        items=(recoded, attrs.evolve(recoded, id="b")),
        missing=rs.MissingPolicy(max_missing=1, prorate=False),
    )
    assert instrument.total_range == (0.0, 2.0)


@given(instruments())
def test_generated_instruments_are_consistent(instrument: rs.Instrument) -> None:
    low, high = instrument.total_range
    assert low <= high
    for subscale in instrument.subscales:
        sub_low, sub_high = instrument.subscale_range(subscale.id)
        assert sub_low <= sub_high
        for item_id in subscale.item_ids:
            assert subscale.id in instrument.subscales_of(item_id)


def test_lookups_by_id() -> None:
    instrument = _instrument(subscales=(rs.Subscale("s", "S", ("b",)),))
    assert instrument.item("b").label == "b"
    assert instrument.subscale("s").item_ids == ("b",)
    with pytest.raises(KeyError):
        instrument.item("nope")
    with pytest.raises(KeyError):
        instrument.subscale("nope")


def test_items_may_have_a_scale_of_their_own() -> None:
    wide = rs.ResponseScale("wide", [rs.ResponseOption(v, f"w{v}") for v in range(0, 11)])
    instrument = _instrument(items=(rs.Item("a", "a"), rs.Item("b", "b", scale=wide)))
    assert instrument.total_range == (1.0, 13.0)
    assert (
        rs.Engine(load_installed=False, plugins=[_Plugin(instrument)])
        .score("t", {"a": 3, "b": 10})
        .total
        == 13.0
    )


class _Plugin:
    def __init__(self, *instruments: rs.Instrument) -> None:
        self.instruments = instruments

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        for instrument in self.instruments:
            register(instrument)


# -- the key hash -----------------------------------------------------------------------


def _relabel(instrument: rs.Instrument) -> rs.Instrument:
    """Change every text that does not take part in scoring."""
    scale = instrument.scale
    return attrs.evolve(
        instrument,
        name=instrument.name + " (renamed)",
        version=instrument.version + ".9",
        items=tuple(attrs.evolve(item, label=item.label + "!") for item in instrument.items),
        scale=attrs.evolve(
            scale,
            id=scale.id + "-x",
            options=[attrs.evolve(o, label=o.label + "-x") for o in scale.options],
        ),
        subscales=tuple(
            attrs.evolve(
                s,
                label=s.label + "!",
                item_ids=tuple(reversed(s.item_ids)),
                bands=tuple(
                    attrs.evolve(b, label=b.label + "!", convention=not b.convention)
                    for b in s.bands
                ),
            )
            for s in instrument.subscales
        ),
        bands=tuple(
            attrs.evolve(b, label=b.label + "!", convention=not b.convention)
            for b in instrument.bands
        ),
        validated=not instrument.validated,
        citation=rs.Citation("Someone else (2030)", doi="10.0/x"),
        licence=instrument.licence + " changed",
        description=instrument.description + " changed",
        notes=(*instrument.notes, "another note"),
    )


@given(any_instrument)
def test_key_hash_ignores_everything_that_does_not_score(instrument: rs.Instrument) -> None:
    relabelled = _relabel(instrument)
    assert relabelled.key_hash == instrument.key_hash


def test_key_hash_treats_equal_numbers_alike() -> None:
    a = _instrument(bands=(rs.Band("low", "L", 4), rs.Band("high", "H", 6)))
    b = _instrument(
        scale=rs.ResponseScale("s", [rs.ResponseOption(float(v), f"o{v}") for v in (1, 2, 3)]),
        bands=(rs.Band("low", "L", 4.0), rs.Band("high", "H", 6.0)),
    )
    assert a.key_hash == b.key_hash


def _scoring_changes(instrument: rs.Instrument, data: st.DataObject) -> rs.Instrument:
    """One change to the scoring definition (the result may be an invalid definition)."""
    index = data.draw(st.integers(0, len(instrument.items) - 1))
    item = instrument.items[index]
    scale = instrument.scale

    def with_item(new: rs.Item) -> rs.Instrument:
        items = list(instrument.items)
        items[index] = new
        return attrs.evolve(instrument, items=tuple(items))

    kind = data.draw(
        st.sampled_from(
            [
                "values",
                "reverse",
                "recode",
                "item-id",
                "method",
                "max-missing",
                "subscale-missing",
                "prorate",
                "direction",
                "band-edge",
                "band-inclusive",
                "band-id",
                "drop-bands",
                "subscale-members",
                "add-subscale",
                "item-order",
            ]
        )
    )
    if kind == "values":  # shift the top value
        options = list(scale.options)
        options[-1] = attrs.evolve(options[-1], value=options[-1].value + 1)
        return attrs.evolve(instrument, scale=attrs.evolve(scale, options=options))
    if kind == "reverse":
        return with_item(attrs.evolve(item, reverse=not item.reverse, recode=None))
    if kind == "recode":
        if item.recode is None:
            return with_item(
                attrs.evolve(item, reverse=False, recode=dict.fromkeys(scale.values, 0))
            )
        bumped = {k: v + 1 for k, v in item.recode.items()}
        return with_item(attrs.evolve(item, recode=bumped))
    if kind == "item-id":
        subscales = tuple(
            attrs.evolve(s, item_ids=tuple("renamed" if i == item.id else i for i in s.item_ids))
            for s in instrument.subscales
        )
        return attrs.evolve(with_item(attrs.evolve(item, id="renamed")), subscales=subscales)
    if kind == "method":
        other = next(m for m in rs.ScoringMethod if m is not instrument.method)
        return attrs.evolve(instrument, method=other, bands=())
    policy = instrument.missing
    if kind == "max-missing":
        return attrs.evolve(
            instrument, missing=attrs.evolve(policy, max_missing=policy.max_missing + 1)
        )
    if kind == "subscale-missing":
        return attrs.evolve(
            instrument,
            missing=attrs.evolve(policy, subscale_max_missing=policy.subscale_max_missing + 1),
        )
    if kind == "prorate":
        return attrs.evolve(instrument, missing=attrs.evolve(policy, prorate=not policy.prorate))
    if kind == "direction":
        return attrs.evolve(instrument, higher_is_better=not instrument.higher_is_better)
    bands = list(instrument.bands)
    if kind == "band-edge" and len(bands) > 1:
        bands[0] = attrs.evolve(bands[0], upper=bands[0].upper - 0.5)
        return attrs.evolve(instrument, bands=tuple(bands))
    if kind == "band-inclusive" and bands:
        bands[0] = attrs.evolve(bands[0], upper_inclusive=not bands[0].upper_inclusive)
        return attrs.evolve(instrument, bands=tuple(bands))
    if kind == "band-id" and bands:
        bands[-1] = attrs.evolve(bands[-1], id=bands[-1].id + "-renamed")
        return attrs.evolve(instrument, bands=tuple(bands))
    if kind == "drop-bands" and bands:
        return attrs.evolve(instrument, bands=())
    if kind == "subscale-members" and instrument.subscales:
        first = instrument.subscales[0]
        others = tuple(i.id for i in instrument.items if i.id not in first.item_ids)
        members = first.item_ids[1:] if len(first.item_ids) > 1 else others[:1]
        if not members:
            reject()
        return attrs.evolve(
            instrument,
            subscales=(attrs.evolve(first, item_ids=members, bands=()), *instrument.subscales[1:]),
        )
    if kind == "item-order" and len(instrument.items) > 1:
        return attrs.evolve(instrument, items=tuple(reversed(instrument.items)))
    # add-subscale, or a change that does not apply to this instrument
    return attrs.evolve(
        instrument,
        subscales=(*instrument.subscales, rs.Subscale("extra", "Extra", (item.id,))),
    )


@given(any_instrument, st.data())
def test_key_hash_changes_with_every_change_to_the_scoring(
    instrument: rs.Instrument, data: st.DataObject
) -> None:
    try:
        changed = _scoring_changes(instrument, data)
    except InstrumentDefinitionError:
        reject()
    assert changed.key_hash != instrument.key_hash


def test_key_hash_is_stable_for_the_built_in_definitions() -> None:
    # The same definition built twice gives the same hash (no ids, dict order or time).
    from resilience.builtin.instruments.brs import make_brs
    from resilience.builtin.instruments.ucla3 import UCLA_3, make_ucla3

    assert make_ucla3().key_hash == UCLA_3.key_hash
    assert make_brs().key_hash == rs.Engine(load_installed=False).instruments["brs"].key_hash
    assert len({i.key_hash for i in BUILTIN_INSTRUMENTS}) == len(BUILTIN_INSTRUMENTS)


# -- JSON -------------------------------------------------------------------------------


@given(any_instrument)
def test_instruments_round_trip_through_json(instrument: rs.Instrument) -> None:
    again = rs.from_json(rs.to_json(instrument), rs.Instrument)
    assert again == instrument
    assert again.key_hash == instrument.key_hash


@given(
    st.builds(
        rs.Wording,
        st.sampled_from(["ucla-3", "demo"]),
        st.sampled_from(["en", "de-AT", "nl"]),
        st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=20), max_size=4),
        st.dictionaries(st.text(min_size=1, max_size=5), st.text(max_size=20), max_size=4),
        st.text(max_size=10),
        st.text(max_size=10),
        st.text(max_size=10),
    )
)
def test_wording_round_trips_through_json(wording: rs.Wording) -> None:
    assert rs.from_json(rs.to_json(wording), rs.Wording) == wording


def test_instrument_json_does_not_carry_the_hash() -> None:
    # The hash is always recomputed from the definition, so edited JSON cannot claim a
    # hash that does not match its scoring.
    text = rs.to_json(BUILTIN_INSTRUMENTS[2])
    assert "key_hash" not in text
