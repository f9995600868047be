"""A .sav saved with WEIGHT BY names its weight in the dictionary (the header's weight
index); SPSS opens it weighted and so does the import, with a line in its report.
pyreadstat can neither write nor report that index, so the fixture is written with
pyreadstat and its header patched: the index counts variable records, a string of width 20
taking three (one per 8 bytes)."""

from __future__ import annotations

import shutil
import struct
import subprocess

import polars as pl
import pyreadstat
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.importers.sources import dictionary_weight
from heetui.survey.bundle import load_bundle

WEIGHT_INDEX = 76  # offset of the weight index in the 176-byte header record
SEX = [1.0, 2.0, 1.0, 1.0, 2.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 1.0]
AGREE = [1.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 2.0, 1.0, 1.0, 2.0, 1.0]
WGT = [0.5, 1.5, 2.0, 1.0, 0.8, 1.2, 0.7, 1.3, 1.1, 0.9, 1.6, 0.4]


def _weighted_sav(tmp_path, weighted: bool = True, name: str = "final_weight_variable"):
    """Columns: id, a string of width 20 (three records), sex, agree, the weight: the
    weight is the 1 + 3 + 1 + 1 + 1 = 7th variable record."""
    df = pl.DataFrame({"id": [float(i) for i in range(1, 13)],
                       "town": ["Springfield-upon-Sea"] + ["Shelbyville"] * 11,
                       "sex": SEX, "agree": AGREE, name: WGT})
    src = tmp_path / "w.sav"
    pyreadstat.write_sav(df, str(src), variable_format={"town": "A20"},
                         variable_value_labels={"sex": {1.0: "Male", 2.0: "Female"},
                                                "agree": {1.0: "Yes", 2.0: "No"}})
    if weighted:
        data = bytearray(src.read_bytes())
        assert struct.unpack("<i", data[WEIGHT_INDEX:WEIGHT_INDEX + 4]) == (0,)
        data[WEIGHT_INDEX:WEIGHT_INDEX + 4] = struct.pack("<i", 7)
        src.write_bytes(bytes(data))
    return src, df


def test_the_dictionary_weight_is_read(tmp_path):
    src, _ = _weighted_sav(tmp_path)
    assert dictionary_weight(src) == "final_weight_variable"
    _, meta = pyreadstat.read_sav(str(src))  # the patched file is still a valid .sav
    assert meta.number_rows == 12
    plain, _ = _weighted_sav(tmp_path / "..", weighted=False)
    assert dictionary_weight(plain) is None


def test_a_sav_saved_with_weight_by_imports_weighted(tmp_path):
    src, df = _weighted_sav(tmp_path)
    bundle = import_source(src, tmp_path / "b")
    cb = load_bundle(bundle).codebook
    assert cb.settings.weight == "final_weight_variable"
    assert "final_weight_variable" not in cb
    notes = " ".join(cb.survey["import_notes"])
    assert "the file's own weight" in notes and "--weight none" in notes
    ct = crosstab(open_survey(bundle), TabRequest("agree", "sex", weighted=True))
    yes = next(r for r in ct.rows if r.label == "Yes")
    expected = df.group_by("sex").agg(
        ((pl.col("agree") == 1) * pl.col("final_weight_variable")).sum()
        / pl.col("final_weight_variable").sum() * 100).sort("sex")["agree"].to_list()
    assert [c.percent for c in yes.cells[1:]] == pytest.approx(expected, abs=1e-9)


def test_weight_none_and_another_weight_override_the_files(tmp_path):
    src, _ = _weighted_sav(tmp_path)
    r = run("import", str(src), "-o", str(tmp_path / "u"), "--weight", "none")
    assert r.returncode == 0, r.stderr
    cb = load_bundle(tmp_path / "u").codebook
    assert cb.settings.weight is None and cb.get("final_weight_variable").type == "numeric"
    import_source(src, tmp_path / "o", weight="sex")
    other = load_bundle(tmp_path / "o").codebook
    assert other.settings.weight == "sex" and "final_weight_variable" in other
    assert any("not the file's own weight" in n for n in other.survey["import_notes"])


def test_an_unusable_file_weight_is_reported_not_used(tmp_path):
    src, _ = _weighted_sav(tmp_path)
    data = bytearray(src.read_bytes())
    data[WEIGHT_INDEX:WEIGHT_INDEX + 4] = struct.pack("<i", 5)  # sex, after the string
    src.write_bytes(bytes(data))
    assert dictionary_weight(src) == "sex"
    df = pl.DataFrame({"id": [1.0, 2.0, 3.0], "w": [-1.0, 2.0, 1.0], "q": [1.0, 2.0, 1.0]})
    bad = tmp_path / "bad.sav"
    pyreadstat.write_sav(df, str(bad), variable_value_labels={"q": {1.0: "A", 2.0: "B"}})
    raw = bytearray(bad.read_bytes())
    raw[WEIGHT_INDEX:WEIGHT_INDEX + 4] = struct.pack("<i", 2)  # w: a negative weight
    bad.write_bytes(bytes(raw))
    cb = load_bundle(import_source(bad, tmp_path / "bb")).codebook
    assert cb.settings.weight is None and "w" in cb
    assert any("names w as its weight" in n for n in cb.survey["import_unsure"])


@pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed")
@pytest.mark.parametrize("compress", ["", " /ZCOMPRESSED"], ids=["sav", "zsav"])
def test_a_file_pspp_saved_with_weight_by(tmp_path, compress):
    """GNU PSPP writes the dictionary as SPSS does: its WEIGHT BY is read back (a long
    name behind its 8-character short name, after a string of three records)."""
    out = tmp_path / ("w.zsav" if compress else "w.sav")
    syntax = tmp_path / "w.sps"
    syntax.write_text(
        "DATA LIST LIST /id (F4.0) town (A20) sex (F1.0) agree (F1.0) finalweightvariable "
        "(F8.2).\nBEGIN DATA\n" + "".join(
            f'{i + 1} "Town {i}" {int(s)} {int(a)} {w}\n'
            for i, (s, a, w) in enumerate(zip(SEX, AGREE, WGT, strict=True)))
        + "END DATA.\nVALUE LABELS sex 1 'Male' 2 'Female' /agree 1 'Yes' 2 'No'.\n"
        f"WEIGHT BY finalweightvariable.\nSAVE OUTFILE='{out}'{compress}.\n",
        encoding="utf-8")
    subprocess.run(["pspp", str(syntax)], check=True, capture_output=True, timeout=60)
    assert dictionary_weight(out) == "finalweightvariable"
    cb = load_bundle(import_source(out, tmp_path / "b")).codebook
    assert cb.settings.weight == "finalweightvariable"
