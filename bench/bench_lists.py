"""The one list (ui/lists.py) on a long list, next to a bare hand-written model and the old
QTableWidget fill in the same process.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_lists.py [--rows 50000] [--db path]

Rows are the 帮扶计划 overview of a demo village (built when --db is not given; a 50,000-household
village has about 10,000 plans), repeated up to --rows. For each way: hand over the rows, fit the
columns and paint the first screen (what a page does on every refresh), and read every cell's text
once (what an export or a sort by a column would touch). Prints figures; asserts nothing.
"""

import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from demo_db import demo_arguments, demo_database  # noqa: E402  # beside this script
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView, QTableWidget, QTableWidgetItem  # noqa: E402

from fupin_desktop.db.session import open_database  # noqa: E402
from fupin_desktop.domain import clock  # noqa: E402
from fupin_desktop.services.plans import plan_overview  # noqa: E402
from fupin_desktop.ui.lists import Column, RowsView  # noqa: E402

COLUMNS = [
    Column("户编号", lambda r: r.household_number), Column("户主", lambda r: r.head_name),
    Column("村民组", lambda r: r.group, "centre"), Column("户状态", lambda r: r.household_status, "centre"),
    Column("人口", lambda r: r.members, "right"), Column("计划状态", lambda r: r.status, "centre"),
    Column("措施", lambda r: r.measures or "", "right"), Column("错误", lambda r: r.errors or "", "right"),
    Column("提醒", lambda r: r.warnings or "", "right"), Column("逾期", lambda r: r.overdue or "", "right"),
    Column("最近到期", lambda r: r.next_deadline and r.next_deadline.isoformat(), "centre"),
]


def cells(r) -> tuple:  # type: ignore[no-untyped-def]
    return tuple("" if (v := c.value(r)) is None else str(v) for c in COLUMNS)


class BareModel(QAbstractTableModel):
    """The least a model can do: every text worked out when the rows arrive, display role only."""

    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self._rows = rows

    def rowCount(self, parent=QModelIndex()) -> int:  # type: ignore[no-untyped-def]  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # type: ignore[no-untyped-def]  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return self._rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None


def timed(action) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    action()
    return (time.perf_counter() - t0) * 1000


def show(view: QTableView, app: QApplication) -> None:
    view.resizeColumnsToContents()
    view.grab()  # paints the first screen
    app.processEvents()


def read_all(view: QTableView) -> None:
    model = view.model()
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            model.index(r, c).data()


def main() -> None:
    ap = demo_arguments(None)  # the demo village's plans, repeated to --rows
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    db = demo_database(args.db, tempfile.mkdtemp(prefix="fupin-lists-bench-"), args.households)
    database = open_database(db)
    with database.reading() as s:
        plans = plan_overview(s, clock.today().year)
    database.close()
    rows = (plans * (args.rows // max(1, len(plans)) + 1))[:args.rows]
    app = QApplication.instance() or QApplication([])

    def one_list() -> tuple[float, float]:
        view = RowsView(COLUMNS, fit=None)
        view.resize(1200, 600)
        shown = timed(lambda: (view.set_rows(rows), show(view, app)))
        return shown, timed(lambda: read_all(view))

    def bare() -> tuple[float, float]:
        view = QTableView()
        view.resize(1200, 600)
        shown = timed(lambda: (view.setModel(BareModel([cells(r) for r in rows])), show(view, app)))
        return shown, timed(lambda: read_all(view))

    def widget() -> tuple[float, float]:  # what fill_table did: one item object per cell
        table = QTableWidget(0, len(COLUMNS))
        table.resize(1200, 600)

        def fill() -> None:
            table.setRowCount(len(rows))
            for i, r in enumerate(rows):
                for c, text in enumerate(cells(r)):
                    table.setItem(i, c, QTableWidgetItem(text))
            show(table, app)
        return timed(fill), timed(lambda: read_all(table))

    print(f"{len(rows):,} rows of the 帮扶计划 overview ({len(plans):,} plans in {db}), {len(COLUMNS)} columns; "
          f"median of {args.runs} runs")
    results = {}
    for name, way in (("RowsModel/RowsView (typed rows, declared columns)", one_list),
                      ("bare QAbstractTableModel over texts", bare),
                      ("QTableWidget, an item per cell (the old fill_table)", widget)):
        runs = [way() for _ in range(args.runs)]
        results[name] = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
    base = results["bare QAbstractTableModel over texts"]
    for name, (shown, read) in results.items():
        print(f"  {name}: rows shown {shown:,.0f} ms (×{shown / base[0]:.2f}), every cell read {read:,.0f} ms "
              f"(×{read / base[1]:.2f})")


if __name__ == "__main__":
    main()
