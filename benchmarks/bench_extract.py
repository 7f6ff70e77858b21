"""Benchmark of the extraction (issue 6 point 7): a script, not a timed test.

    python benchmarks/bench_extract.py [--sizes 10000,100000,1000000] [--driver sqlite|odbc] [--repeat 3]

For each size it builds (once, cached in a temp folder) a demo Sage company with that
many document lines and about as many ledger entries, then times all 17 views:

  (a) naive  - the straightforward SQL, one query per view as VIEWS.md reads, run bare
               through the same driver (engine.extract.naive_views);
  (b) floor  - one scan of the sales lines joined to their headers plus one scan of the
               ledger: no query reading those rows can be faster;
  (c) ours   - engine.extract.extract_figures + build_views (each source aggregated once).

Peak memory is the Python heap's peak during the run (tracemalloc; SQLite's own page
cache is not included). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bizsync_tui.demo.data import build_demo_database  # noqa: E402
from bizsync_tui.engine.sage.extract import build_views, extract_figures, naive_views  # noqa: E402
from bizsync_tui.engine.sage.source_spec import parse_source  # noqa: E402
from bizsync_tui.engine.sage.sources import open_source  # noqa: E402

AS_OF = dt.date(2026, 11, 28)
CACHE = Path(tempfile.gettempdir()) / "bizsync-bench"

FLOOR_SQL = (
    "SELECT COUNT(*), SUM(l.DL_MontantHT) FROM F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Domaine = l.DO_Domaine"
    " AND h.DO_Type = l.DO_Type AND h.DO_Piece = l.DO_Piece",
    "SELECT COUNT(*), SUM(EC_Montant) FROM F_ECRITUREC",
)


def database(lines: int) -> Path:
    path = CACHE / f"bijou-{lines}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        info = build_demo_database(path.with_suffix(".tmp"), seed=1, lines=lines, as_of=AS_OF)
        os.replace(info["path"], path)
        print(f"built {path.name}: {info['lines']} lines, {info['entries']} entries in "
              f"{time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


def measure(fn, repeat: int) -> tuple[float, float]:
    """(median seconds, peak MiB of the Python heap). Timed runs go without tracemalloc
    (it slows every allocation); one more run measures the peak."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--driver", choices=("sqlite", "odbc"), default="sqlite")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = ["| lines | (a) one query per view | (b) floor: 2 scans | (c) bizsync | (c)/(a) | (c)/(b) "
           "| peak heap (a) | peak heap (c) |",
           "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for lines in sizes:
        path = database(lines)
        text = f"sqlite:{path}" if args.driver == "sqlite" else f"odbc:DRIVER=SQLite3;Database={path}"
        spec = parse_source(text)
        repeat = args.repeat if lines < 1_000_000 else 1

        def floor():
            with open_source(spec) as src:
                for sql in FLOOR_SQL:
                    src.query(sql)

        def ours():
            return build_views(extract_figures(spec, spec, as_of=AS_OF))

        def naive():
            return naive_views(spec, spec, as_of=AS_OF)

        floor()  # warm the page cache for everyone
        tb, _ = measure(floor, repeat)
        tc, mc = measure(ours, repeat)
        ta, ma = measure(naive, repeat)
        same = ours() == naive()
        out.append(f"| {lines:,} | {ta:.2f} s | {tb:.2f} s | {tc:.2f} s | {tc / ta:.2f} | {tc / tb:.1f} "
                   f"| {ma:.1f} MiB | {mc:.1f} MiB |" + ("" if same else " (results differ!)"))
        print(out[-1], file=sys.stderr)
    print(f"\nDriver: {args.driver}; as_of {AS_OF}; median of {args.repeat} runs below 1M lines, one at 1M.\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
