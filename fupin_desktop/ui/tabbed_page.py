"""A page made of tabs: when one tab writes, the others reload and the window hears of it."""

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from fupin_desktop.domain.rows import Changes


class TabbedPage(QWidget):
    """Tabs that each have `refresh()` and, if they write, a `changed(Changes)` signal.

    Signals:
        data_changed(Changes): after any tab wrote.
    """

    data_changed = Signal(object)

    def __init__(self, tabs: Sequence[tuple[str, QWidget]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tabs = [tab for _title, tab in tabs]
        self.tabs = QTabWidget(self)
        for title, tab in tabs:
            self.tabs.addTab(tab, title)
            changed = getattr(tab, "changed", None)
            if changed is not None:
                changed.connect(lambda changes, source=tab: self._changed(source, changes))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.tabs)

    def _changed(self, source: QWidget, changes: Changes) -> None:
        for tab in self._tabs:
            if tab is not source:  # e.g. a benefit changes the boards; a project's spending its assets
                tab.refresh()  # type: ignore[attr-defined]
        self.data_changed.emit(changes)

    def refresh(self) -> None:
        for tab in self._tabs:
            tab.refresh()  # type: ignore[attr-defined]
