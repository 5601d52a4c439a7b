"""The window's side of issue 18: one window per database (a second one is told who has it), and a
database whose header was wiped is damage, for which the newest good backup is offered."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_desktop.db import health, lock
from tests.processes import HOLDER, child_env, kill, make_backup, start

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL"), pytest.mark.slow]  # real processes killed


def cli(db: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fupin_desktop.cli", "--db", str(db), *map(str, args)],
                          capture_output=True, text=True, env=child_env(), timeout=600)


def test_a_second_window_is_refused_and_told_who_has_the_file(qapp, db_path, monkeypatch, settings):
    from PySide6.QtWidgets import QMessageBox

    from fupin_desktop.ui import app as app_module

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    window = start(HOLDER, db_path, "窗口", "window")
    try:
        assert app_module.main(str(db_path)) == 2
    finally:
        kill(window)
    assert "另一个窗口（进程" in shown[0] and "只能在一个窗口中打开" in shown[0]
    assert [h.program for h in lock.others(db_path)] == []  # ours was released, the killed one is stale


def test_a_wiped_header_is_damage_and_the_window_offers_the_backup(qapp, db_path, monkeypatch, settings):
    from tests.ui.helpers import answer_yes, close_main_windows, start_app

    good = make_backup(db_path)
    data = bytearray(db_path.read_bytes())
    data[:100] = bytes(100)
    db_path.write_bytes(bytes(data))
    check = cli(db_path, "check")
    assert check.returncode == 1 and "文件头被清零" in check.stdout and "Traceback" not in check.stderr
    asked = answer_yes(monkeypatch)
    assert start_app(monkeypatch, settings, str(db_path)) == 0
    assert "文件头被清零" in asked[0] and good.name in asked[0]
    assert health.integrity_problems(db_path) == [] and not health.recorded_damage(db_path)
    close_main_windows()
