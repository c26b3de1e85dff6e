"""The built-in instruments, checked against their published scoring rules.

Every expected number below is worked out by hand from the rules in
``shared/instruments.md`` (minimum, maximum, both sides of every cut-off, every reverse
key, every missing-item rule, every subscale), not read back from the library.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import resilience as rs
from resilience._scoring import band_of
from resilience.builtin.instruments import BUILTIN_INSTRUMENTS, BUILTIN_WORDING
from resilience.builtin.instruments.brs import BRS, make_brs
from resilience.builtin.instruments.capacities import RESILIENCE_CAPACITIES
from resilience.builtin.instruments.djg6 import DJG_6
from resilience.builtin.instruments.lsns6 import LSNS_6, make_lsns6
from resilience.builtin.instruments.mspss import MSPSS, make_mspss
from resilience.builtin.instruments.signs import CONNECTION_SIGNS
from resilience.builtin.instruments.ucla3 import UCLA_3, make_ucla3

ENGINE = rs.Engine(load_installed=False)
VALIDATED = ("ucla-3", "brs", "lsns-6", "djg-6", "mspss")
CHECKLISTS = ("connection-signs", "resilience-capacities")


def answers(prefix: str, values: Sequence[int | None]) -> dict[str, Any]:
    return {f"{prefix}-{i}": value for i, value in enumerate(values, start=1)}


# -- the engine's catalogue -----------------------------------------------------------------


def test_the_engine_maps_every_built_in_id_to_its_instrument() -> None:
    assert set(ENGINE.instruments) == set(VALIDATED + CHECKLISTS)
    for instrument_id, instrument in ENGINE.instruments.items():
        assert isinstance(instrument, rs.Instrument)
        assert instrument.id == instrument_id
    assert {i.id: i for i in BUILTIN_INSTRUMENTS} == dict(ENGINE.instruments)


def test_an_unknown_instrument_names_the_known_ones() -> None:
    with pytest.raises(rs.UnknownInstrumentError) as caught:
        ENGINE.score("phq-9", {})
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, rs.ResilienceError)
    for known in VALIDATED + CHECKLISTS:
        assert known in str(caught.value)


@pytest.mark.parametrize("instrument_id", VALIDATED)
def test_validated_scales_carry_citation_licence_and_neutral_labels(instrument_id: str) -> None:
    instrument = ENGINE.instruments[instrument_id]
    assert instrument.validated
    assert instrument.citation is not None
    assert instrument.citation.text
    assert instrument.licence
    assert instrument.description
    assert all(item.label and not item.label.endswith("?") for item in instrument.items)


@pytest.mark.parametrize("instrument_id", CHECKLISTS)
def test_the_project_checklists_are_marked_as_not_validated(instrument_id: str) -> None:
    instrument = ENGINE.instruments[instrument_id]
    assert not instrument.validated
    assert instrument.citation is None
    assert any("Not validated" in note for note in instrument.notes)


def test_conventions_are_marked_and_explained() -> None:
    # Cut-offs that only secondary sources report are conventions; published ones are not.
    assert all(band.convention for band in UCLA_3.bands + BRS.bands + LSNS_6.bands)
    assert not any(band.convention for band in DJG_6.bands)
    for instrument in (UCLA_3, BRS, LSNS_6, MSPSS):
        assert any("override" in note for note in instrument.notes)


# -- wording --------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument_id", VALIDATED)
def test_validated_scales_ship_no_wording_and_say_how_to_register_it(instrument_id: str) -> None:
    with pytest.raises(rs.WordingNotFoundError) as caught:
        ENGINE.wording(instrument_id)
    message = str(caught.value)
    assert instrument_id in message
    assert "resilience_register_wording" in message
    assert "register(Wording(" in message
    assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize("instrument_id", CHECKLISTS)
def test_checklists_have_complete_english_wording(instrument_id: str) -> None:
    instrument = ENGINE.instruments[instrument_id]
    wording = ENGINE.wording(instrument_id, "en")
    assert wording.instrument_id == instrument_id
    assert wording.locale == "en"
    assert set(wording.items) == {item.id for item in instrument.items}
    assert set(wording.options) == {option.label for option in instrument.scale.options}
    texts = [*wording.items.values(), *wording.options.values(), wording.title]
    assert all(text.strip() for text in texts)
    assert wording.instructions.strip()
    assert wording.source
    assert ENGINE.wording(instrument_id, "en-GB") == wording  # falls back to the language


def test_built_in_wording_exists_only_for_the_checklists() -> None:
    assert sorted(w.instrument_id for w in BUILTIN_WORDING) == sorted(CHECKLISTS)


class LicensedWording:
    """What a host app with a licence does (see docs/instruments.md)."""

    @rs.hookimpl
    def resilience_register_wording(self, register: Any) -> None:
        register(
            rs.Wording(
                "ucla-3",
                "en",
                {"ucla-1": "(licensed text 1)", "ucla-2": "(text 2)", "ucla-3": "(text 3)"},
                source="Licensed from the rights holder",
            )
        )


def test_a_plugin_registers_licensed_wording() -> None:
    engine = rs.Engine(load_installed=False, plugins=[LicensedWording()])
    assert engine.wording("ucla-3").items["ucla-1"] == "(licensed text 1)"


class StricterUcla:
    """A host that reads loneliness from 7 instead of 6 (see docs/instruments.md)."""

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        register(make_ucla3(lonely_from=7), replace=True)


def test_a_plugin_overrides_a_convention_with_replace() -> None:
    engine = rs.Engine(load_installed=False, plugins=[StricterUcla()])
    six = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
    assert ENGINE.score("ucla-3", six).band == "lonely"
    assert engine.score("ucla-3", six).band == "not-lonely"
    assert engine.score("ucla-3", six | {"ucla-3": 3}).band == "lonely"
    # The changed cut-off is visible in every score it produces.
    assert engine.score("ucla-3", six).key_hash != ENGINE.score("ucla-3", six).key_hash


# -- ucla-3 --------------------------------------------------------------------------------


def test_ucla3_items_in_the_validated_order() -> None:
    assert [item.label for item in UCLA_3.items] == [
        "lack of companionship",
        "feeling left out",
        "feeling isolated from others",
    ]
    assert not any(item.reverse or item.recode for item in UCLA_3.items)


@pytest.mark.parametrize(
    ("values", "total", "band", "strength"),
    [
        ((1, 1, 1), 3.0, "not-lonely", 100.0),  # minimum
        ((2, 2, 1), 5.0, "not-lonely", 200 / 3),  # last score below the cut-off
        ((2, 2, 2), 6.0, "lonely", 50.0),  # first score at the cut-off
        ((3, 3, 3), 9.0, "lonely", 0.0),  # maximum
    ],
)
def test_ucla3_known_answers(
    values: tuple[int, ...], total: float, band: str, strength: float
) -> None:
    result = ENGINE.score("ucla-3", answers("ucla", values))
    assert (result.total, result.band) == (total, band)
    assert result.strength() == pytest.approx(strength)
    assert result.items == {f"ucla-{i}": float(v) for i, v in enumerate(values, start=1)}


def test_ucla3_allows_no_missing_item() -> None:
    with pytest.raises(rs.InvalidAnswersError, match="at most 0 may be missing"):
        ENGINE.score("ucla-3", answers("ucla", (1, 1, None)))


@pytest.mark.parametrize("lonely_from", [3, 10])
def test_ucla3_cut_off_must_stay_inside_the_range(lonely_from: int) -> None:
    with pytest.raises(rs.InstrumentDefinitionError, match="lonely_from"):
        make_ucla3(lonely_from=lonely_from)


# -- brs ------------------------------------------------------------------------------------


def brs(keyed: Sequence[int | None]) -> dict[str, Any]:
    """Raw BRS answers that score ``keyed`` after reversing items 2, 4 and 6."""
    raw = [v if v is None or i % 2 == 1 else 6 - v for i, v in enumerate(keyed, start=1)]
    return answers("brs", raw)


def test_brs_items_2_4_6_are_reverse_keyed() -> None:
    assert [item.reverse for item in BRS.items] == [False, True, False, True, False, True]


@pytest.mark.parametrize("item", range(1, 7))
@pytest.mark.parametrize("raw", range(1, 6))
def test_brs_each_item_keyed(item: int, raw: int) -> None:
    values = [3] * 6
    values[item - 1] = raw
    result = ENGINE.score("brs", answers("brs", values))
    expected = 6 - raw if item % 2 == 0 else raw
    assert result.items[f"brs-{item}"] == expected
    assert result.total == pytest.approx((15 + expected) / 6)


@pytest.mark.parametrize(
    ("keyed", "total", "band"),
    [
        ((1, 1, 1, 1, 1, 1), 1.0, "low"),  # minimum
        ((3, 3, 3, 3, 3, 2), 17 / 6, "low"),  # 2.83, just below 3.00
        ((3, 3, 3, 3, 3, 3), 3.0, "normal"),  # 3.00
        ((4, 4, 4, 4, 4, 5), 25 / 6, "normal"),  # 4.17, the highest mean below 4.30
        ((4, 4, 4, 4, 5, 5), 26 / 6, "high"),  # 4.33, the lowest mean above 4.30
        ((5, 5, 5, 5, 5, 5), 5.0, "high"),  # maximum
    ],
)
def test_brs_known_answers(keyed: tuple[int, ...], total: float, band: str) -> None:
    result = ENGINE.score("brs", brs(keyed))
    assert result.total == pytest.approx(total)
    assert result.band == band


def test_brs_raw_answers_all_the_same_give_a_neutral_mean() -> None:
    # Agreeing strongly with every statement cancels out: three 5s and three reversed 1s.
    assert ENGINE.score("brs", answers("brs", [5] * 6)).total == 3.0


@pytest.mark.parametrize(
    ("score", "band"), [(2.99, "low"), (3.0, "normal"), (4.30, "normal"), (4.31, "high")]
)
def test_brs_band_edges(score: float, band: str) -> None:
    # Means of six whole answers cannot land on 2.99 or 4.30 exactly; the edges themselves
    # are checked on the instrument's bands.
    assert band_of(BRS.bands, score) == band


def test_brs_one_missing_item_is_the_mean_of_the_five_answered() -> None:
    result = ENGINE.score("brs", brs((5, 5, 5, 5, 4, None)))
    assert result.total == pytest.approx(4.8)
    assert result.missing == ("brs-6",)
    assert result.band == "high"
    assert ENGINE.score("brs", brs((3, 3, 3, 2, 3, None))).total == pytest.approx(2.8)
    assert ENGINE.score("brs", brs((None, 3, 3, 3, 3, 3))).total == 3.0


def test_brs_two_missing_items_are_an_error() -> None:
    with pytest.raises(rs.InvalidAnswersError, match=r"2 items unanswered \(brs-1, brs-4\)"):
        ENGINE.score("brs", brs((None, 3, 3, None, 3, 3)))


def test_brs_make_moves_the_bands_and_the_missing_allowance() -> None:
    strict = make_brs(max_missing=0)
    with pytest.raises(rs.InvalidAnswersError):
        rs.Engine(load_installed=False, plugins=[_Replace(strict)]).score(
            "brs", brs((3, 3, 3, 3, 3, None))
        )
    assert band_of(make_brs(low_below=2.5).bands, 2.8) == "normal"
    with pytest.raises(rs.InstrumentDefinitionError, match="low_below"):
        make_brs(low_below=4.5, high_above=4.0)


class _Replace:
    def __init__(self, instrument: rs.Instrument) -> None:
        self.instrument = instrument

    @rs.hookimpl
    def resilience_register_instruments(self, register: Any) -> None:
        register(self.instrument, replace=True)


# -- lsns-6 ---------------------------------------------------------------------------------


def test_lsns6_items_family_then_friends() -> None:
    labels = [item.label for item in LSNS_6.items]
    assert all(label.startswith("family") for label in labels[:3])
    assert all(label.startswith("friends") for label in labels[3:])
    assert LSNS_6.subscale("family").item_ids == ("lsns-1", "lsns-2", "lsns-3")
    assert LSNS_6.subscale("friends").item_ids == ("lsns-4", "lsns-5", "lsns-6")
    assert LSNS_6.scale.values == (0, 1, 2, 3, 4, 5)


@pytest.mark.parametrize(
    ("values", "total", "family", "friends", "band"),
    [
        ((0, 0, 0, 0, 0, 0), 0.0, 0.0, 0.0, "at-risk"),  # minimum
        ((2, 2, 2, 2, 2, 1), 11.0, 6.0, 5.0, "at-risk"),  # just below the cut-off
        ((2, 2, 2, 2, 2, 2), 12.0, 6.0, 6.0, "not-at-risk"),  # at the cut-off
        ((5, 5, 5, 0, 0, 0), 15.0, 15.0, 0.0, "not-at-risk"),  # family only
        ((0, 1, 0, 5, 4, 5), 15.0, 1.0, 14.0, "not-at-risk"),  # friends mostly
        ((5, 5, 5, 5, 5, 5), 30.0, 15.0, 15.0, "not-at-risk"),  # maximum
    ],
)
def test_lsns6_known_answers(
    values: tuple[int, ...], total: float, family: float, friends: float, band: str
) -> None:
    result = ENGINE.score("lsns-6", answers("lsns", values))
    assert result.total == total
    assert result.subscales == {"family": family, "friends": friends}
    assert result.band == band
    assert result.subscale_bands == {}  # the subscale cut-off is not verified: not applied
    assert result.strength("family") == pytest.approx(100 * family / 15)


def test_lsns6_allows_no_missing_item() -> None:
    with pytest.raises(rs.InvalidAnswersError, match="at most 0 may be missing"):
        ENGINE.score("lsns-6", answers("lsns", (1, 1, 1, 1, 1, None)))


def test_lsns6_cut_off_can_be_moved() -> None:
    assert band_of(make_lsns6(at_risk_below=10).bands, 11) == "not-at-risk"
    assert band_of(make_lsns6(at_risk_below=10).bands, 9) == "at-risk"
    with pytest.raises(rs.InstrumentDefinitionError, match="at_risk_below"):
        make_lsns6(at_risk_below=0)


# -- djg-6 ----------------------------------------------------------------------------------

NO, MORE_OR_LESS, YES = 1, 2, 3
EMOTIONAL = ("djg-1", "djg-4", "djg-6")
SOCIAL = ("djg-2", "djg-3", "djg-5")


def djg(emotional: Sequence[int | None], social: Sequence[int | None]) -> dict[str, Any]:
    return dict(zip(EMOTIONAL, emotional, strict=True)) | dict(zip(SOCIAL, social, strict=True))


def test_djg6_items_and_subscales() -> None:
    assert [item.id for item in DJG_6.items] == [f"djg-{i}" for i in range(1, 7)]
    assert DJG_6.subscale("emotional").item_ids == EMOTIONAL
    assert DJG_6.subscale("social").item_ids == SOCIAL
    assert [o.label for o in DJG_6.scale.options] == ["no", "more-or-less", "yes"]


@pytest.mark.parametrize("item_id", EMOTIONAL + SOCIAL)
def test_djg6_dichotomy_counts_the_neutral_answer_as_lonely_on_every_item(item_id: str) -> None:
    lonely = {NO: 0.0, MORE_OR_LESS: 1.0, YES: 1.0}
    if item_id in SOCIAL:  # positively worded: "no" is the lonely answer
        lonely = {NO: 1.0, MORE_OR_LESS: 1.0, YES: 0.0}
    for answer, expected in lonely.items():
        values = djg((NO, NO, NO), (YES, YES, YES)) | {item_id: answer}
        result = ENGINE.score("djg-6", values)
        assert result.items[item_id] == expected
        assert result.total == expected


@pytest.mark.parametrize(
    ("emotional", "social", "total", "band"),
    [
        ((NO, NO, NO), (YES, YES, YES), 0.0, "not-lonely"),  # minimum
        ((YES, NO, NO), (YES, YES, YES), 1.0, "not-lonely"),
        ((YES, NO, NO), (NO, YES, YES), 2.0, "moderately-lonely"),
        ((YES, YES, NO), (MORE_OR_LESS, NO, YES), 4.0, "moderately-lonely"),
        ((YES, YES, MORE_OR_LESS), (NO, NO, YES), 5.0, "severely-lonely"),
        ((YES, YES, YES), (NO, NO, NO), 6.0, "severely-lonely"),  # maximum
        ((MORE_OR_LESS,) * 3, (MORE_OR_LESS,) * 3, 6.0, "severely-lonely"),  # all neutral
    ],
)
def test_djg6_known_answers(
    emotional: tuple[int, ...], social: tuple[int, ...], total: float, band: str
) -> None:
    result = ENGINE.score("djg-6", djg(emotional, social))
    assert (result.total, result.band) == (total, band)
    assert result.strength() == pytest.approx(100 * (6 - total) / 6)


@pytest.mark.parametrize(
    ("emotional", "expected", "band"),
    [
        ((NO, NO, NO), 0.0, "not-lonely"),
        ((NO, MORE_OR_LESS, NO), 1.0, "lonely"),
        ((YES, YES, YES), 3.0, "lonely"),
    ],
)
def test_djg6_subscale_bands(emotional: tuple[int, ...], expected: float, band: str) -> None:
    result = ENGINE.score("djg-6", djg(emotional, (YES, YES, YES)))
    assert result.subscales == {"emotional": expected, "social": 0.0}
    assert result.subscale_bands == {"emotional": band, "social": "not-lonely"}


def test_djg6_one_missing_item_counts_the_five_answered_and_drops_its_subscale() -> None:
    result = ENGINE.score("djg-6", djg((YES, YES, None), (NO, NO, NO)))
    assert result.total == 5.0  # the five answered, not prorated to 6
    assert result.band == "severely-lonely"
    assert result.missing == ("djg-6",)
    assert result.subscales == {"social": 3.0}
    assert result.subscale_bands == {"social": "lonely"}
    social_gap = ENGINE.score("djg-6", djg((NO, NO, NO), (YES, None, YES)))
    assert social_gap.total == 0.0
    assert social_gap.subscales == {"emotional": 0.0}


def test_djg6_two_missing_items_are_an_error() -> None:
    with pytest.raises(rs.InvalidAnswersError, match="at most 1 may be missing"):
        ENGINE.score("djg-6", djg((YES, None, YES), (NO, None, NO)))


# -- mspss ----------------------------------------------------------------------------------

MSPSS_SUBSCALES = {
    "significant-other": (1, 2, 5, 10),
    "family": (3, 4, 8, 11),
    "friends": (6, 7, 9, 12),
}


def test_mspss_subscales_use_the_published_item_numbers() -> None:
    for subscale_id, numbers in MSPSS_SUBSCALES.items():
        assert MSPSS.subscale(subscale_id).item_ids == tuple(f"mspss-{n}" for n in numbers)
    assert MSPSS.scale.values == tuple(range(1, 8))
    assert not any(item.reverse for item in MSPSS.items)


@pytest.mark.parametrize("subscale_id", MSPSS_SUBSCALES)
def test_mspss_each_subscale_is_the_mean_of_exactly_its_items(subscale_id: str) -> None:
    numbers = MSPSS_SUBSCALES[subscale_id]
    values = [7 if n in numbers else 1 for n in range(1, 13)]
    result = ENGINE.score("mspss", answers("mspss", values))
    assert result.subscales == {s: 7.0 if s == subscale_id else 1.0 for s in MSPSS_SUBSCALES}
    assert result.total == 3.0  # (4 x 7 + 8 x 1) / 12
    assert result.band == "moderate"


def _mspss_summing_to(total: int) -> list[int]:
    """Twelve answers 1-7 with the given sum, spread as evenly as possible."""
    base, extra = divmod(total, 12)
    return [base + (1 if i < extra else 0) for i in range(12)]


@pytest.mark.parametrize(
    ("total", "mean", "band"),
    [
        (12, 1.0, "low"),  # minimum
        (35, 35 / 12, "low"),  # 2.92
        (36, 3.0, "moderate"),
        (60, 5.0, "moderate"),
        (61, 61 / 12, "high"),  # 5.08
        (84, 7.0, "high"),  # maximum
    ],
)
def test_mspss_total_known_answers(total: int, mean: float, band: str) -> None:
    result = ENGINE.score("mspss", answers("mspss", _mspss_summing_to(total)))
    assert result.total == pytest.approx(mean)
    assert result.band == band


@pytest.mark.parametrize(
    ("values", "mean", "band"),
    [
        ((3, 3, 3, 2), 2.75, "low"),
        ((3, 3, 3, 3), 3.0, "moderate"),
        ((5, 5, 5, 5), 5.0, "moderate"),
        ((5, 5, 5, 6), 5.25, "high"),
    ],
)
def test_mspss_subscale_band_edges(values: tuple[int, ...], mean: float, band: str) -> None:
    family = dict(zip(MSPSS_SUBSCALES["family"], values, strict=True))
    result = ENGINE.score("mspss", answers("mspss", [family.get(n, 4) for n in range(1, 13)]))
    assert result.subscales["family"] == mean
    assert result.subscale_bands["family"] == band


@pytest.mark.parametrize(
    ("score", "band"), [(2.99, "low"), (3.0, "moderate"), (5.0, "moderate"), (5.01, "high")]
)
def test_mspss_closes_the_gaps_in_the_authors_reading(score: float, band: str) -> None:
    assert band_of(MSPSS.bands, score) == band


def test_mspss_allows_no_missing_item_and_its_edges_can_move() -> None:
    with pytest.raises(rs.InvalidAnswersError, match="at most 0 may be missing"):
        ENGINE.score("mspss", answers("mspss", [4] * 11))
    assert band_of(make_mspss(high_above=5.5).bands, 5.25) == "moderate"
    with pytest.raises(rs.InstrumentDefinitionError, match="low_below"):
        make_mspss(low_below=6.0, high_above=5.0)


# -- the project's checklists ------------------------------------------------------------------


def test_connection_signs_one_item_per_sign_and_a_subscale_per_pillar() -> None:
    assert [item.id for item in CONNECTION_SIGNS.items] == [s.value for s in rs.IsolationSign]
    for pillar in rs.Pillar:
        expected = {sign.value for sign in rs.IsolationSign if pillar in sign.pillars}
        assert set(CONNECTION_SIGNS.subscale(pillar.value).item_ids) == expected
    assert CONNECTION_SIGNS.higher_is_better is False


def test_connection_signs_scoring_and_missing_items() -> None:
    signs = [sign.value for sign in rs.IsolationSign]
    full = ENGINE.score("connection-signs", dict.fromkeys(signs, 4))
    assert (full.total, full.strength()) == (4.0, 0.0)
    assert all(value == 4.0 for value in full.subscales.values())
    assert set(full.subscales) == {pillar.value for pillar in rs.Pillar}

    answered = dict.fromkeys(signs, 0) | {"hides-struggles": 4}
    two_gaps = answered | {"lost-purpose": None, "relies-only-on-self": None}
    result = ENGINE.score("connection-signs", two_gaps)
    assert result.total == pytest.approx(4 / 5)  # mean of the five answered
    assert result.missing == ("lost-purpose", "relies-only-on-self")
    # belonging and practical support each miss one of their two items: scored from one.
    assert result.subscales["belonging"] == 0.0
    assert result.subscales["practical-support"] == 0.0
    with pytest.raises(rs.InvalidAnswersError, match="at most 2 may be missing"):
        ENGINE.score("connection-signs", two_gaps | {"not-understood": None})


def test_connection_signs_subscale_with_two_gaps_is_left_out() -> None:
    signs = [sign.value for sign in rs.IsolationSign]
    gaps = dict.fromkeys(signs, 1) | {
        "exhausted-by-small-stress": None,
        "relies-only-on-self": None,
    }
    result = ENGINE.score("connection-signs", gaps)
    assert "practical-support" not in result.subscales  # both of its items are missing
    assert result.subscales["co-regulation"] == 1.0  # one of four missing: allowed


def test_resilience_capacities() -> None:
    ids = [capacity.value for capacity in rs.Capacity]
    assert [item.id for item in RESILIENCE_CAPACITIES.items] == ids
    result = ENGINE.score("resilience-capacities", dict(zip(ids, (1, 2, 3, 4, 5), strict=True)))
    assert (result.total, result.band, result.strength()) == (3.0, None, 50.0)
    one_gap = ENGINE.score("resilience-capacities", dict(zip(ids, (5, 5, 5, 4, None), strict=True)))
    assert one_gap.total == pytest.approx(4.75)
    with pytest.raises(rs.InvalidAnswersError):
        ENGINE.score("resilience-capacities", dict(zip(ids, (5, 5, 5, None, None), strict=True)))
