"""The command line explains itself: `heetui [PATH]` in the usage, help text for every
option, and a mistyped question answered with every question that tabulates."""

from __future__ import annotations

import argparse

import pytest

from heetui.cli.main import main
from heetui.cli.parser import build_parser


def _options(parser: argparse.ArgumentParser, name: str = "heetui"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from _options(sub, f"heetui {sub_name}")
        yield name, action


def test_top_level_usage_shows_path(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: heetui [PATH]\n")
    assert "COMMAND" in out and "tab" in out and "import" in out


def test_subcommand_usage_names_the_subcommand(capsys):
    with pytest.raises(SystemExit):
        main(["tab", "--help"])
    assert capsys.readouterr().out.startswith("usage: heetui tab ")
    with pytest.raises(SystemExit) as e:
        main(["tab"])
    assert e.value.code == 2
    assert capsys.readouterr().err.startswith("heetui tab: error: ")


def test_every_option_has_help_text():
    missing = [f"{name} {'/'.join(a.option_strings) or a.dest}"
               for name, a in _options(build_parser()) if not a.help]
    assert missing == []


def test_unknown_question_lists_every_question_that_tabulates(survey, capsys):
    assert main(["tab", "no_such_question"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.endswith(".")  # one line, one sentence
    assert err.count(". ") == 0 and err.count(";") == 1
    listed = err.split("choose one of: ", 1)[1].rstrip(".").split(", ")
    cb = survey.codebook
    coded = [v.id for v in cb.variables if v.type == "open"]
    assert coded and cb.themes  # the bundled survey codes its comments to themes
    assert listed == [v.id for v in cb.variables]  # closed questions and coded open ones
    for q in listed:  # and each of them does tabulate
        assert main(["tab", q, "--format", "csv"]) == 0, q
    capsys.readouterr()
