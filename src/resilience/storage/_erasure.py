"""Erasure receipts: an audit trail of forgetting that keeps nothing of what was forgotten.

Every :meth:`~resilience.storage.Store.forget` (and every person touched by
:meth:`~resilience.storage.Store.forget_before`) writes one :class:`Erasure` in the same
transaction as the deletion. A receipt says **when** records were erased, **how many of each
kind**, and — for retention — **the cutoff**; it names the person only through a salted,
deliberately slow hash:

* a new random salt per receipt, so two receipts of the same person cannot be linked and
  no precomputed table helps;
* PBKDF2-HMAC-SHA256 with :data:`ITERATIONS` rounds, so guessing ids from a leaked audit
  table costs real time per guess and per receipt;
* optionally a secret **erasure key** held by the host (``open_store(...,
  erasure_key=...)`` or ``$RESILIENCE_ERASURE_KEY``): the person id is first keyed with
  HMAC-SHA256, and without the key no guess can be checked at all.

Given a person id, the hash is computed again with the receipt's own salt, so the host can
show that this person's records were erased (:meth:`Erasure.matches`,
``store.erasures(person_id)``). That costs a few milliseconds per receipt, so a store with
an erasure key also keeps a **lookup tag** next to each keyed receipt (:func:`lookup_tag`,
an HMAC-SHA256 of the person id under the key): the store finds a person's receipts by
their tag in one query. The tag is the same for every receipt of one person, so with a
key the receipts of one person can be grouped, but not tied to anyone without the key.
A **key check** value (:func:`key_check`) kept in the store tells a wrong key apart from
a person who was never erased.

Example:
    >>> sealer = Sealer()
    >>> row = sealer("p-42", {"assessment": 2, "check-in": 1})
    >>> receipt = erasure_from_row(row)
    >>> receipt.total, receipt.counts["assessment"], receipt.counts["plan"]
    (3, 2, 0)
    >>> receipt.matches("p-42"), receipt.matches("p-43")
    (True, False)
    >>> "p-42" in repr(receipt)
    False
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import NamedTuple

import attrs

from resilience.errors import StorageError
from resilience.model.fields import to_frozen_map
from resilience.storage._records import KINDS, from_micros, now_micros

__all__ = [
    "ITERATIONS",
    "Erasure",
    "ErasureRow",
    "Sealer",
    "erasure_from_row",
    "hash_person",
    "key_check",
    "lookup_tag",
    "normalise_key",
]

#: PBKDF2 rounds for new receipts (each receipt records its own, so this can grow).
ITERATIONS = 20_000

_PLAIN = "pbkdf2-sha256"
_KEYED = "hmac-sha256+pbkdf2-sha256"
# Domain separation: the lookup tag and the key check are HMACs under the same key as the
# input of the slow hash, so each gets its own prefix and none can stand in for another.
_LOOKUP = b"resilience-erasure-lookup\x00"
_KEY_CHECK = b"resilience-erasure-key-check"


def normalise_key(key: bytes | str | None) -> bytes | None:
    """An erasure key as bytes (text is UTF-8), or ``None`` for none (also for empty).

    Example:
        >>> normalise_key("s3cret"), normalise_key(""), normalise_key(None)
        (b's3cret', None, None)
    """
    if key is None:
        return None
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes):
        raise StorageError(f"an erasure key is bytes or text, not {type(key).__name__}")
    return key or None


def hash_person(
    person_id: str, salt: str, *, key: bytes | None = None, iterations: int = ITERATIONS
) -> tuple[str, str]:
    """The hash scheme and the hex hash of a person id with a hex salt (and key, if any).

    Example:
        >>> scheme, digest = hash_person("p-1", "00" * 16)
        >>> scheme, len(digest)
        ('pbkdf2-sha256:20000', 64)
        >>> hash_person("p-1", "00" * 16, key=b"k")[0]
        'hmac-sha256+pbkdf2-sha256:20000'
    """
    secret = person_id.encode("utf-8")
    if key is not None:
        secret = hmac.new(key, secret, hashlib.sha256).digest()
    digest = hashlib.pbkdf2_hmac("sha256", secret, bytes.fromhex(salt), iterations)
    return f"{_KEYED if key is not None else _PLAIN}:{iterations}", digest.hex()


def lookup_tag(person_id: str, key: bytes) -> str:
    """The lookup tag of a person id under an erasure key: a hex HMAC-SHA256.

    It is the same for every receipt of the person, so the store can find them in one
    query; without the key it cannot be tied to a person id.

    Example:
        >>> tag = lookup_tag("p-1", b"k")
        >>> len(tag), tag == lookup_tag("p-1", b"k"), tag == lookup_tag("p-1", b"other")
        (64, True, False)
    """
    return hmac.new(key, _LOOKUP + person_id.encode("utf-8"), hashlib.sha256).hexdigest()


def key_check(key: bytes) -> str:
    """A value that tells whether two erasure keys are the same, without revealing either.

    A store keeps the check of the key its first keyed erasure used, and refuses a
    different key rather than silently matching nobody.

    Example:
        >>> key_check(b"k") == key_check(b"k"), key_check(b"k") == key_check(b"j")
        (True, False)
    """
    return hmac.new(key, _KEY_CHECK, hashlib.sha256).hexdigest()


def _parse_scheme(scheme: str) -> tuple[bool, int]:
    name, _, rounds = scheme.rpartition(":")
    if name not in (_PLAIN, _KEYED) or not rounds.isdigit() or int(rounds) < 1:
        raise StorageError(
            f"unknown erasure hash scheme {scheme!r}; a newer release of resilience wrote it"
        )
    return name == _KEYED, int(rounds)


@attrs.frozen
class Erasure:
    """A receipt for one erasure: when, how many records of each kind, and whose (hashed).

    It holds nothing of the erased records and not the person id: only a salted, slow
    hash of it (see the module documentation).

    Attributes:
        id: The receipt's own random id.
        erased_at: When the records were erased (UTC).
        counts: How many records of each kind were erased (every kind is present; zero
            when nothing of that kind was stored).
        person_hash: The hex hash of the person id with :attr:`salt`.
        salt: The receipt's random salt (hex).
        scheme: How the hash was made, e.g. ``"pbkdf2-sha256:20000"``; a ``hmac-sha256+``
            prefix means it needs the store's erasure key.
        before: For a retention erasure (:meth:`~resilience.storage.Store.forget_before`),
            the cutoff: records older than this were erased. ``None`` when every record of
            the person was.

    Example:
        >>> import datetime as dt
        >>> from resilience.storage import open_store
        >>> with open_store("memory://") as store:
        ...     store.forget("p-1")
        ...     (receipt,) = store.erasures("p-1")
        0
        >>> receipt.total, receipt.before, receipt.erased_at.tzinfo is dt.timezone.utc
        (0, None, True)
    """

    id: str
    erased_at: dt.datetime
    counts: Mapping[str, int] = attrs.field(converter=to_frozen_map)
    person_hash: str
    salt: str
    scheme: str
    before: dt.datetime | None = None

    @property
    def total(self) -> int:
        """How many records were erased in all.

        Example:
            >>> import datetime as dt
            >>> Erasure("r", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
            ...         {"plan": 2, "check-in": 3}, "ab", "cd", "pbkdf2-sha256:1").total
            5
        """
        return sum(self.counts.values())

    @property
    def keyed(self) -> bool:
        """Whether checking the hash needs the erasure key the receipt was written with.

        Example:
            >>> import datetime as dt
            >>> Erasure("r", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), {}, "ab",
            ...         "cd", "hmac-sha256+pbkdf2-sha256:20000").keyed
            True
        """
        return _parse_scheme(self.scheme)[0]

    def matches(self, person_id: str, *, key: bytes | str | None = None) -> bool:
        """Whether this receipt is for ``person_id``: its hash is computed again and compared.

        Args:
            person_id: The person to check.
            key: The erasure key the store used, needed when :attr:`keyed`.

        Raises:
            StorageError: the receipt is keyed and no key was given, or its scheme is
                unknown (written by a newer release).

        Example:
            >>> receipt = erasure_from_row(Sealer(key=b"k")("p-9", {}))
            >>> receipt.matches("p-9", key=b"k"), receipt.matches("p-9", key=b"other")
            (True, False)
        """
        keyed, rounds = _parse_scheme(self.scheme)
        secret = normalise_key(key)
        if keyed and secret is None:
            raise StorageError(
                "this erasure receipt was written with an erasure key; give the same key "
                "(open_store(..., erasure_key=...) or $RESILIENCE_ERASURE_KEY) to check it"
            )
        _, digest = hash_person(
            person_id, self.salt, key=secret if keyed else None, iterations=rounds
        )
        return hmac.compare_digest(digest, self.person_hash)


class ErasureRow(NamedTuple):
    """A receipt as backends store it: ``counts`` is canonical JSON, times are microseconds.

    ``lookup`` is the :func:`lookup_tag` of the person when the receipt was written with an
    erasure key, and ``None`` otherwise.

    Example:
        >>> ErasureRow._fields
        ('id', 'erased_us', 'before_us', 'counts', 'person_hash', 'salt', 'scheme', 'lookup')
    """

    id: str
    erased_us: int
    before_us: int | None
    counts: str
    person_hash: str
    salt: str
    scheme: str
    lookup: str | None = None


def erasure_from_row(row: ErasureRow) -> Erasure:
    """Read a stored receipt row back into an :class:`Erasure`.

    Example:
        >>> erasure_from_row(Sealer()("p-1", {"plan": 1})).counts["plan"]
        1
    """
    counts = json.loads(row.counts)
    return Erasure(
        id=row.id,
        erased_at=from_micros(row.erased_us),
        counts={str(kind): int(n) for kind, n in counts.items()},
        person_hash=row.person_hash,
        salt=row.salt,
        scheme=row.scheme,
        before=None if row.before_us is None else from_micros(row.before_us),
    )


class Sealer:
    """Makes the receipt rows of one erasure; a backend calls it inside its transaction.

    ``sealer(person_id, counts)`` returns the :class:`ErasureRow` to insert.
    :meth:`prepare` computes a person's hash ahead of time, so that the slow part does not
    run while the backend holds its write lock; a person who was not prepared is hashed
    when sealed.

    Args:
        key: The store's erasure key, if any.
        before_us: The retention cutoff (microseconds since 1970), or ``None``.

    Example:
        >>> sealer = Sealer(before_us=0)
        >>> sealer.prepare("p-1")
        >>> row = sealer("p-1", {"check-in": 4})
        >>> row.counts, row.before_us, row.lookup
        ('{"assessment":0,"check-in":4,"plan":0,"profile":0}', 0, None)
    """

    def __init__(self, *, key: bytes | None = None, before_us: int | None = None) -> None:
        self.key = key
        self.before_us = before_us
        self._ready: dict[str, tuple[str, str, str, str | None]] = {}

    def prepare(self, person_id: str) -> None:
        """Compute the salt and hash for ``person_id`` now, before any transaction.

        Example:
            >>> sealer = Sealer(key=b"k")
            >>> sealer.prepare("p-1")
            >>> sealer("p-1", {}).lookup == lookup_tag("p-1", b"k")
            True
        """
        salt = secrets.token_hex(16)
        scheme, digest = hash_person(person_id, salt, key=self.key)
        tag = None if self.key is None else lookup_tag(person_id, self.key)
        self._ready[person_id] = (salt, scheme, digest, tag)

    def __call__(self, person_id: str, counts: Mapping[str, int]) -> ErasureRow:
        """The receipt row for erasing ``counts`` records (per kind) of ``person_id``."""
        if person_id not in self._ready:
            self.prepare(person_id)
        salt, scheme, digest, tag = self._ready.pop(person_id)
        every = dict.fromkeys(KINDS, 0)
        every.update({kind: int(n) for kind, n in counts.items()})
        return ErasureRow(
            id=secrets.token_hex(16),
            erased_us=now_micros(),
            before_us=self.before_us,
            counts=json.dumps(every, sort_keys=True, separators=(",", ":")),
            person_hash=digest,
            salt=salt,
            scheme=scheme,
            lookup=tag,
        )
