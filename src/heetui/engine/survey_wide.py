"""Many tables with one banner, filters and settings (a tab book, a profile): single-choice
questions asked of the same respondents are counted together, in one DuckDB scan per
BATCH questions (their columns unpivoted to (question, code) pairs and grouped by the banner
key), instead of one scan each, and numeric questions likewise (grouped by value).
Multi-response questions with a packed column share scans too: each slice of a question's
items (engine.crosstab.item_slices) is one unpivoted column, BATCH slices a scan, grouped by
(slice, banner key, the slice's chosen items) as the question's own pass groups them.
Coded comments, and every question under a sample design, take their own grouped pass, as
a single table does. The tables of a scan are then computed together from its sums
(engine.tabulation), by the same arithmetic as ``crosstab`` computes one table alone.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import replace
from functools import partial
from typing import TypeVar

import numpy as np

from heetui.engine.banner import Banner, check_size
from heetui.engine.collector import collection_paused
from heetui.engine.crosstab import (
    TabRequest,
    from_slices,
    grouped,
    item_slices,
    key_sql_of,
    numeric_grouped,
    resolve,
    resolve_question,
    slice_sql,
    tabulate,
    uses_design,
)
from heetui.engine.eligibility import asked_where
from heetui.engine.filters import Filter
from heetui.engine.results import Crosstab
from heetui.engine.session import Survey
from heetui.engine.sql import ident, joined
from heetui.engine.tabulation import Grouped, row_defs
from heetui.engine.waves import stacked, wave_passes
from heetui.survey.codebook import Variable

BATCH = 400  # unpivoted columns per scan (questions, or slices of multi-response ones)
Progress = Callable[[int, int], None]
T = TypeVar("T")


def crosstabs(survey: Survey, base: TabRequest, questions: Sequence[str],
              progress: Progress | None = None) -> Iterator[Crosstab]:
    """The table of each question in ``questions`` (in that order) with ``base``'s banner,
    filters and settings. Mistakes in the request raise EngineError before any query."""
    if not questions:
        return
    _, b, _ = resolve(survey, replace(base, question=questions[0]))  # the banner, once
    resolved = [resolve_question(survey, q) for q in questions]
    for q, _ in resolved:  # every table's size is checked before the first scan
        check_size(len(row_defs(q)), b, base.compare)
    total = len(resolved)
    batches: dict[tuple[str, object], list[int]] = {}
    design = uses_design(survey, base)  # grouped by PSU: each question its own pass
    for i, (q, coded) in enumerate(resolved):
        if _batched(survey, q, coded) and not design:
            batches.setdefault((q.type, q.eligible), []).append(i)
    chunks = [chunk for members in batches.values()
              for chunk in _chunks(survey, [resolved[i][0] for i in members])]
    scans = [partial(_batch, survey, qs, b, base.filters, base.group) for qs in chunks]
    made: list[Crosstab] = []
    with collection_paused(keep=True), closing(ahead(scans)) as found:
        for qs, sums in zip(chunks, found, strict=True):
            made += tabulate(survey, base, b, [(q, False, g) for q, g in zip(qs, sums,
                                                                         strict=True)])
            if progress:
                progress(len(made), total)
    order = [i for members in batches.values() for i in members]
    ready = dict(zip(order, made, strict=True))
    done = len(ready)
    for i, (q, coded) in enumerate(resolved):
        if i in ready:
            yield ready.pop(i)
            continue
        g = grouped(survey, q, b, base.filters, coded, base.group, design, base.weighted)
        yield tabulate(survey, base, b, [(q, coded, g)])[0]
        done += 1
        if progress:
            progress(done, total)


def _batched(survey: Survey, q: Variable, coded: bool) -> bool:
    """Whether a question's sums can come from a scan shared with others."""
    if coded:
        return False
    return q.type in ("single", "numeric") or (q.type == "multi"
                                               and survey.packed(q) is not None)


def _width(q: Variable) -> int:
    """The unpivoted columns a question takes in a shared scan."""
    return len(item_slices(len(q.options) + len(q.nets))) if q.type == "multi" else 1


def _chunks(survey: Survey, qs: list[Variable]) -> Iterator[list[Variable]]:
    """Questions of one batch key, in order, cut into scans of at most BATCH unpivoted
    columns (a question wider than BATCH alone in its scan)."""
    chunk: list[Variable] = []
    width = 0
    for q in qs:
        if chunk and width + _width(q) > BATCH:
            yield chunk
            chunk, width = [], 0
        chunk.append(q)
        width += _width(q)
    if chunk:
        yield chunk


def ahead(tasks: Sequence[Callable[[], T]]) -> Generator[T, None, None]:
    """The tasks' results in order, each task run in a worker thread as soon as the one
    before it is done: while the caller makes the tables of one scan, DuckDB runs the next
    one (it releases the GIL while it works). Closing the iterator cancels the tasks not
    yet started and waits for the one running."""
    if len(tasks) < 2:
        yield from (task() for task in tasks)
        return
    with ThreadPoolExecutor(1, thread_name_prefix="heetui-scan") as pool:
        futures = [pool.submit(task) for task in tasks]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def _batch(survey: Survey, qs: list[Variable], b: Banner | None, filters: tuple[Filter, ...],
           group: tuple[Filter, ...]) -> list[Grouped]:
    """Grouped sums of questions that share their type and eligibility, in one scan (by a
    banner holding the wave: one a wave, engine.waves)."""
    passes = [] if group else wave_passes(survey, b)
    if passes:
        sums = [[p.keyed(g) for g in _batch(p.survey, qs, p.banner, filters, group)]
                for p in passes]
        return [stacked(per_wave) for per_wave in zip(*sums, strict=True)]
    if qs[0].type == "multi":
        return _multi_batch(survey, qs, b, filters, group)
    return _plain_batch(survey, qs, b, filters, group)


def _plain_batch(survey: Survey, qs: list[Variable], b: Banner | None,
                 filters: tuple[Filter, ...], group: tuple[Filter, ...]) -> list[Grouped]:
    """Grouped sums of single-choice (or of numeric) questions that share their
    eligibility, in one scan. UNPIVOT leaves out the nulls: each question's rows are its
    answering respondents, the base a question's own pass counts. A numeric question is
    grouped by its value, as its own pass groups it."""
    numeric = qs[0].type == "numeric"
    typ, value = ("DOUBLE", "value") if numeric else ("INTEGER", "value::BIGINT")
    cols = ", ".join(f"CAST({ident(q.id)} AS {typ}) AS _{k}" for k, q in enumerate(qs))
    arrays = survey.query_arrays(joined(
        f"SELECT CAST(substr(name, 2) AS INTEGER) AS k, bkey, {value}, COUNT(*), "
        "SUM(w), SUM(w * w) FROM (UNPIVOT (SELECT ", key_sql_of(survey, b, group),
        f" AS bkey, {survey.weight_sql} AS w, {cols} FROM respondents WHERE ",
        asked_where(survey.codebook, qs[0], filters, survey.tabled),
        ") ON COLUMNS(* EXCLUDE (bkey, w)) INTO NAME name VALUE value) GROUP BY ALL"))
    k, key = (a.astype(np.int64) for a in arrays[:2])
    code = arrays[2].astype(np.float64 if numeric else np.int64)
    sums = np.column_stack([a.astype(np.float64) for a in arrays[3:6]])
    order = np.argsort(k, kind="stable")
    k, key, code, sums = k[order], key[order], code[order], sums[order]
    bounds = np.searchsorted(k, np.arange(len(qs) + 1))
    out = []
    for j in range(len(qs)):
        sl = slice(bounds[j], bounds[j + 1])
        n = bounds[j + 1] - bounds[j]
        out.append(numeric_grouped(key[sl], code[sl], sums[sl]) if numeric else
                   Grouped(bkey=key[sl], qcode=code[sl], base=sums[sl],
                           items=np.zeros((n, 0, 2)), moments=np.zeros((n, 2, 6))))
    return out


def _multi_batch(survey: Survey, qs: list[Variable], b: Banner | None,
                 filters: tuple[Filter, ...], group: tuple[Filter, ...]) -> list[Grouped]:
    """Grouped sums of packed multi-response questions that share their eligibility, in one
    scan: each slice of each question's items is a column (null where the question is not
    answered, its packed column null: UNPIVOT leaves those respondents out of its base),
    grouped by (slice, banner key, the slice's chosen items); each question's rows are then
    the rows its own pass returns (crosstab.from_slices)."""
    cols: list[str] = []
    first: list[int] = []  # each question's first column
    for q in qs:
        packed = survey.packed(q)
        assert packed is not None
        m = f"CAST({ident(packed)} AS UBIGINT)"
        first.append(len(cols))
        cols += [f"CASE WHEN {ident(packed)} IS NOT NULL THEN CAST(({slice_sql(q, m, a, n)})"
                 f" AS BIGINT) END AS _{first[-1] + s}"
                 for s, (a, n) in enumerate(item_slices(len(q.options) + len(q.nets)))]
    first.append(len(cols))
    arrays = survey.query_arrays(joined(
        "SELECT CAST(substr(name, 2) AS INTEGER) AS k, bkey, value, COUNT(*), SUM(w), "
        "SUM(w * w) FROM (UNPIVOT (SELECT ", key_sql_of(survey, b, group),
        f" AS bkey, {survey.weight_sql} AS w, {', '.join(cols)} FROM respondents WHERE ",
        asked_where(survey.codebook, qs[0], filters, survey.tabled),
        ") ON COLUMNS(* EXCLUDE (bkey, w)) INTO NAME name VALUE value) GROUP BY ALL"))
    k = arrays[0].astype(np.int64)
    order = np.argsort(k, kind="stable")
    k, rest = k[order], [a[order] for a in arrays[1:6]]
    bounds = np.searchsorted(k, np.asarray(first))
    out = []
    for j, q in enumerate(qs):
        sl = slice(bounds[j], bounds[j + 1])
        part = k[sl] - first[j]  # the slice's number within its question
        out.append(from_slices([rest[0][sl], part, *(a[sl] for a in rest[1:])],
                               len(q.options) + len(q.nets)))
    return out
