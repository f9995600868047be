"""Distinctive words (engine.words) as text, Markdown and JSON: each column's terms, most
distinctive first, with how many people in it and in the rest use each."""

from __future__ import annotations

import json
from dataclasses import asdict

from heetui.engine.words import Words
from heetui.output.markup import md_text


def heading(w: Words) -> str:
    return (f"Distinctive words in {w.question} by {w.banner}: {w.commenters:,} people "
            f"commented; terms used by fewer than {w.min_group} people are not shown.")


def _note(w: Words) -> str:
    return f"Measure: {w.method}."


def render_text(w: Words) -> str:
    lines = [heading(w), ""]
    for c in w.columns:
        lines.append(f"{c.label} ({c.commenters:,} commenters)")
        if c.withheld:
            lines.append("  withheld: fewer than the minimum group, or it would single "
                         "them out")
        elif not c.terms:
            lines.append("  no term used distinctively by enough people")
        width = max((len(t.term) for t in c.terms), default=0)
        for t in c.terms:
            lines.append(f"  {t.term.ljust(width)}  z {t.z:5.2f}  {t.people:>6,} people  "
                         f"(rest {t.others:,})")
        lines.append("")
    lines.append(_note(w))
    return "\n".join(lines) + "\n"


def render_md(w: Words) -> str:
    lines = [f"# {md_text(heading(w))}", ""]
    for c in w.columns:
        lines += [f"## {md_text(c.label)} ({c.commenters:,} commenters)", ""]
        if c.withheld or not c.terms:
            lines += ["Withheld: fewer than the minimum group." if c.withheld
                      else "No term used distinctively by enough people.", ""]
            continue
        lines += ["| Term | z | People | Rest |", "|---|---:|---:|---:|"]
        lines += [f"| {md_text(t.term)} | {t.z:.2f} | {t.people:,} | {t.others:,} |"
                  for t in c.terms]
        lines.append("")
    lines.append(md_text(_note(w)))
    return "\n".join(lines) + "\n"


def render_json(w: Words) -> str:
    return json.dumps(asdict(w), indent=2, ensure_ascii=False) + "\n"
