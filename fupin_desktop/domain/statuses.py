"""The words people and the national system use for a household's status (户状态), and what each
means in this program: a status of `vocab.HOUSEHOLD_STATUSES`, plus the household attributes or
monitoring type the word implies.

One table serves the roster import (a 户状态 column that says 脱贫户) and every filter
(`fupin households --status 脱贫户`), so a word accepted in one place is accepted in the other.

The mapping follows the program's own reading of its statuses (domain.md §2.3 and §4.5):
监测户 is the 脱贫不稳定户 kind of 监测对象, 边缘户 the 边缘易致贫户 kind. Since 2021 every 脱贫户
is in the transition period and still enjoys the policies, so 脱贫户 reads as 已脱贫(享受政策).
低保户 and 五保户/特困 say what support a household gets, not whether it has exited poverty:
they imply an attribute and leave the status to be chosen (`status` None).
"""

import re
import unicodedata
from dataclasses import dataclass

from fupin_desktop.domain import vocab
from fupin_desktop.errors import InputError

NOT_EXITED, EXITED, EXITED_NO_POLICY, MONITORED, MARGINAL, ORDINARY = vocab.HOUSEHOLD_STATUSES


@dataclass(frozen=True)
class StatusTerm:
    """What one word in a 户状态 cell means.

    Attributes:
        status: the program's status, or None when the word does not say (低保户).
        attributes: household attribute codes the word implies (resources/reference/household_attributes.csv).
        kind: the monitoring type the word names (脱贫不稳定户, 边缘易致贫户, 突发严重困难户), if any.
    """

    status: str | None
    attributes: tuple[str, ...] = ()
    kind: str = ""

    def describe(self, attribute_names: dict[str, str] | None = None) -> str:
        """"监测户，户属性 脱贫不稳定户" — what the preview shows beside the word."""
        parts = [self.status or "户状态另定"]
        names = [(attribute_names or {}).get(code, code) for code in self.attributes]
        if names:
            parts.append("户属性 " + "、".join(names))
        if self.kind and self.kind not in names:
            parts.append("监测类型 " + self.kind)
        return "，".join(parts)


_UNSTABLE = StatusTerm(MONITORED, ("buwending",), "脱贫不稳定户")
_MARGINAL = StatusTerm(MARGINAL, ("bianyuan",), "边缘易致贫户")
_SUDDEN = StatusTerm(MONITORED, (), "突发严重困难户")

# The program's own words come first; then the official terms and the variants rosters use.
TERMS: dict[str, StatusTerm] = {
    **{s: StatusTerm(s) for s in vocab.HOUSEHOLD_STATUSES},
    **dict.fromkeys(("脱贫户", "脱贫", "已脱贫", "已脱贫户", "脱贫享受政策", "已脱贫享受政策", "脱贫享受政策户",
                     "稳定脱贫户"), StatusTerm(EXITED)),
    **dict.fromkeys(("脱贫不享受政策", "已脱贫不享受政策", "脱贫不享受政策户"), StatusTerm(EXITED_NO_POLICY)),
    **dict.fromkeys(("脱贫不稳定户", "脱贫不稳定", "脱贫监测户", "返贫风险户"), _UNSTABLE),
    **dict.fromkeys(("边缘易致贫户", "边缘易致贫", "易致贫户", "边缘贫困户"), _MARGINAL),
    **dict.fromkeys(("突发严重困难户", "突发严重困难"), _SUDDEN),
    **dict.fromkeys(("监测户", "监测对象", "防返贫监测对象", "监测帮扶对象"), StatusTerm(MONITORED)),
    **dict.fromkeys(("一般户", "一般农户", "非贫困户", "普通农户", "农户"), StatusTerm(ORDINARY)),
    **dict.fromkeys(("贫困户", "未脱贫", "未脱贫户", "建档立卡贫困户", "建档立卡户", "一般贫困户"),
                    StatusTerm(NOT_EXITED)),
    **dict.fromkeys(("低保户", "低保贫困户", "低保"), StatusTerm(None, ("dibao",))),
    **dict.fromkeys(("五保户", "五保", "特困户", "特困", "特困供养户", "特困供养", "特困供养贫困户",
                     "分散供养特困人员"), StatusTerm(None, ("tekun",))),
}
TERMS["一般贫困户"] = StatusTerm(NOT_EXITED, ("yiban",))


def term_key(text: str) -> str:
    """What two spellings of a word share: half-width, no spaces or brackets."""
    return re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", text))


_BY_KEY = {term_key(word): term for word, term in TERMS.items()}


def read_status(text: str) -> StatusTerm | None:
    """The meaning of a status word, or None when it is not known."""
    return _BY_KEY.get(term_key(text)) if text else None


def accepted_words() -> str:
    """The words a person may write, for messages: the program's statuses and the official terms."""
    official = ("脱贫户", "脱贫不稳定户", "边缘易致贫户", "突发严重困难户", "监测对象", "一般户", "贫困户")
    return "、".join(dict.fromkeys((*vocab.HOUSEHOLD_STATUSES, *official)))


def status_filter(text: str) -> tuple[str | None, str | None]:
    """(status, attribute code) a list filter means by a word: `--status 脱贫户` is 已脱贫(享受政策),
    `--status 低保户` the households with the 低保户 attribute. Raises InputError for an unknown word."""
    term = read_status(text.strip())
    if term is None:
        raise InputError(f"户状态“{text}”无法识别。可用：{accepted_words()}，以及低保户、五保户/特困")
    if term.status is None:
        return None, term.attributes[0]
    return term.status, None
