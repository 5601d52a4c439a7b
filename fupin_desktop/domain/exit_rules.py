"""退出程序 (domain.md §4.1, §4.3, §4.4): the household exit test (一超过、两不愁、三保障 + 饮水),
the five procedure steps in order, and the village's 贫困发生率 with its exit checklist.
"""

from dataclasses import dataclass
from datetime import date

from fupin_desktop.domain.vocab import HOUSING_SAFE

EXIT_STEPS = ("统计摸底", "民主评议", "核实认可", "公告公示", "脱贫销号")
VILLAGE_INCIDENCE_LIMIT = 2.0  # 贫困发生率 below 2 % [004]
# Village items besides the incidence that the seeds name but the register does not hold [004].
VILLAGE_ITEMS = ("通硬化路", "通客车", "通安全饮水", "通生活用电", "通广播电视", "有综合文化服务中心",
                 "有标准化卫生室和合格村医", "通宽带网络", "产业发展和集体经济收入")
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


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.0f}元"


def check_household_exit(f: ExitFacts) -> list[CheckItem]:
    """The 一超过、两不愁、三保障 + 饮水 items of one household, each 达标 / 未达标 / 待核实."""
    items = []
    if f.line_fen is None:
        items.append(CheckItem("收入超过扶贫标准", UNKNOWN, f"{f.year}年未配置扶贫标准，请先在设置中添加"))
    elif f.per_capita_income_fen is None:
        items.append(CheckItem("收入超过扶贫标准", UNKNOWN, "没有收入记录，请先录入家庭收入"))
    elif f.per_capita_income_fen > f.line_fen:
        items.append(CheckItem("收入超过扶贫标准", OK,
                               f"人均纯收入{_yuan(f.per_capita_income_fen)}，标准{_yuan(f.line_fen)}"))
    else:
        items.append(CheckItem("收入超过扶贫标准", MISSING,
                               f"人均纯收入{_yuan(f.per_capita_income_fen)}，未超过标准{_yuan(f.line_fen)}"))
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
