"""Hybrid logical clock: wall-clock milliseconds plus a counter plus the replica id.

Village PCs often have wrong clocks. The HLC never runs backwards on one replica, moves past
any clock value it has seen from another, and its text form sorts in causal order, so it can
break ties between concurrent edits. It never decides what a bundle carries.
"""

from collections.abc import Iterable
from dataclasses import dataclass

# The counter has five digits in the text form; past this a clock borrows the next millisecond.
MAX_COUNTER = 99_999


@dataclass(frozen=True, order=True)
class Hlc:
    ms: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.ms:013d}-{self.counter:05d}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> "Hlc":
        ms, counter, node = text.split("-", 2)
        return cls(int(ms), int(counter), node)


def tick(last: Hlc | None, now_ms: int, node: str) -> Hlc:
    """The clock value for a new local event."""
    if last is not None and last.ms >= now_ms:
        if last.counter < MAX_COUNTER:
            return Hlc(last.ms, last.counter + 1, node)
        return Hlc(last.ms + 1, 0, node)
    return Hlc(now_ms, 0, node)


def ticks(last: Hlc | None, now_ms: int, node: str, n: int) -> list[str]:
    """Encoded clock values for n new local events in a row (the bulk form of `tick`)."""
    return ticks_at(tick(last, now_ms, node), range(n))


def later(first: Hlc, k: int) -> Hlc:
    """The clock value k local events after `first`, with no wall-clock reading in between."""
    ms, counter = divmod(first.counter + k, MAX_COUNTER + 1)
    return Hlc(first.ms + ms, counter, first.node)


def ticks_at(first: Hlc, places: Iterable[int]) -> list[str]:
    """Encoded `later(first, k)` for each k in `places`: clock values set aside in advance can be
    handed out in any order."""
    ms, counter, node = first.ms, first.counter, first.node
    return [f"{ms + q:013d}-{c:05d}-{node}" for q, c in (divmod(counter + k, MAX_COUNTER + 1) for k in places)]


def receive(last: Hlc | None, remote: Hlc, now_ms: int, node: str) -> Hlc:
    """The clock value after seeing a remote event (so local edits sort after it)."""
    top = max(x for x in (last, remote) if x is not None)
    return tick(top, now_ms, node)
