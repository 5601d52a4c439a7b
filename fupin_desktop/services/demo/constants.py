"""What every part of the demo village shares: the row type, the place names, causes and attribute codes."""

from datetime import date
from typing import Any

Row = dict[str, Any]

DEFAULT_VILLAGE_CODE = "410182104201"


def id_salt(village_code: str) -> int:
    """74 bits mixed into every demo row id, so that demo villages of different codes never share
    ids at the county (0 for the default village: its ids stay as they always were)."""
    if village_code == DEFAULT_VILLAGE_CODE:
        return 0
    import hashlib

    return int.from_bytes(hashlib.sha256(f"demo-ids:{village_code}".encode()).digest()[:10], "big") & ((1 << 74) - 1)
DEMO_TODAY = date(2026, 11, 22)  # the day the demo village's data was "last worked on"
COUNTY_NAME, CITY_NAME, TOWNSHIP_NAME, VILLAGE_NAME = "荥阳市", "郑州市", "汜水镇", "新沟村"

# 致贫原因 codes and their share of Luoyang's poor population in 2015 ([004], domain brief §2.6).
CAUSE_NAMES = {
    "01": "因病", "02": "因残", "03": "因学", "04": "因灾", "05": "缺土地", "06": "缺水", "07": "缺技术",
    "08": "缺劳动力", "09": "缺资金", "10": "交通条件落后", "11": "自身发展动力不足", "99": "其它",
}
LUOYANG_CAUSE_SHARES = {
    "01": 13.46, "02": 2.14, "03": 6.55, "04": 0.82, "05": 5.78, "06": 5.64, "07": 27.38,
    "08": 6.84, "09": 19.61, "10": 9.02, "11": 2.27, "99": 0.49,
}

# Household attribute codes (defined by the reference data).
DIBAO, TEKUN, CANJI, SHIJI, DOUDI, BANQIAN = "dibao", "tekun", "canji", "shiji_dishouru", "doudi", "banqian"
