"""Quotes for the report from the comments view: * stars or unstars the highlighted comment
(engine.quotes.star, written by the app's edits as every edit is: ``EditActions._apply``,
so u on the table undoes it too), and Q writes the starred comments to a file through the
save dialog (tui.exports), in the format its name's suffix names (Markdown by default)."""

from __future__ import annotations

from pathlib import Path

from heetui import engine
from heetui.engine import Quotes, Verbatim
from heetui.output.atomic import write_chunks
from heetui.output.formats import MD, Options, choose, renderer
from heetui.output.names import export_stem
from heetui.survey.codebook import Codebook
from heetui.survey.text import counted
from heetui.tui.edit_actions import EditActions
from heetui.tui.exports import ExportActions
from heetui.tui.failures import attempt
from heetui.tui.save_dialog import SaveChoice


def toggle_star(app: object, v: Verbatim) -> bool | None:
    """Star ``v`` if it is not starred, else unstar it; whether it is starred now (None:
    the edit was refused, and the app said why)."""
    if not isinstance(app, EditActions):
        return None
    survey = app.survey
    if not app._apply(lambda: [engine.quotes.star(survey, v.question, v.key)]):
        return None
    return v.key in survey.codebook.stars(v.question)


def save_quotes(app: object, question: str | None) -> None:
    """Ask for a file name and write the starred comments of ``question`` (None: of every
    open-ended question) there."""
    if not isinstance(app, ExportActions):
        return
    survey = app.survey
    found, error = attempt(lambda: engine.quotes.quotes(survey, question))
    if found is None or not found.quoted:
        of = f"of {question} " if question else ""
        app.notify(error or f"No comment {of}is starred yet: * stars the highlighted one.",
                   severity="warning", markup=False)
        return

    def write(choice: SaveChoice) -> None:
        app._save(choice.path, lambda: _write(found, choice.path, choice.replace,
                                              app.codebook), "quotes ")

    app._ask(f"{counted(found.quoted, 'starred comment')} {f'of {question} ' if question else ''}"
             "for the report, by question and theme (Markdown; a name ending .txt, .csv or "
             ".xlsx writes that instead)", export_stem(app.codebook, f"quotes {question or ''}"),
             MD.suffixes[0][1:], write)


def _write(found: Quotes, path: Path, replace: bool, cb: Codebook) -> None:
    out = renderer("quotes", choose("quotes", None, str(path)))  # by the name's suffix
    options = Options(codebook=cb)
    if out.format.binary:
        out.write(found, path, options, replace)
    else:
        text = out.render(found, options)
        write_chunks(path, [text] if isinstance(text, str) else text, replace)
