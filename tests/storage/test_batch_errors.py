"""Errors about a batch name its first bad entries and count the rest."""

from __future__ import annotations

import pytest

from resilience.errors import InvalidRecordError
from resilience.storage._records import encode_many, parse_lines


def test_a_long_list_of_bad_lines_names_twenty_and_counts_the_rest() -> None:
    with pytest.raises(InvalidRecordError) as caught:
        parse_lines(["{"] * 25)
    problems = caught.value.problems
    assert len(problems) == 21
    assert problems[0].startswith("line 1: malformed JSON")
    assert problems[19].startswith("line 20:")
    assert problems[20] == "… and 5 more bad lines"


def test_a_long_list_of_bad_entries_names_twenty_and_counts_the_rest() -> None:
    with pytest.raises(InvalidRecordError) as caught:
        encode_many(["not a record"] * 22)  # type: ignore[list-item]
    problems = caught.value.problems
    assert len(problems) == 21
    assert problems[19].startswith("records[19]: a store holds")
    assert problems[20] == "… and 2 more bad entries"
