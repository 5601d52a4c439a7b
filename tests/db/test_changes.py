"""A transaction says what it changed: the tables its change log touched (domain.rows.Changes)."""

import pytest

from fupin_desktop.db.base import synced_tables
from fupin_desktop.domain import rows
from fupin_desktop.services.village import add_group, rename_group


def test_every_synced_table_belongs_to_one_kind_of_view():
    groups = [rows.HOUSEHOLDS, rows.VILLAGE, rows.CADRES, rows.VISITS, rows.PLANS, rows.REGISTERS, rows.NOTICES,
              rows.PROJECTS, rows.LEDGER, rows.REFERENCE]
    assert rows.ALL_TABLES == set(synced_tables())  # a new table must be given to the views that show it
    assert sum(len(g) for g in groups) == len(rows.ALL_TABLES)


def test_a_committed_transaction_reports_the_tables_it_wrote(db):
    db.take_changes()
    with db.transaction() as s:
        group = add_group(s, "三组")
    changes = db.take_changes()
    assert changes.tables == {"villager_group"} and changes.village and not changes.households
    assert not db.take_changes()  # taken once
    with db.transaction() as s:
        rename_group(s, group, "新三组")
    assert db.take_changes().tables == {"villager_group"}


def test_a_rolled_back_transaction_reports_nothing(db):
    db.take_changes()
    with pytest.raises(RuntimeError), db.transaction() as s:
        add_group(s, "三组")
        s.flush()
        raise RuntimeError("stop")
    assert not db.take_changes()


def test_changes_name_what_views_care_about():
    c = rows.Changes(frozenset({"risk_case", "household"}))
    assert c.plans and c.households and not c.members and not c.village and not c.visits
    assert (c | rows.Changes(frozenset({"visit"}))).visits
