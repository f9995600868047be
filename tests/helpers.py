"""Build small bundles for tests from plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from heetui.survey.write import write_bundle


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
