"""Identifiers: time-ordered UUIDs (version 7) so keys made on many laptops never collide."""

import os
import time
import uuid
from typing import NewType

HouseholdId = NewType("HouseholdId", uuid.UUID)
MemberId = NewType("MemberId", uuid.UUID)
ReplicaId = NewType("ReplicaId", uuid.UUID)

# Reference rows get the same id on every installation (uuid5 of their natural key),
# so a county return bundle updates them instead of duplicating them.
REFERENCE_NAMESPACE = uuid.UUID("6f1c2d6e-5b0a-4c55-9a57-f0f0f0000000")


def uuid7(now_ms: int | None = None, rand: int | None = None) -> uuid.UUID:
    """RFC 9562 UUIDv7: 48-bit Unix milliseconds, then 74 random bits.

    `now_ms` and `rand` (80 bits) may be given for deterministic ids, as in the demo village.
    """
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big") if rand is None else rand
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b
    return uuid.UUID(int=value)


def reference_id(kind: str, code: str) -> uuid.UUID:
    """Stable id for a reference row such as ("cause", "01")."""
    return uuid.uuid5(REFERENCE_NAMESPACE, f"{kind}:{code}")
