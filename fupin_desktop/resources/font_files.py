"""The font files shipped in resources/fonts: which is which, and where they are.

Kept apart from reports/fonts.py so that the GUI can load its font without importing ReportLab.
"""

from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SONG = "FupinSong"  # body text
HEI = "FupinHei"  # titles, heads, fallback


@dataclass(frozen=True)
class FontFile:
    name: str  # ReportLab name
    file: str  # in resources/fonts
    subfont: int  # face inside the .ttc
    family: str  # the family Qt reports for it


FONTS = (
    FontFile(SONG, "uming.ttc", 0, "AR PL UMing CN"),
    FontFile(HEI, "wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
)
UI_FONT = FONTS[1]  # the GUI uses the same 黑体 as the printed headings


def font_path(font: FontFile) -> Path:
    return FONT_DIR / font.file


