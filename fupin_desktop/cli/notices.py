"""享受政策, 公示, 项目资金台账 and 明白栏 status: benefits, notices, projects, board status."""

import argparse
import json
from datetime import date
from typing import Any

from fupin_desktop.cli.common import AddCommand, reading, writing
from fupin_desktop.domain.money import yuan


def _json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=lambda v: v.isoformat() if isinstance(v, date)
                     else str(v)))


def cmd_benefits(args: argparse.Namespace) -> int:
    from fupin_desktop.services.benefits import list_benefits
    from fupin_desktop.services.households import household_by_number

    rows = reading(args, lambda s: list_benefits(
        s, year=args.year, household_id=household_by_number(s, args.household) if args.household else None))
    if args.json:
        _json({"total_fen": sum(r.amount_fen for r in rows), "count": len(rows), "benefits": [
            {"id": str(r.id), "household": r.household_number, "head": r.head_name, "member": r.member_name,
             "year": r.year, "policy_code": r.policy_code, "policy": r.policy_name, "category": r.category,
             "income_type": r.income_type, "amount_fen": r.amount_fen, "period": r.period_text, "payer": r.payer,
             "paid_on": r.paid_on, "proof": r.proof} for r in rows]})
        return 0
    for r in rows:
        print(f"{r.year}\t{r.household_number}\t{r.head_name}\t{r.member_name or '（全户）'}\t{r.policy_name}\t"
              f"{yuan(r.amount_fen)}元\t{r.payer or ''}\t{r.paid_on or ''}")
    print(f"共{len(rows)}条，合计{yuan(sum(r.amount_fen for r in rows))}元。")
    return 0


def cmd_notices(args: argparse.Namespace) -> int:
    from fupin_desktop.services.notices import get_notice, list_notices

    def read(s: Any) -> Any:
        rows = list_notices(s, posted_only=args.posted)
        return rows, {r.id: get_notice(s, r.id) for r in rows} if args.json else {}

    rows, details = reading(args, read)
    if args.json:
        out = []
        for r in rows:
            d = details[r.id]
            out.append({"id": str(r.id), "kind": r.kind, "title": r.title, "status": r.status, "version": r.version,
                        "place": r.place, "posted_on": r.posted_on, "last_day": r.last_day,
                        "taken_down_on": r.taken_down_on, "objections": r.objections, "unanswered": r.unanswered,
                        "versions": [{"version": v.version, "title": v.title, "body": v.body,
                                      "posted_on": v.posted_on, "taken_down_on": v.taken_down_on,
                                      "change_reason": v.change_reason,
                                      "items": [{"label": i.label, "amount_fen": i.amount_fen, "note": i.note}
                                                for i in v.items],
                                      "objections": [{"received_on": o.received_on, "raised_by": o.raised_by,
                                                      "content": o.content, "answer": o.answer,
                                                      "answered_on": o.answered_on, "outcome": o.outcome}
                                                     for o in v.objections]} for v in d.versions]})
        _json({"count": len(rows), "notices": out})
        return 0
    for r in rows:
        period = f"{r.posted_on}—{r.last_day}" if r.posted_on else "未张贴"
        extra = f"，异议{r.objections}条（未答复{r.unanswered}）" if r.objections else ""
        print(f"[{r.status}] {r.kind}：{r.title}（第{r.version}版，{period}，{r.place}，列{r.items}项{extra}）")
    print(f"共{len(rows)}条公示。")
    return 0


def cmd_projects(args: argparse.Namespace) -> int:
    from fupin_desktop.services.projects import get_project, list_collective_income, list_projects

    def read(s: Any) -> Any:
        rows = list_projects(s, year=args.year)
        return rows, [get_project(s, r.id) for r in rows], list_collective_income(s, year=args.year)

    rows, details, income = reading(args, read)
    if args.json:
        _json({"projects": [{
            "id": str(d.row.id), "year": d.row.year, "type": d.row.type, "name": d.row.name, "status": d.row.status,
            "approval_mode": d.row.approval_mode, "approved_on": d.row.approved_on, "budget_fen": d.row.budget_fen,
            "spent_fen": d.row.spent_fen, "accepted_on": d.row.accepted_on, "missing_steps": list(d.missing_steps),
            "funds": [{"source": b.source, "budget_fen": b.budget_fen, "spent_fen": b.spent_fen} for b in d.budget],
            "steps": [{"step": st.step, "held_on": st.held_on} for st in d.steps],
            "spending": [{"source": sp.source, "paid_on": sp.paid_on, "amount_fen": sp.amount_fen, "payee": sp.payee,
                          "over_budget_reason": sp.over_budget_reason} for sp in d.spending],
            "beneficiaries": [label for _hid, label, _how in d.beneficiaries],
            "assets": [{"name": a.name, "kind": a.kind, "value_fen": a.value_fen, "owner": a.owner,
                        "custodian": a.custodian, "income_fen": a.income_fen} for a in d.assets],
        } for d in details], "collective_income": [
            {"year": c.year, "source": c.source, "amount_fen": c.amount_fen, "asset": c.asset,
             "distribution": c.distribution} for c in income]})
        return 0
    for d in details:
        r = d.row
        print(f"{r.year} {r.name}（{r.type}，{r.status}）预算{yuan(r.budget_fen)}元，已支出{yuan(r.spent_fen)}元，"
              f"受益{r.beneficiaries}户，资产{r.assets}项")
        for b in d.budget:
            print(f"    {b.source}：预算{yuan(b.budget_fen)}　支出{yuan(b.spent_fen)}　结余{yuan(b.left_fen)}")
    years: dict[int, int] = {}
    for c in income:
        years[c.year] = years.get(c.year, 0) + c.amount_fen
    for year, total in sorted(years.items(), reverse=True):
        print(f"{year}年村集体经济收入（按来源登记）：{yuan(total)}元")
    print(f"共{len(rows)}个项目。")
    return 0


def cmd_board(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.services.board import board_shows_attributes, board_status, set_board_shows_attributes

    if args.action == "attributes":
        def set_and_read(s: Any) -> bool:  # one opening, one sign-in
            set_board_shows_attributes(s, args.value == "on")
            return board_shows_attributes(s)

        shown = reading(args, board_shows_attributes) if args.value is None else writing(args, set_and_read)
        if args.json:
            _json({"attributes_printed": shown})
        else:
            print("打印的明白栏" + ("印出户属性（残疾人家庭、低保户、特困等）。" if shown else
                                  "不印户属性（残疾人家庭、低保户、特困等属个人敏感信息，默认不公开）。"))
        return 0

    year = args.year or clock.today().year
    rows = reading(args, lambda s: board_status(s, year, stale_only=not args.all))
    if args.json:
        _json({"year": year, "count": len(rows), "households": [
            {"id": str(r.household_id), "number": r.number, "head": r.head_name, "group": r.group,
             "helper": r.helper, "posted_on": r.posted_on, "out_of_date": r.out_of_date, "state": r.state}
            for r in rows]})
        return 0
    for r in rows:
        print(f"{r.number}\t{r.head_name}\t{r.group or ''}\t{r.state}\t{r.posted_on or ''}")
    what = "户明白栏" if args.all else "户明白栏需要（重新）打印张贴"
    print(f"{year}年：{len(rows)}{what}。")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("benefits", cmd_benefits)
    c.add_argument("--household", metavar="户编号", help="只看这一户（可只写户编号末几位）")
    c.add_argument("--year", type=int, metavar="年度", help="只看这一年")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("notices", cmd_notices)
    c.add_argument("--posted", action="store_true", help="只列正在张贴（含期满未揭下）的公示")
    c.add_argument("--json", action="store_true", help="以 JSON 输出（含各版本全文、名单和异议答复）")

    c = command("projects", cmd_projects)
    c.add_argument("--year", type=int, metavar="年度", help="只看这一年的项目")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("board", cmd_board)
    c.add_argument("action", choices=["status", "attributes"], metavar="status|attributes",
                   help="status：明白栏张贴状态；attributes [on|off]：打印的明白栏是否印出户属性（默认 off）")
    c.add_argument("value", nargs="?", choices=["on", "off"], metavar="on|off", help="attributes 的新设置")
    c.add_argument("--year", type=int, metavar="年度", help="年度（默认今年）")
    c.add_argument("--all", action="store_true", help="列出所有户，包括已是最新的")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
