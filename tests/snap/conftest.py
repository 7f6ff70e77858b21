"""Snapshot tests: SVGs under the top-level snapshots/<module>/, no blinking cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_textual_snapshot

TESTS = Path(__file__).resolve().parent.parent


class _TopLevelSVGExtension(pytest_textual_snapshot.SVGImageExtension):
    """Store under snapshots/<test module>/; the path stays textually under tests/
    (tests/../snapshots) so syrupy's unused-snapshot check keeps other modules' files."""

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(TESTS / ".." / "snapshots" / test_location.basename)


if not issubclass(pytest_textual_snapshot.SVGImageExtension, _TopLevelSVGExtension):
    pytest_textual_snapshot.SVGImageExtension = _TopLevelSVGExtension


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    yield
