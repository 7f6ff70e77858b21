"""The layer rule: engine/ and models/ never import Textual nor the screens."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import bizsync_tui.engine
import bizsync_tui.models


def _modules(package) -> list[str]:
    return [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]


def test_engine_and_models_import_no_textual():
    modules = _modules(bizsync_tui.engine) + _modules(bizsync_tui.models)
    assert "bizsync_tui.engine.config" in modules and "bizsync_tui.models.tables" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')\n"
        "             or m.startswith('bizsync_tui.screens') or m == 'bizsync_tui.app')\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"engine/models pulled in: {out.stdout.strip()}"


def test_the_check_would_see_textual():
    """The subprocess check does notice a Textual import (so the test above can fail)."""
    code = "import sys, textual.widget\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True"
