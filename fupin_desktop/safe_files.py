"""Writing a user's file (PDF, xlsx) so that a full disk, a read-only stick or a stick pulled out
never leaves half a file: write a hidden temporary file beside the target, fsync, then rename.
Every failure becomes a StorageError with a Chinese message that says nothing half-written was left.
"""

import errno
import os
import uuid
from collections.abc import Callable
from pathlib import Path

from fupin_desktop.errors import StorageError


def write_atomically(path: Path, write: Callable[[Path], None], *, opened_in: str) -> Path:
    """Call `write(temporary_path)`, make it durable and move it onto `path`.

    `opened_in` names the program that may hold the target open ("PDF 阅读器", "Excel 或 WPS").
    Whatever `write` raises (a cancel included) propagates, and no temporary file remains.
    """
    folder = path.parent
    if path.is_dir():
        raise StorageError(f"{path} 是一个文件夹，请另选文件名。")
    if not folder.is_dir():
        raise StorageError(f"文件夹 {folder} 不存在（U盘被拔出了吗？），没有写入文件。")
    temp = folder / f".~{path.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        try:
            write(temp)
            with temp.open("rb+") as f:
                os.fsync(f.fileno())
        except OSError as e:
            raise write_error(e, folder, path) from e
        try:
            os.replace(temp, path)
        except PermissionError as e:
            raise StorageError(f"无法覆盖文件 {path.name}：它可能正在{opened_in}中打开，或是只读文件。"
                               "请关闭该文件后重试，或另存为其他文件名。") from e
        except OSError as e:
            raise write_error(e, folder, path) from e
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the stick is gone: nothing more can be done about the temporary file
    return path


def write_error(e: OSError, folder: Path, path: Path) -> StorageError:
    if e.errno == errno.ENOSPC:
        return StorageError(f"磁盘空间不足，无法写入 {path.name}，没有留下不完整的文件。请清理磁盘或换一个位置。")
    if e.errno == errno.EROFS:
        return StorageError(f"{folder} 是只读的（写保护的U盘或光盘？），无法写入 {path.name}。请换一个位置保存。")
    if isinstance(e, PermissionError):
        return StorageError(f"没有在文件夹 {folder} 中写文件的权限。请换一个位置保存，如“文档”或桌面。")
    if e.errno in (errno.EIO, errno.ENOENT, errno.ENODEV):
        return StorageError(f"写入 {path.name} 时存储设备出错（U盘被拔出了吗？），没有留下不完整的文件。请检查后重试。")
    return StorageError(f"写入 {path.name} 失败（{e.strerror or e}），没有留下不完整的文件。请检查存储设备后重试。")
