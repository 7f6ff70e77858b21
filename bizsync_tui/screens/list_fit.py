"""Fitting a list's cells in the pane at 100 columns and more, where its DataTable sizes each
column to its widest cell: the texts that may be long (a name, a member list) give up room
so that the short, telling columns (the codes, the view count, the last publication and
its status) are never pushed out of sight.

    fit_cells(["Code", "Name", "Last"], rows, flexible={1}, room=71)

Pure functions (no Textual)."""

from __future__ import annotations

ELLIPSIS = "..."
MIN_FLEXIBLE = 8  # a name cut shorter than this says nothing


def cut(text: str, width: int) -> str:
    """`text` in `width` cells, its end replaced by '...' when it was cut."""
    if len(text) <= width:
        return text
    if width <= len(ELLIPSIS):
        return text[:width]
    return text[:width - len(ELLIPSIS)] + ELLIPSIS


def fit_widths(natural: list[int], flexible: set[int], room: int, minimum: list[int] | None = None) -> list[int]:
    """Column widths: the natural ones, less what the flexible columns must give up (the
    widest first) for all of them, with 2 cells of padding each and 2 for the scrollbar,
    to fit `room`. fit_widths([10, 30, 20], {1}, 50) -> [10, 22, 20] (50 - 2*3 - 2 = 42)."""
    widths = list(natural)
    floor = minimum or [0] * len(widths)
    over = sum(widths) + 2 * len(widths) + 2 - room
    while over > 0:
        candidates = [i for i in flexible if widths[i] > max(MIN_FLEXIBLE, floor[i])]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
        over -= 1
    return widths


def fit_cells(titles: list[str], rows: list[tuple], flexible: set[int], room: int) -> list[tuple]:
    """The rows' cells with the flexible columns' texts cut so that every column shows."""
    if not rows:
        return rows
    natural = [max([len(t)] + [len(str(cells[i])) for cells in rows]) for i, t in enumerate(titles)]
    widths = fit_widths(natural, flexible, room, minimum=[len(t) for t in titles])
    return [tuple(cut(c, widths[i]) if i in flexible and isinstance(c, str) else c for i, c in enumerate(cells))
            for cells in rows]


def fit_pane_rows(pane, rows: list[tuple], flexible_keys: tuple[str, ...]) -> list[tuple]:
    """A RecordListPane's fetched [(record, cells)] fitted to its width when it shows every
    column (at 100 columns and more; under that it has fixed widths of its own)."""
    if pane.narrow or not rows:
        return rows
    room = pane.room  # decided in the app's thread (RecordListPane.refresh_list)
    keys = [key for key, _title in pane.COLUMNS]
    titles = [pane.column_title(title) for _key, title in pane.COLUMNS]
    flexible = {keys.index(k) for k in flexible_keys if k in keys}
    fitted = fit_cells(titles, [cells for _record, cells in rows], flexible, room)
    return [(record, cells) for (record, _old), cells in zip(rows, fitted)]
