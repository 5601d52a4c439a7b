"""扶贫标准 (poverty lines) by year and jurisdiction: a village uses the line of the most specific
place that covers it (county → city → province → 全国) and has a line for the year; configuring the
years after 2020, which provinces set."""

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import County, PovertyLine, Township, Village
from fupin_desktop.db.query import live
from fupin_desktop.domain import clock, places
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.errors import FieldError, NotFoundError, ValidationError
from fupin_desktop.services.village import current_village


@dataclass(frozen=True)
class AppliedLine:
    year: int  # the year of the line (earlier than asked when `carry_forward` found no line that year)
    jurisdiction: str
    amount_fen: int


def _own_places(session: Session, village_id: uuid.UUID | None) -> dict[str, str | None] | None:
    """本县/本市/本省 of the village (this database's by default), None without a single village."""
    if village_id is None:
        try:
            village: Village | None = current_village(session)
        except NotFoundError:
            return None
    else:
        village = session.get(Village, village_id)
    township = session.get(Township, village.township_id) if village else None
    county = session.get(County, township.county_id) if township else None
    if village is None:
        return None
    code = county.code if county else village.code
    return {"本县": county.name if county else None,
            "本市": (county.city if county else None) or places.CITIES.get(code[:4]),
            "本省": places.province(code)}


def covering_places(session: Session, village_id: uuid.UUID | None = None) -> tuple[str, ...]:
    """The places whose lines apply to the village (this database's village by default), most specific
    first; only 全国 when there is no single village (a county database asked without one)."""
    own = _own_places(session, village_id)
    return (places.NATION,) if own is None else places.covering(own["本县"], own["本市"], own["本省"])


def applied_line(session: Session, year: int, village_id: uuid.UUID | None = None, *,
                 carry_forward: bool = False) -> AppliedLine | None:
    """The line that applies to the village in `year`: that year's line of the most specific covering
    place. `carry_forward`: with no line that year, the latest earlier year's (the notice board's use)."""
    names = covering_places(session, village_id)
    rank = {n: i for i, n in enumerate(names)}
    wanted = PovertyLine.year == year if not carry_forward else PovertyLine.year <= year
    rows = session.execute(select(PovertyLine.year, PovertyLine.jurisdiction, PovertyLine.amount_fen).where(
        wanted, PovertyLine.jurisdiction.in_(names), live(PovertyLine))).all()
    if not rows:
        return None
    y, j, fen = min(rows, key=lambda r: (-r[0], rank[r[1]]))
    return AppliedLine(y, j, fen)


def poverty_line(session: Session, year: int, village_id: uuid.UUID | None = None) -> int | None:
    """The year's 扶贫标准 for the village in fen, None if no covering place has one that year."""
    line = applied_line(session, year, village_id)
    return None if line is None else line.amount_fen


def resolve_jurisdiction(session: Session, name: str | None) -> str:
    """The jurisdiction a line is set for: 本县/本市/本省 (nothing: 本省) become this village's names; in a
    village database a place that does not cover the village is refused (its line would never be used)."""
    own = _own_places(session, None)
    name = (name or "").strip()
    if own is None:  # no single village here (county database): any place may be configured
        if not name or name in places.ALIASES:
            raise ValidationError([FieldError("jurisdiction", "请写出地区的全称，如 河南省、洛阳市、栾川县")])
        return name
    names = places.covering(own["本县"], own["本市"], own["本省"])
    if not name:
        name = "本省"
    if name in places.ALIASES:
        found = own[name]
        if not found:
            raise ValidationError([FieldError("jurisdiction", f"本村的区划信息里没有“{name}”的名称，无法确定；"
                                                              f"请直接写出地区全称（本村适用：{'、'.join(names)}）")])
        return found
    if name not in names:
        raise ValidationError([FieldError("jurisdiction", f"“{name}”不包含本村，本村不会使用它的扶贫标准；"
                                                          f"本村适用的地区：{'、'.join(names)}")])
    return name


def set_poverty_line(session: Session, year: int, amount_fen: int, jurisdiction: str | None = None,
                     source: str | None = None) -> str:
    """Configure (or change) a year's line for a jurisdiction (see resolve_jurisdiction); returns the
    jurisdiction's name. Lines after 2020 are set by provinces."""
    if not (1949 <= year <= clock.today().year + 5):
        raise ValidationError([FieldError("year", f"年份{year}不合理")])
    if not (10_000 <= amount_fen <= 10_000_000):
        raise ValidationError([FieldError("amount", "扶贫标准应在100元到10万元之间（按人均纯收入，元/人·年）")])
    jurisdiction = resolve_jurisdiction(session, jurisdiction)
    row = session.scalar(select(PovertyLine).where(PovertyLine.year == year, PovertyLine.jurisdiction == jurisdiction,
                                                   live(PovertyLine)))
    if row is None:
        # the id the reference loader gives the same (year, jurisdiction), so a later CSV row updates this one
        rid = reference_id(PovertyLine.__tablename__, f"{year}|{jurisdiction}")
        existing = session.get(PovertyLine, rid)
        if existing is not None:  # tombstoned earlier: bring it back
            existing.deleted_at, existing.amount_fen, existing.source = None, amount_fen, source
        else:
            session.add(PovertyLine(id=rid, year=year, jurisdiction=jurisdiction, amount_fen=amount_fen,
                                    source=source))
    elif row.amount_fen != amount_fen:
        row.amount_fen = amount_fen
    return jurisdiction


def lines_by_year(session: Session, village_id: uuid.UUID | None = None) -> dict[int, int]:
    """Every configured year's line for the village (the most specific covering place of each year), fen."""
    names = covering_places(session, village_id)
    rank = {n: i for i, n in enumerate(names)}
    best: dict[int, tuple[int, int]] = {}
    for year, place, fen in session.execute(select(PovertyLine.year, PovertyLine.jurisdiction, PovertyLine.amount_fen)
                                            .where(PovertyLine.jurisdiction.in_(names),
                                                   live(PovertyLine))):
        if year not in best or rank[place] < best[year][0]:
            best[year] = (rank[place], fen)
    return {y: fen for y, (_, fen) in best.items()}
