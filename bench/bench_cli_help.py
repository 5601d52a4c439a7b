"""`fupin --help` next to a bare Python start, in one run (new processes, interleaved).

    .venv/bin/python bench/bench_cli_help.py [--runs 21]

Prints the medians and their ratio; asserts nothing. Target (issues 17 and 20): under 0.3 s and at most
3× `python -c pass` of the same interpreter (the same site-packages, so both pay the same start-up).
Also prints which heavy packages `--help` loaded (none is the point: the database layer, ReportLab
and Qt load with the commands that need them).
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("sqlalchemy", "reportlab", "PySide6", "openpyxl", "cryptography", "nacl", "PIL", "fupin_desktop.db",
         "fupin_desktop.services", "fupin_desktop.sync", "fupin_desktop.reports")
LOADED = ("import sys, contextlib, io\n"
          "from fupin_desktop.cli import main\n"
          "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
          "    main(['--help'])\n"
          f"print(sorted({{m.split('.')[0] if not m.startswith('fupin_desktop') else '.'.join(m.split('.')[:2])"
          f" for m in sys.modules if m.startswith({HEAVY!r})}}))")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    fupin = shutil.which("fupin", path=str(Path(sys.executable).parent)) or ""
    help_command = [fupin, "--help"] if fupin else [sys.executable, "-m", "fupin_desktop.cli", "--help"]
    bare, helps = [], []
    for _ in range(runs):  # interleaved, so a change in the machine's load hits both alike
        bare.append(timed([sys.executable, "-c", "pass"]))
        helps.append(timed(help_command))
    b, h = statistics.median(bare), statistics.median(helps)
    print(f"bare `python -c pass`: {b * 1000:.0f} ms median of {runs}")
    print(f"`{' '.join(Path(help_command[0]).name if i == 0 else a for i, a in enumerate(help_command))}`: "
          f"{h * 1000:.0f} ms median of {runs}")
    print(f"ratio {h / b:.2f}× (target ≤ 3×, and under 300 ms)")
    loaded = subprocess.run([sys.executable, "-c", LOADED], check=True, capture_output=True, text=True).stdout.strip()
    print(f"heavy packages loaded by --help: {loaded}")


if __name__ == "__main__":
    main()
