"""The xlsxwriter internals heetui relies on (heetui.output.xlsxwriter_internals), checked
against the xlsxwriter version they were read from. After upgrading xlsxwriter, run these,
read the new version's code for each helper, and move CHECKED_AGAINST on."""

from __future__ import annotations

import gc
from importlib.metadata import version

import xlsxwriter

from heetui.output.xlsxwriter_internals import CHECKED_AGAINST, release


def test_checked_against_the_installed_xlsxwriter():
    assert version("xlsxwriter") == CHECKED_AGAINST, (
        f"heetui.output.xlsxwriter_internals was checked against xlsxwriter "
        f"{CHECKED_AGAINST}; {version('xlsxwriter')} is installed: check each helper "
        "against it, then update CHECKED_AGAINST")


def _garbage_after(tmp_path, released: bool) -> int:
    """Objects the cyclic collector frees once a written workbook is dropped."""
    gc.collect()
    gc.disable()
    try:
        wb = xlsxwriter.Workbook(str(tmp_path / "w.xlsx"), {"in_memory": True})
        for name in ("a", "b"):
            ws = wb.add_worksheet(name)
            for r in range(50):
                ws.write_number(r, 0, r)
                ws.merge_range(r, 1, r, 3, "x")
            ws.write_url(0, 4, "internal:'a'!A1", string="back")
        wb.close()
        if released:
            release(wb)
        del wb, ws
        return gc.collect()
    finally:
        gc.enable()


def test_release_lets_reference_counting_free_a_closed_workbook(tmp_path):
    assert _garbage_after(tmp_path, released=False) > 300  # the cycle release breaks
    assert _garbage_after(tmp_path, released=True) == 0


def test_merge_unpadded_is_a_merge_of_one_written_cell(tmp_path):
    import zipfile

    import openpyxl

    from heetui.output.xlsxwriter_internals import merge_unpadded

    path = tmp_path / "m.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("m")
    wrap = wb.add_format({"text_wrap": True})
    ws.write_string(2, 1, "a long note", wrap)
    merge_unpadded(ws, 2, 1, 6)
    ws.merge_range(4, 1, 4, 6, "padded", wrap)
    wb.close()
    sheet = openpyxl.load_workbook(path)["m"]
    assert {str(m) for m in sheet.merged_cells.ranges} == {"B3:G3", "B5:G5"}
    assert sheet["B3"].value == "a long note" and sheet["B3"].alignment.wrap_text
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert xml.count('<c r="') == 1 + 6  # the unpadded merge's one cell; merge_range's six
