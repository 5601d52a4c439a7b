"""The one way the program writes a file (a PDF, a workbook, a bundle on a stick, a backup copy, a
photo, a key): so that a full disk, a read-only stick or a stick pulled out never leaves half a
file under the real name. Write a hidden temporary file beside the target, fsync, optionally read
it back, rename, fsync the folder. Every failure becomes a StorageError with a Chinese message;
`reason` is the one table of what an OSError means in a clerk's words.
"""

import errno
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fupin_desktop.errors import StorageError

FULL, READ_ONLY, DENIED, DEVICE = "full", "read-only", "denied", "device"
_KINDS = {errno.ENOSPC: FULL, errno.EROFS: READ_ONLY, errno.EACCES: DENIED, errno.EPERM: DENIED,
          errno.ENOENT: DEVICE, errno.ENODEV: DEVICE, errno.EIO: DEVICE}
_REASONS = {
    FULL: "磁盘空间已满",
    READ_ONLY: "磁盘是只读的（写保护的U盘或光盘？）",
    DENIED: "没有权限（文件可能正被其他程序占用）",
    DEVICE: "文件或文件夹不在了，或读写磁盘出错（U盘被拔出？）",
}
_ADVICE = {
    FULL: "请清理磁盘（删除不用的文件、清空回收站）或换一个位置。",
    READ_ONLY: "请换一个位置保存。",
    DENIED: "请换一个位置保存，如“文档”或桌面。",
    DEVICE: "请检查存储设备后重试。",
}


def kind(e: OSError) -> str | None:
    """FULL, READ_ONLY, DENIED or DEVICE; None for an error of another kind."""
    if e.errno in _KINDS:
        return _KINDS[e.errno]
    return DENIED if isinstance(e, PermissionError) else None


def reason(e: OSError) -> str:
    """Why a file operation failed, in words a clerk understands ("磁盘空间已满")."""
    k = kind(e)
    return _REASONS[k] if k else (e.strerror or str(e))


def write_atomically(path: Path, write: Callable[[Path], None], *, opened_in: str = "其他程序",
                     private: bool = False, read_back: Callable[[bytes], None] | None = None,
                     failed: Callable[[OSError], StorageError] | None = None) -> Path:
    """Call `write(temporary_path)`, make it durable and move it onto `path`.

    `opened_in` names the program that may hold the target open ("PDF 阅读器", "Excel 或 WPS").
    `private`: only the owner may read the file (0600), from its first byte. `read_back`: the bytes
    are read back from the medium and checked before the rename (a stick that lies about writes).
    `failed` words an OSError for this caller; by default it says which file and that nothing
    half-written was left. Whatever `write` raises (a cancel included) propagates, and no
    temporary file remains.
    """
    folder = path.parent
    if path.is_dir():
        raise StorageError(f"{path} 是一个文件夹，请另选文件名。")
    if not folder.is_dir():
        raise StorageError(f"文件夹 {folder} 不存在（U盘被拔出了吗？），没有写入文件。")
    temp = folder / f".~{path.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        try:
            if private:
                os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            write(temp)
            with temp.open("rb+") as f:
                os.fsync(f.fileno())
            if read_back is not None:
                read_back(temp.read_bytes())
        except OSError as e:
            raise (failed(e) if failed else _write_error(e, path)) from e
        try:
            os.replace(temp, path)
        except PermissionError as e:
            raise (failed(e) if failed else StorageError(
                f"无法覆盖文件 {path.name}：它可能正在{opened_in}中打开，或是只读文件。"
                "请关闭该文件后重试，或另存为其他文件名。")) from e
        except OSError as e:
            raise (failed(e) if failed else _write_error(e, path)) from e
        fsync_folder(folder)
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the stick is gone: nothing more can be done about the temporary file
    return path


def write_bytes(path: Path, data: bytes, **options: Any) -> Path:
    """`write_atomically` of `data` (the same options)."""
    def put(temp: Path) -> None:
        temp.write_bytes(data)  # a private temp file keeps its 0600
    return write_atomically(path, put, **options)


def _write_error(e: OSError, path: Path) -> StorageError:
    advice = _ADVICE.get(kind(e) or DEVICE)
    return StorageError(f"无法写入 {path.name}：{reason(e)}，没有留下不完整的文件。{advice}")


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (Windows cannot open a folder; its rename is durable enough)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
