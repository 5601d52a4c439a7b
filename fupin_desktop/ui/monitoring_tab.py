"""Tabs of the 帮扶计划 page: 防返贫监测 (thresholds, screening, cases and decisions, the five lowest
incomes per 村民组) and 退出程序 (exit check, the five steps, 贫困发生率)."""

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock, exit_rules
from fupin_desktop.domain import monitoring as mon
from fupin_desktop.domain.money import parse_yuan, yuan_brief, yuan_whole
from fupin_desktop.domain.monitoring import Thresholds
from fupin_desktop.domain.rows import HOUSEHOLDS, PLANS, REFERENCE, REGISTERS, VILLAGE
from fupin_desktop.errors import InputError
from fupin_desktop.services import exits, monitoring
from fupin_desktop.services.benefits import Choice, household_choices
from fupin_desktop.ui import permissions
from fupin_desktop.ui.form_widgets import ERROR_COLOUR, ErrorLabel, date_edit, ok_cancel, push_button
from fupin_desktop.ui.lists import Column, RowsView, splitter
from fupin_desktop.ui.tables import heading


class MonitoringTab(QWidget):
    shows = PLANS | HOUSEHOLDS | VILLAGE | REFERENCE

    def __init__(self, ops, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._ops = ops
        self.report: monitoring.MonitorReport | None = None
        self.year = QSpinBox()
        self.year.setRange(2014, clock.today().year)
        self.year.setValue(clock.today().year - 1)
        self.year.setSuffix(self.tr("年收入"))
        self.ratio = QDoubleSpinBox()
        self.ratio.setRange(1.0, 3.0)
        self.ratio.setSingleStep(0.1)
        self.ratio.setDecimals(1)
        self.ratio.setSuffix(self.tr(" 倍标准"))
        self.medical = QLineEdit()
        self.medical.setPlaceholderText(self.tr("元"))
        self.medical.setMaximumWidth(110)
        self.flag_disability = QCheckBox(self.tr("重度残疾"))
        self.flag_disaster = QCheckBox(self.tr("因灾"))
        self.flag_job_loss = QCheckBox(self.tr("失业"))
        self.save_button = push_button(self.tr("保存阈值"), self.save_thresholds)
        self.register_button = push_button(self.tr("登记为疑似"), self.register)
        self.report_button = push_button(self.tr("登记风险户…"), self.report_household)
        self.error = ErrorLabel()
        bar = QHBoxLayout()
        for w in (QLabel(self.tr("收入年度")), self.year, QLabel(self.tr("收入低于")), self.ratio,
                  QLabel(self.tr("医疗支出≥")), self.medical, self.flag_disability, self.flag_disaster,
                  self.flag_job_loss, self.save_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.summary = QLabel()
        self.candidates = RowsView([
            Column(self.tr("户编号"), lambda c: c.household_number), Column(self.tr("户主"), lambda c: c.head_name),
            Column(self.tr("村民组"), lambda c: c.group, "centre"),
            Column(self.tr("户状态"), lambda c: c.status, "centre"),
            Column(self.tr("人均纯收入(元)"), lambda c: yuan_whole(c.per_capita_income_fen), "right"),
            Column(self.tr("风险原因"), lambda c: "、".join(c.reasons)),
            Column(self.tr("建议类别"), lambda c: c.suggested_category),
        ], key=lambda c: c.household_id, browse=False, stretch_last=False,
            empty_text=self.tr("没有新的疑似风险户"))
        self.cases = RowsView([
            Column(self.tr("户编号"), lambda c: c.household_number), Column(self.tr("户主"), lambda c: c.head_name),
            Column(self.tr("村民组"), lambda c: c.group, "centre"),
            Column(self.tr("原因"), lambda c: "、".join(c.reasons)),
            Column(self.tr("状态"), lambda c: c.status, "centre"), Column(self.tr("类别"), lambda c: c.category),
            Column(self.tr("发现"), lambda c: c.found_on, "centre"),
            Column(self.tr("甄别"), lambda c: c.screened_on, "centre"),
            Column(self.tr("决定"), lambda c: c.decided_on, "centre"),
            Column(self.tr("决定人"), lambda c: c.decided_by),
        ], browse=False, stretch_last=False, empty_text=self.tr("暂无监测记录"))
        self.screen_button = push_button(self.tr("开始甄别"), lambda: self._advance(mon.SCREENING))
        self.confirm_button = push_button(self.tr("确认…"), lambda: self._advance(mon.CONFIRMED))
        self.exclude_button = push_button(self.tr("排除…"), lambda: self._advance(mon.EXCLUDED))
        case_bar = QHBoxLayout()
        case_bar.addWidget(heading(self.tr("监测记录")))
        case_bar.addStretch(1)
        for b in (self.report_button, self.screen_button, self.confirm_button, self.exclude_button):
            case_bar.addWidget(b)
        self.lowest = RowsView([  # the printed register's columns and figures (reports/summary.py)
            Column(self.tr("村民组"), lambda x: x[0].group if x[1] is x[0].households[0] else "", "centre"),
            Column(self.tr("名次"), lambda x: x[1].rank, "right"),
            Column(self.tr("户编号"), lambda x: x[1].household_number),
            Column(self.tr("户主"), lambda x: x[1].head_name),
            Column(self.tr("户状态"), lambda x: x[1].status, "centre"),
            Column(self.tr("计算人口"), lambda x: x[1].persons, "right"),
            Column(self.tr("人均纯收入(元)"), lambda x: yuan_brief(x[1].per_capita_income_fen), "right"),
        ], key=lambda _x: None, browse=False, stretch_last=False, empty_text=self.tr("该年度没有收入记录"))
        self.lowest_note = QLabel()
        self.lowest_note.setWordWrap(True)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        cand_bar = QHBoxLayout()
        cand_bar.addWidget(heading(self.tr("新筛查出的疑似风险户")))
        cand_bar.addStretch(1)
        cand_bar.addWidget(self.register_button)
        tl.addLayout(cand_bar)
        tl.addWidget(self.candidates)
        tl.addLayout(case_bar)
        tl.addWidget(self.cases)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(heading(self.tr("各村民组人均纯收入最低5户")))
        rl.addWidget(self.lowest)
        rl.addWidget(self.lowest_note)
        split = splitter(top, right, stretch=(3, 2), sizes=[640, 620])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        permissions.write_action(self.save_button, self.register_button, self.report_button, self.screen_button,
                                 self.confirm_button, self.exclude_button)
        permissions.write_form(self.ratio, self.medical, self.flag_disability, self.flag_disaster,
                               self.flag_job_loss)  # the thresholds: they only count once saved
        self.year.valueChanged.connect(lambda _y: self.refresh())

    def refresh(self) -> None:
        year = self.year.value()
        self._ops.query(lambda s: (monitoring.monitor_report(s, year), monitoring.five_lowest(s, year)),
                        success=self._show, parent=self)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        report, groups = result
        self.report = report
        t = report.thresholds
        self.ratio.setValue(t.income_ratio_percent / 100)
        self.medical.setText(yuan_brief(t.medical_spending_fen))
        self.flag_disability.setChecked(t.flag_disability)
        self.flag_disaster.setChecked(t.flag_disaster)
        self.flag_job_loss.setChecked(t.flag_job_loss)
        if report.line_fen is None:
            self.summary.setText(self.tr("{y}年未配置扶贫标准，不能按收入筛查（命令行：fupin poverty-line）").format(
                y=report.year))
        else:
            self.summary.setText(self.tr(
                "{y}年扶贫标准 {line} 元，监测线 {m} 元；新筛查 {n} 户，监测记录 {c} 条").format(
                y=report.year, line=yuan_whole(report.line_fen), m=yuan_whole(report.monitoring_line_fen),
                n=len(report.candidates), c=len(report.cases)))
        self.candidates.set_rows(report.candidates)
        self.cases.set_rows(report.cases)
        self.lowest.set_rows([(g, r) for g in groups for r in g.households])  # (group, household) pairs
        missing = [self.tr("{g}{n}户").format(g=g.group, n=g.without_income) for g in groups if g.without_income]
        self.lowest_note.setText(self.tr("{which}未登记{y}年收入，未参加排序").format(
            which="、".join(missing), y=report.year) if missing else "")
        self.lowest_note.setVisible(bool(missing))
        self.register_button.setEnabled(bool(report.candidates))

    def thresholds(self) -> Thresholds:
        return Thresholds(income_ratio_percent=round(self.ratio.value() * 100),
                          medical_spending_fen=parse_yuan(self.medical.text() or "0"),
                          flag_disability=self.flag_disability.isChecked(),
                          flag_disaster=self.flag_disaster.isChecked(), flag_job_loss=self.flag_job_loss.isChecked())

    def save_thresholds(self) -> None:
        try:
            t = self.thresholds()
        except InputError as e:
            self.error.set_error(str(e))
            return
        self.error.set_error(None)
        self._ops.write(lambda s: monitoring.save_thresholds(s, t), success=lambda _r: self._written(), parent=self)

    def register(self) -> None:
        year = self.year.value()
        self._ops.write(lambda s: monitoring.register_candidates(s, year), success=lambda _r: self._written(),
                        parent=self)

    def _written(self) -> None:
        self.refresh()

    def report_household(self) -> None:
        self._ops.query(household_choices, success=self._report_dialog, parent=self)

    def _report_dialog(self, choices: list[Choice]) -> None:
        dialog = ReportDialog(choices, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        hid, reasons, fen, note = (dialog.household.currentData(), dialog.selected_reasons(), dialog.medical_fen,
                                   dialog.note.text())
        if hid is None:
            return
        self._ops.write(lambda s: monitoring.open_case(s, hid, reasons, medical_spending_fen=fen, note=note or None),
                        success=lambda _r: self._written(), parent=self)

    def selected_case(self) -> monitoring.RiskRow | None:
        return self.cases.current()

    def _advance(self, to: str, *, category: str | None = None, decided_by: str | None = None) -> None:
        case = self.selected_case()
        if case is None:
            return
        if to == mon.CONFIRMED and category is None:
            category, ok = QInputDialog.getItem(self, self.tr("确认"), self.tr("监测类别："), list(mon.CATEGORIES),
                                                0, False)
            if not ok:
                return
        if to in (mon.CONFIRMED, mon.EXCLUDED) and decided_by is None:
            decided_by, ok = QInputDialog.getText(self, to, self.tr("决定人（如：村两委会议）："), text="村两委会议")
            if not ok:
                return
        cid = case.id
        self._ops.write(lambda s: monitoring.advance_case(s, cid, to, category=category, decided_by=decided_by),
                        success=lambda _r: self._written(), parent=self)


class ReportDialog(QDialog):
    """Report a household by hand: which one, why, and the medical spending if that is the reason."""

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记风险户"))
        self.household = QComboBox()
        self.household.setEditable(True)  # type to search by number or name
        self.household.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in choices:
            self.household.addItem(c.label, c.id)
        self.reasons = {r: QCheckBox(r) for r in mon.REASONS}
        self.medical = QLineEdit()
        self.medical.setPlaceholderText(self.tr("元（大额医疗支出时填写）"))
        self.note = QLineEdit()
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow(self.tr("农户"), self.household)
        boxes = QHBoxLayout()
        for box in self.reasons.values():
            boxes.addWidget(box)
        form.addRow(self.tr("风险原因"), boxes)
        form.addRow(self.tr("医疗支出"), self.medical)
        form.addRow(self.tr("情况说明"), self.note)
        form.addRow("", self.error)
        form.addRow(ok_cancel(self, self.tr("登记"), self._accept))
        self.medical_fen: int | None = None

    def selected_reasons(self) -> list[str]:
        return [r for r, box in self.reasons.items() if box.isChecked()]

    def _accept(self) -> None:
        try:
            self.medical_fen = parse_yuan(self.medical.text()) if self.medical.text().strip() else None
        except InputError as e:
            self.error.set_error(str(e))
            return
        if not self.selected_reasons():
            self.error.set_error(self.tr("请至少选择一项风险原因"))
            return
        self.accept()


class StepDialog(QDialog):
    """Record one exit step: date, participants, minutes, objections, attachments."""

    def __init__(self, step: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("记录：{step}").format(step=step))
        self.day = date_edit()
        self.participants = QLineEdit()
        self.minutes = QTextEdit()
        self.objections = QLineEdit()
        self.attachments = QLineEdit()
        self.attachments.setPlaceholderText(self.tr("文件名，多个用“、”分隔（如 会议记录.jpg、公示照片.jpg）"))
        form = QFormLayout(self)
        form.addRow(self.tr("日期"), self.day)
        form.addRow(self.tr("参加人员"), self.participants)
        form.addRow(self.tr("会议纪要"), self.minutes)
        form.addRow(self.tr("异议"), self.objections)
        form.addRow(self.tr("附件"), self.attachments)
        form.addRow(ok_cancel(self, self.tr("保存")))


class ExitTab(QWidget):
    shows = PLANS | HOUSEHOLDS | VILLAGE | REGISTERS | REFERENCE

    def __init__(self, ops, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._ops = ops
        self.procedures: list[exits.ProcedureRow] = []
        self.village = QLabel()
        self.village.setWordWrap(True)
        self.household = QComboBox()
        self.household.setMinimumWidth(260)
        self.year = QSpinBox()
        self.year.setRange(2014, clock.today().year)
        self.year.setValue(clock.today().year - 1)
        self.year.setSuffix(self.tr("年"))
        self.food_ok = QCheckBox(self.tr("已入户核实不愁吃、不愁穿"))
        self.check_button = push_button(self.tr("检查"), self.check)
        self.propose_button = push_button(self.tr("拟退出"), self.propose)
        bar = QHBoxLayout()
        for w in (QLabel(self.tr("农户")), self.household, QLabel(self.tr("收入年度")), self.year, self.food_ok,
                  self.check_button, self.propose_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.items = RowsView([Column(self.tr("退出标准"), lambda i: i.name),
                               Column(self.tr("情况"), lambda i: i.state, "centre"),
                               Column(self.tr("说明"), lambda i: i.detail)],
                              colour=lambda i: ERROR_COLOUR if i.blocking else None, key=lambda _i: None, browse=False)
        self.table = RowsView([
            Column(self.tr("户编号"), lambda p: p.household_number), Column(self.tr("户主"), lambda p: p.head_name),
            Column(self.tr("年度"), lambda p: p.year, "centre"),
            Column(self.tr("拟退出"), lambda p: p.proposed_on, "centre"),
            *(Column(self.tr(step), lambda p, step=step: self._step_done(p, step), "centre")
              for step in exit_rules.EXIT_STEPS),
            Column(self.tr("双认定"), self._confirmation, "centre"),
            Column(self.tr("下一步"), lambda p: p.next_step or self.tr("已销号"), "centre"),
        ], browse=False, stretch_last=False, empty_text=self.tr("暂无拟退出户"))
        self.step_button = push_button(self.tr("记录下一步…"), self.record_step)
        self.confirm_button = push_button(self.tr("登记双认定…"), self.confirm)
        self.checklist_button = push_button(self.tr("核查项目…"), self.edit_checklist)
        self.village_year = QSpinBox()
        self.village_year.setRange(2014, clock.today().year + 1)
        self.village_year.setValue(clock.today().year)
        self.village_year.setSuffix(self.tr("年"))
        proc_bar = QHBoxLayout()
        proc_bar.addWidget(heading(self.tr("退出程序（五个步骤和双认定）")))  # the table header names the steps
        proc_bar.addStretch(1)
        self.print_button = push_button(self.tr("打印退出确认表…"), self.print_sheet)
        proc_bar.addWidget(self.print_button)
        proc_bar.addWidget(self.confirm_button)
        proc_bar.addWidget(self.step_button)
        village_bar = QHBoxLayout()
        village_bar.addWidget(heading(self.tr("贫困村退出")))
        village_bar.addWidget(self.village_year)
        village_bar.addStretch(1)
        village_bar.addWidget(self.checklist_button)
        layout = QVBoxLayout(self)
        layout.addLayout(village_bar)
        layout.addWidget(self.village)
        layout.addWidget(heading(self.tr("户退出检查（一超过、两不愁、三保障、饮水安全）")))
        layout.addLayout(bar)
        layout.addWidget(self.items)
        layout.addLayout(proc_bar)
        layout.addWidget(self.table, 1)
        permissions.write_action(self.propose_button, self.step_button, self.confirm_button, self.checklist_button)
        self.village_year.valueChanged.connect(lambda _y: self.refresh())

    def refresh(self) -> None:
        year = self.village_year.value()
        self._ops.query(lambda s: (exits.village_exit(s, year), exits.proposable_households(s),
                                   exits.list_procedures(s)), success=self._show, parent=self)

    def _show(self, result) -> None:  # type: ignore[no-untyped-def]
        v, proposable, procedures = result
        self.village_report = v
        rate = "—" if v.incidence_percent is None else f"{v.incidence_percent:.2f}%"
        verdict = "" if v.meets_incidence is None else ("，低于2%" if v.meets_incidence else "，未降至2%以下")
        met = sum(i.state == "达标" for i in v.items)
        lines = [self.tr("贫困发生率 {rate}{verdict}（未脱贫 {h} 户 {p} 人 ÷ {pop} 人，{src}）；"
                         "核查项目达标 {met}/{n} 项。")
                 .format(rate=rate, verdict=verdict, h=v.poor_households, p=v.poor_persons, pop=v.population,
                         src=v.population_source, met=met, n=len(v.items))]
        lines.append(self.tr("结论：具备退出条件。") if v.ready else self.tr("尚不具备退出条件：") + "；".join(v.gaps))
        lines += [f"<b>{w}，须列入清单逐一完善。</b>" for w in v.watch]
        colour = ERROR_COLOUR if v.watch else "palette(text)"
        self.village.setText(f"<span style='color:{colour}'>" + "<br>".join(lines) + "</span>")
        current = self.household.currentData()
        self.household.clear()
        for r in proposable:
            self.household.addItem(f"{r.number} {r.head_name}（{r.status}）", r.household_id)
        if current is not None:
            index = next((i for i in range(self.household.count()) if self.household.itemData(i) == current), 0)
            self.household.setCurrentIndex(index)
        self.procedures = procedures
        self.table.set_rows(procedures)
        has = self.household.count() > 0
        self.check_button.setEnabled(has)
        self.propose_button.setEnabled(has)

    def check(self) -> None:
        hid, year, ok = self.household.currentData(), self.year.value(), self.food_ok.isChecked() or None
        if hid is None:
            return
        self._ops.query(lambda s: exits.exit_check(s, hid, year, food_clothing_ok=ok), success=self._items,
                        parent=self)

    @staticmethod
    def _step_done(p: exits.ProcedureRow, step: str) -> str:
        return next((st.done_on.isoformat() for st in p.steps if st.step == step), "")

    def _confirmation(self, p: exits.ProcedureRow) -> str:
        c = p.confirmation
        both = "、".join(x for x, on in ((self.tr("政府"), c.government_on), (self.tr("农户"), c.household_on)) if on)
        return self.tr("已完成") if p.confirmed else (self.tr("已有") + both if both else self.tr("未登记"))

    def _items(self, items) -> None:  # type: ignore[no-untyped-def]
        self.items.set_rows(items)

    def propose(self) -> None:
        hid, year, ok = self.household.currentData(), self.year.value(), self.food_ok.isChecked() or None
        if hid is None:
            return
        self._ops.write(lambda s: exits.propose_exit(s, hid, year, food_clothing_ok=ok),
                        success=lambda _r: self._written(), parent=self)

    def record_step(self) -> None:
        p = self.selected_procedure()
        if p is None or p.next_step is None:
            return
        dialog = StepDialog(p.next_step, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pid, step = p.id, p.next_step
        day = dialog.day.date().toPython()
        files = [f.strip() for f in dialog.attachments.text().replace(",", "、").split("、") if f.strip()]
        self._ops.write(lambda s: exits.record_step(
            s, pid, step, day, participants=dialog.participants.text(), minutes=dialog.minutes.toPlainText(),
            objections=dialog.objections.text(), attachments=files), success=lambda _r: self._written(), parent=self)

    def selected_procedure(self) -> exits.ProcedureRow | None:
        return self.table.current()

    def confirm(self) -> None:
        p = self.selected_procedure()
        if p is None:
            return
        self._ops.query(lambda s: exits.member_names(s, p.household_id), success=lambda names: self._confirm(p, names),
                        parent=self)

    def _confirm(self, p: exits.ProcedureRow, names: list[str]) -> None:
        from fupin_desktop.ui.exit_dialogs import ConfirmationDialog

        dialog = ConfirmationDialog(p, names, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        gov = (dialog.government_on.date().toPython(), dialog.government_by.text()) \
            if dialog.government.isChecked() else None
        own = (dialog.household_on.date().toPython(), dialog.signer.currentText(), dialog.method.currentText()) \
            if dialog.household.isChecked() else None

        def write(s) -> None:  # type: ignore[no-untyped-def]
            if gov:
                exits.confirm_by_government(s, p.id, *gov)
            if own:
                exits.confirm_by_household(s, p.id, *own)

        self._ops.write(write, success=lambda _r: self._written(), parent=self)

    def print_sheet(self) -> None:
        """The selected exit's 退出确认表: printed for the household to sign, or as it was confirmed."""
        from fupin_desktop.ui.printing import PrintRunner, ask_pdf, exit_sheet_job

        p = self.selected_procedure()
        if p is None:
            return
        title = self.tr("脱贫退出确认表")
        target = ask_pdf(self, self.tr("保存{title}").format(title=title),
                         f"{title}_{p.household_number}_{p.head_name}.pdf")
        if target is None:
            return
        self._runner = PrintRunner(self._ops, self)  # kept until the next print
        self._runner.run(title, exit_sheet_job(target, p.household_number, p.year))

    def edit_checklist(self) -> None:
        from fupin_desktop.ui.exit_dialogs import VillageChecklistDialog

        v = getattr(self, "village_report", None)
        if v is None:
            return
        dialog = VillageChecklistDialog(v, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        changed, year = dialog.changed_items(), v.year

        def write(s) -> None:  # type: ignore[no-untyped-def]
            for item, state, evidence, on, note in changed:
                exits.set_village_item(s, year, item, state, evidence=evidence, checked_on=on, note=note)

        if changed:
            self._ops.write(write, success=lambda _r: self._written(), parent=self)

    def _written(self) -> None:
        self.refresh()
