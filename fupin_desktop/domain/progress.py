"""How far long work has come, and whether the person waiting for it has cancelled it.

One type for every long piece of work (roster import and export, printing, sync bundles, backups),
whoever runs it: the GUI's background runner shows it in a progress dialog with 取消, the CLI
writes it to stderr, tests pass nothing. The work calls `step` now and then; once cancelled, the
next `step` (or `check`) raises `Cancelled`, and the work leaves nothing half-done behind.
"""

from collections.abc import Callable
from dataclasses import dataclass

from fupin_desktop.errors import Cancelled

__all__ = ["Cancelled", "Progress", "QUIET"]


def _nothing(_done: int, _total: int, _message: str) -> None:
    return None


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Progress:
    """`report(done, total, message)` sees each step (total 0: not known); `cancelled()` is polled."""

    report: Callable[[int, int, str], None] = _nothing
    cancelled: Callable[[], bool] = _never

    def step(self, done: int, total: int = 0, message: str = "") -> None:
        """Work has come this far; raises Cancelled if the person waiting has given up."""
        self.check()
        self.report(done, total, message)

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled("已取消。")


QUIET = Progress()  # nobody is watching, nobody can cancel
