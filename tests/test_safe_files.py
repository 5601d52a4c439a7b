"""The one file writer: private files are 0600 from their first byte, a stick that lies about what it
wrote leaves nothing, and every OSError is told from the one table."""

import errno
import os
import stat

import pytest

from fupin_desktop import safe_files
from fupin_desktop.errors import StorageError


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_private_file_is_never_readable_by_others(tmp_path, monkeypatch):
    seen = []
    real = os.fsync

    def spy(fd):  # the temporary file, before any rename: already 0600
        seen.append(stat.S_IMODE(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    target = safe_files.write_bytes(tmp_path / "signing.key", b"secret", private=True)
    assert target.read_bytes() == b"secret" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert seen and seen[0] == 0o600


def test_a_failed_read_back_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "bundle.fupin"
    target.write_bytes(b"old")

    def lies(back: bytes) -> None:
        raise StorageError("读回的内容不一致")

    with pytest.raises(StorageError, match="读回"):
        safe_files.write_bytes(target, b"new", read_back=lies)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["bundle.fupin"]


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读"),
                                             (errno.EACCES, "没有权限"), (errno.EIO, "U盘被拔出")])
def test_one_table_tells_every_writer_what_an_oserror_means(tmp_path, code, words):
    def fails(_temp):
        raise OSError(code, os.strerror(code))

    with pytest.raises(StorageError, match=f"无法写入 x.pdf：.*{words}.*没有留下不完整的文件") as e:
        safe_files.write_atomically(tmp_path / "x.pdf", fails)
    assert words in safe_files.reason(OSError(code, "")) and list(tmp_path.iterdir()) == []
    with pytest.raises(StorageError, match=f"^备份：.*{words}"):
        safe_files.write_atomically(tmp_path / "y.db", fails,
                                    failed=lambda err: StorageError(f"备份：{safe_files.reason(err)}"))
    assert e.value.__cause__ is not None
