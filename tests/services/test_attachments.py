"""Photos: stored once by content, downscaled with EXIF time, thumbnails; bad files refused clearly."""

import io
from datetime import UTC, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from fupin_desktop import safe_files
from fupin_desktop.db.models import Attachment, AttachmentLink
from fupin_desktop.errors import FupinError
from fupin_desktop.services import attachments
from fupin_desktop.services.attachments import add_attachment, attachments_of, prepare_file, remove_link
from tests.services.visit_fixtures import jpeg


def stored_files(db):
    root = db.file.parent / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file() and "thumbs" not in p.parts)


def test_the_same_photo_added_twice_is_stored_once(db, village, tmp_path):
    photo = jpeg(tmp_path / "IMG_0001.jpg")
    copy = tmp_path / "copy_from_phone.jpg"
    copy.write_bytes(photo.read_bytes())
    with db.transaction() as s:
        a = add_attachment(s, photo, target_table="household", target_id=village.poor)
        b = add_attachment(s, copy, target_table="household", target_id=village.general)
        again = add_attachment(s, photo, target_table="household", target_id=village.poor)
    assert a.id == b.id == again.id and a.link_id == again.link_id != b.link_id
    assert len(stored_files(db)) == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 1
        assert s.scalar(select(func.count()).select_from(AttachmentLink)) == 2


def test_a_large_photo_is_downscaled_with_its_exif_time_and_a_thumbnail(db, village, tmp_path):
    photo = jpeg(tmp_path / "big.jpg", (4000, 3000), noise=True)
    assert photo.stat().st_size > 2_000_000
    with db.transaction() as s:
        row = add_attachment(s, photo, target_table="visit", target_id=village.poor)
    assert (row.width, row.height) == (2000, 1500)  # a 4000-pixel JPEG is decoded at half scale
    assert row.size < photo.stat().st_size
    assert row.taken_at == datetime(2026, 11, 20, 7, 30, tzinfo=UTC)  # 15:30 China time
    assert not row.original_kept and row.path.exists() and row.path.suffix == ".jpg"
    with Image.open(row.thumbnail) as t:
        assert max(t.size) == 256
    with Image.open(row.path) as stored:
        assert stored.size == (2000, 1500)
    assert len(stored_files(db)) == 1  # the original is not kept unless asked
    # asked later for the same photo: the original is stored beside it now
    with db.transaction() as s:
        again = add_attachment(s, photo, target_table="visit", target_id=village.poor, keep_original=True)
    assert again.id == row.id and again.original_kept and len(stored_files(db)) == 2


def test_a_known_photo_is_linked_without_decoding_it_again(db, village, tmp_path, monkeypatch):
    photo = jpeg(tmp_path / "big.jpg", (3000, 2000), noise=True)
    with db.transaction() as s:
        first = add_attachment(s, photo, target_table="visit", target_id=village.poor)
    monkeypatch.setattr(attachments, "prepare_bytes", lambda *a: pytest.fail("decoded a known photo again"))
    with db.transaction() as s:
        again = add_attachment(s, photo, target_table="household", target_id=village.poor)
    assert again.id == first.id and again.link_id != first.link_id


def test_a_large_png_is_resampled_to_the_limit(db, village, tmp_path):
    path = tmp_path / "scan.png"
    Image.effect_noise((3000, 1000), 50).save(path)
    with db.transaction() as s:
        row = add_attachment(s, path, target_table="visit", target_id=village.poor)
    assert (row.width, row.height) == (2560, 853) and row.path.suffix == ".jpg"


def test_a_small_photo_is_stored_as_it_is(db, village, tmp_path):
    photo = jpeg(tmp_path / "small.jpg", (640, 480), taken=None)
    with db.transaction() as s:
        row = add_attachment(s, photo, target_table="ledger_item", target_id=village.poor)
    assert row.path.read_bytes() == photo.read_bytes() and row.original_kept and row.taken_at is None


@pytest.mark.parametrize(("name", "content", "message"), [
    ("notes.jpg", "这不是照片".encode(), "不是图片文件"),
    ("IMG_2201.HEIC", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC格式"),
    ("photo.jpg", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC格式"),  # renamed by a phone app
    ("empty.jpg", b"", "是空的"),
    ("virus.exe", b"MZ\x90\x00", "不支持的文件类型"),
    ("scan.pdf", b"<html>", "不是有效的PDF"),
])
def test_bad_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FupinError, match=message):
        prepare_file(path)


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "video_as_photo.jpg"
    with path.open("wb") as f:  # a sparse 100 MB file
        f.truncate(100 * 1024 * 1024)
    monkeypatch.setattr(type(path), "read_bytes", lambda _p: pytest.fail("read a 100 MB file"))
    with pytest.raises(FupinError, match="过大（100.0 MB）"):
        prepare_file(path)


def test_a_missing_file_says_the_stick_may_be_gone(tmp_path):
    with pytest.raises(FupinError, match="U盘或手机已拔出"):
        prepare_file(tmp_path / "E" / "DCIM" / "IMG_0001.jpg")


def test_a_truncated_png_is_refused(tmp_path):
    buf = io.BytesIO()
    Image.effect_noise((400, 300), 50).save(buf, "PNG")
    path = tmp_path / "cut.png"
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    with pytest.raises(FupinError, match="已损坏或不完整"):
        prepare_file(path)


def test_files_are_written_under_a_temporary_name_then_renamed(db, village, tmp_path, monkeypatch):
    calls = []
    real_replace = safe_files.os.replace  # the one writer all files go through
    monkeypatch.setattr(safe_files.os, "replace", lambda a, b: (calls.append((a, b)), real_replace(a, b)))
    with db.transaction() as s:
        row = add_attachment(s, jpeg(tmp_path / "a.jpg"), target_table="visit", target_id=village.poor)
    assert calls and all(a.name.endswith(".tmp") and b.exists() for a, b in calls)
    assert row.path in [b for _a, b in calls]
    assert not list((db.file.parent / "attachments").rglob("*.tmp"))


def test_documents_are_kept_as_given_and_a_link_can_be_removed(db, village, tmp_path):
    pdf = tmp_path / "整改报告.pdf"
    pdf.write_bytes(b"%PDF-1.4 test")
    with db.transaction() as s:
        row = add_attachment(s, pdf, target_table="ledger_item", target_id=village.poor)
    assert row.kind == "文件" and row.thumbnail is None and row.path.read_bytes() == b"%PDF-1.4 test"
    with db.transaction() as s:
        remove_link(s, row.link_id)
    with db.reading() as s:
        assert attachments_of(s, "ledger_item", [village.poor])[village.poor] == []
    assert row.path.exists()  # content stays for any other record using it


# -- a cadre's photo (the 明白栏 prints it) ---------------------------------------------------------------

def test_a_cadre_photo_is_linked_replaced_and_removed(db, village, tmp_path):
    from fupin_desktop.services.cadres import cadre_photos, list_cadres, remove_cadre_photo, set_cadre_photo

    def photos():
        with db.reading() as s:
            return {c.name: c.photo for c in list_cadres(s)}

    first, second = jpeg(tmp_path / "liming.jpg", (600, 800)), jpeg(tmp_path / "liming2.jpg", (600, 800), seed=7)
    with db.transaction() as s:
        a = set_cadre_photo(s, village.secretary, first)
    shown = photos()
    assert shown["李明"].id == a.id and shown["李明"].thumbnail.exists() and shown["赵敏"] is None
    with db.transaction() as s:
        b = set_cadre_photo(s, village.secretary, second)
        again = set_cadre_photo(s, village.secretary, second)  # the same one again: nothing changes
    assert b.id != a.id and again.link_id == b.link_id and photos()["李明"].id == b.id
    with db.reading() as s:
        links = s.scalars(select(AttachmentLink).where(AttachmentLink.target_table == "cadre")).all()
        assert sorted(link.deleted_at is None for link in links) == [False, True]  # the first one taken off
        assert list(cadre_photos(s, [village.secretary, village.member])) == [village.secretary]
    with db.transaction() as s:
        assert remove_cadre_photo(s, village.secretary) is True
        assert remove_cadre_photo(s, village.secretary) is False
    assert photos()["李明"] is None
    assert len(stored_files(db)) == 2  # the files stay (content-addressed, they may serve elsewhere)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("照片.jpg", b"this is not a picture", "“照片.jpg”不是图片文件，或文件已损坏，无法作为照片添加。"),
    ("简历.pdf", b"%PDF-1.4 a CV", "“简历.pdf”不是照片文件，请选择JPG或PNG格式的照片。"),
    ("名单.xlsx", b"PK\x03\x04", "“名单.xlsx”不是照片文件，请选择JPG或PNG格式的照片。"),
])
def test_a_file_that_is_not_a_photo_is_refused_for_a_cadre_and_nothing_changes(db, village, tmp_path, name,
                                                                                 content, message):
    from fupin_desktop.services.cadres import list_cadres, set_cadre_photo

    with db.transaction() as s:
        kept = set_cadre_photo(s, village.secretary, jpeg(tmp_path / "liming.jpg"))
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(FupinError) as refused, db.transaction() as s:
        set_cadre_photo(s, village.secretary, bad)
    assert str(refused.value) == message
    assert len(stored_files(db)) == 1
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 1
        assert s.scalar(select(func.count()).select_from(AttachmentLink)) == 1
        assert next(c.photo.id for c in list_cadres(s) if c.name == "李明") == kept.id
