"""``heetui weight``: the survey's weights listed, one weight's report, and a weight made to
targets (or removed) from the command line. The weight is a workspace entry
(``[weight.NAME]``), written by the engine's edits as the app writes it."""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.cli.main import write_output
from heetui.errors import UserError

if TYPE_CHECKING:
    from heetui.engine import Survey

# the options that set how a weight is computed, as the workspace entry names them
SETTINGS = {"unit": "unit", "start": "start", "min": "min", "max": "max",
            "max_iterations": "max_iterations", "tolerance": "tolerance",
            "max_gap": "max_gap", "label": "label"}
NUMBER = re.compile(r"^(.*):\s*([^:]*?)\s*%?\s*$", re.S)


def weight_command(args: argparse.Namespace, survey: Survey) -> None:
    settings = {key: getattr(args, attr) for attr, key in SETTINGS.items()
                if getattr(args, attr) is not None}
    making = bool(args.target or settings)
    if args.name is None and (making or args.remove):
        raise UserError("Name the weight: heetui weight NAME --target VAR=ANSWER:TARGET,….")
    if args.remove and making:
        raise UserError("--remove takes no targets or settings; give one or the other.")
    if args.remove:
        _remove(survey, args.name)
        return
    if making:
        _make(survey, args.name, args.target, settings)
    if args.name is None:
        _list(survey, args)
    else:
        _report(survey, args)


# ---- making and removing -------------------------------------------------------------------

def parse_target(text: str) -> tuple[str, dict[str, float]]:
    """``VAR=ANSWER:TARGET,ANSWER:TARGET`` (a target may end in %): the variable and each
    answer's target. An answer whose label holds a comma is read whole: a piece without
    ":TARGET" belongs to the next one."""
    var, eq, rest = text.partition("=")
    if not eq or not var.strip() or not rest.strip():
        raise UserError(f"--target {text!r} must read VAR=ANSWER:TARGET,ANSWER:TARGET,….")
    targets: dict[str, float] = {}
    pending = ""
    for piece in rest.split(","):
        pending = f"{pending},{piece}" if pending else piece
        m = NUMBER.match(pending)
        if m is None or not m.group(1).strip():
            continue
        answer, number = m.group(1).strip(), _number(m.group(2), var.strip(), text)
        if answer in targets:
            raise UserError(f"{answer} is given two targets in --target {text!r}.")
        targets[answer] = number
        pending = ""
    if pending.strip() or not targets:
        raise UserError(f"--target {text!r} must give each answer a number: "
                        "ANSWER:TARGET,ANSWER:TARGET,… (answers by code or label).")
    return var.strip(), targets


def _number(text: str, var: str, given: str) -> float:
    try:
        x = float(text)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise UserError(f"{text.strip()!r} is not a number, in the targets of {var} "
                        f"(--target {given!r}).")
    return x


def _make(survey: Survey, name: str, given: list[str], settings: dict[str, Any]) -> None:
    """Write the weight's entry (all of it, with --target; else its settings changed) and
    say what was written where."""
    from heetui import engine  # its front door: engine.edits is the module it exports

    targets: dict[str, dict[str, float]] = {}
    for text in given:
        var, table = parse_target(text)
        if var in targets:
            raise UserError(f"{var} is given targets twice; give each variable one --target.")
        targets[var] = table
    if not targets:
        entry = survey.workspace.get(("weight", name)) if survey.workspace else None
        if not isinstance(entry, dict):
            raise UserError(f"There is no weight {name} to change; give its targets with "
                            "--target VAR=ANSWER:TARGET,….")
        if not isinstance(entry.get("targets"), dict):
            raise UserError(f"The weight {name} is weighted by cells or within groups; change "
                            f"its entry in {survey.workspace.path if survey.workspace else ''} "
                            "by hand.")
        targets = entry["targets"]
        settings = {**{k: v for k, v in entry.items() if k != "targets"}, **settings}
    applied = engine.apply_edit(survey, engine.edits.weigh(survey, name, targets, **settings))
    sys.stderr.write(f"{applied.message}\n")


def _remove(survey: Survey, name: str) -> None:
    from heetui import engine

    if survey.workspace is None or survey.workspace.get(("weight", name)) is None:
        where = f" {survey.workspace.path}" if survey.workspace else ""
        raise UserError(f"The workspace{where} has no weight {name} to remove.")
    applied = engine.apply_edit(survey, engine.edits.remove(("weight", name)))
    sys.stderr.write(f"{applied.message}\n")


# ---- listing and reporting -----------------------------------------------------------------

def _list(survey: Survey, args: argparse.Namespace) -> None:
    from heetui.output.weight_report import (
        render_list_json,
        render_list_text,
        weight_lines,
        weight_problems,
    )

    if args.format not in ("text", "json"):
        raise UserError(f"The list of weights is written as text or JSON, not {args.format}; "
                        "name a weight for its report in other formats.")
    for problem in weight_problems(survey):
        sys.stderr.write(f"heetui: note: {problem}\n")
    lines = weight_lines(survey)
    text = render_list_json(lines) if args.format == "json" else render_list_text(lines)
    write_output(text, args.output, replace=args.force)


def _report(survey: Survey, args: argparse.Namespace) -> None:
    from heetui.output.formats import Options, renderer

    name = args.name
    report = survey.weight_reports.get(name)
    if report is None:
        from heetui.output.weight_report import weight_problems

        failed = weight_problems(survey, name)
        if failed:
            raise UserError(failed[0])
        if name not in survey.weight_names():
            survey.choose_weight(name)  # raises: the sentence naming the survey's weights
        raise UserError(f"{name} is the survey's own weight, not one computed to targets; "
                        "`heetui weight` lists its efficiency.")
    out = renderer("weights", args.format)
    if out.format.binary:
        if not args.output:
            raise UserError(f"A workbook needs a file name: add -o FILE"
                            f"{out.format.suffixes[0]}.")
        out.write(report, Path(args.output), Options(), replace=args.force)
        sys.stderr.write(f"wrote {args.output}\n")
        return
    write_output(out.render(report, Options()), args.output, replace=args.force)
