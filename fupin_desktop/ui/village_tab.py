"""设置 › 村情: the village profile and the collective-income table, saved together.

The tab collects a VillageForm and hands it to `services.village.save_village`; the rules (years,
totals, amounts as typed in yuan) are the core's, and its FieldErrors appear under the inputs.
"""

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.rows import VILLAGE
from fupin_desktop.domain.vocab import VILLAGE_DESIGNATIONS, VILLAGE_TAGS
from fupin_desktop.errors import FupinError, ValidationError
from fupin_desktop.services.village import IncomeEntry, VillageForm, VillageSettings, save_village
from fupin_desktop.services.village import village_settings as load_village
from fupin_desktop.ui import fit, permissions
from fupin_desktop.ui.errors import show_error
from fupin_desktop.ui.form_widgets import ErrorLabel, choice, choice_box, set_choice, with_error
from fupin_desktop.ui.ops import DbOps
from fupin_desktop.ui.tables import compact_rows, heading


class NumberEdit(QLineEdit):
    """A whole or decimal number that may be left empty (counts, years, area)."""

    def __init__(self, *, decimals: int = 0, maximum: int = 10_000_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._decimals = decimals
        if decimals:
            validator = QDoubleValidator(0, maximum, decimals, self)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            self.setValidator(validator)
        else:
            self.setValidator(QIntValidator(0, maximum, self))
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("0" * 12) + 16)

    def value(self) -> int | float | None:
        text = self.text().strip()
        if not text:
            return None
        return float(text) if self._decimals else int(text)

    def set_value(self, value: int | float | None) -> None:
        self.setText("" if value is None else f"{value:g}" if self._decimals else str(value))


class VillageTab(QWidget):
    """村情 form."""

    shows = VILLAGE

    _NUMBERS = (("designated_year", QT_TRANSLATE_NOOP("VillageTab", "确定为贫困村年份"), 0),
                ("exit_year", QT_TRANSLATE_NOOP("VillageTab", "退出年份"), 0),
                ("households_total", QT_TRANSLATE_NOOP("VillageTab", "总户数"), 0),
                ("population_total", QT_TRANSLATE_NOOP("VillageTab", "总人口"), 0),
                ("area_km2", QT_TRANSLATE_NOOP("VillageTab", "面积（平方公里）"), 2),
                ("natural_villages", QT_TRANSLATE_NOOP("VillageTab", "自然村数"), 0))

    def __init__(self, ops: DbOps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._errors: dict[str, ErrorLabel] = {}
        self.name_edit = QLineEdit(self)
        self.code_label = QLabel(self)
        self.place_label = QLabel(self)
        for label in (self.code_label, self.place_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.designation_box = choice_box(VILLAGE_DESIGNATIONS, empty=self.tr("（未填）"), parent=self)
        self.tag_boxes = {tag: QCheckBox(tag, self) for tag in VILLAGE_TAGS}
        self.numbers = {name: NumberEdit(decimals=d, maximum=9999 if "year" in name else 10_000_000, parent=self)
                        for name, _label, d in self._NUMBERS}
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.income_table = QTableWidget(0, 3, self)
        self.income_errors = ErrorLabel(self)
        self.save_button = QPushButton(self.tr("保存村情"), self)
        self.revert_button = QPushButton(self.tr("撤销修改"), self)
        self._build_income_table()
        self._build_layout()
        permissions.write_action(self.save_button, self.revert_button)
        permissions.write_form(self)  # a reader sees the profile, cannot edit it
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)

    def _field(self, name: str, widget: QWidget) -> QWidget:
        self._errors[name] = ErrorLabel(self)
        return with_error(widget, self._errors[name])

    def _build_income_table(self) -> None:
        table = self.income_table
        table.setHorizontalHeaderLabels([self.tr("年份"), self.tr("集体经济收入（元）"), self.tr("说明")])
        table.verticalHeader().hide()
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        compact_rows(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 6)

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)  # its own: a form inherits the 32 px between the two columns otherwise
        form.addRow(self.tr("村名"), self._field("name", self.name_edit))
        form.addRow(self.tr("村代码"), self.code_label)
        form.addRow(self.tr("所属县、乡镇"), self.place_label)
        form.addRow(self.tr("贫困村类别"), self._field("designation", self.designation_box))
        tags = QGridLayout()
        tags.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.tag_boxes.values()):
            tags.addWidget(box, i // 3, i % 3)
        tag_widget = QWidget(self)
        tag_widget.setLayout(tags)
        form.addRow(self.tr("村标签"), self._field("tags", tag_widget))
        for name, text, _decimals in self._NUMBERS:
            form.addRow(self.tr(text), self._field(name, self.numbers[name]))
        form.addRow(self.tr("备注"), self.note_edit)
        income_buttons = QHBoxLayout()
        income_buttons.setSpacing(8)
        add, remove = QPushButton(self.tr("添加年度"), self), QPushButton(self.tr("删除所选年度"), self)
        add.clicked.connect(self.add_income_row)
        remove.clicked.connect(self._remove_income_rows)
        permissions.write_action(add, remove)
        income_buttons.addWidget(add)
        income_buttons.addWidget(remove)
        income_buttons.addStretch(1)
        incomes = QVBoxLayout()
        incomes.setSpacing(8)
        incomes.addWidget(heading(self.tr("村集体经济收入")))
        incomes.addWidget(QLabel(self.tr("金额以元为单位，可写“52000”或“5.2万”。"), self))
        incomes.addWidget(self.income_table, 1)
        incomes.addWidget(self.income_errors)
        incomes.addLayout(income_buttons)
        columns = QHBoxLayout()
        columns.setSpacing(32)
        form_column = QVBoxLayout()
        form_column.addLayout(form)
        form_column.addStretch(1)
        columns.addLayout(form_column, 3)
        columns.addLayout(incomes, 2)
        content = QWidget(self)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addLayout(columns)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(16, 8, 16, 12)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        fit.fill_scrolled(self, content, buttons)

    def refresh(self) -> None:
        """Load the profile (dropping unsaved edits)."""
        self._ops.query(load_village, success=self.show_village, parent=self)

    def show_village(self, v: VillageSettings) -> None:
        self.show_errors(None)
        self.name_edit.setText(v.name)
        self.code_label.setText(v.code)
        self.place_label.setText(f"{v.county} {v.township}".strip())
        set_choice(self.designation_box, v.designation)
        for tag, box in self.tag_boxes.items():
            box.setChecked(tag in v.tags)
        for name, edit in self.numbers.items():
            edit.set_value(getattr(v, name))
        self.note_edit.setPlainText(v.note or "")
        self.income_table.setRowCount(0)
        for income in v.incomes:
            self.add_income_row(str(income.year), yuan(income.amount_fen), income.note or "")

    def add_income_row(self, year: str = "", amount: str = "", note: str = "") -> None:
        table = self.income_table
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate((year, amount, note)):
            item = QTableWidgetItem(text)
            if column < 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
        if not year:
            table.setCurrentCell(row, 0)
            table.editItem(table.item(row, 0))

    def _remove_income_rows(self) -> None:
        for row in sorted({i.row() for i in self.income_table.selectedIndexes()}, reverse=True):
            self.income_table.removeRow(row)

    def form(self) -> VillageForm:
        numbers = {name: edit.value() for name, edit in self.numbers.items()}
        return VillageForm(
            name=self.name_edit.text(), designation=choice(self.designation_box),
            tags=[tag for tag, box in self.tag_boxes.items() if box.isChecked()],
            note=self.note_edit.toPlainText(), incomes=self._incomes(), **numbers)  # type: ignore[arg-type]

    def _incomes(self) -> list[IncomeEntry]:
        entries = []
        for row in range(self.income_table.rowCount()):
            year, amount, note = (self._cell(row, c) for c in range(3))
            if not (year or amount or note):
                continue  # a blank row the user added and left
            year = year.removesuffix("年")
            entries.append(IncomeEntry(int(year) if year.isdigit() else None, amount, note or None))
        return entries

    def _cell(self, row: int, column: int) -> str:
        item = self.income_table.item(row, column)
        return item.text().strip() if item is not None else ""

    def save(self) -> None:
        self.income_table.setCurrentItem(None)  # commit a cell still being edited
        self._ops.write(lambda s: save_village(s, self.form()), success=self._saved, parent=self,
                        failure=self._failed)

    def _saved(self, _none: None) -> None:
        self.refresh()

    def _failed(self, error: FupinError) -> None:
        if isinstance(error, ValidationError):
            self.show_errors(error)
        else:
            show_error(self, error)

    def show_errors(self, error: ValidationError | None) -> None:
        """Each message under its input; the income rows' messages under the table."""
        by_field: dict[str, list[str]] = {}
        for e in error.errors if error else []:
            by_field.setdefault(e.field if e.field in self._errors else "incomes", []).append(str(e))
        for name, label in self._errors.items():
            label.set_error("；".join(by_field.get(name, [])) or None)
        self.income_errors.set_error("\n".join(by_field.get("incomes", [])) or None)
