"""The layers of docs/architecture.md, enforced: import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "bizsync_tui" / "engine"


def _lint_imports(config: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return subprocess.run([exe, "--config", str(config), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_every_contract_is_kept():
    done = _lint_imports(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout
    assert done.stdout.count(" KEPT") >= 6


def test_a_broken_rule_is_reported(tmp_path):
    """The same checker, with a rule the code breaks on purpose (screens below the engine), fails."""
    config = tmp_path / "broken.toml"
    config.write_text('[tool.importlinter]\nroot_package = "bizsync_tui"\n\n'
                      '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
                      'layers = ["bizsync_tui.engine", "bizsync_tui.screens"]\n')
    done = _lint_imports(config)
    assert done.returncode != 0
    assert "BROKEN" in done.stdout


def test_the_engine_hides_no_import_inside_a_function():
    """Imports inside functions were the way around import cycles; the engine has none left."""
    hidden = []
    for path in ENGINE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in ast.walk(func):
                    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bizsync_tui"):
                        hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}")
    assert hidden == []
