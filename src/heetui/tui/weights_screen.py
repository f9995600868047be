"""The weights page: each of the survey's weights with its efficiency, effective base and
extremes, and each weight computed to targets with its report (targets against unweighted
and weighted shares, convergence, caps) — the text ``heetui weight`` prints, from the same
calls (output.weight_report)."""

from __future__ import annotations

from contextlib import suppress

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from heetui.engine import Survey
from heetui.output.weight_report import weights_page
from heetui.tui.failures import attempt
from heetui.tui.footer import KeyFooter
from heetui.tui.modals import close


class WeightsScreen(Screen[None]):
    """A page that scrolls both ways (a report is wider than most terminals, and wrapping
    would break its columns); Esc or q goes back; ? lists its keys. (Textual's footer is a
    ScrollableContainer too: the page's box is styled by its id.)"""

    BINDINGS = [Binding("escape", "close", "Back", id="weights.back",
                        tooltip="back to the table"),
                Binding("q", "close", "Back", id="weights.back_q", tooltip="back to the table")]
    HELP_NAME = "weights"
    HELP_TITLE = "Keys of the weights page"
    HELP_NOTES = ("w on the table cycles the weighting: unweighted, then each of these "
                  "weights in turn (the survey's own first), then unweighted again; the "
                  "status line names the weight in use. `heetui weight NAME --target "
                  "VAR=ANSWER:TARGET,…` makes a weight, `heetui weight NAME` prints its "
                  "report.")
    DEFAULT_CSS = """
    WeightsScreen #weights-box { height: 1fr; border: thick $accent; padding: 0 1; }
    WeightsScreen #weights-body { width: auto; }
    """

    def __init__(self, survey: Survey, chosen: str | None) -> None:
        super().__init__(name="weights")
        self.survey = survey
        self.chosen = chosen  # the weight in use on the table (None: unweighted)

    def compose(self) -> ComposeResult:
        with ScrollableContainer(id="weights-box") as box:
            box.border_title = "Weights"
            box.border_subtitle = "Esc or q to go back"
            yield Static("Computing the weights' figures…", id="weights-body", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#weights-box").focus()
        self._compute()

    @work(thread=True, exclusive=True)
    def _compute(self) -> None:
        body, error = attempt(lambda: weights_page(self.survey))
        self.app.call_from_thread(self._show, body, error)

    def _show(self, body: str | None, error: str | None) -> None:
        if not self.is_attached:
            return  # closed while the figures were computed
        in_use = f"In use on the table: {self.chosen or 'none (unweighted)'}.\n\n"
        with suppress(NoMatches):
            self.query_one("#weights-body", Static).update(
                in_use + body if body is not None else error or "")

    def action_close(self) -> None:
        close(self)
