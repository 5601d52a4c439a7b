"""Balance a reference PySide6 6.12.0 drops on None, on Python before 3.12 (6.11.2 does not).

Measured here (tests/ui/test_pyside_fix.py): every call from Python of QTableWidget.setItem, of
setData on a QStandardItem, QListWidgetItem or QTableWidgetItem, of QStandardItem.setCheckState and
QStandardItemModel.appendRow lowers None's reference count by one (and more methods may).
On Python 3.11 None is an ordinary object, so a session that fills enough table cells aborts with
"Fatal Python error: none_dealloc" (a 10,000-row due list did, and so would an evening of visit forms).
From Python 3.12 None is immortal and the lost references do not matter.

QTableWidget.setItem (not virtual) is wrapped to give None its reference back; it is installed once,
for every page, when `fupin_desktop.ui` is imported. The items' setData cannot be wrapped the same
way: a Python attribute on the class becomes an override that C++ calls back (setCheckState,
setTextAlignment …), and that path drops references too. Callers of setData call `balance_none()`
after it instead. Giving back more than was taken is harmless (None is never freed).
"""

import ctypes
import functools
import sys
from collections.abc import Callable
from typing import Any

import PySide6
from PySide6.QtWidgets import QTableWidget

_LEAKING = ((QTableWidget, "setItem"),)
NEEDED = sys.version_info < (3, 12) and PySide6.__version__.startswith("6.12.")  # 6.11.2 is fine
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def _balanced(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        _incref(None)
        return result
    call.__fupin_balanced__ = True  # type: ignore[attr-defined]
    return call


def balance_none(calls: int = 1) -> None:
    """After `calls` calls of an item's setData from Python: give None its references back."""
    if NEEDED:
        for _ in range(calls):
            _incref(None)


def install() -> bool:
    """Wrap the leaking methods (once); False when nothing needs doing (Python 3.12 or later)."""
    if not NEEDED:
        return False
    for cls, name in _LEAKING:
        method = getattr(cls, name)
        if not getattr(method, "__fupin_balanced__", False):
            setattr(cls, name, _balanced(method))
    return True


install()
