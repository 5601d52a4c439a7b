"""农户详情: a read-only view of one household — facts, members, incomes by year, housing and
water, and the history of its changes from the change log."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import idcard, labels
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import rate, yuan
from fupin_desktop.domain.rows import HistoryRow, MemberRow
from fupin_desktop.domain.vocab import WATER_INDICATORS
from fupin_desktop.services.forms import HouseholdView
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.tables import fit_columns, fit_height, heading

if TYPE_CHECKING:
    pass


HISTORY_HEADERS = (QT_TRANSLATE_NOOP("history", "时间"), QT_TRANSLATE_NOOP("history", "操作人"),
                   QT_TRANSLATE_NOOP("history", "记录"), QT_TRANSLATE_NOOP("history", "操作"),
                   QT_TRANSLATE_NOOP("history", "栏目"), QT_TRANSLATE_NOOP("history", "原值"),
                   QT_TRANSLATE_NOOP("history", "新值"))


@dataclass(frozen=True)
class HistoryLine:
    """One line of the history table: one changed field (time, actor, record and operation only on
    an entry's first line), and the number of its entry, newest first."""

    cells: tuple[str, ...]
    entry: int


def history_cells(history: Sequence[HistoryRow], *, mask_ids: bool = False) -> list[HistoryLine]:
    """The history as table lines, newest change first. With `mask_ids`, ID numbers before and
    after a change are masked as everywhere else for that user."""
    rows = []
    for n, entry in enumerate(reversed(history)):
        head = [f"{entry.local_at:%Y-%m-%d %H:%M}", entry.actor, entry.record,
                labels.OPERATIONS.get(entry.op, entry.op)]
        if not entry.changes:
            rows.append(HistoryLine((*head, "", "", ""), n))
        for i, change in enumerate(entry.changes):
            if entry.op == "insert":
                old = ""
            elif not change.old_known:
                old = "（不详）"
            else:
                old = change.old if change.old is not None else "（空）"
            new = change.new if change.new is not None else "（空）"
            if mask_ids and change.field == "id_number":
                old, new = idcard.mask(old), idcard.mask(new)
            rows.append(HistoryLine((*(head if i == 0 else [""] * 4), change.label, old, new), n))
    return rows


def history_table(history: Sequence[HistoryRow], parent: QWidget | None = None, *,
                  mask_ids: bool = False) -> RowsView:
    """A read-only table of a household's changes; entries are shaded in turn so they read as groups."""
    table = RowsView([Column(QCoreApplication.translate("history", h), lambda r, c=c: r.cells[c],
                             tooltip=c >= 5)  # long values are cut off in the cell
                      for c, h in enumerate(HISTORY_HEADERS)], parent, shaded=lambda r: r.entry % 2 == 1,
                     key=lambda _r: None, fit=None, empty_text=QCoreApplication.translate("history", "暂无变更记录"))
    table.set_rows(history_cells(history, mask_ids=mask_ids))  # long histories scroll with the keyboard too
    header = table.horizontalHeader()
    for column in range(len(HISTORY_HEADERS)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    for column in (5, 6):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


class HouseholdDetailDialog(QDialog):
    """Shows one household: its facts, members and incomes, and the history of its changes.

    Nothing here is edited; 编辑… asks the owner (the 农户 page) to open the editor, which then
    hands the reloaded household back through `set_view`. 编辑… is a write action (ui.permissions);
    with `mask_ids` the members' ID numbers are masked.

    Signals:
        edit_requested(uuid.UUID): the user pressed 编辑….
    """

    edit_requested = Signal(object)

    def __init__(self, view: HouseholdView, parent: QWidget | None = None, *, mask_ids: bool = False) -> None:
        super().__init__(parent)
        self._mask_ids = mask_ids
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.edit_button = QPushButton(self.tr("编辑…"), self)
        self.edit_button.setAutoDefault(False)
        permissions.write_action(self.edit_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.edit_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons = buttons  # the 农户 page adds its 打印 menu here
        buttons.rejected.connect(self.reject)
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.view.detail.id))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 12, 12)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.set_view(view)
        self._fit_to_content(buttons.sizeHint().height())

    def set_view(self, view: HouseholdView) -> None:
        """Show (again) a household, e.g. after it was edited."""
        self.view = view
        d = view.detail
        title = self.tr("农户详情 — {household}")
        self.setWindowTitle(title.format(household=household_name(d.number, view.head_name, brackets=False)))
        permissions.set_visible(self.edit_button, not d.deleted)
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        self.tabs.addTab(self._household_page(), self.tr("户情况"))
        self.tabs.addTab(self._history_page(), self.tr("变更记录（{n}）").format(n=len(view.history)))
        self.tabs.addTab(self._benefits_page(), self.tr("享受政策（{n}）").format(n=len(view.benefits)))
        self.tabs.addTab(self._visits_page(), self.tr("走访记录（{n}）").format(n=len(view.visits)))
        self.tabs.addTab(self._registers_page(), self.tr("搬迁·信贷（{n}）").format(
            n=len(view.loans) + (view.relocation is not None)))
        self.tabs.setCurrentIndex(max(0, current))

    def _household_page(self) -> QWidget:
        d = self.view.detail
        self.members_table = RowsView([
            Column(self.tr("姓名"), lambda m: m.name), Column(self.tr("与户主关系"), lambda m: m.relation),
            Column(self.tr("性别"), lambda m: m.sex), Column(self.tr("年龄"), lambda m: m.age, "right"),
            Column(self.tr("身份证号"), lambda m: idcard.mask(m.id_number) if self._mask_ids and m.id_number
                   else m.id_number),
            Column(self.tr("劳动能力"), lambda m: m.labour_ability), Column(self.tr("健康状况"), self._health),
            Column(self.tr("在校情况"), lambda m: m.schooling_stage), Column(self.tr("务工状况"), self._work),
        ], browse=False, fit=None)
        self.members_table.set_rows(d.members)
        fit_columns(self.members_table, stretch=8)
        self.incomes_table = RowsView([
            Column(self.tr("年度"), lambda i: i.year, "centre"), Column(self.tr("人口"), lambda i: i.persons, "right"),
            *(Column(caption, lambda i, f=field: yuan(getattr(i, f)), "right") for caption, field in (
                (self.tr("工资性"), "wage_fen"), (self.tr("生产经营性"), "operating_fen"),
                (self.tr("财产性"), "property_fen"), (self.tr("转移性"), "transfer_fen"),
                (self.tr("生产经营支出"), "expense_fen"), (self.tr("家庭纯收入"), "net_fen"))),
            Column(self.tr("人均纯收入"), lambda i: yuan(i.per_capita_fen), "right",
                   bold=True),  # the figure everyone asks for
        ], key=lambda i: i.year, browse=False, fit=None, empty_text=self.tr("暂无收入记录"))
        self.incomes_table.set_rows(list(reversed(d.incomes)))
        fit_columns(self.incomes_table, stretch=range(2, 9))  # the amounts share the width
        for table in (self.members_table, self.incomes_table):
            fit_height(table)
        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(16, 12, 16, 12)
        body.setSpacing(8)
        if d.deleted:
            banner = QLabel(self.tr("此户已删除，以下为删除前的信息。"))
            banner.setStyleSheet("color: #b4232c; font-weight: bold;")
            body.addWidget(banner)
        body.addLayout(self._facts())
        body.addSpacing(8)
        body.addWidget(heading(self.tr("家庭成员（{n}人）").format(n=len(d.members))))
        body.addWidget(self.members_table)
        body.addSpacing(8)
        body.addWidget(heading(self.tr("收入情况（单位：元）")))
        body.addWidget(self.incomes_table)
        body.addStretch(1)
        scroll = fit.scrolled(content)
        return scroll

    def _benefits_page(self) -> QWidget:
        """享受政策 by year; they are entered on the 明白栏/公示 page and feed the transfer income."""
        self.benefits_table = RowsView([
            Column(self.tr("年度"), lambda b: b.year, "centre"),
            Column(self.tr("享受人"), lambda b: b.member_name or self.tr("（全户）")),
            Column(self.tr("政策"), lambda b: b.policy_name),
            Column(self.tr("金额（元）"), lambda b: yuan(b.amount_fen), "right"),
            Column(self.tr("计入收入"), lambda b: b.income_type, "centre"),
            Column(self.tr("期限"), lambda b: b.period_text),
            Column(self.tr("发放单位"), lambda b: b.payer),
            Column(self.tr("发放日期"), lambda b: b.paid_on and b.paid_on.isoformat()),
            Column(self.tr("凭证"), lambda b: b.proof),
        ], browse=False, fit=None, empty_text=self.tr("暂无享受政策记录"))
        self.benefits_table.set_rows(self.view.benefits)
        fit_columns(self.benefits_table, stretch=8)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        totals: dict[int, int] = {}
        for b in self.view.benefits:
            totals[b.year] = totals.get(b.year, 0) + b.amount_fen
        note = QLabel(self.tr("合计：{totals}。计入“转移性”的金额已计入该户当年转移性收入；"
                              "在“明白栏/公示 › 享受政策”中登记和修改。").format(
            totals="；".join(f"{y}年 {yuan(t)}元" for y, t in sorted(totals.items(), reverse=True)) or "—"))
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        layout.addWidget(self.benefits_table, 1)
        return page

    def _registers_page(self) -> QWidget:
        """易地扶贫搬迁 and 扶贫小额信贷 of the household (registered on 帮扶计划 › 搬迁·信贷)."""
        r = self.view.relocation
        if r is None:
            moved = self.tr("未登记易地扶贫搬迁。")
        else:
            f = r.form
            moved = self.tr("{site}{house}，{area:g}平方米，搬迁{n}人；入住 {on}；拆旧复垦期限 {due}，{done}；"
                            "交回宅基证 {deed}。").format(
                site=f.site, house=f"（{f.house_number}）" if f.house_number else "", area=f.house_area_m2,
                n=f.members_moved, on=f.moved_on or "—", due=f.demolish_due or "—",
                done=self.tr("已于{d}拆除").format(d=f.demolished_on) if f.demolished_on else self.tr("尚未拆除"),
                deed=f.deed_surrendered_on or self.tr("尚未交回"))
        relocation = QLabel(moved)
        relocation.setWordWrap(True)
        self.loans_table = RowsView([
            Column(self.tr("借款人"), lambda x: x.form.borrower), Column(self.tr("银行"), lambda x: x.form.bank),
            Column(self.tr("金额（元）"), lambda x: yuan(x.form.amount_fen), "right"),
            Column(self.tr("期限"), lambda x: self.tr("{n}个月").format(n=x.form.term_months)),
            Column(self.tr("年利率"), lambda x: rate(x.form.rate_bp)),
            Column(self.tr("放贷"), lambda x: x.form.lent_on), Column(self.tr("到期"), lambda x: x.form.due_on),
            Column(self.tr("还款"), lambda x: x.form.repaid_on),
            Column(self.tr("贷后跟踪"), lambda x: x.form.followed_up_on),
            Column(self.tr("用途"), lambda x: "、".join(u for u in (x.form.use_kind, x.form.use) if u)),
        ], browse=False, fit=None, empty_text=self.tr("暂无扶贫小额信贷"))
        self.loans_table.set_rows(self.view.loans)
        self.loans_table.resizeColumnsToContents()  # no minimum width: the dialog keeps the width of 户情况
        note = QLabel(self.tr("贷款本金须按期归还，不计入享受政策；在“帮扶计划 › 搬迁·信贷”中登记和修改。"))
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("易地扶贫搬迁")))
        layout.addWidget(relocation)
        layout.addWidget(heading(self.tr("扶贫小额信贷")))
        layout.addWidget(note)
        layout.addWidget(self.loans_table, 1)
        return page

    def _history_page(self) -> QWidget:
        self.history_table = history_table(self.view.history, self, mask_ids=self._mask_ids)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        note = QLabel(self.tr("最近的修改在最上面。时间为北京时间。"))
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(note)
        layout.addWidget(self.history_table, 1)
        return page

    def _visits_page(self) -> QWidget:
        """The household's visits, newest first: who came, what they found, photos, ledger items."""
        self.visits_table = RowsView([
            Column(self.tr("走访日期"), lambda v: f"{v.visited_on} {v.visited_at:%H:%M}" if v.visited_at
                   else str(v.visited_on), "centre"),
            Column(self.tr("类型"), lambda v: v.visit_type), Column(self.tr("走访人"), lambda v: "、".join(v.visitors)),
            Column(self.tr("发现问题及记录"), lambda v: v.findings, tooltip=lambda v: v.findings),
            Column(self.tr("照片"), lambda v: self.tr("{n}张").format(n=len(v.photos)) if v.photos else "", "centre"),
            Column(self.tr("列入台账"), lambda v: "、".join(v.ledger_numbers)),
            Column(self.tr("农户确认"), lambda v: v.confirmation),
        ], self, fit=None, empty_text=self.tr("暂无走访记录"))
        self.visits_table.set_rows(self.view.visits)
        fit_columns(self.visits_table, stretch=())
        em = self.visits_table.fontMetrics().horizontalAdvance("字")
        self.visits_table.setColumnWidth(3, max(12 * em, min(self.visits_table.columnWidth(3), 28 * em)))
        header = self.visits_table.horizontalHeader()
        header.setStretchLastSection(True)
        self.visits_table.setMinimumWidth(min(header.length(), 60 * em) + 2 * self.visits_table.frameWidth())
        self.visits_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.visits_table, 1)
        return page

    def _fit_to_content(self, buttons_height: int) -> None:
        scroll = self.tabs.widget(0)
        content_height = scroll.widget().sizeHint().height() if isinstance(scroll, QScrollArea) else 480
        wanted = QSize(1040, content_height + self.tabs.tabBar().sizeHint().height() + buttons_height + 32)
        fit.fit_to_screen(self, wanted)

    def _facts(self) -> QHBoxLayout:
        """Three columns of label: value pairs about the household itself."""
        d, v = self.view.detail, self.view
        attrs = "、".join(v.attribute_names.get(a, a) for a in d.attributes)
        secondary = "、".join(v.cause_names.get(c, c) for c in d.secondary_causes)
        left = [(self.tr("户编号"), d.number), (self.tr("户主"), v.head_name), (self.tr("户状态"), d.status),
                (self.tr("村民组"), d.group), (self.tr("住址"), d.address), (self.tr("联系电话"), d.phone),
                (self.tr("帮扶责任人"), d.helper)]
        main_cause = v.cause_names.get(d.main_cause, d.main_cause) if d.main_cause else None
        middle = [(self.tr("户属性"), attrs), (self.tr("主要致贫原因"), main_cause),
                  (self.tr("次要致贫原因"), secondary), (self.tr("识别年度"), d.identified_year),
                  (self.tr("脱贫年度"), d.exit_year), (self.tr("备注"), d.note)]
        water = {True: self.tr("达标"), False: self.tr("不达标"), None: None}
        right = [(labels.HOUSEHOLD["housing_safety"], d.housing_safety),
                 (labels.HOUSEHOLD["housing_checked_on"], d.housing_checked_on),
                 *((labels.HOUSEHOLD[name], water[d.water.get(name)]) for name in WATER_INDICATORS),
                 (labels.HOUSEHOLD["water_checked_on"], d.water_checked_on)]
        row = QHBoxLayout()
        for pairs in (left, middle, right):
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for label, value in pairs:
                text = QLabel("—" if value in (None, "") else str(value))
                text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                text.setWordWrap(True)
                form.addRow(self.tr("{label}：").format(label=label), text)
            row.addLayout(form, 1)
        return row

    def _health(self, m: MemberRow) -> str | None:
        health = m.health
        if m.disability_category:
            disability = self.tr("{category}残疾{grade}").format(category=m.disability_category,
                                                                 grade=m.disability_grade or "")
            health = f"{health}，{disability}" if health else disability
        return health

    @staticmethod
    def _work(m: MemberRow) -> str | None:
        work = m.employment_status
        if work and (m.employment_place or m.public_welfare_post):
            work = f"{work}（{m.public_welfare_post or m.employment_place}）"
        return work
