"""Render the survey overview (``heetui info``) as text or JSON."""

from __future__ import annotations

import textwrap
from typing import Any

from heetui.engine.summary import Overview
from heetui.output.numbers import fixed
from heetui.survey.codebook import TYPE_NAMES, Codebook
from heetui.survey.text import counted, safe_text
from heetui.survey.workspace import Workspace

FACT_LABELS = {
    "client": "Client", "agency": "Agency", "published": "Published", "method": "Method",
    "fieldwork": "Fieldwork", "completes": "Completes (published)",
    "response_rate": "Response rate", "qualitative": "Qualitative", "bases_note": "Bases",
    "weight_note": "Weight",
}


def workspace_facts(ws: Workspace | None, problems: int) -> dict[str, Any]:
    """Which workspace file is in use: its path (None: opened with --no-edits), whether it
    exists yet, and how many of its entries do not apply (``heetui check`` lists them)."""
    return {"path": str(ws.path) if ws else None, "exists": bool(ws and ws.path.exists()),
            "problems": problems}


def _workspace_line(ws: Workspace | None, problems: int) -> str:
    if ws is None:
        return "Workspace: none (opened with --no-edits)"
    state = "" if ws.path.exists() else " (not created yet: no edits)"
    found = f" ({counted(problems, 'problem')}: see heetui check)" if problems else ""
    return f"Workspace: {safe_text(str(ws.path))}{state}{found}"


def info_json(ov: Overview, cb: Codebook, workspace: Workspace | None = None,
              problems: int = 0) -> dict[str, Any]:
    return {
        "workspace": workspace_facts(workspace, problems),
        "title": ov.title, "respondents": ov.respondents, "comments": ov.comments,
        "provenance": ov.provenance, "weight": ov.weight,
        "survey": {k: v if isinstance(v, (str, int, float, bool, list)) else str(v)
                   for k, v in ov.facts.items()},
        "questions": [{"id": q.id, "text": q.text, "type": q.type, "label": q.short,
                       "group": q.group,
                       "eligible": None if q.eligible is None else
                       {"variable": q.eligible.variable, "codes": list(q.eligible.codes)},
                       "options": [{"code": o.code, "label": o.label,
                                    **({"value": o.value} if o.value is not None else {})}
                                   for o in q.options],
                       "nets": [{"label": n.label, "codes": list(n.codes)} for n in q.nets],
                       "grid": q.grid or None,
                       **({"themes": [{"code": t.code, "label": t.label}
                                      for t in cb.frame(q.id).themes]}
                          if q.type == "open" else {})}
                      for q in cb.questions],
        "grids": [{"id": g.id, "text": g.text, "label": g.short, "items": list(g.items)}
                  for g in cb.grids],
        "segments": [{"id": p.segment.id, "label": p.segment.short, "type": p.segment.type,
                      "base": p.base,
                      "categories": [{"code": c.code, "label": c.label, "count": c.count,
                                      "percent": round(c.percent, 4)} for c in p.categories]}
                     for p in ov.segments],
        "themes": [{"code": t.code, "label": t.label} for t in cb.themes],
        "banners": [{"id": b.id, "label": b.label, "spans": list(b.spans)}
                    for b in cb.banners],
    }


def info_text(ov: Overview, cb: Codebook, width: int = 100,
              workspace: tuple[Workspace | None, int] | None = None) -> str:
    """The overview as text; ``workspace`` (the file in use, None with --no-edits, and its
    problems' count) adds the line naming it."""
    title = safe_text(ov.title)
    out = [title, "=" * len(title)]
    if ov.provenance:
        out += textwrap.wrap("Note: " + safe_text(ov.provenance), width)
    out.append("")
    out.append(f"Respondents: {ov.respondents:,}    Comments: {ov.comments:,}    "
               f"Weight: {ov.weight or 'none'}")
    for key, label in FACT_LABELS.items():
        if key in ov.facts:
            out += textwrap.wrap(f"{label}: {safe_text(str(ov.facts[key]))}", width,
                                 subsequent_indent="  ")
    context = ov.facts.get("context", [])
    for line in context if isinstance(context, list) else [context]:
        out += textwrap.wrap(f"Context: {safe_text(str(line))}", width, subsequent_indent="  ")
    if workspace is not None:
        out.append(_workspace_line(*workspace))  # whole: a path is copied, never wrapped
    out += ["", "Questions, by group"]
    listed: set[str] = set()
    group = None
    first: dict[str, int] = {}  # each group's place: where its first question is
    for i, q in enumerate(cb.questions):
        first.setdefault(q.group, i)
    for q in sorted(cb.questions, key=lambda q: first[q.group]):  # a group's questions together
        if q.group and q.group != group:
            group = q.group
            out.append(f" ── {safe_text(group)}")
        grid = cb.grid(q.grid) if q.grid else None
        if grid is not None and grid.id not in listed:  # a grid, then its items under it
            listed.add(grid.id)
            out += textwrap.wrap(f"  {grid.id} ({TYPE_NAMES['grid']} of {len(grid.items)} "
                                 f"items) {safe_text(grid.text)}", width,
                                 subsequent_indent="      ")
        indent = "    " if grid else "  "
        out += textwrap.wrap(f"{indent}{q.id} ({TYPE_NAMES[q.type]}) {safe_text(q.text)}",
                             width, subsequent_indent=indent + "    ")
    if cb.banners:
        out += ["", "Banners (use as --by NAME)"]
        for b in cb.banners:
            out += textwrap.wrap(f"  {b.id}: {safe_text(b.label)} = {', '.join(b.spans)}",
                                 width, subsequent_indent="      ")
    out += ["", "Sample profile (unweighted bases)"]
    for p in ov.segments:
        v = p.segment
        multi = " - multi-response, categories overlap" if v.type == "multi" else ""
        out.append(f"  {v.id}: {safe_text(v.short)} (base {p.base}){multi}")
        for c in p.categories:
            out.append(f"      {safe_text(c.label):<34} {c.count:>8,}  {fixed(c.percent, 1):>5}%")
    return "\n".join(out) + "\n"
