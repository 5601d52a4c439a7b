"""Chinese names of the register's fields, shared by the editor, the history and reports.

Keys are column names of the tables (household, member, household_income); the editor's form
fields use the same names, plus `group` and `helper_name`, which stand for the `group_id` and
`helper_id` columns.
"""

HOUSEHOLD = {
    "number": "户编号",
    "status": "户状态",
    "group_id": "村民组",
    "address": "住址",
    "phone": "联系电话",
    "attributes": "户属性",
    "identified_year": "识别年度",
    "exit_year": "脱贫年度",
    "main_cause": "主要致贫原因",
    "secondary_causes": "次要致贫原因",
    "helper_id": "帮扶责任人",
    "housing_safety": "住房安全",
    "housing_checked_on": "住房鉴定日期",
    "water_quality_ok": "水质",
    "water_quantity_ok": "水量",
    "water_convenience_ok": "用水方便程度",
    "water_reliability_ok": "供水保证率",
    "water_checked_on": "饮水核验日期",
    "note": "备注",
}

MEMBER = {
    "name": "姓名",
    "id_number": "身份证号",
    "relation": "与户主关系",
    "sex": "性别",
    "birth_date": "出生日期",
    "labour_ability": "劳动能力",
    "health": "健康状况",
    "disability_category": "残疾类别",
    "disability_grade": "残疾等级",
    "schooling_stage": "在校情况",
    "employment_status": "务工状况",
    "employment_place": "务工地点",
    "public_welfare_post": "公益岗",
    "medical_insurance": "医疗保险",
    "pension_insurance": "养老保险",
    "dibao": "低保",
    "tekun": "特困供养",
    "left_behind": "留守",
    "note": "备注",
}

INCOME = {
    "year": "年度",
    "persons": "计算人口",
    "wage_fen": "工资性收入",
    "operating_fen": "生产经营性收入",
    "property_fen": "财产性收入",
    "transfer_fen": "转移性收入",
    "expense_fen": "生产经营性支出",
    "note": "备注",
}

# Form fields of HouseholdForm that are not column names.
HOUSEHOLD_FORM = {**HOUSEHOLD, "group": HOUSEHOLD["group_id"], "helper_name": HOUSEHOLD["helper_id"]}

BY_TABLE = {"household": HOUSEHOLD, "member": MEMBER, "household_income": INCOME}

# What the change log's operations are called in the history.
OPERATIONS = {"insert": "新增", "update": "修改", "delete": "删除", "restore": "恢复"}
