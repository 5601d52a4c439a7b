"""Bad bundles are refused before anything is written, with a Chinese message saying what to do."""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from fupin_desktop import safe_files
from fupin_desktop.db.models import Household, Member
from fupin_desktop.errors import StorageError
from fupin_desktop.sync import bundle
from fupin_desktop.sync.exporter import export_bundle
from fupin_desktop.sync.importer import REFUSED, import_bundles
from fupin_desktop.sync.keys import KeyPair, ensure_keys
from tests.cli import fupin
from tests.sync.conftest import World, add_household, export, snapshot

ROOT = Path(__file__).parents[2]


def refused(world, path, match):
    before = snapshot(world.county)
    r = import_bundles(world.county, [path])
    assert [f.status for f in r.files] == [REFUSED]
    assert r.files[0].message.startswith(f"数据包 {path.name}：")
    assert match in r.files[0].message, r.files[0].message
    assert "数据库未做任何改动" in r.files[0].message
    assert snapshot(world.county) == before
    assert not list((world.root / "backups").glob("county-before-import-*")) or r.backup is None
    return r.files[0].message


@pytest.fixture
def sent(world):
    v = world.village()
    add_household(v, "001", "张三")
    return v, export(v, world.usb)


def test_a_flipped_byte_anywhere_is_refused(world, sent):
    _, b = sent
    data = b.read_bytes()
    for pos, match in ((20, "改动"), (len(data) - 5, "改动"), (len(data) // 2, "改动")):
        bad = world.root / f"flip{pos}.fupin"
        bad.write_bytes(data[:pos] + bytes([data[pos] ^ 1]) + data[pos + 1:])
        msg = refused(world, bad, match)
        assert "U盘" in msg


def test_a_truncated_file_is_refused(world, sent):
    _, b = sent
    data = b.read_bytes()
    for n in (5, 100, len(data) - 1):
        bad = world.root / f"cut{n}.fupin"
        bad.write_bytes(data[:n])
        refused(world, bad, "不完整")


def test_not_a_bundle_is_refused(world):
    bad = world.root / "photo.fupin"
    bad.write_bytes(b"\xff\xd8\xff\xe0 a photo, not a bundle")
    refused(world, bad, "不是")


def test_a_bundle_for_another_county_is_refused(world, sent, tmp_path):
    _, b = sent
    other_root = tmp_path / "other"
    other_root.mkdir()
    other = World(other_root)
    try:
        r = import_bundles(other.county, [b])
        assert r.files[0].status == REFUSED and "不是发给本单位的" in r.files[0].message
    finally:
        other.close()


def _reseal(world, b: Path, header_change=None, payload_change=None, keys: KeyPair | None = None,
            county=None) -> Path:
    """Re-sign a bundle with changes, as a forger holding some key would (addressed to world's county;
    `county`: the county that can read the original)."""
    county_keys = ensure_keys(world.county)
    opened = bundle.read_header(b.read_bytes(), b.name)
    payload = bundle.open_payload(opened, ensure_keys(county or world.county), "")
    header = {k: v for k, v in opened.header.items() if k not in ("recipients", "payload", "format")}
    if header_change:
        header_change(header)
    if payload_change:
        payload_change(payload)
    me = keys
    if me is None:  # the village's own key (a replay by the village itself)
        raise AssertionError("give keys")
    header["sender"] = {**header["sender"], "sign_key": me.sign_public, "box_key": me.box_public}
    data = bundle.seal(header, payload, me, [("c", county_keys.box_public)])
    out = world.root / f"forged-{len(list(world.root.glob('forged-*')))}.fupin"
    out.write_bytes(data)
    return out


def test_same_change_id_with_different_content_is_refused(world, sent):
    v, b = sent
    import_bundles(world.county, [b])
    keys = ensure_keys(v)

    def change_name(p):
        for c in p["changes"]:
            if c[3] == "member":
                c[6]["name"] = "李鬼"
    forged = _reseal(world, b, payload_change=change_name, keys=keys)
    refused(world, forged, "内容不同")


def test_one_change_id_twice_in_one_import_with_different_content_is_refused(world, sent):
    """Two files of one batch share a stream: the later one's differing change is caught before
    anything is written, and the first file is still applied."""
    v, b = sent

    def change_name(p):
        for c in p["changes"]:
            if c[3] == "member":
                c[6]["name"] = "李鬼"
    forged = _reseal(world, b, payload_change=change_name, keys=ensure_keys(v))
    r = import_bundles(world.county, [b, forged])
    by_file = {f.file: f for f in r.files}
    assert by_file[forged.name].status == REFUSED
    assert f"与数据包 {b.name} 中同一编号的变更内容不同" in by_file[forged.name].message
    assert by_file[b.name].status != REFUSED
    with world.county.reading() as s:
        assert "李鬼" not in s.scalars(select(Member.name)).all()
        assert s.scalars(select(Member.name)).all()


def test_a_re_keyed_sender_is_refused(world, sent):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    v, b = sent
    import_bundles(world.county, [b])
    add_household(v, "002", "李四")
    b2 = export(v, world.usb)
    impostor = KeyPair(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    refused(world, _reseal(world, b2, keys=impostor), "密钥与之前登记的不同")


def test_an_unconfirmed_sender_is_held_unopened_or_refused_with_known_only(world, tmp_path):
    from fupin_desktop.sync.importer import UNCONFIRMED
    from fupin_desktop.sync.trust import pending_senders

    v = world.village()
    add_household(v, "001", "张三")
    b = export(v, world.usb)
    other = World(tmp_path / "o") if (tmp_path / "o").mkdir() is None else None
    try:  # a county that has not confirmed this village's computer
        before = snapshot(other.county)
        keys = ensure_keys(v)  # addressed to the other county's key, so that only the trust decision differs
        b2 = _reseal(other, b, keys=keys, county=world.county)
        r = import_bundles(other.county, [b2], known_only=True)
        assert r.files[0].status == REFUSED and "尚未确认" in r.files[0].message
        r = import_bundles(other.county, [b2])
        assert r.files[0].status == UNCONFIRMED and keys.fingerprint in r.files[0].message
        assert snapshot(other.county) == before  # nothing applied, nothing decrypted
        with other.county.reading() as s:
            assert [p.fingerprint for p in pending_senders(s)] == [keys.fingerprint]
    finally:
        other.close()


def test_a_bundle_from_a_newer_schema_or_format_is_refused(world, sent):
    v, b = sent
    keys = ensure_keys(v)
    newer = _reseal(world, b, header_change=lambda h: h.update(schema="9999"), keys=keys)
    msg = refused(world, newer, "更新版本")
    assert "升级" in msg
    # format 99 signed by the sender: a newer program; the same byte changed on the stick: damage
    signed = _reseal(world, b, keys=keys)
    data = bytearray(signed.read_bytes())
    hlen = int.from_bytes(data[8:12], "big")
    head = orjson.loads(bytes(data[12:12 + hlen]))
    head["format"] = 99
    raw = orjson.dumps(head, option=orjson.OPT_SORT_KEYS)
    resigned = bytes(data[:8]) + len(raw).to_bytes(4, "big") + raw
    newfmt = world.root / "newfmt.fupin"
    newfmt.write_bytes(resigned + keys.sign.sign(resigned) + bytes(data[12 + hlen + 64:]))
    assert "升级" in refused(world, newfmt, "格式版本 99")
    flipped = world.root / "flipped.fupin"
    original = b.read_bytes()
    at = original.index(b'"format":1') + len(b'"format":')
    flipped.write_bytes(original[:at] + b"9" + original[at + 1:])
    msg = refused(world, flipped, "签名验证失败")
    assert "升级" not in msg


def test_a_full_stick_leaves_no_file(world, monkeypatch):
    v = world.village()
    add_household(v, "001", "张三")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(safe_files.os, "fsync", full)
    with pytest.raises(StorageError, match="空间已满"):
        export_bundle(v, world.usb)
    assert list(world.usb.iterdir()) == []


@pytest.mark.slow  # a real process killed
def test_killing_the_import_leaves_the_county_unchanged_and_it_can_be_run_again(world, sent):
    _, b = sent
    before = snapshot(world.county)
    county_path = world.county.file
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FUPIN_TEST_PAUSE_IN_IMPORT": "30"}
    proc = subprocess.Popen([sys.executable, "-m", "fupin_desktop.cli", "--db", str(county_path), "import-bundle",
                             str(b)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        # the import has written its rows (uncommitted) when the WAL grows past its header
        wal = Path(f"{county_path}-wal")
        while time.time() < deadline and not (wal.exists() and wal.stat().st_size > 100_000):
            time.sleep(0.05)
        assert wal.exists() and wal.stat().st_size > 100_000
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert snapshot(world.county) == before
    r = import_bundles(world.county, [b])
    assert r.files[0].status != REFUSED
    with world.county.reading() as s:
        assert s.query(Household).count() == 1


def test_cli_json_report(world, sent):
    _, b = sent
    out = fupin("--db", world.county.file, "import-bundle", b, "--dry-run", "--json")
    report = json.loads(out.stdout)
    assert report["dry_run"] is True and report["files"][0]["status"] == "将导入"
    assert report["total"]["new_rows"] >= 2
