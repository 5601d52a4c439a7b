"""Text helpers for search: pinyin initials of Chinese names."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """'张三明' → 'zsm'. Non-Chinese characters are kept, lower-cased; 多音字 take their common reading."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] if p.isascii() and p.isalpha() else p for p in parts).lower().replace(" ", "")
