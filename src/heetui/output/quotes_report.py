"""Quotes for the report (engine.quotes) as Markdown, plain text, CSV and an Excel sheet:
per question, per theme of its frame, each starred comment with its number and who said it
as far as the disclosure rule allows. Every text from data is escaped for its format
(output.markup, output.cells)."""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterator
from pathlib import Path

from heetui.engine.quotes import QuestionQuotes, Quote, Quotes
from heetui.output.atomic import atomic_path
from heetui.output.cells import cell_text
from heetui.output.facts import one_line
from heetui.output.markup import md_text
from heetui.survey.codebook import Codebook
from heetui.survey.text import counted, safe_text

WITHHELD = "other attributes withheld: too few share them"
CSV_HEADERS = ("question", "theme", "number", "text", "attribution", "attributes_withheld",
               "source", "themes", "min_group")


def heading(q: Quotes) -> str:
    return f"Quotes: {one_line(q.survey)} ({counted(q.quoted, 'starred comment')})"


def rule_note(q: Quotes) -> str:
    return (f"Each quote is attributed by its key attributes only as far as at least "
            f"{q.min_group} of the people who commented share them; a comment coded to "
            "several themes is quoted under each, with the same number.")


def _attribution(quote: Quote) -> str:
    return one_line(quote.attribution) + (f" ({WITHHELD})" if quote.withheld else "")


def _missing(qq: QuestionQuotes) -> str:
    return (f"Starred but no longer among {qq.question}'s comments: "
            f"{', '.join(map(str, qq.missing))} (unstar them with `heetui quotes --question "
            f"{qq.question} --star ID --off`).")


def _lines(q: Quotes) -> Iterator[tuple[str, QuestionQuotes, str, Quote | None]]:
    """(kind, question, theme, quote) in the order every format writes them: "question",
    then per theme "theme" and its "quote"s."""
    for qq in q.questions:
        yield "question", qq, "", None
        for group in qq.themes:
            yield "theme", qq, group.theme, None
            for quote in group.quotes:
                yield "quote", qq, group.theme, quote


def render_md(q: Quotes) -> str:
    out = [f"# {md_text(heading(q))}", "", md_text(rule_note(q)), ""]
    for kind, qq, theme, quote in _lines(q):
        if kind == "question":
            out += [f"## {md_text(qq.question)}: {md_text(qq.text)}", ""]
            if qq.missing:
                out += [md_text(_missing(qq)), ""]
        elif kind == "theme":
            out += [f"### {md_text(theme)}", ""]
        elif quote is not None:
            out += [f"> {md_text(quote.text)}", ">",
                    f"> — {md_text(_attribution(quote))} \\[{quote.number}\\]", ""]
    return "\n".join(out)


def render_text(q: Quotes, width: int = 88) -> str:
    out = [heading(q), *textwrap.wrap(rule_note(q), width), ""]
    for kind, qq, theme, quote in _lines(q):
        if kind == "question":
            title = f"{qq.question}: {one_line(qq.text)}"
            out += [title, "=" * min(len(title), width)]
            if qq.missing:
                out += textwrap.wrap(_missing(qq), width)
            out.append("")
        elif kind == "theme":
            out += [one_line(theme), "-" * min(len(one_line(theme)), width)]
        elif quote is not None:
            body = safe_text(quote.text)
            first = True
            for para in body.split("\n") if body.strip() else ["(blank)"]:
                out += textwrap.wrap(para, width, initial_indent=f"[{quote.number}] " if first
                                     else "    ", subsequent_indent="    ",
                                     break_on_hyphens=False) or [""]
                first = False
            out += textwrap.wrap(f"— {_attribution(quote)}", width, initial_indent="    ",
                                 subsequent_indent="      ") + [""]
    return "\n".join(out)


def _record(q: Quotes, qq: QuestionQuotes, theme: str, quote: Quote) -> list[object]:
    return [*(cell_text(x) for x in (qq.question, theme)), quote.number,
            *(cell_text(x) for x in (quote.text, quote.attribution)),
            "yes" if quote.withheld else "no",
            *(cell_text(x) for x in (quote.source, "; ".join(quote.themes))), q.min_group]


def render_csv(q: Quotes) -> str:
    """One line per quote under each theme it carries; text neutralised against formulas."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_HEADERS)
    for _, qq, theme, quote in _lines(q):
        if quote is not None:
            w.writerow(_record(q, qq, theme, quote))
    return buf.getvalue()


XLSX_COLUMNS = (("Question", 14), ("Theme", 28), ("No.", 6), ("Quote", 70),
                ("Attribution", 32))


def write_xlsx(q: Quotes, path: Path, cb: Codebook | None = None, replace: bool = False
               ) -> None:
    """One sheet: the survey, the rule, then a row per quote (question, theme, number, text,
    attribution), text wrapped and rows as tall as it; written atomically."""
    from heetui.output.facts import export_lines
    from heetui.output.xlsx import add_formats, fit_row, new_workbook

    with atomic_path(Path(path), replace) as tmp:
        wb = new_workbook(tmp)
        ws = wb.add_worksheet("Quotes")
        fmt = add_formats(wb)
        ws.write_string(0, 0, heading(q), fmt["title"])
        notes = [*(export_lines(cb) if cb is not None else []), rule_note(q),
                 *(_missing(qq) for qq in q.questions if qq.missing)]
        for r, note in enumerate(notes, start=1):
            ws.write_string(r, 0, safe_text(note), None)
        top = len(notes) + 2
        for j, (name, width) in enumerate(XLSX_COLUMNS):
            ws.set_column(j, j, width)
            ws.write_string(top, j, name, fmt["th"])
        r = top
        for _, qq, theme, quote in _lines(q):
            if quote is None:
                continue
            r += 1
            texts = (qq.question, one_line(theme), "", safe_text(quote.text),
                     _attribution(quote))
            for j, text in enumerate(texts):
                if j == 2:
                    ws.write_number(r, j, quote.number, fmt["int"])
                else:
                    ws.write_string(r, j, cell_text(text), fmt["text"])
            fit_row(ws, r, [(t, w) for t, (_, w) in zip(texts, XLSX_COLUMNS, strict=True)])
        ws.freeze_panes(top + 1, 0)
        ws.repeat_rows(top)
        wb.close()
