"""A question's code frame (engine.coding.CodingCounts) as text, Markdown and JSON: its
themes in order with how many comments carry each and how (stored codes, searches, comments
coded by hand), its nets of themes, and how many comments are coded."""

from __future__ import annotations

import json

from heetui.engine.coding import CodingCounts
from heetui.output.markup import md_text
from heetui.survey.codebook import Theme


def _how(t: Theme) -> str:
    parts = []
    if t.stored:
        parts.append("also stored " + ", ".join(map(str, t.stored)))
    parts += [f"search {s!r}" for s in t.searches]
    if t.added:
        parts.append(f"{len(t.added):,} added by hand")
    if t.removed:
        parts.append(f"{len(t.removed):,} taken off by hand")
    return "; ".join(parts)


def _summary(c: CodingCounts) -> str:
    whose = f"the workspace's ({c.workspace})" if c.edited else "the survey's own themes"
    return (f"{c.comments:,} comments: {c.coded:,} coded, {c.uncoded:,} not yet coded. "
            f"Frame: {whose}.")


def render_text(c: CodingCounts) -> str:
    lines = [f"{c.question}: {c.text}", _summary(c), ""]
    if not c.themes:
        lines.append("No themes yet: add one with `heetui code add "
                     f"{c.question} LABEL`.")
    width = max((len(t.label) for t, _ in c.themes), default=0)
    for t, n in c.themes:
        how = _how(t)
        lines.append(f"{t.code:>5}  {t.label.ljust(width)}  {n:>7,}" + (f"  ({how})" if how
                                                                     else ""))
    for net, n in c.nets:
        codes = ", ".join(map(str, net.codes))
        lines.append(f"  net  {net.label.ljust(width)}  {n:>7,}  (themes {codes})")
    return "\n".join(lines) + "\n"


def render_md(c: CodingCounts) -> str:
    lines = [f"# {md_text(c.question)}: {md_text(c.text)}", "", md_text(_summary(c)), "",
             "| Code | Theme | Comments | How |", "|---:|---|---:|---|"]
    lines += [f"| {t.code} | {md_text(t.label)} | {n:,} | {md_text(_how(t))} |"
              for t, n in c.themes]
    lines += [f"| net | {md_text(net.label)} | {n:,} | themes "
              f"{', '.join(map(str, net.codes))} |" for net, n in c.nets]
    return "\n".join(lines) + "\n"


def render_json(c: CodingCounts) -> str:
    return json.dumps({
        "question": c.question, "text": c.text, "comments": c.comments, "coded": c.coded,
        "uncoded": c.uncoded, "frame": "workspace" if c.edited else "survey",
        "workspace": c.workspace,
        "themes": [{"code": t.code, "label": t.label, "comments": n, "stored": list(t.stored),
                    "search": list(t.searches), "added": list(t.added),
                    "removed": list(t.removed)} for t, n in c.themes],
        "nets": [{"label": net.label, "themes": list(net.codes), "comments": n}
                 for net, n in c.nets]}, indent=2, ensure_ascii=False) + "\n"
