"""Photos and documents: added from disk (USB stick, phone folder), stored once by content.

Files live beside the database in `attachments/<sha[:2]>/<sha256>.<ext>`, thumbnails in
`attachments/thumbs/`. A photo larger than MAX_SIDE pixels or DOWNSCALE_BYTES is stored as a
downscaled JPEG (EXIF orientation applied, GPS removed); the original is kept only when asked.
Adding the same file again (by the hash of the file as given) reuses the stored one.

Every file is written to a temporary name, flushed to disk and renamed, so a crash or a full disk
never leaves a half-written file under a real name. Files are written before the transaction
commits; if it then rolls back they stay unreferenced, which is harmless in a content-addressed
store (the same bytes will be reused).
"""

import hashlib
import io
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fupin_desktop import paths
from fupin_desktop.db.models import Attachment, AttachmentLink
from fupin_desktop.db.query import get_live, live, tombstone
from fupin_desktop.db.session import sqlite_file
from fupin_desktop.domain.clock import CHINA
from fupin_desktop.errors import FupinError, StorageError
from fupin_desktop.safe_files import reason, write_bytes

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 120_000_000  # beyond this a "photo" is a decompression bomb or a scan of a wall
MAX_SIDE = 2560  # stored photos: long side at most this many pixels
DRAFT_SIDE = 1900  # JPEGs are decoded at the smallest 1/2, 1/4 … scale still this large
DOWNSCALE_BYTES = 1_500_000  # photos above this size are re-encoded even when small in pixels
JPEG_QUALITY = 85
THUMB_SIDE = 256
PHOTO, DOCUMENT = "照片", "文件"
PHOTO_EXTS = {"jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff"}
DOCUMENT_EXTS = {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "txt", "ofd"}
HEIC_EXTS = {"heic", "heif", "hif"}
_HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")
TARGETS = ("visit", "household", "ledger_item", "project", "cadre")  # cadre: the portrait on the 明白栏
_EXIF_DATETIME_ORIGINAL, _EXIF_DATETIME, _EXIF_IFD, _GPS_IFD, _ORIENTATION = 36867, 306, 0x8769, 0x8825, 0x0112


@dataclass(frozen=True)
class AttachmentRow:
    id: uuid.UUID  # the attachment
    link_id: uuid.UUID | None  # its link to the record it was listed for
    sha256: str
    kind: str
    file_name: str
    path: Path  # the stored file
    thumbnail: Path | None  # photos only
    size: int
    width: int | None
    height: int | None
    taken_at: datetime | None  # UTC
    original_kept: bool
    caption: str | None = None


@dataclass(frozen=True)
class PreparedFile:
    """A file read and checked (and, for a large photo, downscaled), ready to be stored."""

    file_name: str
    kind: str
    original: bytes
    original_sha256: str
    original_ext: str
    stored: bytes  # the same object as `original` when stored as given
    stored_sha256: str
    ext: str
    width: int | None
    height: int | None
    taken_at: datetime | None
    thumbnail: bytes | None


class Store:
    """The content-addressed folder of one database."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str, ext: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.{ext}"

    def thumb(self, sha256: str) -> Path:
        return self.root / "thumbs" / sha256[:2] / f"{sha256}.jpg"

    def put(self, path: Path, data: bytes) -> bool:
        """Write `data` at `path` unless it is already there; True when written."""
        if path.exists() and path.stat().st_size == len(data):
            return False
        _write(path, data)
        return True


def _write(path: Path, data: bytes) -> None:
    def failed(e: OSError) -> StorageError:
        return StorageError(f"照片/文件没有保存：{reason(e)}（附件文件夹 {path.parent}）。请处理后重试。")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise failed(e) from e
    write_bytes(path, data, failed=failed)


def store_for(session: Session) -> Store:
    """The attachment folder of the session's database (beside the file; the data folder for a server)."""
    db_file = sqlite_file(str(session.get_bind().engine.url))
    return Store(paths.attachments_dir(db_file) if db_file else paths.data_dir() / "attachments")


def _ext(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _exif_time(image: Image.Image) -> datetime | None:
    exif = image.getexif()
    text = exif.get_ifd(_EXIF_IFD).get(_EXIF_DATETIME_ORIGINAL) or exif.get(_EXIF_DATETIME)
    if not isinstance(text, str):
        return None
    try:  # phones in China write local time without a zone
        return datetime.strptime(text.strip()[:19], "%Y:%m:%d %H:%M:%S").replace(tzinfo=CHINA).astimezone(UTC)
    except ValueError:
        return None


def _open_image(name: str, data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise FupinError(f"照片“{name}”尺寸过大（{image.width}×{image.height}像素），无法添加。")
            return image
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as e:
            raise FupinError(f"照片“{name}”尺寸过大，无法添加。") from e
        except UnidentifiedImageError as e:
            raise FupinError(f"“{name}”不是图片文件，或文件已损坏，无法作为照片添加。") from e
        except (OSError, SyntaxError, ValueError) as e:  # a header cut short
            raise FupinError(f"照片“{name}”已损坏或不完整（{e}），无法添加。") from e


def read_file(path: str | Path) -> tuple[str, str, bytes]:
    """(name, extension, bytes) of a file to add; FupinError when it is missing, empty or too big."""
    path = Path(path)
    name, ext = path.name, _ext(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise FupinError(f"“{name}”不是文件，无法添加。")
        if size > MAX_FILE_BYTES:
            raise FupinError(f"文件“{name}”过大（{size / 1024 / 1024:.1f} MB），单个文件最大 "
                             f"{MAX_FILE_BYTES // 1024 // 1024} MB。照片请用手机的“压缩/标准画质”导出后再添加。")
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise FupinError(f"找不到文件“{path}”（U盘或手机已拔出？）。") from e
    except OSError as e:
        raise FupinError(f"无法读取文件“{path}”：{reason(e)}（U盘或手机已拔出？）。") from e
    if not data:
        raise FupinError(f"文件“{name}”是空的，无法添加。")
    return name, ext, data


def prepare_file(path: str | Path) -> PreparedFile:
    """Read and check one file; downscale a large photo. Raises FupinError with a clear message.

    Needs no database: the GUI can run it while the user is still filling in the form.
    """
    return prepare_bytes(*read_file(path))


def prepare_bytes(name: str, ext: str, data: bytes, original_sha: str | None = None) -> PreparedFile:
    """prepare_file for bytes already read."""
    original_sha = original_sha or hashlib.sha256(data).hexdigest()
    if ext in HEIC_EXTS or data[4:8] == b"ftyp" and data[8:12] in _HEIC_BRANDS:
        raise FupinError(f"照片“{name}”是HEIC格式（苹果手机默认格式），本程序暂不能读取。请在手机“设置→相机→格式”"
                         "中选“兼容性最佳”后重新拍摄，或先把照片转换为JPG再添加。")
    if ext in DOCUMENT_EXTS:
        if ext == "pdf" and not data.startswith(b"%PDF"):
            raise FupinError(f"“{name}”不是有效的PDF文件（可能已损坏）。")
        return PreparedFile(name, DOCUMENT, data, original_sha, ext, data, original_sha, ext, None, None, None, None)
    if ext not in PHOTO_EXTS:
        allowed = "、".join(sorted(PHOTO_EXTS | DOCUMENT_EXTS))
        raise FupinError(f"不支持的文件类型“{name}”。可添加的类型：{allowed}。")
    return _prepare_photo(name, ext, data, original_sha)


def prepare_photo(path: str | Path) -> PreparedFile:
    """prepare_file for a place that takes a photo only (a cadre's portrait): a document is refused."""
    name, ext, data = read_file(path)
    if ext not in PHOTO_EXTS and ext not in HEIC_EXTS:
        raise FupinError(f"“{name}”不是照片文件，请选择JPG或PNG格式的照片。")
    return prepare_bytes(name, ext, data)


def _prepare_photo(name: str, ext: str, data: bytes, original_sha: str) -> PreparedFile:
    image = _open_image(name, data)
    try:
        taken_at = _exif_time(image)
        big = max(image.size) > MAX_SIDE or len(data) > DOWNSCALE_BYTES
        if big and image.format == "JPEG":  # decode at a reduced scale straight away: much faster
            # a 4000-pixel phone photo is decoded at 2000 pixels (1/2 scale) rather than resampled
            scale = DRAFT_SIDE / max(image.size)
            if scale < 1:
                image.draft("RGB", (int(image.width * scale) + 1, int(image.height * scale) + 1))
        image.load()
        exif = image.getexif()
        shown = ImageOps.exif_transpose(image) or image
    except FupinError:
        raise
    except (OSError, SyntaxError, ValueError) as e:  # truncated or broken image data
        raise FupinError(f"照片“{name}”已损坏或不完整（{e.__class__.__name__}），无法添加。") from e
    if big:
        if shown.mode not in ("RGB", "L"):
            shown = shown.convert("RGB")
        shown.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BICUBIC)
        exif[_ORIENTATION] = 1
        exif.pop(_GPS_IFD, None)  # where the household lives stays out of the copy that travels
        out = io.BytesIO()
        shown.save(out, "JPEG", quality=JPEG_QUALITY, exif=exif.tobytes())
        stored, stored_ext = out.getvalue(), "jpg"
    else:
        stored, stored_ext = data, ("jpg" if ext == "jpeg" else ext)
    thumb = shown.copy()
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    t = io.BytesIO()
    thumb.save(t, "JPEG", quality=80)
    stored_sha = original_sha if stored is data else hashlib.sha256(stored).hexdigest()
    return PreparedFile(name, PHOTO, data, original_sha, stored_ext, stored, stored_sha, stored_ext,
                        shown.width, shown.height, taken_at, t.getvalue())


def add_attachment(session: Session, source: str | Path | PreparedFile, *, target_table: str,
                   target_id: uuid.UUID, keep_original: bool = False, caption: str | None = None) -> AttachmentRow:
    """Store a file (once, by content) and link it to a record; returns the stored attachment."""
    if target_table not in TARGETS:
        raise ValueError(f"unknown attachment target {target_table!r}")
    store = store_for(session)
    if not isinstance(source, PreparedFile):
        name, ext, data = read_file(source)
        sha = hashlib.sha256(data).hexdigest()
        known = _known(session, store, sha)
        if known is not None and (known.original_kept or not keep_original):
            return _link(session, store, known, target_table, target_id, caption)  # stored already: no decoding
        source = prepare_bytes(name, ext, data, sha)
    prepared = source
    row = session.scalar(select(Attachment).where(
        live(Attachment),
        or_(Attachment.original_sha256 == prepared.original_sha256, Attachment.sha256 == prepared.stored_sha256,
            Attachment.sha256 == prepared.original_sha256)).limit(1))
    if row is None:
        row = Attachment(sha256=prepared.stored_sha256, ext=prepared.ext, kind=prepared.kind,
                         file_name=prepared.file_name, size=len(prepared.stored), width=prepared.width,
                         height=prepared.height, taken_at=prepared.taken_at,
                         original_sha256=prepared.original_sha256, original_size=len(prepared.original),
                         original_kept=prepared.stored is prepared.original, original_ext=prepared.original_ext)
        session.add(row)
    # the files: written (again) when missing, e.g. for a row that arrived by sync without its file
    if row.sha256 == prepared.stored_sha256:
        store.put(store.path(row.sha256, row.ext), prepared.stored)
        if prepared.thumbnail is not None:
            store.put(store.thumb(row.sha256), prepared.thumbnail)
    if keep_original and not row.original_kept and row.original_sha256 == prepared.original_sha256:
        store.put(store.path(prepared.original_sha256, prepared.original_ext), prepared.original)
        row.original_kept = True
    session.flush()
    return _link(session, store, row, target_table, target_id, caption)


def _known(session: Session, store: Store, sha: str) -> Attachment | None:
    """The stored attachment made from a file with this hash, if its file is still on disk."""
    row = session.scalar(select(Attachment).where(
        live(Attachment), or_(Attachment.original_sha256 == sha, Attachment.sha256 == sha)).limit(1))
    return row if row is not None and store.path(row.sha256, row.ext).exists() else None


def _link(session: Session, store: Store, row: Attachment, target_table: str, target_id: uuid.UUID,
          caption: str | None) -> AttachmentRow:
    link = session.scalar(select(AttachmentLink).where(
        AttachmentLink.attachment_id == row.id, AttachmentLink.target_table == target_table,
        AttachmentLink.target_id == target_id, live(AttachmentLink)))
    if link is None:
        link = AttachmentLink(attachment_id=row.id, target_table=target_table, target_id=target_id, caption=caption)
        session.add(link)
        session.flush()
    return _row(store, row, link)


def _row(store: Store, a: Attachment, link: AttachmentLink | None) -> AttachmentRow:
    thumb = store.thumb(a.sha256) if a.kind == PHOTO else None
    return AttachmentRow(a.id, link.id if link else None, a.sha256, a.kind, a.file_name, store.path(a.sha256, a.ext),
                         thumb, a.size, a.width, a.height, a.taken_at, a.original_kept,
                         link.caption if link else None)


def attachments_of(session: Session, target_table: str, target_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID,
                                                                                                list[AttachmentRow]]:
    """The live attachments of some records, by record id, in the order they were added."""
    ids = list(target_ids)
    out: dict[uuid.UUID, list[AttachmentRow]] = {i: [] for i in ids}
    if not ids:
        return out
    store = store_for(session)
    rows = session.execute(select(AttachmentLink, Attachment).join(Attachment).where(
        AttachmentLink.target_table == target_table, AttachmentLink.target_id.in_(ids),
        live(AttachmentLink), live(Attachment)).order_by(AttachmentLink.created_at))
    for link, a in rows:
        out[link.target_id].append(_row(store, a, link))
    return out


def count_attachments(session: Session, target_table: str, target_id: uuid.UUID) -> int:
    return len(attachments_of(session, target_table, [target_id])[target_id])


def remove_link(session: Session, link_id: uuid.UUID) -> None:
    """Take an attachment off a record (a tombstone; the stored file stays for other records)."""
    tombstone(session, get_live(session, AttachmentLink, link_id))


def ensure_thumbnail(row: AttachmentRow) -> Path | None:
    """The thumbnail of a photo, made from the stored file when missing (e.g. after a sync)."""
    if row.thumbnail is None or row.thumbnail.exists():
        return row.thumbnail
    try:
        with Image.open(row.path) as image:
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
        _write(row.thumbnail, out.getvalue())
    except (OSError, FupinError):
        return None
    return row.thumbnail


def storage_size(session: Session) -> int:
    """Bytes used by the attachment folder (for benchmarks and the settings page)."""
    root = store_for(session).root
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0
