"""Household and member forms and the rules that need no database."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from fupin_desktop.domain import idcard, phone, vocab
from fupin_desktop.errors import FieldError, InputError


@dataclass
class MemberForm:
    """What a person types for one member; sex and birth date come from the ID number.

    `id` is the member's key when editing an existing member, None for a new one.
    """

    name: str
    id_number: str
    relation: str
    labour_ability: str | None = None
    health: str | None = None
    disability_category: str | None = None
    disability_grade: str | None = None
    schooling_stage: str | None = None
    employment_status: str | None = None
    employment_place: str | None = None
    public_welfare_post: str | None = None
    medical_insurance: bool = True
    pension_insurance: bool = False
    dibao: bool = False
    tekun: bool = False
    left_behind: bool = False
    note: str | None = None
    id: uuid.UUID | None = None


@dataclass
class HouseholdForm:
    number: str
    status: str
    group: str | None = None  # 村民组 name
    address: str | None = None
    phone: str | None = None
    attributes: list[str] = field(default_factory=list)
    identified_year: int | None = None
    exit_year: int | None = None
    main_cause: str | None = None
    secondary_causes: list[str] = field(default_factory=list)
    helper_name: str | None = None  # 帮扶责任人, by name
    housing_safety: str | None = None
    housing_checked_on: date | None = None
    water_quality_ok: bool | None = None
    water_quantity_ok: bool | None = None
    water_convenience_ok: bool | None = None
    water_reliability_ok: bool | None = None
    water_checked_on: date | None = None
    note: str | None = None


def _choice(errors: list[FieldError], value: str | None, allowed: tuple[str, ...], name: str, label: str,
            record: str = "") -> None:
    if value and value not in allowed:
        errors.append(FieldError(name, f"{label}“{value}”不在可选范围内（{'、'.join(allowed)}）", record))


def member_label(index: int, form: MemberForm) -> str:
    return f"成员{index + 1}（{form.name or '未填姓名'}）"


def check_member(form: MemberForm, *, record: str = "", today: date | None = None) -> list[FieldError]:
    """Field errors of one member: required fields, ID number, vocabularies."""
    errors: list[FieldError] = []
    if not form.name.strip():
        errors.append(FieldError("name", "姓名不能为空", record))
    elif len(form.name.strip()) > 20:
        errors.append(FieldError("name", "姓名过长（最多20个字）", record))
    elif form.name.strip()[0] in "=+-@":  # a formula pasted into the name column, not a name
        errors.append(FieldError("name", f"姓名“{form.name.strip()}”像是公式，不是姓名", record))
    try:
        info = idcard.parse(form.id_number, today=today)
    except idcard.IdNumberError as e:
        errors.append(FieldError("id_number", str(e), record))
    else:
        expected = vocab.RELATION_SEX.get(form.relation)
        if expected and expected != info.sex:
            errors.append(FieldError("id_number", f"与户主关系为“{form.relation}”，但身份证号显示性别为{info.sex}",
                                     record))
    if not form.relation:
        errors.append(FieldError("relation", "与户主关系不能为空", record))
    _choice(errors, form.relation, vocab.RELATIONS, "relation", "与户主关系", record)
    _choice(errors, form.labour_ability, vocab.LABOUR_ABILITIES, "labour_ability", "劳动能力", record)
    _choice(errors, form.health, vocab.HEALTH_STATES, "health", "健康状况", record)
    _choice(errors, form.disability_category, vocab.DISABILITY_CATEGORIES, "disability_category", "残疾类别", record)
    _choice(errors, form.disability_grade, vocab.DISABILITY_GRADES, "disability_grade", "残疾等级", record)
    _choice(errors, form.schooling_stage, vocab.SCHOOLING_STAGES, "schooling_stage", "在校情况", record)
    _choice(errors, form.employment_status, vocab.EMPLOYMENT_STATUSES, "employment_status", "务工状况", record)
    _choice(errors, form.public_welfare_post, vocab.PUBLIC_WELFARE_POSTS, "public_welfare_post", "公益岗", record)
    if form.disability_grade and not form.disability_category:
        errors.append(FieldError("disability_category", "填写了残疾等级，请同时填写残疾类别", record))
    return errors


def check_household(form: HouseholdForm) -> list[FieldError]:
    """Field errors of the household form itself."""
    errors: list[FieldError] = []
    if not form.number.strip():
        errors.append(FieldError("number", "户编号不能为空"))
    if not form.status:
        errors.append(FieldError("status", "户状态不能为空"))
    _choice(errors, form.status, vocab.HOUSEHOLD_STATUSES, "status", "户状态")
    _choice(errors, form.housing_safety, vocab.HOUSING_SAFETY, "housing_safety", "住房安全")
    if form.phone:
        try:
            phone.validate(form.phone)
        except InputError as e:
            errors.append(FieldError("phone", str(e)))
    if form.status in vocab.REGISTERED_STATUSES and not form.main_cause:
        errors.append(FieldError("main_cause", "建档立卡户须填写主要致贫原因"))
    if form.main_cause and form.main_cause in form.secondary_causes:
        errors.append(FieldError("secondary_causes", "次要致贫原因不应与主要致贫原因相同"))
    if form.exit_year and form.identified_year and form.exit_year < form.identified_year:
        errors.append(FieldError("exit_year", "脱贫年度不能早于识别年度"))
    if form.status.startswith("已脱贫") and not form.exit_year:
        errors.append(FieldError("exit_year", "已脱贫户须填写脱贫年度"))
    return errors


def check_members(members: list[MemberForm], *, today: date | None = None) -> list[FieldError]:
    """Rules across the members: at least one, exactly one 户主, no ID number twice."""
    errors: list[FieldError] = []
    for i, m in enumerate(members):
        errors += check_member(m, record=member_label(i, m), today=today)
    heads = [m for m in members if m.relation == vocab.RELATION_HEAD]
    if not members:
        errors.append(FieldError("members", "一户至少要有一名成员（户主）"))
    elif not heads:
        errors.append(FieldError("members", "没有户主：请将一名成员的“与户主关系”设为“户主”"))
    elif len(heads) > 1:
        names = "、".join(m.name for m in heads)
        errors.append(FieldError("members", f"一户只能有一名户主，现有{len(heads)}名：{names}"))
    seen: dict[str, str] = {}
    for m in members:
        number = idcard.normalize(m.id_number)
        if number and number in seen:
            errors.append(FieldError("id_number", f"身份证号 {number} 在本户重复（{seen[number]}、{m.name}）"))
        seen.setdefault(number, m.name)
    return errors


def household_name(number: str, head: str | None = None, *, brackets: bool = True) -> str:
    """How messages and titles name a household. A short number reads as an ordinal (第001户（张三明）,
    or 第001户 张三明 without brackets); a 16-digit national number does not ("第4101821042010044户"):
    then the head names the household and the number is labelled (张三明户（户编号 4101821042010044）)."""
    if len(number) <= 6:
        if not head:
            return f"第{number}户"
        return f"第{number}户（{head}）" if brackets else f"第{number}户 {head}"
    return f"{head}户（户编号 {number}）" if head else f"户编号 {number}"
