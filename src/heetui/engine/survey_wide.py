"""Many tables with one banner, filters and settings (a tab book, a profile): single-choice
questions asked of the same respondents are counted together, in one DuckDB scan per
BATCH questions (their columns unpivoted to (question, code) pairs and grouped by the banner
key), instead of one scan each. Other questions (multi-response, numeric, coded comments)
take their own grouped pass, as a single table does. Each table is then computed from its
sums exactly as ``crosstab`` computes it alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import numpy as np

from heetui.engine.banner import Banner
from heetui.engine.crosstab import (
    Grouped,
    TabRequest,
    grouped,
    key_sql_of,
    resolve,
    tabulate,
)
from heetui.engine.filters import Filter, condition, ident, where
from heetui.engine.results import Crosstab
from heetui.engine.session import Survey
from heetui.survey.codebook import Variable

BATCH = 400  # single-choice questions per scan: SQL of a few tens of kB
Progress = Callable[[int, int], None]


def crosstabs(survey: Survey, base: TabRequest, questions: Sequence[str],
              progress: Progress | None = None) -> Iterator[Crosstab]:
    """The table of each question in ``questions`` (in that order) with ``base``'s banner,
    filters and settings. Mistakes in the request raise EngineError before any query."""
    first = resolve(survey, replace(base, question=questions[0])) if questions else None
    banner_only = replace(base, banner=None, group=())  # the banner is resolved once
    resolved = [(q, first[1], coded) for q, _, coded in (
        resolve(survey, replace(banner_only, question=q)) for q in questions)] if first else []
    total = len(resolved)
    sums: dict[int, Grouped] = {}
    batches: dict[object, list[int]] = {}
    for i, (q, _, coded) in enumerate(resolved):
        if q.type == "single" and not coded:
            batches.setdefault(q.eligible, []).append(i)
    done = 0
    for members in batches.values():
        for start in range(0, len(members), BATCH):
            chunk = members[start:start + BATCH]
            b = resolved[chunk[0]][1]
            found = _batch(survey, [resolved[i][0] for i in chunk], b, base.filters,
                           base.group)
            sums.update({i: found[k] for k, i in enumerate(chunk)})
            done += len(chunk)
            if progress:
                progress(done, total)
    for i, (q, b, coded) in enumerate(resolved):
        req = replace(base, question=questions[i])
        if i in sums:
            yield tabulate(survey, req, q, b, coded, sums[i])
            continue
        g = grouped(survey, q, b, base.filters, coded, base.group)
        yield tabulate(survey, req, q, b, coded, g)
        done += 1
        if progress:
            progress(done, total)


def _batch(survey: Survey, qs: list[Variable], b: Banner | None, filters: tuple[Filter, ...],
           group: tuple[Filter, ...]) -> list[Grouped]:
    """Grouped sums of single-choice questions that share their eligibility, in one scan.
    UNPIVOT leaves out the nulls: each question's rows are its answering respondents, the
    base a question's own pass counts."""
    cb = survey.codebook
    bkey, params = key_sql_of(survey, b, group)
    e = qs[0].eligible
    conds = ([condition(cb, Filter(e.variable, e.codes))] if e else []) + [
        condition(cb, f) for f in filters]
    sql_where, where_params = where(conds)
    cols = ", ".join(f"{ident(q.id)}::INTEGER AS _{k}" for k, q in enumerate(qs))
    sql = (f"SELECT CAST(substr(name, 2) AS INTEGER) AS k, bkey, value::BIGINT, COUNT(*), "
           f"SUM(w), SUM(w * w) FROM (UNPIVOT (SELECT {bkey} AS bkey, "
           f"{survey.weight_sql} AS w, {cols} FROM respondents WHERE {sql_where}) "
           f"ON COLUMNS(* EXCLUDE (bkey, w)) INTO NAME name VALUE value) GROUP BY ALL")
    arrays = survey.query_arrays(sql, [*params, *where_params])
    k, key, code = (a.astype(np.int64) for a in arrays[:3])
    sums = np.column_stack([a.astype(np.float64) for a in arrays[3:6]])
    order = np.argsort(k, kind="stable")
    k, key, code, sums = k[order], key[order], code[order], sums[order]
    bounds = np.searchsorted(k, np.arange(len(qs) + 1))
    out = []
    for j in range(len(qs)):
        sl = slice(bounds[j], bounds[j + 1])
        n = bounds[j + 1] - bounds[j]
        out.append(Grouped(bkey=key[sl], qcode=code[sl], base=sums[sl],
                           items=np.zeros((n, 0, 2)), moments=np.zeros((n, 2, 6))))
    return out
