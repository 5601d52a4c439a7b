"""HouseholdTableModel without a window: Qt's model checks, columns, roles, sort keys."""

import uuid

from PySide6.QtCore import Qt

from fupin_desktop.domain.rows import HouseholdRow
from fupin_desktop.services.search import SORT_KEYS
from fupin_desktop.ui.household_model import HouseholdTableModel


def row(number: str, head: str, **kw: object) -> HouseholdRow:
    values: dict[str, object] = dict(
        id=uuid.uuid4(), number=number, head_name=head, head_id_number="410182197001010017", group="一组",
        status="未脱贫", members=3, attributes=(), main_cause=None, phone=None, helper=None)
    values.update(kw)
    return HouseholdRow(**values)  # type: ignore[arg-type]


def test_model_passes_qt_checks(qtmodeltester):
    model = HouseholdTableModel()
    model.set_rows([row("001", "张三明", phone="13800138000", helper="刘书记"), row("002", "王小红")])
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_columns_show_the_row():
    first = row("001", "张三明", phone="13800138000", helper="刘书记", attributes=("dibao", "x"), main_cause="01")
    model = HouseholdTableModel()
    model.set_rows([first])
    model.set_names({"dibao": "低保户"}, {"01": "因病"})
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert shown == ["001", "张三明", "410182197001010017", "一组", "未脱贫", 3, "13800138000", "刘书记",
                     "低保户、x", "因病"]  # an unknown code shows as itself
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["户编号", "户主", "身份证号", "村民组", "户状态", "人口", "联系电话", "帮扶责任人",
                       "户属性", "主要致贫原因"]
    assert model.index(0, 0).data(HouseholdTableModel.IdRole) == first.id
    assert model.row_at(0) is first


def test_missing_phone_and_helper_show_empty():
    model = HouseholdTableModel()
    model.set_rows([row("001", "张三明")])
    assert model.index(0, HouseholdTableModel.COL_PHONE).data() == ""
    assert model.index(0, HouseholdTableModel.COL_HELPER).data() == ""


def test_sort_keys_are_known_to_the_search_service():
    assert set(HouseholdTableModel.SORT_KEYS.values()) <= set(SORT_KEYS)
