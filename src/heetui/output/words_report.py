"""Distinctive words (engine.words) as text, Markdown and JSON: each column's terms, most
distinctive first, with how many people in it and in the rest use each."""

from __future__ import annotations

import json
from dataclasses import asdict

from heetui.engine.words import Term, WordColumn, Words
from heetui.output.markup import md_text


def heading(w: Words) -> str:
    return (f"Distinctive words in {w.question} by {w.banner}: {w.commenters:,} people "
            f"commented; terms used by fewer than {w.min_group} people are not shown.")


def _note(w: Words) -> str:
    return f"Measure: {w.method}."


def column_heading(c: WordColumn) -> str:
    return f"{c.label} ({c.commenters:,} commenters)"


def column_note(c: WordColumn) -> str | None:
    """Why a column lists no term, or None when it lists some."""
    if c.withheld:
        return "withheld: fewer than the minimum group, or it would single them out"
    return None if c.terms else "no term used distinctively by enough people"


def term_width(c: WordColumn) -> int:
    return max((len(t.term) for t in c.terms), default=0)


def term_line(t: Term, width: int) -> str:
    """One term of a column: the term padded to ``width``, z, its people and the rest's."""
    return f"  {t.term.ljust(width)}  z {t.z:5.2f}  {t.people:>6,} people  (rest {t.others:,})"


def render_text(w: Words) -> str:
    lines = [heading(w), ""]
    for c in w.columns:
        lines.append(column_heading(c))
        note = column_note(c)
        lines += [f"  {note}"] if note else []
        lines += [term_line(t, term_width(c)) for t in c.terms]
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
