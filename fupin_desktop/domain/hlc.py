"""Hybrid logical clock: wall-clock milliseconds plus a counter plus the replica id.

Village PCs often have wrong clocks. The HLC never runs backwards on one replica, moves past
any clock value it has seen from another, and its text form sorts in causal order, so it can
break ties between concurrent edits. It never decides what a bundle carries.
"""

from dataclasses import dataclass


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
        return Hlc(last.ms, last.counter + 1, node)
    return Hlc(now_ms, 0, node)


def receive(last: Hlc | None, remote: Hlc, now_ms: int, node: str) -> Hlc:
    """The clock value after seeing a remote event (so local edits sort after it)."""
    top = max(x for x in (last, remote) if x is not None)
    if now_ms > top.ms:
        return Hlc(now_ms, 0, node)
    return Hlc(top.ms, top.counter + 1, node)
