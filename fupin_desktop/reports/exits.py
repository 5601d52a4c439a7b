"""退出确认表 (one household's exit: the standard, the five steps and the 双认定 with room to sign)
and 贫困村退出核查表 (贫困发生率 and each checklist item with its evidence)."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from fupin_desktop.domain.print_rows import ExitSheet, VillageExitSheet
from fupin_desktop.reports import output
from fupin_desktop.reports.blocks import signature_block
from fupin_desktop.reports.card import FRAME
from fupin_desktop.reports.fonts import HEI, markup
from fupin_desktop.reports.layout import (
    A4_PORTRAIT,
    RED,
    Furniture,
    Mark,
    Styles,
    day,
    gap,
    grid,
    heading,
    label_grid,
    p,
    section,
    short_day,
    styles,
    widths,
    yuan,
)

EXIT_TITLE = "贫困户脱贫退出确认表（双认定）"
VILLAGE_TITLE = "贫困村退出核查表"
_NOT_MET = ("未达标", "待核实")


def _red_rows(rows: list[tuple], column: int) -> list[tuple]:
    return [("TEXTCOLOR", (0, r), (-1, r), RED) for r, row in enumerate(rows, 1) if row[column] in _NOT_MET]


def exit_story(d: ExitSheet, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(9.5)
    story: list[Flowable] = [Paragraph(markup(EXIT_TITLE, HEI), st.title),
                             Paragraph(markup(f"{d.info.village}　{d.year}年度"), st.subtitle)]
    story += section("一、农户情况", [label_grid([
        ("户编号", d.number), ("户主", d.head), ("村民组", d.group or ""), ("家庭人口", f"{d.persons}人"),
        ("拟退出日期", short_day(d.proposed_on)),
        ("人均纯收入", f"{yuan(d.per_capita_fen)}元" if d.per_capita_fen is not None else "未录入"),
        ("扶贫标准", f"{yuan(d.line_fen)}元" if d.line_fen is not None else "未配置")], FRAME, st)], st)
    checks = list(d.checks)
    story += section("二、退出标准核对（一超过、两不愁、三保障、饮水安全）", [
        grid(("项目", "结果", "说明"), checks, widths(FRAME, 9, 4, 20), st, align=("l", "c", "l"),
             extra=_red_rows(checks, 1))], st)
    steps = [(s.step, short_day(s.done_on) if s.done_on else "未进行", s.participants or "", s.minutes or "")
             for s in d.steps]
    story += section("三、退出程序", [grid(("步骤", "日期", "参加人员", "纪要"), steps, widths(FRAME, 5, 5, 9, 14), st,
                                           align=("l", "c", "l", "l"))], st)
    gov = (f"已认定：{d.government_by}，{day(d.government_on)}" if d.government_on else "尚未认定")
    own = (f"已确认：{d.household_signer}{d.sign_method}，{day(d.household_on)}" if d.household_on else "尚未确认")
    story.append(KeepTogether([
        heading("四、双认定（政府认定和农户确认，缺一不可销号）", st),
        p("经核实，本户已达到脱贫退出标准，程序完整。本户对上述收入和两不愁三保障情况无异议，"
          "认可脱贫退出。", st.body),
        gap(3),
        label_grid([("政府认定", gov), ("农户确认", own)], FRAME, st, columns=1, label_part=1, value_part=5),
        gap(6),
        signature_block(FRAME, st, "户主或家庭成员（签字或按手印）", "乡镇人民政府（盖章）"),
        gap(4),
        signature_block(FRAME, st, "帮扶责任人（签字）", "驻村第一书记（签字）"),
    ]))
    return story


def village_story(d: VillageExitSheet, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(9.5)
    story: list[Flowable] = [Paragraph(markup(f"{d.info.village}{VILLAGE_TITLE}", HEI), st.title),
                             Paragraph(markup(f"{d.year}年度　核查日期：{d.info.printed_on.isoformat()}"), st.subtitle)]
    rate = "无法计算" if d.incidence_percent is None else f"{d.incidence_percent:.2f}%"
    story += section("一、贫困发生率（须降至2%以下）", [label_grid([
        ("未脱贫户", f"{d.poor_households}户{d.poor_persons}人"), ("总人口", f"{d.population}人"),
        ("贫困发生率", rate), ("*人口口径", d.population_source),
        ("*村集体经济收入", f"{yuan(d.collective_income_fen)}元" if d.collective_income_fen is not None
         else "本年度未登记")], FRAME, st)], st)
    items = [(i, state, evidence, short_day(on), note) for i, state, evidence, on, note in d.items]
    story += section("二、基础设施、公共服务和产业", [
        grid(("核查项目", "结果", "依据", "核查日期", "说明"), items, widths(FRAME, 11, 4, 9, 5, 8), st,
             align=("l", "c", "l", "c", "l"), extra=_red_rows(items, 1))], st)
    red = st.body.clone("red", textColor=RED)
    body: list[Flowable] = [p("贫困发生率低于2%，各项均已达标，具备退出条件。", st.body)] if d.ready else \
        [p("尚不具备退出条件：", st.body), *(p(f"· {g}", red) for g in d.gaps)]
    body += [p(f"注意：{w}，须列入清单逐一完善。", red) for w in d.watch]
    story += section("三、结论", body, st)
    story.append(gap(10))
    story.append(signature_block(FRAME, st, "驻村第一书记（签字）", "村委会（盖章）"))
    return story


def write_exit_sheet(path: str | Path, data: ExitSheet) -> Path:
    return output.write(path, [Mark(f"户编号 {data.number}　户主 {data.head}"), *exit_story(data)],
                        pagesize=A4_PORTRAIT, furniture=Furniture(data.info.village, EXIT_TITLE, data.info.printed_on))


def write_village_exit(path: str | Path, data: VillageExitSheet) -> Path:
    return output.write(path, [Mark(""), *village_story(data)], pagesize=A4_PORTRAIT,
                        furniture=Furniture(data.info.village, VILLAGE_TITLE, data.info.printed_on))
