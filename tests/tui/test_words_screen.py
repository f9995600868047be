"""Pilot tests of the distinctive words screen (d on an open-ended question's table): Enter
on a term lists the comments of that column's people holding it, counted again here from
the raw files; a term or column resting on fewer than the minimum group never shows."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest
from textual.widgets import OptionList, Static

from heetui.engine.filters import Filter
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from heetui.tui.app import HeetuiApp
from heetui.tui.keys import key_names, own_bindings
from heetui.tui.modals import TextScreen
from heetui.tui.textual_internals import notifications
from heetui.tui.verbatim_screen import VerbatimScreen
from heetui.tui.words_screen import WordsScreen
from helpers import small_comment_bundle
from tui_helpers import running, screen_text, settle


async def open_words(app, pilot, question: str, banner: str) -> WordsScreen:
    app.set_view(replace(app.view, question=question, banner=banner))
    await settle(app, pilot)
    await pilot.press("d")
    await settle(app, pilot)
    assert isinstance(app.screen, WordsScreen)
    return app.screen


def lines(screen) -> list[str]:
    lst = screen.query_one("#wlist", OptionList)
    prompts = [lst.get_option_at_index(i).prompt for i in range(lst.option_count)]
    return [getattr(p, "plain", str(p)) for p in prompts]  # a Text, or a str read as markup


def comment_texts(screen: VerbatimScreen) -> list[str]:
    assert screen.shown is not None
    return [v.text for v in screen.shown[1].items]


async def test_enter_on_a_term_lists_the_columns_comments_holding_it():
    survey = open_survey()
    async with running(HeetuiApp(survey), size=(80, 24)) as (app, pilot):
        words = await open_words(app, pilot, "improve", "stakeholder_type")
        assert words.words is not None
        nhs = words.words.columns[1]
        assert nhs.label == "NHS Trust" and nhs.terms
        # a term others use too, so that the column's filter is what narrows its comments
        k, term = next((k, t) for k, t in enumerate(nhs.terms) if t.others)
        lst = words.query_one("#wlist", OptionList)
        lst.highlighted = lst.get_option_index(f"1:{k}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        texts = comment_texts(app.screen)
        assert texts and all(term.term in t.lower() for t in texts)
        # counted again from the files: NHS Trust respondents' comments on improve holding it
        folder = bundled_survey_path()
        nhs_ids = pl.read_parquet(folder / "respondents.parquet").filter(
            pl.col("stakeholder_type") == 2)["respondent_id"]
        expected = pl.read_parquet(folder / "verbatims.parquet").filter(
            (pl.col("question") == "improve") & pl.col("respondent_id").is_in(nhs_ids.to_list())
            & pl.col("text").str.to_lowercase().str.contains(term.term, literal=True))
        assert app.screen.total == expected.height >= term.people
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is words  # back to the words: its help names its keys
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
        body = " ".join(str(app.screen.query_one(Static).render()).split())
        for b in own_bindings(words):
            assert f"{key_names(b)} {b.tooltip}" in body
        assert "Enter on a term: the comments" in body and "Dirichlet" in body
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is words
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]


async def test_words_and_columns_below_the_minimum_group_never_show(tmp_path):
    # groups of 4, 5 and 6; the five write "slow payments", the six "great mentors", one of
    # the six adds "zebra": a word of one person
    texts = {i: "nothing in particular" for i in range(1, 5)}
    texts |= {i: "slow payments again" for i in range(5, 10)}
    texts |= {i: "great mentors" + (" zebra" if i == 10 else "") for i in range(10, 16)}
    survey = open_survey(small_comment_bundle(tmp_path, texts))
    async with running(HeetuiApp(survey)) as (app, pilot):
        words = await open_words(app, pilot, "why", "grp")
        shown = "\n".join(lines(words))
        assert "zebra" not in shown and "zebra" not in screen_text(app)
        assert "withheld" in lines(words)[1]  # the group of four: no terms
        assert "nothing" not in shown and "particular" not in shown
        assert "slow payments" in shown and "great mentors" in shown
        # a term of the five drills to exactly their five comments
        lst = words.query_one("#wlist", OptionList)
        five = next(i for i, c in enumerate(words.words.columns) if c.label == "five")
        k = next(i for i, t in enumerate(words.words.columns[five].terms)
                 if t.term == "slow payments")
        lst.highlighted = lst.get_option_index(f"{five}:{k}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, VerbatimScreen)
        assert comment_texts(app.screen) == ["slow payments again"] * 5
        assert app.screen.selection.cell.column == (Filter("grp", (2,)),)


@pytest.mark.parametrize(("question", "banner", "says"), [
    ("relationship", "stakeholder_type", "open-ended question"),
    ("improve", None, "Choose a banner"),
])
async def test_d_names_what_is_missing(question, banner, says):
    async with running(HeetuiApp(open_survey())) as (app, pilot):
        app.set_view(replace(app.view, question=question, banner=banner))
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is app.screen_stack[0]
        assert says in notifications(app)[-1].message


async def test_column_labels_are_shown_as_written(tmp_path):
    """Labels from the codebook are text, never markup, in the words' column headings."""
    texts = {i: "slow payments again" for i in range(1, 16)}
    folder = small_comment_bundle(tmp_path, texts)
    cb = folder / "codebook.toml"
    hostile = ("[bold red]four[/]", "[@click=app.quit]five[/]", "six [x] [/]")
    body = cb.read_text()
    for plain_label, label in zip(("four", "five", "six"), hostile, strict=True):
        body = body.replace(f'label = "{plain_label}"', f'label = "{label}"', 1)
    cb.write_text(body)
    survey = open_survey(folder)
    async with running(HeetuiApp(survey)) as (app, pilot):
        words = await open_words(app, pilot, "why", "grp")
        headings = [line for line in lines(words) if "commenters" in line]
        assert [h.split(" (")[0] for h in headings] == [
            o.label for o in survey.codebook.get("grp").options]
        assert "[@click=app.quit]five[/]" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and app.screen is app.screen_stack[0]
