"""``heetui diff A B``: what moved between two books (engine.diffing). Each side is a book
written by ``heetui book --format json``, or a survey (a bundle or a file heetui opens: two
waves), whose book is made here by the command line's own ``book`` with the same banner,
filters and weighting on both sides. Exit status 0 when nothing changed, 1 when something
did (a re-run can be gated on it), 2 on a mistake."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.errors import UserError
from heetui.output import formats

if TYPE_CHECKING:
    from heetui.cli.parser import Commands

CHANGED = 1  # the exit status when any cell changed


def diff_command(sub: Commands, sig_levels: Callable[[str], Any]) -> None:
    diff = sub.add_parser("diff", help="what changed between two books or two waves; exit "
                          "status 1 when anything did")
    diff.add_argument("first", metavar="A", help="a book (.json, from heetui book --format "
                      "json) or a survey: bundle folder or file")
    diff.add_argument("second", metavar="B", help="the same for the other side")
    diff.add_argument("--by", action="append", default=[], metavar="SPANS",
                      help="surveys: the banner of both books (default: Total only)")
    diff.add_argument("--filter", action="append", default=[], metavar="VAR=VALUE",
                      help="surveys: keep respondents matching, on both sides")
    diff.add_argument("--weighted", action="store_true", help="surveys: weight both books")
    diff.add_argument("--sig-level", type=sig_levels, default=(0.05, None),
                      metavar="ALPHA", help="significance level of a change (default 0.05)")
    diff.add_argument("--format", choices=formats.names("diff"), default=None,
                      help=formats.help_text("diff"))
    diff.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    diff.add_argument("--force", action="store_true", help="replace an existing -o FILE")


def _book(path: str, args: argparse.Namespace, main: Callable[[Sequence[str]], int]
          ) -> dict[str, Any]:
    given = Path(path)
    if given.suffix.lower() == ".json":
        try:
            book: dict[str, Any] = json.loads(given.read_text(encoding="utf-8"))
            return book
        except (OSError, UnicodeDecodeError, ValueError) as e:
            raise UserError(f"{path} cannot be read as a book in JSON ({e}).") from None
    with tempfile.TemporaryDirectory(prefix="heetui-diff-") as folder:
        out = Path(folder) / "book.json"
        words = ["book", "--data", path, "--format", "json", "-o", str(out)]
        for by in args.by:
            words += ["--by", by]
        for f in args.filter:
            words += ["--filter", f]
        words += ["--weighted"] if args.weighted else []
        said = io.StringIO()
        with contextlib.redirect_stderr(said):  # its "wrote …" line is not the user's file
            status = main(words)
        if status != 0:
            sys.stderr.write(said.getvalue())
            raise SystemExit(status)
        made: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return made


def cmd_diff(args: argparse.Namespace, main: Callable[[Sequence[str]], int],
             write: Callable[[str, str | None, str, bool], None]) -> int:
    from heetui.engine import diff_books

    first, second = _book(args.first, args, main), _book(args.second, args, main)
    found = diff_books(first, second, args.sig_level[0])
    text = formats.renderer("diff", args.format or "text").render(found, formats.Options())
    write(text if isinstance(text, str) else "".join(text), args.output,
          f"{len(found.changes)} changes", args.force)
    return CHANGED if found.changes else 0
