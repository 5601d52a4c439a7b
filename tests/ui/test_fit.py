"""Every page, dialog and preview fits the village laptop (1366×768, taskbar below) at every font
size, with its buttons visible without scrolling (the rule is fupin_desktop/ui/fit.py).

Dialogs are found by walking fupin_desktop.ui: every QDialog or QWizard class there must have an
entry in _factories(), so a new dialog cannot escape the check. Each entry builds the dialog on the demo
village (long names, real plans and ledgers) as the program would open it.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QApplication, QDialog, QWidget, QWizard

import fupin_desktop.ui
from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import clock
from fupin_desktop.domain.progress import QUIET
from fupin_desktop.services import benefits, exits, ledger, notices, plans, print_data, projects, visits
from fupin_desktop.ui import fit, font_size
from fupin_desktop.ui.main_window import MainWindow
from fupin_desktop.ui.ops import DbOps


@pytest.fixture
def demo(demo_path: Path):  # type: ignore[no-untyped-def]
    db = open_database(demo_path)
    yield db
    db.close()


@pytest.fixture
def laptop(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """The screen is a 1366×768 laptop whose taskbar takes 40 px (offscreen Qt has an 800×800 screen)."""
    monkeypatch.setattr(fit, "available", lambda widget=None: QRect(0, 0, fit.LAPTOP.width(), fit.LAPTOP.height() - 40))
    yield
    font_size.apply(font_size.STANDARD)


class Context:
    """What the dialog factories need: the database, a parent window, a few rows of the demo village."""

    def __init__(self, db: Database, ops: DbOps, parent: QWidget, tmp: Path) -> None:
        self.db, self.ops, self.parent, self.tmp = db, ops, parent, tmp
        with db.reading() as s:
            self.overview = plans.plan_overview(s, clock.today().year)
            planned = max((r for r in self.overview if r.plan_id), key=lambda r: r.measures)
            self.household_id = planned.household_id
            self.number = planned.household_number
            self.plan_id = planned.plan_id
            self.ledger_rows = ledger.list_ledger(s)
            self.procedure = exits.list_procedures(s)[0]
            self.notice_id = notices.list_notices(s)[0].id
            self.project = projects.get_project(s, projects.list_projects(s)[0].id)

    def read(self, op):  # type: ignore[no-untyped-def]
        with self.db.reading() as s:
            return op(s)


def _household_detail(c: Context) -> QDialog:
    from fupin_desktop.services.forms import load_household
    from fupin_desktop.ui.household_detail import HouseholdDetailDialog

    return HouseholdDetailDialog(c.read(lambda s: load_household(s, c.household_id)), c.parent)


def _household_editor(c: Context) -> QDialog:
    from fupin_desktop.services.forms import load_editor
    from fupin_desktop.ui.household_editor import HouseholdEditor

    return HouseholdEditor(c.ops, c.read(lambda s: load_editor(s, c.household_id)), c.parent)


def _visit_form(c: Context) -> QDialog:
    from fupin_desktop.services.forms import load_visit_form
    from fupin_desktop.ui.visit_form import VisitFormDialog

    return VisitFormDialog(c.ops, c.read(lambda s: load_visit_form(s, household_id=c.household_id)), c.parent)


def _preview(c: Context) -> QDialog:
    from fupin_desktop.ui.pdf_preview import PdfPreview
    from fupin_desktop.ui.printing import cards_job

    job = cards_job(c.tmp / "card.pdf", print_data.Selection(numbers=(c.number,)), kind="card",
                    year=clock.today().year, folder=False)
    return PdfPreview(c.read(lambda s: job(s, QUIET))[0], c.parent)


def _roster(c: Context) -> QDialog:
    from fupin_desktop.ui.roster_dialog import RosterImportDialog

    return RosterImportDialog(c.ops, c.parent)


def _ledger_item(c: Context) -> QDialog:
    from fupin_desktop.services.forms import load_ledger_dialog
    from fupin_desktop.ui.rectification_dialogs import LedgerItemDialog

    return LedgerItemDialog(c.ops, c.read(lambda s: load_ledger_dialog(s, c.ledger_rows[0])), c.parent)


def _factories() -> dict[str, Callable[[Context], QWidget]]:
    from fupin_desktop.ui import (
        accounts_tab,
        cadre_dialog,
        exit_dialogs,
        first_run,
        ledger_dialogs,
        monitoring_tab,
        plan_editor,
        plans_page,
        rectification_dialogs,
        registers_tab,
        sign_in,
        visits_page,
    )

    def sign_in_dialog(c: Context) -> QWidget:
        return sign_in.SignInDialog(c.db, QSettings(str(c.tmp / "s.ini"), QSettings.Format.IniFormat))

    return {
        "HouseholdDetailDialog": _household_detail,
        "HouseholdEditor": _household_editor,
        "VisitFormDialog": _visit_form,
        "PdfPreview": _preview,
        "RosterImportDialog": _roster,
        "LedgerItemDialog": _ledger_item,
        "CloseDialog": lambda c: rectification_dialogs.CloseDialog(c.ops, c.ledger_rows[0], c.parent),
        "LeaveDialog": lambda c: rectification_dialogs.LeaveDialog(c.ops, *c.read(_cadre), clock.today(), c.parent),
        "VisitRulesDialog": lambda c: visits_page.VisitRulesDialog(c.ops, c.read(visits.visit_rules), c.parent),
        "ComplianceDialog": lambda c: plans_page.ComplianceDialog(
            c.read(lambda s: plans.compliance_report(s, clock.today().year)), c.parent),
        "CataloguePicker": lambda c: plan_editor.CataloguePicker(c.read(plans.catalogue), person=True,
                                                                 parent=c.parent),
        "ConfirmationDialog": lambda c: exit_dialogs.ConfirmationDialog(
            c.procedure, c.read(lambda s: exits.member_names(s, c.procedure.household_id)), c.parent),
        "VillageChecklistDialog": lambda c: exit_dialogs.VillageChecklistDialog(c.read(exits.village_exit), c.parent),
        "ReportDialog": lambda c: monitoring_tab.ReportDialog(c.read(benefits.household_choices), c.parent),
        "StepDialog": lambda c: monitoring_tab.StepDialog(c.procedure.next_step or "村民代表评议", c.parent),
        "RelocationDialog": lambda c: registers_tab.RelocationDialog(c.parent),
        "LoanDialog": lambda c: registers_tab.LoanDialog(c.parent),
        "CadreDialog": lambda c: cadre_dialog.CadreDialog(c.ops, parent=c.parent),
        "NewAccountDialog": lambda c: accounts_tab.NewAccountDialog(c.parent),
        "SignInDialog": sign_in_dialog,
        "ChangePasswordDialog": lambda c: sign_in.ChangePasswordDialog(c.db, _user(), forced=True, parent=c.parent),
        "RecoveryDialog": lambda c: sign_in.RecoveryDialog(c.db, username="liming", parent=c.parent),
        "FirstRunWizard": lambda c: first_run.FirstRunWizard(c.tmp / "data", c.parent),
        "BenefitDialog": lambda c: ledger_dialogs.BenefitDialog(c.ops, household_id=c.household_id, parent=c.parent),
        "NoticeDialog": lambda c: ledger_dialogs.NoticeDialog(c.ops, parent=c.parent),
        "DateDialog": lambda c: ledger_dialogs.DateDialog(c.ops, "张贴公示", "张贴日期", lambda s, d: None,
                                                          parent=c.parent),
        "ObjectionDialog": lambda c: ledger_dialogs.ObjectionDialog(c.ops, c.notice_id, parent=c.parent),
        "ProjectDialog": lambda c: ledger_dialogs.ProjectDialog(c.ops, project_id=c.project.row.id,
                                                                form=c.project.form, parent=c.parent),
        "SpendingDialog": lambda c: ledger_dialogs.SpendingDialog(c.ops, c.project.row.id, ["中央财政"], c.parent),
        "CollectiveIncomeDialog": lambda c: ledger_dialogs.CollectiveIncomeDialog(c.ops, c.parent),
        "AssetDialog": lambda c: ledger_dialogs.AssetDialog(c.ops, project_id=c.project.row.id, parent=c.parent),
        "BeneficiariesDialog": lambda c: ledger_dialogs.BeneficiariesDialog(c.ops, c.project.row.id,
                                                                            c.project.beneficiaries, c.parent),
    }


def _cadre(s):  # type: ignore[no-untyped-def]
    cadre_id, name, _role = visits.serving_cadres(s)[0]
    return cadre_id, name


def _user():  # type: ignore[no-untyped-def]
    from fupin_desktop.domain.accounts import CurrentUser

    return CurrentUser(username="liming", full_name="李明", role="工作队员")


# Base classes never opened as they are, and Qt's progress box (a line of text, sized by Qt).
NOT_OPENED_ALONE = {"FormDialog", "_NewPasswordDialog", "_Progress"}


def _dialog_classes() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(fupin_desktop.ui.__path__):
        module = importlib.import_module(f"fupin_desktop.ui.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, (QDialog, QWizard)):
                found.add(name)
    return found - NOT_OPENED_ALONE


def test_every_dialog_is_checked() -> None:
    missing = _dialog_classes() - set(_factories())
    assert not missing, f"add these dialogs to _factories() in {__file__}: {sorted(missing)}"


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _note_problems(failures: dict[str, list[str]], name: str, window: QWidget, limit: QSize) -> None:
    """Let `window` lay itself out, then note what of it does not fit in `limit`."""
    _settle()
    if found := fit.problems(window, limit):
        failures[name] = found


def _told(failures: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {'；'.join(p)}" for name, p in failures.items())


@pytest.mark.parametrize("size", list(font_size.SIZES))
def test_every_dialog_fits_the_laptop(qtbot, demo, laptop, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    font_size.apply(size)
    ops = DbOps(demo)
    parent = QWidget()
    qtbot.addWidget(parent)
    context = Context(demo, ops, parent, tmp_path)
    limit = fit.room()
    failures: dict[str, list[str]] = {}
    for name, make in sorted(_factories().items()):
        dialog = make(context)
        dialog.show()
        _note_problems(failures, name, dialog, limit)
        dialog.hide()
        dialog.deleteLater()
    ops.wait()
    assert not failures, _told(failures)


@pytest.mark.parametrize("size", list(font_size.SIZES))
def test_every_page_fits_the_laptop(qtbot, demo, laptop, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(font_size.SETTING, size)
    ops = DbOps(demo)
    window = MainWindow(ops, settings=settings, backup_at_start=False)
    qtbot.addWidget(window)
    limit = fit.room()
    window.resize(limit)
    window.show()
    failures: dict[str, list[str]] = {}
    for key in window.page_keys():  # every page is built: the window is as wide as its widest page
        window.show_page(key)
        qtbot.wait(30)
        ops.wait()
        _note_problems(failures, key, window, limit)
    ops.wait()
    assert not failures, _told(failures)


def test_the_plan_editor_shows_six_measures_and_every_finding(qtbot, demo, laptop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """At 标准 on the laptop: six measures of the plan with most findings in the demo village, and
    all its findings, are seen whole, with no scroll bar inside another."""
    from PySide6.QtWidgets import QAbstractScrollArea

    window = MainWindow(DbOps(demo), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                        backup_at_start=False)
    qtbot.addWidget(window)
    window.resize(fit.room())
    window.show()
    window.show_page("plans")
    page = window.plans_page
    planned = max((r for r in page.rows if r.plan_id and r.measures >= 6), key=lambda r: r.errors + r.warnings)
    page.open_plan(planned.plan_id)
    editor = page.editor
    qtbot.waitUntil(lambda: editor.measures_table.model().rowCount() == planned.measures)
    _settle()
    table = editor.measures_table
    last = 5  # the sixth
    assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()
    assert editor.findings_list.count() >= 3 and editor.findings_list.verticalScrollBar().maximum() == 0
    parent = editor.parentWidget()
    while parent is not None:
        assert not isinstance(parent, QAbstractScrollArea), "the editor must not sit in a scrolled page"
        parent = parent.parentWidget()


@pytest.mark.parametrize("size", [font_size.STANDARD, "xlarge"])
def test_adding_visit_problems_does_not_grow_the_form(qtbot, demo, laptop, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    font_size.apply(size)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = _visit_form(Context(demo, DbOps(demo), parent, tmp_path))
    dialog.show()
    _settle()
    before, need = dialog.size(), dialog.minimumSizeHint()
    for n in range(6):
        dialog.add_problem_row(f"第{n + 1}个问题：房屋漏雨，需要维修屋顶并加固后墙")
        _settle()
    assert dialog.size() == before and dialog.minimumSizeHint().width() <= need.width()
    assert not fit.problems(dialog, fit.room())
