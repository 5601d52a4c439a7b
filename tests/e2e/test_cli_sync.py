"""The sync commands as a clerk runs them: county init, keys, export, import, return, conflicts."""

import json
from pathlib import Path

from tests.cli import fupin
from tests.e2e.test_cli import INIT


def test_village_to_county_and_back(tmp_path):
    county, village, usb = tmp_path / "county.db", tmp_path / "village.db", tmp_path / "usb"
    usb.mkdir()
    out = fupin("--db", county, "county", "init", "--code", "410182", "--name", "荥阳市", "--out", tmp_path).stdout
    assert "县级设置文件" in out and "指纹" in out
    setup = tmp_path / "county-410182.fupin-county"
    assert "本机密钥指纹" in fupin("--db", village, *INIT).stdout
    r = fupin("--db", village, "export-bundle", "--out", usb, check=False)
    assert r.returncode == 2 and "尚未安装县级密钥" in r.stderr
    assert "已安装县级密钥" in fupin("--db", village, "keys", "import-county", setup).stdout
    keys = json.loads(fupin("--db", village, "keys", "show", "--json").stdout)
    assert keys["role"] == "village" and keys["peers"][0]["role"] == "county"
    exported = json.loads(fupin("--db", village, "export-bundle", "--out", usb, "--json").stdout)
    bundle = exported["file"]
    preview = fupin("--db", county, "import-bundle", bundle, "--dry-run").stdout
    assert "预览（未写入任何数据）" in preview and "[待确认指纹（未打开）]" in preview
    assert keys["fingerprint"] in preview and "合计" not in preview
    # first contact: held unopened until the clerk has read the fingerprint over the phone
    assert "[待确认指纹（未打开）]" in fupin("--db", county, "import-bundle", bundle).stdout
    assert keys["fingerprint"] in fupin("--db", county, "keys", "pending").stdout
    trusted = fupin("--db", county, "keys", "trust", keys["fingerprint"].lower().replace("-", " ")).stdout
    assert "已确认指纹" in trusted and "[已导入]" in trusted
    assert "[重复（已导入过）]" in fupin("--db", county, "import-bundle", bundle).stdout
    status = json.loads(fupin("--db", county, "sync-status", "--json").stdout)
    assert status["villages"][0]["village_code"] == "410182104201"
    assert status["villages"][0]["applied_through"] == exported["streams"][0]["seq_to"]
    ret = json.loads(fupin("--db", county, "export-return", "--village", "410182104201", "--out", usb,
                           "--json").stdout)
    assert "[已导入]" in fupin("--db", village, "import-bundle", ret["file"]).stdout
    assert "没有新的变更" in fupin("--db", village, "export-bundle", "--out", usb).stdout
    assert "共0个冲突" in fupin("--db", county, "conflicts").stdout
    # a damaged file: refused with a reason and advice, exit code 2, nothing written
    damaged = tmp_path / "damaged.fupin"
    data = bytearray(Path(bundle).read_bytes())
    data[-3] ^= 0xFF
    damaged.write_bytes(bytes(data))
    r = fupin("--db", county, "import-bundle", damaged, check=False)
    assert r.returncode == 2 and "[拒绝]" in r.stdout and "改动" in r.stdout
