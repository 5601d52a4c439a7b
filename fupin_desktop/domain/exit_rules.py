"""退出程序 (domain.md §4.1, §3.3, §4.4): the household exit test (一超过、两不愁、三保障 + 饮水), the
five procedure steps in order, 双认定 before 脱贫销号, and the village's 贫困发生率 (its checklist is in
registers.py).
"""

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.money import yuan_whole
from fupin_desktop.domain.vocab import HOUSING_SAFE

EXIT_STEPS = ("统计摸底", "民主评议", "核实认可", "公告公示", "脱贫销号")
SIGN_METHODS = ("签字", "按手印")  # how the household confirms: 「签字或按手印」
OK, MISSING, UNKNOWN = "达标", "未达标", "待核实"


@dataclass(frozen=True)
class ExitMember:
    name: str
    age: int
    schooling_stage: str | None
    medical_insurance: bool


@dataclass(frozen=True)
class ExitFacts:
    year: int
    per_capita_income_fen: int | None
    line_fen: int | None
    members: tuple[ExitMember, ...]
    housing_safety: str | None
    water: tuple[bool | None, bool | None, bool | None, bool | None]  # 水质、水量、方便程度、保证率
    food_clothing_ok: bool | None = None  # 不愁吃、不愁穿: from a visit, when one has recorded it


@dataclass(frozen=True)
class CheckItem:
    name: str
    state: str  # 达标 / 未达标 / 待核实
    detail: str = ""

    @property
    def blocking(self) -> bool:
        return self.state != OK


def check_household_exit(f: ExitFacts) -> list[CheckItem]:
    """The 一超过、两不愁、三保障 + 饮水 items of one household, each 达标 / 未达标 / 待核实."""
    items = []
    if f.line_fen is None:
        items.append(CheckItem("收入超过扶贫标准", UNKNOWN, f"{f.year}年未配置扶贫标准，请先在设置中添加"))
    elif f.per_capita_income_fen is None:
        items.append(CheckItem("收入超过扶贫标准", UNKNOWN, "没有收入记录，请先录入家庭收入"))
    elif f.per_capita_income_fen > f.line_fen:
        items.append(CheckItem("收入超过扶贫标准", OK,
                               f"人均纯收入{yuan_whole(f.per_capita_income_fen)}元，标准{yuan_whole(f.line_fen)}元"))
    else:
        items.append(CheckItem("收入超过扶贫标准", MISSING,
                               f"人均纯收入{yuan_whole(f.per_capita_income_fen)}元，未超过标准{yuan_whole(f.line_fen)}元"))
    if f.food_clothing_ok is None:
        items.append(CheckItem("不愁吃、不愁穿", UNKNOWN, "须入户核实（走访记录）"))
    else:
        items.append(CheckItem("不愁吃、不愁穿", OK if f.food_clothing_ok else MISSING))
    dropouts = [m.name for m in f.members
                if 6 <= m.age <= 15 and (not m.schooling_stage or m.schooling_stage == "辍学")]
    items.append(CheckItem("义务教育有保障", MISSING if dropouts else OK,
                           f"{'、'.join(dropouts)}处于义务教育年龄但未在校" if dropouts else "家庭无辍学学生"))
    uninsured = [m.name for m in f.members if not m.medical_insurance]
    items.append(CheckItem("基本医疗有保障", MISSING if uninsured else OK,
                           f"{'、'.join(uninsured)}未参加基本医保" if uninsured else "全员参加基本医保"))
    if f.housing_safety in HOUSING_SAFE:
        items.append(CheckItem("住房安全有保障", OK, f.housing_safety or ""))
    else:
        items.append(CheckItem("住房安全有保障", UNKNOWN if f.housing_safety in (None, "未鉴定") else MISSING,
                               f"住房安全为“{f.housing_safety or '未鉴定'}”"))
    names = ("水质", "水量", "方便程度", "保证率")
    bad = [n for n, v in zip(names, f.water, strict=True) if v is False]
    unknown = [n for n, v in zip(names, f.water, strict=True) if v is None]
    if bad:
        items.append(CheckItem("饮水安全", MISSING, f"{'、'.join(bad)}不达标"))
    elif unknown:
        items.append(CheckItem("饮水安全", UNKNOWN, f"{'、'.join(unknown)}未核查"))
    else:
        items.append(CheckItem("饮水安全", OK, "四项指标达标"))
    return items


@dataclass(frozen=True)
class StepRecord:
    step: str
    done_on: date


def check_step(done: list[StepRecord], step: str, on: date, participants: str | None) -> list[str]:
    """Problems with recording `step` on `on` after the steps `done` (empty: allowed)."""
    problems = []
    if step not in EXIT_STEPS:
        return [f"步骤“{step}”不在退出程序中（{' → '.join(EXIT_STEPS)}）"]
    finished = {d.step for d in done}
    if step in finished:
        problems.append(f"“{step}”已记录过")
    index = EXIT_STEPS.index(step)
    missing = [s for s in EXIT_STEPS[:index] if s not in finished]
    if missing:
        problems.append(f"须先完成：{'、'.join(missing)}")
    earlier = [d for d in done if EXIT_STEPS.index(d.step) < index and d.done_on > on]
    if earlier:
        problems.append(f"日期不能早于“{earlier[-1].step}”（{earlier[-1].done_on:%Y-%m-%d}）")
    if not (participants or "").strip():
        problems.append("请填写参加人员")
    return problems


def next_step(done: list[StepRecord]) -> str | None:
    finished = {d.step for d in done}
    return next((s for s in EXIT_STEPS if s not in finished), None)


def incidence(poor_persons: int, population: int) -> float | None:
    """贫困发生率 in percent (None without a population)."""
    return None if population <= 0 else round(100 * poor_persons / population, 2)


@dataclass(frozen=True)
class Confirmation:
    """双认定 of one exit: the government side and the household's own (domain.md §3.3 对账)."""

    government_on: date | None
    government_by: str | None
    household_on: date | None
    household_signer: str | None
    sign_method: str | None


def check_government(on: date, by: str, *, proposed_on: date, today: date) -> list[str]:
    problems = []
    if not by.strip():
        problems.append("请填写认定单位或签字人（如 汜水镇人民政府）")
    if on > today:
        problems.append("政府认定日期不能晚于今天")
    if on < proposed_on:
        problems.append(f"政府认定日期不能早于拟退出日期{proposed_on:%Y-%m-%d}")
    return problems


def check_household_confirmation(on: date, signer: str, method: str, members: list[str], *, proposed_on: date,
                                 today: date) -> list[str]:
    """The household's confirmation: a member of the household signed or pressed a thumbprint."""
    problems = []
    if signer.strip() not in members:
        problems.append(f"确认人“{signer.strip()}”不是本户成员；应由户主或家庭成员签字或按手印"
                        + (f"（本户成员：{'、'.join(members)}）" if members else ""))
    if method not in SIGN_METHODS:
        problems.append(f"确认方式应为：{'、'.join(SIGN_METHODS)}")
    if on > today:
        problems.append("农户确认日期不能晚于今天")
    if on < proposed_on:
        problems.append(f"农户确认日期不能早于拟退出日期{proposed_on:%Y-%m-%d}")
    return problems


def missing_confirmation(c: Confirmation, closing_on: date) -> list[str]:
    """What stops 脱贫销号 on `closing_on`: both confirmations, dated no later than the closing."""
    problems = []
    if c.government_on is None:
        problems.append("双认定未完成：缺少政府（乡镇）认定，请先登记认定单位和日期")
    elif c.government_on > closing_on:
        problems.append(f"政府认定日期{c.government_on:%Y-%m-%d}晚于销号日期")
    if c.household_on is None:
        problems.append("双认定未完成：缺少农户本人确认（户主或家庭成员签字或按手印），防止“被脱贫”“数字脱贫”；"
                        "请在退出确认表上签字或按手印后登记")
    elif c.household_on > closing_on:
        problems.append(f"农户确认日期{c.household_on:%Y-%m-%d}晚于销号日期")
    return problems
