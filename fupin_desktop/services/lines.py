"""扶贫标准 (poverty lines) by year: which line applies, and configuring the years after 2020."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import PovertyLine
from fupin_desktop.domain import clock
from fupin_desktop.domain.ids import reference_id
from fupin_desktop.errors import FieldError, ValidationError


def poverty_line(session: Session, year: int) -> int | None:
    """The year's 扶贫标准 in fen (the highest line configured for that year), None if none is."""
    return session.scalar(select(func.max(PovertyLine.amount_fen)).where(
        PovertyLine.year == year, PovertyLine.deleted_at.is_(None)))


def set_poverty_line(session: Session, year: int, amount_fen: int, jurisdiction: str = "本县",
                     source: str | None = None) -> None:
    """Configure (or change) a year's line for a jurisdiction; lines after 2020 are set by provinces."""
    if not (1949 <= year <= clock.today().year + 5):
        raise ValidationError([FieldError("year", f"年份{year}不合理")])
    if not (10_000 <= amount_fen <= 10_000_000):
        raise ValidationError([FieldError("amount", "扶贫标准应在100元到10万元之间（按人均纯收入，元/人·年）")])
    row = session.scalar(select(PovertyLine).where(PovertyLine.year == year, PovertyLine.jurisdiction == jurisdiction,
                                                   PovertyLine.deleted_at.is_(None)))
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
