"""Use cases: one function per user action, each one transaction, returning plain rows."""

# Features that contribute 首页 due items (services/due.py) register them when imported.
from fupin_desktop.services import (  # noqa: E402, F401  (问题整改台账, 走访)
    board,  # noqa: E402, F401  (公示, 项目, 明白栏)
    ledger,
    visits,
)
