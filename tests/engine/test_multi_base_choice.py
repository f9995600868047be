"""A multiple-dichotomy set's base is a choice of its codebook entry: ``base = "answered"``
(respondents holding the counted value at least once, SPSS MULT RESPONSE's default, kept
for SPSS sets) or ``base = "asked"`` (everyone who answered any of its columns, as Q and
Displayr take it). The .sav fixture is written with pyreadstat and given an MR set record
(type 7, subtype 7), as SPSS writes one; the percents are checked against polars."""

from __future__ import annotations

import shutil
import struct
import subprocess

import polars as pl
import pyreadstat
import pytest

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.survey.bundle import load_bundle
from helpers import unpacked_copy as _unpacked_copy

M1 = [1.0, 0.0, 1.0, None, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]
M2 = [0.0, 0.0, 1.0, None, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
G = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0]


def _sav_with_set(tmp_path):
    df = pl.DataFrame({"id": [float(i) for i in range(1, 11)], "m1": M1, "m2": M2, "g": G})
    src = tmp_path / "mr.sav"
    pyreadstat.write_sav(df, str(src), column_labels={"m1": "Email", "m2": "Phone"},
                         variable_value_labels={"g": {1.0: "North", 2.0: "South"}})
    data = src.read_bytes()
    end = data.index(struct.pack("<ii", 999, 0))  # the dictionary's last record
    text = b"$contact=D1 1 23 How were you contacted? m1 m2\n"
    record = struct.pack("<iiii", 7, 7, 1, len(text)) + text
    src.write_bytes(data[:end] + record + data[end:])
    assert pyreadstat.read_sav(str(src), metadataonly=True)[1].mr_sets
    return src, df


def _with_base(bundle, base: str | None):
    toml = bundle / "codebook.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'base = "answered"' in text  # the import keeps SPSS's default
    if base != "answered":
        text = text.replace('base = "answered"\n', "" if base is None else f'base = "{base}"\n')
    toml.write_text(text, encoding="utf-8")
    return bundle


@pytest.mark.parametrize("packed", [True, False], ids=["packed", "0/1 columns"])
@pytest.mark.parametrize("base", ["answered", "asked", None])
def test_the_base_choice_against_polars(tmp_path, base, packed):
    src, df = _sav_with_set(tmp_path)
    bundle = _with_base(import_source(src, tmp_path / "b"), base)
    if not packed:
        bundle = _unpacked_copy(bundle, tmp_path / "u")
    survey = open_survey(bundle)
    assert survey.codebook.get("contact").base == (base or "asked")
    ct = crosstab(survey, TabRequest("contact", "g"))
    answered = pl.any_horizontal(pl.col("m1") == 1, pl.col("m2") == 1).fill_null(False)
    asked = pl.any_horizontal(pl.col("m1").is_not_null(), pl.col("m2").is_not_null())
    held = df.filter(answered if base == "answered" else asked)
    assert ct.total.base == held.height == (5 if base == "answered" else 9)
    assert [c.base for c in ct.columns[1:]] == [held.filter(pl.col("g") == k).height
                                               for k in (1.0, 2.0)]
    for label, col in (("Email", "m1"), ("Phone", "m2")):
        row = next(r for r in ct.rows if r.label == label)
        expected = [held[col].eq(1).mean() * 100] + [
            held.filter(pl.col("g") == k)[col].eq(1).mean() * 100 for k in (1.0, 2.0)]
        assert [c.percent for c in row.cells] == pytest.approx(expected, abs=1e-9)
    assert ct.base_text == ("Base: respondents with at least one answer"
                            if base == "answered" else "Base: all respondents asked")


def test_a_base_choice_is_checked_and_written_back(tmp_path):
    src, _ = _sav_with_set(tmp_path)
    bundle = import_source(src, tmp_path / "b")
    toml = bundle / "codebook.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'base = "answered"', 'base = "everyone"'), encoding="utf-8")
    from heetui.survey.bundle import BundleError

    with pytest.raises(BundleError, match="base"):
        load_bundle(bundle)


def test_a_sets_items_stay_questions(tmp_path):
    """As SPSS keeps them, the set's item variables are questions of their own, listed
    under the set by `heetui info`; the set still tabulates, and the codebook the import
    wrote imports the file again."""
    from cli_helpers import run_here as run

    src, df = _sav_with_set(tmp_path)
    bundle = import_source(src, tmp_path / "b")
    survey = open_survey(bundle)
    cb = survey.codebook
    assert [(v.id, v.group) for v in cb.questions if v.id in ("m1", "m2")] == [
        ("m1", "Items of contact"), ("m2", "Items of contact")]
    assert cb.get("contact").type == "multi"
    got = pl.read_parquet(bundle / "respondents.parquet")["m1"]
    assert got.to_list() == df["m1"].to_list()
    ct = crosstab(survey, TabRequest("m1", "g"))
    assert ct.total.base == df["m1"].drop_nulls().len()
    info = run("info", "--data", str(bundle))
    assert info.returncode == 0, info.stderr
    lines = info.stdout.splitlines()
    at = lines.index(" ── Items of contact")
    assert [x.split()[0] for x in lines[at + 1:at + 3]] == ["m1", "m2"]
    again = run("import", str(src), "-o", str(tmp_path / "c"), "--codebook",
                str(bundle / "codebook.toml"))
    assert again.returncode == 0, again.stderr
    assert pl.read_parquet(tmp_path / "c" / "respondents.parquet")["m2"].to_list() == \
        df["m2"].to_list()


@pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed")
def test_a_set_pspp_saved_with_mrsets(tmp_path):
    """An MR set GNU PSPP writes (MRSETS /MDGROUP) imports with SPSS's base, its items
    kept as questions."""
    out = tmp_path / "mr.sav"
    syntax = tmp_path / "mr.sps"
    rows = "".join(f"{i + 1} {'.' if a is None else int(a)} {'.' if b is None else int(b)} "
                   f"{int(g)}\n" for i, (a, b, g) in enumerate(zip(M1, M2, G, strict=True)))
    syntax.write_text(
        "DATA LIST LIST /id (F4.0) m1 (F1.0) m2 (F1.0) g (F1.0).\nBEGIN DATA\n" + rows
        + "END DATA.\nVARIABLE LABELS m1 'Email' /m2 'Phone'.\n"
        "MRSETS /MDGROUP NAME=$contact LABEL='How were you contacted?' VARIABLES=m1 m2 "
        f"VALUE=1.\nSAVE OUTFILE='{out}'.\n", encoding="utf-8")
    subprocess.run(["pspp", str(syntax)], check=True, capture_output=True, timeout=60)
    survey = open_survey(import_source(out, tmp_path / "b"))
    assert survey.codebook.get("contact").base == "answered"
    assert survey.codebook.get("m1").group == "Items of contact"
    ct = crosstab(survey, TabRequest("contact"))
    df = pl.DataFrame({"m1": M1, "m2": M2})
    held = df.filter(pl.any_horizontal(pl.col("m1") == 1, pl.col("m2") == 1).fill_null(False))
    assert ct.total.base == held.height
    assert [r.cells[0].percent for r in ct.rows if r.kind == "category"] == pytest.approx(
        [held["m1"].eq(1).mean() * 100, held["m2"].eq(1).mean() * 100])
