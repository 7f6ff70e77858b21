"""No orphaned snapshot: every SVG under snapshots/<module>/ belongs to a snapshot test of that module.

A renamed or removed snapshot test leaves its SVG behind, and syrupy only reports it for the
modules a run selected; this check reads the files and the tests' names instead, so it holds for
the whole tree whatever is run.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "snapshots"
SNAP_TESTS = Path(__file__).resolve().parent


def snapshot_tests(module: Path) -> set[str]:
    """Names of the test functions of a module that take the snap_compare fixture."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
            if any(a.arg == "snap_compare" for a in node.args.args):
                names.add(node.name)
    return names


def orphans() -> list[str]:
    found = []
    for folder in sorted(p for p in SNAPSHOTS.iterdir() if p.is_dir() and p.name.startswith("test_")):
        module = SNAP_TESTS / f"{folder.name}.py"
        tests = snapshot_tests(module) if module.is_file() else set()
        for svg in sorted(folder.glob("*.svg")):
            name = svg.stem.split("[", 1)[0]  # a parametrized test: name[params].svg
            if name not in tests:
                found.append(svg.relative_to(ROOT).as_posix())
    return found


def test_every_snapshot_file_has_its_test():
    assert orphans() == [], "delete these files, or restore their tests"


def test_the_check_sees_snapshot_tests():
    """The check would pass vacuously if it found no test: it finds those of the shell module."""
    tests = snapshot_tests(SNAP_TESTS / "test_snap_shell.py")
    assert {"test_help", "test_main_screen_first_start_french"} <= tests
    assert all((SNAPSHOTS / "test_snap_shell" / f"{name}.svg").is_file() for name in ("test_help",))
