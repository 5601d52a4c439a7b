"""The log file: rotates, and a folder that cannot be written does not stop the program."""

import logging

from fupin_desktop import logs


def test_log_rotates_and_keeps_five_old_files(tmp_path, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    file = logs.setup_logging(tmp_path / "logs")
    try:
        assert file == tmp_path / "logs" / "fupin.log" and logs.current_log_file() == file
        for i in range(400):
            logging.getLogger("fupin.test").warning("第%d条：保存农户", i)
    finally:
        logs.stop_logging()
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == ["fupin.log", *(f"fupin.log.{i}" for i in range(1, 6))]
    assert all(p.stat().st_size <= 2100 for p in (tmp_path / "logs").iterdir())
    assert "第399条" in file.read_text(encoding="utf-8")


def test_an_unwritable_folder_leaves_logging_on_stderr(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert logs.setup_logging(blocker / "logs") is None and logs.current_log_file() is None
