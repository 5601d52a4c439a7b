"""明白栏: the village notice board (A3 landscape): the work team with photos and phones, the households
and their measures, policies, 公示 items and projects/funds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from fupin_desktop.domain.print_rows import (
    MEASURE_DONE,
    BoardData,
    BoardHousehold,
    ContactRow,
    ProjectLine,
    unit_and_post,
)
from fupin_desktop.reports import blocks, output
from fupin_desktop.reports.dossier import notices_table
from fupin_desktop.reports.fonts import HEI, SONG, markup
from fupin_desktop.reports.layout import (
    A3_LANDSCAPE,
    MARGINS,
    RULE,
    Furniture,
    Mark,
    Styles,
    grid,
    not_kept,
    p,
    section,
    styles,
    widths,
    yuan,
)

TITLE = "脱贫攻坚帮扶明白栏"
FRAME = A3_LANDSCAPE[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
PHOTO_W, PHOTO_H = 22 * mm, 30 * mm  # a 一寸/二寸 portrait
PLACEHOLDER_INK = colors.HexColor("#9a9a9a")  # the empty frame's 照片: there, but not shouting
PHOTO_DPI = 300  # enough for print; a phone photo is cut down to this before it goes into the PDF


def portrait(data: bytes) -> bytes:
    """A photo cut to the frame's 22:30 shape (centred across, the upper part kept: the head), turned
    upright by its EXIF orientation, on white where it was transparent, as a JPEG of PHOTO_DPI.
    Nothing is stretched: what does not fit the shape is cropped."""
    size = (round(PHOTO_W / inch * PHOTO_DPI), round(PHOTO_H / inch * PHOTO_DPI))
    with PILImage.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened) or opened
        if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
            rgba = image.convert("RGBA")
            image = PILImage.new("RGB", rgba.size, "white")
            image.paste(rgba, mask=rgba.getchannel("A"))
        elif image.mode != "RGB":
            image = image.convert("RGB")
        fitted = ImageOps.fit(image, size, PILImage.Resampling.LANCZOS, centering=(0.5, 0.3))
    out = io.BytesIO()
    fitted.save(out, "JPEG", quality=88)
    return out.getvalue()


def _frame(content: Flowable | Paragraph, **style: object) -> Table:
    t = Table([[content]], colWidths=[PHOTO_W], rowHeights=[PHOTO_H])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("BOX", (0, 0), (-1, -1), 0.5, RULE),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                           *[(k, (0, 0), (-1, -1), v) for k, v in style.items()]]))
    return t


def _photo(c: ContactRow, st: Styles) -> Flowable:
    """The person's photo filling the frame, or the empty frame saying 照片."""
    if c.photo:
        try:
            img = Image(io.BytesIO(portrait(c.photo)), width=PHOTO_W, height=PHOTO_H)
            return _frame(img, LEFTPADDING=0, RIGHTPADDING=0, TOPPADDING=0, BOTTOMPADDING=0)
        except Exception:  # noqa: BLE001, S110 - a broken photo prints the empty frame instead
            pass
    return _frame(p("照片", ParagraphStyle("photo_placeholder", parent=st.cell_center, textColor=PLACEHOLDER_INK)))


def team_band(team: Sequence[ContactRow], st: Styles) -> Flowable:
    """One cell per person: photo, then name, role, unit and phone."""
    if not team:
        return not_kept("驻村工作队尚未登记。", st)
    per_row = 5
    cell_w = FRAME / per_row
    cells = []
    for c in team:
        text = Table([[p(c.name, st.head)], [p(c.role, st.cell_center)],
                      [p(unit_and_post(c.unit, c.position), st.small)],
                      [p(f"电话：{c.phone or '无'}", st.cell_center)]], colWidths=[cell_w - PHOTO_W - 8 * mm])
        text.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        inner = Table([[_photo(c, st), text]], colWidths=[PHOTO_W + 3 * mm, cell_w - PHOTO_W - 5 * mm])
        inner.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 1)]))
        cells.append(inner)
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    t = Table(rows, colWidths=[cell_w] * per_row, hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                           ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def _measures_text(h: BoardHousehold, room: float, st: Styles) -> str:
    """The year's measures by name, as many as one line `room` wide holds, then "等N项"."""
    if h.measures is None:
        return "计划待录入"
    names = list(dict.fromkeys(m.type for m in h.measures))
    if not names:
        return "暂无"
    size, font = st.cell.fontSize, st.cell.fontName
    for k in range(len(names), 0, -1):
        text = "、".join(names[:k]) + (f"等{len(h.measures)}项" if k < len(names) else "")
        if pdfmetrics.stringWidth(text, font, size) <= room or k == 1:
            return text
    return ""


def _done_text(h: BoardHousehold) -> str:
    if not h.measures:
        return ""
    return f"{sum(m.status == MEASURE_DONE for m in h.measures)}/{len(h.measures)}"


def households_table(data: BoardData, st: Styles) -> Flowable:
    """One household a row, one line a row, in type read from two metres: who, who helps (and the phone),
    what is planned and done, what was received. No ID or household numbers; 户属性 only when the village
    chose to print them. Every column but the measures is as wide as its widest value."""
    households = data.households
    if not households:
        return not_kept("本村暂无建档立卡户和监测对象。", st)
    header = ["序号", "村民组", "户主", "人口", "户类型", "帮扶责任人", "联系电话", "帮扶措施", "已完成",
              "享受政策（元）"]
    align = ["c", "c", "c", "c", "c", "c", "c", "l", "c", "r"]
    rows = [[i, h.group or "", h.head, h.members, h.status, h.helper or "未确定", h.helper_phone or "", "",
             _done_text(h), yuan(h.policies_fen) if h.policies_fen else ""] for i, h in enumerate(households, 1)]
    if data.show_attributes:
        header.insert(5, "户属性")
        align.insert(5, "l")
        for row, h in zip(rows, households, strict=True):
            row.insert(5, "、".join(h.attributes))
    measures = header.index("帮扶措施")
    size = st.cell.fontSize

    def widest(c: int) -> float:
        texts = [(header[c], st.head.fontName)] + [(str(r[c]), st.cell.fontName) for r in rows]
        return max(pdfmetrics.stringWidth(t, f, size) for t, f in texts) + 8

    cols = [0.0 if c == measures else widest(c) for c in range(len(header))]
    if data.show_attributes:
        cols[5] = min(cols[5], size * 9)  # a long list of attributes wraps rather than squeeze the measures
    cols[measures] = FRAME - sum(cols)
    for row, h in zip(rows, households, strict=True):
        row[measures] = _measures_text(h, cols[measures] - 8, st)
    return grid(header, rows, cols, st, align=align, zebra=True)


def projects_table(projects: Sequence[ProjectLine], width: float, st: Styles) -> Flowable:
    rows = [(x.name, x.funds_source or "", yuan(x.amount_fen), x.status or "", x.beneficiaries or "")
            for x in projects]
    return grid(("项目名称", "资金来源", "金额（元）", "进度", "受益情况"), rows, widths(width, 12, 7, 6, 5, 8), st,
                align=("l", "l", "r", "c", "l"))


BODY_SIZE = 16  # points: the households' table, read standing in front of the board
NOTES_SIZE = 14  # the village's policies, notices and projects, full width


def board_story(data: BoardData) -> list[Flowable]:
    big = replace(styles(BODY_SIZE), pad=(4.5, 5.0))
    st = styles(NOTES_SIZE)
    story: list[Flowable] = [
        Paragraph(markup(f"{data.info.village}{TITLE}", HEI), big.title.clone("board_title", fontSize=30, leading=38)),
        Paragraph(markup(f"{data.year}年度　　" + "　　".join(f"{a}：{b}" for a, b in data.hotlines)), big.subtitle),
    ]
    story += section("一、驻村工作队", [team_band(data.team, styles(13))], big)
    known = any(h.measures is not None for h in data.households)
    body: list[Flowable] = [households_table(data, big)]
    if not known and data.households:
        body.insert(0, not_kept(f"{data.year}年度帮扶计划（N+2）尚未录入本系统，帮扶措施待录入后公示。", big))
    if not data.show_attributes:
        body.append(not_kept("按照个人信息保护的要求，户属性等敏感信息不在明白栏公开。", st))
    story += section(f"二、建档立卡户和监测对象帮扶情况（共{len(data.households)}户）", body, big)
    notes = styles(NOTES_SIZE, fit=True)
    story += section("三、享受政策", [blocks.policies_or_note(data.policies, data.year, FRAME, notes)], big)
    story += section("四、公示公告", [
        notices_table(data.notices, FRAME, notes) if data.notices else
        not_kept("公示公告尚未录入本系统。" if data.notices is None else "当前无公示事项。", notes)], big)
    story += section("五、项目和资金", [
        projects_table(data.projects, FRAME, notes) if data.projects else
        not_kept("项目和资金尚未录入本系统。" if data.projects is None else f"{data.year}年度暂无项目。", notes)], big)
    return story


def write_board(path: str | Path, data: BoardData) -> Path:
    story = [Mark(f"{data.year}年度"), *board_story(data)]
    return output.write(path, story, pagesize=A3_LANDSCAPE,
                        furniture=Furniture(data.info.village, TITLE, data.info.printed_on))
