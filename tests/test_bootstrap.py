"""Set-up without surprises: the Python versions the set-up names are pyproject.toml's; `run` installs
only what running needs; `fupin gui` without a display says so in Chinese."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
BOOTSTRAP = (ROOT / "scripts" / "bootstrap.sh").read_text(encoding="utf-8")


def test_python_versions_named_match_pyproject():
    spec = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    low, high = re.fullmatch(r">=3\.(\d+),<3\.(\d+)", spec).groups()  # type: ignore[union-attr]
    assert f"py_min={low}" in BOOTSTRAP and f"py_max={int(high) - 1}" in BOOTSTRAP
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python 3.{low}–3.{int(high) - 1}" in readme


def test_run_installs_only_what_running_needs():
    run = re.search(r"run_packages=\((.*?)\)", BOOTSTRAP, re.S).group(1).split()  # type: ignore[union-attr]
    assert not {"postgresql", "nsis", "poppler-utils"} & set(run)
    assert 'install_python_packages ""' in BOOTSTRAP  # no [test] extras (pytest, PyInstaller) for run


def test_gui_without_a_display_says_so_in_chinese(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(tmp_path / "x.db"), "gui"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 2 and "没有图形显示" in r.stderr and "xvfb-run" in r.stderr
    assert "xcb" not in r.stderr.lower() and "Traceback" not in r.stderr
