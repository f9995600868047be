"""The crosstab as a DataTable: base rows, percents with letters, nets, means."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from heetui.engine.results import Crosstab
from heetui.engine.verbatims import CellRef
from heetui.output.tables import (
    LOW_MARK,
    UNTESTED_MARK,
    base_rows,
    column_heading,
    format_cell,
    format_se,
)
from heetui.tui.state import ViewState

LABEL_WIDTH = 34
HEADER_WRAP = 13


def _label(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class CrosstabTable(DataTable):
    """Renders a ``Crosstab``; holds no numbers of its own."""

    DEFAULT_CSS = """
    CrosstabTable { height: 1fr; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(zebra_stripes=True, cursor_type="cell", **kwargs)  # type: ignore[arg-type]
        self.crosstab: Crosstab | None = None

    def show(self, ct: Crosstab, view: ViewState, label_width: int = LABEL_WIDTH) -> None:
        cursor = self.cursor_coordinate
        self.crosstab = ct
        self.clear(columns=True)
        body = [(r, [format_cell(c, r, view.show, 0, view.letters) for c in r.cells])
                for r in ct.rows]
        bases = base_rows(ct)
        self.header_height = 1
        self.add_column(Text(""), key="label", width=label_width)
        widths = []
        for i, c in enumerate(ct.columns):
            widest = max([len(v[i]) for _, v in bases] + [len(v[i]) for _, v in body] + [6])
            width = max(widest, min(len(column_heading(c)), HEADER_WRAP))
            lines = textwrap.wrap(column_heading(c), width) or [""]
            self.header_height = max(self.header_height, min(len(lines), 3))
            head = Text("\n".join(lines[:3]), style="bold", justify="right")
            self.add_column(head, key=c.key, width=width)
            widths.append(width)
        for label, values in base_rows(ct):
            cells = [Text(v.rjust(w), style="dim italic") for v, w in zip(values, widths,
                                                                          strict=True)]
            for cell in cells:
                cell.highlight_words([LOW_MARK, UNTESTED_MARK], style="bold reverse")
            self.add_row(Text(label, style="dim italic"), *cells, key=f"base:{label}")
        for r, texts in body:
            label = f"NET: {r.label}" if r.kind == "net" else r.label
            style = "bold" if r.kind in ("net", "mean", "score") else ""
            cells = []
            for cell, raw, w in zip(r.cells, texts, widths, strict=True):
                txt = raw.rjust(w)
                t = Text(txt, style=style)
                if view.letters and cell.sig:
                    letters = "".join(cell.sig)
                    start = txt.rfind(letters)  # the only letters in a cell are sig letters
                    t.stylize("bold reverse", start, start + len(letters))
                cells.append(t)
            self.add_row(Text(_label(label, label_width), style=style), *cells,
                         key=f"row:{r.key}")
            if r.kind in ("mean", "score"):
                ses = [Text(format_se(c, r).rjust(w), style="dim")
                       for c, w in zip(r.cells, widths, strict=True)]
                self.add_row(Text("  standard error", style="dim"), *ses, key=f"se:{r.key}")
        if cursor.row < self.row_count and cursor.column < len(self.columns):
            self.cursor_coordinate = cursor

    def place_cursor(self, row_key: str, column_key: str) -> None:
        try:
            self.cursor_coordinate = Coordinate(self.get_row_index(row_key),
                                                self.get_column_index(column_key))
        except Exception:  # the row is not in this table (e.g. a filtered-out option)
            return

    def cell_ref(self, row_key: str, column_key: str) -> CellRef | None:
        """The crosstab cell under a table position (base rows: the whole column)."""
        ct = self.crosstab
        if ct is None:
            return None
        column = next((c for c in ct.columns if c.key == column_key), ct.columns[0])
        kind, _, key = row_key.partition(":")
        row = next((r for r in ct.rows if r.key == key), None) if kind != "base" else None
        if ct.group:  # a group-vs-rest banner: the group, the rest, or everyone
            return CellRef(question=ct.question.id, codes=row.codes if row else (),
                           row_label=row.label if row else "", group=ct.group,
                           in_group={1: True, 2: False}.get(column.code or 0))
        return CellRef(question=ct.question.id, codes=row.codes if row else (),
                       row_label=row.label if row else "", column=column.filters)

    def cell_text(self, row_key: str, column_key: str) -> str:
        """Plain text of one cell, without alignment padding (used by tests and copy)."""
        return str(self.get_cell(row_key, column_key)).strip()
