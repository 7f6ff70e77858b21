"""Benchmark of the extraction (issues 6 and 15): a script, not a timed test.

    python benchmarks/bench_extract.py [--shapes demo,mixed,many,few,month,years,long-fy,short-fy]
        [--sizes 1000000] [--driver sqlite|odbc|postgresql] [--repeat 3]
    python benchmarks/bench_extract.py --companies 6 [--shapes mixed] [--sizes 100000]

For each data shape (benchmarks/shapes.py; "demo" is the product's demo generator) and size
it builds a Sage company with that many document lines (cached in the temp folder; for
PostgreSQL loaded into a throwaway server started as tests/pg.py does) and times all 17 views:

  (a) careful - one query per view, the fastest plain SQL we could write for each view alone,
                run bare through the same driver (benchmarks/baseline.py);
  (b) floor   - one scan of the sales lines joined to their headers plus one scan of the
                ledger: no query reading those rows can be faster;
  (c) bizsync - engine.sage.extract.extract_figures + build_views (each source read once, the
                two sources at the same time on two connections);
  (a2)          (a)'s queries shared out between 2 connections at once, the same number of
                statements at a time as (c): the fair baseline for (c)'s wall clock.

(a), (a2) and (c) run alternately, `--repeat` times each, medians kept; all three must give
the same 17 views (checked, "17/17" in the table). Times are wall clock; with SQLite the process's CPU time
is shown too (on a shared machine it moves less). Peak memory is the Python heap's peak
(tracemalloc, in one more run, not timed; the baseline's only below 1 M lines: it holds 5 rows
a query).

`--companies N`: N companies of the shape, extracted one after the other (the sum of their
times) and as a run reads them: min(4, N) at a time (engine.publish.runner.EXTRACT_WORKERS), each
in a worker process (engine.sage.pool; `--threads`: in threads, for comparison).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.baseline import careful_views  # noqa: E402
from benchmarks.shapes import SHAPES, build_shape  # noqa: E402
from bizsync_tui.demo.data import TABLE_COLUMNS, build_demo_database, create_schema  # noqa: E402
from bizsync_tui.engine.publish.runner import EXTRACT_WORKERS  # noqa: E402
from bizsync_tui.engine.sage.extract import build_views, extract_figures  # noqa: E402
from bizsync_tui.engine.sage.pool import extraction_pool  # noqa: E402
from bizsync_tui.engine.sage.source_spec import parse_source  # noqa: E402
from bizsync_tui.engine.sage.sources import open_source  # noqa: E402

AS_OF = dt.date(2026, 11, 28)
CACHE = Path(tempfile.gettempdir()) / "bizsync-bench"
ALL_SHAPES = ("demo",) + tuple(SHAPES)

FLOOR_SQL = (
    "SELECT COUNT(*), SUM(l.DL_MontantHT) FROM F_DOCLIGNE l JOIN F_DOCENTETE h ON h.DO_Domaine = l.DO_Domaine"
    " AND h.DO_Type = l.DO_Type AND h.DO_Piece = l.DO_Piece",
    "SELECT COUNT(*), SUM(EC_Montant) FROM F_ECRITUREC",
)


def database(shape: str, lines: int, seed: int = 1) -> Path:
    path = CACHE / f"{shape}-{lines}-{seed}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        if shape == "demo":
            info = build_demo_database(tmp, seed=seed, lines=lines, as_of=AS_OF)
        else:
            info = build_shape(tmp, shape, lines=lines, as_of=AS_OF, seed=seed)
        os.replace(tmp, path)
        print(f"built {path.name}: {info['lines']} lines, {info['entries']} entries in "
              f"{time.perf_counter() - t:.1f} s", file=sys.stderr)
    return path


# -- PostgreSQL ----------------------------------------------------------------------------

class Postgres:
    """A throwaway server (tests/pg.py) holding copies of the SQLite companies."""

    def __init__(self):
        from tests.pg import start_pg

        self.server = start_pg()
        self.loaded: dict[Path, str] = {}

    def source(self, path: Path) -> tuple[str, str, str]:
        name = self.loaded.get(path)
        if name is None:
            name = self._load(path)
            self.loaded[path] = name
        return f"odbc:{self.server.odbc_string(name)}", self.server.superuser, self.server.password

    def _load(self, path: Path) -> str:
        t = time.perf_counter()
        name = "b_" + path.stem.replace("-", "_").lower()
        self.server.create_database(name)
        conn = self.server.connect(name)
        create_schema(conn, "postgresql")
        conn.close()
        src = sqlite3.connect(str(path))
        env = {**os.environ, "PGPASSWORD": self.server.password}
        for table, cols in TABLE_COLUMNS.items():
            buf = io.StringIO()
            w = csv.writer(buf)
            for row in src.execute(f"SELECT {', '.join(cols)} FROM {table}"):
                w.writerow(["" if v is None else v for v in row])
            subprocess.run([str(self.server.bin_dir / "psql"), "-h", self.server.host, "-p", str(self.server.port),
                            "-U", self.server.superuser, "-d", name, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                            f"\\copy {table} ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv)"],
                           input=buf.getvalue().encode(), env=env, check=True)
        src.close()
        conn = self.server.connect(name)
        conn.execute("VACUUM ANALYZE")  # hint bits and statistics set before anything is timed
        conn.close()
        print(f"loaded {path.name} into PostgreSQL in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        return name

    def stop(self):
        from tests.pg import stop_pg

        stop_pg(self.server)


# -- measuring -------------------------------------------------------------------------------

def timed(fn, *, memory: bool = False):
    """(wall s, CPU s, peak MiB of the Python heap or None, result). With `memory`, the run is
    traced by tracemalloc, which slows the Python side (so such runs are not timed)."""
    gc.collect()
    if memory:
        tracemalloc.start()
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    peak = None
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return wall, cpu, peak, result


def spec_of(args, path: Path, pg: Postgres | None):
    if args.driver == "sqlite":
        return parse_source(f"sqlite:{path}"), None, None
    if args.driver == "odbc":
        return parse_source(f"odbc:DRIVER=SQLite3;Database={path}"), None, None
    text, user, password = pg.source(path)
    return parse_source(text), user, password


def one_shape(args, shape: str, lines: int, pg) -> str:
    path = database(shape, lines)
    spec, user, password = spec_of(args, path, pg)
    kw = dict(user=user, password=password, as_of=AS_OF)

    def floor():
        with open_source(spec, user, password) as src:
            for sql in FLOOR_SQL:
                src.query(sql)

    def ours():
        return build_views(extract_figures(spec, spec, **kw))

    def careful():
        return careful_views(spec, spec, **kw)

    def careful2():  # the same queries shared out between 2 connections (bizsync reads 2 sources at once)
        return careful_views(spec, spec, connections=2, **kw)

    floor()  # warm the caches for everyone
    a, a2, b, c = [], [], [], []
    for _ in range(args.repeat):  # alternated, untraced
        b.append(timed(floor))
        c.append(timed(ours))
        a.append(timed(careful))
        a2.append(timed(careful2))
    mine, theirs, theirs2 = c[-1][3], a[-1][3], a2[-1][3]
    same = sum(1 for v in theirs if mine.get(v) == theirs[v] == theirs2.get(v))
    mc = timed(ours, memory=True)[2]  # one more run, traced (tracemalloc slows it: not timed)
    ma = timed(careful, memory=True)[2] if lines < 1_000_000 else None
    wa, wa2, wb, wc = (statistics.median(x[0] for x in s) for s in (a, a2, b, c))
    ca, cc = (statistics.median(x[1] for x in s) for s in (a, c))
    cpu = f" | {cc / ca:.3f} ({cc:.2f} / {ca:.2f} s)" if args.driver != "postgresql" else ""
    return (f"| {shape} | {lines:,} | {wa:.2f} s | {wa2:.2f} s | {wb:.2f} s | {wc:.2f} s | **{wc / wa:.3f}**"
            f" | {wc / wa2:.3f} | {wc / wb:.1f}"
            f"{cpu} | {same}/17 | {'-' if ma is None else f'{ma:.1f}'} / {mc:.1f} MiB |")


def companies(args, shape: str, lines: int, n: int, pg) -> str:
    paths = [database(shape, lines, seed=1 + i) for i in range(n)]
    specs = [spec_of(args, p, pg) for p in paths]

    def one(s):
        spec, user, password = s
        return extract_figures(spec, spec, user=user, password=password, as_of=AS_OF)

    for s in specs:
        one(s)  # warm
    singles = [timed(lambda s=s: one(s))[0] for s in specs]
    workers = args.workers or min(EXTRACT_WORKERS, n)

    def parallel():  # as Extractor.prefetch: a pool of processes per run, or --threads
        pool = ThreadPoolExecutor(max_workers=workers) if args.threads else extraction_pool(workers)
        with pool:
            futures = [pool.submit(extract_figures, spec, spec, user=user, password=password, as_of=AS_OF)
                       for spec, user, password in specs]
            for f in futures:
                f.result()

    runs = [timed(parallel)[0] for _ in range(args.repeat)]
    total, par = sum(singles), statistics.median(runs)
    kind = "threads" if args.threads else "processes"
    return (f"| {n} x {shape} {lines:,} lines | {total:.2f} s | {par:.2f} s ({workers} {kind} at a time)"
            f" | {par / total:.2f} |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shapes", default=",".join(ALL_SHAPES))
    ap.add_argument("--sizes", default="1000000")
    ap.add_argument("--driver", choices=("sqlite", "odbc", "postgresql"), default="sqlite")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--companies", type=int, default=0, help="time N companies one by one and in parallel")
    ap.add_argument("--workers", type=int, default=0, help="with --companies: workers (default: as a run, min(4, N))")
    ap.add_argument("--threads", action="store_true", help="with --companies: threads instead of the run's processes")
    args = ap.parse_args(argv)
    shapes = [s for s in args.shapes.split(",") if s.strip()]
    for s in shapes:
        if s not in ALL_SHAPES:
            ap.error(f"unknown shape {s}; choose among {', '.join(ALL_SHAPES)}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    pg = Postgres() if args.driver == "postgresql" else None
    try:
        if args.companies:
            out = ["| companies | one after the other (sum) | as a run reads them | ratio |",
                   "| --- | ---: | ---: | ---: |"]
            for shape in shapes:
                for lines in sizes:
                    out.append(companies(args, shape, lines, args.companies, pg))
                    print(out[-1], file=sys.stderr, flush=True)
        else:
            cpu = " | CPU (c)/(a) |" if args.driver != "postgresql" else " |"
            out = [f"| shape | lines | (a) careful per view | (a2) on 2 connections | (b) floor | (c) bizsync"
                   f" | (c)/(a) | (c)/(a2) | (c)/(b){cpu} same views | peak heap (a) / (c) |",
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if cpu != " |" else "")
                   + " ---: | ---: |"]
            for shape in shapes:
                for lines in sizes:
                    out.append(one_shape(args, shape, lines, pg))
                    print(out[-1], file=sys.stderr, flush=True)
    finally:
        if pg is not None:
            pg.stop()
    load = os.getloadavg()
    print(f"\nDriver: {args.driver}; as_of {AS_OF}; medians of {args.repeat} alternated runs; "
          f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores.\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
