"""Write benchmarks/RESULTS.md from results.json (engine), tui_results.json (app),
book_results.json (tab books), design_results.json (design-based tables) and
derived_results.json (derived variables against stored ones), weighting_results.json
(weighting to targets), waves_results.json (two waves in one table) and
coding_results.json (coding open-ended comments).

Each benchmark script calls ``write()`` when it finishes, so RESULTS.md always shows the
latest figures of both, and the status of every issue-8 target is computed from them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = (1_000_000, 10_000_000)

# (what, source, key, limit at 1M, limit at 10M, unit)
TARGETS: list[tuple[str, str, str, float | None, float | None, str]] = [
    ("crosstab with letters, weighted, multi × overlapping banner (engine)", "engine",
     "engine_multi_x_overlap_ms", 60, 400, "ms"),
    ("the same, `heetui tab … --format json` whole process", "engine",
     "tab_json_process_ms", 1000, 1500, "ms"),
    ("engine overhead vs the bare DuckDB query of the same cells", "engine",
     "engine_overhead_ratio", 2, 2, "×"),
    ("report banner (3 spans) × words, weighted, letters, vs words × region in the same run "
     "(issue 20)", "engine", "banner_ratio", 1.5, 1.5, "×"),
    ("app: launch to first table (Pilot)", "app", "launch_to_first_table_ms", 800, 1000, "ms"),
    ("app: launch to first table (tmux, real terminal)", "app", "tmux_launch_ms", 800, 1000,
     "ms"),
    ("app: banner change to updated table (Pilot)", "app", "banner_change_ms", 100, 500, "ms"),
    ("app: banner change to updated table (tmux, real terminal)", "app", "tmux_banner_ms", 100,
     500, "ms"),
    ("the same, banner chosen at once (no prefetch)", "app", "tmux_banner_at_once_ms", 100,
     500, "ms"),
    ("app: filter change to updated table (Pilot)", "app", "filter_change_ms", 100, 500, "ms"),
    ("app: filter applied in the picker to table on screen (tmux)", "app", "tmux_filter_ms",
     100, 500, "ms"),
    ("verbatim search, first page", "app", "verbatim_search_first_page_ms", 100, 300, "ms"),
    ("peak RSS with the survey open", "app", "peak_rss_mb", 250, 400, "MB"),
]


def _load(name: str) -> Any:
    path = HERE / name
    return json.loads(path.read_text()) if path.exists() else None


def _fmt(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def _status(value: float | None, limit: float | None, unit: str) -> str:
    if limit is None:
        return ""
    bound = f"≤ {limit:g}×" if unit == "×" else f"≤ {limit:,g} {unit}"
    if value is None:
        return f"{bound}: not measured"
    ok = "met" if value <= limit else "**not met**"
    return f"{bound}: {ok} ({_fmt(value, unit)})"


def _range(span: list[float] | None) -> str:
    return f" ({span[0]:.0f}–{span[1]:.0f})" if span else ""


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(title: str, intro: str, header: list[str], rows: list[list[str]]) -> list[str]:
    """A section of right-aligned figures: its title, what was measured, and the table
    (nothing when nothing was measured)."""
    if not rows:
        return []
    return ["", title, "", intro, "", _row(header), "|" + "---:|" * len(header),
            *(_row(r) for r in rows)]


# (what, result key, field, limit, unit) for the survey-wide work of issue 21
BOOK_TARGETS: list[tuple[str, str, str, float, str]] = [
    ("book of the bundled questionnaire by `standard`, weighted, 1M respondents, whole "
     "process", "hee_1000000_book", "process_ms", 3000, "ms"),
    ("the same at 10M respondents", "hee_10000000_book", "process_ms", 15000, "ms"),
    ("3,000-variable survey (single-choice 1–5, 1,000 respondents): book by one banner, whole "
     "process", "wide_3000_book", "process_ms", 5000, "ms"),
    ("the same survey: `heetui profile`, whole process", "wide_3000_profile", "process_ms",
     5000, "ms"),
    ("300 variables × 1M respondents: book, whole process", "wide_300x1m_book", "process_ms",
     30000, "ms"),
    ("the same: peak RSS", "wide_300x1m_book", "peak_rss_mb", 1024, "MB"),
    ("engine vs its bare DuckDB queries: book at 1M", "hee_1000000_book", "ratio", 1.5, "×"),
    ("the same at 10M", "hee_10000000_book", "ratio", 1.5, "×"),
    ("the same: 3,000-variable book", "wide_3000_book", "ratio", 1.5, "×"),
    ("the same: 3,000-variable profile", "wide_3000_profile", "ratio", 1.5, "×"),
    ("the same: 300 variables × 1M book", "wide_300x1m_book", "ratio", 1.5, "×"),
]


def _book_section(doc: Any) -> list[str]:
    if not doc:
        return []
    res = doc["results"]
    out = ["", "## Survey-wide: tab books and profiles (benchmarks/bench_book.py)", "",
           f"Run {doc['date']}, medians of {doc['runs']} (the 300 × 1M book: one run). "
           "Whole process: `heetui book … -o book.xlsx` (or `heetui profile`) in a child "
           "process, imports and writing included, its own peak RSS. Engine: the same "
           "computation in-process; bare: the DuckDB queries that engine run sent, "
           "recorded and replayed alone, taking turns with the engine; last column: the "
           "engine with each scan run only when its tables are due (no scan running in a "
           "worker thread while the tables of the last are made).", "",
           "| target | limit | result |", "|---|---|---|"]
    for what, key, field, limit, unit in BOOK_TARGETS:
        value = res.get(key, {}).get(field)
        out.append(f"| {what} | {_status(value, limit, unit).split(':')[0]} | "
                   f"{'not measured' if value is None else _fmt(value, unit)}"
                   f"{'' if value is None else (' met' if value <= limit else ' **not met**')} |")
    out += ["", "| work | whole process | peak RSS | engine | bare DuckDB queries | queries | "
            "engine, no scan ahead |", "|---|---:|---:|---:|---:|---:|---:|"]
    for key, r in res.items():
        serial = (f"{r['serial_ms']:,.0f} ms ({r['serial_ratio']:.2f}×)" if "serial_ms" in r
                  else "")
        out.append(f"| {key} | {r['process_ms']:,.0f} ms | {r['peak_rss_mb']:,.0f} MB | "
                   f"{r['engine_ms']:,.0f} ms | {r['bare_ms']:,.0f} ms | {r['queries']} | "
                   f"{serial} |")
    return out


def _design_section(doc: Any) -> list[str]:
    """The design-based tables of benchmarks/bench_design.py against their target (issue
    32: a design-based banner table ≤ 2× the effective-base one at 1M respondents)."""
    if not doc:
        return []
    out = ["", "## Design-based tables (benchmarks/bench_design.py)", "",
           f"Run {doc['date']}, medians of {doc['runs']}, {doc['n']:,} respondents, "
           "weighted, letters, banner `standard`, load average "
           f"{doc['load'][0]:.1f} at the start and {doc['load'][1]:.1f} at the end on 2 "
           "CPUs shared with other work; full table and method in "
           "benchmarks/design_results.md. Target: design ≤ 2× effective base (issue 32), in "
           "wall time; the CPU time of the process (DuckDB's threads and numpy's) beside it.",
           "", "| question | PSUs (strata) | effective base | design | ratio | CPU ratio | "
           "bare DuckDB: effective base, design, grouped by PSU |",
           "|---|---|---:|---:|---|---:|---|"]
    for d in doc["designs"]:
        for q in ("relationship", "words"):
            r = d[q]
            bare = [r["bare_duckdb_effective_base_ms"], r["bare_duckdb_design_ms"],
                    r.get("bare_duckdb_grouped_by_psu_ms")]
            cpu = r.get("cpu_ratio")
            out.append(_row([q, f"{d['psus']:,} ({d['strata']})",
                             _fmt(r["effective_base_ms"], "ms"), _fmt(r["design_ms"], "ms"),
                             _status(r["ratio"], 2, "×"),
                             "" if cpu is None else f"{cpu:.2f}×",
                             ", ".join(_fmt(b, "ms") for b in bare if b is not None)]))
    return out


def _derived_section(doc: Any) -> list[str]:
    """Tables by a derived segment against the same tables by a stored column (issue 34
    item 5: ≤ 1.2×), from benchmarks/bench_derived.py."""
    if not doc:
        return []
    out = ["", "## Derived variables (benchmarks/bench_derived.py)", "",
           f"Run {doc['date']}, medians of {doc['runs']}, the two tables taking turns run by "
           "run (each first in half the rounds), result cache cleared before each run. "
           "Weighted table with letters by a derived three-answer segment (a workspace entry: "
           + "; ".join(f"{label}: `{when}`" for label, when in doc["answers"])
           + ") against the same table by the same codes stored as a column of a copy of "
           "the respondents; bare DuckDB: the hand-written GROUP BY (count, Σw, Σw²) by "
           "the stored column, by the derived variable's CASE and by its three source "
           "columns. CPU: the ratio of this process's CPU time (DuckDB's threads "
           "included), which other sessions' load on the machine disturbs less. Full table: "
           "benchmarks/derived_results.md. Target: ≤ 1.2×.", "",
           "| respondents | table | derived | stored | ratio | CPU | bare: stored, CASE, "
           "3 source columns |", "|---:|---|---:|---:|---|---:|---|"]
    uses = {"filter": "relationship by type, filter segment=1",
            "filter_else": "relationship by type, filter segment=3 (else)",
            "question": "segment by type (as the question)", "book": "tab book by segment"}
    for r in doc["results"]:
        for q in ("relationship", "words", *uses):
            x = r.get(q)
            if x is None:
                continue
            bare = ", ".join(_fmt(x[k], "ms") for k in (
                "bare_stored_ms", "bare_case_ms", "bare_sources_ms") if k in x)
            cpu = x.get("cpu_ratio")
            out.append(_row([f"{r['respondents']:,}", uses.get(q, f"{q} by segment"),
                             _fmt(x["derived_ms"], "ms"), _fmt(x["stored_ms"], "ms"),
                             _status(x["ratio"], 1.2, "×"),
                             "" if cpu is None else _fmt(cpu, "×"), bare]))
    return out


def _weighting_section(doc: Any) -> list[str]:
    """Weighting to targets (issue 35 item 5: the whole weighting ≤ 3 × the bare grouped
    scan + the bare write of the column), from benchmarks/bench_weighting.py."""
    if not doc:
        return []
    out = ["", "## Weighting to targets (benchmarks/bench_weighting.py)", "",
           f"Run {doc.get('date', '?')}, medians of {doc['results'][0]['runs']} runs in turns. "
           "Rim weighting on four variables (stakeholder type, seniority, contact, "
           "relationship; equal-share targets): the grouped scan of the cells, raking on "
           "them, and the pass writing the weight column, against the bare GROUP BY of the "
           "four columns and a bare COPY of one computed column. Target: weighting ≤ "
           "3 × scan + write.", "",
           "| respondents | iterations | weighting | bare scan | bare write | 3 × scan + write "
           "| ratio |", "|---:|---:|---:|---:|---:|---:|---|"]
    for r in doc["results"]:
        out.append(_row([f"{r['n']:,}", str(r["iterations"]), _fmt(r["weighting_ms"], "ms"),
                         _fmt(r["scan_ms"], "ms"), _fmt(r["write_ms"], "ms"),
                         _fmt(r["budget_ms"], "ms"), _status(r["ratio_to_budget"], 1, "×")]))
    return out


def _waves_section(doc: Any) -> list[str]:
    """Two waves in one table (issue 38 item 6: ≤ 2 × one wave's table), from
    benchmarks/bench_waves.py."""
    if not doc:
        return []
    out = ["", "## Waves (benchmarks/bench_waves.py)", "",
           f"Run {doc.get('date', '?')}, medians of {doc['results'][0]['runs']} runs in turns, "
           "result cache cleared before each. One wave's weighted table of relationship by "
           "stakeholder type against two waves' (the second made by `heetui demo --shift "
           "0.25`) by wave within stakeholder type with --compare previous (a grouped pass "
           "on each wave's file, engine.waves); bare DuckDB: the same GROUP BY over one file, "
           "over each of the two files in turn (the floor of the two-wave table), and over "
           "both stacked (UNION ALL) grouped by wave too; CPU: the process's CPU time of "
           "each table (all DuckDB threads), its work. Target: two waves ≤ 2 × one.", "",
           "| respondents a wave | one wave | two waves | ratio | CPU ratio | bare, one | "
           "bare, each file | bare, each / one | bare, stacked |",
           "|---:|---:|---:|---|---:|---:|---:|---:|---:|"]
    for r in doc["results"]:
        each, cpu = r.get("bare_each_ms"), r.get("cpu_ratio")
        out.append(_row([f"{r['n']:,}", _fmt(r["one_wave_ms"], "ms"),
                         _fmt(r["two_waves_ms"], "ms"), _status(r["ratio"], 2, "×"),
                         _fmt(cpu, "×") if cpu else "",
                         _fmt(r["bare_one_ms"], "ms"), _fmt(each, "ms") if each else "",
                         _fmt(r["bare_ratio"], "×") if each else "",
                         _fmt(r["bare_two_ms"], "ms")]))
    return out


def _coding_section(doc: Any) -> list[str]:
    """Coding open-ended comments at 1M comments (issue 36 item 7: the first page under
    200 ms, search-and-apply to 100,000 hits and distinctive words in seconds), from
    benchmarks/bench_coding.py."""
    if not doc:
        return []
    out = ["", "## Coding open-ended comments (benchmarks/bench_coding.py)", "",
           f"Run {doc.get('date', '?')}, medians of {doc['results'][0]['runs']} runs in "
           "turns, result cache cleared before each engine call (the next page: after the "
           "first). A demo survey whose every respondent comments; relationship_why's "
           "comments. Bare: the same page (`SELECT … ORDER BY comment_id LIMIT 50`), the "
           "count of the search's hits and a hand-written recount, the tokenisation pass "
           "alone grouped by term. Search-and-apply: the edit written to the workspace, the "
           "survey reshaped, then `coding_counts`. Targets: first page < 200 ms; "
           "search-and-apply to ≥ 100,000 hits and distinctive words in seconds (≤ 10 s).",
           "", "| comments | what | engine | bare | target |", "|---:|---|---:|---:|---|"]
    for r in doc["results"]:
        p, s, w, f = r["pages"], r["search_and_apply"], r["words"], r["frame"]
        n = f"{r['comments']:,}"
        rows = [
            ("first page", p["first_page_ms"], p["bare_page_ms"], 200),
            ("first page, uncoded only", p["uncoded_first_page_ms"],
             p["bare_uncoded_page_ms"], 200),
            ("next page (warm)", p["next_page_warm_ms"], p["bare_page_ms"], 200),
            (f"search-and-apply ({s['hits']:,} hits) + first recount",
             s["apply_and_recount_ms"], s["bare_hits_ms"] + s["bare_recount_ms"], 10_000),
            ("distinctive words by stakeholder type", w["words_ms"],
             w["bare_tokenisation_ms"], 10_000),
        ]
        for what, value, bare, limit in rows:
            out.append(_row([n, what, _fmt(value, "ms"), _fmt(bare, "ms"),
                             _status(value, limit, "ms")]))
        for what, framed, plain in (
                (f"first page with a code frame ({f['frame']})", f["first_page_frame_ms"],
                 f["first_page_no_frame_ms"]),
                ("theme table (`heetui tab relationship_why`'s) with that frame",
                 f["theme_table_frame_ms"], f["theme_table_no_frame_ms"])):
            out.append(_row([n, what, _fmt(framed, "ms"), "—",
                             f"without a frame: {_fmt(plain, 'ms')}"]))
    return out


def _targets(engine: dict[str, Any], app: list[dict[str, Any]]) -> list[str]:
    by_size = {"engine": {r["respondents"]: r for r in engine["results"]},
               "app": {r["respondents"]: r for r in app}}
    out = ["", "## Targets (issue 8)", "",
           "| target | 1M respondents | 10M respondents |", "|---|---|---|"]
    for what, src, key, l1, l10, unit in TARGETS:
        cells = [_status(by_size[src].get(n, {}).get(key), lim, unit)
                 for n, lim in zip(SIZES, (l1, l10), strict=True)]
        out.append(f"| {what} | {cells[0]} | {cells[1]} |")
    demo = engine.get("demo")
    if demo:
        ok = demo["seconds"] <= 180 and demo["peak_rss_mb"] <= 2048
        out.append(f"| `heetui demo -n 10000000` | | ≤ 3 min, ≤ 2 GB: "
                   f"{'met' if ok else '**not met**'} ({demo['seconds'] / 60:.1f} min, "
                   f"{demo['peak_rss_mb']:,.0f} MB) |")
    return out


def _engine(results: list[dict[str, Any]]) -> list[str]:
    return _table(
        "## Engine (benchmarks/bench_engine.py)",
        "`words` (multi-response, 17 options + 2 nets) by `region` (8 overlapping "
        "columns), weighted, with all pairwise letters, result cache cleared before "
        "each run (fastest–slowest run in brackets); the bare DuckDB figure runs only "
        "the one grouped SELECT the engine sends (no Python, no statistics), fetched into "
        "numpy as the engine fetches it, in the same process, taking turns with the "
        "engine run by run. “Hand-written” is the GROUP BY an "
        "analyst would write for the same table in DuckDB: the eight 0/1 region columns "
        "as keys, a count and a weighted sum of each 0/1 option column (no nets, no "
        "letters). "
        "“Repeat” is the same table asked again (served from the result cache). The "
        "single × single columns compare `relationship` by `stakeholder_type` with a "
        "bare GROUP BY of count, Σw and Σw².",
        ["respondents", "engine: multi × overlap", "its bare DuckDB query", "ratio",
         "hand-written GROUP BY", "repeat", "engine: single × single", "bare GROUP BY",
         "`heetui tab --format json` process", "profile (every question)"],
        [[f"{r['respondents']:,}",
          f"{r['engine_multi_x_overlap_ms']:.1f} ms"
          f"{_range(r.get('engine_multi_x_overlap_range_ms'))}",
          f"{r['bare_duckdb_same_cells_ms']:.1f} ms", f"{r['engine_overhead_ratio']:.2f}×",
          f"{r.get('hand_written_group_by_ms', float('nan')):.1f} ms",
          f"{r.get('repeat_ms', float('nan')):.2f} ms",
          f"{r['engine_single_x_single_ms']:.1f} ms",
          f"{r['bare_duckdb_group_by_ms']:.1f} ms", f"{r['tab_json_process_ms']:.0f} ms",
          f"{r['profile_ms']:.0f} ms"] for r in results])


def _banners(results: list[dict[str, Any]]) -> list[str]:
    banners = [(r["respondents"], r["banner_table"]) for r in results if "banner_table" in r]
    return _table(
        "### Banner tables (issue 20)",
        "`words` by the report's banner `standard` (stakeholder type | seniority | "
        "HEE teams: 3 spans, 8 columns, one grouped DuckDB pass), weighted, with "
        "letters within each span, beside `words` by `region` (one span, 8 "
        "overlapping columns), the two engine runs and the banner's bare DuckDB pass "
        "taking turns run by run; result cache cleared before each run.",
        ["respondents", "engine: standard banner", "engine: region, same run", "ratio",
         "bare DuckDB pass of the banner"],
        [[f"{n:,}", f"{b['engine_standard_banner_ms']:.1f} ms"
          f"{_range(b.get('engine_standard_banner_range_ms'))}",
          f"{b['engine_region_same_run_ms']:.1f} ms", f"{b['ratio_to_single_span']:.2f}×",
          f"{b['bare_duckdb_standard_banner_ms']:.1f} ms"] for n, b in banners])


def _partitions(results: list[dict[str, Any]]) -> list[str]:
    parts = [(r["respondents"], r["partitioned"]) for r in results if "partitioned" in r]
    return _table(
        "### Partitioned respondents",
        "The same bundle with respondents hive-partitioned by `stakeholder_type` "
        "(3 folders). Table: `words` by `region`, weighted, filtered to HEI (one "
        "partition), engine timing as above.",
        ["respondents", "one file", "partitioned", "partitioned, no filter"],
        [[f"{n:,}", f"{p['single_file_filtered_ms']:.1f} ms",
          f"{p['partitioned_filtered_ms']:.1f} ms", f"{p['partitioned_unfiltered_ms']:.1f} ms"]
         for n, p in parts])


def _app(app: list[dict[str, Any]]) -> list[str]:
    return _table(
        "## App (benchmarks/bench_tui.py)",
        "Pilot: three fresh processes per size (medians), launch timed from Python "
        "start-up (imports included) to the first table; banner change is the median "
        "of five banners for `relationship`, filter change the median of five "
        "filters (three single-choice, two multi-response) with `region` as banner; "
        "search is the median of five words. tmux: "
        "`heetui --data BUNDLE` in a real 120×40 terminal, timed from the command to "
        "the table being on screen (`capture-pane` polled), and from the Enter that "
        "chooses a banner in the picker to the new columns on screen: after the "
        "highlight rested on it for 0.3 s (the app prefetches the banner it rests on "
        "for 80 ms), and chosen at once (Down and Enter in one burst, no prefetch: the "
        "query runs after Enter); and from the `a` that applies a filter in the "
        "filter picker (stakeholder type = HEI) to its base in the status line; "
        "medians of 3. "
        "Every bundle was validated once before (validation cache).",
        ["respondents", "Pilot: launch → first table", "Pilot: banner change",
         "Pilot: filter change", "tmux: launch → table on screen",
         "tmux: banner change on screen", "tmux: the same, chosen at once",
         "tmux: filter applied", "verbatim search, first page", "peak RSS"],
        [[f"{r['respondents']:,}", f"{r['launch_to_first_table_ms']:.0f} ms",
          f"{r['banner_change_ms']:.0f} ms",
          *(f"{r.get(k, float('nan')):.0f} ms" for k in (
              "filter_change_ms", "tmux_launch_ms", "tmux_banner_ms",
              "tmux_banner_at_once_ms", "tmux_filter_ms")),
          f"{r['verbatim_search_first_page_ms']:.0f} ms", f"{r['peak_rss_mb']:.0f} MB"]
         for r in app])


def write() -> str:
    engine = _load("results.json") or {"results": []}
    app = _load("tui_results.json") or []
    out = ["# Benchmark results", "",
           f"Machine: {engine.get('machine', '?')}. Engine run: {engine.get('date', '?')}; "
           f"medians of {engine.get('runs', '?')} runs (process timings: of at least 3). "
           "Regenerate with `python benchmarks/run.py`.",
           *_targets(engine, app), *_engine(engine["results"]),
           *_banners(engine["results"]), *_partitions(engine["results"]), *_app(app),
           *_book_section(_load("book_results.json")),
           *_design_section(_load("design_results.json")),
           *_derived_section(_load("derived_results.json")),
           *_weighting_section(_load("weighting_results.json")),
           *_waves_section(_load("waves_results.json")),
           *_coding_section(_load("coding_results.json"))]
    notes = HERE / "NOTES.md"
    if notes.exists():
        out += ["", notes.read_text().strip()]
    text = "\n".join(out) + "\n"
    tmp = HERE / ".RESULTS.md.tmp"
    tmp.write_text(text)
    tmp.replace(HERE / "RESULTS.md")
    return text


if __name__ == "__main__":
    print(write())
