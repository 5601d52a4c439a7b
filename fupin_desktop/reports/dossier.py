"""一户一档: the household dossier for the archive (A4 portrait, as many pages as it takes)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, PageBreak, Paragraph, Table, TableStyle

from fupin_desktop.domain.print_rows import DossierData, IncomeYear, NoticeLine, ProblemRow, VisitLine
from fupin_desktop.domain.progress import QUIET, Progress
from fupin_desktop.reports import blocks, output
from fupin_desktop.reports.fonts import HEI, SONG, markup
from fupin_desktop.reports.layout import (
    A4_LANDSCAPE,
    WIDE,
    Furniture,
    Mark,
    Styles,
    gap,
    grid,
    not_kept,
    p,
    section,
    short_day,
    styles,
    widths,
    yuan,
)

TITLE = "一户一档"
LEDGER_SIZE = 10  # points: the wide ledgers (一户一档, 走访记录, 问题整改台账), A4 landscape


def incomes_table(incomes: Sequence[IncomeYear], width: float, st: Styles) -> Flowable:
    if not incomes:
        return not_kept("本户尚未登记收入。", st)
    rows = []
    for i in incomes:
        verdict = "" if i.line_fen is None else ("达标" if i.per_capita_fen >= i.line_fen else "未达标")
        rows.append((i.year, i.persons, yuan(i.wage_fen), yuan(i.operating_fen), yuan(i.property_fen),
                     yuan(i.transfer_fen), yuan(i.expense_fen), yuan(i.net_fen), yuan(i.per_capita_fen),
                     yuan(i.line_fen), verdict))
    return grid(("年度", "人口", "工资性", "生产经营性", "财产性", "转移性", "经营支出", "纯收入", "人均纯收入",
                 "扶贫标准", "对照"), rows, widths(width, 5, 4, 8, 8.5, 7, 7.5, 7.5, 8.5, 8.5, 7.5, 5.5), st,
                align=("c", "c", "r", "r", "r", "r", "r", "r", "r", "r", "c"))


def _thumbs(photos: Sequence[bytes], width: float) -> Flowable | None:
    images = []
    for data in photos[:6]:
        try:
            img = Image(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - a damaged photo must not stop the dossier
            continue
        scale = min(30 * mm / img.imageWidth, 22 * mm / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        images.append(img)
    if not images:
        return None
    t = Table([images], colWidths=[32 * mm] * len(images), hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def visits_table(visits: Sequence[VisitLine], width: float, st: Styles, *, household: bool = False) -> Flowable:
    rows: list[list[object]] = []
    extra: list[tuple] = []
    for v in visits:
        row: list[object] = [short_day(v.visited_on)]
        if household:
            row.append(v.household)
        row += [v.visitor, v.kind, v.summary, v.problems or ""]
        rows.append(row)
        thumbs = _thumbs(v.photos, width)
        if thumbs is not None:
            rows.append([thumbs] + [""] * (len(row) - 1))
            extra.append(("SPAN", (0, len(rows)), (-1, len(rows))))
    header = ["日期", *(["农户"] if household else []), "走访人", "方式", "走访情况", "发现问题"]
    parts = [8, *([10] if household else []), 7, 7, 30, 18]
    return grid(header, rows, widths(width, *parts), st, align=["c"] * (len(header) - 2) + ["l", "l"], extra=extra)


def problems_table(problems: Sequence[ProblemRow], width: float, st: Styles) -> Flowable:
    rows = [(short_day(x.found_on), x.source, x.description, x.household or "", x.responsible or "",
             x.measure or "", short_day(x.deadline), x.status, short_day(x.closed_on)) for x in problems]
    return grid(("发现日期", "来源", "问题", "涉及农户", "责任人", "整改措施", "时限", "状态", "销号日期"), rows,
                widths(width, 8, 6, 18, 8, 6, 16, 8, 6, 8), st,
                align=("c", "c", "l", "l", "c", "l", "c", "c", "c"))


def notices_table(notices: Sequence[NoticeLine], width: float, st: Styles) -> Flowable:
    rows = [(x.title, short_day(x.posted_on), short_day(x.taken_down_on), x.content or "") for x in notices]
    return grid(("公示事项", "张贴日期", "撤下日期", "内容"), rows, widths(width, 12, 6, 6, 20), st,
                align=("l", "c", "c", "l"))


def dossier_story(data: DossierData, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(LEDGER_SIZE, fit=True)
    h = data.household
    story: list[Flowable] = [
        Paragraph(markup(f"{TITLE}", HEI), st.title),
        Paragraph(markup(f"{data.info.village}　户编号 {h.number}　户主 {h.head}"), st.subtitle),
    ]
    story += section("一、家庭基本情况", [blocks.household_fields(h, WIDE, st)], st)
    story += section("二、家庭成员", [blocks.members_table(h.members, WIDE, st, mask=data.mask_ids)], st)
    story += section("三、历年收入（元）", [incomes_table(data.incomes, WIDE, st)], st)
    if data.plans is None:
        plans: list[Flowable] = [not_kept("帮扶计划（N+2）尚未录入本系统。", st)]
    elif not data.plans:
        plans = [not_kept("本户尚无帮扶计划。", st)]
    else:
        plans = []
        for plan in data.plans:
            plans.append(p(f"{plan.year}年度　{plan.status or ''}", st.head))
            plans.append(blocks.measures_or_note(plan.measures, plan.year, WIDE, st, status=True))
            plans.append(gap(4))
    story += section("四、历年帮扶计划", plans, st)
    story += section(f"五、{data.info.printed_on.year}年度享受政策",
                     [blocks.policies_or_note(data.policies, data.info.printed_on.year, WIDE, st)], st)
    story += section("六、走访记录", [_or_note(data.visits, "走访记录", lambda r: visits_table(r, WIDE, st), st)], st)
    story += section("七、问题整改", [_or_note(data.problems, "问题整改台账",
                                              lambda r: problems_table(r, WIDE, st), st)], st)
    story += section("八、公示记录", [_or_note(data.notices, "公示记录",
                                              lambda r: notices_table(r, WIDE, st), st)], st)
    story += section("九、建档与审核", [blocks.signature_block(WIDE, st, "建档人（签字）", "审核人（签字）")], st)
    return story


def _or_note(rows: Sequence | None, what: str, render: Callable[[Sequence], Flowable], st: Styles) -> Flowable:
    if rows is None:
        return not_kept(f"{what}尚未录入本系统。", st)
    if not rows:
        return not_kept(f"暂无{what}。", st)
    return render(rows)


def write_dossiers(path: str | Path, dossiers: Sequence[DossierData], *,
                   progress: Progress = QUIET) -> Path:
    """One or many dossiers into one PDF, each household numbered from its own page 1."""
    if not dossiers:
        from fupin_desktop.errors import FupinError
        raise FupinError("没有要打印的农户。")
    st = styles(LEDGER_SIZE, fit=True)
    story: list[Flowable] = []
    for i, d in enumerate(dossiers):
        if i:
            story.append(PageBreak())
        story.append(Mark(f"户编号 {d.household.number}　户主 {d.household.head}",
                          partial(progress.step, i + 1, len(dossiers))))
        story += dossier_story(d, st)
    first = dossiers[0]
    furniture = Furniture(first.info.village, TITLE, first.info.printed_on,
                          confidential=not all(d.mask_ids for d in dossiers))
    return output.write(path, story, pagesize=A4_LANDSCAPE, furniture=furniture)
