"""A computed weight's report as text, JSON, Markdown and an Excel sheet: targets against
the unweighted and weighted shares, convergence, efficiency and the weights' extremes."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.engine.raking import Spread
from heetui.engine.weighting import ReportRow, WeightReport
from heetui.output.atomic import atomic_path
from heetui.output.markup import md_text

if TYPE_CHECKING:
    from heetui.engine import Survey

HEADERS = ("Group", "Variable", "Answer", "Target", "Respondents", "Unweighted",
           "Weighted", "Weighted %", "Gap (points)")
UNITS = {"percent": "percent targets (weights average 1)",
         "count": "count targets (weights sum to them)"}
METHODS = {"rim": "rim weighting (iterative proportional fitting)",
           "cell": "cell weighting"}


def summary(r: WeightReport) -> list[str]:
    """The lines above the table: what the weight is and how it came out."""
    s = r.spread
    done = (f"Converged in {r.iterations} iteration{'s' if r.iterations != 1 else ''}"
            if r.converged else f"Did not converge in {r.iterations} iterations")
    return [
        f"Weight {r.name}: {r.label} — {METHODS[r.method]}, {UNITS[r.unit]}",
        f"{done}; the largest gap between a weighted share and its target is "
        + (f"{100 * r.largest_gap:.2f} points." if r.largest_gap >= 5e-5 else
           "below 0.01 points."),
        f"Weighting efficiency {100 * s.efficiency:.1f}%; effective sample size "
        f"{s.effective_n:,.1f} of {s.respondents:,} respondents; weighted total "
        f"{s.total:,.1f}.",
        f"Weights from {s.low:.4g} to {s.high:.4g} (ratio {s.ratio:.3g}); "
        f"{r.capped_low:,} respondents at the minimum cap, {r.capped_high:,} at the maximum.",
    ]


def _cells(row: ReportRow) -> tuple[str, ...]:
    gap = 100 * (row.weighted_share - row.target)
    return (row.group, row.variable, row.label, f"{100 * row.target:.1f}%", f"{row.count:,}",
            f"{100 * row.share:.1f}%", f"{row.weighted:,.1f}",
            f"{100 * row.weighted_share:.1f}%", f"{gap:+.2f}" if abs(gap) >= 0.005 else "0.00")


def _columns(r: WeightReport) -> tuple[int, ...]:
    """The table's columns: the group column only when weighting was within groups."""
    first = 0 if any(row.group for row in r.rows) else 1
    return tuple(range(first, len(HEADERS)))


def render_text(r: WeightReport) -> str:
    keep = _columns(r)
    rows = [tuple(HEADERS[i] for i in keep)] + [
        tuple(_cells(row)[i] for i in keep) for row in r.rows]
    widths = [max(len(x[j]) for x in rows) for j in range(len(keep))]
    lines = summary(r) + [""]
    for k, x in enumerate(rows):
        cells = [x[j].ljust(widths[j]) if keep[j] < 3 else x[j].rjust(widths[j])
                 for j in range(len(keep))]
        lines.append("  ".join(cells).rstrip())
        if k == 0:
            lines.append("  ".join("─" * w for w in widths))
    return "\n".join(lines) + "\n"


def render_md(r: WeightReport) -> str:
    keep = _columns(r)
    lines = [f"# {md_text(summary(r)[0])}", ""] + [md_text(x) + "  " for x in summary(r)[1:]]
    lines += ["", "| " + " | ".join(HEADERS[i] for i in keep) + " |",
              "|" + "|".join("---" if i < 3 else "---:" for i in keep) + "|"]
    lines += ["| " + " | ".join(md_text(_cells(row)[i]) for i in keep) + " |"
              for row in r.rows]
    return "\n".join(lines) + "\n"


def render_json(r: WeightReport) -> str:
    return json.dumps(r.to_dict(), indent=2, ensure_ascii=False) + "\n"


def write_xlsx(r: WeightReport, path: Path, replace: bool = False) -> None:
    from heetui.output.xlsx import new_workbook

    keep = _columns(r)
    with atomic_path(path, replace) as tmp:
        book = new_workbook(tmp)
        sheet = book.add_worksheet(r.name[:31])
        bold = book.add_format({"bold": True})
        pct = book.add_format({"num_format": "0.0%"})
        one = book.add_format({"num_format": "#,##0.0"})
        for k, line in enumerate(summary(r)):
            sheet.write_string(k, 0, line, bold if k == 0 else None)
        top = len(summary(r)) + 1
        for j, i in enumerate(keep):
            sheet.write_string(top, j, HEADERS[i], bold)
        for k, row in enumerate(r.rows, top + 1):
            values: tuple[object, ...] = (
                row.group, row.variable, row.label, row.target, row.count, row.share,
                row.weighted, row.weighted_share, 100 * (row.weighted_share - row.target))
            for j, i in enumerate(keep):
                v = values[i]
                if isinstance(v, str):
                    sheet.write_string(k, j, v)
                else:
                    fmt = pct if i in (3, 5, 7) else one if i in (6, 8) else None
                    sheet.write_number(k, j, float(v), fmt)  # type: ignore[arg-type]
        sheet.set_column(0, len(keep), 14)
        book.close()


# ---- the list of a survey's weights --------------------------------------------------------

LIST_HEADERS = ("Name", "Weight", "Respondents", "Efficiency", "Effective n", "Min", "Max",
                "Max/min")


@dataclass(frozen=True)
class WeightLine:
    """One of a survey's weights: its own (``report`` None) or one computed to targets."""

    name: str
    spread: Spread
    report: WeightReport | None = None


def weight_lines(survey: Survey) -> list[WeightLine]:
    """Each of the survey's weights with its figures (the engine's), its own first."""
    return [WeightLine(n, survey.weight_spread(n), survey.weight_reports.get(n))
            for n in survey.weight_names()]


def weight_problems(survey: Survey, name: str | None = None) -> list[str]:
    """What of the workspace's weights could not be computed (of ``name``, or of every
    weight), each as its file, line and sentence."""
    prefix = f"The weight {name}" if name else "The weight "
    return [str(p) for p in survey.workspace_problems
            if p.message.startswith(prefix) and (name is None or
                                                 p.message[len(prefix):][:1] in (":", ""))]


def weights_page(survey: Survey) -> str:
    """Every weight of the survey on one page (the app's): the list, each computed weight's
    report, and the weights that could not be computed."""
    parts = [render_list_text(weight_lines(survey))]
    parts += [render_text(r) for r in survey.weight_reports.values()]
    failed = weight_problems(survey)
    if failed:
        parts.append("Not computed:\n" + "".join(f"  {p}\n" for p in failed))
    return "\n".join(parts)


def describe(line: WeightLine) -> str:
    """What a weight is, in a few words."""
    r = line.report
    if r is None:
        return "the survey's own"
    variables = list(dict.fromkeys(row.variable for row in r.rows))
    within = sorted({row.group for row in r.rows if row.group})
    return (f"{r.method} to targets of {', '.join(variables)}"
            + (f" (within {len(within)} groups)" if within else ""))


def _list_cells(line: WeightLine) -> tuple[str, ...]:
    s = line.spread
    return (line.name, describe(line), f"{s.respondents:,}", f"{100 * s.efficiency:.1f}%",
            f"{s.effective_n:,.1f}", f"{s.low:.4g}", f"{s.high:.4g}", f"{s.ratio:.3g}")


def render_list_text(lines: Sequence[WeightLine]) -> str:
    """The survey's weights, one a line, with what analysts compare them by."""
    if not lines:
        return "This survey has no weights.\n"
    rows = [LIST_HEADERS] + [_list_cells(line) for line in lines]
    widths = [max(len(x[j]) for x in rows) for j in range(len(LIST_HEADERS))]
    out = []
    for k, x in enumerate(rows):
        out.append("  ".join(c.ljust(w) if j < 2 else c.rjust(w)
                             for j, (c, w) in enumerate(zip(x, widths, strict=True))).rstrip())
        if k == 0:
            out.append("  ".join("─" * w for w in widths))
    return "\n".join(out) + "\n"


def list_dicts(lines: Sequence[WeightLine]) -> list[dict[str, Any]]:
    """The list as JSON takes it: each weight's figures, and its report when computed."""
    return [{"name": line.name, "own": line.report is None, "description": describe(line),
             "respondents": line.spread.respondents, "total": line.spread.total,
             "efficiency": line.spread.efficiency, "effective_n": line.spread.effective_n,
             "low": line.spread.low, "high": line.spread.high, "ratio": _finite(line.spread.ratio),
             "report": line.report.to_dict() if line.report else None} for line in lines]


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def render_list_json(lines: Sequence[WeightLine]) -> str:
    return json.dumps(list_dicts(lines), indent=2, ensure_ascii=False) + "\n"
