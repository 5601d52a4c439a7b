"""项目资金: the projects and funds ledger (budget vs spent per source, approval, spending,
acceptance, beneficiaries, assets), the 扶贫资产 register and 村集体经济收入 by year and source."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.rows import HOUSEHOLDS, PROJECTS, VILLAGE
from fupin_desktop.services.projects import (
    AssetRow,
    CollectiveIncomeRow,
    ProjectDetail,
    ProjectRow,
    accept_project,
    get_project,
    list_assets,
    list_collective_income,
    list_projects,
)
from fupin_desktop.ui import permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR
from fupin_desktop.ui.ledger_dialogs import (
    AssetDialog,
    BeneficiariesDialog,
    CollectiveIncomeDialog,
    DateDialog,
    ProjectDialog,
    SpendingDialog,
)
from fupin_desktop.ui.lists import Column, ListPage, RowsView, button_row, splitter
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tabbed_page import TabbedPage

if TYPE_CHECKING:  # ops gives the work a session; this page only names it
    from sqlalchemy.orm import Session


def project_html(d: ProjectDetail) -> str:
    e, r, f = escape, d.row, d.form
    parts = [f"<h3>{r.year} {e(r.name)}（{e(r.status)}）</h3>",
             f"<p>类型：{e(r.type)}　实施单位：{e(f.implementer or '—')}　承建方：{e(f.contractor or '—')}　"
             f"合同：{e(f.contract_no or '—')} {yuan(f.contract_fen)}元<br>开工：{f.started_on or '—'}　"
             f"完工：{f.completed_on or '—'}　验收：{r.accepted_on or '—'} {e(d.accepted_by or '')}<br>"
             f"带贫机制：{e(f.poverty_link or '—')}</p>",
             "<h4>资金来源：预算与支出</h4><table border='1' cellspacing='0' cellpadding='3'>"
             "<tr><th>来源</th><th>预算（元）</th><th>已支出（元）</th><th>结余（元）</th></tr>"]
    for b in d.budget:
        colour = " style='color:#b4232c'" if b.left_fen < 0 else ""
        parts.append(f"<tr{colour}><td>{e(b.source)}</td><td align='right'>{yuan(b.budget_fen)}</td>"
                     f"<td align='right'>{yuan(b.spent_fen)}</td><td align='right'>{yuan(b.left_fen)}</td></tr>")
    parts.append(f"</table><h4>{e(r.approval_mode)}</h4><ul>")
    parts += [f"<li>{e(s.step)}：{s.held_on} {e(s.note or '')}</li>" for s in d.steps]
    parts += [f"<li style='color:#b4232c'>{e(s)}：尚未进行</li>" for s in d.missing_steps]
    parts.append("</ul><h4>支出</h4><ul>")
    parts += [f"<li>{s.paid_on} {e(s.source)} {yuan(s.amount_fen)}元 {e(s.payee or '')} {e(s.purpose or '')} "
              f"{e(s.voucher or '')}" + (f"<br><span style='color:#b4232c'>超预算原因：{e(s.over_budget_reason)}"
                                         "</span>" if s.over_budget_reason else "") + "</li>"
              for s in d.spending] or ["<li>暂无</li>"]
    parts.append(f"</ul><h4>受益户（{len(d.beneficiaries)}户）</h4><p>"
                 + "；".join(e(label) for _h, label, _how in d.beneficiaries) + "</p><h4>形成资产</h4><ul>")
    parts += [f"<li>{e(a.name)}（{e(a.kind)}，{yuan(a.value_fen)}元）产权：{e(a.owner)}，管护：{e(a.custodian or '—')}"
              f"，累计收益{yuan(a.income_fen)}元</li>" for a in d.assets] or ["<li>暂无</li>"]
    return "".join(parts) + "</ul>"


class ProjectsTab(ListPage):
    shows = PROJECTS | HOUSEHOLDS | VILLAGE

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("年度", lambda r: r.year, "centre"), Column("项目名称", lambda r: r.name),
            Column("类型", lambda r: r.type), Column("决策程序", lambda r: r.approval_mode, "centre"),
            Column("状态", lambda r: r.status, "centre"), Column("预算（元）", lambda r: yuan(r.budget_fen), "right"),
            Column("已支出（元）", lambda r: yuan(r.spent_fen), "right"),
            Column("受益户", lambda r: r.beneficiaries, "right"), Column("资产", lambda r: r.assets, "right"),
        ], colour=lambda r: ERROR_COLOUR if r.status == "已完工待验收" else None,
            empty_text="还没有项目，请点“新建项目…”"), parent)
        self.view = QTextBrowser(self)
        self.view.setPlaceholderText("在上面的列表中点一个项目，这里显示它的资金来源、审批步骤、支出、受益户和形成的资产。"
                                     "新项目点“新建项目…”登记。")
        self.new_button = QPushButton("新建项目…", self)
        self.edit_button = QPushButton("编辑…", self)
        self.spend_button = QPushButton("登记支出…", self)
        self.accept_button = QPushButton("验收…", self)
        self.beneficiaries_button = QPushButton("受益户…", self)
        self.asset_button = QPushButton("登记资产…", self)
        permissions.write_action(self.new_button, self.edit_button, self.spend_button, self.accept_button,
                                 self.beneficiaries_button, self.asset_button)  # a double-click shows the form
        split = splitter(self.table, self.view, vertical=True, sizes=[260, 440])
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.new_button, self.edit_button, self.spend_button, self.accept_button,
                                    self.beneficiaries_button, self.asset_button))
        layout.addWidget(split, 1)
        self.table.row_activated.connect(lambda _r: self.edit())
        self.new_button.clicked.connect(lambda: self.open_dialog(ProjectDialog(self._ops, parent=self), self._done))
        self.edit_button.clicked.connect(self.edit)
        self.spend_button.clicked.connect(self.spend)
        self.accept_button.clicked.connect(self.accept_selected)
        self.beneficiaries_button.clicked.connect(self.edit_beneficiaries)
        self.asset_button.clicked.connect(self.add_asset)
        self.enable(None)

    def reader(self) -> Callable[[Session], list[ProjectRow]]:
        return list_projects

    def selected(self) -> ProjectRow | None:
        return self.current()

    def detail_reader(self, row: ProjectRow) -> Callable[[Session], ProjectDetail]:
        return lambda s: get_project(s, row.id)

    def show_detail(self, detail: ProjectDetail | None) -> None:
        if detail is None:
            self.view.clear()  # the hint shows again
        else:
            self.view.setHtml(project_html(detail))

    def enable(self, _row: ProjectRow | None) -> None:
        d = self.detail
        self.edit_button.setEnabled(d is not None)
        self.spend_button.setEnabled(d is not None and d.row.approved_on is not None)
        self.accept_button.setEnabled(d is not None and d.row.status == "已完工待验收")
        self.beneficiaries_button.setEnabled(d is not None)
        self.asset_button.setEnabled(d is not None)

    def edit_beneficiaries(self) -> None:
        if self.detail is not None:
            self.open_dialog(BeneficiariesDialog(self._ops, self.detail.row.id, self.detail.beneficiaries,
                                                 parent=self), self._done)

    def add_asset(self) -> None:
        if self.detail is not None:
            self.open_dialog(AssetDialog(self._ops, project_id=self.detail.row.id, parent=self), self._done)

    def edit(self) -> None:
        if self.detail is not None:
            self.open_dialog(ProjectDialog(self._ops, project_id=self.detail.row.id, form=self.detail.form,
                                           parent=self), self._done)

    def spend(self) -> None:
        if self.detail is not None:
            sources = [b.source for b in self.detail.budget]
            self.open_dialog(SpendingDialog(self._ops, self.detail.row.id, sources, parent=self), self._done)

    def accept_selected(self) -> None:
        if self.detail is None:
            return
        pid = self.detail.row.id
        dialog = DateDialog(self._ops, "项目验收", "验收日期",
                            lambda s, day, by, note: accept_project(s, pid, day, by, note or None),
                            texts=("验收单位/验收人", "验收意见"), parent=self)
        self.open_dialog(dialog, self._done)

    def _done(self) -> None:
        self.refresh()


class AssetsTab(ListPage):
    shows = PROJECTS

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("资产名称", lambda a: a.name), Column("类别", lambda a: a.kind, "centre"),
            Column("金额（元）", lambda a: yuan(a.value_fen), "right"), Column("产权归属", lambda a: a.owner),
            Column("确权日期", lambda a: a.confirmed_on and a.confirmed_on.isoformat(), "centre"),
            Column("管护责任人", lambda a: " ".join(filter(None, (a.custodian, a.custodian_phone)))),
            Column("运营主体", lambda a: a.operator), Column("所属项目", lambda a: a.project),
            Column("累计收益（元）", lambda a: yuan(a.income_fen), "right"),
        ], empty_text="暂无扶贫资产"), parent)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def reader(self) -> Callable[[Session], list[AssetRow]]:
        return list_assets


class CollectiveIncomeTab(ListPage):
    shows = PROJECTS | VILLAGE

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(ops, RowsView([
            Column("年度", lambda r: r.year, "centre"), Column("来源", lambda r: r.source),
            Column("金额（元）", lambda r: yuan(r.amount_fen), "right"), Column("来自资产", lambda r: r.asset),
            Column("到账日期", lambda r: r.received_on and r.received_on.isoformat(), "centre"),
            Column("收益分配", lambda r: r.distribution), Column("备注", lambda r: r.note),
        ], empty_text="暂无登记"), parent)
        self.add_button = QPushButton("登记收入…", self)
        permissions.write_action(self.add_button)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(button_row(self.add_button))
        layout.addWidget(self.totals)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(
            lambda: self.open_dialog(CollectiveIncomeDialog(self._ops, parent=self), self._done))

    def reader(self) -> Callable[[Session], list[CollectiveIncomeRow]]:
        return list_collective_income

    def loaded(self, rows: list[CollectiveIncomeRow]) -> None:
        super().loaded(rows)
        years: dict[int, int] = {}
        for r in rows:
            years[r.year] = years.get(r.year, 0) + r.amount_fen
        totals = "　".join(f"{y}年 {yuan(t)}元" for y, t in sorted(years.items(), reverse=True))
        self.totals.setText(f"按年合计：{totals}（郑州市目标：每村不少于5万元）" if years else "")

    def _done(self) -> None:
        self.refresh()


class ProjectsPage(TabbedPage):
    """The 项目资金 page: projects and funds, assets, collective income."""

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        self.projects_tab = ProjectsTab(ops)
        self.assets_tab = AssetsTab(ops)
        self.income_tab = CollectiveIncomeTab(ops)
        super().__init__([("项目资金台账", self.projects_tab), ("扶贫资产", self.assets_tab),
                          ("村集体经济收入", self.income_tab)], parent)

