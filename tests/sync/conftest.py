"""Sync fixtures: a county database with its set-up file, and villages that installed it."""

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from fupin_desktop.db.models import Household, Member
from fupin_desktop.db.replicas import continue_as_new_replica
from fupin_desktop.db.session import Database, open_database
from fupin_desktop.domain import idcard
from fupin_desktop.services.setup import init_village
from fupin_desktop.services.village import current_village
from fupin_desktop.sync.county import init_county
from fupin_desktop.sync.keys import ensure_keys, import_county_file
from fupin_desktop.sync.trust import trust_key


class World:
    """A county and its villages, each a real SQLite file under one temporary folder."""

    def __init__(self, root: Path, county_url: str | None = None):
        self.root = root
        self.usb = root / "usb"
        self.usb.mkdir()
        created = init_county(county_url or root / "county.db", code="410182", name="荥阳市", city="郑州市",
                              setup_dir=root)
        self.county, self.setup = created.db, created.setup_file
        self.dbs: list[Database] = [self.county]

    @classmethod
    def copy_of(cls, template: "World", root: Path) -> "World":
        """The same county and villages (files, keys, set-up) copied under root, without migrating
        again: for tests that build many worlds. The template must be closed."""
        shutil.copytree(template.root, root, dirs_exist_ok=True)
        w = cls.__new__(cls)
        w.root, w.usb, w.setup = root, root / "usb", root / template.setup.relative_to(template.root)
        w.dbs = [open_database(root / Path(db.file).relative_to(template.root))  # type: ignore[arg-type]
                 for db in template.dbs]
        w.county = w.dbs[0]
        return w

    def village(self, code: str = "410182104201", name: str = "新沟村") -> Database:
        db = init_village(self.root / f"{code}.db", village_code=code, village_name=name, township="汜水镇",
                          county="荥阳市")
        self.confirm(db, code)
        import_county_file(db, self.setup)
        self.dbs.append(db)
        return db

    def confirm(self, db: Database, code: str) -> str:
        """The county clerk confirms the installation's fingerprint, read over the phone."""
        fp = ensure_keys(db).fingerprint
        trust_key(self.county, fp, village_code=code)
        return fp

    def second_laptop(self, db: Database, name: str) -> Database:
        """A copy of a village database edited on another laptop (its own replica and keys)."""
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = self.root / f"{name}.db"
        assert db.file is not None
        shutil.copy(db.file, path)
        continue_as_new_replica(path, keep_keys=False)
        copy = open_database(path)
        with copy.reading() as s:
            code = current_village(s).code
        self.confirm(copy, code)
        self.dbs.append(copy)
        return copy

    def close(self) -> None:
        for db in self.dbs:
            db.close()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path)
    yield w
    w.close()


def add_household(db: Database, number: str, head: str, id_number: str | None = None) -> uuid.UUID:
    with db.transaction(actor="测试") as s:
        v = current_village(s)
        h = Household(village_id=v.id, number=number, status="未脱贫")
        s.add(h)
        s.flush()
        idn = id_number or idcard.make("410182", date(1970, 1, 1) , int(number) % 999 + 1, "男")
        s.add(Member(household_id=h.id, name=head, name_initials="x", id_number=idn, relation="户主", sex="男",
                     birth_date=date(1970, 1, 1)))
        return h.id


def edit(db: Database, model: type, row_id: uuid.UUID, **values: object) -> None:
    with db.transaction(actor="测试") as s:
        obj = s.get(model, row_id)
        for k, v in values.items():
            setattr(obj, k, v)


def snapshot(db: Database, tables: tuple[str, ...] = ("household", "member", "county", "township", "village")) -> dict:
    """Comparable state: rows of the register tables and the conflict set (without detection times)."""
    from fupin_desktop.db.base import Base
    from fupin_desktop.db.models import SyncConflict

    out: dict = {}
    with db.reading() as s:
        for t in tables:
            table = Base.metadata.tables[t]
            out[t] = sorted((tuple(sorted(r._mapping.items())) for r in s.execute(select(table))), key=repr)
        out["conflicts"] = sorted((c.kind, c.table_name, c.row_id.hex, c.field, repr(c.members), repr(c.winner),
                                   c.status) for c in s.scalars(select(SyncConflict)))
    return out


def export(db: Database, out: Path, full: bool = False) -> Path:
    from fupin_desktop.sync.exporter import export_bundle

    r = export_bundle(db, out, full=full)
    assert r.file is not None
    return r.file


Export = Callable[[Database, Path], Path]


# -- a real PostgreSQL server for the county hub tests -------------------------------------------

def _pg_bin() -> Path | None:
    import glob

    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """initdb + pg_ctl start on a free loopback port, in a throw-away folder; yields a server URL
    without a database name. As root, the server runs as the `postgres` system user."""
    import os
    import pwd
    import subprocess
    import tempfile

    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("未安装 PostgreSQL（apt-get install postgresql），跳过县级 PostgreSQL 测试")
    # not under pytest's folder: that one is private to root, and the server runs as `postgres`
    root = Path(tempfile.mkdtemp(prefix="fupin-pg-"))
    data = root / "data"
    port = _free_port()
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("以 root 运行但没有 postgres 系统用户，无法启动 PostgreSQL")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    run = lambda *cmd: subprocess.run([*prefix, *cmd], check=True, capture_output=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(data), "-U", "fupin", "--auth=trust", "-E", "UTF8", "--locale=C")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    try:
        yield f"postgresql+psycopg://fupin@127.0.0.1:{port}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


_PG_DBS = iter(range(1, 10_000))


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A fresh, empty database on the test server."""
    import psycopg

    name = f"county_{next(_PG_DBS)}"
    with psycopg.connect(postgres_server.replace("postgresql+psycopg", "postgresql") + "/postgres",
                         autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{postgres_server}/{name}"
