"""Writing a bundle to a USB stick safely: temporary name, fsync, read back and verify, rename
(safe_files, the one writer)."""

from collections.abc import Callable
from pathlib import Path

from fupin_desktop.errors import StorageError
from fupin_desktop.safe_files import reason, write_bytes


def write_verified(target: Path, data: bytes, verify: Callable[[bytes], object]) -> None:
    """Write `data` to `target` so that a crash, a full stick or a bad stick never leaves a
    partial file under the real name. `verify` is run on the bytes read back from the stick: it
    raises when they are wrong (what it returns is ignored)."""
    def check(back: bytes) -> None:
        if back != data:
            raise StorageError(f"写入 {target.parent} 后读回的内容不一致，U盘可能已损坏。请换一个U盘重试，未生成文件。")
        verify(back)

    def failed(e: OSError) -> StorageError:
        return StorageError(f"无法写入 {target.parent}：{reason(e)}。未生成数据包文件，请处理后重试。")

    write_bytes(target, data, read_back=check, failed=failed)
