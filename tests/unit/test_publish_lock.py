"""One publication at a time per data dir, whoever starts it."""

import subprocess
import sys
import textwrap

from bizsync_tui.engine import journal
from bizsync_tui.engine.publish import runner
from bizsync_tui.engine.locks import ProcessLock


def test_second_publication_is_refused_while_one_runs(ws):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from bizsync_tui.engine.locks import ProcessLock
            lock = ProcessLock({str(ws.data_dir)!r}, name="publish")
            assert lock.acquire(role="scheduler")
            print("held", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        report = runner.run(ws, "publish", trigger="manual")
        assert not report.ok
        (entry,) = journal.page()
        assert entry.success is False
        assert entry.message.startswith("Not started: another publication is running (process ")
        assert f"process {holder.pid}" in entry.message
    finally:
        holder.communicate("\n", timeout=10)
    # once the first one has ended, a publication runs again (here it stops on the missing settings)
    report = runner.run(ws, "publish", trigger="manual")
    assert "Not started" not in journal.page()[0].message
    assert ProcessLock(ws.data_dir, name="publish").holder() is None
