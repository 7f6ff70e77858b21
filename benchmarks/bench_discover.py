"""Discovery benchmark: how long `bizsync sources discover --dir` takes on a folder of many files.

Builds a folder of N Sage-shaped SQLite files (copies of test company A), N non-Sage SQLite
files and N text files in 10 subfolders, then times engine.sage.discover.discover_dir (what
the command line and, per folder, the picker's file browser do): the median of --repeat runs,
and the cost per Sage file probed (open read-only, the 11 table probes, the name, the kind).
There is no baseline to compare with (bizsync had no discovery); the figure says whether the
200-file limit of one discovery keeps it within a few seconds.

    python benchmarks/bench_discover.py [--files 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(base: Path, n: int) -> None:
    import sqlite3

    from tests import sage_fixture as fx

    model = base / "model.db"
    fx.sqlite_file(model)
    for i in range(n):
        folder = base / f"dossier{i % 10}"
        folder.mkdir(exist_ok=True)
        shutil.copyfile(model, folder / f"sage{i:04d}.db")
        conn = sqlite3.connect(folder / f"other{i:04d}.db")
        conn.execute("CREATE TABLE t (a int)")
        conn.commit()
        conn.close()
        (folder / f"notes{i:04d}.txt").write_text("not a database\n")
    model.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="Sage files (and as many non-Sage SQLite and text files)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from bizsync_tui.engine.sage import discover

    base = Path(tempfile.mkdtemp(prefix="bizsync-bench-discover-"))
    try:
        build(base, args.files)
        limit = 2 * args.files  # every SQLite file probed (the default limit is 200)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = discover.discover_dir(base, limit=limit, deadline=600)
            times.append(time.perf_counter() - start)
            assert len(result.found) == args.files and len(result.not_sage) == args.files, result.stopped
        median = statistics.median(times)
        load = os.getloadavg()[0]
        print(f"{args.files} Sage + {args.files} other SQLite + {args.files} text files in 10 folders: "
              f"median {median:.2f} s, max {max(times):.2f} s over {args.repeat} runs "
              f"({1000 * median / (2 * args.files):.1f} ms per SQLite file probed); load average {load:.1f}")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
