"""明白卡: the household assistance card for the household's wall (A4 portrait, one page as a rule).

Also the N+2 plan sheet for signing, which shares its blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, TableStyle

from fupin_desktop.domain.print_rows import CardData
from fupin_desktop.reports import blocks, output
from fupin_desktop.reports.fonts import HEI, SONG, markup
from fupin_desktop.reports.layout import (
    A4_PORTRAIT,
    MARGINS,
    Furniture,
    Mark,
    Paragraph,
    Styles,
    Table,
    frame_height,
    gap,
    heading,
    height,
    p,
    section,
    styles,
)

TITLE = "帮扶明白卡"
PLAN_TITLE = "帮扶计划（N+2）确认表"
FRAME = A4_PORTRAIT[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
# 2.5 mm and 2 mm closer to the header and footer rules than other documents: room for one more table row
CARD_MARGINS = {**MARGINS, "topMargin": 12.5 * mm, "bottomMargin": 12 * mm}
Progress = Callable[[int, int], None]


def _title_block(title: str, subtitle: str, payload: str, number: str, st: Styles) -> Table:
    qr = (16 if st.dense else 22) * mm
    left = [Paragraph(markup(title, HEI), st.title), Paragraph(markup(subtitle), st.subtitle)]
    right = [blocks.qr_code(payload, qr), p(number, st.qr_label)]
    side = 34 * mm
    t = Table([[left, right]], colWidths=[FRAME - side, side], hAlign="LEFT")
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                           ("LEFTPADDING", (0, 0), (0, 0), side)]))  # keeps the title centred on the page
    return t


def qr_payload(data: CardData) -> str:
    """What the QR code holds: village code and household number (nothing personal)."""
    return f"FUPIN:{data.info.village_code}:{data.household.number}"


def card_story(data: CardData, st: Styles | None = None) -> list[Flowable]:
    st = st or card_styles(CARD_SIZES[0])
    h = data.household
    story: list[Flowable] = [
        _title_block(TITLE, f"{data.info.village}　{data.year}年度", qr_payload(data), h.number, st),
    ]
    story += section("一、家庭基本情况", [blocks.household_fields(h, FRAME, st)], st)
    story += section("二、家庭成员", [blocks.members_table(h.members, FRAME, st)], st)
    story += section(f"三、{data.year}年度帮扶措施", [blocks.measures_or_note(data.measures, data.year, FRAME, st)], st)
    story += section(f"四、{data.year}年度享受政策", [blocks.policies_or_note(data.policies, data.year, FRAME, st)], st)
    if data.loans:  # owed, not received: kept out of the policies so the card does not count it as help
        story += section("　扶贫小额信贷（须按期归还，本金不计入享受政策）",
                         [blocks.loans_table(data.loans, FRAME, st)], st)
    contacts = ([h.helper] if h.helper else []) + list(data.team)
    body: list[Flowable] = [blocks.contacts_table(contacts, FRAME, st)] if contacts else [
        p("帮扶责任人和驻村工作队尚未确定。", st.note)]
    if data.hotlines:
        body.append(gap(3))
        body.append(p("　　".join(f"{label}：{number}" for label, number in data.hotlines), st.body))
    story += section("五、帮扶责任人、驻村工作队和监督电话", body, st)
    story.append(KeepTogether([
        heading("六、双认定", st),
        p("以上家庭情况、帮扶措施和享受政策，经户主与帮扶责任人共同核实，认定属实。", st.body),
        blocks.signature_block(FRAME, st, "户主（签字或按手印）", "帮扶责任人（签字）"),
    ]))
    return story


CARD_SIZES = (9.0, 8.5, 8.0)  # points: a card shrinks this far to stay on one page, then flows on
SURE_FIT_ROWS = 4  # members + measures + policies that always fit one page in the largest size (team of 6, long texts)


def card_styles(size: float) -> Styles:
    """The card's compact look (tight rows, columns fitted to their contents) in body text of `size` points."""
    return styles(size, dense=True)


def fitted_card(data: CardData, make: Callable[[CardData, Styles], list[Flowable]] | None = None,
                sizes: Sequence[float] = CARD_SIZES) -> list[Flowable]:
    """The card in the largest type that fits one page; a household too big for that flows onto more
    pages in the normal size rather than in unreadable type."""
    make = make or card_story
    rows = len(data.household.members) + len(data.measures or ()) + len(data.policies or ()) + 2 * len(data.loans)
    if rows <= SURE_FIT_ROWS:  # most households: no need to measure (half the work of a batch)
        return make(data, card_styles(sizes[0]))
    room = frame_height(A4_PORTRAIT, CARD_MARGINS)
    for size in sizes:
        story = make(data, card_styles(size))
        if height(story, FRAME) <= room:
            return story
    return make(data, card_styles(sizes[0]))


def plan_story(data: CardData, st: Styles | None = None) -> list[Flowable]:
    """The N+2 plan of one year for the household and the 帮扶责任人 to sign."""
    st = st or styles(9.2)
    h = data.household
    story: list[Flowable] = [
        _title_block(PLAN_TITLE, f"{data.info.village}　{data.year}年度", qr_payload(data), h.number, st),
    ]
    story += section("一、家庭基本情况", [blocks.household_fields(h, FRAME, st)], st)
    story += section("二、家庭成员", [blocks.members_table(h.members, FRAME, st)], st)
    story += section(f"三、{data.year}年度帮扶措施（N+2）",
                     [blocks.measures_or_note(data.measures, data.year, FRAME, st, status=True)], st)
    story.append(KeepTogether([
        heading("四、确认", st),
        p("本户已知悉上述帮扶措施的内容、责任人、完成时限和资金，同意按计划实施。", st.body),
        blocks.signature_block(FRAME, st, "户主（签字或按手印）", "帮扶责任人（签字）"),
        gap(4),
        blocks.signature_block(FRAME, st, "驻村第一书记（签字）", "村委会（盖章）"),
    ]))
    return story


def _furniture(data: CardData, title: str) -> Furniture:
    return Furniture(data.info.village, title, data.info.printed_on)


def _label(data: CardData) -> str:
    return f"户编号 {data.household.number}　户主 {data.household.head}"


def batch_story(cards: Sequence[CardData], story_of: Callable[[CardData], list[Flowable]],
                progress: Progress | None = None) -> list[Flowable]:
    story: list[Flowable] = []
    total = len(cards)
    for i, data in enumerate(cards):
        if i:
            story.append(PageBreak())
        done = (lambda k=i + 1: progress(k, total)) if progress else None
        story.append(Mark(_label(data), done))
        story += story_of(data)
    return story


def write_cards(path: str | Path, cards: Sequence[CardData], *, progress: Progress | None = None,
                plan: bool = False) -> Path:
    """All cards (or plan sheets) into one PDF, each household numbered from its own page 1.

    `progress(done, total)` runs as each household is laid out; raising layout.Cancelled from it stops
    the batch and leaves no file.
    """
    if not cards:
        from fupin_desktop.errors import FupinError
        raise FupinError("没有要打印的农户。")
    story = batch_story(cards, lambda d: fitted_card(d, plan_story if plan else card_story), progress)
    furniture = _furniture(cards[0], PLAN_TITLE if plan else TITLE)
    return output.write(path, story, pagesize=A4_PORTRAIT, furniture=furniture, margins=CARD_MARGINS)


def card_bytes(data: CardData) -> bytes:
    return output.to_bytes(batch_story([data], fitted_card), pagesize=A4_PORTRAIT, furniture=_furniture(data, TITLE),
                           margins=CARD_MARGINS)


def card_file_name(data: CardData, *, plan: bool = False) -> str:
    """明白卡_0012_张三.pdf (characters Windows forbids replaced)."""
    name = f"{PLAN_TITLE if plan else '明白卡'}_{data.household.number}_{data.household.head}.pdf"
    return "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)


def write_cards_to_folder(folder: str | Path, cards: Sequence[CardData], *, progress: Progress | None = None,
                          plan: bool = False) -> list[Path]:
    """One PDF per household in `folder`; each file is complete or absent. Returns the files written.

    A cancel (layout.Cancelled from `progress`) keeps the files finished so far.
    """
    folder = Path(folder)
    written = []
    for i, data in enumerate(cards):
        story = batch_story([data], lambda d: fitted_card(d, plan_story if plan else card_story))
        written.append(output.write(folder / card_file_name(data, plan=plan), story, pagesize=A4_PORTRAIT,
                                    furniture=_furniture(data, PLAN_TITLE if plan else TITLE),
                                    margins=CARD_MARGINS))
        if progress:
            progress(i + 1, len(cards))
    return written
