#!/usr/bin/env python3
"""Move every `register_fr({...})` block of bizsync_tui/ into the French gettext catalogue.

    python scripts/harvest_fr.py            # harvest, rewrite the sources, recompile the .mo
    python scripts/harvest_fr.py --check    # only report what a harvest would do (changes nothing)
    python scripts/harvest_fr.py --skip-dirty   # leave files with uncommitted changes for a later run

Re-runnable: each module-level `register_fr({...})` statement is found by AST;
its entries go into bizsync_tui/locale/fr/LC_MESSAGES/bizsync.po (an id already
there with the same French is skipped), and the block is removed from its file
(with `register_fr` from the file's import when nothing else uses it). Keys may
be string literals, module-level string constants (`WHERE_URL`, `N_(...)`), or
a literal key of a module-level dict literal (`MISSING["portal"]`).

Left in place and reported (exit status 1), for a person to fix:
- a conflict: the id is in the catalogue (or in an earlier block) with other
  French; give the call sites distinct contexts (pgettext) or one wording;
- a key or value that is not a string the script can resolve statically;
- a register_fr call that is not a module-level statement with a dict literal.
Placeholder differences between an id and its French are reported as warnings.
Finally the .po is written and compiled (`python -m bizsync_tui.i18n compile`).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import string
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bizsync_tui"
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from bizsync_tui import i18n  # noqa: E402

PO = i18n.po_path("fr")


def placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


def new_catalogue() -> Catalog:
    when = dt.datetime(2026, 12, 1, 21, 0, tzinfo=dt.timezone.utc)
    catalogue = Catalog(locale="fr", domain=i18n.DOMAIN, project="bizsync", version="0.1.0",
                   header_comment="# French translations of bizsync.\n"
                                  "# Recompile after editing: python -m bizsync_tui.i18n compile\n#",
                   creation_date=when, revision_date=when, last_translator="bizsync",
                   language_team="French", fuzzy=False)
    catalogue._num_plurals, catalogue._plural_expr = 2, "(n > 1)"  # gettext's French: 1 and 0 singular
    return catalogue


def load_catalogue() -> Catalog:
    if not PO.is_file():
        return new_catalogue()
    with PO.open("rb") as fp:
        return read_po(fp, locale="fr", domain=i18n.DOMAIN)


def save_catalogue(catalogue: Catalog) -> None:
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as fp:
        write_po(fp, catalogue, width=100, include_lineno=False)


# -- finding the blocks -------------------------------------------------------------------
@dataclass
class Entry:
    key_node: ast.expr
    value_node: ast.expr
    msgid: str | None  # None when it cannot be resolved
    french: str | None
    keep: bool = False  # left in the source (conflict, unresolved)


@dataclass
class Block:
    node: ast.Expr
    entries: list[Entry] = field(default_factory=list)


class ModuleConstants:
    """Module-level `NAME = "text"` / `NAME = N_("text")` / `NAME = {"k": "text"...}`."""

    def __init__(self, tree: ast.Module):
        self.names: dict[str, str] = {}
        self.dicts: dict[str, dict] = {}
        for stmt in tree.body:
            targets, value = [], None
            if isinstance(stmt, ast.Assign):
                targets, value = stmt.targets, stmt.value
            elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
                targets, value = [stmt.target], stmt.value
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                text = self.text(value)
                if text is not None:
                    self.names[target.id] = text
                elif isinstance(value, ast.Dict):
                    self.dicts[target.id] = {
                        k.value: self.text(v) for k, v in zip(value.keys, value.values)
                        if isinstance(k, ast.Constant)}

    def text(self, node: ast.expr | None) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("N_", "_")
                and len(node.args) == 1):
            return self.text(node.args[0])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.text(node.left), self.text(node.right)
            return left + right if left is not None and right is not None else None
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                and isinstance(node.slice, ast.Constant)):
            return self.dicts.get(node.value.id, {}).get(node.slice.value)
        return None


def comprehension_pairs(node: ast.expr) -> list[tuple[ast.expr, ast.expr]] | None:
    """The (key, value) nodes of `{a: b for a, b in ((k1, v1), (k2, v2)...)}`, else None."""
    if not (isinstance(node, ast.DictComp) and len(node.generators) == 1):
        return None
    gen = node.generators[0]
    if (gen.ifs or not isinstance(gen.target, ast.Tuple) or len(gen.target.elts) != 2
            or not all(isinstance(e, ast.Name) for e in gen.target.elts)
            or not isinstance(gen.iter, (ast.Tuple, ast.List))):
        return None
    a, b = (e.id for e in gen.target.elts)
    if not (isinstance(node.key, ast.Name) and isinstance(node.value, ast.Name)
            and (node.key.id, node.value.id) == (a, b)):
        return None
    pairs = []
    for item in gen.iter.elts:
        if not (isinstance(item, ast.Tuple) and len(item.elts) == 2):
            return None
        pairs.append((item.elts[0], item.elts[1]))
    return pairs


def is_register_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "register_fr")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "register_fr"))


def find_blocks(tree: ast.Module, problems: list[str], rel: str) -> list[Block]:
    constants = ModuleConstants(tree)
    blocks: list[Block] = []
    harvestable = set()
    for stmt in tree.body:
        if (isinstance(stmt, ast.Expr) and is_register_call(stmt.value) and len(stmt.value.args) == 1
                and not stmt.value.keywords and isinstance(stmt.value.args[0], ast.Dict)):
            harvestable.add(id(stmt.value))
            block = Block(stmt)
            mapping = stmt.value.args[0]
            for k, v in zip(mapping.keys, mapping.values):
                if k is None:  # {**other}: harvested when it is {a: b for a, b in ((KEY, "fr"), ...)}
                    pairs = comprehension_pairs(v)
                    if pairs is None:
                        block.entries.append(Entry(v, v, None, None))
                    for pk, pv in pairs or ():
                        block.entries.append(Entry(v, v, constants.text(pk), constants.text(pv)))
                    continue
                block.entries.append(Entry(k, v, constants.text(k), constants.text(v)))
            blocks.append(block)
    for node in ast.walk(tree):
        if is_register_call(node) and id(node) not in harvestable:
            problems.append(f"{rel}:{node.lineno}: a register_fr call that is not a module-level statement with a "
                            "dict literal; move its entries into the .po by hand")
    return blocks


# -- rewriting a source file ----------------------------------------------------------------
def _segment(source: str, node: ast.AST) -> str:
    return ast.get_source_segment(source, node) or ""


def rewrite(source: str, tree: ast.Module, blocks: list[Block]) -> str:
    lines = source.splitlines(keepends=True)
    for block in sorted(blocks, key=lambda b: b.node.lineno, reverse=True):
        start, end = block.node.lineno - 1, block.node.end_lineno
        kept, seen = [], set()
        for e in block.entries:
            if e.keep and id(e.value_node) not in seen:
                seen.add(id(e.value_node))
                kept.append(e)
        if kept:
            body = "".join(f"    {_segment(source, e.key_node)}:\n        {_segment(source, e.value_node)},\n"
                           if e.key_node is not e.value_node else f"    **{_segment(source, e.value_node)},\n"
                           for e in kept)
            lines[start:end] = [f"register_fr({{\n{body}}})\n"]
        else:
            del lines[start:end]
    return tidy(drop_unused_import(tidy("".join(lines))))


def tidy(text: str) -> str:
    """No run of more than two blank lines where a block or an import was, one newline at the end."""
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.rstrip("\n") + "\n"


def drop_unused_import(text: str) -> str:
    tree = ast.parse(text)
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "register_fr"]
    if uses:
        return text
    lines = text.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "bizsync_tui.i18n" and any(
                a.name == "register_fr" for a in node.names):
            names = [a for a in node.names if a.name != "register_fr"]
            start, end = node.lineno - 1, node.end_lineno
            if names:
                spelled = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in names)
                indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
                lines[start:end] = [f"{indent}from bizsync_tui.i18n import {spelled}\n"]
            else:
                del lines[start:end]
            break
    return "".join(lines)


# -- the harvest ----------------------------------------------------------------------------
def dirty_files() -> set[str]:
    """Paths (relative to the repository) with uncommitted changes or untracked: others may be editing them."""
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "bizsync_tui"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {line[3:].strip() for line in out.splitlines() if line.strip()}


def harvest(check: bool = False, skip_dirty: bool = False, mine: tuple[str, ...] = ()) -> int:
    catalogue = load_catalogue()
    before = {m.id: m.string for m in catalogue if m.id and m.context is None}
    moved, same, changed_files = 0, 0, []
    conflicts: list[str] = []
    problems: list[str] = []
    warnings: list[str] = []
    skipped: list[str] = []
    dirty = (dirty_files() - set(mine)) if skip_dirty else set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "i18n.py" and path.parent == PACKAGE:
            continue
        rel = path.relative_to(ROOT).as_posix()
        if rel in dirty:
            if "register_fr" in path.read_text(encoding="utf-8"):
                skipped.append(rel)
            continue
        source = path.read_text(encoding="utf-8")
        if "register_fr" not in source:
            continue
        tree = ast.parse(source)
        blocks = find_blocks(tree, problems, rel)
        for block in blocks:
            for entry in block.entries:
                line = entry.key_node.lineno
                if entry.msgid is None or entry.french is None:
                    entry.keep = True
                    problems.append(f"{rel}:{line}: {_segment(source, entry.key_node)[:60]!s} cannot be resolved "
                                    "to a string; move it into the .po by hand")
                    continue
                if placeholders(entry.msgid) != placeholders(entry.french):
                    warnings.append(f"{rel}:{line}: the French of {entry.msgid!r} has placeholders "
                                    f"{sorted(placeholders(entry.french))}, the English {sorted(placeholders(entry.msgid))}")
                existing = catalogue.get(entry.msgid)
                if existing is not None and existing.string:
                    if existing.string == entry.french:
                        same += 1
                        if (rel, None) not in existing.locations:
                            existing.locations.append((rel, None))
                        continue
                    entry.keep = True
                    where = ", ".join(loc for loc, _ in existing.locations) or "the catalogue"
                    conflicts.append(f"{rel}:{line}: {entry.msgid!r} is {entry.french!r} here but "
                                     f"{existing.string!r} in {where}")
                    continue
                if existing is not None:
                    existing.string = entry.french
                    existing.locations.append((rel, None))
                else:
                    catalogue.add(entry.msgid, entry.french, locations=[(rel, None)])
                moved += 1
        if blocks:
            new_source = rewrite(source, tree, blocks)
            if new_source != source:
                changed_files.append(rel)
                if not check:
                    path.write_text(new_source, encoding="utf-8")
    if not check:
        save_catalogue(catalogue)
        i18n.compile_catalogues()
    verb = "would move" if check else "moved"
    print(f"{verb} {moved} entries into {PO.relative_to(ROOT)}; {same} already there with the same French; "
          f"{len(before)} ids were there before.")
    print(("files that would change: " if check else "files changed: ") + (", ".join(changed_files) or "none"))
    if skipped:
        print("skipped (uncommitted changes, run again later): " + ", ".join(skipped))
    for title, items in (("conflicts (left in the source)", conflicts), ("cannot harvest", problems),
                         ("placeholder warnings", warnings)):
        if items:
            print(f"{title}:")
            for item in items:
                print("  " + item)
    return 1 if conflicts or problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; change no file")
    parser.add_argument("--skip-dirty", action="store_true",
                        help="leave alone the files with uncommitted changes (someone may be editing them)")
    parser.add_argument("--mine", nargs="*", default=[], metavar="PATH",
                        help="with --skip-dirty: files with uncommitted changes that are yours, harvested all the same")
    args = parser.parse_args(argv)
    return harvest(check=args.check, skip_dirty=args.skip_dirty, mine=tuple(args.mine))


if __name__ == "__main__":
    raise SystemExit(main())
