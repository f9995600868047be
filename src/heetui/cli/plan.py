"""Tab plans: the outputs a workspace lists (``[plan.NAME] command = "tab …"``), each a
heetui command as typed on the command line, run again with ``heetui run`` on any wave.

A plan entry is the command itself, so a plan's output is what ``heetui tab``/``book`` print
with the same options, by construction: ``run`` hands each command to the command line's
own ``main`` with the survey (``--data``) and the workspace (``--workspace``) of the run. An
entry that no longer applies (a question gone in this wave) is reported by its line in
the workspace, in the command's own sentence, and the rest are still produced (``--strict``
stops at the first). A plan's outputs carry no date: run again on the same data, on any day,
they are the same files byte for byte.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from heetui.errors import UserError
from heetui.output.facts import undated

if TYPE_CHECKING:
    from heetui.cli.parser import Commands

RUNNABLE = ("tab", "book", "chart", "profile", "verbatims")  # what a plan's outputs can be


def plan_commands(sub: Commands, data_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    run = sub.add_parser("run", help="produce every output of a workspace's tab plan")
    run.add_argument("plan", nargs="?", metavar="WORKSPACE",
                     help="the workspace file holding the plan (default: the survey's own)")
    run.add_argument("--strict", action="store_true",
                     help="stop at the first output that cannot be produced")
    run.add_argument("--force", action="store_true",
                     help="replace output files a previous run wrote")
    data_arg(run)
    plan = sub.add_parser("plan", help="add, list or remove the outputs of the tab plan")
    actions = plan.add_subparsers(dest="action", required=True, metavar="ACTION",
                                  parser_class=type(plan), help="add, list or remove")
    add = actions.add_parser("add", help="add an output: heetui plan add [--workspace FILE] "
                             "NAME tab q1 --by region -o q1.xlsx")
    data_arg(add)  # with --workspace: the workspace holding the plan; before NAME
    add.add_argument("name", help="the output's name in the plan")
    add.add_argument("words", nargs=argparse.REMAINDER, metavar="COMMAND",
                     help="the heetui command it runs, as typed (tab, book, chart, profile or "
                     "verbatims, with -o FILE)")
    listed = actions.add_parser("list", help="the plan's outputs and their commands")
    data_arg(listed)
    remove = actions.add_parser("remove", help="remove an output from the plan")
    data_arg(remove)
    remove.add_argument("name", help="the output's name in the plan")


def _workspace(path: str | None, data: str | None) -> Path:
    from heetui.survey.bundle import bundled_survey_path
    from heetui.survey.workspace import default_workspace

    if path:
        return Path(path)
    return default_workspace(Path(data) if data else bundled_survey_path())


def _entries(ws: Path) -> list[tuple[str, str, int | None]]:
    """The plan's outputs in file order: name, command, the line it is written on."""
    from heetui.survey.workspace import Workspace, WorkspaceError, line_of

    w = Workspace(ws, ws)
    try:
        text = w.text()
        plan = w.read().get("plan", {})
    except WorkspaceError as e:
        raise UserError(str(e)) from None
    if not text:
        raise UserError(f"There is no workspace at {ws}; name the one holding the plan "
                        "(heetui run WORKSPACE --data PATH runs it on another survey), or add "
                        "outputs with `heetui plan add NAME tab … -o FILE`.")
    out = []
    for name, entry in plan.items() if isinstance(plan, dict) else ():
        command = entry.get("command", "") if isinstance(entry, dict) else ""
        out.append((name, command if isinstance(command, str) else "",
                    line_of(text, ("plan", name))))
    if not out:
        raise UserError(f"The workspace {ws} has no plan; add an output with `heetui plan add "
                        "NAME tab … -o FILE`.")
    return out


def _argv(command: str, ws: Path, data: str | None, force: bool) -> list[str]:
    """The command's words with the run's survey and workspace (unless it names its own)."""
    try:
        words = shlex.split(command)
    except ValueError as e:
        raise UserError(f"its command cannot be read ({e}).") from None
    if not words or words[0] not in RUNNABLE:
        raise UserError(f"its command must start with one of {', '.join(RUNNABLE)}.")
    if data and "--data" not in words:
        words += ["--data", data]
    if "--workspace" not in words:
        words += ["--workspace", str(ws)]
    if force and ("-o" in words or "--output" in words) and "--force" not in words:
        words.append("--force")
    return words


def cmd_run(args: argparse.Namespace, main: Callable[[Sequence[str]], int]) -> int:
    """Produce every output of the plan, one line each; exit status 1 when any could not
    be produced (listed by line), 0 when all were."""
    from rich.progress import Progress

    ws = _workspace(args.plan or args.workspace, args.data)
    entries = _entries(ws)
    failed = 0
    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("Running the plan", total=len(entries))
        for name, command, line in entries:
            where = f"{ws}:{line}" if line else str(ws)
            said = io.StringIO()
            try:
                words = _argv(command, ws, args.data, args.force)
                with contextlib.redirect_stderr(said), undated():
                    status = main(words)
            except UserError as e:
                status, said = 2, io.StringIO(f"heetui: error: {e}\n")
            except SystemExit as e:  # the command's arguments were refused (argparse)
                status = e.code if isinstance(e.code, int) else 2
            bar.advance(task)
            problem = " ".join(said.getvalue().replace("heetui: error: ", "").split())
            if status == 0:
                sys.stderr.write(f"{name}: done ({command})\n")
                continue
            failed += 1
            sys.stderr.write(f"{where}: {name}: {problem or f'exit status {status}'}\n")
            if args.strict:
                return 2
    sys.stderr.write(f"{len(entries) - failed} of {len(entries)} outputs produced.\n")
    return 1 if failed else 0


def cmd_plan(args: argparse.Namespace, check: Callable[[Sequence[str]], None]) -> None:
    """Add an output to the plan (its command checked as the command line would read it),
    list the plan, or remove an output."""
    from heetui.survey.workspace import Workspace, WorkspaceError

    ws = _workspace(args.workspace, args.data)
    w = Workspace(ws, Path(args.data) if args.data else ws)
    if args.action == "list":
        for name, command, _ in _entries(ws):
            sys.stdout.write(f"{name}: {command}\n")
        return
    try:
        if args.action == "remove":
            if w.set(("plan", args.name), None) is None:
                raise UserError(f"The plan has no output named {args.name}.")
            sys.stdout.write(f"Removed {args.name} from the plan in {ws}\n")
            return
        words = [x for x in args.words if x != "--"]
        if not words:
            raise UserError("plan add needs the command the output runs: heetui plan add NAME "
                            "tab q1 -o q1.xlsx.")
        command = shlex.join(words)
        _argv(command, ws, None, False)
        check(words)
        w.set(("plan", args.name), {"command": command})
    except WorkspaceError as e:
        raise UserError(str(e)) from None
    sys.stdout.write(f"Added {args.name} to the plan in {ws}: {command}\n")
