"""Every view is a command: the ``heetui tab …`` arguments that print the table the app shows.

Plain data in, a list of arguments out (no Textual): the app's view (tui/state.ViewState),
the survey's model, where it was read from, and the settings file (whose defaults the
command line would apply in place of the built-in ones). An option is written when the view
differs from the built-in default or from this machine's settings, so the command prints
the same table here and on a machine with no settings file. A filter is written as
``--filter`` takes it and read back (engine.filters.parse_filter) before it is used: a
filter that would not read back as itself, or a view ``heetui tab`` cannot show (a group
compared with the rest, from the profile), is one sentence (``NotACommand``).
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from heetui.config import UserConfig
from heetui.engine import Filter, categories, parse_filter, settings_banner
from heetui.errors import EngineError
from heetui.survey.bundle import bundled_survey_path
from heetui.survey.codebook import Codebook
from heetui.tui.state import ViewState

BUILT_IN_LEVELS = (0.05, None)  # the command line's --sig-level without a settings file


class NotACommand(EngineError):
    """The view cannot be printed by ``heetui tab``; the message says why."""


@dataclass(frozen=True)
class Source:
    """Where the survey on screen was read from: the path the person opened (None: the
    bundled survey) and the workspace file given in place of the default one (None: the
    default, or none)."""

    data: Path | None = None
    workspace: Path | None = None
    own_weight: str | None = None  # the survey's own weight (--weighted); others: --weight


def number(x: float) -> str:
    """A number as --filter and --sig-level read it back exactly: no exponent, no
    trailing zeros ("40", "0.05", "1000000", "2.5")."""
    if float(x).is_integer():
        return str(int(x))
    return format(Decimal(repr(float(x))), "f")


def _range(r: tuple[float, float, bool, bool]) -> str | None:
    """One range as ``--filter`` writes it, or None when it has no such form."""
    lo, hi, lo_in, hi_in = r
    if lo == -math.inf and hi != math.inf:
        return f"{'<=' if hi_in else '<'}{number(hi)}"
    if hi == math.inf and lo != -math.inf:
        return f"{'>=' if lo_in else '>'}{number(lo)}"
    if math.isfinite(lo) and math.isfinite(hi) and lo_in and hi_in:
        return f"={number(lo)}" if lo == hi else f"={number(lo)}-{number(hi)}"
    return None


def filter_text(cb: Codebook, f: Filter, labels: bool = True) -> str:
    """``f`` as ``--filter`` takes it: answers by label (``labels``; by code where the
    labels would not read back as these answers, or without ``labels``), a numeric
    variable's bands by label, ranges as ``=LOW-HIGH``, ``>=N``, ``<N``…; NotACommand
    when no text reads back as ``f``."""
    name = f"{f.variable}="
    v = categories(cb.get(f.variable))
    texts: list[str] = []
    if f.ranges:
        parts = [_range(r) for r in f.ranges]
        if len(parts) == 1 and parts[0] is not None:
            texts.append(f.variable + parts[0])
        elif all(p is not None and p.startswith("=") for p in parts):
            texts.append(name + ",".join(str(p)[1:] for p in parts))
    elif v is not cb.get(f.variable):  # a numeric variable's bands: --filter takes labels
        texts.append(name + ",".join(v.option(c).label for c in f.codes))
    else:
        texts += [name + ",".join(v.option(c).label for c in f.codes)] if labels else []
        texts.append(name + ",".join(str(c) for c in f.codes))
    for text in texts:
        try:
            if parse_filter(cb, text) == f:
                return text
        except EngineError:
            continue
    raise NotACommand(f"The filter {f.describe(cb)} has no --filter form that reads back as "
                      "itself, so this view has no command.")


def _levels(levels: tuple[float, float | None]) -> str:
    return ",".join(number(x) for x in levels if x is not None)


def _differs(value: object, *defaults: object) -> bool:
    """Whether an option must be written: the view's value is not what the command line
    would take without it, here (the settings file) or elsewhere (the built-in default)."""
    return any(value != d for d in defaults)


def tab_argv(cb: Codebook, view: ViewState, source: Source, config: UserConfig,
             grid: bool = False) -> list[str]:
    """The arguments of ``heetui tab`` that print ``view``'s table (``grid``: the question
    is a grid, whose summary takes no banner)."""
    if view.group:
        raise NotACommand("This view compares a group with the rest (from the profile); "
                          "heetui tab has no such banner, so it has no command (heetui "
                          "profile --filter … lists where the group differs).")
    argv = ["heetui", "tab"]
    question_last = view.question.startswith("-")  # after "--", never read as an option
    if not question_last:
        argv.append(view.question)
    if source.data is not None and not _bundled(source.data):
        argv += ["--data", str(source.data.absolute())]
    if source.workspace is not None:
        argv += ["--workspace", str(source.workspace.absolute())]
    argv += _banner(cb, view, config, grid)
    for f in view.filters:
        argv += ["--filter", filter_text(cb, f)]
    chosen = cb.settings.weight
    if view.weighted and chosen is not None and chosen != source.own_weight:
        argv += ["--weight", chosen]  # a weight computed to targets (the workspace's)
    elif view.weighted:
        argv.append("--weighted")
    levels = (view.sig_level, view.loose_level)
    if _differs(levels, BUILT_IN_LEVELS, config.sig_level):
        argv += ["--sig-level", _levels(levels)]
    if view.show != "percent":
        argv += ["--show", view.show]
    if _differs(view.decimals, 0, config.decimals):
        argv += ["--decimals", str(view.decimals)]
    s = cb.settings
    low = s.low_base if view.low_base is None else view.low_base
    if _differs(low, s.low_base, s.low_base if config.low_base is None else config.low_base):
        argv += ["--low-base", str(low)]
    least = s.min_test_base if view.min_test_base is None else view.min_test_base
    here = s.min_test_base if config.min_test_base is None else config.min_test_base
    if _differs(least, s.min_test_base, here):
        argv += ["--min-test-base", str(least)]
    return argv + (["--", view.question] if question_last else [])


def _banner(cb: Codebook, view: ViewState, config: UserConfig, grid: bool) -> list[str]:
    """``--by`` as the view's table has it: its banner, or none (``--by ''``) where the
    settings file's banner would otherwise apply; a grid's summary takes no banner."""
    banner = None if grid else view.banner
    if banner:
        return ["--by", banner]
    if settings_banner(cb, config)[0] is not None:
        return ["--by", ""]
    return []


def _bundled(path: Path) -> bool:
    try:
        return path.resolve() == bundled_survey_path().resolve()
    except OSError:
        return False


def shell_line(argv: list[str]) -> str:
    """The command as a POSIX shell reads it back into ``argv`` (each argument quoted as
    it needs)."""
    return shlex.join(argv)
