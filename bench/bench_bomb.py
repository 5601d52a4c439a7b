"""A compression bomb from a confirmed sender: refused, and what it costs the county.

    .venv/bin/python bench/bench_bomb.py [--gib 1]

Prints the peak memory (RSS) and time of `fupin import-bundle` on a bundle whose payload is about
1 MB compressed and `--gib` GiB inflated, each in a fresh process, next to the raw baseline of the
same work in a fresh process: plain zlib.decompress of the same payload (what the importer did
before the inflate limit). Asserts nothing. Target (issue 13): refused with peak memory < 200 MB.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def peak(cmd: list[str]) -> tuple[float, float, str]:
    """Seconds and peak RSS (MB) of one child process, and its output."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        _pid, _status, usage = os.wait4(child.pid, 0)
        child.returncode = 0
        seconds = time.perf_counter() - t0
        log.seek(0)
        return seconds, usage.ru_maxrss / 1024, log.read().decode("utf-8", "replace")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=1.0)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.sync.conftest import World
    from tests.sync.test_hostile import Forger

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        world = World(root)
        inflated = int(args.gib * (1 << 30))
        # built in pieces: a child inherits its parent's peak memory at fork, so the parent stays small
        z = zlib.compressobj(9)
        parts = [z.compress(b'{"changes":[')]
        spaces = b" " * (1 << 20)
        parts += [z.compress(spaces) for _ in range(inflated >> 20)]
        raw = b"".join(parts) + z.flush()
        f = Forger(world).confirm()
        bomb = f.bundle([], raw_payload=raw)
        county = world.county.file
        world.close()
        (root / "raw.z").write_bytes(raw)
        print(f"bomb: {bomb.stat().st_size / 1e6:.1f} MB file, {inflated / 1e9:.2f} GB inflated")
        inflate = f"import zlib; zlib.decompress(open('{root / 'raw.z'}', 'rb').read())"
        t_raw, m_raw, _ = peak([sys.executable, "-c", inflate])
        print(f"  raw zlib.decompress of the payload : {t_raw:6.2f} s  peak {m_raw:7.0f} MB")
        t, m, out = peak([sys.executable, "-m", "fupin_desktop.cli", "--db", str(county), "import-bundle", str(bomb)])
        refused = "[拒绝]" in out and "解压后超过" in out
        print(f"  fupin import-bundle (refused: {refused}) : {t:6.2f} s  peak {m:7.0f} MB  "
              f"→ {m / m_raw:.2f}× the raw memory, {t / t_raw:.2f}× its time")


if __name__ == "__main__":
    main()
