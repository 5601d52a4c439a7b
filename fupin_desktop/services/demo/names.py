"""Names: surnames by frequency, given names by birth decade and sex, their initials, 村民组 names."""

from functools import cache
from itertools import accumulate

from fupin_desktop.services.text import name_initials

_SURNAME_WEIGHTS = (
    "王75 李70 张70 刘50 陈35 杨30 赵25 郭25 周20 孙20 马20 朱16 胡15 高15 黄12 宋13 郑12 韩11 吕10 徐10 "
    "许10 吴10 任9 田9 冯9 杜8 程8 曹8 袁7 崔7 邓6 贾6 范6 魏6 何6 梁6 董6 段5 史5 侯5 白5 牛5 付5 罗5 "
    "孟5 于5 翟4 常4 苏4 姚4 蔡4 林4 谢4 唐4 申3 潘3 葛3 路3 尚3 秦3 岳3 彭3 楚2 娄2"
)
SURNAMES = tuple(s[0] for s in _SURNAME_WEIGHTS.split())
SURNAME_CUM = list(accumulate(int(s[1:]) for s in _SURNAME_WEIGHTS.split()))

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


def era(year: int) -> int:
    """The GIVEN_NAMES decade of a birth year."""
    return 1900 if year < 1950 else min(year // 10 * 10, 2020)


@cache
def initials() -> tuple[dict[str, str], dict[str, str]]:
    """name_initials of every surname and of every given name, to be joined per person.

    (Tests check the join equals name_initials(full name); a given name is read after a plain
    surname, so surname readings never apply to it.)
    """
    given = {g: name_initials("王" + g)[1:] for pool in GIVEN_NAMES.values() for g in pool}
    return {s: name_initials(s) for s in SURNAMES}, given


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


def group_names(count: int) -> list[tuple[str, str]]:
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
