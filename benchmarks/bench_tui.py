"""App timings, Pilot-driven: launch to first table, banner change to updated table,
verbatim search first page, and peak RSS. Run after bench_engine.py (it reuses its bundles).

Usage: python benchmarks/bench_tui.py [--sizes 10000 1000000 10000000]
Each size runs in a fresh process so start-up and memory are measured honestly.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r"""
import asyncio, json, resource, sys, time
t0 = time.perf_counter()
from heetui.engine.session import open_survey
from heetui.engine.verbatims import Selection, verbatims
from heetui.tui.app import HeetuiApp

async def main():
    survey = open_survey(sys.argv[1])
    app = HeetuiApp(survey)
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while app.crosstab is None:
            await asyncio.sleep(0.002)
        out["launch_to_first_table_ms"] = (time.perf_counter() - t0) * 1000
        times = []
        for banner in ("stakeholder_type", "region", "seniority", "hee_team", "org_type"):
            app.crosstab = None
            t = time.perf_counter()
            app.update_view(banner=banner)
            while app.crosstab is None or app.crosstab.banner is None \
                    or app.crosstab.banner.id != banner:
                await asyncio.sleep(0.001)
            times.append((time.perf_counter() - t) * 1000)
        out["banner_change_ms"] = sorted(times)[len(times) // 2]
    s = []
    for term in ("contact", "funding", "deadline", "support", "region"):
        t = time.perf_counter()
        verbatims(survey, Selection(search=term), 0, 50)
        s.append((time.perf_counter() - t) * 1000)
    out["verbatim_search_first_page_ms"] = sorted(s)[len(s) // 2]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))

asyncio.run(main())
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000, 10_000_000])
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        path = HERE / "_bundles" / f"hee_{n}"
        if not (path / "respondents.parquet").exists():
            sys.exit(f"{path} is missing: run benchmarks/bench_engine.py first")
        subprocess.run([sys.executable, "-m", "heetui", "info", "--data", str(path)],
                       check=True, capture_output=True)  # validate once (cached)
        r = subprocess.run([sys.executable, "-c", CHILD, str(path)], check=True,
                           capture_output=True, text=True)
        rows.append({"respondents": n, **json.loads(r.stdout.strip().splitlines()[-1])})
    (HERE / "tui_results.json").write_text(json.dumps(rows, indent=2) + "\n")
    lines = ["| respondents | launch → first table | banner change → updated table | "
             "verbatim search, first page | peak RSS |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['respondents']:,} | {r['launch_to_first_table_ms']:.0f} ms | "
                     f"{r['banner_change_ms']:.0f} ms | "
                     f"{r['verbatim_search_first_page_ms']:.0f} ms | {r['peak_rss_mb']:.0f} MB |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
