"""Journal rows for UI tests and the benchmark: entry i (0-based) is an error when i % 7 == 3."""

from __future__ import annotations

from datetime import datetime, timedelta


def seed_journal(ws, n: int, start: datetime = datetime(2026, 3, 1, 6, 0), batch: int = 5000) -> None:
    from bizsync_tui.models.tables import JournalEntry

    def row(i: int) -> dict:
        ok = i % 7 != 3
        return dict(at=start + timedelta(minutes=i), operation="publish", company=f"CO{i % 3}", success=ok,
                    message="Published 12 views." if ok else "The accounting file cannot be opened; check its path.",
                    duration_ms=1200, figures="", trigger="scheduler")

    for first in range(0, n, batch):
        with ws.atomic():
            JournalEntry.insert_many([row(i) for i in range(first, min(n, first + batch))]).execute()
