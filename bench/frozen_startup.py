"""Start-up of the frozen program vs the source run: process start to main window shown.

    python bench/frozen_startup.py [dist/fupin]     (build first: pyinstaller --noconfirm installer/fupin.spec)

Both runs open the same demo database offscreen with FUPIN_QUIT_WHEN_SHOWN=1 (the program quits
as soon as the window is shown); prints the median of 5 runs each, their ratio and the installed size.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed(cmd: list[str], env: dict[str, str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - start)
        assert "window shown" in out.stdout, out.stderr
    return statistics.median(times)


def main() -> None:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "fupin")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUPIN_QUIT_WHEN_SHOWN": "1",
           "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), "demo"], env=env, check=True,
                       capture_output=True)
        source = timed([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), "gui"], env)
        frozen = timed([str(dist / "fupin-gui"), "--db", str(db)], env)
    print(f"installed size (one folder): {folder_size(dist) / 2**20:.0f} MB")
    print(f"start-up to main window, median of 5: source {source:.2f} s, frozen {frozen:.2f} s, "
          f"ratio {frozen / source:.2f}")


if __name__ == "__main__":
    main()
