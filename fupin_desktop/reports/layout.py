"""What all printouts share: paper, styles, tables, the page header and footer with
"第 x 页 共 y 页" counted per section (one household of a batch is one section).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from fupin_desktop.domain import money
from fupin_desktop.reports import fonts
from fupin_desktop.reports.fonts import HEI, SONG, markup

A4_PORTRAIT = A4
A3_LANDSCAPE = landscape(A3)
A4_LANDSCAPE = landscape(A4)
WIDE = A4_LANDSCAPE[0] - 30 * mm  # the frame of a landscape ledger
INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#555555")
HEAD_BG = colors.HexColor("#e8e8e8")
NOTE_INK = colors.HexColor("#444444")
RED = colors.HexColor("#b01c1c")


class Paragraph(platypus.Paragraph):
    """A paragraph laid out once per width: the page frame lays it out and a KeepTogether measures its
    contents again, the same lines each time, since breaking them depends on the width alone."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.__dict__.get("_wrapped_for") != availWidth:
            self._wrapped = super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return self._wrapped


class Table(platypus.Table):
    """A table laid out once per width (see Paragraph): its row heights come from its cells, which
    depend on the width alone."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.__dict__.get("_wrapped_for") != availWidth:
            self._wrapped = super().wrap(availWidth, availHeight)
            self._wrapped_for = availWidth
        return self._wrapped


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    head: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    qr_label: ParagraphStyle
    pad: tuple[float, float] = (2.2, 2.6)  # top and bottom padding of table cells
    dense: bool = False  # the compact look: tighter leading, padding and headings
    fit: bool = False  # grid() sizes columns to their contents (fit_widths) rather than to their parts


def styles(size: float = 9.5, *, dense: bool = False, fit: bool = False) -> Styles:
    """Paragraph styles for body text of `size` points (tables use the same size).

    `dense`: the one-page 明白卡 look — tighter leading, cell padding and headings, and table columns
    sized to their contents so that short values stay on one line.
    """
    fonts.register()
    lead = size * (1.2 if dense else 1.35)
    cell = ParagraphStyle("cell", fontName=SONG, fontSize=size, leading=lead, textColor=INK,
                          wordWrap="CJK", alignment=TA_LEFT)
    h2 = (size * 1.15, size * 1.4, size * 0.4, size * 0.2) if dense else (size * 1.25, size * 1.7, size * 0.7,
                                                                            size * 0.3)
    return Styles(
        title=ParagraphStyle("title", fontName=HEI, fontSize=size * 2.1, leading=size * 2.7, alignment=TA_CENTER,
                             textColor=INK, spaceAfter=size * 0.3, wordWrap="CJK"),
        subtitle=ParagraphStyle("subtitle", fontName=SONG, fontSize=size * 1.05, leading=size * 1.5,
                                alignment=TA_CENTER, textColor=NOTE_INK, spaceAfter=size * 0.6, wordWrap="CJK"),
        h2=ParagraphStyle("h2", fontName=HEI, fontSize=h2[0], leading=h2[1], textColor=INK,
                          spaceBefore=h2[2], spaceAfter=h2[3], wordWrap="CJK"),
        body=ParagraphStyle("body", parent=cell, leading=size * (1.45 if dense else 1.6)),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        head=ParagraphStyle("head", parent=cell, fontName=HEI, alignment=TA_CENTER),
        note=ParagraphStyle("note", parent=cell, textColor=NOTE_INK, fontSize=size * 0.95),
        small=ParagraphStyle("small", parent=cell, fontSize=size * 0.85, leading=size * 1.15),
        qr_label=ParagraphStyle("qr_label", parent=cell, fontSize=size * 0.8, leading=size, alignment=TA_CENTER,
                                wordWrap=None),
        pad=(1.4, 1.8) if dense else (2.2, 2.6),
        dense=dense,
        fit=fit or dense,
    )


# -- text helpers ---------------------------------------------------------------------------------

def p(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; rare characters in the fallback font)."""
    return Paragraph(markup(text, style.fontName).replace("\n", "<br/>"), style)


yuan = money.yuan_brief  # amounts on paper: 1,500 / 1,234.56


def day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def short_day(d: date | None) -> str:
    return d.isoformat() if d else ""


def yes_no(value: bool | None, yes: str = "是", no: str = "否") -> str:
    return "" if value is None else (yes if value else no)


def not_kept(text: str, st: Styles) -> Paragraph:
    """The sentence a section prints when the program does not keep its data yet."""
    return Paragraph(markup(text), st.note)


def heading(text: str, st: Styles) -> Paragraph:
    return Paragraph(markup(text, HEI), st.h2)


# -- tables ---------------------------------------------------------------------------------------

def grid(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], st: Styles, *,
         align: Sequence[str] | None = None, repeat: bool = True, zebra: bool = False,
         extra: Sequence[tuple] = ()) -> Table:
    """A ruled table: a grey header row, then rows of plain values wrapped in their cells.

    `widths` are the columns' widths in points (with `st.dense`, their proportions within the
    same total: see fit_widths); `align` per column: l, c, r. Flowables in `rows` are used as they are.
    """
    align = align or ["l"] * len(header)
    cell_style = {"l": st.cell, "c": st.cell_center, "r": st.cell_right}
    cols = fit_widths(header, rows, widths, st) if st.fit else list(widths)
    head = _header_cell if st.fit else cell
    data: list[list[object]] = [[head(h, st.head, w) for h, w in zip(header, cols, strict=True)]] if header else []
    for row in rows:
        data.append([v if isinstance(v, Flowable) else cell(v, cell_style[a], w)
                     for v, a, w in zip(row, align, cols, strict=True)])
    t = Table(data, colWidths=cols, repeatRows=1 if (repeat and header) else 0, hAlign="LEFT")
    commands = [*_string_cells(st.cell), *_GRID, *_padding(st)]
    for i, a in enumerate(align):
        commands.append(("ALIGN", (i, 0), (i, -1), _ALIGN[a]))
    if header:
        commands += [("FONTNAME", (0, 0), (-1, 0), HEI), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    if zebra:
        for i in range(2 if header else 1, len(data), 2):
            commands.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f6f6f6")))
    t.setStyle(TableStyle(commands + list(extra)))
    return t


_ALIGN = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}
_SIDE = 3  # left and right padding of a cell
_GRID = (
    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("LEFTPADDING", (0, 0), (-1, -1), _SIDE),
    ("RIGHTPADDING", (0, 0), (-1, -1), _SIDE),
)


def _padding(st: Styles, more: float = 0) -> list[tuple]:
    return [("TOPPADDING", (0, 0), (-1, -1), st.pad[0] + more), ("BOTTOMPADDING", (0, 0), (-1, -1), st.pad[1] + more)]


def fit_widths(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               st: Styles) -> list[float]:
    """Column widths within the same total as `widths`, sized to the contents like a word processor's
    "autofit", so that as few rows as possible wrap.

    Each column starts as wide as its longest value. When they all fit, the room to spare is shared in
    the proportions of `widths`. Else columns are narrowed one cut at a time, always where the rows
    grow by the fewest lines per point gained: a header may go onto two lines (低保/特困/ then 残疾), a long
    text wraps (for free in a row that is taller anyway), while values without Chinese (dates, amounts,
    ID numbers) and two-character headers never wrap.
    """
    n, total = len(widths), sum(widths)
    size, font = st.cell.fontSize, st.cell.fontName

    def width(text: str, font: str) -> float:
        return pdfmetrics.stringWidth(text, font, size) + 2 * _SIDE + 0.5  # cell(): a one-line string

    table: list[list[float]] = []  # the one-line width of every cell, the header last
    rigid = [True] * n
    for row in rows:
        line = [0.0] * n
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                line[c] = widths[c]
                rigid[c] = False
            elif value is not None and value != "":
                text = str(value)
                line[c] = max(width(part, font) for part in text.split("\n"))
                rigid[c] = rigid[c] and text.isascii()
        table.append(line)
    two_chars = width("国国", font)
    floor = [max((r[c] for r in table), default=0.0) for c in range(n)]
    floor = [f if rigid[c] else min(f, two_chars) for c, f in enumerate(floor)]
    if header:
        table.append([max(width(part, st.head.fontName) for part in text.split("\n")) for text in header])
        for c, text in enumerate(header):
            two = max(width(part, st.head.fontName) for part in _header_lines(text).split("\n"))
            floor[c] = max(floor[c], table[-1][c] if len(text) <= 2 else two)
    want = [max((r[c] for r in table), default=0.0) for c in range(n)]
    deficit = sum(want) - total
    if deficit <= 0:
        return [w - deficit * widths[c] / total for c, w in enumerate(want)]
    pad = 2 * _SIDE + 0.5

    def lines(x: float, w: float) -> float:
        """Of a cell x wide (on one line) in a column w wide, counting in whole characters; a third line
        and more count 1.5 (a narrow column of three-line cells looks worse than a wide one of two)."""
        if x <= w + 1e-6:
            return 1
        per_line = math.floor((w - pad) / size + 1e-6)
        k = math.ceil((x - pad) / size / per_line - 1e-6) if per_line else 99
        return k if k <= 2 else 2 + 1.5 * (k - 2)

    def step(x: float, k: int) -> float:  # the narrowest column that holds a cell x wide on k lines
        return math.ceil((x - pad) / size / k - 1e-6) * size + pad

    while deficit > 1e-6:
        height = [max(lines(x, w) for x, w in zip(r, want, strict=True)) for r in table]
        best: tuple[tuple[float, float], int, float] | None = None
        for c in range(n):
            most = min(deficit, want[c] - floor[c])
            if most <= 1e-6:
                continue
            # the whole cut, or a little less where a cell then takes one line fewer (two lines, not three)
            lowest, cuts = want[c] - most, [most]
            steps = [step(r[c], k) for r in table if r[c] > lowest for k in (1, 2, 3)]
            steps = [t for t in steps if lowest + 1e-6 < t < want[c] - 1e-6]
            if steps:
                cuts.append(want[c] - min(steps))
            for cut in cuts:
                narrower = want[c] - cut
                more = sum(max(0, lines(r[c], narrower) - h) for r, h in zip(table, height, strict=True))
                key = (more / cut, -cut)
                if best is None or key < best[0]:
                    best = (key, c, cut)
        if best is None:  # even the narrowest columns are too wide together: all in proportion
            return [w * total / sum(want) for w in want]
        _, c, cut = best
        want[c] -= cut
        deficit -= cut
    return want


def _header_lines(text: str) -> str:
    """A header on two lines: after the "/" nearest its middle (低保/特困/ and 残疾, no line starting
    with "/"), else in halves (与户主 and 关系)."""
    if "\n" in text or len(text) < 2:
        return text
    slashes = [i + 1 for i, ch in enumerate(text[:-1]) if ch == "/"]
    k = min(slashes, key=lambda k: abs(2 * k - len(text))) if slashes else (len(text) + 1) // 2
    return text[:k] + "\n" + text[k:]


def _header_cell(text: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A header cell that breaks where _header_lines does when it does not fit on one line."""
    if pdfmetrics.stringWidth(text, style.fontName, style.fontSize) > width - 6.5:
        text = _header_lines(text)
    return cell(text, style, width)


def _string_cells(style: ParagraphStyle) -> list[tuple]:
    """How the table draws cells that are plain strings (all cells, empty ones too: no Helvetica)."""
    return [("FONTNAME", (0, 0), (-1, -1), SONG), ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
            ("LEADING", (0, 0), (-1, -1), style.leading), ("TEXTCOLOR", (0, 0), (-1, -1), INK)]


def cell(value: object, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A table cell: a plain string when it fits on one line in the style's font (cheap to lay out,
    which makes a batch fast), else a paragraph broken into lines by fonts.wrap: between Chinese
    characters, never inside a date, an amount, an ID or household number (ReportLab's CJK wrap
    breaks "2026-09-02" anywhere)."""
    text = "" if value is None else str(value)
    room = width - 2 * _SIDE - 0.5
    font, size = style.fontName, style.fontSize
    if "\n" not in text and fonts.covers(font, text) and fonts.width(text, font, size) <= room:
        return text
    lines = fonts.wrap(text, style.fontName, style.fontSize, room)
    return Paragraph("<br/>".join(markup(line, style.fontName) for line in lines), style)


def widths(total: float, *parts: float) -> list[float]:
    """Column widths in points from relative parts summing to anything."""
    s = sum(parts)
    return [total * x / s for x in parts]


def label_grid(pairs: Sequence[tuple[str, object]], total: float, st: Styles, *, columns: int = 3,
               label_part: float = 0.9, value_part: float = 1.6) -> Table:
    """Label/value pairs laid out `columns` per row (label cells grey), for a record's fields.

    A pair whose label starts with "*" spans the rest of its row.
    """
    cols = widths(total, *([label_part, value_part] * columns))
    data: list[list[object]] = []
    spans: list[tuple] = []
    row: list[object] = []
    for label, value in pairs:
        wide = label.startswith("*")
        label = label.lstrip("*")
        if wide and row:
            row += [""] * (2 * columns - len(row))
            data.append(row)
            row = []
        value_width = sum(cols[1:]) if wide else cols[len(row) + 1]
        row += [cell(label, st.head, cols[len(row)]), cell(value, st.cell, value_width)]
        if wide:
            spans.append(("SPAN", (1, len(data)), (-1, len(data))))
            row += [""] * (2 * columns - len(row))
        if len(row) >= 2 * columns:
            data.append(row)
            row = []
    if row:
        row += [""] * (2 * columns - len(row))
        data.append(row)
    t = Table(data, colWidths=cols, hAlign="LEFT")
    commands = [*_string_cells(st.cell), *_GRID, *_padding(st, 0 if st.dense else 0.4)]
    for c in range(0, 2 * columns, 2):
        commands += [("FONTNAME", (c, 0), (c, -1), HEI), ("ALIGN", (c, 0), (c, -1), "CENTER")]
    wide_rows = {span[1][1] for span in spans}
    for r, cells in enumerate(data):
        for c in range(0, 2 * columns, 2):
            if cells[c] != "" and not (r in wide_rows and c > 0):
                commands.append(("BACKGROUND", (c, r), (c, r), HEAD_BG))
    t.setStyle(TableStyle(commands + spans))
    return t


def section(title: str, body: Sequence[Flowable], st: Styles) -> list[Flowable]:
    """A heading kept with the first lines of what follows it."""
    if not body:
        return [heading(title, st)]
    first = body[0]
    if isinstance(first, Table) and len(first._cellvalues) > 8:
        # a long table may start low on the page and continue (its header repeats), not jump a page
        return [CondPageBreak(35 * mm), heading(title, st), *body]
    return [KeepTogether([heading(title, st), first]), *body[1:]]


def gap(points: float) -> Spacer:
    return Spacer(1, points)


# -- page furniture -------------------------------------------------------------------------------

class Mark(Flowable):
    """Invisible: starts a new numbering section (one household of a batch) and names it in the header.

    `on_draw` runs when the section is laid out (progress and cancel of a batch).
    """

    def __init__(self, label: str, on_draw: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.label = label
        self.on_draw = on_draw
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        c._fupin_section = getattr(c, "_fupin_section", 0) + 1
        c._fupin_label = self.label
        if self.on_draw is not None:
            self.on_draw()


@dataclass(frozen=True)
class Furniture:
    """Header and footer text of a document."""

    village: str
    title: str  # 帮扶明白卡
    printed_on: date
    confidential: bool = False  # 一户一档 with full ID numbers


def canvas_maker(furniture: Furniture) -> Callable[..., pdfcanvas.Canvas]:
    """A canvas that draws header and footer on every page once the page count of each section is known."""

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["initialFontName"] = kwargs.get("initialFontName") or SONG  # no unembedded Helvetica
            super().__init__(*args, **kwargs)
            self._fupin_pages: list[dict] = []
            self._fupin_section = 0
            self._fupin_label = ""

        def showPage(self) -> None:  # noqa: N802
            self._fupin_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            counts: dict[int, int] = {}
            for state in self._fupin_pages:
                counts[state["_fupin_section"]] = counts.get(state["_fupin_section"], 0) + 1
            seen: dict[int, int] = {}
            for state in self._fupin_pages:
                self.__dict__.update(state)
                section = state["_fupin_section"]
                seen[section] = seen.get(section, 0) + 1
                _draw_furniture(self, furniture, self._fupin_label, seen[section], counts[section])
                pdfcanvas.Canvas.showPage(self)
            pdfcanvas.Canvas.save(self)

    return NumberedCanvas


def _draw_furniture(c: pdfcanvas.Canvas, f: Furniture, label: str, page: int, pages: int) -> None:
    width, height = c._pagesize
    left, right = 15 * mm, width - 15 * mm
    top = height - 9.5 * mm
    c.saveState()
    c.setFillColor(NOTE_INK)
    fonts.draw_text(c, left, top, f"{f.village}　{f.title}", SONG, 8.5)
    if label:
        fonts.draw_text(c, right, top, label, SONG, 8.5, anchor="right")
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.line(left, top - 2.5, right, top - 2.5)
    bottom = 7.5 * mm
    c.line(left, bottom + 9, right, bottom + 9)
    fonts.draw_text(c, left, bottom, f"打印日期：{day(f.printed_on)}", SONG, 8.5)
    fonts.draw_text(c, width / 2, bottom, f"第 {page} 页 共 {pages} 页", SONG, 8.5, anchor="center")
    if f.confidential:
        c.setFillColor(RED)
        fonts.draw_text(c, right, bottom, "内部档案 注意保密", HEI, 8.5, anchor="right")
    c.restoreState()


MARGINS = dict(leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=14 * mm)
