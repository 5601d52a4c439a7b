"""A validly signed hostile sender: what it may not do, it cannot do.

Every bundle here is signed by a real key (made fresh, as anyone holding the public county set-up
file can), not damaged by flipped bytes: the checks under test are the county's rules, not the
signature.
"""

import json
import uuid
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fupin_desktop.db import migrate
from fupin_desktop.db.models import Household, Member, RejectedChange, Replica
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.sync import bundle
from fupin_desktop.sync.county import export_return, list_conflicts
from fupin_desktop.sync.importer import APPLIED, REFUSED, UNCONFIRMED, import_bundles
from fupin_desktop.sync.keys import KeyPair, ensure_keys
from fupin_desktop.sync.trust import trust_key
from tests.cli import fupin
from tests.sync.conftest import World, add_household, export, snapshot

A, B = "410182104201", "410182104202"


def fresh_keys() -> KeyPair:
    return KeyPair(Ed25519PrivateKey.generate(), X25519PrivateKey.generate())


class Forger:
    """Writes bundles by hand from the format document, signed with its own key."""

    def __init__(self, world: World, village: str = B, keys: KeyPair | None = None):
        self.world, self.village, self.keys = world, village, keys or fresh_keys()
        self.replica = uuid.uuid4().hex
        self.seq = 0
        self.n = 0

    def confirm(self) -> "Forger":
        trust_key(self.world.county, self.keys.fingerprint, village_code=self.village)
        return self

    def change(self, table: str, row: uuid.UUID | str, op: str, fields: dict, *, clock: str | None = None,
               replica: str | None = None) -> list:
        self.seq += 1
        rep = replica or self.replica
        ms = int(datetime.now(UTC).timestamp() * 1000)
        return [rep, self.seq, clock or f"{ms:013d}-{self.seq:05d}-{rep}", table,
                row.hex if isinstance(row, uuid.UUID) else row, op, fields, {}, "伪造者",
                datetime.now(UTC).isoformat()]

    def bundle(self, changes: list, *, header: dict | None = None, payload: dict | None = None,
               raw_payload: bytes | None = None) -> Path:
        county = ensure_keys(self.world.county)
        reps: dict[str, list[int]] = {}
        for c in changes:
            reps.setdefault(c[0], []).append(c[1])
        streams = [{"replica": r, "seq_from": min(s), "seq_to": max(s), "count": len(s), "prev": None}
                   for r, s in reps.items()] or [{"replica": self.replica, "seq_from": 1, "seq_to": 1, "count": 1,
                                                  "prev": None}]
        h = {"kind": "changes", "schema": migrate.head_revision(), "created_at": datetime.now(UTC).isoformat(),
             "county_code": "410182", "village_code": self.village, "village_name": "河西村",
             "sender": {"replica": self.replica, "name": "河西村电脑", "role": "village",
                        "village_code": self.village, "sign_key": self.keys.sign_public,
                        "box_key": self.keys.box_public, "successor_of": None},
             "streams": streams}
        h.update(header or {})
        data = bundle.seal(h, payload or {"changes": changes, "attachments": []}, self.keys,
                           [(self.world.county.local_replica_id().hex, county.box_public)])
        if raw_payload is not None or header and "payload" in header:
            data = _reseal_raw(data, self.keys, county.box_public, raw_payload, header)
        self.n += 1
        out = self.world.root / f"forged-{self.village}-{self.n}.fupin"
        out.write_bytes(data)
        return out


def _reseal_raw(data: bytes, keys: KeyPair, county_box: str, raw: bytes | None, header: dict | None) -> bytes:
    """Re-sign a bundle after changing its header's payload section or its compressed payload."""
    import hashlib
    import os as _os
    import struct

    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    hlen = struct.unpack(">I", data[8:12])[0]
    h = json.loads(data[12:12 + hlen])
    ciphertext = data[12 + hlen + 64:]
    if raw is not None:  # a payload of our choosing, encrypted for the county under a fresh content key
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

        key, nonce = ChaCha20Poly1305.generate_key(), _os.urandom(12)
        ciphertext = ChaCha20Poly1305(key).encrypt(nonce, raw, bundle.PAYLOAD_AAD)
        eph = X25519PrivateKey.generate()
        rpub = bytes.fromhex(county_box)
        kek = bundle._kek(eph.exchange(X25519PublicKey.from_public_bytes(rpub)), eph.public_key().public_bytes_raw(),
                          rpub)
        h["recipients"][0].update(ephemeral=eph.public_key().public_bytes_raw().hex(),
                                  wrapped_key=ChaCha20Poly1305(kek).encrypt(b"\0" * 12, key, None).hex())
        h["payload"].update(nonce=nonce.hex(), size=len(ciphertext), sha256=hashlib.sha256(ciphertext).hexdigest())
    if header and "payload" in header:
        h["payload"] = header["payload"]
    head = bundle.canonical(h)
    signed = bundle.MAGIC + struct.pack(">I", len(head)) + head
    return signed + keys.sign.sign(signed) + ciphertext


@pytest.fixture
def village_a(world):
    v = world.village(A, "新沟村")
    h = add_household(v, "001", "张三")
    r = import_bundles(world.county, [export(v, world.usb)])
    assert r.files[0].status == APPLIED
    return v, h


def refused(world, path, *words):
    before = snapshot(world.county)
    r = import_bundles(world.county, [path])
    f = r.files[0]
    assert f.status == REFUSED, f.message
    assert f.message.startswith(f"数据包 {path.name}：") and "数据库未做任何改动" in f.message
    for w in words:
        assert w in f.message, f.message
    assert snapshot(world.county) == before
    return f.message


def test_an_unknown_kind_is_refused_before_anything_is_applied(world, village_a):
    f = Forger(world).confirm()
    refused(world, f.bundle([f.change("household", uuid.uuid4(), "insert", {"number": "9"})],
                            header={"kind": "foo"}), "数据包类型")


def test_a_village_cannot_write_the_countys_or_another_villages_stream(world, village_a):
    v, _h = village_a
    f = Forger(world).confirm()
    county_rep = world.county.local_replica_id().hex
    refused(world, f.bundle([f.change("household", uuid.uuid4(), "insert", {"number": "9"}, replica=county_rep)]),
            "不属于本村的变更序列")
    a_rep = v.local_replica_id().hex
    refused(world, f.bundle([f.change("household", uuid.uuid4(), "insert", {"number": "9"}, replica=a_rep)]),
            "不属于本村的变更序列")
    # a county-role sender cannot send a village's changes bundle
    refused(world, f.bundle([], header={"sender": {**_sender(f), "role": "county", "village_code": "410182"}}),
            "不合规")


def _sender(f: Forger) -> dict:
    return {"replica": f.replica, "name": "x", "role": "village", "village_code": f.village,
            "sign_key": f.keys.sign_public, "box_key": f.keys.box_public, "successor_of": None}


def test_clock_stamps_are_checked(world, village_a):
    f = Forger(world).confirm()
    row = uuid.uuid4()
    refused(world, f.bundle([f.change("villager_group", row, "insert", {"name": "x"},
                                      clock=f"9999999999999-99999-{f.replica}")]), "晚于数据包的生成时间")
    refused(world, f.bundle([f.change("villager_group", row, "insert", {"name": "x"}, clock="garbage")]),
            "时钟值格式不对")
    refused(world, f.bundle([f.change("villager_group", row, "insert", {"name": "x"},
                                      clock=f"0000000000001-00000-{'0' * 32}")]), "副本")
    later = (datetime.now(UTC) + timedelta(days=400)).isoformat()
    refused(world, f.bundle([f.change("villager_group", row, "insert", {"name": "x"})],
                            header={"created_at": later}), "晚一天以上")
    with world.county.reading() as s:  # the county's clock never jumped
        me = s.scalars(select(Replica).where(Replica.is_local)).one()
        assert me.last_hlc is None or me.last_hlc[:13] < "9"


def test_badly_typed_headers_and_values_are_refused_by_name(world, village_a):
    f = Forger(world).confirm()
    good = [f.change("household", uuid.uuid4(), "insert", {"number": "9"})]
    refused(world, f.bundle(good, header={"payload": {"cipher": "chacha20-poly1305", "compression": "zlib",
                                                      "nonce": "00" * 12, "size": "12", "sha256": "0" * 64}}),
            "文件头不合规", "payload.size")
    refused(world, f.bundle(good, header={"streams": "all"}), "文件头不合规", "streams")
    refused(world, f.bundle(good, header={"village_code": "41018210420"}), "village_code")
    for fields, word in (({"number": 5}, "household.number"), ({"nope": 1}, "nope"),
                         ({"village_id": "not-a-uuid"}, "UUID"), ({"number": "x" * 30_000}, "household.number")):
        f2 = Forger(world).confirm()
        refused(world, f2.bundle([f2.change("household", uuid.uuid4(), "insert", fields)]), "第 1 条变更不合规", word)
    f3 = Forger(world).confirm()
    refused(world, f3.bundle([f3.change("no_such_table", uuid.uuid4(), "insert", {})]), "不是同步的数据表")
    refused(world, f3.bundle([[1, 2, 3]]), "不合规")


def test_one_bad_file_never_stops_the_good_ones(world, village_a, capsys):
    v, _h = village_a
    h2 = add_household(v, "002", "李四")
    good = export(v, world.usb)
    f = Forger(world).confirm()
    bad = f.bundle([f.change("household", uuid.uuid4(), "insert", {"number": 5})])
    junk = world.root / "junk.fupin"
    junk.write_bytes(b"FUPINBDL\x00\x00\x00\x05{oops" + b"\0" * 80)
    r = import_bundles(world.county, [bad, junk, good])
    assert [x.status for x in r.files] == [REFUSED, REFUSED, APPLIED]
    with world.county.reading() as s:
        assert s.get(Household, h2) is not None
    # the same through the command line: exit 2, no traceback, every file reported
    out = fupin("--db", world.county.file, "import-bundle", bad, junk, good, check=False)
    assert out.returncode == 2 and "Traceback" not in out.stderr + out.stdout
    assert out.stdout.count("[拒绝]") == 2 and "[重复（已导入过）]" in out.stdout


def test_a_confirmed_village_cannot_touch_another_villages_rows(world, village_a):
    v, h = village_a
    before = snapshot(world.county)
    f = Forger(world).confirm()
    with world.county.reading() as s:
        village_id = s.get(Household, h).village_id
        member = s.scalars(select(Member).where(Member.household_id == h)).one()
    new_household = uuid.uuid4()
    changes = [f.change("household", h, "update", {"phone": "13000000000"}),
               f.change("member", member.id, "delete", {"deleted_at": datetime.now(UTC).isoformat()}),
               f.change("household", new_household, "insert", {"village_id": str(village_id), "number": "666",
                                                               "status": "未脱贫", "attributes": [],
                                                               "secondary_causes": []}),
               f.change("county", reference_id("county", "410182"), "update", {"name": "假县"})]
    r = import_bundles(world.county, [f.bundle(changes)])
    rep = r.files[0]
    assert rep.status == APPLIED and "警告" in rep.message and "新沟村" in rep.message, rep.message
    assert len(rep.rejected) == 3
    assert snapshot(world.county) == before  # nothing of 新沟村 changed
    with world.county.reading() as s:
        assert s.scalar(select(func.count()).select_from(RejectedChange)
                        .where(RejectedChange.replica_id == uuid.UUID(f.replica))) == 4
        assert s.get(Household, new_household) is None


def test_a_first_contact_claiming_a_village_is_held_and_gets_no_return(world, village_a):
    v, h = village_a
    impostor = Forger(world, village=A)  # not confirmed
    b = impostor.bundle([impostor.change("household", h, "update", {"phone": "13000000000"})])
    before = snapshot(world.county)
    r = import_bundles(world.county, [b])
    assert r.files[0].status == UNCONFIRMED and impostor.keys.fingerprint in r.files[0].message
    assert snapshot(world.county) == before
    ret = export_return(world.county, A, world.usb)
    assert ret.recipients == (ensure_keys(v).fingerprint,)
    opened = bundle.read_header(ret.file.read_bytes(), ret.file.name)
    assert [x["box_key"] for x in opened.header["recipients"]] == [ensure_keys(v).box_public]


def test_a_bomb_is_refused_within_its_limit(world, village_a):
    f = Forger(world).confirm()
    bomb = zlib.compress(b'{"changes":[' + b" " * (200 << 20), 9)  # 200 MB of spaces in ~200 KB
    refused(world, f.bundle([], raw_payload=bomb), "解压后超过")


def test_names_cannot_forge_lines_in_the_report(world, village_a):
    f = Forger(world).confirm()
    b = f.bundle([f.change("villager_group", uuid.uuid4(), "insert", {"name": "x", "village_id": str(uuid.uuid4())})],
                 header={"village_name": "河西村\n  [已导入] 假的一行\x1b[31m"})
    evil = b.with_name("evil\nname\x1b[2J.fupin")
    b.rename(evil)
    out = fupin("--db", world.county.file, "import-bundle", evil, check=False)
    assert "\x1b" not in out.stdout and "\n  [已导入] 假的一行" not in out.stdout
    assert out.returncode == 0, out.stderr
    assert "\\x0a" in out.stdout and "\\x1b" in out.stdout


def test_files_travel_and_a_missing_file_is_listed(world, tmp_path):
    from PIL import Image

    from fupin_desktop.services.attachments import add_attachment, store_for

    v = world.village(A, "新沟村")
    h = add_household(v, "001", "张三")
    photos = []
    for i, colour in enumerate(("red", "blue")):
        p = tmp_path / f"p{i}.png"
        Image.new("RGB", (40, 30), colour).save(p)
        photos.append(p)
    with v.transaction() as s:
        rows = [add_attachment(s, p, target_table="household", target_id=h) for p in photos]
        store = store_for(s)
    gone = store.path(rows[1].sha256, "png")
    gone.unlink()
    r = import_bundles(world.county, [export(v, world.usb)])
    assert r.files[0].status == APPLIED and r.files[0].missing_files == ["p1.png"]
    with world.county.reading() as s:
        county_store = store_for(s)
    assert county_store.path(rows[0].sha256, "png").read_bytes() == store.path(rows[0].sha256, "png").read_bytes()
    assert not county_store.path(rows[1].sha256, "png").exists()


def test_a_person_in_two_villages_is_told_to_both_with_names(world):
    from fupin_desktop.domain import idcard

    same = idcard.make("410182", date(1970, 1, 1), 5, "男")
    a, b = world.village(A, "新沟村"), world.village(B, "河西村")
    add_household(a, "0012", "张三", same)
    add_household(b, "0044", "张三", same)
    import_bundles(world.county, [export(a, world.usb), export(b, world.usb)])
    with world.county.reading() as s:
        dup = [c for c in list_conflicts(s) if c.kind == "duplicate"]
    assert len(dup) == 1
    assert "新沟村 0012户" in dup[0].detail and "河西村 0044户" in dup[0].detail and "张三" in dup[0].label
    for v, code in ((a, A), (b, B)):
        ret = export_return(world.county, code, world.usb)
        assert ret.notices == 1
        assert import_bundles(v, [ret.file]).files[0].status == APPLIED
        with v.reading() as s:
            told = [c for c in list_conflicts(s) if c.kind == "elsewhere"]
        assert len(told) == 1 and "新沟村 0012户" in told[0].detail and "河西村 0044户" in told[0].detail


def test_the_report_counts_open_conflicts_once_however_many_files_touch_them(world):
    """Every later file re-examines the duplicate: the report still says how many are open."""
    from fupin_desktop.domain import idcard

    same = idcard.make("410182", date(1970, 1, 1), 5, "男")
    villages = [world.village(code, name) for code, name in ((A, "新沟村"), (B, "河西村"), ("410182104203", "东岭村"))]
    for i, v in enumerate(villages):
        add_household(v, f"00{i}1", "张三", same)
    r = import_bundles(world.county, [export(v, world.usb) for v in villages])
    with world.county.reading() as s:
        open_ = [c for c in list_conflicts(s) if c.status == "open"]
    assert len(open_) == 2  # two of the three rows are held
    assert r.total["conflicts_open"] == 2


def test_demo_villages_of_different_codes_share_no_row_ids(tmp_path):
    from fupin_desktop.services.demo import build_demo

    ids = []
    for code in (A, B):
        build_demo(tmp_path / f"{code}.db", village_code=code, households=20, seed=7)
        from fupin_desktop.db.session import open_database

        db = open_database(tmp_path / f"{code}.db")
        with db.reading() as s:
            ids.append(set(s.scalars(select(Household.id))) | set(s.scalars(select(Member.id))))
        db.close()
    assert ids[0] and not ids[0] & ids[1]


# -- the property: whatever a hostile sender does, a village's rows are what its own bundles say -----

@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["forge", "replay", "reorder"]), st.integers(0, 10_000)),
                min_size=1, max_size=5))
def test_forged_replayed_and_reordered_bundles_change_nothing_they_may_not(template_world, tmp_path_factory, plan):
    world = World.copy_of(template_world, tmp_path_factory.mktemp("w"))
    try:
        a = world.dbs[1]
        with a.reading() as s:
            h = s.scalars(select(Household.id)).one()
        genuine = export(a, world.usb, full=True)
        f = Forger(world).confirm()
        files = []
        for step, n in plan:
            if step == "forge":  # B writes A's household, or a row hanging off it, or A's stream
                target = [f.change("household", h, "update", {"phone": f"1{n:010d}"[:11]}),
                          f.change("member", uuid.uuid4(), "insert", {"household_id": str(h), "name": "李鬼",
                                                                       "name_initials": "lg", "id_number": "x",
                                                                       "relation": "户主", "sex": "男",
                                                                       "birth_date": "1970-01-01"}),
                          f.change("household", h, "update", {"status": "已脱贫"},
                                   replica=a.local_replica_id().hex)][n % 3]
                files.append(f.bundle([target]))
            elif step == "replay":  # A's genuine bundle with one value changed, re-signed by A's key
                forged = _replay(world, a, genuine, n)
                files.append(forged)
            else:
                files.reverse()
        # (no backup before each import: backups are tested on their own; here the data is the point)
        import_bundles(world.county, [genuine], backup=False)  # what A's key signed first is A's data
        import_bundles(world.county, files, backup=False)
        import_bundles(world.county, files[::-1] + [genuine], backup=False)
        reference = World.copy_of(template_world, tmp_path_factory.mktemp("ref"))
        try:
            import_bundles(reference.county, [genuine], backup=False)
            tables = ("household", "member", "village")
            assert snapshot(world.county, tables) == snapshot(reference.county, tables)
        finally:
            reference.close()
    finally:
        world.close()


def _replay(world: World, a, genuine: Path, n: int) -> Path:
    keys = ensure_keys(a)
    opened = bundle.read_header(genuine.read_bytes(), genuine.name)
    payload = bundle.open_payload(opened, ensure_keys(world.county), "")
    for c in payload["changes"]:
        if c[3] == "member":
            c[6]["name"] = f"李鬼{n}"
    header = {k: v for k, v in opened.header.items() if k not in ("recipients", "payload", "format")}
    out = world.root / f"replay-{n}-{uuid.uuid4().hex[:6]}.fupin"
    out.write_bytes(bundle.seal(header, payload, keys, [("c", ensure_keys(world.county).box_public)]))
    return out


@pytest.fixture(scope="module")
def template_world(tmp_path_factory):
    root = tmp_path_factory.mktemp("template")
    w = World(root)
    v = w.village(A, "新沟村")
    add_household(v, "001", "张三")
    w.close()
    return w
