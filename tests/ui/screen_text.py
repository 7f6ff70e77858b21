"""The screen as text, one string a line (what a terminal would show), for UI tests."""

from __future__ import annotations


def screen_lines(app) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]
