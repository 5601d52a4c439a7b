"""The GUI's one background runner, as Anki's task manager: long work (backups, roster import and
export, printing, sync bundles, slow reads of a large register) runs on ONE worker thread of a
`ThreadPoolExecutor(max_workers=1)`, one piece after another, so database work is serialized and
the window stays live. Results, errors and progress come back on the GUI thread.

The worker touches no Qt object at all: it puts "step" and "done" notes into a plain thread-safe
queue, which the GUI thread empties on a timer while tasks are pending (Qt calls from a Python
thread are how the program once crashed). And because a Qt object released on the worker thread
would be destroyed there:
- the worker is handed only a task number; the task (whose callbacks are bound to widgets) lives
  in `Runner._tasks`, which only the GUI thread empties, after the worker is done with it;
- the frames of a failed task are cleared on the worker before it lets go, so no reference cycle
  through the traceback can be collected on the worker thread;
- a task is a child of the widget it works for (or of the runner), never deleted by Python's
  reference counting or garbage collector at some arbitrary moment: it goes with that widget, or
  by deleteLater once delivered;
- `drain()` waits until the worker is idle and drops what was not delivered (tests call it at
  teardown, the main window when it closes): no task outlives the window or the test it belongs to.
"""

import gc
import itertools
import queue
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from fupin_desktop.domain.progress import Progress
from fupin_desktop.errors import Cancelled, FupinError
from fupin_desktop.ui.errors import show_error


class Task(QObject):
    """One piece of background work, as the GUI sees it: progress, cancel, outcome.

    Signals:
        progressed(done, total, message): the work's Progress stepped (total 0: not known).
        finished(): the work ended, whatever happened (before its success or failure callback).
    """

    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, work: Callable[[Progress], Any], success: Callable[[Any], None],
                 failure: Callable[[FupinError], None] | None, owner: QObject | None, parent: QObject) -> None:
        super().__init__(owner or parent)  # created on the GUI thread, so it lives there
        self._work, self._success, self._failure, self._owner = work, success, failure, owner
        self._cancel = threading.Event()
        self._result: Any = None
        self._error: BaseException | None = None
        self.running = True

    def cancel(self) -> None:
        """Ask the work to stop: its next Progress step raises Cancelled (a failure)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _run(self, progress: Progress) -> None:  # on the worker thread
        try:
            self._result = self._work(progress)
        except BaseException as e:  # handed to the GUI thread, which sorts known problems from bugs
            self._error = e

    def _deliver(self) -> None:  # on the GUI thread
        self.running = False
        success, failure, owner = self._success, self._failure, self._owner
        self._work = self._success = self._failure = self._owner = None  # type: ignore[assignment]
        if not shiboken6.isValid(self) or (owner is not None and not shiboken6.isValid(owner)):
            return  # the widget that asked is gone (and the task with it): nobody to deliver to
        self.deleteLater()  # once this delivery is over
        self.finished.emit()
        error, self._error = self._error, None
        if error is None:
            success(self._result)
        elif isinstance(error, FupinError) and failure is not None:
            failure(error)
        elif isinstance(error, Cancelled):
            pass  # the person who cancelled knows
        elif isinstance(error, FupinError):
            show_error(owner if isinstance(owner, QWidget) else None, error)
        else:
            raise error  # a bug: to the crash hook, on the GUI thread


class Runner(QObject):
    """Runs tasks on one worker thread; see the module's docstring."""

    POLL_MS = 15  # how soon a result or a progress step shows

    def __init__(self) -> None:
        super().__init__()
        self._executor: ThreadPoolExecutor | None = None
        self._tasks: dict[int, Task] = {}
        self._futures: dict[int, Future[None]] = {}
        self._numbers = itertools.count(1)
        self._after: dict[int, Callable[[], None]] = {}
        self._notes: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()  # from the worker
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._pump)

    def run(self, work: Callable[[Progress], Any], *, success: Callable[[Any], None],
            failure: Callable[[FupinError], None] | None = None, owner: QObject | None = None,
            after: Callable[[], None] | None = None) -> Task:
        """Queue `work(progress)`; `success(result)` or `failure(error)` runs on the GUI thread.

        A FupinError goes to `failure`, or is shown (Cancelled is not); anything else is a bug and
        is raised on the GUI thread. Nothing is delivered once `owner` has been deleted; `after`
        runs in any case, once the task is over.
        """
        task = Task(work, success, failure, owner, self)
        number = next(self._numbers)
        self._tasks[number] = task
        if after is not None:
            self._after[number] = after
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fupin-background")
        future = self._executor.submit(self._execute, number, task._cancel.is_set)
        self._futures[number] = future
        future.add_done_callback(lambda _f: self._notes.put(("done", number)))  # after `_execute` let go
        self._timer.start()
        return task

    def _execute(self, number: int, cancelled: Callable[[], bool]) -> None:  # on the worker thread
        notes = self._notes
        progress = Progress(report=lambda done, total, message: notes.put(("step", number, done, total, message)),
                            cancelled=cancelled)
        self._tasks[number]._run(progress)  # no local name holds the task: this frame never releases it
        error = self._tasks[number]._error
        if error is not None:
            traceback.clear_frames(error.__traceback__)  # keeps file and line, drops the frames' locals

    def _pump(self) -> None:
        """On the GUI thread: hand on what the worker noted (in order), and stop polling when idle."""
        while True:
            try:
                note = self._notes.get_nowait()
            except queue.Empty:
                break
            if note[0] == "step":
                task = self._tasks.get(note[1])
                if task is not None and shiboken6.isValid(task):
                    task.progressed.emit(*note[2:])
            else:
                self._futures.pop(note[1], None)
                task = self._tasks.pop(note[1], None)
                after = self._after.pop(note[1], None)
                if task is not None:  # else dropped by drain()
                    try:
                        task._deliver()  # may queue more work
                    finally:
                        if after is not None:
                            after()
        if not self._futures:
            self._timer.stop()

    @property
    def busy(self) -> bool:
        return bool(self._futures)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the worker has finished everything queued so far (at most `timeout` seconds for
        each); the results are delivered later, by the event loop. False if one is still running."""
        for future in list(self._futures.values()):
            try:
                future.result(timeout)
            except TimeoutError:
                return False
        return True

    def drain(self, timeout: float | None = None) -> None:
        """`wait`, then forget what was not delivered yet: nobody wants those results any more."""
        if not self.wait(timeout):
            return  # still running: keep its task, so the worker never holds the last reference
        self._futures.clear()
        while not self._notes.empty():
            self._notes.get_nowait()
        self._timer.stop()
        undelivered = list(self._tasks.values())
        self._tasks.clear()
        self._after.clear()
        for task in undelivered:
            task.running = False
            if shiboken6.isValid(task):
                task.deleteLater()
        undelivered.clear()  # released here, on the GUI thread

    def shutdown(self) -> None:
        """Drain, then stop the worker thread (a new one starts if more work comes)."""
        self.drain()
        if self._executor is not None and not self._futures:
            self._executor.shutdown(wait=True)
            self._executor = None


_runner: Runner | None = None


def runner() -> Runner:
    """The process's runner (created on first use, on the GUI thread)."""
    global _runner
    if _runner is None:
        _runner = Runner()
    return _runner


def drain() -> None:
    """Let every queued task finish and drop their results, if a runner exists (tests' teardown)."""
    if _runner is not None:
        _runner.drain()


def collect_as_thresholds_ask() -> None:
    """What automatic collection would do now: the generations whose thresholds are crossed."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] > thresholds[0]:
        gc.collect(2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0)


class GuiCollector(QObject):
    """Python's cycle collector runs on whichever thread's allocation crosses its threshold: on
    the worker too, where destroying a Qt object found in a garbage cycle (a closed dialog, a
    page's callback) crashes the program. So automatic collection is off while the window runs,
    and the GUI thread collects on a timer, as often as the thresholds ask (as qutebrowser does)."""

    def __init__(self, parent: QObject, interval_ms: int = 500) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_as_thresholds_ask)
        self._timer.start(interval_ms)

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
