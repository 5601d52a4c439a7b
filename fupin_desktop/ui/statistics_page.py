"""Page 统计: charts (QtCharts) with the numbers beside them — causes, statuses, attributes, measure
families, plan compliance, income distribution, labour and health of registered members.

Sized for a 1366×768 village laptop with the larger fonts: the cards stand one under another, two
side by side only where both fit; a bar chart is made wide enough for its longest category label,
and a pie has no labels on its slices — the table beside it is its legend, a colour swatch a row.
"""

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.money import yuan_whole
from fupin_desktop.domain.rows import ALL_TABLES
from fupin_desktop.services import plans as plan_service
from fupin_desktop.services.statistics import Series, Statistics, village_statistics
from fupin_desktop.ui import fit
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.tables import fit_columns, fit_height, heading

CHART_HEIGHT = 260
CHART_WIDTH = 300
AXIS_PORTION = 0.4  # QtCharts gives the axes at most 40 % of a chart's width and elides longer labels
GRID_SPACING = 12


def swatch(color: QColor | None, size: int) -> QIcon:
    """A square of a slice's colour with a thin dark edge (the lightest slices are near white);
    an empty one for a row without a slice, so that the names line up."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent if color is None else QColor("#606060"))
    if color is not None:
        painter = QPainter(pixmap)
        painter.fillRect(1, 1, size - 2, size - 2, color)
        painter.end()
    return QIcon(pixmap)


class ChartCard(QFrame):
    """A titled chart with a table of the same numbers beside it."""

    def __init__(self, title: str, *, pie: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.pie = pie
        self.title = heading(title)
        self.chart = QChart()
        self.chart.legend().setVisible(False)
        self.chart.setMargins(QMargins(0, 0, 0, 0))
        self.chart.setBackgroundRoundness(0)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setMinimumWidth(CHART_WIDTH)
        self._swatches: dict[str, QIcon] = {}  # a pie's colours, the table being its legend
        self.table = RowsView([Column(self.tr("项目"), lambda r: r[0], icon=lambda r: self._swatches.get(r[0])),
                               Column(self.tr("数量"), lambda r: r[1], "right"),
                               Column(self.tr("占比"), lambda r: r[2], "right")],
                              key=lambda _r: None, browse=False, fit=None, empty_text=self.tr("暂无数据"))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.body = QHBoxLayout()
        self.body.addWidget(self.view, 3)
        side = QVBoxLayout()
        side.addWidget(self.table)
        side.addWidget(self.note)
        side.addStretch(1)
        self.body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.body)

    def minimum_width(self) -> int:
        """The width the chart and the table need side by side, counted from their own minimums:
        the layout's cached hint is stale while the page has not been shown yet."""
        margins = self.layout().contentsMargins()
        return (2 * self.frameWidth() + margins.left() + margins.right() + self.view.minimumWidth()
                + max(self.body.spacing(), 0) + self.table.minimumWidth())

    def show_series(self, series: Series, *, note: str = "") -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        total = sum(n for _, n in series)
        colors = self._draw_pie(series) if self.pie else {}
        if not self.pie:
            self._draw_bars(series)
        size = self.table.fontMetrics().height() * 3 // 4
        self._swatches = {label: swatch(colors.get(label), size) for label, _ in series} if self.pie else {}
        self.table.set_rows([(label, n, f"{100 * n / total:.1f}%" if total else "") for label, n in series])
        fit_columns(self.table, stretch=0)
        fit_height(self.table)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    def _draw_pie(self, series: Series) -> dict[str, QColor]:
        """Slices without labels (beside a slice they were cut to "…"); returns each slice's colour
        for the table's swatches."""
        pie = QPieSeries()
        pie.setPieSize(0.85)
        for label, n in series:
            if n:
                pie.append(label, n)
        self.chart.addSeries(pie)  # the theme colours the slices here
        return {piece.label(): piece.brush().color() for piece in pie.slices()}

    def _draw_bars(self, series: Series) -> None:
        bars = QBarSet(self.tr("数量"))
        ordered = list(reversed(series))  # a horizontal bar chart draws the first category at the bottom
        bars.append([float(n) for _, n in ordered])
        s = QHorizontalBarSeries()
        s.append(bars)
        s.setLabelsVisible(True)
        self.chart.addSeries(s)
        y = QBarCategoryAxis()
        y.append([label for label, _ in ordered])
        x = QValueAxis()
        x.setRange(0, max([n for _, n in series] + [1]) * 1.15)
        x.applyNiceNumbers()
        x.setLabelFormat("%d")
        self.chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        s.attachAxis(x)
        s.attachAxis(y)
        for axis in (x, y):  # the chart's theme keeps the font it was made with, not the 字号 chosen since
            axis.setLabelsFont(self.font())
        # A category label that does not fit its share of the axis, across or along, is cut to "…".
        metrics = QFontMetrics(self.font())
        widest = max([metrics.horizontalAdvance(label) for label, _ in series] + [0])
        self.view.setMinimumWidth(max(CHART_WIDTH, round((widest + 2 * metrics.height()) / AXIS_PORTION)))
        self.view.setMinimumHeight(max(CHART_HEIGHT, 2 * metrics.height() * (len(series) + 1)))


class StatisticsPage(QWidget):
    shows = ALL_TABLES

    def __init__(self, ops, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._ops = ops
        self.stats: Statistics | None = None
        self.year = QSpinBox()
        self.year.setRange(plan_service.FIRST_PLAN_YEAR, clock.today().year + 1)
        self.year.setValue(clock.today().year)
        self.year.setSuffix(self.tr("年"))
        self.cards = {
            "cause": ChartCard(self.tr("建档立卡户主要致贫原因")),
            "status": ChartCard(self.tr("户状态（户数）"), pie=True),
            "attribute": ChartCard(self.tr("户属性（户数）")),
            "family": ChartCard(self.tr("帮扶措施大类（条数）")),
            "compliance": ChartCard(self.tr("帮扶计划合规情况"), pie=True),
            "income": ChartCard(self.tr("家庭人均纯收入分布（户数）")),
            "labour": ChartCard(self.tr("建档立卡人口劳动能力"), pie=True),
            "health": ChartCard(self.tr("建档立卡人口健康状况"), pie=True),
        }
        content = QWidget()
        layout = QVBoxLayout(content)
        bar = QHBoxLayout()
        bar.addWidget(heading(self.tr("统计")))
        bar.addSpacing(16)
        bar.addWidget(QLabel(self.tr("计划年度")))
        bar.addWidget(self.year)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.grid = QGridLayout()
        self.grid.setSpacing(GRID_SPACING)
        self.columns = 0
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.scroll = fit.fill_scrolled(self, content)
        self._arrange()
        self.year.valueChanged.connect(lambda _y: self.refresh())

    def _arrange(self) -> None:
        """Two cards a row where two fit at their minimum width (a wide screen), else one."""
        content = self.scroll.widget().layout()
        margins = content.contentsMargins()
        room = (self.width() - self.scroll.verticalScrollBar().sizeHint().width()
                - margins.left() - margins.right())
        widest = max(card.minimum_width() for card in self.cards.values())
        columns = 2 if room >= 2 * widest + GRID_SPACING else 1
        if columns == self.columns:
            return
        self.columns = columns
        for i, card in enumerate(self.cards.values()):
            self.grid.removeWidget(card)
            self.grid.addWidget(card, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def refresh(self) -> None:
        year = self.year.value()
        self._ops.query(lambda s: village_statistics(s, year), success=self.show_statistics, parent=self)

    def show_statistics(self, st: Statistics) -> None:
        self.stats = st
        c = self.cards
        c["cause"].show_series(st.by_cause)
        c["status"].show_series(st.by_status)
        c["attribute"].show_series(st.by_attribute)
        covered = "；".join(f"{label.split()[0]}类覆盖{n}户" for label, n in st.households_by_family if n)
        c["family"].show_series(st.by_family, note=f"{st.year}年计划：{covered}" if covered else "")
        rules = "；".join(f"规则{label}：{n}份" for label, n in st.by_rule)
        c["compliance"].show_series(st.compliance, note=f"违反的规则——{rules}" if rules else "")
        line = (self.tr("{y}年扶贫标准{amount}元，低于标准{n}户").format(
            y=st.income_year, amount=yuan_whole(st.line_fen), n=st.below_line) if st.line_fen is not None
            else self.tr("{y}年未配置扶贫标准").format(y=st.income_year))
        c["income"].show_series(st.income_bands, note=self.tr("{y}年收入；").format(y=st.income_year) + line)
        c["labour"].show_series(st.labour)
        c["health"].show_series(st.health)
        self._arrange()  # the cards' widths follow their labels and tables
