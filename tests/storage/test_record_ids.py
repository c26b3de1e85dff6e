"""Record ids never change: stores dedupe on them, so an id is a promise across releases."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

import resilience as rs
from resilience.storage import MAX_PERSON_ID
from resilience.storage._records import encode
from resilience.testing import strategies as rst

CHECK_IN = rs.CheckIn("s1", dt.date(2026, 1, 9), rs.Outcome.DONE)


def test_a_known_record_keeps_its_id() -> None:
    # Written down when ids were introduced; a change here breaks every existing store.
    assert encode(CHECK_IN, person_id="p-1").id == (
        "b11ee446e9e09803fbe6eba872430285f5d7def4e0bcb361957aafb7acbaed80"
    )


# Every person id a store accepts: no NUL, no lone surrogate, at most MAX_PERSON_ID long
# (a NUL is refused, as test_junk_store shows).
STORABLE_IDS = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    min_size=1,
    max_size=MAX_PERSON_ID,
)


@given(STORABLE_IDS, rst.check_ins())
def test_the_id_is_the_documented_hash_for_any_person_id(
    person_id: str, check_in: rs.CheckIn
) -> None:
    # The documented formula: SHA-256 of json.dumps([kind, person_id]), a newline and the
    # canonical body. Person ids with quotes, backslashes, control or non-ASCII characters
    # must hash exactly as that formula says.
    row = encode(check_in, person_id=person_id)
    head = json.dumps(["check-in", person_id], ensure_ascii=False)
    body = json.dumps(
        json.loads(row.body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert row.body == body
    assert row.id == hashlib.sha256(f"{head}\n{body}".encode()).hexdigest()
