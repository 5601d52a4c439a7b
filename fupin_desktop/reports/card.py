"""明白卡: the household assistance card for the household's wall (A4 portrait, one page as a rule),
and the N+2 plan sheet for signing, which shares its sections.

Drawn with reports/sheet.py (straight on the canvas, the shared parts as form XObjects): a batch of
500 cards takes about as long as drawing their text by hand. A card is set in the largest type that
fits one page, and the room left over is shared between its sections; a household too big for
that flows onto more pages. A plan sheet of a plan not yet approved, or one that fails the N+2
rules, says so across every page: nobody should sign it believing it is in force.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fupin_desktop.domain.money import rate
from fupin_desktop.domain.money import yuan_brief as yuan
from fupin_desktop.domain.print_rows import (
    MEASURE_OVERDUE,
    UNAPPROVED_PLAN,
    CardData,
    CardMeasure,
    ContactRow,
    unit_and_post,
)
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.errors import FupinError
from fupin_desktop.reports import blocks, fonts, sheet
from fupin_desktop.reports.fonts import HEI, SONG
from fupin_desktop.reports.layout import A4_PORTRAIT, HEAD_BG, MARGINS, NOTE_INK, RED, RULE, day, short_day
from fupin_desktop.reports.sheet import Item, PrintColumn, Style
from fupin_desktop.safe_files import write_atomically

TITLE = "帮扶明白卡"
PLAN_TITLE = "帮扶计划（N+2）确认表"
PAGE_W, PAGE_H = A4_PORTRAIT
LEFT = MARGINS["leftMargin"]
FRAME = PAGE_W - LEFT - MARGINS["rightMargin"]
TOP = PAGE_H - 14 * mm  # the frame, between the header rule (9.5 mm + 2.5 pt) and the footer rule
BOTTOM = 13 * mm
ROOM = TOP - BOTTOM
CARD_SIZES = (12.0, 11.5, 11.0, 10.5, 10.0)  # points: the largest that fits one side (9 pt was too small)
SIDES_SIZES = (13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0)  # on both sides of the sheet: the room allows more
FLOW_SIZE = 10.5  # a household too big for one sheet
WATERMARK = colors.HexColor("#f2caca")


# -- the tables of a card, their widths fixed per type size ----------------------------------------

MEMBERS = (PrintColumn("姓名", "c", fits="欧阳娜娜"), PrintColumn("与户主\n关系", "c"), PrintColumn("性别", "c"),
           PrintColumn("年龄", "c"), PrintColumn("身份证号", "c", fits="410182********0031"),
           PrintColumn("劳动能力", fits="丧失劳动能力", grow=0.5), PrintColumn("健康状况", grow=0.3),
           PrintColumn("在校/\n就业", grow=2), PrintColumn("低保/特困/\n残疾", grow=1))
INCOMES = (PrintColumn("年度", "c", fits="2026年"), PrintColumn("家庭人口", "c", fits="12人"),
           PrintColumn("家庭纯收入\n（元）", "r", fits="123,456.78"),
           PrintColumn("人均纯收入\n（元）", "r", fits="123,456.78"),
           PrintColumn("扶贫标准\n（元）", "r", fits="4,000.00"), PrintColumn("对照", "c", grow=1))
MEASURES = (PrintColumn("措施", fits="基本养老金领取", grow=0.5), PrintColumn("帮扶内容", grow=3),
            PrintColumn("对象", "c", fits="李文彬"), PrintColumn("责任人", "c", fits="张帮扶"),
            PrintColumn("完成时限", "c", fits="2026-12-31"), PrintColumn("金额\n（元）", "r", fits="123,456"),
            PrintColumn("进度", "c", fits="落实中"))
POLICIES = (PrintColumn("政策名称", grow=1.5), PrintColumn("享受对象", "c", fits="全户"),
            PrintColumn("金额（元）", "r", fits="12,345.67"), PrintColumn("发放日期", "c", fits="2026-12-31"),
            PrintColumn("备注", grow=2))
LOANS = (PrintColumn("借款人", "c", fits="张三"), PrintColumn("银行", grow=1),
         PrintColumn("本金（元）", "r", fits="50,000"), PrintColumn("放贷日期", "c", fits="2026-12-31"),
         PrintColumn("到期日期", "c", fits="2026-12-31"), PrintColumn("年利率", "c", fits="4.35%"),
         PrintColumn("财政贴息", "c", fits="全额贴息"))
CONTACTS = (PrintColumn("职责", "c", fits="村党支部书记"), PrintColumn("姓名", "c", fits="欧阳娜娜"),
            PrintColumn("单位及职务", grow=1), PrintColumn("联系电话", "c", fits="13800000000"))


class _Kit:
    """Styles and tables at one type size (made once per size for a whole batch)."""

    def __init__(self, size: float) -> None:
        self.size = size
        self.body = Style(size)
        self.bold = Style(size, HEI)
        self.note = Style(size * 0.95, color=NOTE_INK)
        self.heading = Style(size * 1.15, HEI)
        self.tables = {name: sheet.fit_columns(name, cols, FRAME, self.body, self.bold) for name, cols in (
            ("incomes", INCOMES), ("measures", MEASURES), ("policies", POLICIES), ("loans", LOANS),
            ("contacts", CONTACTS))}
        # nine columns: a point smaller than the rest, so that names and words stay whole
        small = size * 0.9
        self.tables["members"] = sheet.fit_columns("members", MEMBERS, FRAME, Style(small), Style(small, HEI))
        self.label_w = sheet.width("帮扶责任人", HEI, size) + 2 * sheet.PAD_X + 1


_KITS: dict[float, _Kit] = {}


def _kit(size: float) -> _Kit:
    kit = _KITS.get(size)
    if kit is None:
        fonts.register()
        kit = _KITS[size] = _Kit(size)
    return kit


# -- sections -------------------------------------------------------------------------------------

def _heading(title: str, k: _Kit) -> list[Item]:
    h = sheet.text(title, k.heading, FRAME)
    return [sheet.gap(k.size * 0.3, stretch=True), Item(h.height + k.size * 0.25, h.paint, keep=True)]


def _note(text: str, k: _Kit) -> Item:
    return sheet.text(text, k.note, FRAME)


def _pairs(pairs: Sequence[tuple[str, str]], k: _Kit) -> list[Item]:
    """Label/value pairs three to a row (label cells grey); a label starting with "*" takes its row."""
    label_w = k.label_w
    # the first value column holds a whole household number; the other two share the rest
    first = max((FRAME - 3 * label_w) / 3, sheet.width(pairs[0][1], SONG, k.size) + 2 * sheet.PAD_X + 1)
    value_w = (FRAME - 3 * label_w - first) / 2
    rows: list[tuple[bool, list[tuple[str, str]]]] = []  # (takes its row, pairs)
    for label, value in pairs:
        if label.startswith("*"):
            rows.append((True, [(label[1:], value)]))
        elif rows and not rows[-1][0] and len(rows[-1][1]) < 3:
            rows[-1][1].append((label, value))
        else:
            rows.append((False, [(label, value)]))
    items = []
    for wide, row in rows:
        widths = [label_w, FRAME - label_w] if wide else [label_w, first, label_w, value_w, label_w, value_w]
        cells = []
        for i, (label, value) in enumerate(row):
            cells.append((sheet.wrap(label, HEI, k.size, widths[2 * i] - 2 * sheet.PAD_X), True))
            cells.append((sheet.wrap(value or "", SONG, k.size, widths[2 * i + 1] - 2 * sheet.PAD_X), False))
        while len(cells) < len(widths):
            cells.append(((), False))
        n = max(len(lines) for lines, _ in cells)
        h = (n - 1) * k.body.lead + k.size * 1.2 + 3.2
        items.append(Item(h, _pairs_painter(cells, widths, h, k)))
    return items


def _pairs_painter(cells: list[tuple[tuple[str, ...], bool]], widths: list[float], h: float,
                   k: _Kit) -> Callable[[Canvas, float, float], None]:
    def paint(c: Canvas, x: float, top: float) -> None:
        y = top - h
        c.setFillColor(HEAD_BG)
        pos = x
        for (_lines, label), w in zip(cells, widths, strict=True):
            if label:
                c.rect(pos, y, w, h, stroke=0, fill=1)
            pos += w
        pos = x
        c.setFillColor(sheet.INK)
        for (lines, label), w in zip(cells, widths, strict=True):
            font = HEI if label else SONG
            block = (len(lines) - 1) * k.body.lead + k.size
            first = y + h / 2 + block / 2 - k.size * 0.88
            for i, line in enumerate(lines):
                sheet._aligned(c, pos + sheet.PAD_X, w - 2 * sheet.PAD_X, first - i * k.body.lead, line, font,
                               k.size, "c" if label else "l")
            pos += w
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        edges = [(x, y, x + FRAME, y), (x, y + h, x + FRAME, y + h)]
        pos = x
        for w in [0.0, *widths]:
            pos += w
            edges.append((pos, y, pos, y + h))
        c.lines(edges)

    return paint


def _household(data: CardData, k: _Kit) -> list[Item]:
    h = data.household
    causes = h.main_cause or "—"
    if h.secondary_causes:
        causes += f"（其他：{'、'.join(h.secondary_causes)}）"
    pairs = [
        ("户编号", h.number), ("户主", h.head), ("户类型", h.status),
        ("村民组", h.group or "—"), ("家庭人口", f"{len(h.members)}人"), ("联系电话", h.phone or "无"),
        ("识别年度", f"{h.identified_year}年" if h.identified_year else "—"),
        ("脱贫年度", f"{h.exit_year}年" if h.exit_year else "—"),
        ("帮扶责任人", h.helper.name if h.helper else "未确定"),
        ("住房安全", h.housing_safety or "未鉴定"), ("饮水安全", h.water or "未核查"),
        ("医疗保险", blocks.insured(h.members)),
        ("*户属性", "、".join(h.attributes) or "—"), ("*致贫原因", causes),
    ]
    if h.address:
        pairs.append(("*家庭住址", h.address))
    return _pairs(pairs, k)


def _members(data: CardData, k: _Kit) -> list[Item]:
    members = data.household.members
    if not members:
        return [_note("本户未登记家庭成员。", k)]
    return sheet.table_items(k.tables["members"], blocks.member_rows(members))


def _incomes(data: CardData, k: _Kit) -> list[Item]:
    rows: list[tuple[str, ...]] = []
    marks: list[str | None] = []  # a row's colour: red below the poverty line
    for i in data.incomes:
        if i.per_capita_fen is None:
            rows.append((f"{i.year}年", "", "", "", yuan(i.line_fen), "尚未核算"))
            marks.append(None)
            continue
        below = i.line_fen is not None and i.per_capita_fen < i.line_fen
        verdict = "未配置扶贫标准" if i.line_fen is None else ("低于扶贫标准" if below else "高于扶贫标准")
        rows.append((f"{i.year}年", f"{i.persons}人", yuan(i.net_fen), yuan(i.per_capita_fen), yuan(i.line_fen),
                     verdict))
        marks.append("#b01c1c" if below else None)
    if not rows:
        return [_note(f"{data.year - 1}年、{data.year}年家庭收入尚未核算。", k)]
    items = sheet.table_items(k.tables["incomes"], rows, marks=marks)
    carried = sorted({i.line_year for i in data.incomes if i.line_year is not None and i.line_year != i.year})
    if carried:
        items.append(_note(f"扶贫标准：当年未另定的，用{carried[-1]}年的标准"
                           "（本村适用的最具体一级：县、市、省、全国）。", k))
    return items


def _measures(data: CardData, k: _Kit) -> list[Item]:
    if data.measures is None:
        return [_note(f"{data.year}年度帮扶计划（N+2）尚未录入本系统。", k)]
    if not data.measures:
        return [_note(f"{data.year}年度帮扶计划中暂无帮扶措施。", k)]
    rows = [measure_row(m) for m in data.measures]
    marks = ["#b01c1c" if m.status == MEASURE_OVERDUE else None for m in data.measures]
    received = sum(m.amount_fen or 0 for m in data.measures if not m.loan)
    loans = sum(m.amount_fen or 0 for m in data.measures if m.loan)
    total = None
    if received:
        label = "合计（不含小额信贷本金）" if loans else "合计"
        total = (label, "", "", "", "", yuan(received), "")
    items = sheet.table_items(k.tables["measures"], rows, total_row=total, marks=marks)
    if loans:
        items.append(_note(f"扶贫小额信贷{yuan(loans)}元是贷款本金，须按期归还，不计入帮扶资金。", k))
    return items


def measure_row(m: CardMeasure) -> tuple[str, ...]:
    return (m.type, m.content, m.target, m.responsible or "", short_day(m.deadline), yuan(m.amount_fen),
            m.status or "")


def _policies(data: CardData, k: _Kit) -> list[Item]:
    if data.policies is None:
        return [_note(f"{data.year}年度享受政策情况尚未录入本系统。", k)]
    items: list[Item] = []
    if not data.policies:
        items.append(_note(f"{data.year}年度暂无享受政策记录。", k))
    else:
        rows = [(x.name, x.beneficiary, yuan(x.amount_fen), short_day(x.received_on), x.note or "")
                for x in data.policies]
        total = sum(x.amount_fen or 0 for x in data.policies)
        items += sheet.table_items(k.tables["policies"], rows,
                                   total_row=("合计", "", yuan(total), "", "") if total else None)
    if data.loans:  # owed, not received: kept out of the policies so the card does not count it as help
        items.append(sheet.gap(k.size * 0.4))
        caption = sheet.text("扶贫小额信贷（须按期归还，本金不计入享受政策）", k.bold, FRAME)
        items.append(Item(caption.height + 2, caption.paint, keep=True))
        loans = [(x.borrower, x.bank, yuan(x.amount_fen), short_day(x.lent_on), short_day(x.due_on),
                  rate(x.rate_bp), "全额贴息" if x.subsidy_bp >= x.rate_bp else f"贴息{rate(x.subsidy_bp)}")
                 for x in data.loans]
        items += sheet.table_items(k.tables["loans"], loans)
    return items


def _contacts(data: CardData, k: _Kit) -> list[Item]:
    """The 帮扶责任人 and the 第一书记 with unit and post; the rest of the team by name and phone, in a line."""
    h = data.household
    people: list[ContactRow] = ([h.helper] if h.helper else []) + list(data.team)
    first = [c for c in people if c.role in ("帮扶责任人", "第一书记")]
    rest = [c for c in people if c not in first]
    items: list[Item] = []
    if first:
        items += sheet.table_items(k.tables["contacts"], [
            (c.role, c.name, unit_and_post(c.unit, c.position), c.phone or "无") for c in first])
    if rest:
        roles: dict[str, list[str]] = {}
        for c in rest:
            roles.setdefault(c.role, []).append(f"{c.name} {c.phone or '（无电话）'}")
        items.append(sheet.gap(2))
        items.append(sheet.text("　".join(f"{role}：{'，'.join(v)}" for role, v in roles.items()), k.body, FRAME))
    if not people:
        items.append(_note("帮扶责任人和驻村工作队尚未确定。", k))
    if data.hotlines:
        items.append(sheet.gap(2))
        items.append(sheet.text("　　".join(f"{label}：{number}" for label, number in data.hotlines), k.body, FRAME))
    return items


def _signatures(k: _Kit, left: str, right: str) -> Item:
    half = FRAME / 2
    blank = sheet.width("_", SONG, k.size)

    def line(label: str) -> str:  # the label and a line to sign on, filling its half of the width
        return f"{label}：" + "_" * max(6, int((half - 12 - sheet.width(label + "：", SONG, k.size)) / blank))

    cells = [line(left), line(right), "日期：______年____月____日", "日期：______年____月____日"]
    wrapped = [sheet.wrap(t, SONG, k.size, half - 6) for t in cells]
    first = max(len(wrapped[0]), len(wrapped[1]))
    lead = k.size * 1.8

    def paint(c: Canvas, x: float, top: float) -> None:
        c.setFillColor(sheet.INK)
        for i, lines in enumerate(wrapped):
            row = 0 if i < 2 else first
            for j, text in enumerate(lines):
                sheet.draw_line(c, x + (i % 2) * half, top - k.size - (row + j) * lead, text, SONG, k.size)

    return Item((first + 1) * lead + k.size * 0.4, paint)


def _title(title: str, data: CardData, k: _Kit) -> Item:
    """Title and subtitle (one form for the batch), the QR code and the household number (per card)."""
    subtitle = f"{data.info.village}　{data.year}年度"
    form = f"title:{title}:{subtitle}"
    qr = 18 * mm
    height = 20 * mm
    payload = qr_payload(data)
    number = data.household.number

    def heading(c: Canvas) -> None:
        c.setFillColor(sheet.INK)
        fonts.draw_text(c, PAGE_W / 2, TOP - 9 * mm, title, HEI, 22, anchor="center")
        c.setFillColor(NOTE_INK)
        fonts.draw_text(c, PAGE_W / 2, TOP - 15.5 * mm, subtitle, SONG, 11, anchor="center")

    def paint(c: Canvas, x: float, top: float) -> None:
        sheet.place_form(c, form, heading, 0, top - TOP)
        code = blocks.QrFlowable(payload, qr)
        code.canv = c
        c.saveState()
        c.translate(x + FRAME - qr, top - qr)
        code.draw()
        c.restoreState()
        c.setFillColor(NOTE_INK)
        fonts.draw_text(c, x + FRAME - qr / 2, top - qr - 7, number, SONG, 7, anchor="center")

    return Item(height, paint)


def qr_payload(data: CardData) -> str:
    """What the QR code holds: village code and household number (nothing personal)."""
    return f"FUPIN:{data.info.village_code}:{data.household.number}"


def card_items(data: CardData, k: _Kit) -> list[list[Item]]:
    """The card's sections (the title goes with the first): a sheet's front and back are cut between two."""
    y = data.year
    sections = [[_title(TITLE, data, k)]]
    for title, body in (("一、家庭基本情况", _household(data, k)), ("二、家庭成员", _members(data, k)),
                        (f"三、家庭收入（{y - 1}年、{y}年）", _incomes(data, k)),
                        (f"四、{y}年度帮扶措施", _measures(data, k)), (f"五、{y}年度享受政策", _policies(data, k)),
                        ("六、帮扶责任人、驻村工作队和监督电话", _contacts(data, k))):
        sections.append(_heading(title, k) + body)
    sentence = sheet.text("以上家庭情况、收入、帮扶措施和享受政策，经户主与帮扶责任人共同核实，认定属实。", k.body,
                          FRAME)
    sentence.keep = True
    glue = sheet.gap(2)
    glue.keep = True
    sections.append(_heading("七、双认定", k) +
                    [sentence, glue, _signatures(k, "户主（签字或按手印）", "帮扶责任人（签字）")])
    first = sections.pop(0)
    sections[0][:0] = first
    return sections


def plan_warnings(data: CardData) -> tuple[str, ...]:
    """Why a plan sheet must not be signed as it is: a draft, or rule errors (the watermark's words)."""
    out = []
    if data.plan_status in UNAPPROVED_PLAN:
        out.append("草稿" if data.plan_status == "草稿" else "未审核")
    if data.plan_errors:
        out.append("未通过检查")
    return tuple(out)


def plan_items(data: CardData, k: _Kit) -> list[list[Item]]:
    items = [_title(PLAN_TITLE, data, k)]
    if plan_warnings(data):
        lines = [f"本计划为{data.plan_status}，尚未审核批准，不能作为签字确认的依据。"] \
            if data.plan_status in UNAPPROVED_PLAN else []
        if data.plan_errors:
            lines.append(f"本计划未通过N+2规则检查（{len(data.plan_errors)}项错误），改正并审核后再签字：")
            lines += [f"{i}. {m}" for i, m in enumerate(data.plan_errors, 1)]
        for i, line in enumerate(lines):
            items.append(sheet.text(line, Style(k.size, HEI, color=RED) if i == 0 else Style(k.size * 0.95, color=RED),
                                    FRAME))
    sections = [items]
    y = data.year
    for title, body in (("一、家庭基本情况", _household(data, k)), ("二、家庭成员", _members(data, k)),
                        (f"三、{y}年度帮扶措施（N+2）", _measures(data, k))):
        sections.append(_heading(title, k) + body)
    sentence = sheet.text("本户已知悉上述帮扶措施的内容、责任人、完成时限和资金，同意按计划实施。", k.body, FRAME)
    sentence.keep = True
    glue = sheet.gap(2)
    glue.keep = True
    first = _signatures(k, "户主（签字或按手印）", "帮扶责任人（签字）")
    first.keep = True
    sections.append(_heading("四、确认", k) + [sentence, glue, first,
                                              _signatures(k, "驻村第一书记（签字）", "村委会（盖章）")])
    return sections


def _fitted(data: CardData, make: Callable[[CardData, _Kit], list[list[Item]]]) -> list[list[tuple[Item, float]]]:
    """The pages of one card: on one side of the sheet in the largest type that fits; else on its front
    and back, cut between two sections where the sides come out most even, in the largest type that
    fits so; else flowing on in ordinary type. The room left on a side is shared between its sections
    rather than left blank at the bottom. Heights grow about in proportion to the type size: sizes
    clearly too large for the height measured at the first are not laid out at all."""
    first = make(data, _kit(CARD_SIZES[0]))
    height = sum(item.height for part in first for item in part)
    guess = CARD_SIZES[0] * ROOM / height * 1.1
    for size in CARD_SIZES:
        if size > guess:
            continue
        sections = first if size == CARD_SIZES[0] else make(data, _kit(size))
        whole = [item for part in sections for item in part]
        if sum(item.height for item in whole) > ROOM * 1.02:
            continue  # too tall even before breaking it into pages
        pages = sheet.paginate(whole, ROOM)
        if len(pages) == 1:
            return [sheet.spread(pages[0], ROOM, size * 4)]
    guess *= 2
    for size in SIDES_SIZES:
        if size > guess:
            continue
        sections = first if size == CARD_SIZES[0] else make(data, _kit(size))
        best = None
        for cut in range(1, len(sections)):
            sides = [sheet.paginate([i for part in half for i in part], ROOM)
                     for half in (sections[:cut], sections[cut:])]
            if all(len(side) == 1 for side in sides):
                heights = [side[0][-1][1] + side[0][-1][0].height for side in sides]
                if best is None or max(heights) < best[0]:
                    best = (max(heights), sides)
        if best is not None:
            return [sheet.spread(side[0], ROOM, size * 4) for side in best[1]]
    return sheet.paginate([item for part in make(data, _kit(FLOW_SIZE)) for item in part], ROOM)


# -- the document ---------------------------------------------------------------------------------

def _furniture(c: Canvas, data: CardData, title: str) -> None:
    """What every page shares (one form for the document)."""
    def draw(c: Canvas) -> None:
        right = PAGE_W - LEFT
        top = PAGE_H - 9.5 * mm
        c.setFillColor(NOTE_INK)
        fonts.draw_text(c, LEFT, top, f"{data.info.village}　{title}", SONG, 8.5)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(LEFT, top - 2.5, right, top - 2.5)
        c.line(LEFT, 7.5 * mm + 9, right, 7.5 * mm + 9)
        fonts.draw_text(c, LEFT, 7.5 * mm, f"打印日期：{day(data.info.printed_on)}", SONG, 8.5)

    sheet.place_form(c, f"furniture:{title}:{data.info.village}:{data.info.printed_on}", draw)


def _watermark(c: Canvas, words: Sequence[str]) -> None:
    def draw(c: Canvas) -> None:
        c.saveState()
        c.setFillColor(WATERMARK)  # pale instead of transparent: it is drawn first, under the page
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(35)
        text = " ".join(words)
        size = min(110, 0.85 * PAGE_W / (0.82 * sheet.width(text, HEI, 1)))  # across the page at 35°
        fonts.draw_text(c, 0, -size / 3, text, HEI, size, anchor="center")
        c.restoreState()

    sheet.place_form(c, "watermark:" + " ".join(words), draw)


def household_label(data: CardData) -> str:
    return f"户编号 {data.household.number}　户主 {data.household.head}"


def _render(target: str | Path | BinaryIO, cards: Sequence[CardData], *, plan: bool,
            progress: Progress = QUIET, title: str | None = None) -> None:
    title = title or (PLAN_TITLE if plan else TITLE)
    first = cards[0]
    fonts.register()
    c = Canvas(str(target) if isinstance(target, str | Path) else target, pagesize=A4_PORTRAIT,
               initialFontName=SONG, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(first.info.village)
    c.setCreator("扶贫工作队桌面助手")
    make = plan_items if plan else card_items
    total = len(cards)
    for n, data in enumerate(cards, 1):
        pages = _fitted(data, make)
        words = plan_warnings(data) if plan else ()
        label = household_label(data)
        for number, page in enumerate(pages, 1):
            if words:  # across the page, and in words in its header (where text extraction finds them)
                _watermark(c, words)
                c.setFillColor(RED)
                fonts.draw_text(c, PAGE_W / 2, PAGE_H - 9.5 * mm, f"【{'·'.join(words)}：不能签字】", HEI, 9,
                                anchor="center")
            _furniture(c, data, title)
            c.setFillColor(NOTE_INK)
            fonts.draw_text(c, PAGE_W - LEFT, PAGE_H - 9.5 * mm, label, SONG, 8.5, anchor="right")
            fonts.draw_text(c, PAGE_W / 2, 7.5 * mm, f"第 {number} 页 共 {len(pages)} 页", SONG, 8.5, anchor="center")
            for item, y in page:
                item.paint(c, LEFT, TOP - y)
            c.showPage()
        progress.step(n, total)
    c.save()


def write_cards(path: str | Path, cards: Sequence[CardData], *, progress: Progress = QUIET,
                plan: bool = False) -> Path:
    """All cards (or plan sheets) into one PDF, each household numbered from its own page 1.

    `progress` steps as each household is drawn; a cancel (Cancelled) stops the batch and leaves
    no file.
    """
    if not cards:
        raise FupinError("没有要打印的农户。")

    def render(temp: Path) -> None:
        with temp.open("wb") as f:
            _render(f, cards, plan=plan, progress=progress)

    return write_atomically(Path(path), render, opened_in=" PDF 阅读器")


def card_bytes(data: CardData, *, plan: bool = False) -> bytes:
    buffer = io.BytesIO()
    _render(buffer, [data], plan=plan)
    return buffer.getvalue()


def card_file_name(data: CardData, *, plan: bool = False) -> str:
    """明白卡_0012_张三.pdf (characters Windows forbids replaced)."""
    name = f"{PLAN_TITLE if plan else '明白卡'}_{data.household.number}_{data.household.head}.pdf"
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)


def write_cards_to_folder(folder: str | Path, cards: Sequence[CardData], *, progress: Progress = QUIET,
                          plan: bool = False) -> list[Path]:
    """One PDF per household in `folder`; each file is complete or absent. Returns the files written.

    A cancel (Cancelled from `progress`) keeps the files finished so far.
    """
    folder = Path(folder)
    written = []
    for i, data in enumerate(cards):
        written.append(write_cards(folder / card_file_name(data, plan=plan), [data], plan=plan))
        progress.step(i + 1, len(cards))
    return written
