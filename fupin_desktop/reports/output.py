"""Writing a PDF safely: into a temporary file beside the target, flushed, then renamed over it.

An error or a cancel leaves no half-written PDF (and an existing file with the same name intact);
storage problems come back as StorageError with a message a clerk understands.
"""

from __future__ import annotations

import errno
import io
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.platypus import Flowable, SimpleDocTemplate

from fupin_desktop.errors import StorageError
from fupin_desktop.reports.layout import MARGINS, Furniture, canvas_maker

rl_config.useA85 = 0  # binary (compressed) streams: smaller files, no time spent on ASCII85


def build(target: str | Path | BinaryIO, story: Sequence[Flowable], *, pagesize: tuple[float, float],
          furniture: Furniture, subject: str = "") -> None:
    """Lay out `story` into `target` (a file name or a buffer)."""
    doc = SimpleDocTemplate(str(target) if isinstance(target, str | Path) else target, pagesize=pagesize,
                            title=furniture.title, author=furniture.village, subject=subject,
                            creator="扶贫工作队桌面助手", **MARGINS)
    doc.build(list(story), canvasmaker=canvas_maker(furniture))


def to_bytes(story: Sequence[Flowable], *, pagesize: tuple[float, float], furniture: Furniture) -> bytes:
    buffer = io.BytesIO()
    build(buffer, story, pagesize=pagesize, furniture=furniture)
    return buffer.getvalue()


def write(path: str | Path, story: Sequence[Flowable], *, pagesize: tuple[float, float],
          furniture: Furniture) -> Path:
    """Write the PDF to `path` atomically; returns the path. Raises StorageError, or whatever stopped
    the layout (Cancelled); in every case no partial file is left."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise StorageError(f"{path} 是一个文件夹，请另选文件名。")
    if not folder.is_dir():
        raise StorageError(f"文件夹 {folder} 不存在（U盘被拔出了吗？），没有写入文件。")
    temp = folder / f".~{path.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        try:
            with temp.open("wb") as f:
                build(f, story, pagesize=pagesize, furniture=furniture)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise write_error(e, folder, path) from e
        try:
            os.replace(temp, path)
        except PermissionError as e:
            raise StorageError(f"无法覆盖文件 {path.name}：它可能正在 PDF 阅读器中打开，或是只读文件。"
                               "请关闭该文件后重试，或另存为其他文件名。") from e
        except OSError as e:
            raise write_error(e, folder, path) from e
    finally:
        try:
            temp.unlink(missing_ok=True)
        except OSError:
            pass  # the stick is gone: nothing more we can do about the temporary file
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
