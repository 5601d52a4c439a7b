"""Visits, the problem-rectification ledger and the presence log: `fupin visits`, `ledger`, `presence`."""

import argparse
import json
from datetime import date, time
from typing import Any

from fupin_desktop.cli.common import AddCommand, open_db, reading


def _iso(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat(timespec="minutes") if isinstance(value, time) else value.isoformat()
    return value


def _dump(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_visits(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.services import visits as sv

    today = clock.today()
    db = open_db(args)
    try:
        with db.reading() as s:
            if args.due or args.saturday:
                if args.saturday:
                    saturday, rows = sv.saturday_list(s, today)
                else:
                    saturday, rows = None, sv.due_visits(s, today)
                return _print_due(args, rows, saturday)
            if args.household:
                household_id = sv.household_by_number(s, args.household)
                return _print_history(args, sv.household_visits(s, household_id))
            page = sv.list_visits(s, sv.VisitQuery(limit=args.limit))
    finally:
        db.close()
    if args.json:
        _dump({"total": page.total, "visits": [
            {"id": str(r.id), "date": _iso(r.visited_on), "time": _iso(r.visited_at), "household": r.household_number,
             "head": r.head_name, "type": r.visit_type, "visitors": r.visitors, "problems": r.problems,
             "confirmed": r.confirmed} for r in page.rows]})
        return 0
    for r in page.rows:
        when = f"{r.visited_on} {r.visited_at:%H:%M}" if r.visited_at else f"{r.visited_on}      "
        problems = f"　发现问题{r.problems}项" if r.problems else ""
        print(f"{when}\t{r.household_number} {r.head_name}\t{r.visit_type}\t{r.visitors}{problems}")
    shown = f"，显示最近{len(page.rows)}次" if page.total > len(page.rows) else ""
    print(f"共{page.total}次走访{shown}。")
    return 0


def _print_history(args: argparse.Namespace, rows: list) -> int:
    if args.json:
        _dump({"visits": [{
            "id": str(r.id), "date": _iso(r.visited_on), "time": _iso(r.visited_at), "type": r.visit_type,
            "visitors": list(r.visitors), "members_present": list(r.members_present), "checklist": r.checklist,
            "findings": r.findings, "policies": list(r.policies), "confirmation": r.confirmation,
            "next_due": _iso(r.next_due), "photos": [str(p) for p in r.photos],
            "ledger": list(r.ledger_numbers), "measures": [str(m) for m in r.measure_ids]} for r in rows]})
        return 0
    for r in rows:
        print(f"{r.visited_on}  {r.visit_type}  走访人：{'、'.join(r.visitors)}")
        print(f"    {r.findings}" + (f"（已列入台账：{'、'.join(r.ledger_numbers)}）" if r.ledger_numbers else ""))
        if r.photos:
            print(f"    照片{len(r.photos)}张")
    print(f"共{len(rows)}次走访。")
    return 0


def _print_due(args: argparse.Namespace, rows: list, saturday: date | None) -> int:
    if args.json:
        _dump({"saturday": _iso(saturday), "due": [{
            "household": r.number, "head": r.head_name, "group": r.group, "status": r.status, "helper": r.helper,
            "reason": r.reason, "done": r.done, "required": r.required, "due": _iso(r.due), "overdue": r.overdue,
            "last_visit": _iso(r.last_visit), "open_problems": r.open_problems} for r in rows]})
        return 0
    if saturday:
        print(f"周六扶贫日（{saturday}）走访名单：")
    for r in rows:
        flag = "【逾期】" if r.overdue else ""
        extra = f"　未整改问题{r.open_problems}项" if r.open_problems else ""
        print(f"{flag}{r.due}\t{r.number} {r.head_name}\t{r.status}\t帮扶人：{r.helper or '未指定'}"
              f"\t已走访{r.done}/{r.required}次{extra}")
    overdue = sum(r.overdue for r in rows)
    print(f"共{len(rows)}户待走访，其中逾期{overdue}户。")
    return 0


def cmd_ledger(args: argparse.Namespace) -> int:
    from fupin_desktop.domain import clock
    from fupin_desktop.services.ledger import LedgerQuery, daily_summary, list_ledger

    today = clock.today()
    query = LedgerQuery(open_only=args.open, overdue_only=args.overdue, source=args.source, limit=args.limit)
    rows, summary = reading(args, lambda s: (list_ledger(s, query, today=today), daily_summary(s, today)))
    if args.json:
        _dump({"summary": {"day": _iso(summary.day), "total": summary.total, "open": summary.open,
                           "in_progress": summary.in_progress, "closed": summary.closed, "overdue": summary.overdue,
                           "due_soon": summary.due_soon, "new_today": summary.new_today,
                           "closed_today": summary.closed_today},
               "items": [{"id": str(r.id), "number": r.number, "source": r.source, "received_on": _iso(r.received_on),
                          "description": r.description, "category": r.category, "level": r.level,
                          "household": r.household, "responsible": r.responsible, "measure": r.measure,
                          "deadline": _iso(r.deadline), "status": r.status, "overdue": r.overdue,
                          "verifier": r.verifier, "closed_on": _iso(r.closed_on), "evidence_files": r.evidence_files}
                         for r in rows]})
        return 0
    for r in rows:
        flag = "【逾期】" if r.overdue else ""
        print(f"{flag}{r.number}\t{r.status}\t{r.source}\t{r.description}\t{r.household or '村级'}"
              f"\t责任人：{r.responsible or '未指定'}\t期限：{r.deadline or '—'}")
    print(summary.text())
    return 0


def cmd_presence(args: argparse.Namespace) -> int:
    from fupin_desktop.domain.visits import PRESENCE_SHORT, parse_month
    from fupin_desktop.services.presence import leave_records, month_presence

    year, month = parse_month(args.month)
    m, leaves = reading(args, lambda s: (month_presence(s, year, month), leave_records(s, year=year)))
    leaves = [r for r in leaves if r.starts_on <= m.days[-1] and r.ends_on >= m.days[0]]
    if args.json:
        _dump({"month": f"{year}-{month:02d}", "cadres": [
            {"name": c.name, "role": c.role, "in_village": c.in_village, "on_business": c.on_business,
             "on_leave": c.on_leave, "rest": c.rest, "unrecorded": c.unrecorded,
             "days": {d.isoformat(): s for d, s in sorted(c.states.items())}} for c in m.cadres],
            "leave": [{"name": r.cadre, "kind": r.kind, "from": _iso(r.starts_on), "to": _iso(r.ends_on),
                       "days": r.days, "reason": r.reason, "filed_with": r.filed_with} for r in leaves]})
        return 0
    print(f"{year}年{month}月驻村考勤（在＝在村 公＝公务外出 假＝请假(备案) 休＝休息 ·＝未登记）")
    for c in m.cadres:
        line = "".join(PRESENCE_SHORT.get(c.states.get(d, ""), "·") for d in m.days)
        print(f"{c.name}（{c.role}）\t{line}\t在村{c.in_village}天 公务外出{c.on_business}天 请假{c.on_leave}天 "
              f"休息{c.rest}天 未登记{c.unrecorded}天")
    for r in leaves:
        print(f"请假：{r.cadre} {r.kind} {r.starts_on}至{r.ends_on}（{r.days}天）{r.reason or ''} 备案：{r.filed_with}")
    return 0


def add_commands(command: AddCommand) -> None:
    c = command("visits", cmd_visits)
    c.add_argument("--household", metavar="户编号", help="只看该户的走访历史（可输入户编号末几位，如 0012）")
    c.add_argument("--due", action="store_true", help="按走访规则列出待走访、逾期的农户")
    c.add_argument("--saturday", action="store_true", help="本周六扶贫日走访名单（有未整改问题、监测户优先）")
    c.add_argument("--limit", type=int, default=50, metavar="条数", help="最多显示条数（默认 %(default)s）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("ledger", cmd_ledger)
    c.add_argument("--open", action="store_true", help="只列未销号的问题")
    c.add_argument("--overdue", action="store_true", help="只列逾期未销号的问题")
    c.add_argument("--source", metavar="来源", help="只列该来源，如 督查巡查、走访发现、第三方评估")
    c.add_argument("--limit", type=int, default=500, metavar="条数", help="最多显示条数（默认 %(default)s）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    c = command("presence", cmd_presence)
    c.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，如 2026-11")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
