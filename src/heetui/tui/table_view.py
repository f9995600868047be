"""The crosstab as a DataTable: base rows, percents with letters, nets, means."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable

from heetui.engine import SE_LABEL, CellRef, Crosstab, GridSummary, Row
from heetui.output.grid_output import grid_rows
from heetui.output.tables import (
    LOW_MARK,
    MEAN_BASE_LABEL,
    UNTESTED_MARK,
    base_rows,
    column_heading,
    counts_weighted,
    format_cell,
    format_se,
    marks,
    mean_bases,
    span_titles,
)
from heetui.output.text_table import wrap_words
from heetui.tui.state import ViewState

LABEL_WIDTH = 34  # the row labels' column
NARROW_LABEL_WIDTH = 26  # on a terminal narrower than the app's NARROW (no question list)
HEADER_WRAP = 13  # a heading wraps at words to this width
MAX_HEADING_LINES = 3
HEADER_MAX = 30  # a heading may widen its column to this, where the table has room
MARK = "✓ "  # before the label of a row marked for a net (Space)
GAP = " "  # before every column: cells are padded here, not by the table, so that a span's
# title can run on across its columns


def _label(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _title_slices(title: str, width: int, continued: bool) -> str:
    """A span's title line over ``width`` characters (its columns and their gaps)."""
    if not title:
        return " " * width
    text = f" {title} " if len(title) + 2 <= width else title[: max(width - 1, 1)] + "…"
    return text.center(width, "─")[:width] if not continued else text.ljust(width, "─")


def _blank(strip: Strip, start: int, end: int) -> Strip:
    """``strip`` with the characters from ``start`` to ``end`` turned to spaces, each
    keeping its style (the row's stripe and background stay)."""
    if end <= start:
        return strip
    middle = [Segment(" " * seg.cell_length, seg.style) for seg in strip.crop(start, end)]
    return Strip([*strip.crop(0, start), *middle, *strip.crop(end, strip.cell_length)])


def _heading(text: str, width: int) -> list[str]:
    """A heading's lines, at most MAX_HEADING_LINES; a longer one is shortened before its
    last line, which holds the column's letter."""
    lines = wrap_words(text, width)
    if len(lines) <= MAX_HEADING_LINES:
        return lines
    keep = lines[:MAX_HEADING_LINES - 1]
    keep[-1] = keep[-1][: width - 1] + "…"
    return [*keep, lines[-1]]


class CrosstabTable(DataTable[Text]):
    """Renders a ``Crosstab``; holds no numbers of its own. The row labels stay in place
    while the columns scroll; a title line names each span over its columns."""

    DEFAULT_CSS = """
    CrosstabTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("shift+right,greater_than_sign", "page_right", "Page right", show=False,
                id="table.page_right",
                key_display=">", tooltip="wide banner: the next page of columns (also "
                "shift+→); ← → move a column at a time, Home and End to the first and last"),
        Binding("shift+left,less_than_sign", "page_left", "Page left", show=False,
                id="table.page_left",
                key_display="<", tooltip="wide banner: the previous page of columns (also "
                "shift+←)"),
    ]

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, disabled: bool = False) -> None:
        super().__init__(zebra_stripes=True, cursor_type="cell", fixed_columns=2,
                         cell_padding=0, name=name, id=id, classes=classes, disabled=disabled)
        self.crosstab: Crosstab | None = None
        self.marked: set[str] = set()  # keys of the rows marked (Space), of one question
        self._label_width = LABEL_WIDTH

    def show(self, ct: Crosstab, view: ViewState, label_width: int = LABEL_WIDTH) -> None:
        cursor = self.cursor_coordinate
        same = self.crosstab is not None and self.crosstab.question.id == ct.question.id
        self.marked = {k for k in self.marked if same and k.removeprefix("row:") in {
            r.key for r in ct.rows}} if not isinstance(ct, GridSummary) else set()
        self.crosstab = ct
        self._label_width = label_width
        self.clear(columns=True)
        if isinstance(ct, GridSummary):  # a row per item
            self._show_grid(ct, view, label_width)
        else:
            self._show_crosstab(ct, view, label_width)
        if cursor.row < self.row_count and cursor.column < len(self.columns):
            self.cursor_coordinate = cursor

    def _show_grid(self, ct: GridSummary, view: ViewState, label_width: int) -> None:
        """A grid's summary: a row per item (its letter and base), a column per scale
        point, net and mean."""
        heads, rows = grid_rows(ct, view.show, letters=view.letters)
        keys = ["base"] + (["wbase", "ebase"] if ct.weighted else [])
        for r in ct.rows:
            keys += [f"m:{r.key}"] + ([f"se:{r.key}"] if r.has_se else []) \
                + ([f"mb:{r.key}"] if mean_bases(ct, r) is not None else [])
        widths = [max([len(v[i]) for _, v in rows] + [5, min(max(len(w) for w in wrap_words(
            h, HEADER_WRAP)), HEADER_WRAP)]) for i, h in enumerate(heads)]
        lines = [_heading(h, w) for h, w in zip(heads, widths, strict=True)]
        depth = min(max(len(x) for x in lines), MAX_HEADING_LINES)
        self.header_height = depth
        self.add_column(Text(""), key="label", width=label_width + 1)
        for key, head, w in zip(keys, lines, widths, strict=True):
            head = [""] * (depth - len(head)) + head[:depth]
            self.add_column(Text("\n".join(GAP + x.rjust(w) for x in head), style="bold",
                                 justify="right"), key=key, width=w + len(GAP))
        measure = {f"m:{r.key}": r for r in ct.rows}
        for i, (c, (label, values)) in enumerate(zip(ct.columns, rows, strict=True)):
            cells = []
            for key, value, w in zip(keys, values, widths, strict=True):
                t = Text(GAP + value.rjust(w), style="" if key in measure else "dim")
                sig = marks(measure[key].cells[i]) if key in measure and view.letters else ""
                if sig:
                    start = t.plain.rfind(sig)
                    t.stylize("bold reverse", start, start + len(sig))
                cells.append(t)
            self.add_row(Text(_label(label, label_width)), *cells, key=f"item:{c.key}")

    def _show_crosstab(self, ct: Crosstab, view: ViewState, label_width: int) -> None:
        cw = counts_weighted(ct, view.show)
        body = [(r, [format_cell(c, r, view.show, view.decimals, view.letters, cw)
                     for c in r.cells]) for r in ct.rows]
        bases = base_rows(ct)
        titles = span_titles(ct)
        ses = [[format_se(c, r) for c in r.cells] for r in ct.rows if r.has_se]
        widths = []
        for i, c in enumerate(ct.columns):
            widest = max([len(v[i]) for _, v in bases] + [len(v[i]) for _, v in body]
                         + [len(v[i]) for v in ses] + [5])
            words = max(len(w) for w in wrap_words(column_heading(c), HEADER_WRAP))
            widths.append(max(widest, min(words, HEADER_WRAP)))
        widths = self._widen(ct, widths, label_width)
        heads = [_heading(column_heading(c), w) for c, w in zip(ct.columns, widths, strict=True)]
        depth = min(max(len(h) for h in heads), MAX_HEADING_LINES)
        spans = ct.banner is not None
        self.header_height = depth + spans
        self.add_column(Text(""), key="label", width=label_width + 1)
        for i, c in enumerate(ct.columns):
            lines = heads[i][:depth]
            lines = [""] * (depth - len(lines)) + lines  # headings sit on the table
            head = Text(justify="right")
            if spans:
                head.append(self._title_part(titles, widths, i), style="bold")
                head.append("\n")
            head.append("\n".join(GAP + line.rjust(widths[i]) for line in lines), style="bold")
            self.add_column(head, key=c.key, width=widths[i] + len(GAP))
        for label, values in bases:
            cells = [Text(GAP + v.rjust(w), style="dim italic") for v, w in zip(values, widths,
                                                                                strict=True)]
            for cell in cells:
                cell.highlight_words([LOW_MARK, UNTESTED_MARK], style="bold reverse")
            self.add_row(Text(label, style="dim italic"), *cells, key=f"base:{label}")
        for r, texts in body:
            style = "bold" if r.is_summary else ""
            row_cells = []
            for value, raw, w in zip(r.cells, texts, widths, strict=True):
                txt = GAP + raw.rjust(w)
                t = Text(txt, style=style)
                sig = marks(value)
                if view.letters and sig:
                    start = txt.rfind(sig)  # the only letters in a cell are its marks
                    t.stylize("bold reverse", start, start + len(sig))
                row_cells.append(t)
            self.add_row(self._row_label(r), *row_cells, key=f"row:{r.key}")
            if r.has_se:
                se_cells = [Text(GAP + format_se(c, r).rjust(w), style="dim")
                            for c, w in zip(r.cells, widths, strict=True)]
                self.add_row(Text(f"  {SE_LABEL}", style="dim"), *se_cells, key=f"se:{r.key}")
            own = mean_bases(ct, r)
            if own is not None:
                self.add_row(Text(f"  {MEAN_BASE_LABEL}", style="dim italic"),
                             *[Text(GAP + v.rjust(w), style="dim italic")
                               for v, w in zip(own, widths, strict=True)],
                             key=f"meanbase:{r.key}")

    def _row_label(self, r: Row) -> Text:
        """A row's label, after MARK when the row is marked."""
        mark = MARK if f"row:{r.key}" in self.marked else ""
        return Text(mark + _label(r.display_label, self._label_width - len(mark)),
                    style="bold" if r.is_summary else "")

    def toggle_mark(self, row_key: str) -> bool:
        """Mark a row of the table, or unmark it; False when it is no row of answers, nets
        or values (a base, or a grid's item)."""
        row = self.row_of(row_key)
        if row is None:
            return False
        self.marked ^= {row_key}
        self.update_cell(row_key, "label", self._row_label(row))
        return True

    def clear_marks(self) -> None:
        for row_key in list(self.marked):
            self.toggle_mark(row_key)

    def row_of(self, row_key: str) -> Row | None:
        """The crosstab row a table row shows (not a base, a standard error or a grid)."""
        ct = self.crosstab
        kind, _, key = row_key.partition(":")
        if ct is None or isinstance(ct, GridSummary) or kind != "row":
            return None
        return next((r for r in ct.rows if r.key == key), None)

    def marked_rows(self) -> list[Row]:
        """The rows marked, in the table's order."""
        return [r for r in (self.crosstab.rows if self.crosstab is not None
                            and not isinstance(self.crosstab, GridSummary) else ())
                if f"row:{r.key}" in self.marked]

    def _widen(self, ct: Crosstab, widths: list[int], label_width: int) -> list[int]:
        """Widths at which no heading is shortened, where the table has room for them: a
        heading that needs more than MAX_HEADING_LINES lines at HEADER_WRAP (a profile
        group's "Seniority = Chair/CEO/Executive Director (A)") gets the width it needs, up
        to HEADER_MAX, while the table still fits the width it is shown in."""
        room = self.scrollable_content_region.width - (label_width + 1) - sum(
            w + len(GAP) for w in widths)
        out = list(widths)
        for i, c in enumerate(ct.columns):
            text = column_heading(c)
            if len(wrap_words(text, out[i])) <= MAX_HEADING_LINES:
                continue
            need = next((w for w in range(out[i] + 1, HEADER_MAX + 1)
                         if len(wrap_words(text, w)) <= MAX_HEADING_LINES), None)
            if need is not None and need - out[i] <= room:
                room -= need - out[i]
                out[i] = need
        return out

    @staticmethod
    def _title_part(titles: list[str], widths: list[int], i: int) -> str:
        """Column i's slice of its span's title line, which runs on across the span."""
        first = i
        while first > 0 and titles[first - 1] == titles[i]:
            first -= 1
        last = i
        while last + 1 < len(titles) and titles[last + 1] == titles[i]:
            last += 1
        total = sum(widths[k] + len(GAP) for k in range(first, last + 1))
        line = _title_slices(titles[i], total - len(GAP), False)
        start = sum(widths[k] + len(GAP) for k in range(first, i))
        full = " " + line  # the gap before the span's first column stays blank
        return full[start:start + widths[i] + len(GAP)]

    # ---- sideways scrolling: only whole cells are drawn ---------------------------------

    def _scrolled_columns(self) -> list[tuple[int, int]]:
        """Where each scrolling column (after the fixed label and Total) lies in the
        scrolled content, as (start, end) offsets from its left edge."""
        out, x = [], 0
        for column in self.ordered_columns[self.fixed_columns:]:
            w = column.get_render_width(self)
            out.append((x, x + w))
            x += w
        return out

    def _fixed_width(self) -> int:
        return sum(c.get_render_width(self) for c in self.ordered_columns[:self.fixed_columns])

    def _cut(self) -> list[tuple[int, int]]:
        """The parts of the widget's lines (x ranges) where a scrolling column shows only in
        part, at the left edge (beside Total) or the right: drawn, they would read as a
        different number ("31%" as "1%", or run into Total's "31%" as "31%8%")."""
        left = self._fixed_width()
        view = self.scrollable_content_region.width - left
        shift = int(self.scroll_x)
        cuts = []
        for start, end in self._scrolled_columns():
            a, b = start - shift, end - shift
            if b <= 0 or a >= view or (a >= 0 and b <= view):
                continue  # out of view, or whole
            cuts.append((left + max(a, 0), left + min(b, view)))
        return cuts

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        for start, end in self._cut():
            strip = _blank(strip, start, end)
        return strip

    def _whole_columns(self) -> tuple[int, int] | None:
        """The first and last scrolling column shown whole (indexes among the scrolling
        columns), or None when none is."""
        view = self.scrollable_content_region.width - self._fixed_width()
        shift = int(self.scroll_x)
        whole = [i for i, (a, b) in enumerate(self._scrolled_columns())
                 if a >= shift and b - shift <= view]
        return (whole[0], whole[-1]) if whole else None

    def _show_from(self, first: int) -> None:
        """Scroll so that scrolling column ``first`` is the first shown, with the cursor on
        it (same row)."""
        spans = self._scrolled_columns()
        if not spans:
            return
        first = max(0, min(first, len(spans) - 1))
        self.scroll_to(x=min(spans[first][0], self.max_scroll_x), animate=False, force=True)
        self.move_cursor(column=self.fixed_columns + first, scroll=False)

    def action_page_right(self) -> None:
        """The columns after the last one shown whole, from the first of them."""
        shown = self._whole_columns()
        self._show_from(shown[1] + 1 if shown else 0)

    def action_page_left(self) -> None:
        """The columns before the first one shown whole, as many as fit, ending with the
        one just before it."""
        shown = self._whole_columns()
        spans = self._scrolled_columns()
        if not shown or not spans:
            return
        view = self.scrollable_content_region.width - self._fixed_width()
        end = spans[max(shown[0] - 1, 0)][1]
        first = next(i for i, (a, _) in enumerate(spans) if end - a <= view or a == spans[
            max(shown[0] - 1, 0)][0])
        self._show_from(first)

    def column_info(self, column_key: str) -> str:
        """Which column the cursor is on: its heading, letter and span (a grid: the scale
        point, net or mean)."""
        ct = self.crosstab
        if ct is None:
            return ""
        if isinstance(ct, GridSummary):
            _, _, key = column_key.partition(":")
            return next((r.display_label for r in ct.rows if r.key == key), "")
        for c, title in zip(ct.columns, span_titles(ct), strict=True):
            if c.key == column_key:
                return column_heading(c) + (f" · {title}" if title else "")
        return ""

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
        if isinstance(ct, GridSummary):  # a row per item: the item's answers in the column
            item = row_key.partition(":")[2]
            kind, _, key = column_key.partition(":")
            row = next((r for r in ct.rows if r.key == key), None) if kind == "m" else None
            return CellRef(question=item, codes=row.codes if row else (),
                           row_label=row.label if row else "")
        column = next((c for c in ct.columns if c.key == column_key), ct.columns[0])
        kind, _, key = row_key.partition(":")
        row = next((r for r in ct.rows if r.key == key), None) if kind != "base" else None
        if ct.group:  # a group-vs-rest banner: the group, the rest, or everyone
            return CellRef(question=ct.question.id, codes=row.codes if row else (),
                           row_label=row.label if row else "", group=ct.group,
                           in_group={1: True, 2: False}.get(column.code or 0))
        return CellRef(question=ct.question.id, codes=row.codes if row else (),
                       row_label=row.label if row else "", column=column.filters,
                       view=tuple(c.filters for c in ct.columns if c.filters))

    def cell_text(self, row_key: str, column_key: str) -> str:
        """Plain text of one cell, without alignment padding (used by tests and copy)."""
        return str(self.get_cell(row_key, column_key)).strip()
