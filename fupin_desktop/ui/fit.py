"""Windows fit the screen they open on: the village laptop is 1366×768, often at 特大.

The rule (tests/ui/test_fit.py checks it for every page and every dialog at every font size):
a window never needs more than the screen's available area less the window frame, and its
buttons outside scrolled content are fully visible at that size, so the main actions never
hide below the screen's edge. Dialogs size themselves with `fit_to_screen`: the size they
would like, bounded by `room()`; what may not fit goes in `scrolled(...)`.
"""

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QFrame, QLayout, QScrollArea, QVBoxLayout, QWidget

# Title bar and borders a window manager adds around a window's client area (Windows 10: 31 + 8).
FRAME = QSize(16, 40)
LAPTOP = QSize(1366, 768)  # the village laptop; its taskbar takes about 40 px of the height


def available(widget: QWidget | None = None) -> QRect:
    """The screen area a window may use (the screen less its taskbar)."""
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget | None = None) -> QSize:
    """The largest client area a top-level window can have on `widget`'s screen."""
    return available(widget).size() - FRAME


def fit_to_screen(window: QWidget, wanted: QSize | None = None) -> None:
    """Resize a top-level window to `wanted` (default: its size hint), never beyond the screen."""
    limit = room(window)
    size = (wanted if wanted is not None else window.sizeHint()).boundedTo(limit)
    window.resize(size.expandedTo(window.minimumSizeHint().boundedTo(limit)))


def scrolled(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """`content` in a frameless scroll area that resizes it: at a small size it scrolls instead of clipping."""
    scroll = QScrollArea(parent)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    return scroll


def fill_scrolled(page: QWidget, content: QWidget, footer: QLayout | None = None) -> QScrollArea:
    """`page` shows `content` scrolled (it may be taller than a 1366×768 screen at 特大), above `footer`
    (the buttons, always in view) when given."""
    scroll = scrolled(content, page)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll, 1)
    if footer is not None:
        outer.addLayout(footer)
    return scroll


def _in_scrolled_content(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _widest(window: QWidget) -> str:
    """The chain of widest visible children, down to the one that asks for the width."""
    chain, widget = [], window
    while True:
        children = [c for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                    if c.isVisibleTo(window)]
        if not children:
            break
        widget = max(children, key=lambda c: c.minimumSizeHint().width())
        text = getattr(widget, "text", None)
        chain.append(f"{type(widget).__name__}{'“' + text() + '”' if callable(text) else ''}"
                     f" {widget.minimumSizeHint().width()}")
    return " › ".join(chain[-3:])


def problems(window: QWidget, limit: QSize) -> list[str]:
    """What keeps `window` (shown, at its current size) from fitting a client area of `limit`."""
    found = []
    need = window.minimumSizeHint().expandedTo(window.minimumSize())
    if need.width() > limit.width() or need.height() > limit.height():
        found.append(f"至少需要 {need.width()}×{need.height()}，屏幕只有 {limit.width()}×{limit.height()}"
                     f"（最宽的部件：{_widest(window)}）")
    if window.width() > limit.width() or window.height() > limit.height():
        found.append(f"窗口 {window.width()}×{window.height()} 大于屏幕 {limit.width()}×{limit.height()}")
    frame = window.rect()
    for button in window.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _in_scrolled_content(button, window):
            continue
        where = QRect(button.mapTo(window, button.rect().topLeft()), button.size())
        if not frame.contains(where) or button.visibleRegion().boundingRect().size() != button.size():
            found.append(f"按钮“{button.text() or button.toolTip()}”不完整可见（{where.x()},{where.y()} "
                         f"{where.width()}×{where.height()}）")
    return found
