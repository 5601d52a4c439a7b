"""Forms printed by the hundred (明白卡, plan sheets) drawn straight on the canvas, without platypus.

Each card is laid out once into items of known height (a heading, a row of a table, a line of
text), cut into pages, and drawn. What every card of a batch shares is drawn once per document as
a form XObject and placed on each page: the page furniture, the title, the column heads of each
table (their widths depend on the type size only, never on one household's values). Lines break
between Chinese characters but never inside a run of Latin letters and digits (a date, an ID number,
a household number, an amount), and no line starts with a closing mark. Platypus did the same work
about four times slower (issue 20).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from fupin_desktop.reports import fonts
from fupin_desktop.reports.fonts import SONG, width, wrap
from fupin_desktop.reports.layout import HEAD_BG, INK, RULE

PAD_X = 3.0  # left and right padding in a cell


def draw_line(c: Canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """One line of text, as canvas.drawString would write it, its text operators made once per document
    for each (font, size, text): a batch of cards repeats most of its words (labels, names, dates), and
    ReportLab's own path re-encodes every string for the font subset (a third of the time of a batch)."""
    cache: dict[tuple[str, float, str], str | None] | None = getattr(c, "_fupin_text", None)
    if cache is None:
        cache = c._fupin_text = {}
    key = (font, size, text)
    ops = cache.get(key, "")
    if ops == "":
        ops = None
        if fonts.covers(font, text):
            c.setFont(font, size)
            ops = c.beginText(0, 0)._formatText(text)  # the subset codes of this document, then fixed
        if len(cache) > 200_000:
            cache.clear()
        cache[key] = ops
    if ops is None:  # characters from the other font: run by run
        fonts.draw_text(c, x, y, text, font, size)
    else:
        c._code.append(f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm {ops} T* ET")


# -- items a page is made of ----------------------------------------------------------------------

@dataclass
class Item:
    """Something `height` points tall drawn with its top-left corner at (x, top)."""

    height: float
    paint: Callable[[Canvas, float, float], None]
    keep: bool = False  # keep with the next item (a heading with what follows it)
    head: Item | None = None  # a table row: its table's head, repeated atop a page the table continues on
    stretch: bool = False  # a gap that may grow when the page has room to spare


def gap(points: float, *, stretch: bool = False) -> Item:
    return Item(points, lambda c, x, top: None, stretch=stretch)


@dataclass(frozen=True)
class Style:
    size: float
    font: str = SONG
    leading: float = 0.0  # 0: 1.3 × size
    color: object = INK

    @property
    def lead(self) -> float:
        return self.leading or self.size * 1.22


def text(value: str, style: Style, room: float, *, align: str = "l") -> Item:
    """A paragraph `room` wide."""
    lines = wrap(value, style.font, style.size, room)
    lead = style.lead

    def paint(c: Canvas, x: float, top: float) -> None:
        c.setFillColor(style.color)
        for i, line in enumerate(lines):
            y = top - style.size - i * lead + style.size * 0.12
            _aligned(c, x, room, y, line, style.font, style.size, align)

    return Item(lead * (len(lines) - 1) + style.size * 1.25, paint)


def _aligned(c: Canvas, x: float, room: float, y: float, line: str, font: str, size: float, align: str) -> None:
    if align == "c":
        x += (room - width(line, font, size)) / 2
    elif align == "r":
        x += room - width(line, font, size)
    draw_line(c, x, y, line, font, size)


# -- tables ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrintColumn:
    """A column: its head (a "\\n" where it may break), how it aligns, and how wide it is: at least
    `fits` (the longest value it must hold on one line: a date, an ID number), and a share of the
    room left (`grow`)."""

    head: str
    align: str = "l"
    fits: str = ""
    grow: float = 0.0


@dataclass
class PrintTable:
    """Columns at a type size with their widths fixed for the whole document (so that every card's
    column heads are one shared form XObject)."""

    name: str
    columns: Sequence[PrintColumn]
    body: Style
    head_style: Style
    widths: list[float] = field(default_factory=list)
    pad_y: float = 1.6

    def cell_lines(self, value: str, c: int, style: Style) -> tuple[str, ...]:
        return wrap(value, style.font, style.size, self.widths[c] - 2 * PAD_X)

    def row_height(self, cells: Sequence[tuple[str, ...]], style: Style) -> float:
        n = max((len(lines) for lines in cells), default=1)
        return (n - 1) * style.lead + style.size * 1.2 + 2 * self.pad_y


def fit_columns(name: str, columns: Sequence[PrintColumn], total: float, body: Style, head: Style) -> PrintTable:
    """Widths within `total`: each column as wide as its `fits` value and its head's longest line,
    the rest shared by `grow`; when even that is too wide, everything narrows in proportion."""
    least = []
    for col in columns:
        need = max([width(col.fits, body.font, body.size)] +
                   [width(part, head.font, head.size) for part in col.head.split("\n")])
        least.append(need + 2 * PAD_X + 0.5)
    spare = total - sum(least)
    grow = sum(col.grow for col in columns)
    if spare >= 0:
        if grow:
            widths = [w + spare * col.grow / grow for w, col in zip(least, columns, strict=True)]
        else:
            widths = [w + spare / len(columns) for w in least]
    else:
        widths = [w * total / sum(least) for w in least]
    return PrintTable(name, columns, body, head, widths)


def table_items(t: PrintTable, rows: Sequence[Sequence[object]], *, total_row: Sequence[object] | None = None,
                marks: Sequence[str | None] | None = None) -> list[Item]:
    """The head (one form XObject per document) and each row as an item. `total_row`: a last row in the
    head's style. `marks`: per row, a colour for its text (overdue in red), None for ink."""
    head_cells = [tuple(col.head.split("\n")) for col in t.columns]
    head_h = t.row_height(head_cells, t.head_style)
    form = f"{t.name}@{t.body.size:g}"

    def paint_head(c: Canvas, x: float, top: float) -> None:
        place_form(c, form, lambda c: _paint_row(c, t, 0, head_h, head_cells, t.head_style, HEAD_BG, centre=True),
                   x, top - head_h)

    head = Item(head_h, paint_head, keep=True)
    items = [head]
    body_rows = [(r, t.body, None, (marks or [None] * len(rows))[i], 1) for i, r in enumerate(rows)]
    if total_row is not None:  # its label spans the empty cells after it
        span = next((i for i, v in enumerate(total_row) if i and v not in ("", None)), len(total_row))
        body_rows.append((total_row, t.head_style, HEAD_BG, None, span))
    for values, style, fill, mark, span in body_rows:
        cells = [t.cell_lines("" if v is None else str(v), c, style) for c, v in enumerate(values)]
        if span > 1:
            cells[0] = wrap(str(values[0]), style.font, style.size, sum(t.widths[:span]) - 2 * PAD_X)
        h = t.row_height(cells, style)

        def paint(c: Canvas, x: float, top: float, cells=cells, h=h, style=style, fill=fill, mark=mark,
                  span=span) -> None:
            c.saveState()
            c.translate(x, top - h)
            _paint_row(c, t, 0, h, cells, style, fill, ink=mark, span=span)
            c.restoreState()

        items.append(Item(h, paint, head=head))
    return items


def place_form(c: Canvas, key: str, draw: Callable[[Canvas], None], dx: float = 0, dy: float = 0) -> None:
    """Draw the form XObject `key` moved by (dx, dy): made by `draw` the first time in this document."""
    forms: dict[str, str] | None = getattr(c, "_fupin_forms", None)
    if forms is None:
        forms = c._fupin_forms = {}
    name = forms.get(key)
    if name is None:
        name = forms[key] = f"F{len(forms)}"  # PDF names are ASCII
        c.beginForm(name)
        draw(c)
        c.endForm()
    if dx or dy:
        c.saveState()
        c.translate(dx, dy)
        c.doForm(name)
        c.restoreState()
    else:
        c.doForm(name)


def _paint_row(c: Canvas, t: PrintTable, y: float, h: float, cells: Sequence[tuple[str, ...]], style: Style,
               fill: object, *, centre: bool = False, ink: str | None = None, span: int = 1) -> None:
    """One row with its bottom at y: background, text vertically centred, and its rules; the first
    cell spans `span` columns."""
    total = sum(t.widths)
    if fill is not None:
        c.setFillColor(fill)
        c.rect(0, y, total, h, stroke=0, fill=1)
    c.setFillColor(colors.HexColor(ink) if ink else style.color)
    widths = [sum(t.widths[:span]), *t.widths[span:]]
    columns = [t.columns[0], *t.columns[span:]]
    cells = [cells[0], *cells[span:]]
    x = 0.0
    for col, w, lines in zip(columns, widths, cells, strict=True):
        block = (len(lines) - 1) * style.lead + style.size
        first = y + h / 2 + block / 2 - style.size * 0.88
        align = "c" if centre else col.align
        for i, line in enumerate(lines):
            _aligned(c, x + PAD_X, w - 2 * PAD_X, first - i * style.lead, line, style.font, style.size, align)
        x += w
    c.setStrokeColor(RULE)
    c.setLineWidth(0.5)
    edges = [(0.0, y, total, y), (0.0, y + h, total, y + h)]
    x = 0.0
    for w in [0.0, *widths]:
        x += w
        edges.append((x, y, x, y + h))
    c.lines(edges)


# -- pages ----------------------------------------------------------------------------------------

def paginate(items: Sequence[Item], room: float) -> list[list[tuple[Item, float]]]:
    """Items placed down pages `room` tall: (item, offset from the top). A heading stays with what
    follows it; a table cut by a page break repeats its head on the next page."""
    pages: list[list[tuple[Item, float]]] = [[]]
    y = 0.0
    i = 0
    while i < len(items):
        j = i
        chain = items[i].height
        while items[j].keep and j + 1 < len(items):  # the height of what must stay together
            j += 1
            chain += items[j].height
        item = items[i]
        if y + chain > room and pages[-1]:
            pages.append([])
            y = 0.0
            if item.head is not None and item.head is not item:
                pages[-1].append((item.head, 0.0))
                y = item.head.height
        if not pages[-1] and item.stretch:  # no gap atop a page
            i += 1
            continue
        pages[-1].append((item, y))
        y += item.height
        i += 1
    return pages


def spread(page: list[tuple[Item, float]], room: float, most: float) -> list[tuple[Item, float]]:
    """A one-page layout with the room to spare shared by its stretchable gaps (each by `most` at most),
    so that a card fills its sheet instead of leaving the bottom quarter blank."""
    gaps = sum(1 for item, _ in page if item.stretch)
    if not page or not gaps:
        return page
    last, off = page[-1]
    spare = room - off - last.height
    each = min(most, spare / gaps) if spare > 0 else 0.0
    out, shift = [], 0.0
    for item, y in page:
        out.append((item, y + shift))
        if item.stretch:
            shift += each
    return out
