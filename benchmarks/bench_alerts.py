"""What watching costs: the status on a big journal, and what an alert adds to a publication.

  1. `state.compute` (what `bizsync status` and the status line read) and
     `state.last_entry_id` (what the terminal app polls every 3 s) on a journal of
     N entries over C companies (tests/ui/journal_seed.py's rows, 1 in 7 a failure);
  2. `alerts.evaluate` right after a failure (what the runner adds to a run), with:
     no channel; a live SMTP server (aiosmtpd) and webhook receiver on loopback; a dead
     SMTP port and webhook port (refused at once); a silent server that accepts the
     connection and never answers (the read timeouts: the worst case, bounded by
     alerts.SEND_DEADLINE).

    python benchmarks/bench_alerts.py [--entries 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from bizsync_tui.engine import journal
    from bizsync_tui.engine.admin.config import CompanyData, save_company, set_settings
    from bizsync_tui.engine.monitor import alerts, state
    from bizsync_tui.engine.workspace import open_workspace
    from tests.alert_receivers import free_port, smtp_server, webhook_receiver
    from tests.ui.journal_seed import seed_journal

    ws = open_workspace(Path(tempfile.mkdtemp()) / "data")
    for i in range(3):
        save_company(ws, CompanyData(short_code=f"CO{i}", name=f"Company {i}", dossier=f"CO{i}",
                                     accounting_source="sqlite:/x.db", commercial_source="sqlite:/x.db",
                                     views=["sales_revenue"]))
    seed_journal(ws, args.entries)
    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    med, top = timed(lambda: state.compute(now, 26), args.repeat)
    print(f"state.compute, {args.entries} journal entries, 3 companies + users: median {med * 1000:.1f} ms, "
          f"max {top * 1000:.1f} ms")
    med, top = timed(state.last_entry_id, args.repeat * 20)
    print(f"state.last_entry_id: median {med * 1000:.2f} ms, max {top * 1000:.2f} ms")

    def failure_then_evaluate():
        # ok -> failing -> evaluate (the alert goes out) -> ok -> evaluate (recovered): two alerts
        t = now + timedelta(minutes=failure_then_evaluate.n)
        failure_then_evaluate.n += 2
        journal.record("publish", company="CO0", success=False, message="Down.", at=t.replace(tzinfo=None))
        alerts.evaluate(ws, t)
        journal.record("publish", company="CO0", success=True, message="Up.",
                       at=(t + timedelta(minutes=1)).replace(tzinfo=None))
        alerts.evaluate(ws, t + timedelta(minutes=1))
    failure_then_evaluate.n = 0

    def case(label: str) -> None:
        med, top = timed(failure_then_evaluate, args.repeat)
        print(f"failure + recovery alerts, {label}: median {med / 2 * 1000:.0f} ms, max {top / 2 * 1000:.0f} ms "
              "per evaluation")

    case("no channel")
    with smtp_server() as mail, webhook_receiver() as hook:
        set_settings(ws, {"alert.email.to": "ops@example.com", "alert.smtp.host": "127.0.0.1",
                          "alert.smtp.port": str(mail.port), "alert.smtp.security": "none",
                          "alert.webhook.url": hook.url})
        case("live SMTP + webhook on loopback")
    set_settings(ws, {"alert.smtp.port": str(free_port()), "alert.webhook.url": f"http://127.0.0.1:{free_port()}/x"})
    case("dead SMTP and webhook ports")
    import socket
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are accepted by the kernel and never answered
    port = silent.getsockname()[1]
    set_settings(ws, {"alert.smtp.port": str(port), "alert.webhook.url": f"http://127.0.0.1:{port}/x"})
    args.repeat = 2
    case("a silent server (read timeouts)")
    silent.close()


if __name__ == "__main__":
    main()
