"""The larger-font setting (many users are older): 标准 / 大 / 特大, app-wide, applied at once.

The choice is remembered in QSettings under `display/font_size`. Applying it sets the
application font; widgets that set their own size (page titles, big numbers) and table row
heights were sized from the old font, so they are scaled by the same ratio, and widgets under a
style sheet are re-polished (they would keep the old font otherwise).
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView, QWidget

SETTING = "display/font_size"
STANDARD = "standard"
# key → (label, point size). 10.5 pt is 五号字, the size of printed Chinese documents.
SIZES: dict[str, tuple[str, float]] = {
    STANDARD: (QT_TRANSLATE_NOOP("font_size", "标准"), 10.5),
    "large": (QT_TRANSLATE_NOOP("font_size", "大"), 12.5),
    "xlarge": (QT_TRANSLATE_NOOP("font_size", "特大"), 15.0),
}
_SIZE_RESOLVED = 0x2  # QFont::SizeResolved: the widget set its own size instead of inheriting it


def label(key: str) -> str:
    return QCoreApplication.translate("font_size", SIZES[key][0])


def point_size(key: str) -> float:
    return SIZES.get(key, SIZES[STANDARD])[1]


def saved(settings: QSettings) -> str:
    """The remembered choice; anything unknown (an old or edited settings file) is 标准."""
    key = settings.value(SETTING, STANDARD)
    return key if key in SIZES else STANDARD


def save(settings: QSettings, key: str) -> None:
    settings.setValue(SETTING, key)
    settings.sync()


def apply(key: str) -> float:
    """Set the application font to the size of `key` and rescale what was sized by hand.

    Returns the ratio new/old size (1.0 when nothing changed).
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    old, new = font.pointSizeF(), point_size(key)
    if old <= 0 or abs(old - new) < 0.01:
        return 1.0
    font.setPointSizeF(new)
    app.setFont(font)
    # Qt hands the new font to existing widgets through posted events; deliver them now, so that
    # what is built or measured next (pages refilling their tables, a window's new children) uses it.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationFontChange)
    ratio = new / old
    for window in app.topLevelWidgets():
        _rescale(window, ratio)
    return ratio


def _rescale(window: QWidget, ratio: float) -> None:
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        # Widgets under a style sheet keep the font they were polished with; setting the sheet
        # again re-polishes them with the new application font.
        if widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
    for widget in widgets:
        own = widget.font()
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and own.resolveMask() & _SIZE_RESOLVED:
            own.setPointSizeF(own.pointSizeF() * ratio)
            widget.setFont(own)
        if isinstance(widget, QTableView):
            _rescale_table(widget, ratio)


def _rescale_table(table: QTableView, ratio: float) -> None:
    rows = table.verticalHeader()
    rows.setDefaultSectionSize(round(rows.defaultSectionSize() * ratio))
    columns = table.horizontalHeader()
    for column in range(columns.count()):
        if columns.sectionResizeMode(column) in (QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Fixed):
            columns.resizeSection(column, round(columns.sectionSize(column) * ratio))
