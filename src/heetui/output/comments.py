"""Render a page of verbatims as text, csv or json."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from heetui.engine.comments import Verbatim, VerbatimPage
from heetui.output.cells import cell_text
from heetui.survey.text import counted, safe_text


def heading(v: Verbatim) -> str:
    """The comment's line: its number in the selection (source ids only when asked for)."""
    if v.respondent_id is not None:
        who = f"respondent {safe_text(str(v.respondent_id))}"
    elif v.source == "interview":
        who = f"interview ({safe_text(v.attribution or 'unattributed')})"
    else:
        who = "respondent"
    ids = f" (comment id {v.comment_id})" if v.respondent_id is not None else ""
    return f"#{v.number}{ids} · {v.question} · {v.source} · {who}"


def attribute_line(v: Verbatim) -> str:
    shown = " · ".join(f"{k}: {safe_text(val)}" for k, val in v.attributes)
    if v.withheld:
        shown += (" · " if shown else "") + "(other attributes withheld: too few share them)"
    return shown


def summary(page: VerbatimPage) -> str:
    shown = f"{page.offset + 1:,}–{page.offset + len(page.items):,}" if page.items else "none"
    return (f"{safe_text(page.description)} · {counted(page.respondents, 'respondent')}, "
            f"{counted(page.total, 'comment')} (showing {shown}) · comments shown only for "
            f"groups of {page.min_group}+")


def render_text(page: VerbatimPage, width: int = 100) -> str:
    out = [summary(page), ""]
    for v in page.items:
        out.append(heading(v))
        attrs = attribute_line(v)
        if attrs:
            out.append(attrs)
        if v.themes:
            out.append("Themes: " + "; ".join(v.themes))
        body = safe_text(v.text)
        if not body.strip():
            out.append("    (blank)")
        for para in body.split("\n"):
            out += textwrap.wrap(para, width, initial_indent="    ", subsequent_indent="    ",
                                 break_on_hyphens=False) or [""]
        out.append("")
    return "\n".join(out)


def _record(v: Verbatim) -> dict[str, object]:
    out: dict[str, object] = {"number": v.number}
    if v.respondent_id is not None:  # the data owner asked for source ids
        out |= {"comment_id": v.comment_id, "respondent_id": v.respondent_id}
    return out | {"question": v.question, "text": v.text, "themes": list(v.themes),
                  "theme_codes": list(v.theme_codes), "source": v.source,
                  "attribution": v.attribution, "attributes": dict(v.attributes),
                  "attributes_withheld": v.withheld}


def render_json(page: VerbatimPage) -> str:
    return json.dumps({"selection": page.description, "min_group": page.min_group,
                       "respondents": page.respondents, "people_shown": page.people,
                       "total": page.total, "offset": page.offset,
                       "comments": [_record(v) for v in page.items]},
                      ensure_ascii=False, indent=2) + "\n"


def render_csv(page: VerbatimPage) -> str:
    """One line per comment; every text cell neutralised against spreadsheet formulas."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    ids = any(v.respondent_id is not None for v in page.items)
    w.writerow(["number", *(["comment_id", "respondent_id"] if ids else []), "question",
                "source", "attribution", "themes", "text", "min_group"])
    for v in page.items:
        rid = cell_text(v.respondent_id) if isinstance(v.respondent_id, str) else \
            v.respondent_id
        w.writerow([v.number, *([v.comment_id, rid] if ids else []),
                    *(cell_text(x) for x in (v.question, v.source, v.attribution or "",
                                             "; ".join(v.themes), v.text)), page.min_group])
    return buf.getvalue()

