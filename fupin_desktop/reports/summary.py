"""Village statistics, the 五最低 monitoring register, the visit log and the problem ledger."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from fupin_desktop.domain.monitoring import FIVE_LOWEST
from fupin_desktop.domain.print_rows import CountRow, ListDocument, MonitoringData, SummaryData
from fupin_desktop.reports import output
from fupin_desktop.reports.card import FRAME
from fupin_desktop.reports.dossier import LEDGER_SIZE, problems_table, visits_table
from fupin_desktop.reports.fonts import HEI, SONG, markup
from fupin_desktop.reports.layout import (
    A4_LANDSCAPE,
    A4_PORTRAIT,
    WIDE,
    Furniture,
    Mark,
    Styles,
    grid,
    label_grid,
    not_kept,
    section,
    styles,
    widths,
    yuan,
)

SUMMARY_TITLE = "脱贫攻坚工作统计表"
MONITORING_TITLE = "防返贫监测“五最低”农户名册"


def bar_chart(rows: Sequence[CountRow], width: float, *, unit: str = "户") -> Drawing:
    """Horizontal bars, one per row, labelled in Chinese with the count at the end."""
    rows = [r for r in rows if r.households] or list(rows[:1])
    bar = 5.2 * mm
    height = bar * len(rows) + 10 * mm
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 32 * mm, 5 * mm
    chart.width, chart.height = width - 52 * mm, bar * len(rows)
    chart.data = [[r.households for r in reversed(rows)]]
    chart.categoryAxis.categoryNames = [r.label for r in reversed(rows)]
    chart.categoryAxis.labels.fontName = SONG
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.labels.fontName = SONG
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visible = False
    chart.bars[0].fillColor = colors.HexColor("#7a8fa6")
    chart.bars[0].strokeColor = None
    chart.barWidth = bar * 0.7
    chart.groupSpacing = bar * 0.3
    d.add(chart)
    top = max(r.households for r in rows) or 1
    for i, r in enumerate(reversed(rows)):
        x = chart.x + chart.width * r.households / top + 2
        y = chart.y + bar * i + bar / 2 - 3
        d.add(String(x, y, f"{r.households}{unit}", fontName=SONG, fontSize=8))
    return d


def _side_by_side(left: Flowable, right: Flowable, st: Styles) -> Table:
    t = Table([[left, right]], colWidths=[FRAME * 0.48, FRAME * 0.52], hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def summary_story(data: SummaryData, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(9.5)
    story: list[Flowable] = [Paragraph(markup(f"{data.info.village}{SUMMARY_TITLE}", HEI), st.title),
                             Paragraph(markup(f"统计日期：{data.info.printed_on.isoformat()}"), st.subtitle)]
    status = {r.label: r for r in data.by_status}
    registered = [r for r in data.by_status if r.label.startswith(("未脱贫", "已脱贫"))]
    monitored = [r for r in data.by_status if r.label in ("监测户", "边缘户")]
    pairs = [("总户数", f"{data.households}户"), ("总人口", f"{data.members}人"),
             ("建档立卡", f"{sum(r.households for r in registered)}户 {sum(r.members for r in registered)}人"),
             ("未脱贫", f"{status['未脱贫'].households}户" if "未脱贫" in status else "0户"),
             ("监测对象", f"{sum(r.households for r in monitored)}户 {sum(r.members for r in monitored)}人"),
             ("一般农户", f"{status['一般农户'].households}户" if "一般农户" in status else "0户")]
    story += section("一、总体情况", [label_grid(pairs, FRAME, st)], st)
    table = grid(("户类型", "户数", "人数"), [(r.label, r.households, r.members) for r in data.by_status],
                 widths(FRAME * 0.46, 10, 5, 5), st, align=("l", "r", "r"))
    story += section("二、按户类型", [_side_by_side(table, bar_chart(data.by_status, FRAME * 0.5), st)], st)
    story += section("三、按村民组", [grid(("村民组", "户数", "人数", "建档立卡户", "监测对象"),
                                          data.by_group, widths(FRAME, 10, 6, 6, 7, 7), st,
                                          align=("l", "r", "r", "r", "r"))], st)
    if data.causes:
        table = grid(("主要致贫原因", "户数"), [(r.label, r.households) for r in data.causes],
                     widths(FRAME * 0.46, 12, 5), st, align=("l", "r"))
        body: list[Flowable] = [_side_by_side(table, bar_chart(data.causes, FRAME * 0.5), st)]
    else:
        body = [not_kept("本村暂无建档立卡户。", st)]
    story += section("四、建档立卡户致贫原因", body, st)
    story += section("五、建档立卡人口劳动能力", [grid(("劳动能力", "人数"),
                                                     [(r.label, r.households) for r in data.labour],
                                                     widths(FRAME * 0.46, 12, 5), st, align=("l", "r"))
                                                if data.labour else not_kept("暂无数据。", st)], st)
    incomes = [(i.year, i.households, yuan(i.average_per_capita_fen), yuan(i.line_fen),
                "" if i.below_line is None else i.below_line) for i in data.incomes]
    story += section("六、建档立卡户人均纯收入（元）", [
        grid(("年度", "有收入记录户数", "户均人均纯收入", "扶贫标准", "低于标准户数"), incomes,
             widths(FRAME, 5, 7, 8, 7, 7), st, align=("c", "r", "r", "r", "r"))
        if incomes else not_kept("尚未登记收入。", st)], st)
    story += section("七、退出标准核对（建档立卡户）", [
        grid(("核对项目", "达标", "未达标", "未核查", "说明"),
             [(c.item, c.met, c.not_met, c.unknown, c.note) for c in data.checklist],
             widths(FRAME, 14, 5, 5, 5, 18), st, align=("l", "r", "r", "r", "l"),
             extra=[("TEXTCOLOR", (2, 1), (2, -1), colors.HexColor("#b01c1c"))])], st)
    story += section(f"八、{data.year}年度帮扶计划", [
        not_kept(f"{data.year}年度帮扶计划（N+2）尚未录入本系统。", st) if data.plans is None else
        grid(("计划状态", "户数"), [(r.label, r.households) for r in data.plans], widths(FRAME * 0.46, 12, 5), st,
             align=("l", "r"))], st)
    return story


def monitoring_story(data: MonitoringData, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(9.5, fit=True)
    story: list[Flowable] = [
        Paragraph(markup(f"{data.info.village}{MONITORING_TITLE}", HEI), st.title),
        Paragraph(markup(f"按{data.year}年度家庭人均纯收入（当年纯收入÷当年计算人口），每个村民组收入最低的"
                         f"{FIVE_LOWEST}户；收入相同的并列同一名次，并列第{FIVE_LOWEST}名的一并列入"), st.subtitle),
    ]
    if not any(g.households for g in data.groups):
        return [*story, not_kept(f"尚未登记{data.year}年度收入，无法排出名册。", st)]
    for g in data.groups:
        body: list[Flowable] = []
        if g.households:
            body.append(grid(("名次", "户编号", "户主", "计算人口", "户类型", "主要致贫原因", "人均纯收入（元）"),
                             [(r.rank, r.household_number, r.head_name, r.persons, r.status, r.main_cause or "",
                               yuan(r.per_capita_income_fen)) for r in g.households],
                             widths(FRAME, 4, 14, 8, 5, 11, 9, 9), st, align=("c", "c", "c", "c", "c", "c", "r")))
        if g.without_income:
            body.append(not_kept(f"本组另有{g.without_income}户未登记{data.year}年收入，未参加排序。", st))
        if body:
            story += section(g.group, body, st)
    return story


def list_story(data: ListDocument, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(LEDGER_SIZE, fit=True)
    story: list[Flowable] = [Paragraph(markup(f"{data.info.village}{data.title}", HEI), st.title)]
    if data.period:
        story.append(Paragraph(markup(data.period), st.subtitle))
    width = WIDE
    if data.rows is None:
        story.append(not_kept(f"{data.title}尚未录入本系统。", st))
    elif not data.rows:
        story.append(not_kept(f"暂无{data.title}。", st))
    elif data.title.startswith("走访"):
        story.append(visits_table(data.rows, width, st, household=True))
    else:
        story.append(problems_table(data.rows, width, st))
    return story


def write_summary(path: str | Path, data: SummaryData) -> Path:
    return output.write(path, [Mark(""), *summary_story(data)], pagesize=A4_PORTRAIT,
                        furniture=Furniture(data.info.village, SUMMARY_TITLE, data.info.printed_on))


def write_monitoring(path: str | Path, data: MonitoringData) -> Path:
    return output.write(path, [Mark(""), *monitoring_story(data)], pagesize=A4_PORTRAIT,
                        furniture=Furniture(data.info.village, MONITORING_TITLE, data.info.printed_on))


def write_list(path: str | Path, data: ListDocument) -> Path:
    return output.write(path, [Mark(data.period), *list_story(data)], pagesize=A4_LANDSCAPE,
                        furniture=Furniture(data.info.village, data.title, data.info.printed_on))
