"""Render every printout of the demo village to PDF and to PNG (pdftoppm -r 60) under docs/samples/.

    PYTHONPATH=. .venv/bin/python scripts/print_samples.py [demo.db]

`card_with_measures` shows one household's card filled with example N+2 measures and policies, to show
a full card; the other samples print the demo village as the program keeps it.
"""

import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from fupin_desktop.db.session import open_database
from fupin_desktop.domain.print_rows import CardMeasure, PolicyRow
from fupin_desktop.reports import board, card, dossier, summary
from fupin_desktop.services import print_data
from fupin_desktop.services.demo.build import build_demo

OUT = Path(__file__).resolve().parents[1] / "docs" / "samples"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="fupin-samples-"))
    db_file = Path(sys.argv[1]) if len(sys.argv) > 1 else work / "demo.db"
    if not db_file.exists():
        build_demo(db_file)
    db = open_database(db_file)
    with db.reading() as s:
        cards = print_data.cards_data(s)
        big = max(cards, key=lambda c: len(c.household.members))
        one = cards[0]
        year = one.year
        measures = (
            CardMeasure("全户", "扶", "产业奖补", "发展林果种植3亩，验收后按亩奖补", "刘涛", date(year, 10, 31), 300000,
                        "实施中"),
            CardMeasure(one.household.head, "保", "低保", "纳入农村低保，按月发放", "民政所", date(year, 12, 31),
                        420000, "已完成"),
            CardMeasure("全户", "救", "医疗救助", "慢性病门诊报销和大病救助", "卫生院", date(year, 12, 31), None,
                        "计划"),
        )
        policies = (PolicyRow("医保代缴", one.household.head, 38000, date(year, 1, 15)),
                    PolicyRow("农村低保", one.household.head, 420000, None, "按月发放"))
        docs = {
            "card": lambda p: card.write_cards(p, [big]),
            "card_with_measures": lambda p: card.write_cards(p, [replace(one, measures=measures, policies=policies)]),
            "plan": lambda p: card.write_cards(p, [replace(one, measures=measures)], plan=True),
            "dossier": lambda p: dossier.write_dossiers(p, [print_data.dossier_data(s, big.household.number)]),
            "board": lambda p: board.write_board(p, print_data.board_data(s)),
            "summary": lambda p: summary.write_summary(p, print_data.summary_data(s)),
            "monitoring": lambda p: summary.write_monitoring(p, print_data.monitoring_data(s)),
            "visits": lambda p: summary.write_list(p, print_data.visit_log(s, date(year, 1, 1), date(year, 6, 30))),
            "ledger": lambda p: summary.write_list(p, print_data.problem_ledger(s)),
        }
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.png"):
            old.unlink()
        for name, write in docs.items():
            pdf = write(work / f"{name}.pdf")
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(OUT / name)], check=True)
            print(f"{name}: {pdf}")
    db.close()


if __name__ == "__main__":
    main()
