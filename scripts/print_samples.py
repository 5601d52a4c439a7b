"""Render every printout of the demo village to PDF and its pages to PNG (pdftoppm -r 70) in docs/samples/.

    PYTHONPATH=. .venv/bin/python scripts/print_samples.py [demo.db]

Builds the demo village in a temporary folder when no database is given. Each sample is the
document as the program prints it for the demo village; `card_small` is a household whose card fits
one side, `card` the largest household (front and back), `plan_draft` a 草稿 plan (watermarked),
`plan_failing` a plan with N+2 rule errors. Also checks that every PDF embeds its fonts.
"""

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from fupin_desktop.db.session import open_database
from fupin_desktop.reports import board, card, dossier, exits, summary
from fupin_desktop.services import exits as exit_service
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
        cards = print_data.cards_data(s, checks=True)
        year = cards[0].year
        big = max(cards, key=lambda c: len(c.household.members) + len(c.measures or ()))
        small = min(cards, key=lambda c: len(c.household.members) + len(c.measures or ()) + len(c.policies or ()))
        draft = next(c for c in cards if c.plan_status == "草稿")
        failing = next((c for c in cards if c.plan_errors and c is not draft), draft)
        leaving = exit_service.list_procedures(s)[0].household_number
        docs = {
            "card": lambda p: card.write_cards(p, [big]),
            "card_small": lambda p: card.write_cards(p, [small]),
            "plan_draft": lambda p: card.write_cards(p, [draft], plan=True),
            "plan_failing": lambda p: card.write_cards(p, [failing], plan=True),
            "dossier": lambda p: dossier.write_dossiers(p, [print_data.dossier_data(s, big.household.number)]),
            "board": lambda p: board.write_board(p, print_data.board_data(s)),
            "summary": lambda p: summary.write_summary(p, print_data.summary_data(s)),
            "monitoring": lambda p: summary.write_monitoring(p, print_data.monitoring_data(s)),
            "visits": lambda p: summary.write_list(p, print_data.visit_log(s, date(year, 11, 16), date(year, 11, 20))),
            "ledger": lambda p: summary.write_list(p, print_data.problem_ledger(s)),
            "exit": lambda p: exits.write_exit_sheet(p, print_data.exit_sheet_data(s, leaving)),
            "village_exit": lambda p: exits.write_village_exit(p, print_data.village_exit_data(s)),
        }
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.png"):
            old.unlink()
        for name, write in docs.items():
            pdf = write(work / f"{name}.pdf")
            fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
            rows = [line.split() for line in fonts.splitlines()[2:]]
            assert rows and all(r[-5] == "yes" for r in rows), f"{name}: a font is not embedded\n{fonts}"
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(OUT / name)], check=True)
            print(f"{name}: {pdf} ({len(list(OUT.glob(name + '-*.png')))} pages, fonts embedded)")
    db.close()


if __name__ == "__main__":
    main()
