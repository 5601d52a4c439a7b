"""N+2 plans and 防返贫监测: `fupin plans`, `fupin plans clone`, `fupin monitor`, `fupin poverty-line`."""

import argparse
import json
import sys

from fupin_desktop.cli.common import CLI, AddCommand, open_db, reading, writing
from fupin_desktop.domain.money import yuan_brief, yuan_whole


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"{yuan_whole(fen)}元"


def cmd_plans(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.services import plans

    if args.action == "clone":
        if args.from_year is None or args.to_year is None:
            print("错误：复制计划需要 --from 源年度 和 --to 目标年度", file=sys.stderr)
            return 2
        r = writing(args, lambda s: plans.clone_year(s, args.from_year, args.to_year), actor=CLI)
        result = {"created": r.created, "skipped_existing": r.skipped_existing,
                  "without_source": r.skipped_without_source, "dropped_measures": r.dropped_measures}
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            print(f"已把{args.from_year}年计划复制为{args.to_year}年草稿：{r.created}份；"
                  f"已有{args.to_year}年计划未复制{r.skipped_existing}户；上年无计划{r.skipped_without_source}户"
                  + (f"；已迁出成员的{r.dropped_measures}条措施未复制" if r.dropped_measures else "") + "。")
        return 0

    year = args.year or clock.today().year
    report, overview = reading(args, lambda s: (plans.compliance_report(s, year, include_warnings=not args.errors_only),
                                                None if args.check else plans.plan_overview(s, year)))
    if args.json:
        data = {
            "year": year, "households": report.households, "plans": report.plans, "compliant": report.compliant,
            "without_plan": report.without_plan, "errors": report.errors, "warnings": report.warnings,
            "poverty_line_fen": report.poverty_line_fen,
            "errors_by_rule": {str(k): v for k, v in sorted(report.by_rule.items())},
        }
        if args.check:
            data["violations"] = [{"household": v.household_number, "head": v.head_name, "group": v.group,
                                   "rule": v.rule, "severity": v.severity, "message": v.message}
                                  for v in report.violations]
        else:
            data["plans_list"] = [{"household": r.household_number, "head": r.head_name, "group": r.group,
                                   "status": r.status, "measures": r.measures, "errors": r.errors,
                                   "warnings": r.warnings, "overdue": r.overdue} for r in overview or []]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if args.check:
            for v in report.violations:
                rule = f"规则{v.rule}" if v.rule else "　　　"
                print(f"[{v.severity}·{rule}] {v.household_number} {v.head_name}（{v.group}）：{v.message}")
        else:
            for p in overview or []:
                flags = "".join([f" 错误{p.errors}" if p.errors else "", f" 提醒{p.warnings}" if p.warnings else "",
                                 f" 逾期{p.overdue}" if p.overdue else ""])
                print(f"{p.household_number} {p.head_name:<4}（{p.group}）{p.status} 措施{p.measures}条{flags}")
        print(f"{year}年：应有计划{report.households}户，已有{report.plans}份，合规{report.compliant}份；"
              f"缺计划{report.without_plan}户；错误{report.errors}条，提醒{report.warnings}条；"
              f"扶贫标准{_yuan(report.poverty_line_fen) if report.poverty_line_fen is not None else '未配置'}。")
    if args.check:
        return 1 if report.errors or report.without_plan else 0
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    from fupin_desktop.services import monitoring

    db = open_db(args)
    try:
        if args.register:
            with db.transaction(actor="命令行") as s:
                opened = monitoring.register_candidates(s, args.year)
        with db.reading() as s:
            report = monitoring.monitor_report(s, args.year)
            groups = monitoring.five_lowest(s, report.year)
    finally:
        db.close()
    if args.json:
        print(json.dumps({
            "year": report.year, "line_fen": report.line_fen, "monitoring_line_fen": report.monitoring_line_fen,
            "thresholds": {"income_ratio_percent": report.thresholds.income_ratio_percent,
                           "medical_spending_fen": report.thresholds.medical_spending_fen,
                           "flag_disability": report.thresholds.flag_disability,
                           "flag_disaster": report.thresholds.flag_disaster,
                           "flag_job_loss": report.thresholds.flag_job_loss},
            "candidates": [{"household": c.household_number, "head": c.head_name, "group": c.group,
                            "status": c.status, "per_capita_income_fen": c.per_capita_income_fen,
                            "reasons": list(c.reasons), "suggested_category": c.suggested_category}
                           for c in report.candidates],
            "cases": [{"household": c.household_number, "head": c.head_name, "group": c.group, "year": c.year,
                       "found_on": c.found_on.isoformat(), "reasons": list(c.reasons), "status": c.status,
                       "category": c.category, "decided_on": c.decided_on.isoformat() if c.decided_on else None,
                       "decided_by": c.decided_by} for c in report.cases],
            "five_lowest": {g.group: [{"rank": r.rank, "household": r.household_number, "head": r.head_name,
                                       "persons": r.persons, "per_capita_income_fen": r.per_capita_income_fen}
                                      for r in g.households] for g in groups},
        }, ensure_ascii=False, indent=2))
        return 0
    if report.line_fen is None:
        print(f"注意：{report.year}年未配置扶贫标准，无法按收入筛查；请用 fupin poverty-line 配置。")
    else:
        print(f"{report.year}年扶贫标准{_yuan(report.line_fen)}，监测线{_yuan(report.monitoring_line_fen)}"
              f"（{report.thresholds.income_ratio_percent / 100:.1f}倍）。")
    print(f"新筛查出疑似风险{len(report.candidates)}户：")
    for c in report.candidates:
        print(f"  {c.household_number} {c.head_name}（{c.group}，{c.status}）人均{_yuan(c.per_capita_income_fen)}："
              f"{'、'.join(c.reasons)}；建议类别 {c.suggested_category}")
    print(f"监测记录{len(report.cases)}条：")
    for case in report.cases:
        decided = f"，{case.decided_on} {case.decided_by}" if case.decided_on else ""
        category = "·" + case.category if case.category else ""
        print(f"  {case.household_number} {case.head_name}（{case.group}）{case.status}{category}"
              f"：{'、'.join(case.reasons)}，{case.found_on}发现{decided}")
    print(f"各村民组人均纯收入最低5户（{report.year}年，收入相同的并列）：")
    for g in groups:
        names = "、".join(f"{r.rank}.{r.household_number}{r.head_name}（{r.persons}人）"
                         f"{yuan_brief(r.per_capita_income_fen)}元" for r in g.households) or "无收入记录"
        print(f"  {g.group}：{names}" + (f"；另有{g.without_income}户未登记收入" if g.without_income else ""))
    if args.register:
        print(f"已登记疑似风险{opened}户。")
    return 0


def cmd_poverty_line(args: argparse.Namespace) -> int:
    from fupin_desktop.domain.money import parse_yuan
    from fupin_desktop.errors import InputError
    from fupin_desktop.services.lines import applied_line, covering_places, set_poverty_line

    fen = None
    if args.yuan is not None:
        try:
            fen = parse_yuan(args.yuan)
        except InputError as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
    db = open_db(args)
    try:
        if fen is not None:
            with db.transaction(actor="命令行") as s:
                place = set_poverty_line(s, args.year, fen, args.jurisdiction, args.source)
            print(f"已设置{args.year}年{place}扶贫标准：{_yuan(fen)}/人·年。")
        with db.reading() as s:
            places = covering_places(s)
            line = applied_line(s, args.year)
    finally:
        db.close()
    if args.json:
        print(json.dumps({"year": args.year, "places": list(places),
                          "applied": None if line is None else {"jurisdiction": line.jurisdiction,
                                                                "amount_fen": line.amount_fen}},
                         ensure_ascii=False))
    elif line is None:
        print(f"本村{args.year}年没有适用的扶贫标准（依次查找：{' → '.join(places)}）。")
    else:
        print(f"本村{args.year}年适用{line.jurisdiction}的扶贫标准：{_yuan(line.amount_fen)}/人·年"
              f"（依次查找：{' → '.join(places)}）。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("plans", cmd_plans)
    c.add_argument("action", nargs="?", choices=["clone"], metavar="clone",
                   help="clone：复制计划（须同时给出 --from 和 --to）")
    c.add_argument("--year", type=int, metavar="年度", help="计划年度（默认：今年）")
    c.add_argument("--check", action="store_true", help="按N+2规则检查并列出每个问题")
    c.add_argument("--errors-only", action="store_true", help="只列出错误，不列提醒")
    c.add_argument("--from", dest="from_year", type=int, metavar="年度", help="复制的源年度")
    c.add_argument("--to", dest="to_year", type=int, metavar="年度", help="复制的目标年度")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("monitor", cmd_monitor)
    c.add_argument("--year", type=int, metavar="年度", help="收入年度（默认：去年）")
    c.add_argument("--register", action="store_true", help="把新筛查出的户登记为“疑似”")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("poverty-line", cmd_poverty_line)
    c.add_argument("--year", type=int, required=True, metavar="年度")
    c.add_argument("--yuan", metavar="元", help="金额（元），如 6000；不给出时只显示本村适用的标准")
    c.add_argument("--jurisdiction", metavar="地区",
                   help="包含本村的地区全称（如 河南省、洛阳市、栾川县、全国），或 本县/本市/本省；默认：本省")
    c.add_argument("--source", metavar="依据", help="文件依据")
    c.add_argument("--json", action="store_true", help="以 JSON 输出本村适用的标准")
