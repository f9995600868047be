"""Every use of xlsxwriter's internals, in one module. tests/output/test_xlsxwriter_internals.py
checks each against the xlsxwriter version named in ``CHECKED_AGAINST``, so an upgrade that
changes one fails there, where the fix goes.

- ``release``: a workbook is a reference cycle (each worksheet keeps the workbook's bound
  ``add_format`` method as its ``workbook_add_format`` attribute), so once closed, its cell
  records (a few hundred thousand for a big tab book) can only be freed by Python's cyclic
  collector walking every one of them, a quarter of a second or more. Dropping that one
  link after ``close()`` lets reference counting free them as soon as the workbook goes.
- ``merge_unpadded``: a merged range without the blank cells ``merge_range`` writes into
  it. Those carry the format for borders and fill to reach across the range; text without
  either needs only the first cell (Excel and LibreOffice show a merged range by its first
  cell), so a tab book writes some 40 fewer cells per table.
"""

from __future__ import annotations

from typing import Any

CHECKED_AGAINST = "3.3.1"  # the xlsxwriter version this was read from and tested with


def release(wb: Any) -> None:
    """Break a closed workbook's reference cycle (see the module's note)."""
    for ws in wb.worksheets():
        ws.workbook_add_format = None


def merge_unpadded(ws: Any, row: int, first: int, last: int) -> None:
    """Merge columns first…last of ``row`` (already written in ``first``) without writing
    the rest of the range (see the module's note). The caller keeps ranges apart: unlike
    merge_range, this does not check for overlaps."""
    ws.merge.append([row, first, row, last])
