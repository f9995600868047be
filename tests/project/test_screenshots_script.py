"""scripts/screenshots.py: the PNGs keep the terminal's alignment."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def _script():
    spec = importlib.util.spec_from_file_location("screenshots_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_leading_spaces_become_a_later_start():
    # a right-aligned "31%" in a 6-cell column at x=100, 10 px per cell
    svg = ('<text class="r1" x="100" y="20" textLength="60" clip-path="url(#l1)">'
           '&#160;&#160;&#160;31%</text>'
           '<text class="r2" x="160" y="20" textLength="40" clip-path="url(#l1)">'
           '&#160;&#160;&#160;&#160;</text>'
           '<text class="r3" x="200" y="20" textLength="40" clip-path="url(#l1)">'
           'a&#160;&amp;b</text>')
    out = _script().for_rsvg(svg)
    assert ('<text class="r1" x="130" y="20" textLength="30" clip-path="url(#l1)">31%</text>'
            in out)
    assert 'class="r2"' not in out  # spaces only: nothing to draw
    assert 'x="200" y="20" textLength="40" clip-path="url(#l1)">a&#160;&amp;b</text>' in out
