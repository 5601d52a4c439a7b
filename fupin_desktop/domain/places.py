"""Provinces by the first two digits of an administrative division code (GB/T 2260), so a village
knows the places whose rules cover it (county → city → province → 全国) without a lookup table."""

PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区", "21": "辽宁省",
    "22": "吉林省", "23": "黑龙江省", "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省",
    "35": "福建省", "36": "江西省", "37": "山东省", "41": "河南省", "42": "湖北省", "43": "湖南省",
    "44": "广东省", "45": "广西壮族自治区", "46": "海南省", "50": "重庆市", "51": "四川省", "52": "贵州省",
    "53": "云南省", "54": "西藏自治区", "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区", "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}
# Cities by the first four digits, for a county row without its city (the places of the seeds).
CITIES = {"4101": "郑州市", "4103": "洛阳市"}
NATION = "全国"
# Words a clerk may type for "this village's own …", resolved to the real name (most specific first).
ALIASES = ("本县", "本市", "本省")


def province(code: str | None) -> str | None:
    return PROVINCES.get((code or "")[:2])


def covering(county: str | None, city: str | None, province_name: str | None) -> tuple[str, ...]:
    """The jurisdictions covering a village, most specific first, each once: county, city, province, 全国."""
    out: list[str] = []
    for name in (county, city, province_name, NATION):
        name = (name or "").strip()
        if name and name not in out:
            out.append(name)
    return tuple(out)
