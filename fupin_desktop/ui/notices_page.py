"""明白栏/公示: each household's board and whether it must be reprinted, the village board, public
notices with their versions and objections, and the benefits (享受政策) register."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.rows import ALL_TABLES, HOUSEHOLDS, NOTICES, REFERENCE, VILLAGE
from fupin_desktop.services import notices as notice_service
from fupin_desktop.services.benefits import BenefitRow, delete_benefit, list_benefits
from fupin_desktop.services.board import (
    BoardStatusRow,
    HouseholdBoard,
    VillageBoard,
    board_status,
    household_board,
    post_boards,
    village_board,
)
from fupin_desktop.services.notices import NoticeDetail, NoticeRow, get_notice, list_notices
from fupin_desktop.ui import permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR, YearBox
from fupin_desktop.ui.ledger_dialogs import BenefitDialog, DateDialog, NoticeDialog, ObjectionDialog
from fupin_desktop.ui.lists import Column, ListPage, RowsView, button_row, splitter
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.printing import PrintRunner, board_job, print_now
from fupin_desktop.ui.tabbed_page import TabbedPage

if TYPE_CHECKING:  # ops gives the work a session; this page only names it
    from sqlalchemy.orm import Session


def _day(d: date | None) -> str | None:
    return d.isoformat() if d else None


# -- HTML views -------------------------------------------------------------------------------------

def board_html(b: HouseholdBoard) -> str:
    """The household board as the sheet will read, for the preview pane."""
    e = escape
    who = household_name(b.number, b.head_name, brackets=False)
    parts = [f"<h3>{e(str(b.year))}年脱贫攻坚帮扶明白栏 — {e(who)}</h3>",
             f"<p>村民组：{e(b.group or '—')}　家庭人口：{b.persons}人　户状态：{e(b.status)}<br>"
             f"户属性：{e('、'.join(b.attributes) or '—')}　主要致贫原因：{e(b.main_cause or '—')}　"
             f"识别年度：{b.identified_year or '—'}　脱贫年度：{b.exit_year or '—'}</p>"]
    contacts = ([b.helper] if b.helper else []) + list(b.team)
    parts.append("<h4>帮扶责任人和驻村工作队</h4><ul>" + "".join(
        f"<li>{e(c.role)}：{e(c.name)}（{e(c.unit or '')}）电话 {e(c.phone or '—')}</li>" for c in contacts) + "</ul>")
    if b.measures:
        parts.append("<h4>帮扶措施</h4><ul>" + "".join(
            f"<li>[{e(m.family)}] {e(m.name)}{('（' + e(m.member) + '）') if m.member else ''} "
            f"{e(m.status or '')} {yuan(m.amount_fen) + '元' if m.amount_fen else ''}</li>"
            for m in b.measures) + "</ul>")
    parts.append(f"<h4>享受政策（合计 {yuan(b.policies_total_fen)} 元）</h4>")
    if b.policies:
        parts.append("<table border='1' cellspacing='0' cellpadding='3'><tr><th>政策</th><th>享受人</th>"
                     "<th>金额（元）</th><th>期限</th><th>发放单位</th></tr>" + "".join(
                         f"<tr><td>{e(p.name)}</td><td>{e(p.member or '全户')}</td><td align='right'>"
                         f"{yuan(p.amount_fen)}</td><td>{e(p.period)}</td><td>{e(p.payer or '')}</td></tr>"
                         for p in b.policies) + "</table>")
    else:
        parts.append("<p>本年度暂无登记</p>")
    parts.append("<h4>两不愁三保障</h4><ul>" + "".join(
        f"<li>{e(g.item)}：<span style='color:{'#1d7a3a' if g.ok else '#b4232c' if g.ok is False else '#777'}'>"
        f"{e(g.text)}</span></li>" for g in b.guarantees) + "</ul>")
    parts.append("<p>" + "　".join(f"{e(label)}：{e(number)}" for label, number in b.hotlines) + "</p>")
    return "".join(parts)


def village_html(v: VillageBoard) -> str:
    e = escape
    parts = [f"<h3>{e(v.village)} {v.year}年村级明白栏</h3><h4>驻村工作队和村两委</h4><ul>"]
    parts += [f"<li>{e(c.role)}：{e(c.name)}　{e(c.phone or '')}</li>" for c in (*v.team, *v.village_cadres)]
    parts.append("</ul><h4>正在公示</h4><ul>")
    parts += [f"<li>{e(n.kind)}：{e(n.title)}（{n.posted_on}—{n.last_day}）</li>" for n in v.notices] or ["<li>无</li>"]
    parts.append("</ul><h4>项目和资金</h4><ul>")
    parts += [f"<li>{p.year} {e(p.name)}（{e(p.status)}）预算 {yuan(p.budget_fen)} 元，"
              f"已支出 {yuan(p.spent_fen)} 元</li>" for p in v.projects] or ["<li>无</li>"]
    parts.append(f"</ul><h4>村集体经济收入（{v.year}年，合计 {yuan(v.collective_total_fen)} 元）</h4><ul>")
    parts += [f"<li>{e(k)}：{yuan(a)} 元</li>" for k, a in v.collective_income.items()] or ["<li>暂无登记</li>"]
    parts.append("</ul><p>" + "　".join(f"{e(label)}：{e(n)}" for label, n in v.hotlines) + "</p>")
    return "".join(parts)


def notice_html(d: NoticeDetail, today: date) -> str:
    e = escape
    parts = []
    for v in reversed(d.versions):
        state = v.status(today)
        period = f"{v.posted_on}—{v.last_day}" if v.posted_on else "未张贴"
        parts.append(f"<h3>第{v.version}版（{e(state)}）{e(v.title)}</h3>")
        parts.append(f"<p>类别：{e(d.kind)}　张贴地点：{e(v.place)}　公示期：{e(period)}（{v.planned_days}天）"
                     f"{'　揭下：' + str(v.taken_down_on) if v.taken_down_on else ''}</p>")
        if v.change_reason:
            parts.append(f"<p style='color:#b4232c'>更正原因：{e(v.change_reason)}</p>")
        parts.append(f"<p>{e(v.body).replace(chr(10), '<br>')}</p>")
        if v.items:
            parts.append("<p>名单：" + "；".join(
                e(i.label) + (f" {yuan(i.amount_fen)}元" if i.amount_fen is not None else "") for i in v.items)
                + "</p>")
        for o in v.objections:
            answer = f"答复（{o.answered_on}，{e(o.answered_by or '')}）：{e(o.answer or '')} —— {e(o.outcome or '')}" \
                if o.answered else "<span style='color:#b4232c'>尚未答复</span>"
            parts.append(f"<p>异议（{o.received_on}，{e(o.raised_by or '匿名')}）：{e(o.content)}<br>{answer}</p>")
        parts.append("<hr>")
    return "".join(parts)


# -- the tabs ---------------------------------------------------------------------------------------

class BoardTab(ListPage):
    """明白栏: households' boards, posting state, preview; the village board."""

    shows = ALL_TABLES  # a board shows a household's plan, benefits, helper, loans …

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("户编号", lambda r: r.number), Column("户主", lambda r: r.head_name),
            Column("村民组", lambda r: r.group), Column("帮扶责任人", lambda r: r.helper),
            Column("张贴日期", lambda r: _day(r.posted_on), "centre"), Column("状态", lambda r: r.state, "centre"),
        ], colour=lambda r: ERROR_COLOUR if r.posted_on is None or r.out_of_date else None,
            key=lambda r: r.household_id, multi=True, empty_text="没有需要张贴的明白栏"), parent)
        self.year_box = YearBox(self)
        self.year_box.set_year(clock.today().year)
        self.stale_only = QCheckBox("只看需要（重新）张贴的户", self)
        self.post_button = QPushButton("登记已张贴…", self)
        self.village_button = QPushButton("村级明白栏", self)
        self.print_button = QPushButton("打印明白栏…", self)
        self.print_button.setToolTip("A3 明白栏：选中的户，不选则列表中全部户；生成后显示打印预览")
        self.runner = PrintRunner(ops, self)
        permissions.write_action(self.post_button)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)  # a long line would widen the window beyond a 1366-pixel screen
        self.preview = QTextBrowser(self)
        self.preview.setPlaceholderText("点左边的一户，这里显示它的明白栏")
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_box)
        top.addWidget(self.stale_only)
        top.addStretch(1)
        top.addWidget(self.post_button)
        top.addWidget(self.village_button)
        top.addWidget(self.print_button)
        split = splitter(self.table, self.preview, sizes=[520, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.summary)
        self.year_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.stale_only.toggled.connect(lambda _on: self.refresh())
        self.post_button.clicked.connect(self.post_selected)
        self.village_button.clicked.connect(self.show_village)
        self.print_button.clicked.connect(self.print_boards)

    def year(self) -> int:
        return self.year_box.year() or clock.today().year

    def reader(self) -> Callable[[Session], list[BoardStatusRow]]:
        year, stale = self.year(), self.stale_only.isChecked()
        return lambda s: board_status(s, year, stale_only=stale)

    def loaded(self, rows: list[BoardStatusRow]) -> None:
        super().loaded(rows)
        stale = sum(r.out_of_date for r in rows)
        never = sum(r.posted_on is None for r in rows)
        self.summary.setText(f"共{len(rows)}户；内容已变需重新张贴{stale}户，尚未张贴{never}户。"
                             "选中若干户（Ctrl 或 Shift 加点击，Ctrl+A 全选）后点“登记已张贴…”记录张贴日期。")

    def detail_reader(self, row: BoardStatusRow) -> Callable[[Session], HouseholdBoard]:
        year = self.year()
        return lambda s: household_board(s, row.household_id, year)

    def show_detail(self, board: HouseholdBoard | None) -> None:
        if board is not None:
            self.preview.setHtml(board_html(board))

    def selected_ids(self) -> list[uuid.UUID]:
        return [r.household_id for r in self.table.selected()]

    def post_selected(self) -> None:
        """Record the selected households' boards as posted; with none selected, only after asking
        (a stray click must not mark the whole village's boards)."""
        ids, year = self.selected_ids(), self.year()
        if not ids:
            if not self.table.rows:
                return
            every = [r.household_id for r in self.table.rows]
            if QMessageBox.question(self, "登记明白栏已张贴", f"没有选中任何户。要把列表中全部 {len(every)} 户的明白栏"
                                    "都登记为已张贴吗？\n只登记部分户时，请先在列表中选中它们。") \
                    != QMessageBox.StandardButton.Yes:
                return
            ids = every
        dialog = DateDialog(self._ops, "登记明白栏已张贴", f"{len(ids)}户明白栏张贴日期",
                            lambda s, day: post_boards(s, year, ids, day), parent=self)
        self.open_dialog(dialog, self.refresh)

    def print_boards(self) -> None:
        """The A3 明白栏 of the selected households (all listed when none is), to the print preview."""
        ids, year = self.selected_ids(), self.year()
        name = f"明白栏_{year}年_{len(ids)}户.pdf" if ids else f"明白栏_{year}年.pdf"
        print_now(self.runner, self._ops, "明白栏", name, lambda target: board_job(target, year, ids or None))

    def show_village(self) -> None:
        year = self.year()
        self._ops.query(lambda s: village_board(s, year), success=lambda v: self.preview.setHtml(village_html(v)),
                        parent=self)


class NoticesTab(ListPage):
    """公示: list, versions and objections; new, correct, post, take down, objections."""

    shows = NOTICES | HOUSEHOLDS | VILLAGE

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("类别", lambda r: r.kind), Column("标题", lambda r: r.title),
            Column("版本", lambda r: f"第{r.version}版", "centre"), Column("张贴地点", lambda r: r.place),
            Column("张贴日期", lambda r: _day(r.posted_on), "centre"),
            Column("期满", lambda r: _day(r.last_day), "centre"), Column("状态", lambda r: r.status, "centre"),
            Column("异议", lambda r: f"{r.objections}（未答复{r.unanswered}）" if r.objections else ""),
        ], colour=lambda r: ERROR_COLOUR if r.status == notice_service.EXPIRED or r.unanswered else None,
            empty_text="还没有公示，请点“新建…”"), parent)
        self.view = QTextBrowser(self)
        self.view.setPlaceholderText("在上面的列表中点一条公示，这里显示它的全文、名单、张贴期和异议答复。"
                                     "新公示点“新建…”起草，写好后点“张贴…”登记张贴日期。")
        self.new_button = QPushButton("新建…", self)
        self.edit_button = QPushButton("修改/更正…", self)
        self.post_button = QPushButton("张贴…", self)
        self.down_button = QPushButton("揭下…", self)
        self.objection_button = QPushButton("登记异议…", self)
        self.answer_button = QPushButton("答复异议…", self)
        self.discard_button = QPushButton("删除草稿", self)
        permissions.write_action(self.new_button, self.edit_button, self.post_button, self.down_button,
                                 self.objection_button, self.answer_button, self.discard_button)
        split = splitter(self.table, self.view, vertical=True)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.new_button, self.edit_button, self.post_button, self.down_button,
                                    self.objection_button, self.answer_button, self.discard_button))
        layout.addWidget(split, 1)
        self.new_button.clicked.connect(lambda: self._run(NoticeDialog(self._ops, parent=self)))
        self.edit_button.clicked.connect(self.edit)
        self.post_button.clicked.connect(lambda: self._dated("张贴公示", "张贴日期", notice_service.post_notice))
        self.down_button.clicked.connect(lambda: self._dated("揭下公示", "揭下日期", notice_service.take_down_notice))
        self.objection_button.clicked.connect(self.add_objection)
        self.answer_button.clicked.connect(self.answer_objection)
        self.discard_button.clicked.connect(self.discard)
        self.enable(None)

    def reader(self) -> Callable[[Session], list[NoticeRow]]:
        return list_notices

    def selected(self) -> NoticeRow | None:
        return self.current()

    def detail_reader(self, row: NoticeRow) -> Callable[[Session], NoticeDetail]:
        return lambda s: get_notice(s, row.id)

    def show_detail(self, detail: NoticeDetail | None) -> None:
        if detail is None:
            self.view.clear()
        else:
            self.view.setHtml(notice_html(detail, clock.today()))

    def enable(self, row: NoticeRow | None) -> None:
        status = row.status if row else None
        draft = status == notice_service.DRAFT
        up = status in (notice_service.POSTED, notice_service.EXPIRED)
        posted_versions = bool(self.detail and any(v.posted_on for v in self.detail.versions))
        self.edit_button.setEnabled(row is not None)
        self.post_button.setEnabled(draft)
        self.down_button.setEnabled(up)
        self.objection_button.setEnabled(posted_versions)
        self.answer_button.setEnabled(bool(self.detail and self._open_objections()))
        self.discard_button.setEnabled(draft)

    def _open_objections(self) -> list[Any]:
        if self.detail is None:
            return []
        return [o for v in self.detail.versions for o in v.objections]

    def edit(self) -> None:
        if self.detail is None:
            return
        current = self.detail.current
        self._run(NoticeDialog(self._ops, notice_id=self.detail.id, form=current.form(self.detail.kind),
                               posted=current.posted_on is not None, parent=self))

    def _dated(self, title: str, label: str, op: Callable[[Session, uuid.UUID, date], None]) -> None:
        row = self.selected()
        if row is not None:
            self._run(DateDialog(self._ops, title, label, lambda s, day: op(s, row.id, day), parent=self))

    def add_objection(self) -> None:
        if self.detail is not None:
            self._run(ObjectionDialog(self._ops, self.detail.id, parent=self))

    def answer_objection(self) -> None:
        objections = self._open_objections()
        if self.detail is None or not objections:
            return
        pending = [o for o in objections if not o.answered] or objections
        self._run(ObjectionDialog(self._ops, self.detail.id, objection=pending[0], parent=self))

    def discard(self) -> None:
        row = self.selected()
        if row is None or QMessageBox.question(self, "删除草稿", f"删除未张贴的草稿“{row.title}”？") \
                != QMessageBox.StandardButton.Yes:
            return
        self._ops.write(lambda s: notice_service.discard_draft(s, row.id), success=lambda _r: self._done(),
                        parent=self)

    def _run(self, dialog: QDialog) -> None:
        self.open_dialog(dialog, self._done)

    def _done(self) -> None:
        self.refresh()


class BenefitsTab(ListPage):
    """享受政策 register: by year, searchable; add, edit, delete."""

    shows = NOTICES | HOUSEHOLDS | REFERENCE

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("年度", lambda r: r.year, "centre"), Column("户编号", lambda r: r.household_number),
            Column("户主", lambda r: r.head_name), Column("享受人", lambda r: r.member_name or "（全户）"),
            Column("政策", lambda r: r.policy_name), Column("金额（元）", lambda r: yuan(r.amount_fen), "right"),
            Column("计入", lambda r: r.income_type, "centre"), Column("期限", lambda r: r.period_text),
            Column("发放单位", lambda r: r.payer), Column("发放日期", lambda r: _day(r.paid_on), "centre"),
            Column("凭证", lambda r: r.proof),
        ], empty_text="没有享受政策记录"), parent)
        self.rows: list[BenefitRow] = []
        self.year_box = YearBox(self)
        self.year_box.set_year(clock.today().year)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("筛选：户编号、户主、享受人或政策")
        self.add_button = QPushButton("登记…", self)
        self.edit_button = QPushButton("修改…", self)
        self.delete_button = QPushButton("删除", self)
        permissions.write_action(self.add_button, self.edit_button, self.delete_button)  # a double-click shows
        self.summary = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("年度"))
        top.addWidget(self.year_box)
        top.addWidget(self.search, 1)
        for b in (self.add_button, self.edit_button, self.delete_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.year_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(lambda _t: self._fill())
        self.table.row_activated.connect(lambda _r: self.edit())
        self.add_button.clicked.connect(lambda: self._run(BenefitDialog(self._ops, parent=self)))
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)

    @property
    def shown(self) -> list[BenefitRow]:
        return self.table.rows

    def reader(self) -> Callable[[Session], list[BenefitRow]]:
        year = self.year_box.year()
        return lambda s: list_benefits(s, year=year)

    def loaded(self, rows: list[BenefitRow]) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        text = self.search.text().strip()
        self.table.set_rows([r for r in self.rows if not text or text in
                             f"{r.household_number} {r.head_name} {r.member_name or ''} {r.policy_name}"])
        total = sum(r.amount_fen for r in self.shown)
        households = len({r.household_id for r in self.shown})
        self.summary.setText(f"{len(self.shown)}条，{households}户，合计{yuan(total)}元；"
                             "计入“转移性”的金额自动计入该户当年转移性收入。")

    def selected(self) -> BenefitRow | None:
        return self.current()

    def edit(self) -> None:
        row = self.selected()
        if row is not None:
            self._run(BenefitDialog(self._ops, benefit_id=row.id, form=row.form(), parent=self))

    def delete(self) -> None:
        row = self.selected()
        if row is None or QMessageBox.question(
                self, "删除享受政策",
                f"删除{household_name(row.household_number)}“{row.policy_name}”{yuan(row.amount_fen)}元？"
                "\n其金额将从该户当年转移性收入中扣除。") != QMessageBox.StandardButton.Yes:
            return
        self._ops.write(lambda s: delete_benefit(s, row.id), success=lambda _r: self._done(), parent=self)

    def _run(self, dialog: QDialog) -> None:
        self.open_dialog(dialog, self._done)

    def _done(self) -> None:
        self.refresh()


class NoticesPage(TabbedPage):
    """The 明白栏/公示 page: boards, notices, benefits received."""

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        self.board_tab = BoardTab(ops)
        self.notices_tab = NoticesTab(ops)
        self.benefits_tab = BenefitsTab(ops)
        super().__init__([("明白栏", self.board_tab), ("公示", self.notices_tab), ("享受政策", self.benefits_tab)],
                         parent)
