"""Use cases: one function per user action, each one transaction, returning plain rows."""

# Features that add sources of due work (首页 待办) register them when imported.
from fupin_desktop.services import ledger, visits  # noqa: E402, F401
