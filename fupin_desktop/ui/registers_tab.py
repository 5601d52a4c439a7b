"""The 搬迁·信贷 tab of the 帮扶计划 page: the 易地扶贫搬迁 register and the 扶贫小额信贷 register, each a
list with a small form. The rules (25 m² per person, 5万 / 3 years …) are the services'; a refusal comes
back as their Chinese message and nothing is saved."""

from collections.abc import Iterable
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.money import parse_yuan, rate, yuan_whole
from fupin_desktop.domain.registers import DUE_SOON_DAYS, LOAN_USES, LoanForm, RelocationForm
from fupin_desktop.domain.rows import HOUSEHOLDS, PLANS, REGISTERS
from fupin_desktop.errors import InputError
from fupin_desktop.services import loans, relocation
from fupin_desktop.services.households import household_by_number
from fupin_desktop.ui import permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import date_edit, day_of, ok_cancel
from fupin_desktop.ui.lists import Column, RowsView
from fupin_desktop.ui.tables import heading


def _date(optional: bool = False) -> QDateEdit:
    edit = date_edit()
    if optional:  # the minimum shows as blank: "not yet"
        edit.setSpecialValueText(" ")
        edit.setDate(edit.minimumDate())
    return edit


def _value(edit: QDateEdit) -> date | None:
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    return day_of(edit)


def _lay_out(dialog: QDialog, rows: Iterable[tuple[str, QWidget]]) -> None:
    """The dialog's fields, one labelled row each, then 保存/取消."""
    dialog.setMinimumWidth(dialog.fontMetrics().horizontalAdvance("户" * 26))  # the hints in the fields show whole
    form = QFormLayout(dialog)
    for label, widget in rows:
        form.addRow(label, widget)
    form.addRow(ok_cancel(dialog, dialog.tr("保存")))


def _household_field(dialog: QDialog) -> QLineEdit:
    return QLineEdit(placeholderText=dialog.tr("户编号（可只写末几位）"))


class RelocationDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记易地扶贫搬迁"))
        self.household = _household_field(self)
        self.site = QLineEdit(placeholderText=self.tr("安置点，如 雨露社区"))
        self.area = QDoubleSpinBox(minimum=0, maximum=1000, suffix=self.tr(" 平方米"))
        self.members = QSpinBox(minimum=1, maximum=30, suffix=self.tr(" 人"))
        year = clock.today().year
        self.batch_year = QSpinBox(minimum=2000, maximum=year + 1, value=year)
        self.house_number = QLineEdit()
        self.moved_on = _date()
        self.demolished_on = _date(optional=True)
        self.deed_on = _date(optional=True)
        self.non_poor = QCheckBox(self.tr("同步搬迁的非建档立卡户"))
        _lay_out(self, ((self.tr("户编号"), self.household), (self.tr("安置点"), self.site),
                        (self.tr("住房面积"), self.area), (self.tr("搬迁人数"), self.members),
                        (self.tr("批次年度"), self.batch_year), (self.tr("房号"), self.house_number),
                        (self.tr("入住日期"), self.moved_on), (self.tr("旧房拆除日期"), self.demolished_on),
                        (self.tr("交回宅基证日期"), self.deed_on), ("", self.non_poor)))

    def form(self) -> RelocationForm:
        return RelocationForm(site=self.site.text(), house_area_m2=self.area.value(),
                              members_moved=self.members.value(), batch_year=self.batch_year.value(),
                              house_number=self.house_number.text().strip() or None,
                              moved_on=day_of(self.moved_on), demolished_on=_value(self.demolished_on),
                              deed_surrendered_on=_value(self.deed_on), same_time_non_poor=self.non_poor.isChecked())


class LoanDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记扶贫小额信贷"))
        self.household = _household_field(self)
        self.borrower = QLineEdit(placeholderText=self.tr("本户成员姓名"))
        self.bank = QLineEdit(placeholderText=self.tr("如 荥阳农商银行"))
        self.amount = QLineEdit(placeholderText=self.tr("元，5万元以下，如 50000 或 5万"))
        self.months = QSpinBox(minimum=1, maximum=120, value=36, suffix=self.tr(" 个月"))
        self.rate = QDoubleSpinBox(minimum=0, maximum=20, value=4.35, suffix=" %")
        self.subsidy = QDoubleSpinBox(minimum=0, maximum=20, value=4.35, suffix=" %")
        self.use_kind = QComboBox()
        self.use_kind.addItems(LOAN_USES)
        self.use = QLineEdit(placeholderText=self.tr("如 养牛、香菇"))
        self.lent_on = _date()
        _lay_out(self, ((self.tr("户编号"), self.household), (self.tr("借款人"), self.borrower),
                        (self.tr("放贷银行"), self.bank), (self.tr("金额"), self.amount),
                        (self.tr("期限"), self.months), (self.tr("年利率"), self.rate),
                        (self.tr("财政贴息"), self.subsidy), (self.tr("方式"), self.use_kind),
                        (self.tr("用途"), self.use), (self.tr("放贷日期"), self.lent_on)))

    def form(self) -> LoanForm:
        """Raises InputError for an amount that is not a number."""
        return LoanForm(borrower=self.borrower.text(), bank=self.bank.text(), amount_fen=parse_yuan(self.amount.text()),
                        term_months=self.months.value(), rate_bp=round(self.rate.value() * 100),
                        subsidy_bp=round(self.subsidy.value() * 100), use_kind=self.use_kind.currentText(),
                        use=self.use.text(), lent_on=day_of(self.lent_on))


class RegistersTab(QWidget):
    shows = REGISTERS | HOUSEHOLDS | PLANS

    def __init__(self, ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.loans: list[loans.LoanRow] = []
        # columns to their contents, but no minimum width: at 特大 on 1366×768 the table scrolls, not the window
        self.relocations = RowsView([
            Column(self.tr("户编号"), lambda r: r.household_number), Column(self.tr("户主"), lambda r: r.head_name),
            Column(self.tr("安置点"), lambda r: r.form.site),
            Column(self.tr("面积（㎡）"), lambda r: f"{r.form.house_area_m2:g}", "right"),
            Column(self.tr("人数"), lambda r: r.form.members_moved, "right"),
            Column(self.tr("入住"), lambda r: r.form.moved_on),
            Column(self.tr("拆旧期限"), lambda r: r.form.demolish_due),
            Column(self.tr("拆旧"), lambda r: r.form.demolished_on),
            Column(self.tr("交回宅基证"), lambda r: r.form.deed_surrendered_on),
            Column(self.tr("待办"), lambda r: "、".join(r.open_tasks) or self.tr("已完成")),
        ], browse=False, empty_text=self.tr("暂无易地扶贫搬迁户"))
        self.loan_table = RowsView([
            Column(self.tr("户编号"), lambda r: r.household_number),
            Column(self.tr("借款人"), lambda r: r.form.borrower),
            Column(self.tr("银行"), lambda r: r.form.bank),
            Column(self.tr("金额（元）"), lambda r: yuan_whole(r.form.amount_fen), "right"),
            Column(self.tr("期限"), lambda r: self.tr("{n}个月").format(n=r.form.term_months)),
            Column(self.tr("年利率"), lambda r: rate(r.form.rate_bp)),
            Column(self.tr("放贷"), lambda r: r.form.lent_on), Column(self.tr("到期"), lambda r: r.form.due_on),
            Column(self.tr("状态"), self._loan_state), Column(self.tr("贷后跟踪"), lambda r: r.form.followed_up_on),
            Column(self.tr("对应措施"), lambda r: r.measure),
        ], browse=False, empty_text=self.tr("暂无未还清的贷款"))
        self.due_only = QCheckBox(self.tr("只看{n}天内到期").format(n=DUE_SOON_DAYS))
        self.add_relocation = QPushButton(self.tr("登记搬迁…"))
        self.add_loan = QPushButton(self.tr("登记贷款…"))
        self.repaid = QPushButton(self.tr("已还款"))
        self.followed = QPushButton(self.tr("贷后跟踪"))
        permissions.write_action(self.add_relocation, self.add_loan, self.repaid, self.followed)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("易地扶贫搬迁（人均住房不超过25平方米，入住后3—6个月内拆旧复垦、交回宅基证）")))
        top.addStretch(1)
        top.addWidget(self.add_relocation)
        bottom = QHBoxLayout()
        bottom.addWidget(heading(self.tr("扶贫小额信贷（5万元以下、3年期以内）")))
        bottom.addWidget(self.due_only)
        bottom.addStretch(1)
        for b in (self.add_loan, self.repaid, self.followed):
            bottom.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.relocations, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.loan_table, 2)
        self.due_only.toggled.connect(lambda _on: self.refresh())
        self.add_relocation.clicked.connect(self.new_relocation)
        self.add_loan.clicked.connect(self.new_loan)
        self.repaid.clicked.connect(lambda: self._loan_event(repaid=True))
        self.followed.clicked.connect(lambda: self._loan_event(repaid=False))

    def refresh(self) -> None:
        within = DUE_SOON_DAYS if self.due_only.isChecked() else None
        self._ops.query(lambda s: (relocation.list_relocations(s),
                                   loans.list_loans(s, due_within=within, include_repaid=False)),
                        success=self._show, parent=self)

    def _show(self, result) -> None:
        moved, self.loans = result
        self._today = clock.today()
        self.relocations.set_rows(moved)
        self.loan_table.set_rows(self.loans)

    def _loan_state(self, r: loans.LoanRow) -> str:
        left = r.days_left(getattr(self, "_today", clock.today()))
        return self.tr("逾期{n}天").format(n=-left) if left < 0 else self.tr("{n}天后到期").format(n=left)

    def new_relocation(self) -> None:
        dialog = RelocationDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        number, form = dialog.household.text(), dialog.form()
        self._ops.write(lambda s: relocation.save_relocation(s, household_by_number(s, number), form),
                        success=lambda _r: self._written(), parent=self)

    def new_loan(self) -> None:

        dialog = LoanDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            form = dialog.form()
        except InputError as e:
            show_error(self, e)
            return
        number = dialog.household.text()
        self._ops.write(lambda s: loans.save_loan(s, household_by_number(s, number), form),
                        success=lambda _r: self._written(), parent=self)

    def _loan_event(self, *, repaid: bool) -> None:
        loan = self.loan_table.current()
        if loan is None:
            return
        loan_id, today = loan.id, clock.today()
        op = (lambda s: loans.record_repaid(s, loan_id, today)) if repaid else \
            (lambda s: loans.record_follow_up(s, loan_id, today))
        self._ops.write(op, success=lambda _r: self._written(), parent=self)

    def _written(self) -> None:
        self.refresh()
