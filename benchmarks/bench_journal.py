"""Journal benchmark: fill 100 000 journal entries, then measure
  1. the app's cold start to first paint (process start -> first screen painted, in a subprocess);
  2. the time from pressing F8 to the first painted page of the journal screen.
Targets (issue 3): cold start <= 1 s; journal first page <= 0.1 s beyond the app's start.

    python benchmarks/bench_journal.py [--entries 100000] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLD = r"""
import sys, time
t0 = time.perf_counter()
from bizsync_tui.engine.workspace import open_workspace
from bizsync_tui.app import BizSyncApp
import asyncio
async def main():
    app = BizSyncApp(open_workspace(sys.argv[1]), scheduler=False, start="wizard")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(f"{time.perf_counter() - t0:.3f}")
asyncio.run(main())
"""


async def journal_first_page(data_dir: Path) -> float:
    from textual.worker import WorkerCancelled

    from bizsync_tui.app import BizSyncApp
    from bizsync_tui.engine.workspace import open_workspace

    app = BizSyncApp(open_workspace(data_dir), scheduler=False, start="wizard")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        t0 = time.perf_counter()
        await pilot.press("f8")
        while True:  # until the table shows its first page
            await pilot.pause(0)
            tables = app.screen.query("#journal-table")
            if tables and tables.first().row_count:
                break
        await pilot.pause(0)
        return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="bizsync-bench-"))
    from bizsync_tui.engine import journal
    from bizsync_tui.engine.workspace import open_workspace
    from tests.ui.journal_seed import seed_journal

    ws = open_workspace(data_dir)
    have = journal.count()
    if have < args.entries:
        t0 = time.perf_counter()
        seed_journal(ws, args.entries - have)
        print(f"filled {args.entries - have} journal entries in {time.perf_counter() - t0:.2f} s")
    print(f"journal entries: {journal.count()}")
    ws.close()
    cold = float(subprocess.run([sys.executable, "-c", COLD, str(data_dir)], capture_output=True, text=True,
                                cwd=ROOT, check=True).stdout.strip().splitlines()[-1])
    print(f"cold start to first paint: {cold:.3f} s (target <= 1 s)")
    page = asyncio.run(journal_first_page(data_dir))
    print(f"F8 to first painted journal page: {page:.3f} s (target <= 0.1 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
