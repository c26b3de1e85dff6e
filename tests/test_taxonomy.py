"""The article's taxonomy: complete, linked, described in the project's own words."""

from __future__ import annotations

import enum

import pytest

import resilience as rs

ENUMS = [rs.Capacity, rs.Pillar, rs.IsolationSign, rs.IsolationDriver, rs.Strategy]


def test_sizes_match_the_article() -> None:
    assert [len(e) for e in ENUMS] == [5, 4, 7, 5, 5]


@pytest.mark.parametrize("kind", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_label_and_description(kind: type[enum.Enum]) -> None:
    labels = set()
    for member in kind:
        label = member.label  # type: ignore[attr-defined]
        description = member.description  # type: ignore[attr-defined]
        assert label
        assert label[0].isupper()
        assert len(label) <= 60
        assert description.endswith(".")
        assert len(description) >= 30
        labels.add(label)
    assert len(labels) == len(kind), "labels must be distinct"


def test_values_are_unique_across_pillars_and_capacities() -> None:
    # Contribution targets are written as bare values, so they must not collide.
    values = [p.value for p in rs.Pillar] + [c.value for c in rs.Capacity]
    assert len(values) == len(set(values))


def test_every_sign_links_at_least_one_pillar_and_capacity() -> None:
    for sign in rs.IsolationSign:
        assert sign.pillars, sign
        assert sign.capacities, sign


def test_every_pillar_is_reached_by_a_sign_and_a_strategy() -> None:
    for pillar in rs.Pillar:
        assert pillar.signs, pillar
        assert pillar.strategies, pillar


def test_every_driver_is_countered_by_a_strategy() -> None:
    for driver in rs.IsolationDriver:
        assert driver.countered_by, driver
        for strategy in driver.countered_by:
            assert driver in strategy.counters


def test_every_strategy_rebuilds_a_pillar_and_counters_a_driver() -> None:
    for strategy in rs.Strategy:
        assert strategy.pillars, strategy
        assert strategy.counters, strategy


def test_links_agree_in_both_directions() -> None:
    for pillar in rs.Pillar:
        assert pillar.signs == {s for s in rs.IsolationSign if pillar in s.pillars}
        assert pillar.strategies == {s for s in rs.Strategy if pillar in s.pillars}


def test_seeking_support_reaches_every_pillar() -> None:
    # Professional and community support is the safety net for any unmet need.
    assert rs.Strategy.SEEK_SUPPORT.pillars == frozenset(rs.Pillar)


def test_article_specific_links() -> None:
    assert rs.Strategy.IN_PERSON in rs.IsolationDriver.REMOTE_AND_DIGITAL.countered_by
    assert rs.Strategy.BE_VULNERABLE_FIRST in rs.IsolationDriver.INDEPENDENCE_NORMS.countered_by
    assert rs.Pillar.VALIDATION in rs.IsolationSign.NOT_UNDERSTOOD.pillars
    assert rs.Pillar.BELONGING in rs.IsolationSign.LOST_PURPOSE.pillars
    assert rs.Pillar.PRACTICAL_SUPPORT in rs.IsolationSign.RELIES_ONLY_ON_SELF.pillars


def test_members_round_trip_by_value() -> None:
    for kind in ENUMS:
        for member in kind:
            assert kind(member.value) is member
