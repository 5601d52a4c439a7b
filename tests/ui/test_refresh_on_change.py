"""Every write refreshes every page that shows what it changed: DbOps reports the tables a
transaction touched, the main window reloads the pages that declare them (`shows`)."""

from collections import Counter

from PySide6.QtWidgets import QWidget

from fupin_desktop.db.models import HouseholdIncome
from fupin_desktop.domain import clock, rows
from fupin_desktop.services.lines import set_poverty_line
from fupin_desktop.ui.main_window import MainWindow
from tests.ui.helpers import open_window

GROUPS = {"households": rows.HOUSEHOLDS, "village": rows.VILLAGE, "cadres": rows.CADRES, "visits": rows.VISITS,
          "plans": rows.PLANS, "registers": rows.REGISTERS, "notices": rows.NOTICES, "projects": rows.PROJECTS,
          "ledger": rows.LEDGER, "reference": rows.REFERENCE}


def status_in_list(window: MainWindow, number: str) -> str:
    model = window.households_page.model
    return next(model.row_at(r).status for r in range(model.rowCount()) if model.row_at(r).number == number)


def test_a_status_changed_by_monitoring_shows_in_the_household_list_without_f5(qtbot, ops, db, settings,
                                                                                households):
    year = clock.today().year - 1
    with db.transaction() as s:  # 002 王小红 (一般农户), 5000 yuan for one person: below 1.5 × 4000
        s.add(HouseholdIncome(household_id=households.ids["002"], year=year, persons=1, wage_fen=500_000))
        set_poverty_line(s, year, 400_000, "河南省")
    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    assert status_in_list(window, "002") == "一般农户"
    window.show_page("plans")
    tab = window.plans_page.monitoring_tab
    tab.year.setValue(year)
    tab.register()
    tab.cases.selectRow(0)
    tab._advance("甄别中")
    tab.cases.selectRow(0)
    tab._advance("确认", category="边缘易致贫户", decided_by="村两委会议")  # the household becomes 边缘户
    window.show_page("households")
    assert status_in_list(window, "002") == "边缘户"


def count_refreshes(page: QWidget, counts: Counter[str], key: str, *, reload: bool = True) -> None:
    """Count the reloads of the page and of its parts (tabs reload on their own); `reload=False`
    only counts them (when which pages reload is under test, not what a reload shows)."""
    for widget in [page, *page.findChildren(QWidget)]:
        original = getattr(widget, "refresh", None)
        if callable(original):
            def counted(*args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
                counts[key] += 1
                return _original(*args, **kwargs) if reload else None
            widget.refresh = counted  # type: ignore[method-assign]


def test_every_change_refreshes_exactly_the_pages_that_show_it(qtbot, ops, settings, households):
    window = open_window(qtbot, ops, settings)
    pages = {key: window.page(key) for key in window.page_keys()}
    for key in pages:
        window.show_page(key)  # every page loaded once: nothing is stale
    window.show_page("home")
    counts: Counter[str] = Counter()
    for key, page in pages.items():  # ~60 tables × the pages showing each: counted, not reloaded
        count_refreshes(page, counts, key, reload=False)
    for group, tables in GROUPS.items():
        for table in sorted(tables):
            counts.clear()
            window.broadcast(rows.Changes(frozenset({table})))  # a write from no page in particular
            for key in pages:
                window.show_page(key)
            refreshed = {key for key in pages if counts[key]}
            showing = {key for key, page in pages.items() if table in page.shows}
            assert refreshed == showing, (group, table)
            assert "home" in refreshed and "statistics" in refreshed  # the figures count everything
    assert {"households", "plans", "notices", "settings"} <= {
        key for key, page in pages.items() if "household" in page.shows}


def test_the_page_that_wrote_is_not_reloaded_again_but_the_others_are(qtbot, ops, settings, households):
    from fupin_desktop.services.households import delete_household

    window = open_window(qtbot, ops, settings)
    window.show_page("households")
    window.show_page("home")
    window.show_page("households")
    counts: Counter[str] = Counter()
    count_refreshes(window.households_page, counts, "households")
    count_refreshes(window.home_page, counts, "home")
    ops.write(lambda s: delete_household(s, households.ids["003"]), success=lambda _r: None,
              parent=window.households_page)
    window.show_page("home")
    assert counts == Counter({"home": 1})
