"""Text from a bundle (file names, village and computer names) printed safely.

A name with a newline, a terminal escape or a right-to-left override could forge lines or
colours in a clerk's report; such characters are shown as escapes instead.
"""

import unicodedata


def safe_text(text: object, limit: int = 200) -> str:
    s = str(text if text is not None else "")
    out = []
    for ch in s[:limit]:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out) + ("…" if len(s) > limit else "")
