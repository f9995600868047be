"""Render a page of verbatims as text, csv or json."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from heetui.engine.verbatims import Verbatim, VerbatimPage
from heetui.survey.text import safe_text


def heading(v: Verbatim) -> str:
    who = f"respondent {v.respondent_id}" if v.respondent_id is not None else \
        f"interview ({safe_text(v.attribution or 'unattributed')})"
    return f"#{v.comment_id} · {v.question} · {v.source} · {who}"


def attribute_line(v: Verbatim) -> str:
    return " · ".join(f"{k}: {safe_text(val)}" for k, val in v.attributes)


def summary(page: VerbatimPage) -> str:
    shown = f"{page.offset + 1:,}–{page.offset + len(page.items):,}" if page.items else "none"
    return (f"{safe_text(page.description)} · {page.respondents:,} respondents, "
            f"{page.total:,} comments (showing {shown})")


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


def _record(v: Verbatim) -> dict:
    return {"comment_id": v.comment_id, "respondent_id": v.respondent_id,
            "question": v.question, "text": v.text, "themes": list(v.themes),
            "theme_codes": list(v.theme_codes), "source": v.source,
            "attribution": v.attribution, "attributes": dict(v.attributes)}


def render_json(page: VerbatimPage) -> str:
    return json.dumps([_record(v) for v in page.items], ensure_ascii=False, indent=2) + "\n"


def render_csv(page: VerbatimPage) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["comment_id", "respondent_id", "question", "source", "attribution", "themes",
                "text"])
    for v in page.items:
        w.writerow([v.comment_id, v.respondent_id, v.question, v.source, v.attribution or "",
                    "; ".join(v.themes), v.text])
    return buf.getvalue()


def render(page: VerbatimPage, fmt: str, width: int = 100) -> str:
    if fmt == "json":
        return render_json(page)
    if fmt == "csv":
        return render_csv(page)
    return render_text(page, width)
