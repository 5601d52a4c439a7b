"""Page 统计: charts (QtCharts) with the numbers beside them — causes, statuses, attributes, measure
families, plan compliance, income distribution, labour and health of registered members."""

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QPainter, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.services import plans as plan_service
from fupin_desktop.services.statistics import Series, Statistics, village_statistics
from fupin_desktop.ui.tables import fill_table, fit_columns, fit_height, heading, readonly_table

CHART_HEIGHT = 260


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
        self.view.setMinimumWidth(300)
        self.table = readonly_table([self.tr("项目"), self.tr("数量"), self.tr("占比")])
        self.note = QLabel()
        self.note.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.view, 3)
        side = QVBoxLayout()
        side.addWidget(self.table)
        side.addWidget(self.note)
        side.addStretch(1)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(body)

    def show_series(self, series: Series, *, note: str = "") -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        total = sum(n for _, n in series)
        rows = [(label, n, f"{100 * n / total:.1f}%" if total else "") for label, n in series]
        fill_table(self.table, rows, numeric=(1, 2), empty_text=self.tr("暂无数据"))
        fit_columns(self.table, stretch=0)
        fit_height(self.table)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        shown = [(label, n) for label, n in series if n]
        self.view.setMinimumHeight(max(CHART_HEIGHT, 30 * len(series) + 50))
        if self.pie:
            pie = QPieSeries()
            pie.setPieSize(0.6)
            for label, n in shown:
                piece = pie.append(f"{label} {n}", n)
                piece.setLabelVisible(n / total >= 0.05)  # small slices: the table beside has them
            self.chart.addSeries(pie)
            return
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


class StatisticsPage(QWidget):
    data_changed = Signal(object)  # never emitted: the page only reads; kept for the page protocol

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
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, card in enumerate(self.cards.values()):
            grid.addWidget(card, i // 2, i % 2)
        layout.addLayout(grid)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.year.valueChanged.connect(lambda _y: self.refresh())

    def mark_stale(self) -> None:
        """Data changed elsewhere: reload now if the page is shown, else the next time it is."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh()

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
        line = (self.tr("{y}年扶贫标准{amount:,.0f}元，低于标准{n}户").format(
            y=st.income_year, amount=st.line_fen / 100, n=st.below_line) if st.line_fen is not None
            else self.tr("{y}年未配置扶贫标准").format(y=st.income_year))
        c["income"].show_series(st.income_bands, note=self.tr("{y}年收入；").format(y=st.income_year) + line)
        c["labour"].show_series(st.labour)
        c["health"].show_series(st.health)
