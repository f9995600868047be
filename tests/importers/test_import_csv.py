"""CSV files as R, Excel and pandas write them (issue 22, item 2): NA, N/A, NaN and empty
cells are no answer, a column of numbers with NA stays numeric, numbers sort as numbers.
Each test was seen failing on the importer before this change."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.session import open_survey
from heetui.importers import import_source
from heetui.survey.bundle import load_bundle


def _write_csv_like_r(path, df: pl.DataFrame) -> None:
    """R's write.csv: a quoted row-name column, text quoted, NA unquoted."""
    cols = ['""'] + [f'"{c}"' for c in df.columns]
    lines = [",".join(cols)]
    for i, row in enumerate(df.iter_rows(), start=1):
        cells = [f'"{i}"']
        for v in row:
            if v is None:
                cells.append("NA")
            elif isinstance(v, str):
                cells.append(f'"{v}"')
            else:
                cells.append(str(v))
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


def test_r_na_is_no_answer_not_a_category(tmp_path):
    rng = np.random.default_rng(1)
    n = 2700
    region = rng.choice(["North", "South", "East"], n).tolist()
    for i in rng.choice(n, 168, replace=False):
        region[i] = None
    vote = rng.choice(["Yes", "No"], n).tolist()
    df = pl.DataFrame({"region": region, "vote": vote})
    src = tmp_path / "r.csv"
    _write_csv_like_r(src, df)
    out = import_source(src, tmp_path / "b")
    cb = load_bundle(out).codebook
    assert [o.label for o in cb.get("region").options] == ["East", "North", "South"]
    ct = crosstab(open_survey(out), TabRequest("vote", "region"))
    assert ct.columns[0].base == n  # Total: everyone answered vote
    assert sum(c.base for c in ct.columns[1:]) == n - 168
    by = crosstab(open_survey(out), TabRequest("region"))
    assert by.total.base == n - 168
    north = next(r for r in by.rows if r.label == "North")
    assert north.cells[0].percent == pytest.approx(100 * region.count("North") / (n - 168))


@pytest.mark.parametrize("na", ["NA", "N/A", "NaN", ""])
def test_every_spelling_of_missing_is_no_answer(tmp_path, na):
    rows = [f"{i},{['a', 'b', na][i % 3]},{na if i % 4 == 0 else i * 10}" for i in range(1, 61)]
    src = tmp_path / "m.csv"
    src.write_text("id,grp,amount\n" + "\n".join(rows) + "\n")
    out = import_source(src, tmp_path / "b")
    cb = load_bundle(out).codebook
    assert [o.label for o in cb.get("grp").options] == ["a", "b"]
    assert cb.get("amount").type == "numeric"
    data = pl.read_parquet(out / "respondents.parquet")
    assert data["grp"].null_count() == 20
    assert data["amount"].null_count() == 15
    ct = crosstab(open_survey(out), TabRequest("amount"))
    valid = [i * 10 for i in range(1, 61) if i % 4]
    assert ct.rows[0].cells[0].value == pytest.approx(sum(valid) / len(valid))


def test_a_column_of_numbers_with_na_stays_numeric(tmp_path):
    rng = np.random.default_rng(2)
    income = [None if i % 9 == 0 else int(x) for i, x in
              enumerate(rng.integers(8_000, 200_000, 500))]
    df = pl.DataFrame({"sex": rng.choice(["F", "M"], 500).tolist(), "income": income})
    src = tmp_path / "inc.csv"
    _write_csv_like_r(src, df)
    out = import_source(src, tmp_path / "b")
    assert load_bundle(out).codebook.get("income").type == "numeric"
    d = json.loads(run("tab", "income", "--by", "sex", "--data", str(out), "--format",
                       "json").stdout)
    assert d["rows"][0]["cells"][0]["value"] == pytest.approx(
        df["income"].drop_nulls().mean())
    assert d["columns"][0]["base"] == df["income"].drop_nulls().len()


def test_numeric_labels_sort_as_numbers(tmp_path):
    bands = ["15000", "125000", "25000", "5000", "Prefer not to say", "45000"]
    src = tmp_path / "bands.csv"
    src.write_text("band,q\n" + "".join(f"{bands[i % 6]},{i % 2}\n" for i in range(120)))
    out = import_source(src, tmp_path / "b")
    labels = [o.label for o in load_bundle(out).codebook.get("band").options]
    assert labels == ["5000", "15000", "25000", "45000", "125000", "Prefer not to say"]
    # numbers inside labels compare as numbers too
    src2 = tmp_path / "items.csv"
    items = ["Item 10", "Item 2", "Item 1"]
    src2.write_text("item\n" + "".join(f"{items[i % 3]}\n" for i in range(30)))
    out2 = import_source(src2, tmp_path / "b2")
    assert [o.label for o in load_bundle(out2).codebook.get("item").options] == [
        "Item 1", "Item 2", "Item 10"]


def test_labels_edited_in_the_codebook_survive_a_reimport(tmp_path):
    """The analyst fixes the labels the import wrote (text answers, and numbers it had to
    renumber), then imports the same file again with that codebook: every respondent keeps
    their answer, under the new label."""
    src = tmp_path / "people.csv"
    genders = ["male", "female", "male", "other"]
    sizes = ["100000000", "250000000", "250000000", "900000000"]  # too large to be codes
    src.write_text("gender,size\n" + "".join(f"{genders[i % 4]},{sizes[i % 4]}\n"
                                             for i in range(40)))
    first = import_source(src, tmp_path / "b")
    text = (first / "codebook.toml").read_text()
    edited = (text.replace('label = "male"', 'label = "Men"')
              .replace('label = "female"', 'label = "Women"')
              .replace('label = "250000000"', 'label = "Two and a half"'))
    assert edited.count('"Men"') == 1 and "Two and a half" in edited
    cbfile = tmp_path / "edited.toml"
    cbfile.write_text(edited)
    r = run("import", str(src), "--codebook", str(cbfile), "-o", str(tmp_path / "again"))
    assert r.returncode == 0, r.stderr
    before, after = open_survey(first), open_survey(tmp_path / "again")
    for q, old, new in (("gender", "male", "Men"), ("gender", "female", "Women"),
                        ("size", "250000000", "Two and a half")):
        def count(s, label, q=q):
            ct = crosstab(s, TabRequest(q))
            return next(row.cells[0].count for row in ct.rows if row.label == label)
        assert count(after, new) == count(before, old) > 0
