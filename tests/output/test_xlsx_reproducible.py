"""Workbooks carry no time of writing: the same table, grid, book or weight report written
twice is the same file byte for byte (a plan re-run on the same data, outputs compared)."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest

from heetui.cli.main import main


@pytest.mark.parametrize("args", [
    ["tab", "relationship", "--by", "stakeholder_type"],
    ["book", "--by", "stakeholder_type"],
])
def test_a_workbook_written_twice_is_the_same_file(tmp_path, args, capsys):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    fmt = [] if args[0] == "book" else ["--format", "xlsx"]
    assert main([*args, *fmt, "-o", str(first)]) == 0
    assert main([*args, *fmt, "-o", str(second)]) == 0
    with zipfile.ZipFile(first) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core
    assert datetime.now().strftime("%Y-%m-%d") not in core
    assert first.read_bytes() == second.read_bytes()
