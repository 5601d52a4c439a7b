"""A page made of tabs: when data changes, the tabs that show it reload; `tab_page` lays out one tab."""

from collections.abc import Sequence

from PySide6.QtWidgets import QLayout, QTabWidget, QVBoxLayout, QWidget

from fupin_desktop.domain.rows import ALL_TABLES, Changes
from fupin_desktop.ui.ops import within


class TabbedPage(QWidget):
    """Tabs that each have `refresh()` and `shows` (the tables behind them; every table if not said)."""

    def __init__(self, tabs: Sequence[tuple[str, QWidget]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tabs = [tab for _title, tab in tabs]
        self.tabs = QTabWidget(self)
        for title, tab in tabs:
            self.tabs.addTab(tab, title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.tabs)

    @property
    def shows(self) -> frozenset[str]:
        return frozenset().union(*(getattr(tab, "shows", ALL_TABLES) for tab in self._tabs))

    def changes_made(self, changes: Changes, origin: QWidget | None) -> None:
        """Reload the tabs that show what changed, except the one that wrote (it has updated itself).
        E.g. a benefit changes the boards; a project's spending its assets."""
        for tab in self._tabs:
            if changes.touches(getattr(tab, "shows", ALL_TABLES)) and not within(origin, tab):
                tab.refresh()  # type: ignore[attr-defined]

    def refresh(self) -> None:
        for tab in self._tabs:
            tab.refresh()  # type: ignore[attr-defined]


def tab_page(*parts: QWidget | QLayout | tuple[QWidget, int]) -> QWidget:
    """One tab's content: `parts` from top to bottom; a (widget, stretch) pair shares the spare height."""
    tab = QWidget()
    layout = QVBoxLayout(tab)
    layout.setContentsMargins(0, 8, 0, 0)  # clear of the tab bar
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        elif isinstance(part, tuple):
            layout.addWidget(*part)
        else:
            layout.addWidget(part)
    return tab
