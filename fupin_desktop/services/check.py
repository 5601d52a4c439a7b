"""`fupin check`: storage integrity plus the register's validation rules, as one report."""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import Session

from fupin_desktop.db import health
from fupin_desktop.db.base import Base, synced_tables
from fupin_desktop.db.models import Cadre, ChangeLog, Household, HouseholdIncome, Member, VillagerGroup
from fupin_desktop.db.query import live
from fupin_desktop.db.session import Database
from fupin_desktop.domain import clock
from fupin_desktop.domain.household import HouseholdForm, MemberForm, check_household, check_members
from fupin_desktop.domain.money import yuan
from fupin_desktop.domain.rows import IncomeRow
from fupin_desktop.errors import NotFoundError
from fupin_desktop.services import exits

ERROR, WARNING = "错误", "警告"
IMPLAUSIBLE_PER_CAPITA_FEN = 100_000 * 100  # 10万元 per person: almost surely a typing error


@dataclass(frozen=True)
class CheckFinding:
    """One problem the database check found, and where (a plan's N+2 rules have `plan_rules.Finding`)."""

    severity: str
    where: str
    message: str


@dataclass
class CheckReport:
    database: str
    households: int = 0
    members: int = 0
    findings: list[CheckFinding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {"database": self.database, "households": self.households, "members": self.members,
                "errors": self.errors, "warnings": self.warnings, "findings": [asdict(f) for f in self.findings]}


DAMAGED = "数据库文件已损坏：其余检查未做。请从备份恢复（fupin restore 备份文件，或在“设置 → 备份”中恢复）。"


def check_database(db: Database, *, today: date | None = None) -> CheckReport:
    """Storage first: a damaged file is recorded as such (nothing writes to it or backs it up any
    more) and its content is not checked further; a sound one clears an earlier record."""
    report = CheckReport(database=str(db.file or db.url))
    if db.file is not None:
        problems = health.integrity_problems(db.file, limit=20)  # records damage; storage trouble raises
        if problems:
            report.findings += [CheckFinding(ERROR, "数据库文件", f"完整性检查发现问题：{p}") for p in problems]
            report.findings.append(CheckFinding(ERROR, "数据库文件", DAMAGED))
            return report
        health.clear_damage(db.file)
    with db.reading() as s:
        report.findings += _foreign_keys(s)
        report.findings += _change_log_coverage(s)
        report.findings += _register(s, report, today=today)
        report.findings += _incomes(s)
        report.findings += _exits(s, today=today)
    return report


def damaged_report(database: str, problem: str) -> CheckReport:
    """The report on a file too damaged to open at all (a wiped header)."""
    return CheckReport(database=database, findings=[CheckFinding(ERROR, "数据库文件", f"完整性检查发现问题：{problem}"),
                                                    CheckFinding(ERROR, "数据库文件", DAMAGED)])


def _foreign_keys(s: Session) -> list[CheckFinding]:
    if s.get_bind().dialect.name != "sqlite":
        return []
    return [CheckFinding(ERROR, f"表 {table}", f"第{rowid}行引用的 {parent} 记录不存在")
            for table, rowid, parent, _ in s.execute(text("PRAGMA foreign_key_check"))]


def _change_log_coverage(s: Session) -> list[CheckFinding]:
    """Every synced row must have been logged, or sync would silently miss it."""
    found = []
    for name in synced_tables():
        table = Base.metadata.tables[name]
        missing = s.scalar(select(func.count()).select_from(table).where(~exists().where(
            ChangeLog.table_name == name, ChangeLog.row_id == table.c.id)))
        if missing:
            found.append(CheckFinding(ERROR, f"表 {name}", f"{missing}条记录没有变更日志，同步时会遗漏"))
    return found


def _register(s: Session, report: CheckReport, *, today: date | None) -> list[CheckFinding]:
    members: dict[object, list[MemberForm]] = defaultdict(list)
    member_cols = [c for c in MemberForm.__dataclass_fields__ if c != "id"]
    for row in s.execute(select(Member.household_id, *(getattr(Member, c) for c in member_cols))
                         .where(live(Member))):
        members[row[0]].append(MemberForm(**dict(zip(member_cols, row[1:], strict=True))))
    live_groups = set(s.scalars(select(VillagerGroup.id).where(live(VillagerGroup))))
    live_cadres = set(s.scalars(select(Cadre.id).where(live(Cadre))))
    found = []
    seen_ids: dict[str, str] = {}
    households = s.scalars(select(Household).where(live(Household)).order_by(Household.number))
    for h in households:
        report.households += 1
        where = f"户{h.number}"
        form = HouseholdForm(**{k: getattr(h, k) for k in HouseholdForm.__dataclass_fields__
                                if k not in ("group", "helper_name") and hasattr(h, k)})
        ms = members.get(h.id, [])
        report.members += len(ms)
        found += [CheckFinding(ERROR, where, str(e)) for e in check_household(form) + check_members(ms, today=today)]
        for m in ms:
            if m.id_number in seen_ids:
                found.append(CheckFinding(ERROR, where,
                                     f"身份证号 {m.id_number}（{m.name}）同时登记在{seen_ids[m.id_number]}"))
            seen_ids.setdefault(m.id_number, where)
        if h.group_id and h.group_id not in live_groups:
            found.append(CheckFinding(ERROR, where, "所属村民组已被删除"))
        if h.helper_id and h.helper_id not in live_cadres:
            found.append(CheckFinding(WARNING, where, "帮扶责任人已被删除，请重新指定"))
        if h.status in ("未脱贫", "已脱贫(享受政策)", "监测户") and not h.helper_id:
            found.append(CheckFinding(WARNING, where, f"{h.status}尚未指定帮扶责任人"))
    return found


def _incomes(s: Session) -> list[CheckFinding]:
    found = []
    rows = s.execute(select(Household.number, HouseholdIncome).join(Household).where(
        live(HouseholdIncome), live(Household)))
    for number, i in rows:
        income = IncomeRow(i.year, i.persons, i.wage_fen, i.operating_fen, i.property_fen, i.transfer_fen,
                           i.expense_fen)
        where = f"户{number} {i.year}年收入"
        if i.persons <= 0:
            found.append(CheckFinding(ERROR, where, "家庭人口数应大于0"))
        elif income.per_capita_fen > IMPLAUSIBLE_PER_CAPITA_FEN:
            found.append(CheckFinding(WARNING, where,
                                      f"人均纯收入{yuan(income.per_capita_fen, grouping=False)}元明显偏高，"
                                      "请核实是否多输了位数或误填了全家收入"))
        if min(i.wage_fen, i.operating_fen, i.property_fen, i.transfer_fen, i.expense_fen) < 0:
            found.append(CheckFinding(ERROR, where, "收入和支出金额不能为负数"))
    return found


def _exits(s: Session, *, today: date | None) -> list[CheckFinding]:
    """An exited village back above 2 % or with a gap ([003] fix list); exits closed without 双认定."""
    day = today or clock.today()
    try:
        watch = exits.village_exit(s, day.year, today=day).watch
    except NotFoundError:  # no single village (a county database): nothing to judge here
        watch = ()
    found = [CheckFinding(WARNING, "贫困村退出", f"{w}，须列入清单逐一完善") for w in watch]
    found += [CheckFinding(WARNING, f"户{number}",
                           f"{year}年已脱贫销号，但没有登记双认定（政府认定和农户签字或按手印），请补登并核实是否存在“被脱贫”")
              for number, year in exits.exits_without_confirmation(s)]
    return found
