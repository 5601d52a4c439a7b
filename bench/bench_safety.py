"""Issue 18 benchmark: an oversized roster refused, and restores with another instance open.

    .venv/bin/python bench/bench_safety.py [--cell-mb 409] [--sheet-mb 741] [--stream-mb 60] [--trials 100]

Prints figures; asserts nothing. Targets: an oversized roster is refused in under 5 s with peak
memory under 300 MB; a restore of the demo village with another instance open loses 0 writes in
100 trials.

1. Rosters: a 409 MB cell and a 741 MB sheet (the two files of the issue, rebuilt: whitespace
   and text that compress ~1000:1), and the same two kinds under the inflate limit (--stream-mb),
   which only the streaming scan can refuse. Each is given to `read_roster` in a fresh process (peak
   memory is that process's ru_maxrss, minus an idle interpreter with the same imports), next to
   the raw baseline of the same bytes: inflating the part with zipfile, nothing parsed.
2. Restores: a writer process opens the demo village and commits a household every few
   milliseconds; each trial tries `restore_backup` (as the window or `fupin restore` does) while
   it writes. Then the writer is killed and every commit it printed is looked up in the database
   and in every before-restore copy: "lost" is a commit found in neither. A second round lets
   the writer close between trials (restore waits up to 3 s), so restores do go ahead. Baseline:
   a plain copy of the backup file over a scratch file (the raw work of a restore).
"""

import argparse
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def roster_with_cell(path: Path, megabytes: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        _skeleton(z)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(NS + b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
            for _ in range(megabytes):
                out.write(b"x" * 2**20)
            out.write(b"</t></is></c></row></sheetData></worksheet>")
    return path


def roster_with_sheet(path: Path, megabytes: int) -> Path:
    row = b'<row><c t="inlineStr"><is><t>%s</t></is></c><c t="inlineStr"><is><t>410182194001010013</t></is></c></row>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        _skeleton(z)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(NS + b'<row><c t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c>'
                      b'<c t="inlineStr"><is><t>\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81\xe5\x8f\xb7</t></is></c></row>')
            block = row.replace(b"%s", "张三".encode()) * (2**20 // len(row))
            for _ in range(megabytes):
                out.write(block)
            out.write(b"</sheetData></worksheet>")
    return path


def _skeleton(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
               'spreadsheetml.sheet.main+xml"/></Types>')
    z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
               '<sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


REFUSE = r"""
import resource, sys, time
from fupin_desktop.services.roster import read_roster
from fupin_desktop.errors import FupinError
idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if sys.argv[2] == "raw":  # the baseline: inflate the part, parse nothing
    import zipfile
    with zipfile.ZipFile(sys.argv[1]) as z, z.open("xl/worksheets/sheet1.xml") as f:
        while f.read(1 << 20):
            pass
    outcome = "inflated"
else:
    try:
        read_roster(sys.argv[1])
        outcome = "read"
    except FupinError as e:
        outcome = f"refused: {str(e)[:60]}…"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{seconds:.3f} {(peak - idle) / 1024:.1f} {peak / 1024:.1f} {outcome}")
"""


def refuse(path: Path, mode: str) -> tuple[float, float, float, str]:
    out = subprocess.run([sys.executable, "-c", REFUSE, str(path), mode], capture_output=True, text=True,
                         cwd=ROOT, timeout=3600)
    seconds, extra, peak, outcome = out.stdout.strip().split(" ", 3)
    return float(seconds), float(extra), float(peak), outcome


def bench_rosters(folder: Path, cell_mb: int, sheet_mb: int, stream_mb: int) -> None:
    print("1. Oversized rosters (fresh process each; memory = peak RSS, and its growth over the idle process)")
    cases = (("409 MB cell", roster_with_cell, cell_mb), ("741 MB sheet", roster_with_sheet, sheet_mb),
             (f"{stream_mb} MB cell (under the inflate limit)", roster_with_cell, stream_mb),
             (f"{stream_mb} MB sheet of short rows (under the inflate limit)", roster_with_sheet, stream_mb))
    for name, make, size in cases:
        path = make(folder / f"{name.split(' (')[0].replace(' ', '_')}.xlsx", size)
        with zipfile.ZipFile(path) as z:
            inflated = z.getinfo("xl/worksheets/sheet1.xml").file_size
        print(f"  {name}: file {path.stat().st_size / 2**20:.1f} MB, sheet inflates to {inflated / 2**20:.0f} MB")
        ours = refuse(path, "roster")
        raw = refuse(path, "raw")
        print(f"    read_roster   {ours[0]:8.3f} s  peak {ours[2]:7.1f} MB (+{ours[1]:.1f})  {ours[3]}")
        print(f"    raw inflate   {raw[0]:8.3f} s  peak {raw[2]:7.1f} MB (+{raw[1]:.1f})  (baseline)")
        print(f"    ratio         {ours[0] / raw[0]:8.4f} of the time to merely inflate the sheet once")


WRITER = r"""
import sys
from datetime import date, timedelta
from fupin_desktop.db import lock
from fupin_desktop.db.session import open_database
from fupin_desktop.domain import idcard
from fupin_desktop.domain.household import HouseholdForm, MemberForm
from fupin_desktop.services.households import save_household

lock.this_process("命令 fupin bench-writer")
start, count = int(sys.argv[2]), int(sys.argv[3])
db = open_database(sys.argv[1])
print("ready", flush=True)
for n in range(start, start + count):
    born = date(1940, 1, 1) + timedelta(days=n % 20000)
    with db.transaction() as s:
        save_household(s, None, HouseholdForm(number=f"W{n:07d}", status="一般农户"),
                       [MemberForm(f"户主{n}", idcard.make("410182", born, 1 + n // 20000, "男"), "户主")])
    print(n, flush=True)
db.close()
print("closed", flush=True)
"""


def bench_restores(folder: Path, trials: int) -> None:
    from fupin_desktop.errors import DatabaseBusyError
    from fupin_desktop.services import backup
    from fupin_desktop.services.demo import build_demo

    print(f"2. Restore of the demo village while another instance writes ({trials} trials)")
    db_path = folder / "village" / "fupin.db"
    build_demo(db_path)
    db = __import__("fupin_desktop.db.session", fromlist=["open_database"]).open_database(db_path)
    old = folder / "demo-backup.db"  # outside backups/: the rotation there keeps only the newest few
    shutil.copyfile(backup.backup_now(db), old)
    db.close()
    committed: list[int] = []
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), "1", "100000000"], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "ready"
    refused = went = 0
    times = []
    for _ in range(trials):
        committed.append(int(writer.stdout.readline()))
        start = time.perf_counter()
        try:
            backup.restore_backup(db_path, old, wait=0)
            went += 1
        except DatabaseBusyError:
            refused += 1
        times.append(time.perf_counter() - start)
    writer.kill()
    rest, _ = writer.communicate()
    committed += [int(x) for x in rest.split() if x.isdigit()]
    lost = _lost(db_path, committed)
    print(f"  writer open: {refused} refused, {went} went ahead; writer committed {len(committed)} households; "
          f"lost {lost}")
    print(f"  a refusal takes {sorted(times)[len(times) // 2] * 1000:.1f} ms (median)")

    # round 2: the writer closes the file; the restore waits for it, then goes ahead
    rounds = max(1, trials // 10)
    total = lost = 0
    for t in range(rounds):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(100_000 + t * 100), "20"],
                                  stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert writer.stdout.readline().strip() == "ready"
        kept = backup.restore_backup(db_path, old, wait=60)  # waits until the writer has closed the file
        out, _ = writer.communicate()
        committed = [int(x) for x in out.split() if x.isdigit()]
        total += len(committed)
        lost += _lost(db_path, committed, [kept])
    print(f"  writer closes meanwhile: {rounds} restores went ahead once it had closed; it committed "
          f"{total} households; lost {lost} (its writes are in that restore's before-restore copy)")
    raw = []
    for _ in range(5):
        start = time.perf_counter()
        shutil.copyfile(old, folder / "scratch.db")
        raw.append(time.perf_counter() - start)
    print(f"  raw copy of the backup {min(raw) * 1000:.1f} ms (baseline)")


def _lost(db_path: Path, committed: list[int], copies: list[Path] | None = None) -> int:
    """Commits found neither in the database nor in the copies (default: every backup)."""
    found: set[str] = set()
    for path in [db_path, *(copies if copies is not None else (db_path.parent / "backups").glob("*.db"))]:
        with sqlite3.connect(path) as conn:
            found |= {n for (n,) in conn.execute("SELECT number FROM household WHERE number LIKE 'W%'")}
    return sum(f"W{n:07d}" not in found for n in committed)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cell-mb", type=int, default=409)
    p.add_argument("--sheet-mb", type=int, default=741)
    p.add_argument("--stream-mb", type=int, default=60, help="a part under the inflate limit: refused while streaming")
    p.add_argument("--trials", type=int, default=100)
    args = p.parse_args()
    print(f"idle interpreter peak RSS here: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    with tempfile.TemporaryDirectory(prefix="fupin-bench-safety-") as tmp:
        bench_rosters(Path(tmp), args.cell_mb, args.sheet_mb, args.stream_mb)
        bench_restores(Path(tmp), args.trials)


if __name__ == "__main__":
    main()
