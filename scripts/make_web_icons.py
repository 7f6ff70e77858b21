#!/usr/bin/env python3
"""Draws the mobile reader's icons (bizsync_tui/platform/web/icon-192.png, icon-512.png, icon.svg).

Standard library only: the shapes are rasterised here with 4x4 supersampling and
written as PNG with zlib. The icon: three rising bars and a trend line on the
product's blue, with a margin that lets launchers cut it round ("maskable").
Run it again after changing the drawing; the files are committed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent / "bizsync_tui" / "platform" / "web"
BLUE = (0x1B, 0x4F, 0x8F)
WHITE = (0xFF, 0xFF, 0xFF)
GOLD = (0xF2, 0xB6, 0x3A)

# In a 100 x 100 box: the bars (x, y-top, width, height) and the trend line's points.
BARS = ((24, 58, 13, 20), (43.5, 46, 13, 32), (63, 32, 13, 46))
LINE = ((22, 46), (42, 34), (56, 38), (78, 20))
LINE_WIDTH = 5.0


def _segment_distance(px, py, ax, ay, bx, by) -> float:
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    return ((px - cx) ** 2 + (py - cy) ** 2) ** 0.5


def _colour_at(x: float, y: float):
    """The colour at (x, y) of the 100 x 100 drawing (full bleed: maskable icons fill the square)."""
    for i in range(len(LINE) - 1):
        if _segment_distance(x, y, *LINE[i], *LINE[i + 1]) <= LINE_WIDTH / 2:
            return GOLD
    for bx, by, bw, bh in BARS:
        if bx <= x <= bx + bw and by <= y <= by + bh:
            return WHITE
    return BLUE


def render(size: int, samples: int = 4) -> bytes:
    rows = []
    scale = 100.0 / size
    for j in range(size):
        row = bytearray([0])  # filter: none
        for i in range(size):
            r = g = b = 0
            for sj in range(samples):
                for si in range(samples):
                    c = _colour_at((i + (si + 0.5) / samples) * scale, (j + (sj + 0.5) / samples) * scale)
                    r, g, b = r + c[0], g + c[1], b + c[2]
            n = samples * samples
            row += bytes((round(r / n), round(g / n), round(b / n)))
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def svg() -> str:
    hexc = "#%02x%02x%02x"
    bars = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="#fff"/>' for x, y, w, h in BARS)
    points = " ".join(f"{x},{y}" for x, y in LINE)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
            f'<rect width="100" height="100" rx="18" fill="{hexc % BLUE}"/>{bars}'
            f'<polyline points="{points}" fill="none" stroke="{hexc % GOLD}" stroke-width="{LINE_WIDTH}" '
            f'stroke-linecap="round" stroke-linejoin="round"/></svg>\n')


def main() -> None:
    for size in (192, 512):
        (WEB / f"icon-{size}.png").write_bytes(render(size))
    (WEB / "icon.svg").write_text(svg(), encoding="utf-8")


if __name__ == "__main__":
    main()
