"""Banner tables as a reader meets them: text at any width, exports with spans, sorting,
empty rows and columns, wide banners, named banners, and one DuckDB scan per table.
(The numbers themselves are checked against a per-respondent reference in
test_banner_numbers.py.)"""

from __future__ import annotations

import csv
import io
import json
import re

import polars as pl
import pytest

from heetui.cli.main import main
from heetui.engine.banner import letters_for, resolve_banner
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.ordering import arrange
from heetui.errors import EngineError
from heetui.survey.parse import codebook_from_dict
from helpers import make_bundle, multi, single


def tab(capsys, *args: str) -> str:
    code = main(["tab", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def tab_err(capsys, *args: str) -> str:
    code = main(["tab", *args])
    out, err = capsys.readouterr()
    assert code == 2 and not out
    return err


def blocks(text: str) -> list[list[str]]:
    """The table's blocks: runs of lines between blank lines, up to the legend."""
    body = text.split("\n\n")[1:]
    return [b.splitlines() for b in body if b.strip() and not b.startswith(("Letters", "▲"))]


@pytest.mark.parametrize("width", [80, 120, 200])
def test_text_at_any_width_keeps_cells_apart_and_every_letter(capsys, width):
    text = tab(capsys, "relationship", "--by", "region,standard", "--width", str(width))
    ct = json.loads(tab(capsys, "relationship", "--by", "region,standard", "--format",
                        "json"))
    assert all(len(line) <= width for line in text.splitlines())  # the question too
    table_blocks = blocks(text)
    assert len(table_blocks) >= (2 if width < 200 else 1)
    every = "\n".join("\n".join(b) for b in table_blocks)
    for c in ct["columns"][1:]:  # each letter, in brackets, in a heading
        assert f"({c['letter']})" in every, c["label"]
    for b in table_blocks:
        assert any(line.startswith("Base (unweighted)") for line in b)  # row labels repeat
        assert "Total" in "\n".join(b)
        ncols = 1 + len(re.findall(r"\([A-Za-z]{1,2}\)", "\n".join(b)))
        for line in b:  # a heading's letter never touches the next heading
            assert not re.search(r"\([A-Za-z]{1,2}\)\S|\S\([A-Za-z]{1,2}\)", line), line
        for line in b:
            if not line.startswith(("Base", "Very", "Fairly", "NET", "Mean", "  (")):
                continue
            # one value per column, a space between each: "44%CG 56%", never "44%CG56%"
            values = re.findall(r"\S+", line)
            trailing = 0
            for v in reversed(values):
                if not re.fullmatch(r"\(?-?[\d.]+\)?%?[A-Za-z]*[*!]?|-", v):
                    break
                trailing += 1
            assert trailing == ncols, line


def test_headings_wrap_at_words_and_spans_are_titled(capsys):
    text = tab(capsys, "relationship", "--by", "standard", "--width", "80")
    lines = text.splitlines()
    # the words of every heading arrive whole (broken only after "/")
    for word in ("Chair", "CEO", "Executive", "Director", "Regional", "Directors", "LWABs"):
        assert any(re.search(rf"(?<![A-Za-z]){word}(?![A-Za-z])", line) for line in lines), word
    for title in ("Stakeholder type", "Seniority", "HEE teams"):
        assert any(f"─ {title} ─" in line for line in lines), title


def test_wide_span_continues_in_blocks(capsys):
    text = tab(capsys, "relationship", "--by", "region/seniority", "--width", "100")
    assert "(continued)" in text
    assert "(P)" in text  # 16 columns, every letter visible
    assert all(len(line) <= 100 for line in text.splitlines()[3:] if not line.startswith(
        ("Letters", "Not tested", "(", "<", "use", "(effective", "brackets")))


def test_md_has_a_span_row_and_csv_a_span_column(capsys):
    md = tab(capsys, "relationship", "--by", "standard", "--format", "md")
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert "**Stakeholder type**" in rows[0] and "**HEE teams**" in rows[0]
    assert "**HEI (A)**" in rows[2]
    out = tab(capsys, "relationship", "--by", "standard", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    spans = {r["column"]: r["span"] for r in table}
    assert spans == {"Total": "", "HEI": "stakeholder_type", "NHS Trust": "stakeholder_type",
                     "Other": "stakeholder_type", "Chair/CEO/Executive Director": "seniority",
                     "Other role": "seniority", "Regional Directors": "hee_team",
                     "Local Directors": "hee_team", "LWABs": "hee_team"}


def test_weighted_counts_are_labelled_and_unweighted_on_request(capsys, survey):
    ct = crosstab(survey, TabRequest("relationship", "stakeholder_type", weighted=True))
    cell = ct.rows[0].cells[2]
    weighted = tab(capsys, "relationship", "--by", "stakeholder_type", "--weighted",
                   "--show", "count")
    assert "Counts are weighted" in weighted
    row = next(line for line in weighted.splitlines() if line.startswith("Very positive"))
    assert f" {round(cell.weighted_count)}" in row
    plain = tab(capsys, "relationship", "--by", "stakeholder_type", "--weighted", "--show",
                "count", "--counts", "unweighted")
    row = next(line for line in plain.splitlines() if line.startswith("Very positive"))
    assert f" {cell.count}" in row and "Counts are unweighted" in plain
    assert round(cell.weighted_count) != cell.count  # the two differ for this cell


def test_sort_by_total_keeps_nets_means_and_dont_know_in_place(survey):
    ct = crosstab(survey, TabRequest("words", "standard"))
    sorted_ct = arrange(ct, sort_by_total=True)
    labels = [r.label for r in sorted_ct.rows]
    fixed = [(i, r.label) for i, r in enumerate(ct.rows)
             if r.kind != "category" or r.label in ("None of these", "Don't know")]
    assert all(labels[i] == label for i, label in fixed)
    moved = [r for r in sorted_ct.rows if r.kind == "category"
             and r.label not in ("None of these", "Don't know")]
    totals = [r.cells[0].percent for r in moved]
    assert totals == sorted(totals, reverse=True) and len(moved) >= 13
    assert sorted(labels) == sorted(r.label for r in ct.rows)  # nothing lost
    scale = arrange(crosstab(survey, TabRequest("relationship")), sort_by_total=True)
    assert scale.rows[5].label == "Don't know" and scale.rows[-1].kind == "mean"


def test_hide_empty_drops_rows_and_columns_without_respondents(capsys):
    full = json.loads(tab(capsys, "words", "--by", "org_type", "--filter",
                          "stakeholder_type=HEI", "--format", "json"))
    empty_cols = [c["label"] for c in full["columns"] if c["base"] == 0]
    assert empty_cols  # org types other than HEI hold nobody here
    hidden = json.loads(tab(capsys, "words", "--by", "org_type", "--filter",
                            "stakeholder_type=HEI", "--hide-empty", "--format", "json"))
    assert [c["label"] for c in hidden["columns"]] == ["Total", "HEI"]
    kept = {r["label"] for r in hidden["rows"]}
    assert all(r["label"] in kept for r in full["rows"] if r["cells"][0]["count"] > 0)
    assert all(r["cells"][0]["count"] > 0 for r in hidden["rows"])


def test_letters_past_52_columns_are_two_capitals_and_never_repeat(capsys):
    assert letters_for(52)[-1] == "z" and len(set(letters_for(52))) == 52
    two = letters_for(56)
    assert all(len(x) == 2 and x.isupper() for x in two) and len(set(two)) == 56
    d = json.loads(tab(capsys, "relationship", "--by", "region/org_type", "--format", "json"))
    letters = [c["letter"] for c in d["columns"][1:]]
    assert len(letters) == 56 and len(set(letters)) == 56 and all(len(x) == 2 for x in letters)
    own = {c["letter"]: c["span"] for c in d["columns"][1:]}
    for r in d["rows"]:
        for c, cell in zip(d["columns"], r["cells"], strict=True):
            assert all(own[x] == c["span"] for x in cell["sig"])


def test_compare_total_and_rest_mark_cells(capsys):
    for mode in ("total", "rest"):
        d = json.loads(tab(capsys, "relationship", "--by", "region", "--weighted",
                           "--compare", mode, "--format", "json"))
        marks = [c["vs"] for r in d["rows"] for c in r["cells"]]
        assert {"higher", "lower"} & set(marks) and all(
            c["sig"] == [] for r in d["rows"] for c in r["cells"])
        text = tab(capsys, "relationship", "--by", "region", "--weighted", "--compare", mode)
        assert "▲" in text or "▼" in text


def test_banner_mistakes_are_one_sentence(capsys):
    assert "Unknown banner 'nope'" in tab_err(capsys, "relationship", "--by", "nope")
    assert "twice" in tab_err(capsys, "relationship", "--by", "region,region")
    assert "nests more than two" in tab_err(capsys, "relationship", "--by", "a/b/c")
    assert "within itself" in tab_err(capsys, "relationship", "--by", "region/region")
    assert "width of 40" in tab_err(capsys, "relationship", "--width", "10")


def test_named_banners_in_the_codebook_are_checked():
    base = {"survey": {"title": "t"},
            "segments": [{"id": "a", "type": "single", "text": "A",
                          "options": [{"code": 1, "label": "x"}]},
                         {"id": "n", "type": "numeric", "text": "N"}],
            "questions": [{"id": "q", "type": "single", "text": "Q",
                           "options": [{"code": 1, "label": "y"}]}]}
    ok, problems = codebook_from_dict({**base, "banners": [
        {"id": "main", "label": "Main", "spans": ["a", "q/a"]}]})
    assert not problems and ok is not None
    assert [s.id for s in resolve_banner(ok, "main").spans] == ["a", "q/a"]
    _, problems = codebook_from_dict({**base, "banners": [
        {"id": "a", "spans": ["a"]}, {"id": "b2", "spans": ["n", "zz", "a/a"]},
        {"id": "b3", "spans": []}]})
    text = "\n".join(str(p) for p in problems)
    assert "'a' is already the id" in text
    assert "'n' is not a single- or multi-response" in text
    assert "'zz'" in text and "'a/a'" in text and "banners[2].spans" in text


def test_the_whole_banner_is_one_scan(survey, monkeypatch):
    survey.clear_cache()
    calls: list[str] = []
    for name in ("query", "query_arrays"):
        real = getattr(survey, name)
        monkeypatch.setattr(survey, name, lambda q, real=real: (calls.append(q), real(q))[1])
    for q in ("relationship", "words"):
        calls.clear()
        ct = crosstab(survey, TabRequest(q, "standard,region/seniority", weighted=True))
        assert len(calls) == 1 and len(ct.columns) == 1 + 8 + 16


def test_drilling_any_span_reaches_exactly_its_respondents(survey, raw: pl.DataFrame):
    from heetui.engine.comments import CellRef, Selection, verbatims

    ct = crosstab(survey, TabRequest("relationship", "standard,stakeholder_type/seniority"))
    row = next(r for r in ct.rows if r.label == "Positive")
    for i in (5, 8, 12):  # Other role; LWABs; a nested column
        col = ct.columns[i]
        sel = raw.filter(pl.col("relationship").is_in(list(row.codes)))
        for f in col.filters:
            v = survey.codebook.get(f.variable)
            expr = pl.col(v.column(f.codes[0])) == 1 if v.type == "multi" else \
                pl.col(f.variable).is_in(list(f.codes))
            sel = sel.filter(expr)
        assert sel.height == row.cells[i].count
        ref = CellRef("relationship", row.codes, row.label, col.filters)
        page = verbatims(survey, Selection(cell=ref), 0, 10_000)
        ids = set(sel["respondent_id"].to_list())
        shown = verbatims(survey, Selection(cell=ref), 0, 10_000, show_ids=True)
        commenters = {v.respondent_id for v in shown.items}
        assert page.respondents == sel.height and commenters <= ids
        assert page.people == len(commenters) > 0


def test_a_banner_too_wide_for_one_key_is_refused(tmp_path):
    from heetui.engine.session import open_survey

    labels = [f"option {i}" for i in range(20)]
    variables = [single("q", ["yes", "no"])] + [multi(f"m{k}", labels, "segment")
                                                 for k in range(4)]
    data = {"q": [1, 2]} | {f"m{k}_{i + 1}": [1, 0] for k in range(4) for i in range(20)}
    survey = open_survey(make_bundle(tmp_path / "b", variables, data))
    assert len(crosstab(survey, TabRequest("q", "m0,m1,m2")).columns) == 61  # 60 bits
    with pytest.raises(EngineError, match="needs 80 bits of grouping key"):
        crosstab(survey, TabRequest("q", "m0,m1,m2,m3"))
