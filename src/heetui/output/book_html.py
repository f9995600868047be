"""A tab book as one self-contained HTML page: the survey and settings, the legend, a
contents list linked to every table, the findings (each linked to its table), then every
table with its span header row. Inline CSS only, no script, no external resource; prints
on A4 landscape with each table on a new page and no row cut across pages.

Every text from data or a codebook goes through ``h`` (control characters made visible,
then html.escape: output.markup.html_text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heetui.engine.book import Book, Finding
from heetui.engine.disclosure import WITHHELD_MARK
from heetui.engine.results import SE_LABEL, Crosstab, GridSummary
from heetui.output.book_text import (
    book_facts,
    book_legend,
    differences,
    findings_note,
    gap_text,
    p_text,
    value_text,
)
from heetui.output.grid_output import grid_rows
from heetui.output.markup import html_text as h
from heetui.output.tables import (
    PERCENTS,
    Shown,
    base_mark,
    base_text,
    column_heading,
    counts_weighted,
    format_cell,
    format_se,
    legend,
    marks,
    question_title,
    span_titles,
    state_line,
    table_name,
    untested_notes,
)
from heetui.survey.codebook import Codebook

MANY_COLUMNS = 12  # wider banners print in a smaller type

CSS = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #c9c9c9; --span: #ddebf7; --sig: #1f4e79; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); margin: 24px auto; max-width: 1500px; padding: 0 24px; }
h1 { font-size: 1.6em; margin: 0 0 .6em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .4em; }
a { color: #0b57a4; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25em 1em;
           margin: 0 0 1em; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
dl.facts dd.note { font-style: italic; color: var(--muted); }
ul.legend { margin: .2em 0 1em 1.2em; padding: 0; color: var(--muted); }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: .4em 0 .6em; }
th, td { padding: 3px 8px; vertical-align: top; }
thead th { border-bottom: 1px solid var(--ink); vertical-align: bottom; }
table.list th { text-align: left; }
table.list td.n, table.list th.n, td.num, th.num { text-align: right;
           font-variant-numeric: tabular-nums; white-space: nowrap; }
table.list tr:nth-child(even) td { background: #f6f6f6; }
table.list td.text { min-width: 16em; }
table.xt th.span { background: var(--span); text-align: center; }
table.xt thead tr.heads th { text-align: center; font-weight: 600; max-width: 9em;
                             min-width: 4.5em; }
table.xt tbody th { text-align: left; font-weight: normal; max-width: 26em; }
table.xt tbody.bases th, table.xt tbody.bases td { font-style: italic; color: var(--muted); }
table.xt tbody.bases tr:last-child > * { border-bottom: 1px solid var(--rule); }
table.xt tr.summary th, table.xt tr.summary td { font-weight: 600; }
table.xt tr.se th, table.xt tr.se td { color: var(--muted); font-size: .9em; }
table.xt thead th { overflow-wrap: break-word; }
table.xt td { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.xt td.v { text-align: right; padding-right: 1px; }
table.xt td.m { text-align: left; padding-left: 3px; color: var(--sig); font-weight: 700;
                min-width: 1.6em; }
p.state, p.legend, p.note { color: var(--muted); margin: .2em 0; }
p.legend, p.note { font-size: .9em; max-width: 110em; }
p.back { font-size: .9em; margin: .3em 0 0; }
section.tab { margin-top: 2.2em; border-top: 2px solid var(--rule); }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 9pt; margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .wide { overflow: visible; }
  table.xt thead th { overflow-wrap: anywhere; }  /* squeeze a wide banner, never cut it */
  section.many table.xt { font-size: 7pt; }
  section.many table.xt th, section.many table.xt td { padding: 2px 3px; }
  section.tab, section.findings { break-before: page; border-top: none; margin-top: 0; }
  tr, dl.facts > * { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  p.back { display: none; }
  table.list tr:nth-child(even) td { background: none; }
}
"""


def anchor(i: int) -> str:
    return f"table-{i + 1}"


def render_book_html(book: Book, cb: Codebook, shown: Shown = PERCENTS) -> str:
    """The whole book as one HTML page (a str, UTF-8 when written); ``shown``: percents,
    counts, or both in each cell ("31% (187)")."""
    title = f"{h(cb.title)}: tab book"
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{title}</title>", f"<style>{CSS}</style>", "</head>",
           "<body>", f"<h1>{title}</h1>", '<dl class="facts">']
    for label, text in book_facts(book, cb):
        lines = "<br>".join(h(x) for x in text.split("\n"))
        note = ' class="note"' if label == "Data" else ""
        out.append(f"<dt>{h(label)}</dt><dd{note}>{lines}</dd>")
    out.append("</dl>")
    legend_lines = book_legend(book)
    if legend_lines:
        out += ["<h2>Legend</h2>", '<ul class="legend">']
        out += [f"<li>{h(x)}</li>" for x in legend_lines]
        out.append("</ul>")
    out += _contents(book, shown.ids) + _findings(book, shown.ids)
    for i, ct in enumerate(book.tables):
        out += _TABLES[ct.kind](i, ct, shown)
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _contents(book: Book, ids: bool) -> list[str]:
    question = "<th>Question</th>" if ids else ""
    out = ['<nav id="contents" aria-label="Contents">', "<h2>Contents</h2>",
           f'<p><a href="#findings">Findings: {differences(len(book.findings))}</a></p>',
           '<div class="wide"><table class="list">',
           f'<thead><tr><th class="n">Table</th>{question}<th>Text</th>'
           '<th class="n">Base</th><th>Base description</th></tr></thead>', "<tbody>"]
    for i, ct in enumerate(book.tables):
        qid = f'<td><a href="#{anchor(i)}">{h(ct.question.id)}</a></td>' if ids else ""
        out.append(f'<tr><td class="n"><a href="#{anchor(i)}">{i + 1}</a></td>{qid}'
                   f'<td class="text">{h(ct.question.text)}</td>'
                   f'<td class="n">{ct.total.base:,}</td><td>{h(ct.base_text)}</td></tr>')
    out += ["</tbody></table></div>", "</nav>"]
    return out


def _findings(book: Book, ids: bool) -> list[str]:
    out = ['<section class="findings" id="findings">', "<h2>Findings</h2>",
           f'<p class="note">{h(findings_note(book))}</p>']
    if not book.findings:
        return out + ["<p>No significant difference.</p>", "</section>"]
    out += ['<div class="wide"><table class="list">',
            '<thead><tr><th class="n">#</th><th>Table</th><th>Question</th><th>Row</th>'
            '<th>Higher</th><th class="n"></th><th>Lower</th><th class="n"></th>'
            '<th class="n">Gap</th><th class="n">p</th><th class="n">p adj.</th></tr></thead>',
            "<tbody>"]
    for n, f in enumerate(book.findings, 1):
        out.append(_finding_row(n, f, ids))
    out += ["</tbody></table></div>", '<p class="back"><a href="#contents">Contents</a></p>',
            "</section>"]
    return out


def _finding_row(n: int, f: Finding, ids: bool) -> str:
    return (f'<tr><td class="n">{n}</td>'
            f'<td><a href="#{anchor(f.table)}">'
            f'{h(table_name(f.table, f.question, ids)).replace(" ", "&nbsp;", 1)}</a></td>'
            f'<td class="text">{h(f.question_text)}</td><td>{h(f.row)}</td>'
            f'<td>{h(f.higher)}</td><td class="n">{value_text(f, f.higher_value)}</td>'
            f'<td>{h(f.lower)}</td><td class="n">{value_text(f, f.lower_value)}</td>'
            f'<td class="n">{gap_text(f)}</td><td class="n">{p_text(f.p_value)}</td>'
            f'<td class="n">{p_text(f.p_adjusted)}</td></tr>')


def _grid_table(i: int, ct: GridSummary, shown: Shown) -> list[str]:
    """A grid's summary as ``heetui tab`` shows it: a row per item, a column per scale
    point, net and mean."""
    heads, rows = grid_rows(ct, shown.show)
    many = " many" if len(heads) > MANY_COLUMNS else ""
    out = [f'<section class="tab{many}" id="{anchor(i)}">',
           f"<h2>Table {i + 1}. {h(question_title(ct, shown.ids))}</h2>",
           f'<p class="state">{h(state_line(ct))}</p>', '<div class="wide"><table class="xt">',
           "<thead>", '<tr class="heads"><th scope="col">Item</th>'
           + "".join(f'<th colspan="2" scope="col">{breakable(x)}</th>' for x in heads)
           + "</tr>", "</thead>", "<tbody>"]
    out += [_line(label, [(v, "") for v in values]) for label, values in rows]
    out += ["</tbody></table></div>"]
    notes = [shown.note(ct), legend(ct), *untested_notes(ct)]
    out += [f'<p class="legend">{h(x)}</p>' for x in notes if x]
    out += ['<p class="back"><a href="#contents">Contents</a> · '
            '<a href="#findings">Findings</a></p>', "</section>"]
    return out


def _table(i: int, ct: Crosstab, shown: Shown) -> list[str]:
    """A table as ``heetui tab`` shows it: each banner column is two cells, the value
    (right-aligned, so that values line up) and its letters or base mark."""
    ncols = len(ct.columns)
    many = " many" if ncols > MANY_COLUMNS else ""
    out = [f'<section class="tab{many}" id="{anchor(i)}">',
           f"<h2>Table {i + 1}. {h(question_title(ct, shown.ids))}</h2>",
           f'<p class="state">{h(state_line(ct))}</p>', '<div class="wide"><table class="xt">',
           "<thead>"]
    if ct.banner is not None:
        titles = span_titles(ct)
        cells = ['<th colspan="2"></th>']
        k = 1
        while k < ncols:
            j = k
            while j + 1 < ncols and titles[j + 1] == titles[k]:
                j += 1
            cells.append(f'<th class="span" colspan="{2 * (j - k + 1)}" scope="colgroup">'
                         f"{breakable(titles[k])}</th>")
            k = j + 1
        out.append('<tr class="spans"><th></th>' + "".join(cells) + "</tr>")
    heads = "".join(f'<th colspan="2" scope="col">{breakable(column_heading(c))}</th>'
                    for c in ct.columns)
    out += [f'<tr class="heads"><th></th>{heads}</tr>', "</thead>", '<tbody class="bases">',
            _line("Base (unweighted)", [(WITHHELD_MARK if c.withheld else str(c.base),
                                         base_mark(c)) for c in ct.columns])]
    if ct.weighted:
        out += [_line("Base (weighted)", [(base_text(c, c.weighted_base), "")
                                          for c in ct.columns]),
                _line("Base (effective)", [(base_text(c, c.effective_base), "")
                                           for c in ct.columns])]
    out += ["</tbody>", "<tbody>"]
    for row in ct.rows:
        out.append(_line(row.display_label,
                         [(format_cell(cell, row, shown.show, letters=False,
                                       count_weighted=counts_weighted(
                                           ct, shown.show, shown.weighted_counts)),
                           marks(cell))
                          for cell in row.cells], "summary" if row.is_summary else ""))
        if row.has_se:
            out.append(_line(f"  {SE_LABEL}", [(format_se(cell, row), "")
                                               for cell in row.cells], "se"))
    out += ["</tbody></table></div>"]
    notes = [shown.note(ct), legend(ct), *untested_notes(ct)]
    out += [f'<p class="legend">{h(x)}</p>' for x in notes if x]
    out += ['<p class="back"><a href="#contents">Contents</a> · '
            '<a href="#findings">Findings</a></p>', "</section>"]
    return out


# a table's section by its type (Crosstab.kind, GridSummary.kind)
_TABLES: dict[str, Callable[[int, Any, Shown], list[str]]] = {
    Crosstab.kind: _table, GridSummary.kind: _grid_table}


def _line(label: str, cells: list[tuple[str, str]], cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    tds = "".join(f'<td class="v">{h(v)}</td><td class="m">{h(m)}</td>' for v, m in cells)
    return f'<tr{klass}><th scope="row">{h(label).replace("  ", "&nbsp;&nbsp;")}</th>{tds}</tr>'


def breakable(text: str) -> str:
    """Escaped, with a break opportunity after each "/" (Chair/CEO/Executive Director)."""
    return h(text).replace("/", "/<wbr>")
