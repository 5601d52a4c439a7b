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


# -- no personal data in logs (issue 19) ------------------------------------------------------------

ID_NUMBER, NAME = "410182198001010011", "张秀英"


def _failing_write(db_path):
    """A write the database refuses (a member of a household that does not exist), carrying an ID number."""
    import uuid

    from sqlalchemy import insert

    from fupin_desktop.db.models import Member
    from fupin_desktop.db.session import open_database

    db = open_database(db_path)
    try:
        with db.transaction() as s:
            s.execute(insert(Member).values(id=uuid.uuid4(), household_id=uuid.uuid4(), name=NAME,
                                            id_number=ID_NUMBER, relation="户主"))
    finally:
        db.close()


def test_a_refused_write_reaches_neither_stderr_nor_the_log_with_its_values(db_path, monkeypatch, capsys):
    from fupin_desktop import cli
    from fupin_desktop.cli import register

    monkeypatch.setattr(register, "cmd_check", lambda args: _failing_write(args.db))
    code = cli.main(["--db", str(db_path), "check"])
    err = capsys.readouterr().err
    assert code == 70 and "数据库拒绝了这次写入" in err and "本次操作没有保存" in err
    log_file = db_path.parent / "logs" / "fupin.log"
    text = log_file.read_text(encoding="utf-8")
    assert "IntegrityError" in text and "INSERT INTO member" in text  # enough to find the bug …
    for secret in (ID_NUMBER, NAME):  # … and nothing about the person
        assert secret not in err and secret not in text


def test_the_crash_report_and_the_log_file_carry_no_values(db_path, tmp_path):
    from fupin_desktop.logs import error_report

    try:
        _failing_write(db_path)
    except Exception as e:  # noqa: BLE001
        report = error_report(e)
    assert "IntegrityError" in report and ID_NUMBER not in report and NAME not in report
    file = logs.setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("fupin.test").error("保存失败：%s，电话 13812345678", ID_NUMBER)
    finally:
        logs.stop_logging()
    text = file.read_text(encoding="utf-8")
    assert ID_NUMBER not in text and "13812345678" not in text and "已隐去" in text
