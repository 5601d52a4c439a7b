"""Sections the platypus documents share (一户一档, 明白栏, 退出确认表): the household's fields, its members, measures,
policies, signatures; and the QR code the cards print."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable, TableStyle

from fupin_desktop.domain import idcard
from fupin_desktop.domain.print_rows import BenefitLine, CardMeasure, HouseholdSheet, PersonRow
from fupin_desktop.reports.fonts import SONG
from fupin_desktop.reports.layout import Styles, Table, grid, label_grid, not_kept, p, short_day, widths, yuan

FAMILY_NAMES = {"转": "转移就业", "扶": "产业扶持", "搬": "易地搬迁", "保": "社会保障", "救": "临时救助"}


def household_fields(h: HouseholdSheet, width: float, st: Styles) -> Table:
    years = f"{h.identified_year}年" if h.identified_year else "—"
    causes = h.main_cause or "—"
    if h.secondary_causes:
        causes += f"（其他：{'、'.join(h.secondary_causes)}）"
    helper = h.helper.name if h.helper else "未确定"
    pairs = [
        ("户编号", h.number), ("户主", h.head), ("户类型", h.status),
        ("村民组", h.group or "—"), ("家庭人口", f"{len(h.members)}人"), ("联系电话", h.phone or "无"),
        ("识别年度", years), ("脱贫年度", f"{h.exit_year}年" if h.exit_year else "—"), ("帮扶责任人", helper),
        ("*户属性", "、".join(h.attributes) or "—"),
        ("*致贫原因", causes),
        ("住房安全", h.housing_safety or "未鉴定"), ("饮水安全", h.water or "未核查"),
        ("医疗保险", insured(h.members)),
    ]
    if h.address:
        pairs.insert(9, ("*家庭住址", h.address))
    return label_grid(pairs, width, st)


def insured(members: Sequence[PersonRow]) -> str:
    missing = [m.name for m in members if not m.medical_insurance]
    return "全员参保" if not missing else f"{'、'.join(missing)}未参保"


def member_status(m: PersonRow) -> str:
    """School or work, in a few words."""
    parts = [m.schooling] if m.schooling else []
    if m.employment:
        parts.append(m.employment)
    if m.welfare_post:
        parts.append(f"公益岗（{m.welfare_post}）")
    return "；".join(parts)


def member_benefits(m: PersonRow) -> str:
    parts = []
    if m.dibao:
        parts.append("低保")
    if m.tekun:
        parts.append("特困")
    if m.disability:
        parts.append(f"残疾（{m.disability}）")
    return "、".join(parts)


def members_table(members: Sequence[PersonRow], width: float, st: Styles, *, mask: bool = True) -> Flowable:
    if not members:
        return not_kept("本户未登记家庭成员。", st)
    rows = [(i, *row) for i, row in enumerate(member_rows(members, mask=mask), 1)]
    relation = "与户主关系" if st.dense else "与户主\n关系"
    return grid(("序号", "姓名", relation, "性别", "年龄", "身份证号", "劳动能力", "健康状况", "在校/就业",
                 "低保/特困/残疾"), rows,
                widths(width, 3.9, 7.4, 7.2, 3.9, 3.9, 13.4, 8.4, 6.5, 12.8, 8.6), st,
                align=("c", "l", "c", "c", "c", "c", "l", "c", "l", "l"))


def member_rows(members: Sequence[PersonRow], *, mask: bool = True) -> list[tuple[object, ...]]:
    """姓名, 与户主关系, 性别, 年龄, 身份证号 (masked unless `mask` is False), 劳动能力, 健康状况, 在校/就业,
    低保/特困/残疾."""
    return [(m.name, m.relation, m.sex, m.age, idcard.mask(m.id_number) if mask else m.id_number,
             m.labour_ability or "", m.health or "", member_status(m), member_benefits(m)) for m in members]


def measures_table(measures: Sequence[CardMeasure], width: float, st: Styles, *, status: bool = False) -> Flowable:
    rows = []
    for m in measures:
        row = [FAMILY_NAMES.get(m.family, m.family), m.type, m.content, m.target, m.responsible or "",
               short_day(m.deadline), yuan(m.amount_fen)]
        if status:
            row.append(m.status or "")
        rows.append(row)
    header = ["类别", "措施", "帮扶内容", "对象", "责任人", "完成时限", "金额（元）"]
    parts = [6.5, 8.5, 22, 6, 7, 8.5, 7.5]
    align = ["c", "l", "l", "c", "c", "c", "r"]
    if status:
        header.append("进度")
        parts.append(6)
        align.append("c")
    total = sum(m.amount_fen or 0 for m in measures if not m.loan)  # a loan's principal is owed, not received
    if total:
        label = "合计（不含小额信贷本金）" if any(m.loan and m.amount_fen for m in measures) else "合计"
        rows.append([label, "", "", "", "", "", yuan(total)] + ([""] if status else []))
    extra = [("SPAN", (0, len(rows)), (5, len(rows)))] if total else []
    return grid(header, rows, widths(width, *parts), st, align=align, extra=extra)


def policies_table(policies: Sequence[BenefitLine], width: float, st: Styles) -> Flowable:
    rows = [(x.name, x.beneficiary, yuan(x.amount_fen), short_day(x.received_on), x.note or "") for x in policies]
    total = sum(x.amount_fen or 0 for x in policies)
    extra = []
    if total:
        rows.append(("合计", "", yuan(total), "", ""))
        extra = [("SPAN", (0, len(rows)), (1, len(rows)))]
    return grid(("政策名称", "享受对象", "金额（元）", "发放日期", "备注"), rows, widths(width, 10, 7, 6, 6, 12), st,
                align=("l", "c", "r", "c", "l"), extra=extra)


def measures_or_note(measures: Sequence[CardMeasure] | None, year: int, width: float, st: Styles,
                     *, status: bool = False) -> Flowable:
    if measures is None:
        return not_kept(f"{year}年度帮扶计划（N+2）尚未录入本系统。", st)
    if not measures:
        return not_kept(f"{year}年度帮扶计划中暂无帮扶措施。", st)
    return measures_table(measures, width, st, status=status)


def policies_or_note(policies: Sequence[BenefitLine] | None, year: int, width: float, st: Styles) -> Flowable:
    if policies is None:
        return not_kept(f"{year}年度享受政策情况尚未录入本系统。", st)
    if not policies:
        return not_kept(f"{year}年度暂无享受政策记录。", st)
    return policies_table(policies, width, st)


class QrFlowable(Flowable):
    """A QR code `size` points square, drawn as one path (with a quiet zone of 2 modules).

    The mask pattern is fixed instead of chosen by trying all eight: a valid code either way, and
    ten times faster, which matters for a batch of 500 cards.
    """

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(payload)
        qr.version = qr.calculate_version()
        qr.makeImpl(False, 2)
        self.modules = qr.modules
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        n = len(self.modules)
        box = self.width / (n + 4)
        path = self.canv.beginPath()
        for r, row in enumerate(self.modules):
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    path.rect((c + 2) * box, self.height - (r + 3) * box, count * box, box * 1.02)
                c += count
        self.canv.drawPath(path, stroke=0, fill=1)


def signature_block(width: float, st: Styles, left: str, right: str) -> Table:
    line = "________________"
    date_line = "______年____月____日"
    t = Table([[p(f"{left}：{line}", st.body), p(f"{right}：{line}", st.body)],
               [p(f"日期：{date_line}", st.body), p(f"日期：{date_line}", st.body)]],
              colWidths=[width / 2, width / 2], hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("TOPPADDING", (0, 0), (-1, -1), 5),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t
