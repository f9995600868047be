"""The profile view: where the filtered group differs from everyone else, ranked."""

from __future__ import annotations

from contextlib import suppress

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from heetui.engine import Filter, Profile, ProfileRow, Survey, profile
from heetui.output.help import PROFILE_HELP, PROFILE_KEYS
from heetui.output.profile import heading, left_out, list_header, list_line
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.modals import SafeOptionList, close
from heetui.tui.plain import plain


class ProfileScreen(Screen[ProfileRow | None]):
    """Enter on a row returns it: the app then shows that question with the group as banner."""

    BINDINGS = [Binding("a", "toggle_all", "All rows", id="profile.all_rows",
                        tooltip="every row tested, or only the significant ones"),
                Binding("escape", "back", "Back", id="profile.back",
                        tooltip="back to the table")]
    HELP_NAME = "profile"
    HELP_TITLE = "Keys of the profile"
    HELP_KEYS = PROFILE_KEYS
    HELP_NOTES = PROFILE_HELP
    DEFAULT_CSS = """
    ProfileScreen #psummary { height: auto; padding: 0 1; text-style: bold; background: $panel; }
    ProfileScreen #pcolumns { height: 1; padding: 0 2; text-style: bold; }
    ProfileScreen #plist { height: 1fr; }
    """

    def __init__(self, survey: Survey, group: tuple[Filter, ...], weighted: bool) -> None:
        super().__init__()
        self.survey = survey
        self.group = group
        self.weighted = weighted
        self.result: Profile | None = None
        self.show_all = False

    def compose(self) -> ComposeResult:
        yield Static("Computing the profile…", id="psummary", markup=False)
        yield Static("", id="pcolumns", markup=False)
        yield SafeOptionList(id="plist")
        yield KeyFooter()

    def on_mount(self) -> None:
        with suppress(NoMatches):  # closed by a key typed ahead before it finished mounting
            self.query_one(OptionList).loading = True
            self._compute()

    @work(thread=True, exclusive=True)
    def _compute(self) -> None:
        result, error = attempt(lambda: profile(self.survey, self.group,
                                                weighted=self.weighted))
        self.app.call_from_thread(self._show, result, error)

    def _show(self, result: Profile | None, error: str | None) -> None:
        if not self.is_attached:
            return  # closed while the profile was computed
        with suppress(NoMatches):  # the screen is being taken down right now
            self._fill(result, error)

    def _fill(self, result: Profile | None, error: str | None) -> None:
        lst = self.query_one(OptionList)
        lst.loading = False
        if result is None:
            self.query_one("#psummary", Static).update(error or "")
            return
        self.result = result
        self.query_one("#psummary", Static).update(
            heading(result) + ("" if self.show_all else "  ·  a: show all rows") + "\n"
            + left_out(result))
        keep = lst.highlighted
        lst.clear_options()
        rows = result.listed(self.show_all)
        width = self._line_width()
        self.query_one("#pcolumns", Static).update(list_header(result, width))
        lst.add_options([Option(plain(list_line(r, width)), id=str(i))
                         for i, r in enumerate(rows)])
        if not rows:
            lst.add_option(Option("No significant difference.", disabled=True))
        else:
            lst.highlighted = keep if keep is not None and keep < len(rows) else 0
        lst.focus()

    def _line_width(self) -> int:
        """Characters a row has: the screen's width less the list's border and padding and
        its scroll bar (the list's own size is unknown while it shows its loading state, and
        a longer row would wrap, its p-value on a line of its own)."""
        return max(40, (self.size.width or self.app.size.width) - 6)

    def on_resize(self, event: Resize) -> None:
        if self.result is not None:  # rows fitted to the new width, p-values still in view
            self._fill(self.result, None)

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        if self.result is not None:
            self._fill(self.result, None)

    @on(OptionList.OptionSelected, "#plist")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if self.result is None or event.option.id is None:
            return
        rows = self.result.listed(self.show_all)
        close(self, rows[int(event.option.id)])

    def action_back(self) -> None:
        close(self, None)
