"""The visit form (走访登记): filled quickly on the evening after a round.

Pick the household (number, name or pinyin initials), the date and who went; the household's
帮扶责任人 is ticked for you. The checklist starts 未查; 全部正常 ticks every item and leaves the odd
one to change. An item marked 有问题 goes to the rectification ledger (its note is the description)
unless unticked; more problems can be typed in. Photos are checked as they are added (a corrupt
file or an iPhone HEIC says so at once) and stored with the visit when it is saved.
"""

import uuid
from datetime import date, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QKeyEvent, QPixmap, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain import clock
from fupin_desktop.domain.household import household_name
from fupin_desktop.domain.visits import (
    CHECK_RESULTS,
    CHECKLIST,
    CONFIRMATIONS,
    POLICIES,
    RESULT_OK,
    RESULT_PROBLEM,
    VISIT_TYPES,
)
from fupin_desktop.errors import FieldError, FupinError, ValidationError
from fupin_desktop.services.attachments import AttachmentRow, PreparedFile, ensure_thumbnail, prepare_file
from fupin_desktop.services.forms import VisitFormData
from fupin_desktop.services.visits import (
    HouseholdChoice,
    ProblemForm,
    VisitDetail,
    VisitForm,
    VisitSaved,
    check_visit,
    find_households,
    household_choice,
    record_visit,
)
from fupin_desktop.ui import fit
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ErrorLabel, MultiChoiceBox, OptionalDateEdit, choice, choice_box, set_choice
from fupin_desktop.ui.ops import DbOps

CHOOSE_HOUSEHOLD = "请先选择农户：在“农户”框里输入姓名、拼音首字母或户编号末几位，按回车选择"
PROBLEM_DAYS = 30  # default deadline for a problem found on a visit
PHOTO_FILTER = "照片和文件 (*.jpg *.jpeg *.png *.webp *.bmp *.gif *.tif *.tiff *.heic *.pdf *.doc *.docx *.xls *.xlsx)"


class HouseholdPicker(QLineEdit):
    """Choose a household by typing a name, pinyin initials or the last digits of the 户编号 or ID.

    The matches drop down under the box while typing goes on in it (the list never takes the keys);
    a click, or Enter on a highlighted match, chooses; Enter with none highlighted chooses the first.
    The box then shows the chosen household, and only that: typing again undoes the choice.

    Signals:
        chosen(object): the chosen household's id, or None when typing undid the choice.
    """

    chosen = Signal(object)
    DELAY_MS = 250  # the pause in typing after which the matches are looked up

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.household_id: uuid.UUID | None = None
        self.matches: list[tuple[uuid.UUID, str]] = []
        self._matches_for: str | None = None  # the text the matches were looked up for
        self.setPlaceholderText(self.tr("输入户主姓名、拼音首字母或户编号/身份证号末几位，回车选择"))
        self.setClearButtonEnabled(True)
        self._model = QStandardItemModel(self)
        # on the box through setWidget, not setCompleter: the list is ours and nothing completes by prefix
        self.completer_ = QCompleter(self._model, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(lambda index: self.choose(index.row()))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.textEdited.connect(self._edited)
        self.returnPressed.connect(self._enter)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # Enter chooses the household; it must not also press the form's 保存

    def _edited(self, _text: str) -> None:
        if self.household_id is not None:
            self.household_id = None
            self.chosen.emit(None)
        self._timer.start()

    def search(self) -> None:
        """Look up the matches of the text typed and drop them down."""
        self._timer.stop()
        text = self.text().strip()
        self._matches_for = text
        if not text:
            self._show([])
            return
        self._ops.query(lambda s: find_households(s, text), success=self._show, parent=self)

    def _show(self, matches: list[tuple[uuid.UUID, str]]) -> None:
        self.matches = matches
        self._model.clear()
        for _id, label in matches:
            self._model.appendRow(QStandardItem(label))
        if matches and self.hasFocus():
            self.completer_.complete()
        else:
            self.completer_.popup().hide()

    def _enter(self) -> None:
        if self.household_id is not None:
            return
        if self._timer.isActive() or self._matches_for != self.text().strip():
            self.search()  # Enter before the pause: look up now
        if self.matches:
            self.choose(0)

    def choose(self, row: int) -> None:
        """Choose the match at `row`: the box shows it, `chosen` says so."""
        household_id, label = self.matches[row]
        self.completer_.popup().hide()
        self.setText(label)
        self._matches_for = label
        self.household_id = household_id
        self.chosen.emit(household_id)

    def show_chosen(self, household_id: uuid.UUID, label: str) -> None:
        """Show a household chosen elsewhere (a visit started from 农户, or one being edited)."""
        self.matches = [(household_id, label)]
        self.blockSignals(True)  # the form has the household already
        self.choose(0)
        self.blockSignals(False)


class VisitFormDialog(QDialog):
    """New visit, or an existing one (edit). Emits `saved(VisitSaved)` after a save."""

    saved = Signal(object)

    def __init__(self, ops: DbOps, data: VisitFormData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._data = data
        self._visit_id = data.detail.id if data.detail else None
        self._household: HouseholdChoice | None = None
        self._photos: list[PreparedFile] = []
        self.setWindowTitle(self.tr("编辑走访记录") if self._visit_id else self.tr("登记走访"))
        self._build()
        self.household_search.chosen.connect(self._household_picked)
        if data.household is not None:
            self.set_household(data.household)
        if data.detail is not None:
            self._fill(data.detail)
        self._size()

    # -- building ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.household_search = HouseholdPicker(self._ops, self)
        self.household_label = QLabel(self)
        self.date_edit = QDateEdit(QDate(clock.today()), self)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMaximumDate(QDate(clock.today()))
        self.time_edit = QTimeEdit(QTime(15, 0), self)
        self.time_edit.setDisplayFormat("HH:mm")
        self.type_box = QComboBox(self)
        for visit_type in VISIT_TYPES:
            self.type_box.addItem(visit_type, visit_type)
        self.visitors_box = MultiChoiceBox(empty_text=self.tr("（请选择走访人）"), parent=self)
        self.visitors_box.set_choices({str(i): f"{name}（{role}）" for i, name, role in self._data.cadres})
        self.members_box = MultiChoiceBox(empty_text=self.tr("（无人在家或未记录）"), parent=self)
        self.measures_box = MultiChoiceBox(empty_text=self.tr("（无）"), parent=self)
        self.measures_box.setToolTip(self.tr("本次走访推进了该户N+2帮扶计划中的哪些措施"))
        self.policies_box = MultiChoiceBox(empty_text=self.tr("（未宣讲）"), parent=self)
        self.policies_box.set_choices({p: p for p in POLICIES})
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setPlaceholderText(self.tr("走访情况、农户诉求、下一步打算…"))
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.results: dict[str, QComboBox] = {}
        self.check_notes: dict[str, QLineEdit] = {}
        for key in CHECKLIST:
            box = QComboBox(self)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.addItem(self.tr("未查"), None)
            for r in CHECK_RESULTS:
                box.addItem(r, r)
            box.currentIndexChanged.connect(lambda _i, b=box: self._colour(b))
            self.results[key] = box
            note = QLineEdit(self)
            note.setPlaceholderText(self.tr("情况说明（有问题时写明问题）"))
            self.check_notes[key] = note
        self.all_ok_button = QPushButton(self.tr("全部正常"), self)
        self.all_ok_button.setToolTip(self.tr("把所有“未查”的项设为“正常”"))
        self.all_ok_button.clicked.connect(self.mark_all_ok)
        self.to_ledger_check = QCheckBox(
            self.tr("“有问题”的项列入问题整改台账（期限{n}天）").format(n=PROBLEM_DAYS), self)
        self.to_ledger_check.setChecked(True)
        self.problems_table = QTableWidget(0, 1, self)
        self.problems_table.setHorizontalHeaderLabels([self.tr("其他发现的问题（每行一项，列入整改台账）")])
        self.problems_table.horizontalHeader().setStretchLastSection(True)
        self.problems_table.verticalHeader().hide()
        self.problems_table.setFixedHeight(self.fontMetrics().height() * 5 + 20)
        self.add_problem_button = QPushButton(self.tr("添加问题"), self)
        self.add_problem_button.clicked.connect(self.add_problem_row)
        self.photo_list = QListWidget(self)
        self.photo_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(96, 96))
        self.photo_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.photo_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.photo_list.setFixedHeight(150)
        self.add_photo_button = QPushButton(self.tr("添加照片/文件…"), self)
        self.add_photo_button.clicked.connect(self.choose_photos)
        self.remove_photo_button = QPushButton(self.tr("移除"), self)
        self.remove_photo_button.setToolTip(self.tr("移除尚未保存的照片"))
        self.remove_photo_button.clicked.connect(self.remove_selected_photos)
        self.keep_original_check = QCheckBox(self.tr("保留原图（占用更多空间）"), self)
        self.confirmation_box = choice_box(CONFIRMATIONS, empty=self.tr("（未确认）"), parent=self)
        self.confirmed_by_edit = QLineEdit(self)
        self.confirmed_by_edit.setPlaceholderText(self.tr("签字人"))
        self.next_due_edit = OptionalDateEdit(self.tr("约定"), self)
        self.next_due_edit.set_value(None)
        self.error_label = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._layout()

    def _layout(self) -> None:
        head = QFormLayout()
        head.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        head.addRow(self.tr("农户"), self.household_search)
        head.addRow("", self.household_label)
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addWidget(self.time_edit)
        when.addWidget(QLabel(self.tr("类型")))
        when.addWidget(self.type_box, 1)
        head.addRow(self.tr("走访时间"), when)
        head.addRow(self.tr("走访人"), self.visitors_box)
        head.addRow(self.tr("在场成员"), self.members_box)
        head.addRow(self.tr("推进措施"), self.measures_box)

        checks = QGroupBox(self.tr("两不愁三保障及饮水安全核查"), self)
        grid = QGridLayout(checks)
        grid.setVerticalSpacing(4)
        ok_row = QHBoxLayout()  # on top: at 特大 the last items are below the fold
        ok_row.addWidget(self.all_ok_button)
        ok_row.addWidget(self.to_ledger_check, 1)
        grid.addLayout(ok_row, 0, 0, 1, 3)
        for row, (key, label) in enumerate(CHECKLIST.items(), 1):
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(self.results[key], row, 1)
            grid.addWidget(self.check_notes[key], row, 2)
        grid.setColumnStretch(2, 1)

        left = QVBoxLayout()
        left.addLayout(head)
        left.addWidget(checks)
        left.addStretch(1)

        right = QVBoxLayout()
        more = QFormLayout()
        more.addRow(self.tr("宣讲政策"), self.policies_box)
        right.addLayout(more)
        right.addWidget(QLabel(self.tr("走访记录")))
        right.addWidget(self.notes_edit)
        right.addWidget(self.problems_table)
        right.addWidget(self.add_problem_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(QLabel(self.tr("照片（入户、住房、明白栏，拍人像须征得同意）")))
        right.addWidget(self.photo_list)
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.add_photo_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addWidget(self.keep_original_check, 1)
        right.addLayout(photo_buttons)
        end = QFormLayout()
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirmation_box, 1)
        confirm.addWidget(self.confirmed_by_edit, 1)
        end.addRow(self.tr("农户确认"), confirm)
        end.addRow(self.tr("下次走访"), self.next_due_edit)
        right.addLayout(end)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(12)
        columns.addLayout(right, 1)
        content = QWidget()
        content.setLayout(columns)
        scroll = fit.scrolled(content, self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self._content = content

    def _size(self) -> None:
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)  # room for the scroll bar at 特大
        wanted = self._content.sizeHint() + QSize(40 + bar, 90)
        fit.fit_to_screen(self, wanted)

    # -- household -----------------------------------------------------------------------------------

    def _household_picked(self, household_id: uuid.UUID | None) -> None:
        if household_id is None:  # typing again undid the choice
            self._household = None
            self.household_label.setText(self.tr("（尚未选择农户）"))
            return
        self._ops.query(lambda s: household_choice(s, household_id), success=self.set_household, parent=self)

    def set_household(self, h: HouseholdChoice) -> None:
        """Show the household, offer its members, tick its 帮扶责任人 as a visitor."""
        self._household = h
        self.household_label.setText(self.tr("{household}　{status}").format(
            household=household_name(h.number, h.head_name, brackets=False).replace(" ", "　"), status=h.status))
        if self.household_search.household_id != h.id:
            self.household_search.show_chosen(h.id, f"{h.number} {h.head_name}（{h.status}）")
        if self.error_label.text() == self.tr(CHOOSE_HOUSEHOLD):
            self.error_label.set_error(None)  # the one thing it asked for is done
        self.members_box.set_choices({str(i): f"{name}（{rel}）" for i, name, rel in h.members})
        self.measures_box.set_choices({str(i): label for i, label in h.measures})
        self.measures_box.setEnabled(bool(h.measures))
        if h.helper_id is not None and not self.visitors_box.selected() and self._visit_id is None:
            self.visitors_box.set_selected([str(h.helper_id)])
        if self._visit_id is not None:  # a saved visit stays with its household
            self.household_search.setEnabled(False)
        self.confirmed_by_edit.setPlaceholderText(h.head_name or self.tr("签字人"))

    # -- checklist, problems, photos ------------------------------------------------------------------

    def _colour(self, box: QComboBox) -> None:
        box.setStyleSheet("color: #b4232c; font-weight: bold;" if box.currentData() == RESULT_PROBLEM else "")

    def mark_all_ok(self) -> None:
        for box in self.results.values():
            if box.currentData() is None:
                box.setCurrentIndex(box.findData(RESULT_OK))

    def set_result(self, key: str, result: str | None, note: str = "") -> None:
        box = self.results[key]
        box.setCurrentIndex(box.findData(result) if result else 0)
        self.check_notes[key].setText(note)

    def add_problem_row(self, text: str = "") -> None:
        row = self.problems_table.rowCount()
        self.problems_table.insertRow(row)
        self.problems_table.setItem(row, 0, QTableWidgetItem(text if isinstance(text, str) else ""))
        self.problems_table.setCurrentCell(row, 0)
        if not text:
            self.problems_table.editItem(self.problems_table.item(row, 0))

    def choose_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择照片或文件（U盘、手机文件夹）"), "",
                                                self.tr(PHOTO_FILTER))
        self.add_photos([Path(f) for f in files])

    def add_photos(self, files: list[Path]) -> None:
        """Check each file now (a clear message for a bad one); the good ones are listed."""
        problems = []
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for path in files:
                try:
                    prepared = prepare_file(path)
                except FupinError as e:
                    problems.append(str(e))
                    continue
                if any(p.original_sha256 == prepared.original_sha256 for p in self._photos):
                    continue  # the same photo twice: once is enough
                self._photos.append(prepared)
                item = QListWidgetItem(prepared.file_name, self.photo_list)
                item.setData(Qt.ItemDataRole.UserRole, prepared.original_sha256)
                if prepared.thumbnail:
                    pixmap = QPixmap()
                    pixmap.loadFromData(prepared.thumbnail)
                    item.setIcon(QIcon(pixmap))
        finally:
            QGuiApplication.restoreOverrideCursor()
        if problems:
            show_error(self, FupinError("\n".join(problems)))

    def remove_selected_photos(self) -> None:
        for item in self.photo_list.selectedItems():
            sha = item.data(Qt.ItemDataRole.UserRole)
            if sha == "saved":
                continue
            self._photos = [p for p in self._photos if p.original_sha256 != sha]
            self.photo_list.takeItem(self.photo_list.row(item))

    def _show_saved_photos(self, photos: tuple[AttachmentRow, ...]) -> None:
        for p in photos:
            item = QListWidgetItem(p.file_name, self.photo_list)
            item.setData(Qt.ItemDataRole.UserRole, "saved")
            item.setToolTip(self.tr("已保存"))
            thumbnail = ensure_thumbnail(p)
            if thumbnail is not None:
                item.setIcon(QIcon(QPixmap(str(thumbnail))))

    # -- reading and writing the form ---------------------------------------------------------------

    def _fill(self, d: VisitDetail) -> None:
        f = d.form
        self.date_edit.setDate(QDate(f.visited_on))
        if f.visited_at:
            self.time_edit.setTime(QTime(f.visited_at.hour, f.visited_at.minute))
        set_choice(self.type_box, f.visit_type)
        self.visitors_box.set_selected([str(c) for c in f.visitor_ids])
        self.members_box.set_selected([str(m) for m in f.members_present])
        self.measures_box.set_selected([str(m) for m in f.measure_ids])
        for key in CHECKLIST:
            self.set_result(key, f.checklist.get(key), f.checklist_notes.get(key, ""))
        self.to_ledger_check.setChecked(False)  # the problems of a saved visit are in the ledger already
        self.to_ledger_check.setToolTip(self.tr("已登记的问题见“台账”：{items}").format(
            items="、".join(f"{n}（{s}）" for n, s, _d in d.ledger) or self.tr("无")))
        self.policies_box.set_selected(f.policies)
        self.notes_edit.setPlainText(f.notes or "")
        set_choice(self.confirmation_box, f.confirmation)
        self.confirmed_by_edit.setText(f.confirmed_by or "")
        self.next_due_edit.set_value(f.next_due)
        self._show_saved_photos(d.photos)

    def form(self) -> VisitForm:
        visited_on: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        t = self.time_edit.time()
        checklist = {k: b.currentData() for k, b in self.results.items() if b.currentData()}
        notes = {k: e.text().strip() for k, e in self.check_notes.items() if e.text().strip()}
        deadline = visited_on + timedelta(days=PROBLEM_DAYS)
        problems = []
        if self.to_ledger_check.isChecked():
            for key, result in checklist.items():
                if result == RESULT_PROBLEM:
                    problems.append(ProblemForm(notes.get(key) or self.tr("存在问题"), checklist_item=key,
                                                deadline=deadline))
        for row in range(self.problems_table.rowCount()):
            item = self.problems_table.item(row, 0)
            if item is not None and item.text().strip():
                problems.append(ProblemForm(item.text().strip(), deadline=deadline))
        return VisitForm(
            household_id=self._household.id if self._household else uuid.UUID(int=0),
            visited_on=visited_on, visit_type=self.type_box.currentData() or "",
            visitor_ids=[uuid.UUID(c) for c in self.visitors_box.selected()],
            visited_at=time(t.hour(), t.minute()),
            members_present=[uuid.UUID(m) for m in self.members_box.selected()],
            checklist=checklist, checklist_notes=notes, policies=self.policies_box.selected(),
            notes=self.notes_edit.toPlainText(), confirmation=choice(self.confirmation_box),
            confirmed_by=self.confirmed_by_edit.text() or (self._household.head_name if self._household else None),
            next_due=self.next_due_edit.value(), measure_ids=[uuid.UUID(m) for m in self.measures_box.selected()],
            problems=problems, photos=list(self._photos),
            keep_originals=self.keep_original_check.isChecked())

    def save(self) -> None:
        if self._household is None:
            self.error_label.set_error(self.tr(CHOOSE_HOUSEHOLD))
            self.household_search.setFocus()
            return
        form = self.form()
        errors = check_visit(form, clock.today())
        if errors:
            self.show_errors(errors)
            return
        visit_id = self._visit_id
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._ops.write(lambda s: record_visit(s, visit_id, form), success=self._saved, parent=self,
                            failure=self._failed)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def show_errors(self, errors: list[FieldError]) -> None:
        self.error_label.set_error("\n".join(str(e) for e in errors) or None)

    def _saved(self, result: VisitSaved) -> None:
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            self.show_errors(error.errors)
        else:
            self.error_label.set_error(str(error))
