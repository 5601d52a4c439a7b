"""The bundled fonts: rare name characters print, runs fall back per character, everything is embedded."""

from datetime import date

import pytest

from fupin_desktop.reports import fonts, output
from fupin_desktop.reports.layout import A4_PORTRAIT, Furniture, p, styles
from fupin_desktop.resources import font_files
from tests.reports.pdf import flat, pdf_fonts, pdf_text

RARE = "喆堃昇淼犇玥珺赟䶮頔"


def test_both_fonts_hold_the_rare_name_characters():
    assert fonts.missing(RARE) == ""
    assert all(fonts.has_glyph(fonts.SONG, ch) for ch in RARE)


def test_a_character_the_song_font_lacks_is_set_in_the_hei_font():
    lacking = "㐀"  # CJK Extension A: in Zen Hei, not in UMing
    assert not fonts.has_glyph(fonts.SONG, lacking) and fonts.has_glyph(fonts.HEI, lacking)
    assert fonts.runs(f"王{lacking}明") == [(fonts.SONG, "王"), (fonts.HEI, lacking), (fonts.SONG, "明")]
    assert fonts.markup(f"王{lacking}<明>") == f'王<font name="{fonts.HEI}">{lacking}</font>&lt;明&gt;'


def test_a_character_neither_font_has_is_reported():
    assert fonts.missing("张\U0002a6a5") == "\U0002a6a5"  # Extension B, in neither font


def test_the_fonts_are_embedded_as_subsets_and_rare_names_come_back_out(tmp_path):
    st = styles()
    path = output.write(tmp_path / "rare.pdf", [p(f"名单：{RARE} 王㐀明", st.body)], pagesize=A4_PORTRAIT,
                        furniture=Furniture("新沟村", "测试", date(2026, 12, 1)))
    found = pdf_fonts(path)
    assert found, "no fonts in the PDF"
    assert all(f["emb"] == "yes" and f["sub"] == "yes" for f in found), found
    assert {f["name"].split("+")[1].rsplit("-", 1)[0] for f in found} == {"UMingCN", "WenQuanYiZenHei"}
    assert RARE in flat(pdf_text(path)) and "王㐀明" in flat(pdf_text(path))


def test_a_missing_font_file_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(font_files, "FONT_DIR", tmp_path)
    fonts.register.cache_clear()
    try:
        with pytest.raises(Exception, match="缺少打印用的中文字体文件"):
            fonts.register()
    finally:
        monkeypatch.undo()
        fonts.register.cache_clear()
        fonts.register()
