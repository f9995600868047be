"""Coding open-ended comments at scale (issue 36 item 7) beside bare DuckDB queries.

Usage: python benchmarks/bench_coding.py [--n 1000000] [--runs 5]
Not part of CI. The survey is the demo bundle of N respondents, every one of whom comments
(`heetui demo -n N --verbatim-share 1.0`: N comments on relationship_why, about 0.95 N on
improve), kept in benchmarks/_bundles/hee_N_comments; workspaces are made in a temporary
folder. In turns, run by run, the engine's result cache cleared before each engine call
(cold) unless said:

1. the coding view's first page of relationship_why (``verbatims`` with
   Selection(question=…): disclosure, counts per theme, the page, key attributes), the
   first page of its uncoded comments (``uncoded=True``), the next page (warm: after the
   first), and the bare ``SELECT … ORDER BY comment_id LIMIT 50`` of each;
2. search-and-apply of a search with at least 100,000 hits
   (``apply_edit(coding.apply_search(…))``, the workspace written and the survey reshaped)
   and the first recount (``coding_counts``), beside the bare count of the hits and a bare
   recount of the theme (undone after each run);
3. distinctive words of relationship_why by stakeholder type (``distinctive_words``: one
   DuckDB pass tokenising the comments, engine/words.py) beside the bare tokenisation pass
   grouped by term;
4. a code frame of three searches and comments coded by hand against none: the first page
   and the theme table (``heetui tab relationship_why``'s table) of each.

Writes benchmarks/coding_results.json and coding_results.md, then RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_engine import BUNDLES, machine_facts, save_results, times_ms  # noqa: E402

from heetui import engine  # noqa: E402
from heetui.engine import Selection, Survey, TabRequest, open_survey, table, verbatims  # noqa: E402
from heetui.engine.coding import coding_counts  # noqa: E402
from heetui.engine.sql import Clause, joined  # noqa: E402
from heetui.engine.words import _terms, distinctive_words  # noqa: E402

QUESTION = "relationship_why"
SEARCH = "staff"  # relationship_why: 143,836 of 1,000,061 comments at 1M
FRAME_SEARCHES = (("1", "funding"), ("2", "training"), ("3", "support"))
HAND_CODED = 40  # comments coded by hand in the framed survey (half on, half off)
PAGE_SQL = ("SELECT comment_id, respondent_id, question, text, themes, source, attribution "
            "FROM {} WHERE question = ? {}ORDER BY comment_id LIMIT 50")


def ensure_comments_bundle(n: int) -> Path:
    path = BUNDLES / f"hee_{n}_comments"
    if not (path / "verbatims.parquet").exists():
        from heetui.demo.build import build

        print(f"generating {n:,} respondents, every one commenting ...", file=sys.stderr)
        build(path, n, verbatim_share=1.0, force=True)
    return path


def cold(survey: Survey, fn: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        survey.clear_cache()
        fn()
    return run


def med(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def pages(survey: Survey, runs: int) -> dict[str, Any]:
    sel = Selection(question=QUESTION)
    uncoded = Selection(question=QUESTION, uncoded=True)
    bare = PAGE_SQL.format("verbatims", "")
    bare_uncoded = PAGE_SQL.format("verbatims", "AND len(themes) = 0 ")
    first, warm, first_uncoded, b, bu = times_ms([
        cold(survey, lambda: verbatims(survey, sel)),
        lambda: verbatims(survey, sel, offset=50),  # right after the first: the next page
        cold(survey, lambda: verbatims(survey, uncoded)),
        lambda: survey.query(Clause(bare, [QUESTION])),
        lambda: survey.query(Clause(bare_uncoded, [QUESTION]))], runs)
    return {"first_page_ms": med(first), "first_page_range_ms": [min(first), max(first)],
            "uncoded_first_page_ms": med(first_uncoded), "next_page_warm_ms": med(warm),
            "bare_page_ms": med(b), "bare_uncoded_page_ms": med(bu)}


def search_and_apply(survey: Survey, runs: int) -> dict[str, Any]:
    hits_sql = Clause("SELECT COUNT(*) FROM stored_verbatims WHERE question = ? "
                                 "AND text ILIKE ?", [QUESTION, f"%{SEARCH}%"])
    recount_sql = Clause(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE list_contains(themes, 1) OR text ILIKE ?) "
        "FROM stored_verbatims WHERE question = ? AND trim(text) <> ''",
        [f"%{SEARCH}%", QUESTION])
    hits = int(survey.query(hits_sql)[0][0])
    apply_ms: list[float] = []
    recount_ms: list[float] = []
    bare_hits: list[float] = []
    bare_recount: list[float] = []
    for _ in range(runs):
        t = time.perf_counter()
        applied = engine.apply_edit(survey, engine.coding.apply_search(survey, QUESTION, "1",
                                                                       SEARCH))
        t1 = time.perf_counter()
        counts = coding_counts(survey, QUESTION)
        t2 = time.perf_counter()
        apply_ms.append((t1 - t) * 1000)
        recount_ms.append((t2 - t1) * 1000)
        engine.undo_edit(survey, applied)
        for query, got in ((hits_sql, bare_hits), (recount_sql, bare_recount)):
            t = time.perf_counter()
            survey.query(query)
            got.append((time.perf_counter() - t) * 1000)
    return {"search": SEARCH, "hits": hits, "apply_ms": med(apply_ms),
            "recount_ms": med(recount_ms),
            "apply_and_recount_ms": med([a + r for a, r in zip(apply_ms, recount_ms,
                                                               strict=True)]),
            "theme_after": dict((t.label, n) for t, n in counts.themes).get(
                survey.codebook.frame(QUESTION).label(1)),
            "bare_hits_ms": med(bare_hits), "bare_recount_ms": med(bare_recount)}


def words(survey: Survey, runs: int) -> dict[str, Any]:
    bare = joined("SELECT term, COUNT(*) FROM (", _terms(QUESTION, Clause(
        "SELECT respondent_id FROM respondents", []), "m.respondent_id"), ") GROUP BY term")
    found, tokens = times_ms([
        cold(survey, lambda: distinctive_words(survey, QUESTION, "stakeholder_type")),
        lambda: survey.query(bare)], runs)
    return {"words_ms": med(found), "bare_tokenisation_ms": med(tokens)}


def framed(path: Path, folder: Path) -> Survey:
    """The survey with a code frame of relationship_why: three searches applied and
    HAND_CODED comments coded by hand (half given theme 4, half taken off theme 1)."""
    survey = open_survey(path, check_data=False, workspace=folder / "framed.toml")
    for theme, search in FRAME_SEARCHES:
        engine.apply_edit(survey, engine.coding.apply_search(survey, QUESTION, theme, search))
    ids = [int(r[0]) for r in survey.query(Clause(
        "SELECT comment_id FROM verbatims WHERE question = ? AND list_contains(themes, 1) "
        "ORDER BY comment_id LIMIT ?", [QUESTION, HAND_CODED]))]
    for k, cid in enumerate(ids):
        on = k % 2 == 0
        engine.apply_edit(survey, engine.coding.code_comment(
            survey, QUESTION, cid, "4" if on else "1", on=on))
    return survey


def frame_cost(path: Path, folder: Path, runs: int) -> dict[str, Any]:
    plain = open_survey(path, check_data=False, workspace=folder / "plain.toml")
    coded = framed(path, folder)
    sel = Selection(question=QUESTION)
    req = TabRequest(QUESTION)
    page_plain, page_framed, tab_plain, tab_framed = times_ms([
        cold(plain, lambda: verbatims(plain, sel)),
        cold(coded, lambda: verbatims(coded, sel)),
        cold(plain, lambda: table(plain, req)),
        cold(coded, lambda: table(coded, req))], runs)
    return {"first_page_no_frame_ms": med(page_plain), "first_page_frame_ms": med(page_framed),
            "theme_table_no_frame_ms": med(tab_plain), "theme_table_frame_ms": med(tab_framed),
            "frame": f"{len(FRAME_SEARCHES)} searches, {HAND_CODED} comments coded by hand"}


def run(n: int, runs: int) -> dict[str, Any]:
    path = ensure_comments_bundle(n)
    with tempfile.TemporaryDirectory(prefix="heetui-bench-coding-") as tmp:
        folder = Path(tmp)
        survey = open_survey(path, check_data=False, workspace=folder / "work.toml")
        comments = int(survey.query(Clause(
            "SELECT COUNT(*) FROM stored_verbatims WHERE question = ?", [QUESTION]))[0][0])
        out: dict[str, Any] = {"n": n, "runs": runs, "comments": comments}
        out["pages"] = pages(survey, runs)
        out["search_and_apply"] = search_and_apply(survey, runs)
        out["words"] = words(survey, runs)
        out["frame"] = frame_cost(path, folder, runs)
    return out


def lines_of(rows: list[dict[str, Any]], runs: int) -> list[str]:
    facts = machine_facts()
    out = ["# Coding open-ended comments at scale", "",
           f"{facts['cpus']} CPUs, Python {facts['python']}, DuckDB {facts['duckdb']}; "
           f"medians of {runs} runs taken in turns, result cache cleared before each engine "
           "call unless said (see benchmarks/bench_coding.py).", ""]
    for r in rows:
        p, s, w, f = r["pages"], r["search_and_apply"], r["words"], r["frame"]
        out += [f"## {r['n']:,} respondents, {r['comments']:,} comments on {QUESTION}", "",
                "| what | engine (ms) | bare DuckDB (ms) |", "|---|---:|---:|",
                f"| coding view, first page | {p['first_page_ms']} | {p['bare_page_ms']} |",
                f"| first page of the uncoded | {p['uncoded_first_page_ms']} | "
                f"{p['bare_uncoded_page_ms']} |",
                f"| next page (warm) | {p['next_page_warm_ms']} | {p['bare_page_ms']} |",
                f"| search-and-apply {s['search']!r} ({s['hits']:,} hits) | {s['apply_ms']} | "
                f"{s['bare_hits_ms']} |",
                f"| the first recount (coding_counts) | {s['recount_ms']} | "
                f"{s['bare_recount_ms']} |",
                f"| distinctive words by stakeholder type | {w['words_ms']} | "
                f"{w['bare_tokenisation_ms']} |",
                f"| first page, no frame / with a frame ({f['frame']}) | "
                f"{f['first_page_no_frame_ms']} / {f['first_page_frame_ms']} | |",
                f"| theme table, no frame / with the frame | {f['theme_table_no_frame_ms']} / "
                f"{f['theme_table_frame_ms']} | |", ""]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    rows = [run(n, args.runs) for n in args.n]
    save_results("coding", rows, lines_of(rows, args.runs))


if __name__ == "__main__":
    main()
