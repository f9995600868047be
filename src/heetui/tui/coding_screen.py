"""The coding view's keys and edits: digits code the highlighted comment, search-and-apply
codes every hit, and the frame's themes are added, renamed, deleted, merged, moved and
netted; every edit is the engine's (``engine.coding``), written by ``engine.apply_edit`` and
kept for undo with the app's other edits of the session (tui/edit_actions)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from textual import on, work
from textual.binding import Binding
from textual.widgets import OptionList

from heetui import engine
from heetui.engine import Edit
from heetui.output.help import CODING_HELP, CODING_KEYS
from heetui.survey.codebook import Theme
from heetui.tui.coding_modals import Confirm, ThemePicker
from heetui.tui.coding_view import CodingView
from heetui.tui.edit_actions import Severity, apply_edits, undo_last
from heetui.tui.edit_modals import EditDialog, Field
from heetui.tui.failures import attempted
from heetui.tui.search_key import SEARCH_BINDING


def _digit(i: int) -> Binding:
    """The key of theme ``i`` of the theme list; the help page and the footer show the
    first as all nine (the others are left out of them as system keys)."""
    return Binding(str(i), f"code({i})", "Code", key_display="1…9" if i == 1 else None,
                   show=i == 1, system=i > 1, id=f"coding.theme_{i}",
                   tooltip="toggle the theme with that number in the theme list on the "
                   "highlighted comment (coded, or uncoded if it was)")


class CodingScreen(CodingView):
    """The coding view with its keys: coding comments and editing the frame, each edit
    written to the workspace by ``engine.apply_edit`` and said on the line under the
    comments (which file was written); a refused one is one sentence."""

    BINDINGS = [  # in the footer's order, most useful first
        *[_digit(i) for i in range(1, 10)],
        Binding("n", "next_uncoded", "Next uncoded", id="coding.next_uncoded",
                tooltip="the next comment carrying no theme, from the highlighted one on "
                "(round to the start); shows the question's whole list"),
        replace(SEARCH_BINDING, id="coding.search",
                tooltip='search the comments: words, or a "quoted phrase"; Enter lists the '
                "hits to review (digits code them one by one, A all at once)"),
        Binding("A", "apply_hits", "Code all hits", key_display="A", id="coding.apply_hits",
                tooltip="code every comment the search finds with a theme picked from a "
                "list (kept as the search: a later wave's comments that match are coded "
                "too)"),
        Binding("a", "add_theme", "New theme", id="coding.add_theme",
                tooltip="add a theme at the end of the frame: asks its label"),
        Binding("u", "undo", "Undo", id="coding.undo",
                tooltip="undo the last edit made in this session: the workspace file as "
                "it was before it"),
        Binding("t", "themes", "Themes", id="coding.themes",
                tooltip="to the theme list: Enter toggles the highlighted theme on the "
                "highlighted comment; r, d, m, [, ], f act on the highlighted theme"),
        Binding("U", "only_uncoded", "Uncoded only", key_display="U", id="coding.uncoded",
                tooltip="list only the comments carrying no theme (again: every comment)"),
        Binding("f", "only_theme", "Only theme", id="coding.only_theme",
                tooltip="list only the comments carrying the highlighted theme (again: "
                "every comment)"),
        Binding("r", "rename_theme", "Rename", id="coding.rename",
                tooltip="rename the highlighted theme"),
        Binding("d", "delete_theme", "Delete", id="coding.delete",
                tooltip="delete the highlighted theme, after asking: its comments lose it"),
        Binding("m", "merge_theme", "Merge", id="coding.merge",
                tooltip="merge the highlighted theme into another picked from a list: its "
                "comments carry that one, and it leaves the frame"),
        Binding("left_square_bracket", "move_theme(-1)", "Move up", key_display="[",
                id="coding.move_up", tooltip="move the highlighted theme up the frame"),
        Binding("right_square_bracket", "move_theme(1)", "Move down", key_display="]",
                id="coding.move_down", tooltip="move the highlighted theme down the frame"),
        Binding("plus", "net", "Net", key_display="+", id="coding.net",
                tooltip="a net of themes: asks its label and its themes (their numbers or "
                "labels); it tabulates as a row of the question's theme table"),
        Binding("pagedown", "page(1)", "Next page", key_display="PgDn", priority=True,
                id="coding.next_page", tooltip="next 50 comments"),
        Binding("pageup", "page(-1)", "Prev page", key_display="PgUp", priority=True,
                id="coding.prev_page", tooltip="previous 50 comments"),
        Binding("escape", "back", "Back", id="coding.back",
                tooltip="back to where the coding view was opened (from the search box or "
                "the theme list: back to the comments)"),
    ]
    HELP_NAME = "coding"
    HELP_TITLE = "Keys of the coding view"
    HELP_KEYS = CODING_KEYS
    HELP_NOTES = CODING_HELP

    # ---- writing ---------------------------------------------------------------------------

    def edit(self, make: Callable[[], Edit], theme: int | None = None) -> bool:
        """Make the edit and write it; the line under the comments says what was written
        where, or a notification the one sentence refusing it. The list is read again,
        on the same comment (and the theme list on ``theme``, when given)."""
        done, error, severity = apply_edits(self.survey, lambda: [make()], self.edits)
        if done:
            self.changed = True
            self.status(done[0].message)
            self._reload(theme)
        if error is not None:
            self.notify(error, severity=severity)
        return error is None

    def _reload(self, theme: int | None = None) -> None:
        comment = self.comment()
        index = self.query_one("#clist", OptionList).highlighted or 0
        if theme is not None:
            self.show_themes()  # the frame as edited: then the theme to highlight on it
            panel = self.query_one("#cthemes", OptionList)
            codes = [t.code for t in self.frame_themes()]
            if theme in codes:
                panel.highlighted = codes.index(theme)
        self.load((comment.key if comment is not None else None, index))

    def action_undo(self) -> None:
        undone, error, severity = undo_last(self.survey, self.edits)
        if undone:
            self.changed = True
            self.status("\n".join(undone))
            self._reload()
        if error is not None:
            self.notify(error, severity=severity)

    # ---- coding comments -----------------------------------------------------------------

    def action_code(self, number: int) -> None:
        themes = self.frame_themes()
        if number > len(themes):
            has = f"only {len(themes)} theme{'s' * (len(themes) > 1)}" if themes else \
                "no theme yet"
            self.notify(f"{self.question} has {has}: a adds one.", severity="warning")
            return
        self.code_theme(themes[number - 1].code)

    def code_theme(self, code: int) -> None:
        """Toggle the theme on the highlighted comment (once the page asked for shows)."""
        if self.defer(partial(self.code_theme, code)):
            return
        comment = self.comment()
        if comment is None:
            self.notify("No comment is highlighted to code.", severity="warning")
            return
        self.edit(lambda: engine.coding.code_comment(self.survey, self.question, comment.key,
                                                     str(code)))

    @on(OptionList.OptionSelected, "#cthemes")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.code_theme(int(event.option.id[1:]))

    def _offered(self, leave_out: int | None = None) -> list[tuple[int, Theme, int]]:
        """The themes a picker offers: number, theme, comments carrying it."""
        per = {t.code: n for t, n in self.counts.themes} if self.counts else {}
        return [(i, t, per.get(t.code, 0)) for i, t in enumerate(self.frame_themes(), 1)
                if t.code != leave_out]

    def action_apply_hits(self) -> None:
        """Search-and-apply: every comment the search finds gets a theme picked (the hits
        counted in a worker first, for the picker to name)."""
        search = self.selection.search.strip()
        if not search:
            self.notify("Search first (/), then A codes every comment found.",
                        severity="warning")
        elif not self._offered():
            self.notify(f"{self.question} has no theme yet: a adds one.", severity="warning")
        else:
            self._count_hits(search)

    @work(thread=True, exclusive=True, group="coding-hits")
    def _count_hits(self, search: str) -> None:
        found, error, severity = attempted(lambda: engine.coding.hits(
            self.survey, self.question, search))
        self.app.call_from_thread(self._pick_for_hits, search, found, error, severity)

    def _pick_for_hits(self, search: str, found: list[int] | None, error: str | None,
                       severity: Severity) -> None:
        if not self.is_active:
            return  # closed, or another screen opened over it meanwhile
        if found is None:
            self.notify(error or "The search found nothing.", severity=severity)
            return

        def chosen(code: int | None) -> None:
            if code is not None:
                self.edit(lambda: engine.coding.apply_search(self.survey, self.question,
                                                             str(code), search))

        self.app.push_screen(ThemePicker(
            f"Code the {len(found):,} comments matching {search!r}",
            "Kept as a search: comments of a later wave that match it are coded too.",
            self._offered()), chosen)

    # ---- the frame -------------------------------------------------------------------------

    def action_add_theme(self) -> None:
        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None and self.edit(lambda: engine.coding.add_theme(
                    self.survey, self.question, values[0])):
                themes = self.frame_themes()
                if themes:
                    self._reload(themes[-1].code)

        self.app.push_screen(EditDialog(f"New theme of {self.question}", "",
                                        [Field("Label of the theme:")]), chosen)

    def action_rename_theme(self) -> None:
        t = self.needs_theme()
        if t is None:
            return

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                self.edit(lambda: engine.coding.rename_theme(self.survey, self.question,
                                                             str(t.code), values[0]), t.code)

        self.app.push_screen(EditDialog(f"Rename a theme of {self.question}",
                                        f"Theme: {t.label}",
                                        [Field("New label:", t.label)]), chosen)

    def action_delete_theme(self) -> None:
        t = self.needs_theme()
        if t is None:
            return
        n = next((k for x, k in self.counts.themes if x.code == t.code), 0) \
            if self.counts else 0

        def chosen(yes: bool | None) -> None:
            if yes:
                self.edit(lambda: engine.coding.delete_theme(self.survey, self.question,
                                                             str(t.code)))

        self.app.push_screen(Confirm(
            f"Delete the theme {t.label!r}?",
            f"The {n:,} comments carrying it lose it, and so do the nets of themes. u "
            "undoes it."), chosen)

    def action_merge_theme(self) -> None:
        t = self.needs_theme()
        if t is None:
            return
        others = self._offered(leave_out=t.code)
        if not others:
            self.notify("There is no other theme to merge it into.", severity="warning")
            return

        def chosen(into: int | None) -> None:
            if into is not None:
                self.edit(lambda: engine.coding.merge_themes(
                    self.survey, self.question, [str(t.code)], str(into)), into)

        self.app.push_screen(ThemePicker(
            f"Merge {t.label!r} into…", "Its comments carry the theme picked instead, and "
            "it leaves the frame.", others), chosen)

    def action_move_theme(self, by: int) -> None:
        t = self.needs_theme()
        if t is not None:
            self.edit(lambda: engine.coding.move_theme(self.survey, self.question,
                                                       str(t.code), by), t.code)

    def action_net(self) -> None:
        t = self.panel_theme()
        number = [x.code for x in self.frame_themes()].index(t.code) + 1 if t else None

        def chosen(values: tuple[str, ...] | None) -> None:
            if values is not None:
                label, listed = values
                self.edit(lambda: engine.coding.theme_net(
                    self.survey, self.question, label, self._named(listed)))

        self.app.push_screen(EditDialog(
            f"Net of themes of {self.question}",
            "Respondents whose comments carry any of its themes; a row of the question's "
            "theme table.",
            [Field("Label of the net:"),
             Field("Its themes: numbers in the theme list or labels, joined by commas:",
                   str(number) if number else "")]), chosen)

    def _named(self, listed: str) -> list[str]:
        """Themes as typed (numbers in the theme list, or labels) as the engine names them
        (codes, or the labels as typed)."""
        themes = self.frame_themes()
        out = []
        for word in (w.strip() for w in listed.split(",")):
            if word.isdigit() and 1 <= int(word) <= len(themes):
                out.append(str(themes[int(word) - 1].code))
            elif word:
                out.append(word)
        return out
