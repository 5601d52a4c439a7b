"""首页: the village at a glance — big numbers first, the work that is due, then households by status,
attribute and cause."""

from operator import itemgetter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.rows import ALL_TABLES
from fupin_desktop.domain.vocab import HOUSEHOLD_STATUSES
from fupin_desktop.services.dashboard import VillageProfile, village_profile
from fupin_desktop.services.due import DueItem, due_items
from fupin_desktop.ui import fit
from fupin_desktop.ui.form_widgets import ERROR_COLOUR
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tables import fit_columns, fit_height, heading

_STYLE = """
QFrame#statCard { background: palette(base); border: 1px solid palette(mid); border-radius: 6px; }
QFrame#statCard QLabel { background: transparent; }
"""


class StatCard(QFrame):
    """One large number with its caption and unit, e.g. 建档立卡户数 / 152 户."""

    def __init__(self, key: str, caption: str, unit: str, *, accent: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statCard")
        self.value = QLabel("—", self)
        self.value.setObjectName(key)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setBold(True)
        self.value.setFont(font)
        if accent:
            self.value.setStyleSheet(f"color: {accent};")
        unit_label = QLabel(unit, self)
        caption_label = QLabel(caption, self)
        caption_label.setStyleSheet("color: palette(placeholder-text);")
        number_row = QHBoxLayout()
        number_row.addWidget(self.value, 0, Qt.AlignmentFlag.AlignBaseline)
        number_row.addWidget(unit_label, 0, Qt.AlignmentFlag.AlignBaseline)
        number_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 14)
        layout.addWidget(caption_label)
        layout.addLayout(number_row)

    def set_value(self, value: int) -> None:
        self.value.setText(str(value))


class HomePage(QWidget):
    """The village profile from `services.dashboard.village_profile`.

    Signals:
        profile_loaded(VillageProfile): after each refresh, so the window can show the village name.
    """

    shows = ALL_TABLES  # the figures and the due list draw on every register

    profile_loaded = Signal(object)

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.setStyleSheet(_STYLE)
        self._title = QLabel(self)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.7)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._subtitle = QLabel(self)
        self._subtitle.setStyleSheet("color: palette(placeholder-text);")
        self._cards = {
            "households": StatCard("households", self.tr("全村户数"), self.tr("户")),
            "persons": StatCard("persons", self.tr("全村人数"), self.tr("人")),
            "registered_households": StatCard("registered_households", self.tr("建档立卡户数"), self.tr("户"),
                                              accent="#b4232c"),
            "registered_persons": StatCard("registered_persons", self.tr("建档立卡人数"), self.tr("人"),
                                           accent="#b4232c"),
        }
        self._today = clock.today()
        self.due_table = RowsView([
            Column(self.tr("类别"), lambda i: i.kind, "centre"),
            Column(self.tr("待办事项"), lambda i: i.title, tooltip=lambda i: i.title if i.kind else None),
            Column(self.tr("期限"), lambda i: i.due and i.due.isoformat(), "centre"),
        ], colour=lambda i: ERROR_COLOUR if i.overdue(self._today) else None, key=lambda i: None,
            browse=False, fit=None, empty_text=self.tr("暂无待办事项"))
        none = self.tr("暂无")
        self.status_table = figures_table(self.tr("户状态"), self.tr("户数"), self.tr("人数"))
        self.attribute_table = figures_table(self.tr("户属性"), self.tr("户数"), empty_text=none)
        self.cause_table = figures_table(self.tr("主要致贫原因"), self.tr("户数"), empty_text=none)
        self._build_layout()

    def _build_layout(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(16)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        cards = QGridLayout()
        cards.setSpacing(16)
        for i, card in enumerate(self._cards.values()):
            cards.addWidget(card, 0, i)
        layout.addLayout(cards)
        layout.addSpacing(8)
        layout.addWidget(heading(self.tr("待办事项")))
        layout.addWidget(self.due_table)
        tables = QHBoxLayout()
        tables.setSpacing(16)
        sections = ((self.tr("按户状态"), self.status_table), (self.tr("按户属性"), self.attribute_table),
                    (self.tr("建档立卡户主要致贫原因"), self.cause_table))
        for title, table in sections:
            column = QVBoxLayout()
            column.setSpacing(8)
            column.addWidget(heading(title))
            column.addWidget(table)
            column.addStretch(1)
            tables.addLayout(column, 1)
        layout.addSpacing(8)
        layout.addLayout(tables)
        layout.addStretch(1)
        fit.fill_scrolled(self, content)

    def refresh(self) -> None:
        """Reload the profile from the database."""
        # on worker threads, after the window is up: counting 50,000 households takes half a second,
        # and some due sources compare every household's board (seconds)
        if not self._title.text():  # the first load: say what comes (the due list takes seconds at 50,000)
            self._title.setText(self.tr("正在读取本村情况…"))
        if not self.due_table.model().rowCount():
            self.due_table.empty_text = self.tr("正在汇总待办事项…")
        self._ops.query_in_background(village_profile, success=self.show_profile, parent=self)
        self._ops.query_in_background(due_items, success=self.show_due, parent=self.due_table)

    DUE_ROWS = 12  # the home page shows the first few; each page has the full list

    def show_due(self, items: list[DueItem]) -> None:
        """The first due items, overdue in red; long titles are cut off with their full text as a tooltip."""
        self._today = today = clock.today()
        self.due_table.empty_text = self.tr("暂无待办事项")
        rows = first_of_each_kind(items, self.DUE_ROWS)
        if len(items) > len(rows):
            rest = [i for i in items if i not in rows]
            late = sum(i.overdue(today) for i in rest)
            rows.append(DueItem("", self.tr("另有{n}项（其中逾期{late}项），见各页面").format(n=len(rest), late=late)))
        self.due_table.set_rows(rows)
        fit_columns(self.due_table, stretch=1)
        self.due_table.setMinimumWidth(0)  # long titles are elided rather than widening the page
        self.due_table.setWordWrap(False)
        self.due_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        fit_height(self.due_table)

    def show_profile(self, profile: VillageProfile) -> None:
        self._title.setText(profile.name)
        self._subtitle.setText(self._subtitle_text(profile))
        self._cards["households"].set_value(profile.households)
        self._cards["persons"].set_value(profile.persons)
        self._cards["registered_households"].set_value(profile.registered_households)
        self._cards["registered_persons"].set_value(profile.registered_persons)
        statuses = [*HOUSEHOLD_STATUSES, *(s for s in profile.by_status if s not in HOUSEHOLD_STATUSES)]
        status_rows = [(s, *profile.by_status.get(s, (0, 0))) for s in statuses]
        self.status_table.set_rows(status_rows)
        self.attribute_table.set_rows(list(profile.by_attribute.items()))
        self.cause_table.set_rows(list(profile.by_cause.items()))
        for table in (self.status_table, self.attribute_table, self.cause_table):
            fit_columns(table)
            fit_height(table)
        self.profile_loaded.emit(profile)

    def _subtitle_text(self, profile: VillageProfile) -> str:
        parts = [self.tr("村代码 {code}").format(code=profile.code)]
        if profile.designation:
            parts.append(profile.designation)
        if profile.exit_year:
            parts.append(self.tr("{year}年退出").format(year=profile.exit_year))
        return "　·　".join(parts)


def figures_table(caption: str, *counts: str, empty_text: str = "") -> RowsView:
    """A small table of (name, count, …) pairs: a caption column and right-aligned counts."""
    return RowsView([Column(caption, lambda r: r[0]),
                     *(Column(c, itemgetter(n), "right") for n, c in enumerate(counts, 1))],
                    key=lambda _r: None, browse=False, fit=None, empty_text=empty_text)


def first_of_each_kind(items: list[DueItem], limit: int, per_kind: int = 4) -> list[DueItem]:
    """Up to `limit` items in their order, at most `per_kind` of a kind while others wait, so a long
    list of overdue measures does not hide the visits and ledger items behind it."""
    chosen: list[int] = []
    taken: dict[str, int] = {}
    for n, item in enumerate(items):
        if len(chosen) < limit and taken.get(item.kind, 0) < per_kind:
            chosen.append(n)
            taken[item.kind] = taken.get(item.kind, 0) + 1
    chosen += [n for n in range(len(items)) if n not in chosen][:limit - len(chosen)]
    return [items[n] for n in sorted(chosen)]

