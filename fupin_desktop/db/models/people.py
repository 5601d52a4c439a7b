"""Cadres: the first secretary, team members, 帮扶责任人 and the village 两委."""

import uuid
from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from fupin_desktop.db.base import Base, Synced


class Cadre(Synced, Base):
    __tablename__ = "cadre"
    __noun__ = "人员"

    village_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("village.id"), index=True)
    name: Mapped[str]
    role: Mapped[str]  # one of domain.vocab.CADRE_ROLES
    unit: Mapped[str | None]  # 派驻单位 / 工作单位
    position: Mapped[str | None]  # 职务
    phone: Mapped[str | None]
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
