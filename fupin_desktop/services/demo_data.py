"""A realistic, fully deterministic demo village as plain dict rows (no database access).

The default is 荥阳市 汜水镇 新沟村 as the domain brief describes it (§8.2): 6 natural villages,
437 households / 1688 persons, of which 87 建档立卡 households / 308 persons; collective income
3.8万 (2016) → 16.5万 (2020); per-capita income of registered households ≈3000 → 12600 (2020).
`households=N` scales the same village to N households (about 70 per 村民组, ≈20 % registered,
≈3.86 persons per household).

Every row dict carries exactly the columns of its model (id and timestamps included), so it can go
straight into an executemany insert. Money is in integer fen. The same arguments always give the
same rows: all randomness comes from `random.Random` streams seeded from `seed`.
"""

import gc
import itertools
import math
import random
import uuid
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any

from fupin_desktop.domain.vocab import RELATION_HEAD
from fupin_desktop.services.text import name_initials

Row = dict[str, Any]

DEFAULT_VILLAGE_CODE = "410182104201"
COUNTY_NAME, CITY_NAME, TOWNSHIP_NAME, VILLAGE_NAME = "荥阳市", "郑州市", "汜水镇", "新沟村"

# 新沟村 as the seeds describe it.
DEFAULT_HOUSEHOLDS = 437
DEFAULT_PERSONS = 1688
DEFAULT_REGISTERED = 87
DEFAULT_REGISTERED_PERSONS = 308
DEFAULT_MONITORED = 3  # 监测户
DEFAULT_EDGE = 2  # 边缘户
HOUSEHOLDS_PER_GROUP = 70
MAX_SIZE = 8

# 致贫原因 codes and their share of Luoyang's poor population in 2015 ([004], domain brief §2.6).
CAUSE_NAMES = {
    "01": "因病", "02": "因残", "03": "因学", "04": "因灾", "05": "缺土地", "06": "缺水", "07": "缺技术",
    "08": "缺劳动力", "09": "缺资金", "10": "交通条件落后", "11": "自身发展动力不足", "99": "其它",
}
LUOYANG_CAUSE_SHARES = {
    "01": 13.46, "02": 2.14, "03": 6.55, "04": 0.82, "05": 5.78, "06": 5.64, "07": 27.38,
    "08": 6.84, "09": 19.61, "10": 9.02, "11": 2.27, "99": 0.49,
}

# Household attribute codes (defined by the reference data).
DIBAO, TEKUN, CANJI, SHIJI, DOUDI, BANQIAN = "dibao", "tekun", "canji", "shiji_dishouru", "doudi", "banqian"

# 村集体经济收入 in 元: 3.8万 (2016) → 16.5万 (2020) per [002]; later years are plausible growth.
COLLECTIVE_INCOME = {2016: 38_000, 2017: 67_000, 2018: 98_000, 2019: 132_000, 2020: 165_000,
                     2021: 178_000, 2022: 191_000, 2023: 206_000, 2024: 221_000, 2025: 238_000}
COLLECTIVE_NOTES = {
    2016: "光伏电站收益",
    2017: "光伏电站收益、土地流转服务费",
    2018: "海棠园土地流转服务费、光伏收益",
    2019: "鸵鸟谷入股分红、海棠园流转服务费",
    2020: "鸵鸟谷入股分红、海棠园采摘、光伏收益",
}

# Mean per-capita net income (元) of registered households in the years after they exited.
# Calibrated so the village means come out ≈3000 (2016), ≈12600 (2020) and ≈16000 (2025).
REGISTERED_INCOME = {2016: 3550, 2017: 5200, 2018: 7550, 2019: 9900, 2020: 12350, 2021: 13030,
                     2022: 13720, 2023: 14400, 2024: 15000, 2025: 15680}
GENERAL_INCOME_2025 = 19_500  # 一般农户, per capita (before the household's own spread)
MONITORED_INCOME_2016 = 5_600  # 监测户; 边缘户 12 % more
FIRST_INCOME_YEAR = 2016
# Household sizes 1..8: registered households are smaller (old people alone, couples).
REGISTERED_SIZE_WEIGHTS = (12, 20, 17, 21, 17, 9, 3, 1)
GENERAL_SIZE_WEIGHTS = (6, 16, 18, 24, 20, 11, 4, 1)
_CHECK = "10X98765432"  # GB 11643 check characters by weighted sum mod 11
# idcard.make's sequence digits 15-17 for seq 0..499 by sex, with their weighted sum (weights 8, 4, 2)
_SEQ_TAILS = {
    sex: tuple((f"{seq // 5:02d}{(seq % 5) * 2 + male}", 8 * (seq // 50) + 4 * (seq // 5 % 10)
                + 2 * ((seq % 5) * 2 + male)) for seq in range(500))
    for sex, male in (("男", 1), ("女", 0))
}

# ---------------------------------------------------------------------------------------------------
# Names

_SURNAME_WEIGHTS = (
    "王75 李70 张70 刘50 陈35 杨30 赵25 郭25 周20 孙20 马20 朱16 胡15 高15 黄12 宋13 郑12 韩11 吕10 徐10 "
    "许10 吴10 任9 田9 冯9 杜8 程8 曹8 袁7 崔7 邓6 贾6 范6 魏6 何6 梁6 董6 段5 史5 侯5 白5 牛5 付5 罗5 "
    "孟5 于5 翟4 常4 苏4 姚4 蔡4 林4 谢4 唐4 申3 潘3 葛3 路3 尚3 秦3 岳3 彭3 楚2 娄2"
)
SURNAMES = tuple(s[0] for s in _SURNAME_WEIGHTS.split())
_SURNAME_CUM = list(accumulate(int(s[1:]) for s in _SURNAME_WEIGHTS.split()))

# Given names by birth decade and sex; the young ones include rarer characters (喆 淼 犇 玥 珺).
GIVEN_NAMES: dict[tuple[int, str], tuple[str, ...]] = {
    key: tuple(names.split()) for key, names in {
        (1900, "男"): (
            "德福 德胜 德全 福来 富贵 金锁 顺德 海林 有才 广才 守义 占奎 玉堂 俊卿 天佑 万福 书林 振华 "
            "明德 永胜 根生 春生 秋生 文彬 国栋 金山 保安 铁锁 全福 学礼 焕章 清林 同庆 世昌 云鹏 东来 "
            "喜成 满仓"),
        (1900, "女"): (
            "桂兰 秀英 玉兰 凤英 淑珍 素梅 秀兰 桂英 玉珍 春花 金凤 翠花 爱莲 秀云 玉梅 凤兰 素珍 桂芝 "
            "俊英 兰英 改花 小妮 荣花 玉枝 秀珍 月娥 巧云 桂香 菊香 书兰 银花 金花 翠兰 素云 淑英"),
        (1950, "男"): (
            "建国 国庆 解放 援朝 新民 建设 国华 振华 志明 保国 建华 国栋 国强 文明 学军 永安 江河 德明 "
            "金生 春来 福林 广田 新春 跃进 铁军 国喜 振声 玉民 占军 宝山 兴旺 中华 和平 建中 保平"),
        (1950, "女"): (
            "秀兰 桂荣 凤琴 秀芝 玉芳 素琴 淑华 爱英 桂珍 春兰 秀芳 玉荣 凤云 美兰 国英 玉霞 改莲 爱华 "
            "素芳 金枝 俊芳 秀琴 桂云 春梅 彩云 荷花 银萍 冬梅 改妮 素英"),
        (1960, "男"): (
            "卫东 建军 红军 向东 国强 建华 志刚 国平 卫国 建设 永红 新华 建民 红卫 卫星 胜利 光明 建伟 "
            "振东 海军 宏伟 卫兵 东风 向阳 学文 志勇 小军 新建 跃华 全喜 国军 保卫 青松 建立 国正"),
        (1960, "女"): (
            "红霞 桂花 爱华 秀梅 丽华 春霞 红梅 玉霞 建英 卫红 素琴 爱琴 彩霞 小红 红英 金环 巧云 美荣 "
            "玉芳 改云 书梅 红云 秀红 爱玲 凤霞 卫华 新玲 桂芳 翠萍 红莲"),
        (1970, "男"): (
            "伟 勇 军 涛 强 磊 刚 斌 海涛 建伟 红亮 志强 红星 东升 国伟 振江 新峰 俊峰 建峰 保林 会军 "
            "新亮 军伟 红伟 晓东 卫华 永刚 海峰 建涛 国锋 俊杰 小勇 松涛 新政 跃峰"),
        (1970, "女"): (
            "丽 燕 静 红 霞 丽娟 艳 艳丽 秀娟 海燕 丽萍 晓红 春燕 红艳 小燕 玉红 会芳 新芳 彩红 爱玲 "
            "素娟 俊红 凤霞 丽霞 红娟 春丽 会玲 俊霞 晓燕 红丽 亚玲 秀丽 雪梅 建红 香玲"),
        (1980, "男"): (
            "磊 鹏 超 亮 伟 杰 浩 帅 涛 鑫 明明 晓东 志远 鹏飞 少华 亚伟 海洋 旭东 冬冬 振宇 文博 俊杰 "
            "亚军 晓鹏 东亮 伟伟 亚飞 军辉 朋朋 少伟 红涛 龙飞 亚辉 晓龙 国栋"),
        (1980, "女"): (
            "娟 丹 婷 静 芳 丽丽 晓丽 莉 晶晶 亚楠 倩 丹丹 雪 敏 亚丽 晓燕 慧 琳 盼盼 晓娟 莹莹 娜娜 "
            "冬梅 亚娟 晓静 艳艳 亚男 瑞娟 春艳 利娜 珊珊 会敏"),
        (1990, "男"): (
            "浩 宇 鑫 博 帅 龙 凯 阳 晨 浩然 一鸣 子豪 俊豪 家豪 振宇 鹏飞 天宇 宇航 嘉伟 晨阳 文轩 "
            "明轩 旭阳 少博 亚鹏 帅帅 嘉乐 佳豪 雨泽 晓宇 博文 浩楠 世豪 俊凯 喆"),
        (1990, "女"): (
            "婷婷 梦 佳 欣 雪 雨 佳佳 梦瑶 晓雪 思雨 静怡 欣怡 梦洁 雨婷 佳欣 文静 丹丹 梦琪 冰冰 亚楠 "
            "倩倩 慧敏 梦雨 晓彤 佳慧 一帆 雅琪 佩佩 璐璐 亚茹 盈盈 甜甜"),
        (2000, "男"): (
            "浩宇 宇航 俊杰 梓轩 博文 家乐 皓轩 子豪 一诺 浩然 子墨 宇轩 博涵 天佑 梓豪 嘉豪 晨曦 泽宇 "
            "思远 铭泽 喆 子喆 犇 鑫淼 振豪 浩楠 昊天 佳乐 明哲 文博 宇豪 一帆 家兴 梓航"),
        (2000, "女"): (
            "梓涵 欣怡 雨涵 子涵 梦瑶 佳怡 诗涵 一诺 紫涵 可馨 语嫣 思琪 雨欣 佳琪 梓萱 玥 若曦 静雯 "
            "梦琪 欣悦 珺 晓玥 佳淼 雅婷 依依 心怡 雨萱 嘉怡 梦涵 欣然"),
        (2010, "男"): (
            "梓睿 宇泽 沐辰 一诺 浩宇 子墨 梓豪 奕辰 宸 睿 锦程 俊熙 思源 子喆 犇犇 鑫淼 轩 瑞霖 辰逸 "
            "梓航 浩轩 铭泽 昊然 皓宇 宇辰 梓宸 嘉懿 天翊 煜祺 博睿"),
        (2010, "女"): (
            "梓涵 一诺 欣妍 可馨 若汐 梓萱 沐瑶 语桐 诗琪 玥 依诺 子玥 雨桐 梦琪 芯蕊 语汐 思彤 佳琪 "
            "淼淼 珺瑶 欣玥 婉清 安琪 梓玥 一涵 诗雨 雨萱 紫萱 锦汐 亦菲"),
        (2020, "男"): (
            "沐宸 一诺 梓睿 安然 星辰 承泽 宥辰 景行 亦辰 沐阳 知远 煜宸 宸睿 锦程 子墨 言澈 俊熙 奕铭 "
            "梓豪 犇"),
        (2020, "女"): (
            "一诺 若汐 沐瑶 知夏 芷若 安然 语桐 梓玥 星瑶 清欢 可乐 念念 玥 悠然 芊芊 沐妍 诗涵 安禾 "
            "语汐 珺"),
    }.items()
}
_ERAS = (1900, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020)


def _era(year: int) -> int:
    return 1900 if year < 1950 else min(year // 10 * 10, 2020)


# 村民组 (natural villages) of the default village, with the surnames that dominate each.
DEFAULT_GROUPS = (("新沟", "王李张"), ("王沟", "王赵刘"), ("李家岭", "李杨"), ("张洼", "张孙郭"),
                  ("杨树坡", "杨周马"), ("郭庄", "郭马孙"))
DEFAULT_GROUP_WEIGHTS = (1.3, 1.05, 1.0, 0.95, 0.9, 0.8)
_EXTRA_GROUP_SURNAMES = ("刘赵周孙马朱胡高宋郑韩吕徐许任田冯杜程曹袁崔邓"
                         "贾范魏何梁董段史侯白牛付罗孟于翟常苏姚蔡")
_EXTRA_GROUP_SUFFIXES = "庄沟洼岭坡寨河岗湾坪"
_CN_DIGITS = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十; Arabic digits from 100 on (only group names use this)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def _group_names(count: int) -> list[tuple[str, str]]:
    """(name, dominant surnames) for `count` 村民组: the six natural villages, then more of the same kind."""
    base = list(DEFAULT_GROUPS)
    seen = {name for name, _ in base}
    for i in range(len(_EXTRA_GROUP_SUFFIXES)):
        for j, surname in enumerate(_EXTRA_GROUP_SURNAMES):
            name = surname + _EXTRA_GROUP_SUFFIXES[(i + j) % len(_EXTRA_GROUP_SUFFIXES)]
            if name not in seen:
                seen.add(name)
                other = _EXTRA_GROUP_SURNAMES[(j * 7 + 3) % len(_EXTRA_GROUP_SURNAMES)]
                base.append((name, surname + "王李" + other))
    out = []
    for i in range(count):
        name, surnames = base[i % len(base)]
        rnd = i // len(base)
        out.append((name if rnd == 0 else f"{name}{_cn_number(rnd + 1)}组", surnames))
    return out


# ---------------------------------------------------------------------------------------------------
# Places, units and other pick lists

_MIGRANT_PLACES = (
    ("郑州市", 30), ("郑州市航空港区", 6), ("广东省深圳市", 10), ("广东省东莞市", 8),
    ("广东省广州市", 6), ("浙江省杭州市", 6), ("浙江省宁波市", 5), ("江苏省苏州市", 7), ("上海市", 6),
    ("北京市", 6), ("天津市", 3), ("福建省厦门市", 3), ("新疆维吾尔自治区乌鲁木齐市", 2), ("河南省洛阳市", 2),
)
_LOCAL_PLACES = (("汜水镇", 30), ("荥阳市", 30), ("郑州市上街区", 20), ("荥阳市豫龙镇", 8),
                 ("汜水镇工业园", 12))
_INDUSTRY_PLACES = ("新沟村海棠园", "新沟村鸵鸟谷", "汜水镇食用菌基地", "汜水镇石榴种植合作社")
_WELFARE_POSTS = (("保洁", 40), ("护林员", 15), ("保绿", 12), ("社区巡查", 10), ("交通协管", 8),
                  ("文化管理员", 7), ("保安", 5), ("防疫消杀", 3))
_CHRONIC = ("高血压", "糖尿病", "冠心病", "慢性阻塞性肺病", "脑梗死后遗症", "类风湿关节炎", "慢性肾病")
_SERIOUS_ADULT = ("恶性肿瘤", "尿毒症", "重性精神病", "耐多药肺结核", "脑血管意外")
_SERIOUS_CHILD = ("儿童白血病", "儿童先天性心脏病")
_DISABILITY = (("肢体", 45), ("听力", 15), ("视力", 12), ("智力", 10), ("精神", 10), ("多重", 5), ("言语", 3))
_DISABILITY_GRADES = (("一级", 10), ("二级", 25), ("三级", 30), ("四级", 35))

_HELPER_UNITS = (
    ("汜水镇人民政府", ("副镇长", "党政办主任", "农业服务中心主任", "经管站站长", "一级科员",
                       "四级主任科员", "民政所所长")),
    ("中共汜水镇委员会", ("组织委员", "宣传委员", "纪委副书记", "党建办主任")),
    ("荥阳市农业农村局", ("副局长", "科长", "四级主任科员", "一级科员")),
    ("荥阳市财政局", ("副局长", "农业科科长", "四级主任科员")),
    ("荥阳市教育局", ("副局长", "资助中心主任", "一级科员")),
    ("荥阳市卫生健康委员会", ("副主任", "医政科科长", "四级主任科员")),
    ("荥阳市人力资源和社会保障局", ("副局长", "就业服务中心主任", "一级科员")),
    ("荥阳市民政局", ("副局长", "社会救助科科长", "四级主任科员")),
    ("荥阳市住房和城乡建设局", ("副局长", "村镇建设科科长", "一级科员")),
    ("荥阳市水利局", ("副局长", "农水科科长", "四级主任科员")),
    ("荥阳市乡村振兴局", ("副局长", "综合科科长", "一级科员", "四级主任科员")),
    ("荥阳市交通运输局", ("副局长", "四级主任科员")),
    ("荥阳市自然资源局", ("副局长", "一级科员")),
    ("荥阳市市场监督管理局", ("副局长", "四级主任科员")),
    ("国网荥阳市供电公司", ("副经理", "汜水供电所所长")),
)
_MOBILE_PREFIXES = ("134 135 136 137 138 139 150 151 152 157 158 159 182 183 187 188 198 "
                    "130 131 132 155 156 185 186 166 176 133 153 180 181 189 177 199").split()


# ---------------------------------------------------------------------------------------------------
# Public result


@dataclass
class DemoVillage:
    county: Row
    township: Row
    village: Row
    groups: list[Row]
    cadres: list[Row]
    households: list[Row]
    members: list[Row]
    household_incomes: list[Row]
    village_incomes: list[Row]

    def tables(self) -> list[tuple[str, list[Row]]]:
        """(table name, rows) in an order that satisfies every foreign key."""
        return [
            ("county", [self.county]),
            ("township", [self.township]),
            ("village", [self.village]),
            ("villager_group", self.groups),
            ("cadre", self.cadres),
            ("household", self.households),
            ("member", self.members),
            ("household_income", self.household_incomes),
            ("village_income", self.village_incomes),
        ]


def cause_quota(registered: int) -> dict[str, int]:
    """Main-cause counts for `registered` households: Luoyang shares, largest-remainder rounding."""
    total = sum(LUOYANG_CAUSE_SHARES.values())
    exact = {c: registered * s / total for c, s in LUOYANG_CAUSE_SHARES.items()}
    quota = {c: math.floor(v) for c, v in exact.items()}
    left = registered - sum(quota.values())
    order = sorted(exact, key=lambda c: (-(exact[c] - quota[c]), c))
    for c in order[:left]:
        quota[c] += 1
    return quota


# ---------------------------------------------------------------------------------------------------
# Internals


@dataclass
class _Plan:
    households: int
    persons: int
    registered: int
    registered_persons: int
    monitored: int
    edge: int
    groups: int


def _plan(households: int | None) -> _Plan:
    if households is None:
        return _Plan(DEFAULT_HOUSEHOLDS, DEFAULT_PERSONS, DEFAULT_REGISTERED, DEFAULT_REGISTERED_PERSONS,
                     DEFAULT_MONITORED, DEFAULT_EDGE, len(DEFAULT_GROUPS))
    if households < 1:
        raise ValueError("households must be at least 1")
    n = households
    reg = round(n * DEFAULT_REGISTERED / DEFAULT_HOUSEHOLDS)
    reg_persons = round(reg * DEFAULT_REGISTERED_PERSONS / DEFAULT_REGISTERED)
    persons = max(round(n * DEFAULT_PERSONS / DEFAULT_HOUSEHOLDS), reg_persons + (n - reg))
    mon = round(n * DEFAULT_MONITORED / DEFAULT_HOUSEHOLDS)
    edge = round(n * DEFAULT_EDGE / DEFAULT_HOUSEHOLDS)
    return _Plan(n, persons, reg, reg_persons, mon, edge, max(1, round(n / HOUSEHOLDS_PER_GROUP)))


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], list[int]]:
    values, cum, acc = [], [], 0
    for v, w in pairs:
        acc += w
        values.append(v)
        cum.append(acc)
    return tuple(values), cum


def _sizes(rng: random.Random, count: int, total: int, weights: tuple[int, ...]) -> list[int]:
    """`count` household sizes (1..MAX_SIZE) drawn from `weights` and nudged to sum to `total`."""
    if count == 0:
        return []
    sizes = rng.choices(range(1, MAX_SIZE + 1), weights=weights, k=count)
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and sizes[i] < MAX_SIZE:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > 1:
            sizes[i] -= 1
            diff += 1
    return sizes


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` in proportion to `weights` (at least 1 each if possible)."""
    s = sum(weights)
    exact = [total * w / s for w in weights]
    out = [max(1, math.floor(e)) if total >= len(weights) else math.floor(e) for e in exact]
    left = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: exact[i] - out[i], reverse=True)
    k = 0
    while left:
        i = order[k % len(order)]
        if left > 0:
            out[i] += 1
            left -= 1
        elif out[i] > 1:
            out[i] -= 1
            left += 1
        k += 1
    return out


# ---------------------------------------------------------------------------------------------------
# Family templates

# One person of a family template: [relation, sex, age in full years, surname marker].
# Surname markers: "F" the family (patrilineal) surname, "O" a married-in person's own surname,
# "L" the surname of the 之女婿 (he and some of his children carry it).
_Spec = list[Any]


def _family(rr: Callable[[], float], size: int, elderly: bool) -> list[_Spec]:
    """Relations, sexes and ages for a household of `size`, head first.

    Children are 21–39 years younger than the head, grandchildren 21–33 years younger than their
    parent, parents of the head 21–34 years older; spouses are of the opposite sex.
    """

    def ri(a: int, b: int) -> int:
        return a + int(rr() * (b - a + 1))

    def kid(age: int) -> _Spec:
        return ["之子", "男", age, "F"] if rr() < 0.53 else ["之女", "女", age, "F"]

    def wife(husband_age: int) -> _Spec:
        return ["配偶", "女", max(18, husband_age - ri(-1, 4)), "O"]

    def children(mother_age: int, head_age: int, k: int) -> list[_Spec]:
        out = []
        at = ri(21, 27)  # the mother's age at each birth
        for _ in range(k):
            out.append(kid(max(min(mother_age - at, head_age - 21), head_age - 39, 0)))
            at = min(36, at + ri(1, 4))
        return out

    if size == 1:
        if elderly or rr() < 0.6:  # an old person living alone
            if rr() < 0.5:
                return [[RELATION_HEAD, "男", ri(63, 90), "F"]]
            return [[RELATION_HEAD, "女", ri(63, 90), "O"]]
        return [[RELATION_HEAD, "男", ri(42, 66), "F"]]  # a bachelor

    if size == 2:
        r = rr() * (0.75 if elderly else 1.0)
        if r < 0.45:  # elderly couple, the children live elsewhere
            age = ri(60, 86)
            return [[RELATION_HEAD, "男", age, "F"], wife(age)]
        if r < 0.75:  # widowed parent and an unmarried adult child
            age = ri(60, 85)
            head = [RELATION_HEAD, "女", age, "O"] if rr() < 0.6 else [RELATION_HEAD, "男", age, "F"]
            child_age = age - ri(22, 37)
            return [head, ["之子", "男", child_age, "F"] if rr() < 0.75 else ["之女", "女", child_age, "F"]]
        if r < 0.9:  # middle-aged couple
            age = ri(42, 60)
            return [[RELATION_HEAD, "男", age, "F"], wife(age)]
        age = ri(30, 48)  # single parent and a child
        head = [RELATION_HEAD, "女", age, "O"] if rr() < 0.6 else [RELATION_HEAD, "男", age, "F"]
        return [head, kid(max(0, age - ri(22, 36)))]

    r = rr()
    if elderly:
        r = 0.55 + r * 0.45  # prefer the patterns with an old head
    if size >= 4 and r >= 0.95:  # 上门女婿: the daughter's husband lives with her parents
        age = ri(52, 72)
        daughter = max(22, age - ri(22, 32))
        out = [[RELATION_HEAD, "男", age, "F"], wife(age), ["之女", "女", daughter, "F"],
               ["之女婿", "男", daughter + ri(-1, 4), "L"]]
        age_k = daughter - ri(21, min(33, daughter))
        for _ in range(size - 4):
            sex = "男" if rr() < 0.53 else "女"
            out.append(["之外孙子女", sex, max(0, age_k), "F" if rr() < 0.6 else "L"])
            age_k -= ri(1, 5)
        return out
    if r < 0.45 and size <= 6:  # nuclear: head, wife, children
        k = size - 2
        age = ri(24 + 2 * k, 66 if elderly else 58)
        w = wife(age)
        return [[RELATION_HEAD, "男", age, "F"], w, *children(w[2], age, k)]
    if r < 0.6 and size >= 4:  # nuclear with the head's parent(s)
        parents = 2 if size >= 5 and rr() < 0.35 else 1
        k = size - 2 - parents
        age = ri(max(26 + 2 * k, 30), 55)
        w = wife(age)
        out = [[RELATION_HEAD, "男", age, "F"], w, *children(w[2], age, k)]
        father, mother = ["之父", "男", age + ri(23, 34), "F"], ["之母", "女", age + ri(21, 32), "O"]
        out += [father, mother] if parents == 2 else [mother] if rr() < 0.7 else [father]
        return out
    # three generations under an old head: son, daughter-in-law, grandchildren, maybe younger children
    has_wife = rr() < (0.8 if size >= 5 else 0.65)
    age = ri(52, 80)
    head = [RELATION_HEAD, "男", age, "F"] if has_wife or rr() < 0.4 else [RELATION_HEAD, "女", age, "O"]
    out = [head, wife(age)] if has_wife else [head]
    son = max(22, age - ri(22, 34))
    out += [["之子", "男", son, "F"], ["之儿媳", "女", max(20, son - ri(-2, 4)), "O"]]
    if len(out) > size:  # size 3: an old couple and their grown son
        out.pop()
    rem = size - len(out)
    grand = min(rem, (1, 2, 2, 3, 3)[int(rr() * 5)])
    extra = rem - grand
    if extra > 2:
        grand, extra = grand + extra - 2, 2
    age_g = son - ri(21, min(33, son))
    for _ in range(grand):
        if rr() < 0.53:
            out.append(["之孙子", "男", max(0, age_g), "F"])
        else:
            out.append(["之孙女", "女", max(0, age_g), "F"])
        age_g -= ri(1, 5)
    age_e = son
    for _ in range(extra):
        age_e = max(age - 39, age_e - ri(2, 6), 0)
        out.append(kid(age_e))
    return out


# ---------------------------------------------------------------------------------------------------
# Generator


class _Gen:
    """Random streams, lookup tables and uniqueness sets of one generation run."""

    def __init__(self, seed: int, today: date, village_code: str) -> None:
        self.rng = random.Random(f"demo-village:{seed}")
        self.rr = self.rng.random
        self.today = today
        self.region = village_code[:6]
        # one fixed timestamp for every row: the day before `today`, shifted by the seed
        self.stamp = datetime(today.year, today.month, today.day, tzinfo=UTC) - timedelta(days=1) \
            + timedelta(seconds=seed % 86_400)
        self.base_ms = int(self.stamp.timestamp() * 1000)
        # uuid7 with a millisecond per row, so keys increase like ids typed in over a few minutes
        # (and land at the end of the B-tree), built inline: ~500,000 calls at 50k households
        version = (0x7 << 76) | (0b10 << 62)
        bits = random.Random(f"demo-village-ids:{seed}").getrandbits
        mask62 = (1 << 62) - 1
        make_uuid = uuid.UUID
        counter = itertools.count(self.base_ms)

        def new_id() -> uuid.UUID:
            r = bits(74)
            return make_uuid(int=(next(counter) << 80) | version | ((r >> 62) << 64) | (r & mask62))

        self.new_id: Callable[[], uuid.UUID] = new_id
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self._birth_range: dict[int, tuple[int, int]] = {}
        self._id_prefix: dict[int, tuple[str, int]] = {}
        self._region_sum = sum(int(c) * w for c, w in zip(self.region, (7, 9, 10, 5, 8, 4), strict=True))
        # name_initials per part, joined per person (tests check this equals name_initials(full name))
        # (a given name is read after a plain surname, so surname readings never apply to it)
        self.initials = {s: name_initials(s) for s in SURNAMES}
        self.given_initials = {g: name_initials("王" + g)[1:] for pool in GIVEN_NAMES.values() for g in pool}
        self.given = {(era, sex): GIVEN_NAMES[(era, sex)] for era in _ERAS for sex in ("男", "女")}
        self.migrant = _weighted(_MIGRANT_PLACES)
        self.local = _weighted(_LOCAL_PLACES)
        self.posts = _weighted(_WELFARE_POSTS)
        self.disability = _weighted(_DISABILITY)
        self.grades = _weighted(_DISABILITY_GRADES)
        self.surnames = (SURNAMES, _SURNAME_CUM)
        # mean per-capita net income (元) by household kind and year
        years = range(FIRST_INCOME_YEAR, max(today.year, FIRST_INCOME_YEAR + 1))
        self.income_bases = {
            "reg": {y: REGISTERED_INCOME.get(y) or REGISTERED_INCOME[2025] * 1.04 ** (y - 2025)
                    for y in years},
            "gen": {y: GENERAL_INCOME_2025 * 1.055 ** (y - 2025) for y in years},
            "mon": {y: MONITORED_INCOME_2016 * 1.095 ** (y - 2016) for y in years},
            "edge": {y: 1.12 * MONITORED_INCOME_2016 * 1.095 ** (y - 2016) for y in years},
        }

    # -- small helpers ------------------------------------------------------------------------

    def ri(self, a: int, b: int) -> int:
        return a + int(self.rr() * (b - a + 1))

    def choice(self, seq: tuple[str, ...] | list[str]) -> str:
        return seq[int(self.rr() * len(seq))]

    def pick(self, table: tuple[tuple[str, ...], list[int]]) -> str:
        values, cum = table
        return values[bisect_right(cum, self.rr() * cum[-1])]

    def surname(self, cluster: str | None = None) -> str:
        rr = self.rr
        if cluster and rr() < 0.72:  # the first surname of a natural village dominates it
            r = rr()
            if r < 0.5 or len(cluster) == 1:
                return cluster[0]
            return cluster[1 + int((r - 0.5) * 2 * (len(cluster) - 1))]
        return self.pick(self.surnames)

    def name(self, surname: str, sex: str, birth_year: int) -> tuple[str, str]:
        pool = self.given[(_era(birth_year), sex)]
        given = pool[int(self.rr() * len(pool))]
        return surname + given, self.initials[surname] + self.given_initials[given]

    def mobile(self) -> str:
        while True:
            number = self.choice(_MOBILE_PREFIXES) + f"{int(self.rr() * 100_000_000):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def birth(self, age: int) -> date:
        """A random birth date giving exactly `age` full years on `today` (and before it)."""
        span = self._birth_range.get(age)
        if span is None:
            t = self.today
            try:
                latest = t.replace(year=t.year - age)
            except ValueError:  # today is 29 February
                latest = date(t.year - age, 2, 28)
            try:
                earliest = t.replace(year=t.year - age - 1) + timedelta(days=1)
            except ValueError:
                earliest = date(t.year - age - 1, 3, 1)
            lo, hi = earliest.toordinal(), latest.toordinal() - (1 if age == 0 else 0)
            span = self._birth_range[age] = (lo, max(lo, hi) - lo + 1)
        return date.fromordinal(span[0] + int(self.rr() * span[1]))

    def id_number(self, birth: date, sex: str) -> str:
        """idcard.make(region, birth, seq, sex) for a random seq in 0..499 not used yet."""
        key = birth.toordinal()
        pre = self._id_prefix.get(key)
        if pre is None:
            digits = f"{birth:%Y%m%d}"
            weighted = sum(int(c) * w for c, w in zip(digits, (2, 1, 6, 3, 7, 9, 10, 5), strict=True))
            pre = self._id_prefix[key] = (self.region + digits, self._region_sum + weighted)
        head, total = pre
        tails = _SEQ_TAILS[sex]
        rr = self.rr
        for _ in range(5000):
            tail, weighted = tails[int(rr() * 500)]
            number = head + tail + _CHECK[(total + weighted) % 11]
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number
        raise RuntimeError(f"no free ID number for {birth} {sex}")  # pragma: no cover

    # -- members ----------------------------------------------------------------------------------

    def members(self, hh_id: uuid.UUID, specs: list[_Spec], cluster: str, supported: bool,
                cause: str | None) -> list[Row]:
        """Member rows of one household (a registered household's main cause shows in them)."""
        rr, stamp, new_id, pick = self.rr, self.stamp, self.new_id, self.pick
        family, inlaw = self.surname(cluster), self.surname()
        # 因病: one member (35+ if any) is ill; 因残: one member is disabled
        forced = -1
        if cause == "01" or cause == "02":
            older = [i for i, spec in enumerate(specs) if spec[2] >= 35] if cause == "01" else []
            forced = self.choice(older) if older else int(rr() * len(specs))  # type: ignore[arg-type]
        dis_rate = 0.05 if supported else 0.012
        people: list[Row] = []
        names: list[str] = []
        for i, (rel, sex, age, marker) in enumerate(specs):
            surname = family if marker == "F" else inlaw if marker == "L" else self.surname()
            birth = self.birth(age)
            name, initials = self.name(surname, sex, birth.year)
            while name in names:  # no two members of a household share a name
                name, initials = self.name(surname, sex, birth.year)
            names.append(name)
            if age < 18:
                p_chronic, p_serious = 0.0, 0.003
            elif age < 45:
                p_chronic, p_serious = 0.04, 0.007
            elif age < 60:
                p_chronic, p_serious = 0.12, 0.015
            elif age < 75:
                p_chronic, p_serious = 0.30, 0.03
            else:
                p_chronic, p_serious = 0.42, 0.05
            if supported:
                p_chronic, p_serious = p_chronic * 1.4, p_serious * 1.6
            r = rr()
            if i == forced and cause == "01":
                r = 0.0 if rr() < 0.5 else p_serious  # half serious, half chronic
                p_chronic = max(p_chronic, 0.01)
            if r < p_serious:
                health, note = self.serious(age)
            elif r < p_serious + p_chronic:
                health, note = "长期慢性病", "慢性病：" + self.choice(_CHRONIC)
            else:
                health, note = "健康", None
            if rr() < dis_rate * (2.0 if age >= 60 else 1.0) or (i == forced and cause == "02"):
                category, grade = pick(self.disability), pick(self.grades)
            else:
                category = grade = None
            stage = None
            if 6 <= age <= 15:  # compulsory schooling, no dropouts
                stage = "小学" if age <= 11 else "初中"
            elif 3 <= age <= 5:
                stage = "学前教育" if rr() < 0.88 else None
            elif 16 <= age <= 18:
                r = rr()
                stage = "普通高中" if r < 0.55 else "中职" if r < 0.85 else None
            elif 19 <= age <= 22:
                r = rr()
                stage = "本科及以上" if r < 0.2 else "高职" if r < 0.35 else None
            if age < 16 or stage:
                labour = "无劳动能力"
            elif grade == "一级" or grade == "二级" or health == "重病" or age >= 75:
                labour = "丧失劳动能力"
            elif grade or health == "大病":
                labour = "部分丧失劳动能力"
            elif age >= 65 or (health == "长期慢性病" and age >= 50) or (age >= 60 and rr() < 0.5):
                labour = "弱劳动力或半劳动力"
            else:
                labour = "有劳动能力"
            if not stage and 16 <= age <= 75 and labour != "丧失劳动能力" and labour != "无劳动能力":
                status, place, post = self.employ(age, labour == "有劳动能力", supported)
            else:
                status = place = post = None
            people.append({
                "id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None,
                "household_id": hh_id, "name": name, "name_initials": initials,
                "id_number": self.id_number(birth, sex), "relation": rel, "sex": sex, "birth_date": birth,
                "labour_ability": labour, "health": health, "disability_category": category,
                "disability_grade": grade, "schooling_stage": stage, "employment_status": status,
                "employment_place": place, "public_welfare_post": post,
                "medical_insurance": supported or rr() >= 0.012,
                "pension_insurance": age >= 16 and not stage and (supported or rr() < 0.95),
                "dibao": False, "tekun": False, "left_behind": False, "note": note,
            })
        return people

    def serious(self, age: int) -> tuple[str, str]:
        health = "重病" if self.rr() < 0.2 else "大病"
        return health, "大病：" + self.choice(_SERIOUS_CHILD if age < 15 else _SERIOUS_ADULT)

    def employ(self, age: int, able: bool, supported: bool) -> tuple[str | None, str | None, str | None]:
        r = self.rr()
        status = place = post = None
        if able and age <= 55:
            status = ("外出务工" if r < 0.44 else "就近就业" if r < 0.64 else "务农" if r < 0.76 else
                      "自主创业" if r < 0.80 else "居家灵活就业" if r < 0.86 else "产业就业" if r < 0.91 else
                      "公益性岗位" if r < 0.97 and supported else "务农" if r < 0.985 else "未就业")
        elif age <= 64:
            status = ("务农" if r < 0.45 else "就近就业" if r < 0.62 else
                      "公益性岗位" if r < 0.85 and supported else
                      "居家灵活就业" if r < 0.9 else "外出务工" if r < 0.95 else "未就业")
        elif supported and r < 0.18:
            status = "公益性岗位"
        elif r < 0.7:
            status = "务农"
        if status == "外出务工":
            place = self.pick(self.migrant)
        elif status == "就近就业":
            place = self.pick(self.local)
        elif status == "产业就业":
            place = self.choice(_INDUSTRY_PLACES)
        elif status == "公益性岗位":
            place, post = VILLAGE_NAME, self.pick(self.posts)
        elif status == "自主创业":
            place = TOWNSHIP_NAME if self.rr() < 0.4 else VILLAGE_NAME
        return status, place, post


def generate_village(*, village_code: str = DEFAULT_VILLAGE_CODE, households: int | None = None,
                     seed: int = 2020, today: date = date(2026, 11, 22)) -> DemoVillage:
    """Build the demo village. Pure and deterministic: the same arguments give identical rows.

    Only the codes follow `village_code` (county = first 6 digits, township = first 9, and the
    region of every ID number); the names stay 荥阳市 汜水镇 新沟村.
    """
    if not (len(village_code) == 12 and village_code.isdigit()):
        raise ValueError("village_code must be a 12-digit statistical code such as 410182104201")
    plan = _plan(households)
    # Hundreds of thousands of small dicts and no cycles: the cyclic collector would only slow this down.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(plan, village_code, households is None, seed, today)
    finally:
        if gc_was_enabled:
            gc.enable()


def _generate(plan: _Plan, village_code: str, default: bool, seed: int, today: date) -> DemoVillage:
    g = _Gen(seed, today, village_code)
    rng, rr, ri = g.rng, g.rr, g.ri
    stamp, new_id = g.stamp, g.new_id
    last_year = today.year - 1
    today_ord = today.toordinal()

    def meta() -> Row:
        return {"id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None}

    # -- geography ------------------------------------------------------------------------------
    county = {**meta(), "code": village_code[:6], "name": COUNTY_NAME, "city": CITY_NAME}
    township = {**meta(), "county_id": county["id"], "code": village_code[:9], "name": TOWNSHIP_NAME}
    village_id = new_id()
    group_specs = _group_names(plan.groups)
    groups = [{**meta(), "village_id": village_id, "name": name, "sort_order": i + 1}
              for i, (name, _) in enumerate(group_specs)]
    weights = list(DEFAULT_GROUP_WEIGHTS) if default else [0.7 + 0.6 * rr() for _ in groups]
    per_group = _split(plan.households, weights)

    # -- what each household is, its size and its main cause ------------------------------------
    n_general = plan.households - plan.registered - plan.monitored - plan.edge
    kinds = ["reg"] * plan.registered + ["mon"] * plan.monitored + ["edge"] * plan.edge + ["gen"] * n_general
    rng.shuffle(kinds)
    reg_idx = [i for i, k in enumerate(kinds) if k == "reg"]
    other_idx = [i for i, k in enumerate(kinds) if k != "reg"]
    sizes = [0] * plan.households
    for i, s in zip(reg_idx, _sizes(rng, len(reg_idx), plan.registered_persons, REGISTERED_SIZE_WEIGHTS),
                    strict=True):
        sizes[i] = s
    for i, s in zip(other_idx, _sizes(rng, len(other_idx), plan.persons - plan.registered_persons,
                                      GENERAL_SIZE_WEIGHTS), strict=True):
        sizes[i] = s
    causes: dict[int, str] = {}
    quota = cause_quota(plan.registered)
    # 缺劳动力 goes to small households (old people alone, old couples); the rest at random
    by_size = sorted(reg_idx, key=lambda i: (sizes[i], rr()))
    chosen08 = rng.sample(by_size[: max(quota["08"], len(by_size) * 3 // 10)], quota["08"])
    taken = set(chosen08)
    bag = [c for c, n in quota.items() if c != "08" for _ in range(n)]
    rng.shuffle(bag)
    causes.update(dict.fromkeys(chosen08, "08"))
    causes.update(zip([i for i in reg_idx if i not in taken], bag, strict=True))
    cause_codes, cause_cum = _weighted(tuple((c, round(s * 100)) for c, s in LUOYANG_CAUSE_SHARES.items()))
    n_banqian = max(1, round(plan.registered * 0.025)) if plan.registered >= 10 else 0
    banqian_set = set(rng.sample(reg_idx, n_banqian))

    # -- households, members, incomes ------------------------------------------------------------
    hh_rows: list[Row] = []
    member_rows: list[Row] = []
    income_rows: list[Row] = []
    supported_pos: list[int] = []  # positions in hh_rows that get a 帮扶责任人
    lianwei_candidates: list[tuple[str, str]] = []  # (name, phone) of male general household heads 38-62
    number_width = max(4, len(str(plan.households)))
    check_lo, check_span = today_ord - 300, 299  # 住房 / 饮水 checked within the last ten months
    hh_index = 0
    for group, (group_name, cluster), count in zip(groups, group_specs, per_group, strict=True):
        door = 0
        for _ in range(count):
            kind, size = kinds[hh_index], sizes[hh_index]
            registered, supported = kind == "reg", kind != "gen"
            cause = causes.get(hh_index)
            if kind in ("mon", "edge"):
                r = rr()
                cause = ("01" if r < 0.5 else "03" if r < 0.65 else "04" if r < 0.8 else
                         "02" if r < 0.9 else "08")
            hh_id = new_id()
            specs = _family(rr, size, cause == "08" or (registered and rr() < 0.25))
            people = g.members(hh_id, specs, cluster, supported, cause)
            ages = [spec[2] for spec in specs]  # exact ages on `today`
            head = people[0]

            # household attributes, mirrored by the members' 低保 / 特困 flags
            has_disabled = any(p["disability_category"] for p in people)
            severe = any(p["health"] in ("大病", "重病") or p["disability_grade"] in ("一级", "二级")
                         for p in people)
            no_labour = not any(p["labour_ability"] in ("有劳动能力", "弱劳动力或半劳动力") for p in people)
            tekun = registered and size == 1 and (ages[0] >= 60 or has_disabled) and rr() < 0.4
            if tekun:
                dibao = False
            elif registered:
                dibao = rr() < (0.6 if severe or no_labour else 0.15)
            elif supported:
                dibao = rr() < (0.5 if severe else 0.15)
            else:
                dibao = rr() < 0.015
            attributes = [a for a, on in ((DIBAO, dibao), (TEKUN, tekun),
                                          (CANJI, has_disabled and (supported or dibao)),
                                          (SHIJI, registered and rr() < 0.18),
                                          (DOUDI, (dibao or tekun) and no_labour),
                                          (BANQIAN, hh_index in banqian_set)) if on]
            if dibao or tekun:
                for p in people:
                    p["dibao"], p["tekun"] = dibao, tekun
            _left_behind(people, ages, rr)

            identified = exit_year = housing = housing_on = water_on = water_ok = note = None
            secondary: list[str] = []
            if registered:
                r = rr()
                identified = 2014 if r < 0.7 else 2015 if r < 0.88 else 2016
                r = rr()
                exit_year = max(identified + 1,
                                2016 if r < 0.40 else 2017 if r < 0.90 else 2018 if r < 0.96 else 2019)
                subsidised_student = any(p["schooling_stage"] in ("普通高中", "中职", "高职", "本科及以上")
                                         for p in people)
                enjoys = (bool({DIBAO, TEKUN, DOUDI} & set(attributes))
                          or (subsidised_student and rr() < 0.7)
                          or ((severe or has_disabled) and rr() < 0.5) or rr() < 0.08)
                status = "已脱贫(享受政策)" if enjoys else "已脱贫(不享受政策)"
                r = rr()
                n_secondary = 0 if r < 0.4 else 1 if r < 0.8 else 2
                while len(secondary) < n_secondary:
                    c = cause_codes[bisect_right(cause_cum, rr() * cause_cum[-1])]
                    if c != cause and c not in secondary:
                        secondary.append(c)
                if BANQIAN in attributes:
                    housing, note = "保障安全", f"{ri(2017, 2018)}年易地扶贫搬迁，集中安置"
                elif rr() < 0.28:
                    housing = "改造安全"
                    note = f"{ri(2016, 2019)}年危房改造（{'拆除重建' if rr() < 0.2 else '维修加固'}）"
                else:
                    housing = "鉴定安全"
                if tekun:
                    note = (note + "；" if note else "") + "分散供养特困人员"
            elif supported:
                status = "监测户" if kind == "mon" else "边缘户"
                identified = ri(2020, max(2020, min(last_year, 2025)))
                if rr() < 0.4 and cause != "09":
                    secondary.append("09")
                housing = "鉴定安全"
                note = f"{identified}年{CAUSE_NAMES[cause]}纳入{'监测' if kind == 'mon' else '边缘户'}"  # type: ignore[index]
            else:
                status, cause = "一般农户", None
            if housing:
                housing_on = date.fromordinal(check_lo + int(rr() * check_span))
                water_on = date.fromordinal(check_lo + int(rr() * check_span))
                water_ok = True

            door += 1 if rr() < 0.7 else ri(2, 3)
            phone = None if (tekun and rr() < 0.5) or rr() < 0.04 else g.mobile()
            hh_rows.append({
                "id": hh_id, "created_at": stamp, "updated_at": stamp, "deleted_at": None,
                "village_id": village_id, "group_id": group["id"],
                "number": f"{village_code}{hh_index + 1:0{number_width}d}",
                "address": f"{TOWNSHIP_NAME}{VILLAGE_NAME}{group_name}{door}号", "phone": phone,
                "status": status, "attributes": attributes,
                "identified_year": identified, "exit_year": exit_year,
                "main_cause": cause, "secondary_causes": secondary, "helper_id": None,
                "housing_safety": housing, "housing_checked_on": housing_on,
                "water_quality_ok": water_ok, "water_quantity_ok": water_ok, "water_convenience_ok": water_ok,
                "water_reliability_ok": water_ok, "water_checked_on": water_on, "note": note,
            })
            if supported:
                supported_pos.append(len(hh_rows) - 1)
            elif 38 <= ages[0] <= 62 and head["sex"] == "男" and phone:
                lianwei_candidates.append((head["name"], phone))

            _incomes(income_rows, g, hh_id, kind, people, ages, exit_year, identified, attributes, last_year)
            member_rows += people
            hh_index += 1

    cadres = _cadres(g, village_id, hh_rows, supported_pos, lianwei_candidates)

    village = {
        "id": village_id, "created_at": stamp, "updated_at": stamp, "deleted_at": None,
        "township_id": township["id"], "code": village_code, "name": VILLAGE_NAME,
        "designation": "省级贫困村",
        "tags": ["美丽乡村"], "designated_year": 2014, "exit_year": 2017,
        "households_total": len(hh_rows), "population_total": len(member_rows), "area_km2": 3.02,
        "natural_villages": len(groups), "note": "海棠园、鸵鸟谷带动就业；2017年贫困村退出",
    }
    village_incomes = []
    for y in range(FIRST_INCOME_YEAR, last_year + 1):
        amount = COLLECTIVE_INCOME.get(y) or round(COLLECTIVE_INCOME[2025] * 1.06 ** (y - 2025), -2)
        village_incomes.append({**meta(), "village_id": village_id, "year": y,
                                "amount_fen": int(amount) * 100, "note": COLLECTIVE_NOTES.get(y)})
    return DemoVillage(county=county, township=township, village=village, groups=groups, cadres=cadres,
                       households=hh_rows, members=member_rows, household_incomes=income_rows,
                       village_incomes=village_incomes)


def _left_behind(people: list[Row], ages: list[int], rr: Callable[[], float]) -> None:
    """留守: children and elders whose working-age family is away, wives of migrant husbands."""
    away = [p for p in people if p["employment_status"] == "外出务工"]
    if not away and len(people) > 2:
        return
    home_workers = any(18 <= a < 60 and p["employment_status"] != "外出务工"
                       for p, a in zip(people, ages, strict=True))
    husband_away = any(q["sex"] == "男" and q["relation"] in (RELATION_HEAD, "之子") for q in away)
    young_kids = any(a < 16 for a in ages)
    for p, a in zip(people, ages, strict=True):
        if a < 16:
            p["left_behind"] = bool(away) and rr() < (0.85 if len(away) >= 2 else 0.5)
        elif a >= 60:
            p["left_behind"] = not home_workers and rr() < 0.55
        elif (husband_away and young_kids and p["sex"] == "女" and p["relation"] in ("配偶", "之儿媳")
              and 20 <= a and p["employment_status"] != "外出务工"):
            p["left_behind"] = rr() < 0.5


def _incomes(out: list[Row], g: _Gen, hh_id: uuid.UUID, kind: str, people: list[Row], ages: list[int],
             exit_year: int | None, identified: int | None, attributes: list[str], last_year: int) -> None:
    """Yearly income rows: 2016 on for registered and monitored households, else the last 3 years."""
    rr, stamp, new_id = g.rr, g.stamp, g.new_id
    n: dict[str | None, int] = {}
    for p in people:
        n[p["employment_status"]] = n.get(p["employment_status"], 0) + 1
    elders = sum(a >= 60 for a in ages)
    students = sum(p["schooling_stage"] is not None for p in people)
    w = (
        3.0 * n.get("外出务工", 0) + 1.0 * n.get("公益性岗位", 0)
        + 2.0 * (n.get("就近就业", 0) + n.get("产业就业", 0) + n.get("居家灵活就业", 0)),
        0.3 + 1.2 * n.get("务农", 0) + 2.5 * n.get("自主创业", 0),
        0.2 if kind == "gen" else 0.35,
        (1.6 if DIBAO in attributes else 0) + (2.5 if TEKUN in attributes else 0)
        + (0.4 if CANJI in attributes else 0) + 0.35 * elders + 0.25 * students
        + (0.05 if kind == "gen" else 0.3),
    )
    total = sum(w)
    s0, s1, s2 = w[0] / total, w[1] / total, w[2] / total  # the transfer share takes the rest
    expense_ratio = 0.35 + 0.4 * rr()
    size = len(people)
    registered, general = kind == "reg", kind == "gen"
    first = last_year - 2 if general else FIRST_INCOME_YEAR
    bases = g.income_bases[kind]
    factor = min(1.8, max(0.6, math.exp(g.rng.gauss(0, 0.22))))
    if general:
        factor *= factor  # wider spread among ordinary households
    for y in range(first, last_year + 1):
        if registered and y < exit_year:  # type: ignore[operator]
            pc = 2250 + 700 * rr()  # still under the 3000-yuan line before exiting
        else:
            pc = bases[y] * factor * (0.93 + 0.14 * rr())
            if registered:
                pc = max(pc, 3300 + 450 * (y - FIRST_INCOME_YEAR))
            elif not general:  # 监测户 / 边缘户: a dip in the year the risk appeared, then recovery
                if y == identified:
                    pc *= 0.6
                elif y > identified:  # type: ignore[operator]
                    pc *= min(1.0, 0.75 + 0.1 * (y - identified))  # type: ignore[operator]
        net = int(pc * size + 0.5)
        tilt = 0.9 + 0.2 * rr()  # some years more wages, some more farming
        wage, op_net, prop = int(net * s0 * tilt + 0.5), int(net * s1 * (2 - tilt) + 0.5), int(net * s2 + 0.5)
        transfer = net - wage - op_net - prop
        if transfer < 0:  # the tilt overshot: take it back from the larger of wage and farming
            if wage >= op_net:
                wage += transfer
            else:
                op_net += transfer
            transfer = 0
        expense = int(op_net * expense_ratio + 0.5)
        out.append({
            "id": new_id(), "created_at": stamp, "updated_at": stamp, "deleted_at": None,
            "household_id": hh_id, "year": y, "persons": size, "wage_fen": wage * 100,
            "operating_fen": (op_net + expense) * 100, "property_fen": prop * 100,
            "transfer_fen": transfer * 100, "expense_fen": expense * 100, "note": None,
        })


def _cadres(g: _Gen, village_id: uuid.UUID, hh_rows: list[Row], supported_pos: list[int],
            lianwei_candidates: list[tuple[str, str]]) -> list[Row]:
    """The team, the 两委 (drawn from the village's own household heads) and the 帮扶责任人."""
    rr, ri, today = g.rr, g.ri, g.today
    names: set[str] = set()

    def cadre(role: str, unit: str, position: str, started: date, *, sex: str | None = None,
              name: str | None = None, phone: str | None = None) -> Row:
        while name is None or name in names:
            s = sex or ("男" if rr() < 0.7 else "女")
            name = g.name(g.surname(), s, ri(1968, 1997))[0]
        names.add(name)
        return {"id": g.new_id(), "created_at": g.stamp, "updated_at": g.stamp, "deleted_at": None,
                "village_id": village_id, "name": name, "role": role, "unit": unit, "position": position,
                "phone": phone or g.mobile(), "started_on": started, "ended_on": None}

    team_start = date(today.year - 2, 7, ri(1, 20))
    unit = "荥阳市农业农村局"
    cadres = [cadre("第一书记", unit, "四级主任科员", team_start),
              cadre("工作队员", unit, "一级科员", team_start),
              cadre("工作队员", unit, "一级科员", team_start)]
    term_start = date(2021, ri(5, 7), ri(1, 28))
    g.rng.shuffle(lianwei_candidates)
    for role, unit, position in (("村党支部书记", "新沟村党支部", "党支部书记"),
                                 ("村委会主任", "新沟村村民委员会", "村委会主任"),
                                 ("两委委员", "新沟村村民委员会", "村两委委员、村会计")):
        name = phone = None
        while lianwei_candidates and (name is None or name in names):
            name, phone = lianwei_candidates.pop()
        cadres.append(cadre(role, unit, position, term_start, name=name, phone=phone))
    cadres.append(cadre("两委委员", "新沟村村民委员会", "村两委委员、妇联主席", term_start, sex="女"))

    # 帮扶责任人: 3-5 households each, neighbours in register order
    n = len(supported_pos)
    if not n:
        return cadres
    h = 1 if n < 3 else max(math.ceil(n / 5), min(n // 3, round(n / 4.6)))
    loads = _split(n, [1.0] * h)
    for _ in range(h):  # some variety, staying within 3..5
        i, j = int(rr() * h), int(rr() * h)
        if loads[i] > 3 and loads[j] < 5:
            loads[i] -= 1
            loads[j] += 1
    start_lo = date(2021, 3, 1).toordinal()
    pos = 0
    for load in loads:
        unit, positions = _HELPER_UNITS[0 if rr() < 0.35 else int(rr() * len(_HELPER_UNITS))]
        helper = cadre("帮扶责任人", unit, g.choice(positions),
                       date.fromordinal(start_lo + int(rr() * max(1, today.toordinal() - 60 - start_lo))))
        cadres.append(helper)
        for k in supported_pos[pos:pos + load]:
            hh_rows[k]["helper_id"] = helper["id"]
        pos += load
    return cadres
