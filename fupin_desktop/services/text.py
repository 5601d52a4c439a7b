"""Text helpers for search: pinyin initials of Chinese names."""

from functools import lru_cache

# Surnames read differently from the same character in ordinary words (曾 zēng, not céng).
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "解": "x", "仇": "q", "朴": "p", "区": "o", "查": "z", "盖": "g", "尉": "y",
    "乐": "y", "缪": "m", "翟": "z", "种": "c", "重": "c", "覃": "q", "员": "y", "秘": "b", "召": "s",
    "长": "c", "折": "s", "句": "g", "阚": "k", "隗": "w", "佴": "n", "郇": "x", "眭": "s",
}


@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """'张三明' → 'zsm', '曾小贤' → 'zxx'. Non-Chinese characters are kept, lower-cased."""
    from pypinyin import Style, lazy_pinyin  # here: its dictionaries take a third of a second to load

    name = name.strip()
    if not name:
        return ""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    text = "".join(p[:1] if p.isascii() and p.isalpha() else p for p in parts).lower().replace(" ", "")
    surname = SURNAME_INITIALS.get(name[0])
    return surname + text[1:] if surname and text else text
