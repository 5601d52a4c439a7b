"""Oversized rosters are refused while streaming, before openpyxl inflates anything: a huge cell, too
many rows or columns, a sheet that inflates a thousandfold, a file too large to be a roster."""

import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from fupin_desktop.services.roster import limits, read_roster
from fupin_desktop.services.roster.results import RosterFileError

HEADER = ("户编号", "姓名", "身份证号", "与户主关系", "村民组")


def workbook(path: Path, sheet_xml: Iterator[bytes] | None = None, strings_xml: bytes | None = None) -> Path:
    """A real xlsx written by openpyxl, whose sheet (and shared strings) are then replaced by
    streamed XML: the way a hostile file looks inside."""
    base = path.with_name("base.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(HEADER)
    wb.active.append(("001", "张三", "410182194001010013", "户主", "一组"))
    wb.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                    for chunk in sheet_xml:
                        out.write(chunk)
            else:
                dst.writestr(item, src.read(item.filename))
        if strings_xml is not None:
            dst.writestr("xl/sharedStrings.xml", strings_xml)
    return path


NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
END = b"</sheetData></worksheet>"


def header_row() -> bytes:
    cells = b"".join(b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i).encode(), h.encode())
                     for i, h in enumerate(HEADER))
    return b'<row r="1">' + cells + b"</row>"


def rows(n: int) -> Iterator[bytes]:
    yield NS + header_row()
    for start in range(2, n + 2, 10_000):
        yield b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>x</t></is></c></row>'
                       % (r, r, r, r) for r in range(start, min(n + 2, start + 10_000)))
    yield END


def refused(path: Path, match: str) -> float:
    start = time.perf_counter()
    with pytest.raises(RosterFileError, match=match) as e:
        read_roster(path)
    assert "未导入" in str(e.value)
    return time.perf_counter() - start


def test_a_normal_roster_passes_the_checks(tmp_path):
    path = workbook(tmp_path / "ok.xlsx")
    limits.check_xlsx(path)
    assert read_roster(path).rows


def test_a_huge_cell_is_refused_without_reading_it(tmp_path):
    def sheet() -> Iterator[bytes]:
        yield NS + header_row() + b'<row r="2"><c r="B2" t="inlineStr"><is><t>'
        for _ in range(40):  # 40 MB of one cell, 40 KB compressed
            yield b"\xe5\xbc\xa0" * (2**20 // 3)
        yield b"</t></is></c></row>" + END
    assert refused(workbook(tmp_path / "cell.xlsx", sheet()), f"超过 {limits.MAX_CELL_CHARS} 个字") < 5


def test_a_huge_shared_string_is_refused(tmp_path):
    strings = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
               + b"a" * (2 * limits.MAX_CELL_CHARS) + b"</t></si></sst>")
    refused(workbook(tmp_path / "sst.xlsx", strings_xml=strings), "共享字符串中有一格超过")


def test_a_cell_just_past_the_limit_is_refused_as_the_rows_are_read(tmp_path):
    """The scan before reading looks at windows of MAX_CELL_CHARS bytes (fast, sure past twice
    that); the exact limit is checked on every cell as it is read."""
    cell = "张" * (limits.MAX_CELL_CHARS // 3 + 10)  # under the limit in characters, over it in bytes
    over = "a" * (limits.MAX_CELL_CHARS + 1)
    for text, ok in ((cell, True), (over, False)):
        sheet = [NS + header_row() + b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>'
                 + text.encode() + b"</t></is></c></row>" + END]
        path = workbook(tmp_path / f"{ok}.xlsx", iter(sheet))
        if ok:
            assert read_roster(path).rows
        else:
            refused(path, "第2行有一格超过")


def test_too_many_rows_and_columns_are_refused(tmp_path):
    refused(workbook(tmp_path / "rows.xlsx", rows(limits.MAX_ROWS + 5)), f"超过 {limits.MAX_ROWS} 行")
    wide = [NS + header_row() + b'<row r="2"><c r="GR2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>' + END]
    refused(workbook(tmp_path / "wide.xlsx", iter(wide)), "XFD2 超过 200 列")


def test_a_sheet_that_inflates_a_thousandfold_is_refused_from_the_zip_directory(tmp_path):
    def bomb() -> Iterator[bytes]:
        yield NS + header_row()
        for _ in range(limits.MAX_PART_BYTES // 2**20 + 2):
            yield b" " * 2**20  # whitespace: compresses ~1000:1
        yield END
    path = workbook(tmp_path / "bomb.xlsx", bomb())
    assert path.stat().st_size < 1_000_000
    assert refused(path, "解压后有") < 1


def test_a_file_too_large_to_be_a_roster_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = workbook(tmp_path / "big.xlsx")
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", path.stat().st_size - 1)
    refused(path, "超过花名册的上限")


def test_row_limits_for_streaming_readers(tmp_path):
    check = limits.RowLimits(tmp_path / "x.csv")
    check.check(2, ["001", "张三"] + [None] * 300)  # empty cells past the limit are harmless
    with pytest.raises(RosterFileError, match="第3行有一格超过"):
        check.check(3, ["x" * (limits.MAX_CELL_CHARS + 1)])
    with pytest.raises(RosterFileError, match="第4行超过 200 列"):
        check.check(4, ["1"] * 201)


def test_the_problem_list_is_capped():
    shown, more = limits.capped(list(range(450)))
    assert list(shown) == list(range(200)) and more == 250
