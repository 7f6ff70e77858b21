"""Reading several companies at once: a pool of worker processes (issue 15, many dossiers).

Processes, not threads: Python's sqlite3 module takes the interpreter lock back for every row
it returns and the per-code work runs in Python, so threads reading SQLite files wait for each
other there (measured, 2 cores, benchmarks/bench_extract.py --companies 4 [--threads]: 4
companies of 1,000,000 lines took 0.55 of the sum of their times with 4 processes, 0.61 with 4
threads; of 100,000 lines about the same, 0.66 to 0.79 either way; the version that summed the
sales grain in Python took 1.32 with threads). A server source loses nothing: its worker waits
on the server as a thread would (PostgreSQL: 0.65 with processes, 0.70 with threads).

The workers are forked from a "forkserver" process started for the purpose (never from the
running app, which has threads of its own), with the extraction's modules preloaded. Each
one speaks the app's language (its messages are shown as they are) and leaves Ctrl+C to the
app; multiprocessing starts it in the app's current folder (a relative `sqlite:` path).
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
from concurrent.futures import ProcessPoolExecutor

from bizsync_tui import i18n

# A worker re-runs the program's main script (as "__mp_main__"; its `if __name__ == "__main__"`
# keeps it from starting anything), and Python 3.11 ignores a "__main__" preload: the modules
# a bizsync main script imports are loaded in the server once, so a worker starts in
# milliseconds instead of importing them again (0.8 s a pool of 4, measured).
PRELOAD = ["bizsync_tui.engine.sage.extract", "bizsync_tui.engine.publish.runner", "bizsync_tui.cli"]


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:  # Windows: spawn
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _start_worker(language: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app decides what Ctrl+C stops
    i18n.set_language(language)
    gc.freeze()  # what was imported is never garbage: the collector stops scanning it


def extraction_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes for engine.sage.extract.extract_figures calls."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_start_worker,
                               initargs=(i18n.language(),))
