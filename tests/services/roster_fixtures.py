"""A village to import a roster into (tests/services/test_roster_import.py, bench/bench_roster.py)."""

from pathlib import Path

from sqlalchemy import select

from fupin_desktop.db.models import Cadre, VillagerGroup
from fupin_desktop.db.session import Database
from fupin_desktop.services.setup import init_village
from fupin_desktop.services.village import current_village


def fresh_village_like(source: Database, path: Path) -> Database:
    """A new village database with the same 村民组 and cadres (by name) as `source`, so that every
    household of `source`'s roster is importable."""
    with source.reading() as s:
        groups = s.execute(select(VillagerGroup.name, VillagerGroup.sort_order)).all()
        cadres = s.execute(select(Cadre.name, Cadre.role)).all()
    db = init_village(path, village_code="410182104201", village_name="新沟村", township="汜水镇", county="荥阳市")
    with db.transaction() as s:
        village = current_village(s)
        s.add_all(VillagerGroup(village_id=village.id, name=n, sort_order=o) for n, o in groups)
        s.add_all(Cadre(village_id=village.id, name=n, role=r) for n, r in cadres)
    return db
