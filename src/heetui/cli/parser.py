"""The command line's arguments: one argparse parser, built command by command. A mistake
in them is one sentence on stderr and exit status 2."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, NoReturn

from heetui import __version__
from heetui.choices import COMPARES, CORRECTION_FAMILIES, CORRECTIONS
from heetui.cli.code import code_command
from heetui.cli.diff import diff_command
from heetui.cli.edit import edit_command
from heetui.cli.plan import plan_commands
from heetui.cli.quotes import quotes_command
from heetui.config import SigLevels, parse_levels
from heetui.importers.formats import format_list
from heetui.output import formats

USER_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(USER_ERROR)


if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[_Parser]  # what add_subparsers returns


def _data_arg(p: argparse.ArgumentParser, no_edits: bool = True) -> None:
    p.add_argument("--data", metavar="PATH", help=f"survey bundle folder, or a {format_list()} "
                   "file (default: the bundled HEE 2019 survey)")
    workspace_args(p, no_edits)


WORKSPACE_HELP = ("the workspace of edits (labels, nets, derived variables, saved filters and "
                  "banners; docs/workspace.md) to read and write (default: the survey's own, "
                  "in the user's data folder; `heetui info` names it)")


def workspace_args(p: argparse.ArgumentParser, no_edits: bool = True, top: bool = False
                   ) -> None:
    """--workspace FILE, and --no-edits (the survey as its codebook describes it); at the
    top (``heetui [PATH]``) under dests of their own, as --data is."""
    p.add_argument("--workspace", metavar="FILE", dest="top_workspace" if top else "workspace",
                   help=WORKSPACE_HELP)
    if no_edits:
        p.add_argument("--no-edits", action="store_true",
                       dest="top_no_edits" if top else "no_edits",
                       help="open the survey without its workspace's edits")


def _filter_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", action="append", default=[], metavar="VAR=VALUE[,VALUE...]",
                   help="keep respondents matching; repeat to AND, commas OR; codes or labels; "
                   "\"a=1 & b=2\" for both; @NAME for a filter saved in the workspace")


def sig_levels(text: str) -> SigLevels:
    """``--sig-level``: one level, or two as "0.05,0.10" (capital letters at the stricter,
    lower-case at the looser), in either order."""
    try:
        return parse_levels(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _weight_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weight", dest="weight_name", metavar="NAME",
                   help="weight by NAME, the survey's own weight or one computed to targets "
                   "(`heetui weight` lists them); implies --weighted")


SIG_HELP = ("significance level of the letters (default 0.05); two levels as 0.05,0.10: "
            "upper-case letters at the stricter, lower-case at the looser")


def _banner_args(p: argparse.ArgumentParser) -> None:
    """What tab, chart and book share: the banner, filters, weights and α."""
    p.add_argument("--by", action="append", default=[], metavar="SPANS",
                   help="banner: segments or questions side by side (a,b or repeated --by), "
                   "a/b for a nested within b, or a banner named in the codebook or the "
                   "workspace")
    _filter_arg(p)
    p.add_argument("--weighted", action="store_true", help="use the codebook's weight")
    _weight_arg(p)
    p.add_argument("--sig-level", type=sig_levels, default=(0.05, None), metavar="ALPHA[,ALPHA]",
                   help=SIG_HELP)
    p.add_argument("--waves", metavar="NAME=PATH,...", help="surveys (bundles or files) "
                   "as the waves of one, in order; the segment `wave` names each "
                   "respondent's (--by wave, --compare previous)")


def _table_args(p: argparse.ArgumentParser) -> None:
    """What tab and chart share: the question, then the banner's arguments."""
    p.add_argument("question", help="the question to tabulate, by id (`heetui info` lists "
                   "them)")
    _banner_args(p)


def _test_args(p: argparse.ArgumentParser) -> None:
    """What tab, chart and book share: how columns are tested and flagged."""
    p.add_argument("--correction", choices=CORRECTIONS, default="none",
                   help="multiplicity correction over the tests of one subtable in one row")
    p.add_argument("--correction-family", choices=CORRECTION_FAMILIES, default="subtable",
                   help="in a nested span, correct within each outer option's columns "
                   "(subtable, as SPSS CTABLES; default) or over the whole span")
    p.add_argument("--compare", choices=COMPARES, default="pairs",
                   help="test columns in pairs within each span (letters), or each column "
                   "against Total or against the rest of the sample (higher/lower marks)")
    p.add_argument("--no-design", dest="design", action="store_false",
                   help="ignore the codebook's sample design (strata, clusters): effective "
                   "bases and z-tests instead of design-based variances and t-tests")
    p.add_argument("--low-base", type=int, metavar="N", help="flag columns below N")
    p.add_argument("--min-test-base", type=int, metavar="N", help="no tests below N")


def _show_args(p: argparse.ArgumentParser) -> None:
    """What tab and book share: percents, counts or both in the cells."""
    p.add_argument("--show", choices=("percent", "count", "both"), default="percent",
                   help="cells: percents, counts or both (text and md: \"31%%A (187)\"; xlsx: "
                   "a count row under each percent row; html: both in the cell; csv and json "
                   "always carry both)")
    p.add_argument("--counts", choices=("weighted", "unweighted"), default="weighted",
                   help="counts shown next to weighted percents (default: weighted)")
    p.add_argument("--ids", action="store_true",
                   help="xlsx, html and md: name questions by id beside their text (default: "
                   "the question's text only, as a client reads it)")


def _format_arg(p: argparse.ArgumentParser, kind: str, help: str | None = None) -> None:
    """--format: the formats registered for the results of ``kind`` (output.formats); left
    unset, the -o file's suffix chooses (cli.main.choose_format)."""
    p.add_argument("--format", choices=formats.names(kind), default=None,
                   help=help or formats.help_text(kind))


def _output_args(p: argparse.ArgumentParser,
                 what: str = "write to FILE (its suffix, such as .csv, picks the format)"
                 ) -> None:
    """-o and --force, as every command writing a file takes them."""
    p.add_argument("-o", "--output", metavar="FILE",
                   help=f"{what} (atomically); an existing FILE is refused unless --force, "
                   "and a file the command reads always is")
    p.add_argument("--force", action="store_true",
                   help="replace an existing -o FILE (never one the command reads)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="heetui", usage="heetui [PATH]\n       heetui [--data PATH] COMMAND "
                     "[OPTIONS]", description="Explore survey data in the terminal. "
                     "`heetui [PATH]` opens the app on a survey bundle folder or a "
                     f"{format_list()} file (default: the bundled survey); "
                     "a COMMAND prints or writes instead (`heetui COMMAND --help`).")
    parser.add_argument("--version", action="version", version=f"heetui {__version__}")
    parser.add_argument("--data", dest="top_data", metavar="PATH",
                        help="survey to open or to read with the subcommand that follows")
    workspace_args(parser, top=True)
    parser.add_argument("--waves", dest="top_waves", metavar="NAME=PATH,...",
                        help="open the app on several surveys as the waves of one (the "
                        "segment `wave`: a banner span and a filter, as in heetui tab --waves)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, prog="heetui",
                                title="commands",
                                metavar="COMMAND", help="one of:")
    _info_command(sub)
    _tab_command(sub)
    _chart_command(sub)
    _profile_command(sub)
    _book_command(sub)
    _verbatims_command(sub)
    _words_command(sub)
    quotes_command(sub, _data_arg, _format_arg, _output_args)
    _weight_command(sub)
    _import_command(sub)
    _demo_command(sub)
    plan_commands(sub, _data_arg)
    diff_command(sub, sig_levels)
    _check_command(sub)
    edit_command(sub, _data_arg)
    code_command(sub, _data_arg, _format_arg)
    return parser


def _check_command(sub: Commands) -> None:
    check = sub.add_parser("check", help="validate a survey and its workspace: every problem "
                           "by line, exit status 2 when there is any")
    _data_arg(check)


def _info_command(sub: Commands) -> None:
    info = sub.add_parser("info", help="survey overview: title, respondents, questions, segments")
    _data_arg(info)
    info.add_argument("--json", action="store_true", help="machine-readable output")


def _tab_command(sub: Commands) -> None:
    tab = sub.add_parser("tab", help="crosstab a question by a segment")
    _table_args(tab)
    _test_args(tab)
    _format_arg(tab, "table")
    _show_args(tab)
    tab.add_argument("--decimals", type=int, default=0, choices=range(0, 4), metavar="N",
                     help="decimals of percents (0 to 3)")
    tab.add_argument("--sort", choices=("none", "total"), default="none",
                     help="order answers by Total (nets, means, scores and answers such as "
                     "Don't know keep their places)")
    tab.add_argument("--hide-empty", action="store_true",
                     help="leave out answers and banner columns without respondents")
    tab.add_argument("--width", type=int, default=None, metavar="N",
                     help="text width (default: the terminal's, or 120); wider tables continue "
                     "in blocks of whole spans")
    _output_args(tab, "write to FILE (xlsx: default heetui-QUESTION-by-BANNER….xlsx, "
                 "numbered when taken)")
    _data_arg(tab)


def _chart_command(sub: Commands) -> None:
    chart = sub.add_parser("chart", help="draw a question as a text chart, bars grouped by span")
    _table_args(chart)
    _test_args(chart)
    chart.add_argument("--width", type=int, default=None, metavar="W",
                       help="characters (default: the terminal's width, or 100)")
    chart.add_argument("--height", type=int, default=None, metavar="H",
                       help="rows of the distribution chart (default: as needed)")
    chart.add_argument("--kind", default=None,
                       choices=("bar", "histogram", "box", "means", "trend"),
                       help="bar (default; trend by three or more waves): heetui's banner "
                       "bars; histogram and box: a "
                       "numeric question's distribution per column; means: each column's mean "
                       "with ± one SE; trend: lines over the banner's columns in order")
    _output_args(chart, "save the chart as text in FILE")
    _data_arg(chart)


def _profile_command(sub: Commands) -> None:
    prof = sub.add_parser("profile", help="where a group differs from everyone else")
    _filter_arg(prof)
    prof.add_argument("--against", choices=("rest", "total"), default="rest",
                      help="compare the group with everyone else (default) or with Total")
    prof.add_argument("--weighted", action="store_true", help="use the codebook's weight")
    _weight_arg(prof)
    prof.add_argument("--sig-level", type=sig_levels, default=(0.05, None),
                      metavar="ALPHA[,ALPHA]", help="significance level (default 0.05); two "
                      "levels as 0.05,0.10 also list the differences at the looser one")
    prof.add_argument("--correction", choices=CORRECTIONS, default="bh",
                      help="multiplicity correction over every row of the profile "
                      "(default bh: Benjamini-Hochberg)")
    prof.add_argument("--no-design", dest="design", action="store_false",
                      help="ignore the codebook's sample design: effective bases, z-tests")
    prof.add_argument("--all", action="store_true", help="also list rows that do not differ")
    _format_arg(prof, "profile")
    _output_args(prof)
    _data_arg(prof)


def _book_command(sub: Commands) -> None:
    book = sub.add_parser("book", help="tab book: every question by a banner, in one file, "
                          "with the strongest differences first")
    _banner_args(book)
    _test_args(book)
    book.add_argument("--questions", metavar="ID,ID...",
                      help="only these questions, in this order (default: every question)")
    book.add_argument("--group", metavar="GROUP", help="only the questions of a codebook group")
    _show_args(book)
    book.add_argument("--findings-bh", action="store_true",
                      help="findings: Benjamini-Hochberg over every test of the book instead "
                      "of the tables' own correction")
    _format_arg(book, "book", "default: from the -o file's suffix, else "
                f"{formats.names('book')[0]}")
    _output_args(book, "write to FILE; text formats go to stdout without it")
    _data_arg(book)


def _verbatims_command(sub: Commands) -> None:
    verb = sub.add_parser("verbatims", help="read the comments behind a selection")
    verb.add_argument("--question", metavar="Q", help="an open-ended question (default: all)")
    verb.add_argument("--search", default="", metavar="TEXT",
                      help='words that must all appear, or a "quoted phrase" (any case)')
    verb.add_argument("--theme", action="append", default=[], metavar="T",
                      help="theme label or code; repeat for any of several")
    verb.add_argument("--uncoded", action="store_true",
                      help="only comments that carry no theme yet")
    _filter_arg(verb)
    _format_arg(verb, "verbatims")
    verb.add_argument("--min-group", type=int, metavar="N",
                      help="smallest group of people whose comments may be shown (default: "
                      "the codebook's, 5; never below 3)")
    verb.add_argument("--show-source-ids", action="store_true",
                      help="for the data owner: print respondent and comment ids, which "
                      "link each comment to its raw record (default: numbered 1, 2, ...)")
    verb.add_argument("--session", metavar="FILE",
                      help="remember the groups shown in FILE (created if missing) and refuse "
                      "a group whose difference from an earlier one is below the minimum")
    verb.add_argument("--limit", type=int, default=0, metavar="N", help="at most N (0: all)")
    verb.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N")
    _output_args(verb)
    _data_arg(verb)


def _words_command(sub: Commands) -> None:
    words = sub.add_parser("words", help="the words and phrases each column of a banner uses "
                           "more than the rest, in an open-ended question's comments")
    words.add_argument("question", help="an open-ended question")
    words.add_argument("--by", action="append", default=[], metavar="SPANS", required=True,
                       help="the banner: segments side by side (a,b), a/b nested, or a name")
    _filter_arg(words)
    words.add_argument("--top", type=int, default=10, metavar="N",
                       help="terms a column (default 10)")
    words.add_argument("--min-group", type=int, metavar="N",
                       help="fewest people a term or column may rest on (default: the "
                       "codebook's, 5; never below 3)")
    _format_arg(words, "words")
    _output_args(words)
    _data_arg(words)


def _weight_command(sub: Commands) -> None:
    w = sub.add_parser("weight", help="list the survey's weights, show one's report, or weight "
                       "the survey to targets")
    w.add_argument("name", nargs="?", metavar="NAME",
                   help="the weight (none: list them); with --target, the weight to make")
    w.add_argument("--target", action="append", default=[],
                   metavar="VAR=ANSWER:TARGET,...",
                   help="a weighting variable's targets, answers by code or label (repeat for "
                   "each variable); makes NAME, replacing a weight of that name")
    w.add_argument("--unit", choices=("percent", "count"),
                   help="targets are percents summing to 100 (default; weights average 1) or "
                   "counts (weights sum to them)")
    w.add_argument("--start", metavar="WEIGHT", help="a starting (design) weight column")
    w.add_argument("--min", type=float, metavar="X", help="cap: no weight below X (times the "
                   "mean weight), applied within the iteration")
    w.add_argument("--max", type=float, metavar="Y", help="cap: no weight above Y (times the "
                   "mean weight), applied within the iteration")
    w.add_argument("--max-iterations", type=int, metavar="N",
                   help="stop after N cycles (default 1000)")
    w.add_argument("--tolerance", type=float, metavar="T",
                   help="converged when no weight moves more than T in a cycle (default 1e-10)")
    w.add_argument("--max-gap", type=float, metavar="P", help="percentage points a weighted "
                   "share may stay from its target under caps (default 0.5)")
    w.add_argument("--label", metavar="TEXT", help="the weight's label in its report")
    w.add_argument("--remove", action="store_true", help="remove the weight NAME from the "
                   "workspace")
    _format_arg(w, "weights")
    _output_args(w, "write the report to FILE (its suffix, such as .xlsx, picks the format)")
    _data_arg(w)


def _import_command(sub: Commands) -> None:
    imp = sub.add_parser("import", help=f"turn a {format_list()} file into a bundle")
    imp.add_argument("source", help="the file to import (never modified)")
    imp.add_argument("-o", "--output", required=True, metavar="BUNDLE", help="folder to create")
    imp.add_argument("--weight", metavar="VAR",
                     help="the weight variable (default: the one a .sav file names, saved "
                     "with WEIGHT BY); none: import unweighted")
    imp.add_argument("--codebook", metavar="FILE",
                     help="a codebook.toml to use instead of inferring one")
    imp.add_argument("--force", action="store_true",
                     help="replace an existing bundle, only while it holds nothing but the "
                     "files heetui wrote there, unchanged (else refused, naming the others)")


def _demo_command(sub: Commands) -> None:
    demo = sub.add_parser("demo", help="generate a synthetic copy of the HEE 2019 survey")
    demo.add_argument("-n", type=int, default=602, metavar="N", help="respondents")
    demo.add_argument("-o", "--output", required=True, metavar="BUNDLE", help="folder to create")
    demo.add_argument("--seed", type=int, default=None, metavar="S",
                      help="random seed (default: the one that builds the bundled survey)")
    demo.add_argument("--shift", type=float, default=0.0, metavar="SD",
                      help="an illustrative later wave: attitudes moved by SD standard "
                      "deviations (titled as illustrative, never as HEE's data)")
    demo.add_argument("--verbatim-share", type=float, default=None, metavar="F",
                      help="share of respondents leaving comments (default 0.55; 0.1 above 100k)")
    demo.add_argument("--force", action="store_true",
                      help="replace an existing bundle, only while it holds nothing but the "
                      "files heetui wrote there, unchanged (else refused, naming the others)")
