"""The roster's columns: what each one holds, its header on export, the headers it is known by.

One table serves reading (header synonyms), writing (order, header text, width, drop-down list)
and the mapping step of the GUI (the fields a person can assign an unknown header to). The headers
are a file format that people keep files in, so they are spelled out here rather than taken from
the GUI's labels, which may be reworded.
"""

import re
from dataclasses import dataclass

from fupin_desktop.domain import vocab

# Where a column's value goes.
HOUSEHOLD = "household"  # a HouseholdForm field, the same for every row of a household
MEMBER = "member"  # a MemberForm field, one per row
CHECK = "check"  # read only to cross-check (户主姓名, 性别, 出生日期, 家庭人口数)
IGNORED = "ignored"  # recognised so it is not asked about, then ignored (序号, 年龄)

YES, NO = "是", "否"


@dataclass(frozen=True)
class RosterColumn:
    """One roster column.

    Attributes:
        key: the HouseholdForm/MemberForm field, or a roster key for CHECK/IGNORED columns.
        header: the header written on export and in the template.
        level: HOUSEHOLD, MEMBER, CHECK or IGNORED.
        kind: how cells are read: text, number (户编号), id, phone, date, year, int, bool,
            choice (a vocabulary), cause, causes, attributes.
        synonyms: other headers rosters use for it.
        width: column width on export (characters).
        choices: the template's drop-down list (empty: none).
        exported: written on export (IGNORED columns are not).
    """

    key: str
    header: str
    level: str
    kind: str = "text"
    synonyms: tuple[str, ...] = ()
    width: float = 10
    choices: tuple[str, ...] = ()
    exported: bool = True


_BOOL = (YES, NO)

COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("number", "户编号", HOUSEHOLD, "number", ("户号", "户编码", "家庭编号", "农户编号", "户码"), 10),
    RosterColumn("group", "村民组", HOUSEHOLD, synonyms=("组", "组别", "村民小组", "所在组", "所属村民组", "组名"),
           width=10),
    RosterColumn("head_name", "户主姓名", CHECK, synonyms=("户主", "户主名", "户主名称"), width=10),
    RosterColumn("name", "姓名", MEMBER, synonyms=("成员姓名", "家庭成员姓名", "人员姓名"), width=10),
    RosterColumn("relation", "与户主关系", MEMBER, "choice", ("关系", "与户主的关系", "家庭关系"), 12,
           vocab.RELATIONS),
    RosterColumn("id_number", "身份证号", MEMBER, "id",
           ("身份证号码", "证件号码", "身份证", "公民身份号码", "证件号", "居民身份证号码", "身份证件号码"), 22),
    RosterColumn("sex", "性别", CHECK, synonyms=(), width=6, choices=vocab.SEXES),
    RosterColumn("birth_date", "出生日期", CHECK, "date", ("出生年月", "出生年月日", "生日"), 12),
    RosterColumn("labour_ability", "劳动能力", MEMBER, "choice", ("劳动技能", "劳动力状况", "劳动力"), 16,
           vocab.LABOUR_ABILITIES),
    RosterColumn("health", "健康状况", MEMBER, "choice", ("健康情况", "身体状况"), 12, vocab.HEALTH_STATES),
    RosterColumn("disability_category", "残疾类别", MEMBER, "choice", ("残疾类型",), 10,
           vocab.DISABILITY_CATEGORIES),
    RosterColumn("disability_grade", "残疾等级", MEMBER, "choice", ("残疾级别",), 10,
           vocab.DISABILITY_GRADES),
    RosterColumn("schooling_stage", "在校情况", MEMBER, "choice",
           ("在校生状况", "在校生情况", "在校状况", "就学情况", "在校生"), 12, vocab.SCHOOLING_STAGES),
    RosterColumn("employment_status", "务工状况", MEMBER, "choice",
           ("务工情况", "就业状况", "就业情况", "务工就业情况"), 12, vocab.EMPLOYMENT_STATUSES),
    RosterColumn("employment_place", "务工地点", MEMBER, synonyms=("务工地址", "就业地点", "务工所在地"),
           width=14),
    RosterColumn("public_welfare_post", "公益岗", MEMBER, "choice",
           ("公益性岗位", "公益岗位", "公益岗类型"), 10, vocab.PUBLIC_WELFARE_POSTS),
    RosterColumn("medical_insurance", "医疗保险", MEMBER, "bool",
           ("是否参加医疗保险", "参加医疗保险", "城乡居民基本医疗保险", "医保", "参加医保"), 9, _BOOL),
    RosterColumn("pension_insurance", "养老保险", MEMBER, "bool",
           ("是否参加养老保险", "参加养老保险", "城乡居民基本养老保险", "养老"), 9, _BOOL),
    RosterColumn("dibao", "低保", MEMBER, "bool", ("是否低保", "享受低保", "低保对象"), 6, _BOOL),
    RosterColumn("tekun", "特困供养", MEMBER, "bool", ("特困", "是否特困供养", "特困供养人员", "五保"), 9, _BOOL),
    RosterColumn("left_behind", "留守", MEMBER, "bool", ("是否留守", "留守人员"), 6, _BOOL),
    RosterColumn("note", "成员备注", MEMBER, synonyms=("备注", "个人备注"), width=14),
    RosterColumn("status", "户状态", HOUSEHOLD, "choice", ("脱贫状态", "贫困户状态", "贫困状态", "农户状态"), 16,
           vocab.HOUSEHOLD_STATUSES),
    RosterColumn("attributes", "户属性", HOUSEHOLD, "attributes",
           ("户类型", "贫困户属性", "农户属性", "户类别", "贫困户类型"), 18),
    RosterColumn("main_cause", "主要致贫原因", HOUSEHOLD, "cause", ("致贫原因", "主要致贫原因名称"), 12),
    RosterColumn("secondary_causes", "次要致贫原因", HOUSEHOLD, "causes", ("其他致贫原因", "次要原因"), 14),
    RosterColumn("identified_year", "识别年度", HOUSEHOLD, "year",
           ("识别年份", "纳入年度", "建档立卡年度", "识别时间"), 9),
    RosterColumn("exit_year", "脱贫年度", HOUSEHOLD, "year", ("脱贫年份", "脱贫时间"), 9),
    RosterColumn("phone", "联系电话", HOUSEHOLD, "phone",
           ("电话", "手机号", "手机号码", "联系方式", "户主电话", "联系电话号码"), 14),
    RosterColumn("address", "住址", HOUSEHOLD, synonyms=("家庭住址", "地址", "详细地址", "现住址"), width=20),
    RosterColumn("helper_name", "帮扶责任人", HOUSEHOLD, synonyms=("帮扶人", "帮扶责任人姓名", "帮扶干部"), width=10),
    RosterColumn("housing_safety", "住房安全", HOUSEHOLD, "choice",
           ("住房安全情况", "住房安全状况", "住房状况"), 10, vocab.HOUSING_SAFETY),
    RosterColumn("housing_checked_on", "住房鉴定日期", HOUSEHOLD, "date", ("住房安全鉴定日期",), 12),
    RosterColumn("water_quality_ok", "水质", HOUSEHOLD, "bool", ("水质达标",), 6, _BOOL),
    RosterColumn("water_quantity_ok", "水量", HOUSEHOLD, "bool", ("水量达标",), 6, _BOOL),
    RosterColumn("water_convenience_ok", "用水方便程度", HOUSEHOLD, "bool", ("取水方便", "用水方便"), 8,
           _BOOL),
    RosterColumn("water_reliability_ok", "供水保证率", HOUSEHOLD, "bool", ("供水保证",), 8, _BOOL),
    RosterColumn("water_checked_on", "饮水核验日期", HOUSEHOLD, "date", ("饮水安全核验日期",), 12),
    RosterColumn("household_note", "户备注", HOUSEHOLD, synonyms=("家庭备注", "户情况备注"), width=16),
    RosterColumn("size", "家庭人口数", CHECK, "int", ("家庭人口", "户人口数", "人口数", "户人数", "家庭人数"), 8,
           exported=False),
    RosterColumn("serial", "序号", IGNORED, synonyms=("编号", "顺序号"), exported=False),
    RosterColumn("age", "年龄", IGNORED, synonyms=("周岁",), exported=False),
)

BY_KEY = {c.key: c for c in COLUMNS}
EXPORTED = tuple(c for c in COLUMNS if c.exported)
# A roster cannot be read without these.
REQUIRED = ("number", "name", "id_number", "relation", "status")
# Household fields that the HouseholdForm names differently.
FORM_FIELD = {"household_note": "note"}

_NOISE = re.compile(r"[\s*＊:：]|[（(](必填|选填|必选|可选)[)）]")
_REMARK = re.compile(r"[（(][^)）]*[)）]$")


def header_key(text: str) -> str:
    """Header text without what varies between rosters: spaces, line breaks, required marks, colons."""
    return _NOISE.sub("", text).replace("（", "(").replace("）", ")")


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in COLUMNS:
        for text in (c.header, *c.synonyms):
            index.setdefault(header_key(text), c.key)
    return index


_INDEX = _build_index()


def match_header(text: str) -> str | None:
    """The column key a header names, or None when it is not known.

    A trailing remark in parentheses is dropped when the whole text is not known
    ("身份证号码（18位）" is 身份证号码).
    """
    key = header_key(text)
    if not key:
        return None
    found = _INDEX.get(key)
    if found is None and _REMARK.search(key):
        found = _INDEX.get(_REMARK.sub("", key))
    return found


def assignable() -> list[tuple[str, str]]:
    """(key, header) of the fields a person can assign an unknown header to, in roster order."""
    return [(c.key, c.header) for c in COLUMNS if c.level != IGNORED]


# Words rosters use for the register's vocabularies (the vocabulary's own words always work, in
# either bracket width and with stray spaces).
VALUE_ALIASES: dict[str, dict[str, str]] = {
    "relation": {
        "本人": "户主", "妻": "配偶", "妻子": "配偶", "丈夫": "配偶", "夫": "配偶",
        **dict.fromkeys(("子", "儿子", "长子", "次子", "三子", "养子", "继子"), "之子"),
        **dict.fromkeys(("女", "女儿", "长女", "次女", "三女", "养女", "继女"), "之女"),
        "儿媳": "之儿媳", "媳妇": "之儿媳", "女婿": "之女婿", "孙子": "之孙子", "孙": "之孙子", "孙女": "之孙女",
        **dict.fromkeys(("外孙", "外孙子", "外孙女", "外孙子女"), "之外孙子女"),
        "父亲": "之父", "父": "之父", "母亲": "之母", "母": "之母",
        **dict.fromkeys(("祖父", "祖母", "爷爷", "奶奶", "祖父母"), "之祖父母"),
        **dict.fromkeys(("兄", "弟", "姐", "妹", "兄弟", "姐妹", "兄弟姐妹", "哥哥", "弟弟", "姐姐", "妹妹"),
                        "之兄弟姐妹"),
    },
    "labour_ability": {
        "普通劳动力": "有劳动能力", "技能劳动力": "有劳动能力", "有劳动力": "有劳动能力",
        "弱劳动力": "弱劳动力或半劳动力", "半劳动力": "弱劳动力或半劳动力",
        "丧失劳动力": "丧失劳动能力", "无劳动力": "无劳动能力",
    },
    "health": {"慢性病": "长期慢性病", "患有大病": "大病", "良好": "健康"},
    "schooling_stage": {"学前": "学前教育", "幼儿园": "学前教育", "高中": "普通高中", "普高": "普通高中",
                        "中专": "中职", "技校": "中职", "大专": "高职", "本科": "本科及以上", "大学": "本科及以上"},
    "employment_status": {"省外务工": "外出务工", "县外省内务工": "外出务工", "外出打工": "外出务工",
                          "县内务工": "就近就业", "就近务工": "就近就业", "公益岗": "公益性岗位",
                          "在家务农": "务农", "无": "未就业"},
}

# Other names of the household attributes (resources/reference/household_attributes.csv codes).
ATTRIBUTE_ALIASES: dict[str, str] = {
    **dict.fromkeys(("五保户", "五保", "特困户", "特困", "特困供养", "特困供养贫困户", "特困人员", "分散供养特困人员"),
                    "tekun"),
    **dict.fromkeys(("低保贫困户", "低保对象", "农村低保户"), "dibao"),
    **dict.fromkeys(("脱贫监测户", "脱贫不稳定"), "buwending"),
    **dict.fromkeys(("边缘户", "边缘易致贫", "易致贫户"), "bianyuan"),
    **dict.fromkeys(("残疾户", "贫困残疾人家庭"), "canji"),
    **dict.fromkeys(("搬迁户", "易地搬迁户"), "banqian"),
    "兜底户": "doudi",
}
