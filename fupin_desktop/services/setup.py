"""Creating a village database: schema, local replica, village, reference data."""

from pathlib import Path

from fupin_desktop.db.session import Database, create_database
from fupin_desktop.services import village
from fupin_desktop.services.reference import load_reference


def init_village(target: str | Path, *, village_code: str, village_name: str, township: str, county: str,
                 county_code: str | None = None, city: str | None = None) -> Database:
    """A new database holding one village. Refuses an existing database; leaves nothing on failure."""
    db = create_database(target, replica_name=f"{township}{village_name}")
    try:
        with db.transaction() as s:
            village.create_village(s, code=village_code, name=village_name, township=township, county=county,
                                   county_code=county_code, city=city)
            load_reference(s)
    except BaseException:
        db.discard()
        raise
    return db
