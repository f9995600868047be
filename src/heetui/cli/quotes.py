"""``heetui quotes``: the comments starred for the report, written grouped by question and
theme with their attributions (engine.quotes); ``--star`` stars comments from the shell.

Arguments only are read here: the stars are made by ``engine.quotes.star`` and written by
``apply_edit`` to the workspace, as the app's * key writes them.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heetui.engine import Survey

    Commands = argparse._SubParsersAction[Any]

QUOTES_DESCRIPTION = (
    "Write the comments starred for the report (the * key in the app's comments view, or "
    "--star here), grouped by question and by the themes of its code frame (a comment with "
    "several themes under each, one with none under \"Not coded\"), each attributed by its "
    "key attributes only as far as at least the minimum group of the people who commented "
    "share them (\"NHS Trust (survey)\"). The stars are kept in the survey's workspace "
    "([quote.QUESTION], docs/workspace.md), never in its data. Comments are named by id, as "
    "`heetui verbatims --show-source-ids` prints them.")

EXAMPLES = """examples:
  heetui quotes --question improve --star 400 356
  heetui quotes -o quotes.md
  heetui quotes --question improve --format xlsx -o improve-quotes.xlsx
  heetui quotes --question improve --star 356 --off
"""


def quotes_command(sub: Commands, data_arg: Callable[..., None],
                   format_arg: Callable[..., None], output_args: Callable[..., None]) -> None:
    """The ``quotes`` command (``data_arg``: --data and --workspace; ``format_arg``: --format;
    ``output_args``: -o and --force)."""
    p = sub.add_parser("quotes", help="write the comments starred for the report, by question "
                       "and theme, attributed as the disclosure rule allows; --star stars them",
                       description=textwrap.fill(QUOTES_DESCRIPTION, 88) + "\n\n" + EXAMPLES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--question", metavar="Q",
                   help="only this open-ended question's quotes (default: every question with "
                   "starred comments); needed with --star")
    either = p.add_mutually_exclusive_group()  # star, or write the quotes in a format
    either.add_argument("--star", nargs="+", type=int, metavar="ID",
                        help="star these comments of --question (by id) for the report, "
                        "instead of writing the quotes; written to the workspace")
    p.add_argument("--off", action="store_true", help="with --star: unstar them instead")
    p.add_argument("--min-group", type=int, metavar="N",
                   help="fewest people an attribution may rest on (default: the codebook's, "
                   "5; never below 3)")
    format_arg(either, "quotes")
    output_args(p)
    data_arg(p, False)


def cmd_quotes(args: argparse.Namespace, open_survey: Callable[[argparse.Namespace], Survey],
               write: Callable[[str | Iterable[str], str | None, str, bool], None]) -> None:
    from heetui import engine  # engine.quotes: the front door's quote functions
    from heetui.errors import UserError
    from heetui.output.formats import Options, renderer

    if args.off and not args.star:
        raise UserError("--off unstars the comments --star names; give --star ID too.")
    if args.star and args.output:
        raise UserError("--star writes the workspace, not the quotes; star first, then "
                        "write them with -o FILE.")
    if args.star and not args.question:
        raise UserError("Give the comments' question with --question Q to star them.")
    survey = open_survey(args)
    if args.star:
        for comment in args.star:
            edit = engine.quotes.star(survey, args.question, comment, on=not args.off)
            sys.stderr.write(engine.apply_edit(survey, edit).message + "\n")
        return
    found = engine.quotes.quotes(survey, args.question, args.min_group)
    if not found.quoted and not any(q.missing for q in found.questions):
        where = f"of {found.questions[0].question} " if args.question else ""
        raise UserError(f"No comment {where}is starred yet: star one with * in the app's "
                        "comments view or `heetui quotes --question Q --star ID`.")
    out = renderer("quotes", args.format)
    what = f"{found.quoted} quotes"
    if out.format.binary:
        if not args.output:
            raise UserError(f"A workbook needs a file name: add -o FILE"
                            f"{out.format.suffixes[0]}.")
        out.write(found, Path(args.output), Options(codebook=survey.codebook), args.force)
        sys.stderr.write(f"wrote {args.output}: {what}\n")
        return
    write(out.render(found, Options()), args.output, what, args.force)
