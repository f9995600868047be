"""``heetui edit``: the workspace's edits on the command line, one subcommand per kind.

Arguments only are read here; each edit is made by the engine's own functions
(``heetui.engine.edits``) and written by ``apply_edit``, as the app writes them, so an edit
that does not apply is one sentence (exit status 2) and leaves the file as it was.
"""

from __future__ import annotations

import argparse
import json
import math
import textwrap
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heetui.engine import Edit, Survey
    from heetui.survey.workspace import Workspace

    Commands = argparse._SubParsersAction[Any]

EDIT_DESCRIPTION = (
    "Change how the survey reads, never its data: each edit is one entry of the survey's "
    "workspace (a TOML file, docs/workspace.md; --workspace FILE names another), and the "
    "line printed says what was written to which file. Answers are given by code or label. "
    "An edit that does not apply to the survey is refused in one sentence and the file is "
    "left as it was. Undo an edit with `heetui edit remove ENTRY` (`heetui edit list` "
    "names the entries).")

EXAMPLES = """examples:
  heetui edit question relationship --label "Relationship"
  heetui edit answer relationship 1 "Very good indeed"
  heetui edit net relationship "Good (net)" 1 2
  heetui edit scores relationship 1=5 2=4 3=3 4=2 5=1
  heetui edit derive trusts_london --answer "NHS Trust in London=stakeholder_type=NHS Trust \
& region=London" --answer "Everyone else=else"
  heetui edit filter trusts "stakeholder_type=NHS Trust"
  heetui edit banner mine stakeholder_type trusts_london
  heetui tab relationship --by mine --filter @trusts
"""


def edit_command(sub: Commands, data_arg: Callable[..., None]) -> None:
    """The ``edit`` command and its subcommands (``data_arg`` adds --data and --workspace)."""
    edit = sub.add_parser("edit", help="edit the survey's workspace: labels, answer order, "
                          "hidden answers, nets, scores, bands, derived variables, saved "
                          "filters and banners (never the data)",
                          description=textwrap.fill(EDIT_DESCRIPTION, 88) + "\n\n" + EXAMPLES,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = edit.add_subparsers(dest="edit", metavar="EDIT", title="edits", required=True,
                              help="one of:")

    def add(name: str, help: str, question: bool = True) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = kinds.add_parser(
            name, help=help, description=help[0].upper() + help[1:] + ".")
        if question:
            p.add_argument("question", metavar="QUESTION", help="the question, by id")
        data_arg(p, False)
        return p

    p = add("question", "a question's text and/or short label (tables' headings)")
    p.add_argument("--text", help="the question's full text")
    p.add_argument("--label", help="its short label")
    p = add("answer", "an answer's label")
    p.add_argument("answer", metavar="ANSWER", help="the answer, by code or label")
    p.add_argument("label", metavar="LABEL", help="its new label")
    p = add("order", "the order of a question's answers in tables (those left out follow)")
    p.add_argument("answers", nargs="+", metavar="ANSWER", help="answers, by code or label")
    for name, words in (("hide", "hide answers from tables (their respondents stay in the "
                                 "base)"), ("show", "show hidden answers again")):
        p = add(name, words)
        p.add_argument("answers", nargs="+", metavar="ANSWER", help="answers, by code or label")
    p = add("net", "a net of answers of one question (a top or bottom box is a net)")
    p.add_argument("label", metavar="LABEL", help="the net's label")
    p.add_argument("answers", nargs="+", metavar="ANSWER", help="its answers, by code or label")
    p = add("scores", "scores of a single-choice question's answers, for its mean score "
            "(answers given none, such as Don't know, are left out of the mean)")
    p.add_argument("scores", nargs="+", metavar="ANSWER=VALUE", help="a score per answer")
    p = add("bands", "bands of a numeric question, to tabulate and filter it by")
    p.add_argument("edges", nargs="+", type=float, metavar="EDGE",
                   help="the lowest value of each band after the first: 35 55 gives "
                   "under 35, 35-54 and 55 and over")
    _derive_parser(add)
    p = add("filter", "a saved filter, used as --filter @NAME", question=False)
    p.add_argument("name", metavar="NAME", help="letters, digits and _, starting with a letter")
    p.add_argument("condition", metavar="CONDITION",
                   help="as --filter takes it; several joined by &: \"region=London & "
                   "stakeholder_type=NHS Trust\"")
    p.add_argument("--label", default="", help="a longer name (default: NAME)")
    p = add("banner", "a saved banner, used as --by NAME", question=False)
    p.add_argument("name", metavar="NAME", help="letters, digits and _, starting with a letter")
    p.add_argument("spans", nargs="+", metavar="SPAN",
                   help="its spans, as --by takes them (a segment, a question, a/b nested)")
    p.add_argument("--label", default="", help="a longer name (default: NAME)")
    p = add("remove", "remove an entry (an edit) from the workspace", question=False)
    p.add_argument("entry", metavar="ENTRY", help="as `heetui edit list` names it: "
                   "question.ID.FIELD, question.ID, derived.NAME, filter.NAME or banner.NAME")
    p = add("list", "the workspace's file and every entry in it, by line", question=False)
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _derive_parser(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("derive", "a derived variable: answers that are conditions over any variables, "
            "usable as a question, a --by span and a --filter", question=False)
    p.add_argument("name", metavar="NAME", help="its id: letters, digits and _, starting with "
                   "a letter, and not a variable of the survey")
    p.add_argument("--answer", action="append", required=True, metavar="LABEL=CONDITION",
                   help="an answer and who gives it, repeated in order: the label up to the "
                   "first =, then conditions as --filter takes them (\"Trusts in London="
                   "stakeholder_type=NHS Trust & region=London\"); LABEL=else: everyone no "
                   "earlier answer takes (last only)")
    p.add_argument("--multi", action="store_true",
                   help="multi-response: a respondent gives every answer whose condition "
                   "holds (default: single-choice, the first that holds)")
    p.add_argument("--text", default="", help="its text (default: NAME)")
    p.add_argument("--role", choices=("segment", "question"), default="segment",
                   help="listed with the segments (default) or the questions")


def cmd_edit(args: argparse.Namespace) -> None:
    from heetui.cli.main import open_survey, write_output
    from heetui.engine import apply_edit

    survey = open_survey(args)
    if args.edit == "list":
        write_output(_listing(survey, args.json), None)
        return
    for e in _make(survey, args):
        write_output(apply_edit(survey, e).message + "\n", None)


def _user_error(message: str) -> Exception:
    from heetui.errors import UserError

    return UserError(message)


def _scores(texts: list[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for text in texts:
        answer, eq, value = text.rpartition("=")
        try:
            score = float(value)
        except ValueError:
            score = math.nan
        if not eq or not answer.strip() or not math.isfinite(score):
            raise _user_error(f"Give each score as ANSWER=NUMBER (1=5), not {text!r}.")
        out[answer.strip()] = score
    return out


def _answers(texts: list[str]) -> list[tuple[str, str]]:
    out = []
    for text in texts:
        label, eq, when = text.partition("=")
        if not eq or not label.strip() or not when.strip():
            raise _user_error(f"Give each answer as LABEL=CONDITION (\"Trusts=stakeholder_type="
                              f"NHS Trust\"), not {text!r}.")
        out.append((label.strip(), when.strip()))
    return out


def _spans(texts: list[str]) -> list[str]:
    return [s.strip() for text in texts for s in text.split(",") if s.strip()]


def _entry_key(survey: Survey, text: str) -> tuple[str, ...]:
    """The entry ``heetui edit remove`` names, as it is in the workspace."""
    ws = survey.workspace
    assert ws is not None  # edit commands always open the survey with its workspace
    section, _, rest = text.strip().partition(".")
    key: tuple[str, ...] = (section, rest) if rest else (section,)
    if section == "question" and rest and ws.get(key) is None and "." in rest:
        question, _, field = rest.rpartition(".")
        key = (section, question, field)
    if ws.get(key) is None:
        raise _user_error(f"The workspace {ws.path} has no entry {text.strip()!r}; "
                          "`heetui edit list` names its entries.")
    return key


def _make(survey: Survey, args: argparse.Namespace) -> list[Edit]:
    """The edit the arguments ask for, made by the engine's function of its kind."""
    import heetui.engine as engine

    edits = engine.edits  # the front door's edit functions (heetui.engine names them)
    kind = args.edit
    if kind == "question":
        return edits.rename_question(survey, args.question, args.text, args.label)
    if kind == "answer":
        return [edits.relabel_answer(survey, args.question, args.answer, args.label)]
    if kind == "order":
        return [edits.order_answers(survey, args.question, args.answers)]
    if kind in ("hide", "show"):
        return [edits.hide_answers(survey, args.question, args.answers, kind == "hide")]
    if kind == "net":
        return [edits.add_net(survey, args.question, args.label, args.answers)]
    if kind == "scores":
        return [edits.set_scores(survey, args.question, _scores(args.scores))]
    if kind == "bands":
        return [edits.set_bands(survey, args.question, args.edges)]
    if kind == "derive":
        return [edits.derive(survey, args.name, _answers(args.answer), args.text, args.multi,
                             args.role)]
    if kind == "filter":
        return [edits.save_filter(survey, args.name, args.condition, args.label)]
    if kind == "banner":
        return [edits.save_banner(survey, args.name, _spans(args.spans), args.label)]
    return [edits.remove(_entry_key(survey, args.entry))]


def entries(ws: Workspace) -> Iterator[tuple[str, int | None, Any]]:
    """Every entry of the workspace: its name (as ``edit remove`` takes it), line, value."""
    data = ws.read()
    text = ws.text()
    from heetui.survey.workspace import line_of

    for section, table in data.items():
        if section != "question" or not isinstance(table, dict):
            items = table.items() if isinstance(table, dict) and section != "view" else [
                ("", table)]
            for name, value in items:
                key: tuple[str, ...] = (section, name) if name else (section,)
                yield ".".join(key), line_of(text, key), value
            continue
        for question, fields in table.items():
            for field, value in (fields.items() if isinstance(fields, dict) else [("", fields)]):
                key = ("question", question, field) if field else ("question", question)
                yield ".".join(key), line_of(text, key), value


def _listing(survey: Survey, as_json: bool) -> str:
    ws = survey.workspace
    assert ws is not None
    found = list(entries(ws))
    problems = [str(p) for p in survey.workspace_problems]
    if as_json:
        return json.dumps({"workspace": str(ws.path), "exists": ws.path.exists(),
                           "entries": [{"entry": k, "line": n, "value": v}
                                       for k, n, v in found],
                           "problems": problems}, ensure_ascii=False, indent=2,
                          default=str) + "\n"
    from heetui.survey.text import safe_text

    n = len(found)
    state = f"{n:,} {'entry' if n == 1 else 'entries'}" if ws.path.exists() else \
        "not created yet: no edits"
    out = [f"workspace: {ws.path} ({state})"]
    width = max((len(k) for k, _, _ in found), default=0)
    for key, line, value in found:
        out.append(f"  {key:<{width}}  line {line or '?':<4} "
                   f"{json.dumps(value, ensure_ascii=False, default=str)}")
    out += [f"  problem: {p}" for p in problems]
    return "\n".join(safe_text(line) for line in out) + "\n"  # what the file says, shown
