"""Placeholder portraits for the demo team, so the sample 明白栏 shows photos (real ones are not at hand).

Each is a drawn silhouette on an ID-photo blue with the person's surname on the face and 示例 at
the foot, so nobody takes it for a real photo. Stored through the service like a chosen photo.
"""

import io
from importlib import resources

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session

from fupin_desktop.db.models import Cadre
from fupin_desktop.db.query import live
from fupin_desktop.services.attachments import prepare_bytes
from fupin_desktop.services.cadres import set_cadre_photo
from fupin_desktop.services.print_data import TEAM_ROLES

SIZE = (330, 450)  # the 22:30 shape of the frame on the board
BACKGROUNDS = ((67, 142, 219), (88, 152, 214), (60, 130, 200))  # 证件照蓝, a little different each
SUITS = ((38, 48, 66), (52, 56, 62), (30, 40, 58))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The 黑体 the printouts use (shipped with the program); Pillow's own font if it cannot be read."""
    try:
        path = resources.files("fupin_desktop.resources").joinpath("fonts/wqy-zenhei.ttc")
        with resources.as_file(path) as file:
            return ImageFont.truetype(str(file), size, index=0)
    except OSError:
        return ImageFont.load_default()


def portrait_png(name: str, variant: int = 0) -> bytes:
    """A silhouette with the surname (the first character of the name), as PNG bytes."""
    w, h = SIZE
    image = Image.new("RGB", SIZE, BACKGROUNDS[variant % len(BACKGROUNDS)])
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.06, h * 0.66, w * 0.94, h * 1.25), fill=SUITS[variant % len(SUITS)])  # shoulders
    draw.polygon([(w * 0.40, h * 0.66), (w * 0.60, h * 0.66), (w * 0.5, h * 0.82)], fill=(245, 245, 245))  # collar
    draw.rectangle((w * 0.42, h * 0.52, w * 0.58, h * 0.68), fill=(214, 206, 198))  # neck
    draw.ellipse((w * 0.26, h * 0.14, w * 0.74, h * 0.60), fill=(226, 219, 211))  # head
    draw.text((w * 0.5, h * 0.37), name[:1], fill=(120, 112, 104), font=_font(int(w * 0.26)), anchor="mm")
    draw.text((w * 0.5, h * 0.93), "示例", fill=(200, 200, 200), font=_font(int(w * 0.07)), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def add_portraits(s: Session) -> int:
    """A placeholder photo for everyone the 明白栏 shows in its team band; returns how many."""
    team = s.scalars(select(Cadre).where(Cadre.role.in_(TEAM_ROLES), live(Cadre))
                     .order_by(Cadre.role, Cadre.name)).all()
    for i, c in enumerate(team):
        set_cadre_photo(s, c.id, prepare_bytes(f"{c.name}（示例照片）.png", "png", portrait_png(c.name, i)))
    return len(team)
