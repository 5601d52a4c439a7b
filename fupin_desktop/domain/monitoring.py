"""防返贫监测 (domain.md §4.5): configurable warning thresholds, the screening of one household, and
the case workflow 疑似 → 甄别中 → 确认(脱贫不稳定户/边缘易致贫户) / 排除, and the ranking of the
五最低 register (荥阳: 「对全村每个村民组收入最低的5户农户进行建册」, seed [002]).

The thresholds are not in the seeds ("as the county decides"): the defaults below are examples.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

RISK_STATUSES = ("疑似", "甄别中", "确认", "排除")
SUSPECTED, SCREENING, CONFIRMED, EXCLUDED = RISK_STATUSES
CATEGORIES = ("脱贫不稳定户", "边缘易致贫户")
NEXT_STATUSES = {SUSPECTED: (SCREENING, EXCLUDED), SCREENING: (CONFIRMED, EXCLUDED), CONFIRMED: (), EXCLUDED: ()}
OPEN_STATUSES = (SUSPECTED, SCREENING)

REASON_INCOME, REASON_MEDICAL, REASON_DISABILITY = "收入低于监测线", "大额医疗支出", "重度残疾"
REASON_DISASTER, REASON_JOB_LOSS = "因灾", "失业或务工中断"
REASONS = (REASON_INCOME, REASON_MEDICAL, REASON_DISABILITY, REASON_DISASTER, REASON_JOB_LOSS)
FIVE_LOWEST = 5  # households per 村民组 in the register

T = TypeVar("T")


@dataclass(frozen=True)
class Thresholds:
    income_ratio_percent: int = 150  # flag when 人均纯收入 < line × ratio
    medical_spending_fen: int = 2_000_000  # 2万元 of out-of-pocket medical spending in the year
    flag_disability: bool = True
    flag_disaster: bool = True
    flag_job_loss: bool = True

    def check(self) -> list[str]:
        problems = []
        if not 100 <= self.income_ratio_percent <= 300:
            problems.append("收入监测倍数应在1.0到3.0倍之间")
        if not 0 < self.medical_spending_fen <= 100_000_000:
            problems.append("大额医疗支出标准应在0到100万元之间")
        return problems


@dataclass(frozen=True)
class Signals:
    """What the register says of one household for screening."""

    per_capita_income_fen: int | None
    line_fen: int | None
    medical_spending_fen: int | None = None
    severe_disability: bool = False  # a member with a 一级/二级 disability, household not on 低保/特困
    disaster: bool = False
    job_loss: bool = False  # labour in the household, nobody working


def monitoring_line(line_fen: int, t: Thresholds) -> int:
    """The income below which a household is flagged, in fen."""
    return line_fen * t.income_ratio_percent // 100


def screen(s: Signals, t: Thresholds) -> list[str]:
    """The reasons a household is a suspected risk (empty: none). Income exactly at the monitoring
    line is not below it."""
    reasons = []
    if s.line_fen is not None and s.per_capita_income_fen is not None \
            and s.per_capita_income_fen < monitoring_line(s.line_fen, t):
        reasons.append(REASON_INCOME)
    if s.medical_spending_fen is not None and s.medical_spending_fen >= t.medical_spending_fen:
        reasons.append(REASON_MEDICAL)
    if t.flag_disability and s.severe_disability:
        reasons.append(REASON_DISABILITY)
    if t.flag_disaster and s.disaster:
        reasons.append(REASON_DISASTER)
    if t.flag_job_loss and s.job_loss:
        reasons.append(REASON_JOB_LOSS)
    return reasons


def check_transition(current: str, to: str, *, category: str | None, decided_by: str | None) -> list[str]:
    """Problems with moving a case from `current` to `to` (empty: allowed)."""
    problems = []
    if to not in NEXT_STATUSES.get(current, ()):
        allowed = "、".join(NEXT_STATUSES.get(current, ())) or "无（已结案）"
        problems.append(f"状态“{current}”不能改为“{to}”（可改为：{allowed}）")
    if to == CONFIRMED and category not in CATEGORIES:
        problems.append(f"确认时须选择监测类别（{'或'.join(CATEGORIES)}）")
    if to in (CONFIRMED, EXCLUDED) and not (decided_by or "").strip():
        problems.append("确认或排除须填写决定人（如：村两委会议、第一书记）")
    return problems


@dataclass(frozen=True)
class LowIncomeRow:
    """A household of the 五最低 register, with the figure it was ranked by."""

    rank: int
    household_id: uuid.UUID
    household_number: str
    head_name: str
    status: str
    main_cause: str | None  # the cause's name
    persons: int  # the persons of the year's income record: the divisor, not today's members
    per_capita_income_fen: int


@dataclass(frozen=True)
class GroupRegister:
    group: str
    households: tuple[LowIncomeRow, ...]
    without_income: int  # households of the group with no income recorded for the year: not ranked


def lowest(incomes: Sequence[tuple[int, str, T]], size: int = FIVE_LOWEST) -> list[tuple[int, T]]:
    """The register of one 村民组 from (人均纯收入 fen, 户编号, item): (rank, item), lowest first.
    Equal incomes share a rank (1, 2, 2, 4 …) in 户编号 order, and a tie at the last place is kept
    whole: a household is not left out by its number when its income is as low (「确保应纳尽纳」)."""
    ordered = sorted(incomes, key=lambda x: (x[0], x[1]))
    out: list[tuple[int, T]] = []
    for i, (fen, _number, item) in enumerate(ordered):
        if i >= size and fen != ordered[size - 1][0]:
            break
        out.append((out[-1][0] if i and fen == ordered[i - 1][0] else i + 1, item))
    return out
