"""Writing a PDF safely: into a temporary file beside the target, flushed, then renamed over it.

An error or a cancel leaves no half-written PDF (and an existing file with the same name intact);
storage problems come back as StorageError with a message a clerk understands.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.platypus import Flowable, SimpleDocTemplate

from fupin_desktop.reports.layout import MARGINS, Furniture, canvas_maker
from fupin_desktop.safe_files import write_atomically

rl_config.useA85 = 0  # binary (compressed) streams: smaller files, no time spent on ASCII85


def build(target: str | Path | BinaryIO, story: Sequence[Flowable], *, pagesize: tuple[float, float],
          furniture: Furniture, subject: str = "", margins: Mapping[str, float] = MARGINS) -> None:
    """Lay out `story` into `target` (a file name or a buffer)."""
    doc = SimpleDocTemplate(str(target) if isinstance(target, str | Path) else target, pagesize=pagesize,
                            title=furniture.title, author=furniture.village, subject=subject,
                            creator="扶贫工作队桌面助手", **margins)
    doc.build(list(story), canvasmaker=canvas_maker(furniture))


def to_bytes(story: Sequence[Flowable], *, pagesize: tuple[float, float], furniture: Furniture,
             margins: Mapping[str, float] = MARGINS) -> bytes:
    buffer = io.BytesIO()
    build(buffer, story, pagesize=pagesize, furniture=furniture, margins=margins)
    return buffer.getvalue()


def write(path: str | Path, story: Sequence[Flowable], *, pagesize: tuple[float, float],
          furniture: Furniture, margins: Mapping[str, float] = MARGINS) -> Path:
    """Write the PDF to `path` atomically; returns the path. Raises StorageError, or whatever stopped
    the layout (Cancelled); in every case no partial file is left."""
    def render(temp: Path) -> None:
        with temp.open("wb") as f:
            build(f, story, pagesize=pagesize, furniture=furniture, margins=margins)

    return write_atomically(Path(path), render, opened_in=" PDF 阅读器")


