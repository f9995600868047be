"""``heetui code``: an open-ended question's code frame on the command line.

Arguments only are read here; each edit is made by the engine's own functions
(``heetui.engine.coding``) and written by ``apply_edit``, as the app writes them, so an edit
that does not apply is one sentence (exit status 2) and leaves the workspace as it was.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heetui.engine import Edit, Survey

    Commands = argparse._SubParsersAction[Any]

CODE_DESCRIPTION = (
    "Code an open-ended question's comments to themes: the question's code frame (its "
    "themes in order, nets of themes, and which comments carry each) is kept in the "
    "survey's workspace (docs/workspace.md), never in its data. A question with no frame "
    "there starts from the survey's own themes (an imported survey's have none). Themes are "
    "named by code or label. `apply` codes every comment matching a search (the search is "
    "kept, so next wave's comments are coded by it too); `comment` codes one comment by "
    "hand (its id, as `heetui verbatims --show-source-ids` prints it). Coded themes "
    "tabulate (`heetui tab QUESTION --by ...`), filter (--filter QUESTION=THEME) and "
    "drill to their comments.")

EXAMPLES = """examples:
  heetui code show improve
  heetui code add improve "Placements and rotas"
  heetui code apply improve "Placements and rotas" --search placement
  heetui code comment improve 812 "Placements and rotas"
  heetui code merge improve "Short deadlines and turnaround" --into 1
  heetui code split improve 1 "Late funding letters" --search letter
  heetui code net improve "Money and time (net)" 1 2
  heetui tab improve --by stakeholder_type
"""


def code_command(sub: Commands, data_arg: Callable[..., None],
                 format_arg: Callable[..., None]) -> None:
    """The ``code`` command and its subcommands (``data_arg`` adds --data and --workspace,
    ``format_arg`` --format for the frame's listing)."""
    code = sub.add_parser("code", help="code an open-ended question's comments to themes "
                          "(a code frame kept in the workspace)",
                          description=textwrap.fill(CODE_DESCRIPTION, 88) + "\n\n" + EXAMPLES,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = code.add_subparsers(dest="code", metavar="ACTION", title="actions", required=True,
                                help="one of:")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = kinds.add_parser(
            name, help=help, description=help[0].upper() + help[1:] + ".")
        p.add_argument("question", metavar="QUESTION", help="the open-ended question, by id")
        data_arg(p, False)
        return p

    p = add("show", "the frame: themes in order with how many comments carry each, nets, "
            "and how many comments are coded")
    format_arg(p, "frame")
    p = add("add", "a new theme, at the end of the frame")
    p.add_argument("label", metavar="LABEL", help="its label")
    p = add("rename", "a theme's new label")
    p.add_argument("theme", metavar="THEME", help="the theme, by code or label")
    p.add_argument("label", metavar="LABEL", help="its new label")
    p = add("delete", "a theme out of the frame (its comments lose it)")
    p.add_argument("theme", metavar="THEME", help="the theme, by code or label")
    p = add("order", "the order of the themes (those left out follow)")
    p.add_argument("themes", nargs="+", metavar="THEME", help="themes, by code or label")
    p = add("merge", "themes merged into one, which carries every comment they carried")
    p.add_argument("themes", nargs="+", metavar="THEME", help="the themes to merge")
    p.add_argument("--into", required=True, metavar="THEME", help="the theme they become")
    p = add("split", "a new theme taking the comments of a theme that match a search")
    p.add_argument("theme", metavar="THEME", help="the theme to split")
    p.add_argument("label", metavar="LABEL", help="the new theme's label")
    _search(p)
    p = add("net", "a net of themes (respondents whose comments carry any of them)")
    p.add_argument("label", metavar="LABEL", help="the net's label")
    p.add_argument("themes", nargs="+", metavar="THEME", help="its themes")
    p = add("apply", "search-and-apply: every comment matching the search carries the theme")
    p.add_argument("theme", metavar="THEME", help="the theme, by code or label")
    _search(p)
    p.add_argument("--dry-run", action="store_true",
                   help="say how many comments match, and write nothing")
    p = add("unapply", "take a search off a theme (the comments it coded lose the theme)")
    p.add_argument("theme", metavar="THEME", help="the theme, by code or label")
    _search(p)
    p = add("comment", "code one comment by hand (toggles the theme unless --on or --off)")
    p.add_argument("comment", type=int, metavar="ID", help="the comment's id")
    p.add_argument("theme", metavar="THEME", help="the theme, by code or label")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--on", dest="on", action="store_true", default=None,
                       help="give it the theme")
    state.add_argument("--off", dest="on", action="store_false", help="take the theme away")


def _search(p: argparse.ArgumentParser) -> None:
    p.add_argument("--search", required=True, metavar="WORDS",
                   help='words that must all appear, or a "quoted phrase" (any case)')


def cmd_code(args: argparse.Namespace) -> None:
    import heetui.engine as engine
    from heetui.cli.main import open_survey, write_output
    from heetui.output.formats import Options, renderer

    coding = engine.coding  # the front door's coding functions (heetui.engine names them)

    survey = open_survey(args)
    if args.code == "show":
        counts = coding.coding_counts(survey, args.question)
        write_output(renderer("frame", args.format or "text").render(counts, Options()),
                     None)
        return
    if args.code == "apply" and args.dry_run:
        v = coding.open_question(survey, args.question)
        n = len(coding.hits(survey, v.id, args.search))
        write_output(f"{n:,} comments of {v.id} match {args.search!r}; nothing written.\n",
                     None)
        return
    write_output(engine.apply_edit(survey, _make(survey, args)).message + "\n", None)


def _make(survey: Survey, args: argparse.Namespace) -> Edit:
    """The edit the arguments ask for, made by the engine's function of its kind."""
    import heetui.engine as engine

    coding = engine.coding
    q, kind = args.question, args.code
    if kind == "add":
        return coding.add_theme(survey, q, args.label)
    if kind == "rename":
        return coding.rename_theme(survey, q, args.theme, args.label)
    if kind == "delete":
        return coding.delete_theme(survey, q, args.theme)
    if kind == "order":
        return coding.order_themes(survey, q, args.themes)
    if kind == "merge":
        return coding.merge_themes(survey, q, args.themes, args.into)
    if kind == "split":
        return coding.split_theme(survey, q, args.theme, args.label, args.search)
    if kind == "net":
        return coding.theme_net(survey, q, args.label, args.themes)
    if kind == "apply":
        return coding.apply_search(survey, q, args.theme, args.search)
    if kind == "unapply":
        return coding.remove_search(survey, q, args.theme, args.search)
    return coding.code_comment(survey, q, args.comment, args.theme, args.on)
