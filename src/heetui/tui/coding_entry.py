"""The way into the coding view (tui/coding_screen.py), a part of the app: K on the table
codes the open-ended question on show (or the one the question list highlights), else
asks which; K in the comments view codes its question. Edits made there are the session's
(undone by u anywhere), and the app shows the survey as they left it on the way back."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import App
from textual.widgets import OptionList

from heetui.engine import Applied, Audit, Survey
from heetui.survey.codebook import Codebook
from heetui.tui.browser import QuestionBrowser
from heetui.tui.coding_modals import QuestionPicker
from heetui.tui.coding_screen import CodingScreen
from heetui.tui.state import ViewState
from heetui.tui.verbatim_screen import VerbatimScreen


class CodingEntry(App[None]):
    """Relies on the app's ``survey``, ``codebook``, ``view``, ``comment_audit``,
    ``edits_done`` and ``reshaped`` (tui/edit_actions)."""

    survey: Survey
    codebook: Codebook
    view: ViewState
    comment_audit: Audit
    edits_done: list[list[Applied]]
    reshaped: Callable[[], None]  # tui/edit_actions.EditActions

    def action_code(self) -> None:
        """Code the open-ended question on show; else pick one."""
        cb = self.codebook
        opens = [v for v in cb.variables if v.type == "open"]
        if not opens or self.survey.bundle.verbatims is None:
            self.notify("This survey has no open-ended question with comments to code.",
                        severity="warning")
            return
        browser = self.query_one(QuestionBrowser).query_one(OptionList)
        asked = [self.view.question]
        if self.focused is browser and browser.highlighted is not None:
            asked.insert(0, browser.get_option_at_index(browser.highlighted).id or "")
        question = next((q for q in asked if q in {v.id for v in opens}), None)
        if question is not None:
            self.open_coding(question)
            return

        def chosen(picked: str | None) -> None:
            if picked is not None:
                self.open_coding(picked)

        self.push_screen(QuestionPicker(opens), chosen)

    @on(VerbatimScreen.Code)
    def _code_from_comments(self, event: VerbatimScreen.Code) -> None:
        self.open_coding(event.question)

    def open_coding(self, question: str) -> None:
        """The coding view of ``question``; on the way back, the survey as its edits left
        it (the table, and the comments view it was opened from)."""
        def back(changed: bool | None) -> None:
            if changed:
                self.reshaped()
                if isinstance(self.screen, VerbatimScreen):
                    self.screen.load()

        self.push_screen(CodingScreen(self.survey, question, self.edits_done,
                                      self.comment_audit), back)
