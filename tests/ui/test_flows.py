"""What is done for one household starts where the user stands: from the 农户 list or the
household's detail window, 登记走访 opens the visit form with the household chosen, 帮扶计划 opens
its plan, 打印明白卡 shows the card's print preview (bench/bench_flows.py counts the actions)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fupin_desktop.services.visits import household_visits
from fupin_desktop.ui.pdf_preview import PdfPreview
from tests.services.visit_fixtures import make_village
from tests.ui.helpers import open_window


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_visit_is_recorded_from_the_household_list(qtbot, ops, settings, db) -> None:  # type: ignore[no-untyped-def]
    village = make_village(db)  # 001 张三明 with his 帮扶责任人 王建军
    window = open_window(qtbot, ops, settings, "households")
    page = window.households_page
    assert not page.visit_button.isEnabled()  # nothing chosen yet
    page.table.select(village.poor)
    click(qtbot, page.visit_button)
    form = window.visits_page.form_dialog
    assert form is not None and form._household.id == village.poor
    assert form.household_search.text().startswith("001 张三明")
    assert form.visitors_box.selected() == [str(village.helper)]
    click(qtbot, form.all_ok_button)
    click(qtbot, form.buttons.button(form.buttons.StandardButton.Save))
    with db.reading() as s:
        [visit] = household_visits(s, village.poor)
    assert visit.checklist["吃"] == "正常"


def test_the_plan_opens_from_the_household_list(qtbot, ops, settings, households) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, ops, settings, "households")
    page = window.households_page
    page.table.select(households.ids["003"])
    click(qtbot, page.plan_button)  # no plan yet: it is made (there is none of last year to copy)
    plans = window.plans_page
    assert window.current_page() == "plans" and plans.stack.currentWidget() is plans.editor
    qtbot.waitUntil(lambda: plans.editor.detail is not None)
    assert plans.editor.detail.household_id == households.ids["003"]


def test_the_plan_list_searches_by_name_initials_and_number(qtbot, ops, settings, households) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, ops, settings, "households")
    window.show_page("plans")
    plans = window.plans_page
    assert [r.household_number for r in plans.table.rows] == ["001", "003"]
    for text, found in (("zdl", ["003"]), ("赵", ["003"]), ("1", ["001"]), ("x", [])):
        plans.search_box.setText(text)
        assert [r.household_number for r in plans.table.rows] == found, text
    plans.search_box.setText("zsm")
    qtbot.keyClick(plans.search_box, Qt.Key.Key_Return)  # one left: Enter opens (here: makes) its plan
    qtbot.waitUntil(lambda: plans.editor.detail is not None)
    assert plans.editor.detail.household_id == households.ids["001"]


def previews() -> list[PdfPreview]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreview) and w.isVisible()]


def test_the_card_prints_from_the_list_and_the_detail_window(qtbot, ops, settings, households, db_path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, ops, settings, "households")
    page = window.households_page
    page.table.select(households.ids["001"])
    click(qtbot, page.card_button)  # no file dialog: straight to the preview
    qtbot.waitUntil(lambda: len(previews()) == 1, timeout=20_000)
    preview = previews()[0]
    assert preview.path.parent == db_path.parent / "打印" and "001" in preview.path.name
    preview.close()
    page.open_household(households.ids["002"])
    detail = next(w for w in QApplication.topLevelWidgets()
                  if type(w).__name__ == "HouseholdDetailDialog" and w.isVisible())
    for button in (detail.visit_button, detail.plan_button, detail.card_button):
        assert button.isVisible() and button.isEnabled()
    click(qtbot, detail.visit_button)
    assert window.visits_page.form_dialog._household.id == households.ids["002"]
    window.visits_page.form_dialog.reject()
    click(qtbot, detail.card_button)
    qtbot.waitUntil(lambda: any("002" in p.path.name for p in previews()), timeout=20_000)
    for p in previews():
        p.close()
    ops.wait()


def test_a_form_saved_without_a_choice_names_the_field_and_keeps_the_typing(qtbot, ops, settings, db) -> None:  # type: ignore[no-untyped-def]
    make_village(db)
    window = open_window(qtbot, ops, settings, "households")
    page = window.households_page
    page.table.select(page.table.rows[0].id)
    click(qtbot, page.visit_button)
    form = window.visits_page.form_dialog
    form.visitors_box.set_selected([])  # nobody ticked as the visitor
    form.notes_edit.setPlainText("户主腰椎病复查")
    form.save()
    assert form.isVisible() and "走访人" in form.error_label.text()
    assert form.notes_edit.toPlainText() == "户主腰椎病复查"
    form.reject()
