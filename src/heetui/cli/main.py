"""The ``heetui`` command line. Errors: one sentence on stderr, exit status 2."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.cli.code import cmd_code
from heetui.cli.diff import cmd_diff
from heetui.cli.edit import cmd_edit
from heetui.cli.parser import USER_ERROR, build_parser
from heetui.cli.plan import cmd_plan, cmd_run
from heetui.cli.quotes import cmd_quotes
from heetui.config import ConfigError, UserConfig, load_config
from heetui.errors import HeetuiError, UserError
from heetui.survey.text import counted, safe_text

if TYPE_CHECKING:
    from heetui.engine import Audit, Crosstab, Survey, TabRequest
    from heetui.output.formats import Options
    from heetui.survey.codebook import Codebook

MAX_CHART_WIDTH = 500  # characters; a wider chart is no longer readable in any terminal
MAX_CHART_HEIGHT = 200
MAX_TEXT_WIDTH = 1000
MAX_ROWS = 10**12  # --limit and --offset: far beyond any survey, well within DuckDB's BIGINT


def write_output(text: str | Iterable[str], target: str | None, what: str = "",
                 replace: bool = False) -> None:
    """``text`` (or its pieces, written as they come) to standard output, or atomically to
    ``target`` (said on stderr, with ``what`` it holds), replacing an existing file only
    with ``replace`` (--force)."""
    chunks = [text] if isinstance(text, str) else text
    if target is None:
        if sys.stdout is None:
            raise UserError("Standard output is closed; write to a file with -o FILE.")
        try:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()  # a full disk is reported here, not at exit
        except BrokenPipeError:
            raise
        except OSError as e:
            raise OSError(e.errno, e.strerror, "standard output") from e
        return
    from heetui.output.atomic import write_chunks

    write_chunks(Path(target), chunks, replace)
    sys.stderr.write(f"wrote {target}{': ' + what if what else ''}\n")


# the commands taking -o FILE
FILE_OUTPUTS = ("tab", "chart", "profile", "book", "verbatims", "words", "weight", "quotes")


def survey_inputs(args: argparse.Namespace) -> tuple[Path, ...]:
    """The files a command reads: the survey file, or a bundle's own files, its workspace
    and a comment session."""
    from heetui.survey.bundle import bundled_survey_path
    from heetui.survey.write import bundle_inputs

    given = getattr(args, "data", None) or getattr(args, "path", None)
    origin = Path(given) if given else bundled_survey_path()
    survey = bundle_inputs(origin)
    if getattr(args, "waves", None):  # every wave's files
        from heetui.opening import parse_waves

        waves = parse_waves(args.waves)
        survey = tuple(p for _, path in waves for p in bundle_inputs(path))
        origin = Path(waves[-1][1])  # the workspace is the latest wave's
    session = getattr(args, "session", None)  # verbatims --session: read, then rewritten
    workspace = getattr(args, "workspace", None)
    if workspace is None and not getattr(args, "no_edits", False):  # the survey's own
        from heetui.survey.workspace import default_workspace

        workspace = default_workspace(origin)
    return survey + ((Path(session),) if session else ()) + (
        (Path(workspace),) if workspace else ())


def check_file_output(args: argparse.Namespace) -> None:
    """Before any work: -o names neither a file the command reads nor, without --force, an
    existing file."""
    from heetui.output.atomic import check_output

    if args.command in FILE_OUTPUTS and args.output:
        check_output(Path(args.output), survey_inputs(args), args.force)


# the commands writing a result in a format of output.formats, and the kind of result
FORMAT_KINDS = {"tab": "table", "profile": "profile", "book": "book", "verbatims": "verbatims",
                "weight": "weights", "quotes": "quotes"}


def choose_format(args: argparse.Namespace) -> None:
    """Before any work: the format a command writes, from --format or else -o's suffix; a
    suffix contradicting --format, or naming a format the command does not write, is a
    mistake."""
    from heetui.output.formats import TEXT, choose, choose_among

    kind = FORMAT_KINDS.get(args.command or "")
    if kind is not None:  # FormatMismatch, a HeetuiError, says what disagrees
        args.format = choose(kind, args.format, args.output)
    elif args.command == "chart":  # text only: -o c.xlsx is as much a mistake
        choose_among((TEXT.name,), None, args.output)


def _default_path(cb: Codebook, ct: Crosstab, suffix: str, replace: bool,
                  config: UserConfig) -> Path:
    """The proposed name (output.names) in the settings' output folder, else here;
    numbered when taken unless replacing."""
    from heetui.output.names import export_stem, proposed_path

    stem = export_stem(cb, ct.question.id, ct.banner.id if ct.banner else None, ct.filters,
                       ct.weighted)
    return proposed_path(config, stem, suffix, replace)


def with_config(parser: argparse.ArgumentParser, config: UserConfig) -> argparse.ArgumentParser:
    """The settings file's defaults in place of the built-in ones, for every command taking
    the option (an option given on the command line still wins); --help names the file."""
    defaults = {"sig_level": config.sig_level, "decimals": config.decimals,
                "low_base": config.low_base, "min_test_base": config.min_test_base}
    parser.epilog = config.describe()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                command.epilog = config.describe()
                for option in command._actions:
                    if option.dest in defaults:
                        option.default = defaults[option.dest]
    return parser


def open_survey(args: argparse.Namespace) -> Survey:
    """The survey a command reads, with its workspace (--workspace, --no-edits); each of
    the workspace's problems is a warning on stderr (``check`` lists them instead) and the
    edits that apply are applied."""
    from heetui.engine import settings_banner
    from heetui.opening import open_path, open_wave_paths, parse_waves

    workspace = getattr(args, "workspace", None)
    edits = not getattr(args, "no_edits", False)
    if getattr(args, "waves", None):
        if getattr(args, "data", None):
            raise UserError("give --waves or --data, not both.")
        survey = open_wave_paths(parse_waves(args.waves), workspace=workspace, edits=edits)
        for wave_note in survey.notes:
            sys.stderr.write(f"heetui: note: {wave_note}\n")
    else:
        survey = open_path(getattr(args, "data", None) or getattr(args, "path", None),
                           workspace=workspace, edits=edits)
    _INTERRUPT.surveys.append(survey)
    _choose_weight(survey, args)
    if args.command != "check":
        for problem in survey.workspace_problems:  # the file's text, shown as it is
            sys.stderr.write(f"heetui: workspace: {safe_text(str(problem))}\n")
    if getattr(args, "by", None) == []:  # no --by: the settings' banner, if the survey has it
        banner, note = settings_banner(survey.codebook, args.config)
        if note:
            sys.stderr.write(f"heetui: note: {note}\n")
        args.by = [banner] if banner else []
    return survey


def _choose_weight(survey: Survey, args: argparse.Namespace) -> None:
    """--weight NAME: weight by that weight (one sentence when the survey has no such
    weight), which implies --weighted."""
    name = getattr(args, "weight_name", None)
    if name is not None:
        survey.choose_weight(name)
        args.weighted = True


def cmd_weight(args: argparse.Namespace) -> None:
    from heetui.cli.weights import weight_command

    weight_command(args, open_survey(args))


def cmd_info(args: argparse.Namespace) -> None:
    import json

    from heetui.engine import overview
    from heetui.output.info import info_json, info_text

    survey = open_survey(args)
    ov = overview(survey)
    cb = survey.codebook
    ws, problems = survey.workspace, len(survey.workspace_problems)
    if args.json:
        write_output(json.dumps(info_json(ov, cb, ws, problems), ensure_ascii=False,
                                indent=2) + "\n", None)
    else:
        write_output(info_text(ov, cb, workspace=(ws, problems)), None)


def cmd_check(args: argparse.Namespace) -> None:
    """The survey's data and codebook (opening validates them: a problem is one sentence)
    and its workspace: every entry that does not apply, by line, one sentence each."""
    survey = open_survey(args)
    ws = survey.workspace
    problems = survey.workspace_problems
    for problem in problems:
        write_output(f"{safe_text(str(problem))}\n", None)
    if problems and ws is not None:
        raise UserError(f"The workspace {ws.path} has {counted(len(problems), 'problem')}; "
                        "each is left out until it is fixed or removed (`heetui edit remove "
                        "ENTRY`).")
    state = "none (--no-edits)" if ws is None else f"{ws.path}" + (
        "" if ws.path.exists() else " (not created yet)")
    write_output(f"ok: {survey.respondents:,} respondents, "
                 f"{counted(len(survey.codebook.variables), 'variable')}; workspace: {state}, "
                 "no problems\n", None)


def _request(args: argparse.Namespace, cb: Codebook, question: str) -> TabRequest:
    """The table tab, chart and book ask for: banner, filters, weighting and tests."""
    from heetui.engine import TabRequest, parse_filters

    return TabRequest(question, banner_arg(args.by), parse_filters(cb, args.filter),
                      args.weighted,
                      args.sig_level[0], args.correction, args.low_base, args.min_test_base,
                      compare=args.compare, loose_level=args.sig_level[1],
                      correction_family=args.correction_family, design=args.design)


def cmd_tab(args: argparse.Namespace) -> None:
    from heetui.engine import arrange, table
    from heetui.output.formats import renderer_for

    survey = open_survey(args)
    cb = survey.codebook
    ct = arrange(table(survey, _request(args, cb, args.question)), args.sort == "total",
                 args.hide_empty)
    out = renderer_for(ct, args.format)  # a crosstab's or a grid summary's
    if out.format.binary:
        target = Path(args.output) if args.output else _default_path(
            cb, ct, out.format.suffixes[0].lstrip("."), args.force, args.config)
        out.write(ct, target, _options(args, cb), replace=args.force)
        sys.stderr.write(f"wrote {target}\n")
        return
    width = args.width or _terminal_width(args.output)
    if not 40 <= width <= MAX_TEXT_WIDTH:
        raise UserError(f"Tables take a width of 40 to {MAX_TEXT_WIDTH} characters.")
    write_output(out.render(ct, _options(args, cb, width=width)), args.output,
                 replace=args.force)


def _options(args: argparse.Namespace, cb: Codebook | None = None, **more: Any) -> Options:
    """What tab and book ask of their outputs (--show, --counts, --ids, --decimals)."""
    from heetui.output.formats import Options

    return Options(show=args.show, weighted_counts=args.counts == "weighted", ids=args.ids,
                   decimals=getattr(args, "decimals", 0), codebook=cb, **more)


def _terminal_width(output: str | None) -> int:
    import shutil

    if output is None and sys.stdout is not None and sys.stdout.isatty():
        return shutil.get_terminal_size((120, 40)).columns
    return 120


def banner_arg(by: list[str]) -> str | None:
    """Repeated --by and commas mean the same: spans side by side."""
    return ",".join(b for b in by if b.strip()) or None


def cmd_chart(args: argparse.Namespace) -> None:
    import os
    import shutil

    from heetui.engine import table
    from heetui.output.chart_data import charts
    from heetui.output.charts import render

    survey = open_survey(args)
    cb = survey.codebook
    ct = table(survey, _request(args, cb, args.question))
    tty = sys.stdout.isatty() and args.output is None
    width = args.width or (shutil.get_terminal_size((100, 40)).columns if tty else 100)
    if not 40 <= width <= MAX_CHART_WIDTH:
        raise UserError(f"Charts take a width of 40 to {MAX_CHART_WIDTH} characters.")
    if args.height is not None and not 5 <= args.height <= MAX_CHART_HEIGHT:
        raise UserError(f"Charts take a height of 5 to {MAX_CHART_HEIGHT} rows.")
    color = tty and not os.environ.get("NO_COLOR")
    if args.kind is None:
        from heetui.output.plotext_charts import default_kind

        args.kind = default_kind(ct)
    if args.kind == "bar":
        text = render(charts(ct, cb.benchmarks), width, color, args.height)
    else:
        text = _plotted(args, survey, ct, width, color)
    write_output(text, args.output, replace=args.force)


def _plotted(args: argparse.Namespace, survey: Survey, ct: Crosstab, width: int,
             color: bool) -> str:
    """A histogram, box plots, means or a trend (output.plotext_charts)."""
    from heetui.engine import histogram
    from heetui.output.plotext_charts import kinds_of, render_kind

    hist = None
    if args.kind == "histogram" and "histogram" in kinds_of(ct):
        hist = histogram(survey, _request(args, survey.codebook, args.question))
    return render_kind(args.kind, ct, width, color, args.height, hist)  # ChartKindError: 2


def cmd_profile(args: argparse.Namespace) -> None:
    from heetui.engine import parse_filters, profile
    from heetui.output.formats import Options, renderer_for

    survey = open_survey(args)
    group = parse_filters(survey.codebook, args.filter)
    bar = _Progress()
    try:
        p = profile(survey, group, args.against, args.weighted, args.sig_level[0],
                    args.correction, lambda done, total: bar("tables", done, total),
                    args.sig_level[1], args.design)
    finally:
        bar.end()
    write_output(renderer_for(p, args.format).render(p, Options(show_all=args.all)),
                 args.output, replace=args.force)


def cmd_verbatims(args: argparse.Namespace) -> None:
    from heetui.engine import Selection, parse_filters, resolve_theme, verbatims
    from heetui.output.formats import Options, renderer_for

    survey = open_survey(args)
    cb = survey.codebook
    sel = Selection(question=args.question, filters=parse_filters(cb, args.filter),
                    themes=tuple(resolve_theme(cb, t, args.question) for t in args.theme),
                    search=args.search, uncoded=args.uncoded)
    if not 0 <= args.limit <= MAX_ROWS or not 0 <= args.offset <= MAX_ROWS:
        raise UserError(f"--limit and --offset take 0 to {MAX_ROWS:,} (--limit 0: all).")
    audit = _read_session(Path(args.session), cb) if args.session else None
    page = verbatims(survey, sel, args.offset, args.limit or MAX_ROWS, args.min_group,
                     show_ids=args.show_source_ids, earlier=audit.shown if audit else ())
    if audit is not None and audit.record(sel):  # recorded before the comments are written
        from heetui.output.atomic import write_bytes

        # the session file is heetui's own, rewritten as the session goes on
        write_bytes(Path(args.session), audit.dumps(cb).encode("utf-8"), replace=True)
    write_output(renderer_for(page, args.format).render(page, Options()), args.output,
                 replace=args.force)


MAX_SESSION_BYTES = 10_000_000


def cmd_words(args: argparse.Namespace) -> None:
    from heetui.engine import distinctive_words, parse_filter
    from heetui.output.formats import Options, renderer

    if not 1 <= args.top <= 1000:
        raise UserError("--top takes 1 to 1000 terms.")
    survey = open_survey(args)
    cb = survey.codebook
    found = distinctive_words(survey, args.question, banner_arg(args.by) or "",
                              tuple(parse_filter(cb, f) for f in args.filter), args.top,
                              args.min_group)
    write_output(renderer("words", args.format or "text").render(found, Options()),
                 args.output, replace=args.force)


def _read_session(path: Path, cb: Codebook) -> Audit:
    """The comment session kept in ``path`` (a new one when there is no such file)."""
    from heetui.engine import Audit

    if not path.exists():
        return Audit()
    try:
        if path.stat().st_size > MAX_SESSION_BYTES:
            raise UserError(f"The session file {path} is larger than any session heetui "
                            "writes; give a new file name.")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise UserError(f"The session file {path} cannot be read as a heetui comment "
                        "session; give a new file name.") from None
    return Audit.loads(text, cb)


def cmd_book(args: argparse.Namespace) -> None:
    from heetui.engine import BookRequest, tab_book
    from heetui.output.formats import renderer

    out = renderer("book", args.format)
    if out.format.binary and not args.output:
        raise UserError(f"A workbook needs a file name: add -o FILE{out.format.suffixes[0]}.")
    survey = open_survey(args)
    cb = survey.codebook
    table = _request(args, cb, "")
    questions = tuple(q.strip() for q in (args.questions or "").split(",") if q.strip())
    bar = _Progress()
    try:
        book = tab_book(survey, BookRequest(table, questions, args.group, args.findings_bh),
                        lambda done, total: bar("tables", done, total))
    finally:
        bar.end()
    contents = f"{counted(len(book.tables), 'table')}, {counted(len(book.findings), 'finding')}"
    if out.format.binary:
        out.write(book, Path(args.output), _options(args, cb), replace=args.force)
        sys.stderr.write(f"wrote {args.output}: {contents}\n")
        return
    write_output(out.render(book, _options(args, cb)), args.output, contents, args.force)


class _Progress:
    """A progress bar on stderr when it is a terminal (rich), nothing on a pipe."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if sys.stderr is None or not sys.stderr.isatty():
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(TextColumn("{task.description:<8}"), BarColumn(),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(stage, total=total)
        self._bar.update(self._task, completed=done, total=total, description=stage)

    def end(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def cmd_import(args: argparse.Namespace) -> None:
    from heetui.importers import SourceError, import_source
    from heetui.survey.codebook import VAR_TYPES

    progress = _Progress()
    try:
        out = import_source(Path(args.source), Path(args.output), args.weight,
                            Path(args.codebook) if args.codebook else None, args.force,
                            progress)
    except (SourceError, FileExistsError) as e:
        progress.end()
        raise UserError(_sentence(str(e))) from None
    progress.end()
    from heetui.survey.bundle import load_bundle

    cb = load_bundle(out, check_data=False).codebook
    recognised = cb.survey.get("recognised")
    if isinstance(recognised, str) and recognised:
        sys.stderr.write(f"recognised {recognised}\n")
    for key, head in (("import_notes", ""), ("import_unsure", "unsure: ")):
        for line in cb.survey.get(key) or ():
            sys.stderr.write(f"  {head}{line}\n")
    kinds = {t: sum(v.type == t for v in cb.variables) for t in VAR_TYPES}
    grids = (f" ({sum(len(g.items) for g in cb.grids)} of them items of "
             f"{counted(len(cb.grids), 'rating grid')})" if cb.grids else "")
    sys.stderr.write(f"wrote {out}: {kinds['single']} single-choice{grids}, {kinds['multi']} "
                     f"multi-response, {kinds['numeric']} numeric, {kinds['open']} open-ended; "
                     f"fix labels with `heetui edit` (kept apart, docs/workspace.md) or in "
                     f"{out / 'codebook.toml'}\n")


def _sentence(text: str) -> str:
    """A message ending as a sentence; its case is kept (it may start with a file name)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def cmd_demo(args: argparse.Namespace) -> None:
    from heetui.demo.build import DEFAULT_SEED, build

    bar = _Progress()
    try:
        out = build(Path(args.output), args.n, DEFAULT_SEED if args.seed is None else args.seed,
                    args.verbatim_share, lambda done, total: bar("respondents", done, total),
                    args.force, args.shift)
    except (ValueError, FileExistsError) as e:
        raise UserError(_sentence(str(e))) from None
    finally:
        bar.end()
    sys.stderr.write(f"wrote {args.n:,} respondents to {out}\n")


def cmd_open(args: argparse.Namespace) -> None:
    survey = open_survey(args)
    from heetui.tui.app import HeetuiApp

    app = HeetuiApp(survey, survey_inputs(args), args.config, resume=True)
    app.run()
    if app.return_code:
        raise SystemExit(app.return_code)  # the app ended on an error it could not handle


def _checked(words: Sequence[str]) -> None:
    """A plan's command read as the command line reads it (a mistake: exit status 2)."""
    with_config(build_parser(), load_config()).parse_args(list(words))


# each command prints or writes; one that returns a number ends with it as its exit status
COMMANDS: dict[str, Callable[[argparse.Namespace], int | None]] = {
            "info": cmd_info, "tab": cmd_tab, "chart": cmd_chart, "profile": cmd_profile,
            "book": cmd_book,
            "verbatims": cmd_verbatims,
            "words": cmd_words,
            "quotes": lambda args: cmd_quotes(args, open_survey, write_output),
            "weight": cmd_weight,
            "import": cmd_import,
            "demo": cmd_demo,
            "run": lambda args: cmd_run(args, main),
            "plan": lambda args: cmd_plan(args, _checked),
            "diff": lambda args: cmd_diff(args, main, write_output),
            "check": cmd_check,
            "edit": cmd_edit, "code": cmd_code}


def _place_data(args: argparse.Namespace) -> str | None:
    """``--data`` given before the subcommand means the same as after it; a mistake in where
    or how often it is given is returned as a sentence."""
    top = args.top_data
    if top is None:
        return None
    if args.command is None:
        if args.path is not None:
            return "give the survey as PATH or as --data PATH, not both."
        args.path = top
        return None
    if not hasattr(args, "data"):
        return f"{args.command} reads no survey, so --data does not apply to it."
    if args.data is not None and args.data != top:
        return "--data is given twice with different paths; give it once."
    args.data = top
    return None


def _place_waves(args: argparse.Namespace) -> str | None:
    """``heetui --waves …`` opens the app on them; before a subcommand it means --waves."""
    top = args.top_waves
    if top is None:
        return None
    if args.command is None:
        if args.path is not None or args.top_data is not None:
            return "give the survey as PATH, --data PATH or --waves, not two of them."
        args.waves = top
        return None
    if not hasattr(args, "waves"):
        return f"{args.command} takes no waves, so --waves does not apply to it."
    args.waves = args.waves or top
    return None


def _place_workspace(args: argparse.Namespace) -> str | None:
    """``--workspace`` and ``--no-edits`` given before the subcommand (or to the app) mean the
    same as after it; a mistake in them is returned as a sentence."""
    for top, dest, flag in ((args.top_workspace, "workspace", "--workspace"),
                            (args.top_no_edits, "no_edits", "--no-edits")):
        if args.command is None:
            setattr(args, dest, top)
        elif top:
            if not hasattr(args, dest):
                return f"{flag} does not apply to {args.command}."
            if getattr(args, dest) not in (None, False, top):
                return f"{flag} is given twice with different files; give it once."
            setattr(args, dest, top)
    if getattr(args, "workspace", None) and getattr(args, "no_edits", False):
        return "give --workspace FILE or --no-edits, not both."
    return None


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class _Interrupt:
    """Ctrl-C on a command: every query of the surveys it opened is stopped at once (a
    survey-wide command scans ahead in a second thread, which would otherwise be waited
    for), and whatever error the stopped work raises on its way out (DuckDB's "Query
    interrupted") is reported as the interruption it is."""

    def __init__(self) -> None:
        self.surveys: list[Survey] = []
        self.pressed = False

    def __call__(self, signum: int, frame: object) -> None:
        again = self.pressed  # DuckDB can hand the same Ctrl-C back to Python once more
        self.pressed = True
        for survey in self.surveys:
            survey.interrupt()
        if not again:
            raise KeyboardInterrupt


_INTERRUPT = _Interrupt()


def _failure(e: BaseException) -> int:
    """The exit status for what a command raised, its sentence written on stderr; anything
    unforeseen is raised again."""
    if _INTERRUPT.pressed or isinstance(e, KeyboardInterrupt):
        sys.stderr.write("heetui: interrupted\n")
        return 130
    if isinstance(e, HeetuiError):
        sys.stderr.write(f"heetui: error: {e.message()}\n")
        return USER_ERROR
    if isinstance(e, BrokenPipeError):
        return 0
    if isinstance(e, OSError):  # the system refused a read or write: a full disk, read-only
        where = f" {e.filename}" if e.filename else ""
        sys.stderr.write(f"heetui: error: cannot read or write{where}: {e.strerror or e}.\n")
        return USER_ERROR
    if isinstance(e, Exception) and _beyond_memory(e):  # work beyond the machine
        sys.stderr.write("heetui: error: this needs more memory than the system allows "
                         "(see Scaling in the README for heetui's bounds).\n")
        return USER_ERROR
    raise e


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    path = None
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        path = argv.pop(0)
    try:
        config = load_config()
    except ConfigError as e:
        return _failure(e)
    args = with_config(build_parser(), config).parse_args(argv)
    args.path = path
    args.config = config
    if path is not None and args.command is not None:
        sys.stderr.write("heetui: error: give a PATH or a subcommand, not both "
                         "(subcommands take --data PATH).\n")
        return USER_ERROR
    mistake = _place_waves(args) or _place_data(args) or _place_workspace(args)
    if mistake:
        sys.stderr.write(f"heetui: error: {mistake}\n")
        return USER_ERROR
    if args.command is not None:
        signal.signal(signal.SIGTERM, _terminated)  # unwind: temporary folders are removed
        signal.signal(signal.SIGINT, _INTERRUPT)
    try:
        check_file_output(args)  # naming a file the command reads is the graver mistake
        choose_format(args)
        status = COMMANDS.get(args.command or "", cmd_open)(args)
    except BaseException as e:
        if isinstance(e, SystemExit) and not _INTERRUPT.pressed:
            raise
        return _failure(e)
    return status or 0


def _beyond_memory(e: Exception) -> bool:
    """Python's or DuckDB's out-of-memory error, or a recursion past Python's stack."""
    duckdb = sys.modules.get("duckdb")
    return isinstance(e, MemoryError | RecursionError) or (
        duckdb is not None and isinstance(e, duckdb.OutOfMemoryException))


if __name__ == "__main__":
    raise SystemExit(main())
