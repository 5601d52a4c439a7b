"""明白栏: the village notice board (A3 landscape): the work team with photos and phones, the households
and their measures, policies, 公示 items and projects/funds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

from fupin_desktop.domain.print_rows import BoardData, BoardHousehold, ContactRow, ProjectRow
from fupin_desktop.reports import blocks, output
from fupin_desktop.reports.dossier import notices_table
from fupin_desktop.reports.fonts import HEI, SONG, markup
from fupin_desktop.reports.layout import (
    A3_LANDSCAPE,
    HEAD_BG,
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
                      [p("".join(x for x in (c.unit, c.position) if x), st.small)],
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


def _measures_text(h: BoardHousehold) -> str:
    if h.measures is None:
        return ""
    if not h.measures:
        return "暂无"
    return "；".join(f"{m.type}{'（' + yuan(m.amount_fen) + '元）' if m.amount_fen else ''}" for m in h.measures)


def households_table(households: Sequence[BoardHousehold], st: Styles, *, measures: bool) -> Flowable:
    if not households:
        return not_kept("本村暂无建档立卡户和监测对象。", st)
    rows = []
    for i, h in enumerate(households, 1):
        row = [i, h.number, h.head, h.members, h.status, "、".join(h.attributes), h.main_cause or "",
               h.helper or "", h.helper_phone or ""]
        if measures:
            row.append(_measures_text(h))
        rows.append(row)
    header = ["序号", "户编号", "户主", "人口", "户类型", "户属性", "主要致贫原因", "帮扶责任人", "联系电话"]
    parts = [3, 11, 6, 3, 9, 16, 7, 6, 8.5]
    align = ["c", "c", "c", "c", "c", "l", "c", "c", "c"]
    if measures:
        header.append("帮扶措施")
        parts.append(36)
        align.append("l")
    return grid(header, rows, widths(FRAME, *parts), st, align=align, zebra=True)


def projects_table(projects: Sequence[ProjectRow], width: float, st: Styles) -> Flowable:
    rows = [(x.name, x.funds_source or "", yuan(x.amount_fen), x.status or "", x.beneficiaries or "")
            for x in projects]
    return grid(("项目名称", "资金来源", "金额（元）", "进度", "受益情况"), rows, widths(width, 12, 7, 6, 5, 8), st,
                align=("l", "l", "r", "c", "l"))


def board_story(data: BoardData, st: Styles | None = None) -> list[Flowable]:
    st = st or styles(10)
    story: list[Flowable] = [
        Paragraph(markup(f"{data.info.village}{TITLE}", HEI), st.title),
        Paragraph(markup(f"{data.year}年度　　" + "　　".join(f"{a}：{b}" for a, b in data.hotlines)), st.subtitle),
    ]
    story += section("一、驻村工作队", [team_band(data.team, st)], st)
    known = any(h.measures is not None for h in data.households)
    body: list[Flowable] = [households_table(data.households, st, measures=known)]
    if not known and data.households:
        body.insert(0, not_kept(f"{data.year}年度帮扶计划（N+2）尚未录入本系统，帮扶措施待录入后公示。", st))
    story += section(f"二、建档立卡户和监测对象帮扶情况（共{len(data.households)}户）", body, st)
    third = (FRAME - 8 * mm) / 3
    cols = [
        [Paragraph(markup("三、享受政策", HEI), st.h2),
         blocks.policies_or_note(data.policies, data.year, third, st)],
        [Paragraph(markup("四、公示公告", HEI), st.h2),
         notices_table(data.notices, third, st) if data.notices else
         not_kept("公示公告尚未录入本系统。" if data.notices is None else "当前无公示事项。", st)],
        [Paragraph(markup("五、项目和资金", HEI), st.h2),
         projects_table(data.projects, third, st) if data.projects else
         not_kept("项目和资金尚未录入本系统。" if data.projects is None else f"{data.year}年度暂无项目。", st)],
    ]
    t = Table([cols], colWidths=[third + 8 * mm / 3] * 3, hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm / 3),
                           ("LINEABOVE", (0, 0), (-1, 0), 0.6, HEAD_BG)]))
    story.append(t)
    return story


def write_board(path: str | Path, data: BoardData) -> Path:
    story = [Mark(f"{data.year}年度"), *board_story(data)]
    return output.write(path, story, pagesize=A3_LANDSCAPE,
                        furniture=Furniture(data.info.village, TITLE, data.info.printed_on))
