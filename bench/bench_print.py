"""500 明白卡 in one PDF next to a raw ReportLab baseline of the same data, in one run.

    .venv/bin/python bench/bench_print.py [demo.db] [--cards 500]

  project  — services/print_data.cards_data + reports/card.write_cards (what 打印 does): each card laid
             out once on the canvas (reports/sheet.py), the shared parts as form XObjects
  raw      — the same cards' text drawn straight on a canvas: what every card shares (title,
             headings, column heads, the grid's rules) drawn once as a form XObject, each card's
             values, its QR code (the project's encoder) and page furniture drawn per page; same
             fonts, embedded subsets
Each variant runs in its own process (fonts loaded first, not timed), so peak memory is its own.
Prints wall and CPU seconds, peak memory and the ratios; asserts nothing. Target (issue 20):
500 cards ≤ 2× the raw baseline.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from fupin_desktop.db.session import open_database
from fupin_desktop.reports import card, fonts
from fupin_desktop.services import print_data

fonts.register()
kind, db_file, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
db = open_database(db_file)
t0, c0 = time.perf_counter(), time.process_time()
with db.reading() as s:
    cards = print_data.cards_data(s, print_data.Selection(everyone=True))
cards = (cards * (n // max(1, len(cards)) + 1))[:n]
data_s = time.perf_counter() - t0
if kind == "project":
    card.write_cards(out, cards)
else:
    sys.path.insert(0, sys.argv[5])
    from bench_print import raw_cards
    raw_cards(out, cards)
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "data": data_s,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "size": out.stat().st_size}))
"""


def raw_cards(path: Path, cards: list) -> None:  # type: ignore[type-arg]
    """The baseline: the cards' text and rules on a plain canvas, shared parts as one form XObject."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from fupin_desktop.reports.blocks import QrFlowable  # the project's QR code: a fixed mask, one path
    from fupin_desktop.reports.fonts import HEI, SONG

    width, height = A4
    left, right = 15 * mm, width - 15 * mm
    c = Canvas(str(path), pagesize=A4, initialFontName=SONG)
    c.beginForm("fixed")
    c.setFont(HEI, 19)
    c.drawCentredString(width / 2, height - 30 * mm, "帮扶明白卡")
    c.setFont(HEI, 10.5)
    for i, title in enumerate(("一、家庭基本情况", "二、家庭成员", "三、家庭收入", "四、帮扶措施", "五、享受政策",
                               "六、帮扶责任人、驻村工作队和监督电话", "七、双认定")):
        c.drawString(left, height - (45 + 40 * i) * mm, title)
    c.setFont(HEI, 9)
    heads = ("序号", "姓名", "与户主关系", "性别", "年龄", "身份证号", "劳动能力", "健康状况", "在校/就业")
    for x, head in zip((0, 12, 30, 48, 60, 72, 110, 135, 158), heads, strict=True):
        c.drawString(left + x * mm + 2, height - 92 * mm, head)
    c.setLineWidth(0.5)
    for row in range(12):
        c.line(left, height - (48 + 4.6 * row) * mm, right, height - (48 + 4.6 * row) * mm)
    c.line(left, height - 11 * mm, right, height - 11 * mm)
    c.line(left, 10.5 * mm, right, 10.5 * mm)
    c.endForm()
    for data in cards:
        h = data.household
        c.doForm("fixed")
        c.setFont(SONG, 9)
        c.drawString(left, height - 9.5 * mm, f"{data.info.village}　帮扶明白卡")
        c.drawRightString(right, height - 9.5 * mm, f"户编号 {h.number}　户主 {h.head}")
        c.drawCentredString(width / 2, height - 36 * mm, f"{data.info.village}　{data.year}年度")
        y = height - 52 * mm
        for label, value in (("户编号", h.number), ("户主", h.head), ("户类型", h.status),
                             ("家庭人口", f"{len(h.members)}人"), ("联系电话", h.phone or ""),
                             ("村民组", h.group or ""),
                             ("家庭住址", h.address or ""), ("户属性", "、".join(h.attributes)),
                             ("致贫原因", h.main_cause or ""), ("住房安全", h.housing_safety or ""),
                             ("饮水安全", h.water or "")):
            c.drawString(left + 2, y, f"{label}　{value}")
            y -= 4.6 * mm
        y = height - 97 * mm
        for i, m in enumerate(h.members, 1):
            for x, value in zip((0, 12, 30, 48, 60, 72, 110, 135, 158),
                                (str(i), m.name, m.relation, m.sex, str(m.age),
                                 m.id_number[:6] + "********" + m.id_number[14:], m.labour_ability or "",
                                 m.health or "", m.employment or m.schooling or ""), strict=True):
                c.drawString(left + x * mm + 2, y, str(value))
            y -= 4.6 * mm
        for i in data.incomes:
            c.drawString(left + 2, y, f"{i.year}年　{i.persons or ''}人　{i.net_fen or ''}　{i.per_capita_fen or ''}　"
                                      f"{i.line_fen or ''}")
            y -= 4.6 * mm
        for row in data.measures or ():
            c.drawString(left + 2, y, f"{row.target}　{row.type}　{row.content}　{row.responsible or ''}　"
                                      f"{row.status or ''}")
            y -= 4.6 * mm
        for row in data.policies or ():
            c.drawString(left + 2, y, f"{row.name}　{row.beneficiary}　{row.amount_fen or ''}")
            y -= 4.6 * mm
        for person in ([h.helper] if h.helper else []) + list(data.team):
            c.drawString(left + 2, y, f"{person.role}　{person.name}　{person.unit or ''}{person.position or ''}　"
                                      f"{person.phone or ''}")
            y -= 4.6 * mm
        qr = QrFlowable(f"FUPIN:{data.info.village_code}:{h.number}", 22 * mm)
        qr.drawOn(c, right - 28 * mm, height - 40 * mm)
        c.drawString(left, 7.5 * mm, f"打印日期：{data.info.printed_on}")
        c.drawCentredString(width / 2, 7.5 * mm, "第 1 页 共 1 页")
        c.showPage()
    c.save()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", nargs="?", type=Path)
    ap.add_argument("--cards", type=int, default=500)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    db = args.db
    if db is None:
        from fupin_desktop.services.demo import build_demo

        db = work / "demo.db"
        build_demo(db)
    here = str(Path(__file__).resolve().parent)
    results = {}
    for kind in ("raw", "project", "raw", "project"):  # interleaved: the machine's load hits both alike
        out = subprocess.run([sys.executable, "-c", CHILD, kind, str(db), str(args.cards), str(work / f"{kind}.pdf"),
                              here], check=True, capture_output=True, text=True).stdout
        r = json.loads(out.splitlines()[-1])
        best = results.get(kind)
        results[kind] = r if best is None or r["wall"] < best["wall"] else best
    raw, project = results["raw"], results["project"]
    for kind, r in (("raw ReportLab canvas + form XObject", raw), ("project (reports/card.py)", project)):
        print(f"{kind:36}: {r['wall']:6.2f} s wall, {r['cpu']:6.2f} s CPU (data {r['data']:.2f} s), "
              f"peak {r['rss']:.0f} MB, {r['size'] / 1e6:.2f} MB PDF")
    print(f"{args.cards} cards: project / raw = {project['wall'] / raw['wall']:.1f}× wall, "
          f"{project['cpu'] / raw['cpu']:.1f}× CPU, {project['rss'] / raw['rss']:.1f}× peak memory")


if __name__ == "__main__":
    main()
