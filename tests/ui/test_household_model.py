"""The register's columns in the one list model, without a window: Qt's model checks, columns,
roles, sort keys."""

import uuid

from PySide6.QtCore import Qt

from fupin_desktop.domain.rows import HouseholdRow
from fupin_desktop.services.search import SORT_KEYS
from fupin_desktop.ui import households_page as hp
from fupin_desktop.ui.lists import RowsModel


def row(number: str, head: str, **kw: object) -> HouseholdRow:
    values: dict[str, object] = dict(
        id=uuid.uuid4(), number=number, head_name=head, head_id_number="410182197001010017", group="一组",
        status="未脱贫", members=3, attributes=(), main_cause=None, phone=None, helper=None)
    values.update(kw)
    return HouseholdRow(**values)  # type: ignore[arg-type]


def model(shown: hp.ShownAs | None = None) -> RowsModel[HouseholdRow]:
    return RowsModel(hp.household_columns(shown or hp.ShownAs()))


def test_model_passes_qt_checks(qtmodeltester):
    m = model()
    m.set_rows([row("001", "张三明", phone="13800138000", helper="刘书记"), row("002", "王小红")])
    qtmodeltester.check(m)
    m.set_rows([])
    qtmodeltester.check(m)


def test_columns_show_the_row():
    first = row("001", "张三明", phone="13800138000", helper="刘书记", attributes=("dibao", "x"), main_cause="01")
    m = model(hp.ShownAs(attributes={"dibao": "低保户"}, causes={"01": "因病"}))
    m.set_rows([first])
    shown = [m.index(0, c).data() for c in range(m.columnCount())]
    assert shown == ["001", "张三明", "410182197001010017", "一组", "未脱贫", "3", "13800138000", "刘书记",
                     "低保户、x", "因病"]  # an unknown code shows as itself
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["户编号", "户主", "身份证号", "村民组", "户状态", "人口", "联系电话", "帮扶责任人",
                       "户属性", "主要致贫原因"]
    assert m.index(0, 0).data(RowsModel.RowRole) is first
    assert m.row_at(0) is first
    assert m.index(0, hp.COL_MEMBERS).data(Qt.ItemDataRole.TextAlignmentRole) == Qt.AlignmentFlag.AlignCenter


def test_missing_phone_and_helper_show_empty():
    m = model()
    m.set_rows([row("001", "张三明")])
    assert m.index(0, hp.COL_PHONE).data() == ""
    assert m.index(0, hp.COL_HELPER).data() == ""


def test_ids_are_masked_for_a_reader():
    m = model(hp.ShownAs(mask_ids=True))
    m.set_rows([row("001", "张三明")])
    assert m.index(0, hp.COL_ID_NUMBER).data() == "410182********0017"


def test_sort_keys_are_known_to_the_search_service():
    sql = {c.sql for c in hp.household_columns(hp.ShownAs()) if c.sql}
    assert sql == {"number", "head", "group", "status", "members"} and sql <= set(SORT_KEYS)
