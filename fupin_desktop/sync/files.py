"""Writing a bundle to a USB stick safely: temporary name, fsync, read back and verify, rename."""

import errno
import os
from collections.abc import Callable
from pathlib import Path

from fupin_desktop.errors import StorageError

_REASONS = {
    errno.ENOSPC: "U盘（磁盘）空间已满",
    errno.EROFS: "U盘是只读的（写保护开关？）",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "文件夹不存在（U盘被拔出？）",
    errno.EIO: "读写出错（U盘被拔出或已损坏？）",
}


def reason(e: OSError) -> str:
    return _REASONS.get(e.errno or 0, e.strerror or str(e))


def write_verified(target: Path, data: bytes, verify: Callable[[bytes], None]) -> None:
    """Write `data` to `target` so that a crash, a full stick or a bad stick never leaves a
    partial file under the real name. `verify` is run on the bytes read back from the stick."""
    tmp = target.with_name(f".{target.name}.part")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        back = tmp.read_bytes()
        if back != data:
            raise StorageError(f"写入 {target.parent} 后读回的内容不一致，U盘可能已损坏。请换一个U盘重试，未生成文件。")
        verify(back)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as e:
        raise StorageError(f"无法写入 {target.parent}：{reason(e)}。未生成数据包文件，请处理后重试。") from e
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
