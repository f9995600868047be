"""Build small bundles for tests from plain data."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from heetui.survey.bundle import bundled_survey_path
from heetui.survey.write import write_bundle
from reference import Bundle


def single(vid: str, labels: list[str], role: str = "question", **extra: Any) -> dict:
    return {"id": vid, "type": "single", "text": f"{vid} text", "role": role,
            "options": [{"code": i + 1, "label": lab} for i, lab in enumerate(labels)], **extra}


def multi(vid: str, labels: list[str], role: str = "question", **extra: Any) -> dict:
    d = single(vid, labels, role, **extra)
    d["type"] = "multi"
    return d


def codebook(variables: list[dict], weight: str | None = None, **survey: Any) -> dict:
    s: dict[str, Any] = {"title": "Test survey", "id_column": "respondent_id", **survey}
    if weight:
        s["weight"] = weight
    segs = [{k: v for k, v in d.items() if k != "role"} for d in variables
            if d.get("role") == "segment"]
    qs = [{k: v for k, v in d.items() if k != "role"} for d in variables
          if d.get("role") != "segment"]
    out: dict[str, Any] = {"survey": s}
    if segs:
        out["segments"] = segs
    if qs:
        out["questions"] = qs
    return out


def make_bundle(folder: Path, variables: list[dict], data: dict[str, list], weight: str | None
                = None, verbatims: pl.DataFrame | None = None, **survey: Any) -> Path:
    n = len(next(iter(data.values())))
    cols = {"respondent_id": pl.Series(range(1, n + 1), dtype=pl.UInt32)}
    for k, v in data.items():
        dtype = pl.Float64 if k == weight else pl.UInt8
        cols[k] = pl.Series(k, v, dtype=dtype)
    return write_bundle(folder, codebook(variables, weight, **survey), pl.DataFrame(cols),
                        verbatims, force=True)


def table_headings(table: Any) -> list[str]:
    """The column headings a reader sees in the app's table, one string each: the heading's
    lines joined, without the span title line over them."""
    spans = table.crosstab is not None and table.crosstab.banner is not None
    out = []
    for c in table.columns.values():
        lines = c.label.plain.split("\n")
        if spans and len(lines) > 1:
            lines = lines[1:]
        out.append(" ".join(line.strip() for line in lines if line.strip()))
    return out


def table_span_line(table: Any) -> str:
    """The span title line over the app table's columns, as drawn (columns side by side)."""
    return "".join(c.label.plain.split("\n")[0] if c.key.value != "label" else ""
                   for c in table.columns.values())


SCALE = [{"code": 1, "label": "Very poor", "value": 1}, {"code": 2, "label": "Poor", "value": 2},
         {"code": 3, "label": "Good", "value": 3}, {"code": 4, "label": "Very good", "value": 4},
         {"code": 9, "label": "Don't know"}]
GRID = {"id": "sat", "type": "grid", "text": "How would you rate each of these?",
        "role": "question", "options": SCALE, "nets": [{"label": "Good", "codes": [3, 4]}],
        "items": [{"id": "sat_1", "label": "Speed"}, {"id": "sat_2", "label": "Price"},
                  {"id": "sat_3", "label": "Staff", "text": "And the staff you met?"}]}


def grid_bundle(folder: Path, n: int = 240) -> Path:
    """A survey of one rating grid (three items; Price rated best, Staff with blanks) and
    a region segment, from seeded answers."""
    import numpy as np

    rng = np.random.default_rng(5)
    data = {"region": rng.integers(1, 3, n).tolist(),
            "sat_1": rng.choice([1, 2, 3, 4, 9], n, p=[.3, .3, .2, .1, .1]).tolist(),
            "sat_2": rng.choice([1, 2, 3, 4, 9], n, p=[.1, .1, .3, .4, .1]).tolist(),
            "sat_3": rng.choice([1, 2, 3, 4, 9, None], n).tolist()}
    return make_bundle(folder, [single("region", ["North", "South"], "segment"), GRID], data)


def same_table(a, b) -> None:
    """Two separately computed tables agree: bases, counts and letters exactly, weighted
    sums to rounding (DuckDB adds floats in whatever order its threads finish)."""
    assert [(c.key, c.base, c.tested) for c in a.columns] == \
        [(c.key, c.base, c.tested) for c in b.columns]
    assert [c.weighted_base for c in a.columns] == pytest.approx([c.weighted_base
                                                                  for c in b.columns])
    for ra, rb in zip(a.rows, b.rows, strict=True):
        assert [(c.count, c.sig) for c in ra.cells] == [(c.count, c.sig) for c in rb.cells]
        assert [c.percent for c in ra.cells] == pytest.approx([c.percent for c in rb.cells])
        assert [c.value for c in ra.cells] == pytest.approx([c.value for c in rb.cells])


def unpacked_copy(src: Path, dest: Path) -> Path:
    """The bundle without its packed columns (the engine then reads the 0/1 columns)."""
    dest.mkdir()
    for f in src.iterdir():
        if f.name != "respondents.parquet":
            shutil.copy(f, dest / f.name)
    df = pl.read_parquet(src / "respondents.parquet")
    df.drop([c for c in df.columns if c.endswith("__bits")]).write_parquet(
        dest / "respondents.parquet")
    return dest


def located_links(ws) -> list[tuple[int, str, str, int]]:
    """(row, text, target sheet, target row) of every internal link on a sheet."""
    out = []
    for row in ws.iter_rows():
        for c in row:
            if c.hyperlink is not None:
                m = re.fullmatch(r"'([^']+)'!A(\d+)", c.hyperlink.location or "")
                assert m, c.hyperlink.location
                out.append((c.row, str(c.value), m.group(1), int(m.group(2))))
    return out


def same_blocks(big, small, tables, per_sheet: int) -> list[tuple[str, int]]:
    """Checks that each table of the ``big`` book (``per_sheet`` tables to a sheet) has the
    cells and merged ranges of its own sheet in the ``small`` book, under a link back to
    Contents; returns where the Contents links put each table (sheet, row)."""
    to_table = [(s, r) for _, t, s, r in located_links(big["Contents"])
                if t.startswith("Table ")]
    assert len(to_table) == len(tables)
    for i, ((sheet, row), ct) in enumerate(zip(to_table, tables, strict=True)):
        assert sheet == big.sheetnames[2 + i // per_sheet]
        ws, own = big[sheet], small[small.sheetnames[2 + i]]
        assert ws.cell(row, 1).value.startswith(f"{ct.question.id}: ")
        assert ws.cell(row + 2, 1).value == f"← Contents (table {i + 1} of {len(tables)})"
        assert ws.cell(row + 2, 1).hyperlink.location == "'Contents'!A1"
        height = own.max_row
        block = ws.iter_rows(min_row=row, max_row=row + height - 1, max_col=own.max_column,
                             values_only=True)
        assert list(block) == list(own.iter_rows(values_only=True)), ct.question.id
        merged = {(m.min_row - row, m.min_col, m.max_row - row, m.max_col)
                  for m in ws.merged_cells.ranges if row <= m.min_row < row + height}
        assert merged == {(m.min_row - 1, m.min_col, m.max_row - 1, m.max_col)
                          for m in own.merged_cells.ranges}
    return to_table


@cache
def bundled_reference() -> Bundle:
    """The bundled survey as the reference reads it (its own reading of the files)."""
    return Bundle.read(bundled_survey_path())


def eligible(raw: pl.DataFrame, q: str, survey=None) -> pl.DataFrame:
    """The question's base, from the codebook file's eligibility and the raw answers (a
    multi-response question: at least one option column answered)."""
    v = bundled_reference().var(q)
    df = raw
    if "eligible" in v:
        df = df.filter(pl.col(v["eligible"]["variable"]).is_in(v["eligible"]["codes"]))
    if v["type"] == "multi":
        return df.filter(pl.any_horizontal([pl.col(f"{q}_{o['code']}").is_not_null()
                                            for o in v["options"]]))
    return df.filter(pl.col(q).is_not_null())


def comment_bundle(tmp_path, few: int = 3, many: int = 40, texts: dict[int, str] | None = None,
            **survey):
    """Segment grp: "few" respondents and "many"; everyone comments once on "why" (theme 1,
    and theme 2 for the first of "many")."""
    grp = [1] * few + [2] * many
    n = len(grp)
    texts = texts or {i + 1: f"comment number {i + 1}" for i in range(n)}
    verb = pl.DataFrame(
        {"respondent_id": list(texts), "question": ["why"] * len(texts),
         "text": list(texts.values()),
         "themes": [[1, 2] if i == few + 1 else [1] for i in texts],
         "source": ["survey"] * len(texts), "attribution": [None] * len(texts)},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    folder = make_bundle(tmp_path / "b", [
        single("grp", ["few", "many"], role="segment"),
        single("q", ["yes", "no"]),
        {"id": "why", "type": "open", "text": "Why?"}],
        {"grp": grp, "q": [1 + i % 2 for i in range(n)]}, verbatims=verb,
        key_attributes=["grp"], **survey)
    cb = (folder / "codebook.toml").read_text()
    (folder / "codebook.toml").write_text(cb.replace(
        "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[themes]]\ncode = 2\n'
        'label = "Rare"\n\n[[segments]]', 1))
    return folder


# comments no screen or file may obey: markup, escapes, bidi overrides, huge, NUL
HOSTILE_COMMENTS = {
    1: "[bold red]shout[/] and [link=http://x]click[/link]",
    2: "clear \x1b[2J\x1b[H screen and bell \x07",
    3: "RTL: שלום עולם and override \u202eevil\u202c end",
    4: "x" * 100_000,
    5: "NUL \x00 byte and café – naïve",
}


def small_comment_bundle(tmp_path, texts: dict[int, str] | None = None):
    # group sizes: code 1 -> 4 respondents, 2 -> 5, 3 -> 6
    grp = [1] * 4 + [2] * 5 + [3] * 6
    texts = texts or {i + 1: f"comment {i + 1}" for i in range(len(grp))}
    verb = pl.DataFrame(
        {"respondent_id": list(texts), "question": ["why"] * len(texts),
         "text": list(texts.values()), "themes": [[1]] * len(texts),
         "source": ["survey"] * len(texts), "attribution": [None] * len(texts)},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    folder = make_bundle(tmp_path / "small", [single("grp", ["four", "five", "six"],
                                                     role="segment"),
                                              {"id": "why", "type": "open", "text": "Why?"}],
                         {"grp": grp}, verbatims=verb)
    cb = (folder / "codebook.toml").read_text()
    (folder / "codebook.toml").write_text(cb.replace("[[segments]]",
                                                     '[[themes]]\ncode = 1\nlabel = "T"\n\n'
                                                     "[[segments]]", 1))
    return folder
