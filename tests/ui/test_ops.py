"""DbOps runs long work on the one background runner; results and the objects they hold stay with
the GUI thread; nothing outlives a test."""

import gc
import threading
import weakref

import pytest
from PySide6.QtWidgets import QWidget

from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import Cancelled, FupinError
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.runner import runner


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
    del widget  # only the task refers to it now
    gate.set()
    assert runner().wait(10)
    assert released_on == []  # still held for the GUI thread, although the worker is done with it
    qtbot.waitUntil(lambda: released_on == [threading.main_thread().name])


def test_one_worker_runs_the_tasks_one_after_another(qtbot, ops):
    order: list[str] = []
    gate = threading.Event()

    def first(_db):
        gate.wait(10)
        order.append("first")
        return threading.current_thread().name

    names: list[str] = []
    ops.in_background(first, success=names.append)
    ops.in_background(lambda _db: order.append("second") or threading.current_thread().name, success=names.append)
    gate.set()
    qtbot.waitUntil(lambda: len(names) == 2)
    assert order == ["first", "second"] and names[0] == names[1] != threading.main_thread().name


def test_progress_reaches_the_gui_thread_and_cancel_stops_the_work(qtbot, ops):
    steps: list[tuple[int, int, str, str]] = []
    failures: list[Exception] = []
    started = threading.Event()

    def work(_db, progress: Progress) -> int:
        for i in range(1, 1000):
            progress.step(i, 999, "正在数")
            started.set()
            threading.Event().wait(0.005)
        return 999
    task = ops.task(work, success=lambda _n: pytest.fail("cancelled work has no result"), failure=failures.append)
    task.progressed.connect(lambda d, t, m: steps.append((d, t, m, threading.current_thread().name)))
    assert started.wait(10)
    task.cancel()
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], Cancelled) and not task.running
    assert steps and steps[0] == (1, 999, "正在数", threading.main_thread().name)


def test_a_finished_tests_tasks_are_drained(qtbot, ops):
    """The autouse fixture (tests/conftest.py) waits for the runner at teardown; drain() drops what
    was not delivered, on the GUI thread."""
    delivered: list[int] = []
    ops.in_background(lambda _db: 1, success=delivered.append)
    runner().drain()
    assert not runner().busy
    qtbot.wait(20)
    assert delivered == []  # dropped: nobody wanted it any more


def test_garbage_cycles_are_collected_on_the_gui_thread_never_on_the_worker(qtbot):
    """A cycle holding a Qt object, collected on a worker thread, destroys it there (a crash)."""
    from fupin_desktop.ui.runner import GuiCollector

    holder = QWidget()
    qtbot.addWidget(holder)
    collected_on: list[threading.Thread] = []

    class Cycle:
        def __del__(self) -> None:
            collected_on.append(threading.current_thread())

    was_enabled = gc.isenabled()
    gc.enable()  # as in the program before the window opens (the test session keeps it off)
    collector = GuiCollector(holder, interval_ms=20)
    try:
        c = Cycle()
        c.me = c  # type: ignore[attr-defined]
        del c

        kept: list[list[list[int]]] = []

        def allocate() -> None:  # crosses the collector's thresholds many times over
            for _ in range(50):
                kept.append([[] for _ in range(2000)])

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert collected_on == []
        qtbot.waitUntil(lambda: collected_on == [threading.main_thread()])
    finally:
        collector.stop()
        if not was_enabled:
            gc.disable()
