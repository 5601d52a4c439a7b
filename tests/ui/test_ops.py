"""DbOps runs work on worker threads; results and the objects they hold stay with the GUI thread."""

import threading
import weakref

import pytest
from PySide6.QtWidgets import QWidget

from fupin_desktop.errors import FupinError
from fupin_desktop.ui.ops import DbOps


def test_a_background_query_delivers_its_result_on_the_gui_thread(qtbot, ops, households):
    seen: list[tuple[int, str]] = []
    widget = QWidget()
    qtbot.addWidget(widget)
    ops.query_in_background(lambda s: 3, success=lambda n: seen.append((n, threading.current_thread().name)),
                            parent=widget)
    qtbot.waitUntil(lambda: seen == [(3, threading.main_thread().name)])


def test_a_known_problem_goes_to_failure(qtbot, ops):
    failures: list[str] = []

    def broken(_db):
        raise FupinError("U盘已拔出")
    ops.in_background(broken, success=lambda _r: pytest.fail("no result"), failure=lambda e: failures.append(str(e)))
    qtbot.waitUntil(lambda: failures == ["U盘已拔出"])


def test_a_widget_forgotten_while_its_query_runs_is_released_on_the_gui_thread(qtbot, db):
    """A page closed (or a test ended) while its query still ran: the worker must not hold the last
    reference, or the widget would be destroyed on the worker thread and take the program down."""
    gate = threading.Event()
    released_on: list[str] = []
    widget = QWidget()
    weakref.finalize(widget, lambda: released_on.append(threading.current_thread().name))
    DbOps(db).query_in_background(lambda _s: str(gate.wait(10)), success=widget.setWindowTitle, parent=widget)
    del widget  # only the job refers to it now
    worker = next(t for t in threading.enumerate() if t.name == "fupin-background")
    gate.set()
    worker.join(10)
    assert released_on == []  # still held for the GUI thread, although the worker has ended
    qtbot.waitUntil(lambda: released_on == [threading.main_thread().name])
