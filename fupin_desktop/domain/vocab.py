"""Fixed vocabularies of the household register, stored in the database as their Chinese text.

Lists that policy changes year by year (causes of poverty, measure catalogue, poverty lines,
低保 standards, household attributes) are reference *data* in resources/reference, not here.
"""

# 户状态: the first three are 建档立卡 households.
HOUSEHOLD_STATUSES = (
    "未脱贫",
    "已脱贫(享受政策)",
    "已脱贫(不享受政策)",
    "监测户",
    "边缘户",
    "一般农户",
)
REGISTERED_STATUSES = HOUSEHOLD_STATUSES[:3]

RELATION_HEAD = "户主"
RELATIONS = (
    RELATION_HEAD,
    "配偶",
    "之子",
    "之女",
    "之儿媳",
    "之女婿",
    "之孙子",
    "之孙女",
    "之外孙子女",
    "之父",
    "之母",
    "之祖父母",
    "之兄弟姐妹",
    "其他",
)
# Relations whose sex is implied; a mismatch with the ID number is worth a warning.
RELATION_SEX = {"之子": "男", "之女": "女", "之儿媳": "女", "之女婿": "男", "之孙子": "男",
                "之孙女": "女", "之父": "男", "之母": "女"}

SEXES = ("男", "女")

LABOUR_ABILITIES = (
    "有劳动能力",
    "弱劳动力或半劳动力",
    "部分丧失劳动能力",
    "丧失劳动能力",
    "无劳动能力",
)

HEALTH_STATES = ("健康", "长期慢性病", "大病", "重病")

DISABILITY_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")

# 在校情况; an empty value means not in school.
SCHOOLING_STAGES = ("学前教育", "小学", "初中", "普通高中", "中职", "高职", "本科及以上", "辍学")

EMPLOYMENT_STATUSES = (
    "外出务工",
    "就近就业",
    "公益性岗位",
    "自主创业",
    "居家灵活就业",
    "产业就业",
    "务农",
    "未就业",
)

PUBLIC_WELFARE_POSTS = ("保洁", "护林员", "交通协管", "保安", "保绿", "防疫消杀", "社区巡查", "文化管理员")

HOUSING_SAFE = ("鉴定安全", "改造安全", "保障安全")
HOUSING_SAFETY = (*HOUSING_SAFE, "未鉴定", "C级危房", "D级危房")

# 饮水安全 four indicators: column name → label.
WATER_INDICATORS = {
    "water_quality_ok": "水质",
    "water_quantity_ok": "水量",
    "water_convenience_ok": "方便程度",
    "water_reliability_ok": "供水保证率",
}

VILLAGE_DESIGNATIONS = ("省级贫困村", "市级贫困村", "市级低收入村", "扶贫重点村", "非贫困村")
VILLAGE_TAGS = ("软弱涣散村", "集体经济空壳村", "艾滋病防治帮扶重点村", "美丽乡村", "红旗村", "星级村")

CADRE_ROLES = ("第一书记", "工作队员", "帮扶责任人", "村党支部书记", "村委会主任", "两委委员", "扶贫专干")

INCOME_SOURCES = {
    "wage_fen": "工资性收入",
    "operating_fen": "生产经营性收入",
    "property_fen": "财产性收入",
    "transfer_fen": "转移性收入",
}
