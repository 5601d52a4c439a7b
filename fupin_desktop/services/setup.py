"""Creating a village database: schema, local replica, village, reference data."""

import shutil
from dataclasses import dataclass
from pathlib import Path

from fupin_desktop.db.session import Database, create_database
from fupin_desktop.domain.accounts import FIRST_SECRETARY, TEAM_MEMBER
from fupin_desktop.errors import StorageError
from fupin_desktop.paths import DATABASE_NAME
from fupin_desktop.services import accounts, security, village
from fupin_desktop.services.backup import _reason as reason
from fupin_desktop.services.cadres import CadreForm, save_cadre
from fupin_desktop.services.reference import load_reference

MIN_FREE_BYTES = 200 * 2**20  # the database, a few weeks of backups and printed PDFs


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
    db.creation_done()
    return db


@dataclass(frozen=True)
class FirstRun:
    """What the first-run wizard collects."""

    data_folder: Path
    village_code: str
    village_name: str
    township: str
    county: str
    city: str | None
    secretary_name: str
    secretary_login: str
    secretary_password: str
    secretary_unit: str | None = None  # 派驻单位
    team: tuple[str, ...] = ()  # the other work team members' names (cadres; accounts can come later)


def first_run(setup: FirstRun) -> tuple[Database, str]:
    """Create the village database in the chosen folder, the first secretary's account and the work
    team; returns the open database and the first secretary's recovery code. All or nothing."""
    problem = folder_problem(setup.data_folder)
    if problem:
        raise StorageError(problem)
    target = setup.data_folder / DATABASE_NAME
    # the account is checked before anything is created, so a bad password leaves no database behind
    accounts.check_new_account(setup.secretary_login, setup.secretary_name, FIRST_SECRETARY, setup.secretary_password)
    db = init_village(target, village_code=setup.village_code, village_name=setup.village_name,
                      township=setup.township, county=setup.county, city=setup.city)
    try:
        with db.transaction(actor=setup.secretary_login) as s:
            code = accounts.create_first_account(s, username=setup.secretary_login, full_name=setup.secretary_name,
                                                 password=setup.secretary_password)
            save_cadre(s, None, CadreForm(name=setup.secretary_name.strip(), role=FIRST_SECRETARY,
                                          unit=setup.secretary_unit or None))
            for name in dict.fromkeys(n.strip() for n in setup.team if n.strip()):
                save_cadre(s, None, CadreForm(name=name, role=TEAM_MEMBER, unit=setup.secretary_unit or None))
        security.encrypt_for_first_account(db, username=setup.secretary_login, password=setup.secretary_password,
                                           recovery_code=code)
    except BaseException:
        db.discard()
        raise
    return db, code


def folder_problem(folder: Path) -> str | None:
    """Why the data folder cannot hold the database (read-only, full, a file), or None."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".fupin-probe"
        probe.write_bytes(b"\0" * 65536)
        probe.unlink()
    except OSError as e:
        return f"文件夹 {folder} 无法写入（{reason(e)}）。请换一个文件夹，例如“我的文档”下的文件夹。"
    if (folder / DATABASE_NAME).exists():
        return f"文件夹 {folder} 中已有数据库 {DATABASE_NAME}。如要继续使用它，请取消向导后直接打开；否则换一个文件夹。"
    if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
        return f"文件夹 {folder} 所在磁盘剩余空间不足 {MIN_FREE_BYTES // 2**20} MB，请换一个磁盘或先清理。"
    return None
