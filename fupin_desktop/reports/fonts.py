"""The Chinese fonts of every printout, registered with ReportLab and embedded as subsets.

Two open-licence TrueType (glyf) fonts ship in resources/fonts (licences beside them):

- AR PL UMing CN (宋体 style, Arphic Public License): body text, as official documents use 宋体;
  21,302 CJK characters including Extension A names such as 䶮 and 1,801 of Extension B.
- WenQuanYi Zen Hei (黑体 style, GPL-2 with the font-embedding exception): titles, headings and
  table heads, the UI font, and the fallback for characters UMing lacks (28,129 CJK characters).

Each run of characters the chosen font lacks is set in the other one (`markup`), so a rare name
prints whichever font holds it. ReportLab subsets TrueType fonts: a PDF carries only the glyphs
it uses, once per document however many pages.
"""

from __future__ import annotations

import functools
import re
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fupin_desktop.errors import FupinError
from fupin_desktop.resources.font_files import FONTS, HEI, SONG, font_path


@functools.cache
def register() -> None:
    """Register both fonts with ReportLab (once per process); raises FupinError if a file is missing."""
    for font in FONTS:
        path = font_path(font)
        if not path.is_file():
            raise FupinError(f"缺少打印用的中文字体文件 {path}，请重新安装本程序。")
        pdfmetrics.registerFont(_with_width_cache(TTFont(font.name, str(path), subfontIndex=font.subfont)))
    # drawings (QR code, charts) start from this state; keep them off the unembedded Helvetica
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = HEI
    # <b> in a paragraph of 宋体 switches to 黑体 (the fonts have no bold faces)
    for name in (SONG, HEI):
        addMapping(name, 0, 0, name)
        addMapping(name, 1, 0, HEI)
        addMapping(name, 0, 1, name)
        addMapping(name, 1, 1, HEI)


def _with_width_cache(font: TTFont) -> TTFont:
    """The font with its string widths remembered: a batch of cards asks for the same few thousand
    (a character, a name, a column head at one size) hundreds of thousands of times."""
    measure = font.stringWidth
    widths: dict[tuple[str, float], float] = {}

    def string_width(text: str, size: float, encoding: str = "utf8") -> float:
        key = (text, size)
        width = widths.get(key)
        if width is None:
            if len(widths) > 200_000:  # bounded: a long-running program prints many documents
                widths.clear()
            width = widths[key] = measure(text, size, encoding)
        return width

    font.stringWidth = string_width
    return font


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


def has_glyph(font: str, char: str) -> bool:
    return ord(char) in _cmap(font) or char in "\n\t"


def covers(font: str, text: str) -> bool:
    """Whether `font` holds every character of `text`."""
    cmap = _cmap(font)
    return all(ord(ch) in cmap for ch in text)


def other(font: str) -> str:
    return HEI if font == SONG else SONG


def runs(text: str, font: str = SONG) -> list[tuple[str, str]]:
    """Split text into (font, run) pairs: each character in `font` when it has it, else the other one.

    A character neither font holds stays in `font` (it prints as an empty box; see `missing`).
    """
    out: list[tuple[str, str]] = []
    alt = other(font)
    for ch in text:
        use = font if has_glyph(font, ch) or not has_glyph(alt, ch) else alt
        if out and out[-1][0] == use:
            out[-1] = (use, out[-1][1] + ch)
        else:
            out.append((use, ch))
    return out


def missing(text: str) -> str:
    """The characters of `text` that neither font can print."""
    return "".join(dict.fromkeys(ch for ch in text if not has_glyph(SONG, ch) and not has_glyph(HEI, ch)))


def markup(text: object, font: str = SONG) -> str:
    """Paragraph markup of plain text: XML-escaped, with runs the main font lacks set in the other."""
    s = "" if text is None else str(text)
    if not s:
        return ""
    parts = runs(s, font)
    if len(parts) == 1 and parts[0][0] == font:
        return escape(s)
    return "".join(escape(run) if f == font else f'<font name="{f}">{escape(run)}</font>' for f, run in parts)


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float, *, anchor: str = "left") -> float:
    """Draw a line on a canvas with the same per-run fallback; returns its width."""
    parts = runs(text, font)
    width = sum(pdfmetrics.stringWidth(run, f, size) for f, run in parts)
    if anchor == "right":
        x -= width
    elif anchor == "center":
        x -= width / 2
    for f, run in parts:
        canvas.setFont(f, size)
        canvas.drawString(x, y, run)
        x += pdfmetrics.stringWidth(run, f, size)
    return width


# -- measuring and breaking text (table cells of every document; the cards of reports/sheet.py) -------

_CHAR_WIDTHS: dict[str, dict[str, float]] = {}  # font → character → width at 1 pt (the font that draws it)


_STRING_WIDTHS: dict[tuple[str, str], float] = {}  # (text, font) → width at 1 pt


def width(text: str, font: str, size: float) -> float:
    """The width of `text` in points, each character in the font that will draw it (see runs);
    remembered per string (a batch measures the same names, dates and labels again and again)."""
    known = _STRING_WIDTHS.get((text, font))
    if known is not None:
        return known * size
    table = _CHAR_WIDTHS.get(font)
    if table is None:
        register()
        table = _CHAR_WIDTHS[font] = {}
    total = 0.0
    for ch in text:
        w = table.get(ch)
        if w is None:
            use = font if has_glyph(font, ch) or not has_glyph(other(font), ch) else other(font)
            w = table[ch] = pdfmetrics.stringWidth(ch, use, 1000) / 1000
        total += w
    if len(_STRING_WIDTHS) > 200_000:
        _STRING_WIDTHS.clear()
    _STRING_WIDTHS[(text, font)] = total
    return total * size


_UNITS = re.compile(r"[!-~]+|\s|.", re.S)  # a run of Latin letters, digits and ASCII marks never breaks
_CLOSING = frozenset("，。、；：！？）》」』”’%")
_OPENING = frozenset("（《「『“‘")


def _units(text: str) -> list[str]:
    out: list[str] = []
    glue = False  # the previous unit was an opening mark: this one joins it
    for u in _UNITS.findall(text):
        if out and (glue or u[0] in _CLOSING):
            out[-1] += u
        else:
            out.append(u)
        glue = u[-1] in _OPENING
    return out


_WRAPPED: dict[tuple[str, str, float, float], tuple[str, ...]] = {}


def wrap(text: str, font: str, size: float, room: float) -> tuple[str, ...]:
    """`text` broken into lines no wider than `room` (a unit wider than that alone is cut by character)."""
    key = (text, font, size, room)
    lines = _WRAPPED.get(key)
    if lines is not None:
        return lines
    out: list[str] = []
    for para in text.split("\n"):
        if width(para, font, size) <= room:
            out.append(para)
            continue
        line, used = "", 0.0
        for u in _units(para):
            w = width(u, font, size)
            if used + w <= room + 1e-6:
                line, used = line + u, used + w
                continue
            if line.strip():
                out.append(line.rstrip())
            line, used = ("", 0.0) if u.isspace() else (u, w)
            while used > room + 1e-6 and len(line) > 1:  # a unit wider than the cell: cut it
                k = len(line) - 1
                while k > 1 and width(line[:k], font, size) > room:
                    k -= 1
                out.append(line[:k])
                line = line[k:]
                used = width(line, font, size)
        out.append(line.rstrip())
    if len(_WRAPPED) > 100_000:
        _WRAPPED.clear()
    lines = _WRAPPED[key] = tuple(out)
    return lines
