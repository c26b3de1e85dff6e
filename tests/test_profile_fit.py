"""Profiles that fit the person: severity, missing evidence, felt safety, quality over quantity."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resilience as rs
from resilience.builtin import rules as cq
from resilience.model.network import ContactMode, Frequency, Relation
from resilience.testing import strategies as rst

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone.utc)
ENGINE = rs.Engine(load_installed=False)
P = rs.Pillar

UCLA_WORST = {"ucla-1": 3, "ucla-2": 3, "ucla-3": 3}
UCLA_LONELY = {"ucla-1": 2, "ucla-2": 2, "ucla-3": 2}
DJG_SEVERE = {"djg-1": 3, "djg-2": 1, "djg-3": 1, "djg-4": 3, "djg-5": 2, "djg-6": 1}
LSNS_TWO_OF_THIRTY = {"lsns-1": 1, "lsns-2": 1, "lsns-3": 0, "lsns-4": 0, "lsns-5": 0, "lsns-6": 0}
MSPSS_HIGH = {f"mspss-{i}": 7 for i in range(1, 13)}


def profile(answers, network=None) -> rs.ResilienceProfile:  # type: ignore[no-untyped-def]
    return ENGINE.profile(rs.Assessment("p", NOW, answers, network=network))


DAUGHTER_ABROAD = rs.Connection(
    "Anne",
    Relation.FAMILY,
    trust=5,
    safety=5,
    pillars={P.CO_REGULATION, P.VALIDATION},
    contact={ContactMode.CALL: Frequency.WEEKLY},
    last_contact=NOW.date() - dt.timedelta(days=6),
)


# -- item 4: severity and missing evidence -------------------------------------------------


@pytest.mark.parametrize(
    "network",
    [None, rs.SupportNetwork(()), rs.SupportNetwork((DAUGHTER_ABROAD,))],
    ids=["unknown", "empty", "one-trusted-tie"],
)
@pytest.mark.parametrize(
    "answers",
    [
        {"ucla-3": UCLA_WORST},
        {"djg-6": DJG_SEVERE},
        {"ucla-3": UCLA_LONELY, "lsns-6": LSNS_TWO_OF_THIRTY},
        {"ucla-3": UCLA_WORST, "mspss": MSPSS_HIGH},  # whatever else is known
    ],
    ids=["ucla-worst", "djg-severe", "ucla-lonely-lsns-at-risk", "ucla-worst-with-mspss"],
)
def test_a_validated_scale_at_its_most_severe_always_advises_support(
    answers: dict[str, dict[str, int]], network: rs.SupportNetwork | None
) -> None:
    result = profile(answers, network)
    assert result.support_advised
    for reason in result.flag_reasons:
        assert "'" not in reason  # no band ids quoted
        assert "total" not in reason


def test_ucla_3_maximum_alone_was_not_flagged_before_and_now_is() -> None:
    # The case from the issue: UCLA-3 at 9 of 9, nothing else known.
    result = profile({"ucla-3": UCLA_WORST})
    assert result.support_advised
    plan = ENGINE.plan(result)
    assert plan.steps[0].strategy is rs.Strategy.SEEK_SUPPORT


def test_loneliness_with_the_network_unknown_says_what_evidence_is_missing() -> None:
    result = profile({"ucla-3": UCLA_LONELY})
    (note,) = result.notes
    assert note.kind is rs.NoteKind.MISSING_EVIDENCE
    assert "UCLA-3" in note.text
    assert "no support network was described" in note.text
    assert note.ask.endswith("?")
    assert note.about == ("ucla-3",)


@pytest.mark.parametrize(
    ("answers", "network"),
    [
        ({"ucla-3": UCLA_LONELY}, rs.SupportNetwork(())),  # described, if empty
        ({"ucla-3": UCLA_LONELY, "lsns-6": LSNS_TWO_OF_THIRTY}, None),  # LSNS asks who
        ({"ucla-3": {"ucla-1": 1, "ucla-2": 1, "ucla-3": 2}}, None),  # not lonely
        ({"brs": {f"brs-{i}": 3 for i in range(1, 7)}}, None),  # says nothing of loneliness
    ],
)
def test_no_missing_evidence_note_when_the_evidence_is_there_or_not_needed(
    answers: dict[str, dict[str, int]], network: rs.SupportNetwork | None
) -> None:
    kinds = [n.kind for n in profile(answers, network).notes]
    assert rs.NoteKind.MISSING_EVIDENCE not in kinds


# -- item 2: a trusted tie not felt safe is noted neutrally --------------------------------


def test_a_trusted_partner_not_felt_safe_is_noted_in_neutral_words() -> None:
    ryan = rs.Connection(
        "Ryan",
        Relation.PARTNER,
        trust=4,
        safety=1,
        pillars={P.PRACTICAL_SUPPORT},
        contact={ContactMode.IN_PERSON: Frequency.DAILY},
    )
    mia = rs.Connection("Mia", Relation.FRIEND, trust=5, safety=5, pillars={P.VALIDATION})
    result = profile({}, rs.SupportNetwork((ryan, mia)))
    (note,) = result.notes
    assert note.kind is rs.NoteKind.TRUSTED_NOT_FELT_SAFE
    assert note.about == ("Ryan",)
    lowered = note.text.lower()
    for label in ("abus", "toxic", "danger", "controlling", "because", "violent", "unhealthy"):
        assert label not in lowered
    assert "Ryan" in note.text


@settings(max_examples=60, deadline=None)
@given(rst.support_networks())
def test_every_trusted_tie_not_felt_safe_is_noted_once(network: rs.SupportNetwork) -> None:
    result = profile({}, network)
    noted = [n.about[0] for n in result.notes if n.kind is rs.NoteKind.TRUSTED_NOT_FELT_SAFE]
    expected = sorted(c.alias for c in network.connections if c.trust >= 4 and c.safety <= 2)
    assert noted == expected


# -- item 8: quality over quantity, as a property ------------------------------------------


def untrusted(i: int, trust: int, safety: int, contact: dict, days: int | None) -> rs.Connection:  # type: ignore[type-arg]
    return rs.Connection(
        f"follower {i}",
        Relation.COMMUNITY,
        trust=trust,
        safety=safety,
        pillars=set(P),
        contact=contact,
        last_contact=None if days is None else NOW.date() - dt.timedelta(days=days),
    )


contacts = st.dictionaries(st.sampled_from(list(ContactMode)), st.sampled_from(list(Frequency)))


@settings(max_examples=80, deadline=None)
@given(
    many=st.lists(
        st.tuples(
            st.integers(1, 2),
            st.integers(1, 5),
            contacts,
            st.none() | st.integers(0, 2000),
        ),
        max_size=40,
    ),
    trust=st.integers(4, 5),
    safety=st.integers(4, 5),
    frequency=st.sampled_from(list(Frequency)),
    days=st.none() | st.integers(0, 2000),
)
def test_any_number_of_untrusted_ties_give_less_than_one_close_tie_met_in_person(
    many: list[tuple[int, int, dict, int | None]],  # type: ignore[type-arg]
    trust: int,
    safety: int,
    frequency: Frequency,
    days: int | None,
) -> None:
    on = NOW.date()
    crowd = rs.SupportNetwork(tuple(untrusted(i, *t) for i, t in enumerate(many)))
    close = rs.Connection(
        "Sam",
        Relation.FRIEND,
        trust=trust,
        safety=safety,
        pillars=set(P),
        contact={ContactMode.IN_PERSON: frequency},
        last_contact=None if days is None else on - dt.timedelta(days=days),
    )
    one = cq.pillar_coverage(rs.SupportNetwork((close,)), on)
    for pillar in P:
        thin = cq.pillar_coverage(crowd, on)[pillar]
        assert thin < cq.UNTRUSTED_CEILING < cq.WEAKEST_CLOSE_TIE <= one[pillar] + 1e-9
        assert thin < one[pillar]


@settings(max_examples=60, deadline=None)
@given(rst.support_networks(), rst.connections(alias="added"), st.sampled_from(list(P)))
def test_adding_any_tie_never_lowers_a_pillar(
    network: rs.SupportNetwork, added: rs.Connection, pillar: rs.Pillar
) -> None:
    on = NOW.date()
    before = cq.pillar_coverage(network, on)[pillar]
    if network.get("added") is not None:
        return
    after = cq.pillar_coverage(rs.SupportNetwork((*network.connections, added)), on)[pillar]
    assert after >= before - 1e-9


def test_twelve_social_media_followers_no_longer_make_the_strongest_pillar() -> None:
    # The case from the issue: DJG-6 emotional loneliness 3 of 3 and twelve trust-2
    # followers seen only on social media made validation the strongest pillar (46).
    followers = tuple(
        untrusted(i, 2, 3, {ContactMode.SOCIAL_MEDIA: Frequency.DAILY}, 1) for i in range(12)
    )
    djg = {"djg-1": 3, "djg-2": 3, "djg-3": 3, "djg-4": 3, "djg-5": 3, "djg-6": 3}
    result = profile({"djg-6": djg}, rs.SupportNetwork(followers))
    assert result.network is not None
    assert max(result.network.coverage.values()) < cq.UNTRUSTED_CEILING


@settings(max_examples=60, deadline=None)
@given(rst.assessments())
def test_little_evidence_is_marked(a: rs.Assessment) -> None:
    result = ENGINE.profile(a)
    for score in [*result.pillars.values(), *result.capacities.values()]:
        assert score.little_evidence is (
            score.strength is not None and score.evidence < rs.model.profile.LITTLE_EVIDENCE
        )


def test_one_checklist_answer_is_little_evidence() -> None:
    answers = {c.value: 1 if c is rs.Capacity.GROW else 4 for c in rs.Capacity}
    result = profile({"resilience-capacities": answers})
    grow = result.capacities[rs.Capacity.GROW]
    assert grow.strength == 0.0
    assert grow.little_evidence
