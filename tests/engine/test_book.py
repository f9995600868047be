"""Tab books (engine.book): every table equals its own crosstab, findings are exactly the
significant tests ranked by gap, the book-wide BH is the BH of every p-value of the book,
and the app writes a book with a progress bar that Esc cancels."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from heetui.engine.book import BookRequest, book_questions, tab_book
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.errors import EngineError
from helpers import same_table


@pytest.fixture(scope="module")
def book(survey):
    return tab_book(survey, BookRequest(TabRequest("", "standard", weighted=True)))


def test_every_question_in_codebook_order_each_equal_to_its_table(survey, book):
    cb = survey.codebook
    expected = [v.id for v in cb.variables]  # coded open-ended questions included
    assert [t.question.id for t in book.tables] == expected
    survey.clear_cache()
    for ct in book.tables:
        same_table(ct, crosstab(survey, TabRequest(ct.question.id, "standard",
                                                   weighted=True)))


def test_findings_are_the_significant_tests_ranked_by_gap(book):
    found = {(f.table, f.row, frozenset((f.higher, f.lower))) for f in book.findings}
    expected = set()
    for i, ct in enumerate(book.tables):
        heads = {c.letter: f"{c.label} ({c.letter})" for c in ct.columns if c.letter}
        labels = {r.key: r.display_label for r in ct.rows}
        span = {c.letter: c.span for c in ct.columns if c.letter}
        # true by definition: a variable by itself, organisation type by its coarser net
        defining = {("stakeholder_type", "stakeholder_type"), ("org_type", "stakeholder_type"),
                    ("seniority", "seniority"), ("hee_team", "hee_team")}
        for t in ct.tests:
            if t.significant and (ct.question.id, span[t.a]) not in defining:
                expected.add((i, labels[t.row], frozenset((heads[t.a], heads[t.b]))))
    assert found == expected and len(found) > 20
    # ranked by gap to 1e-9 points: gaps equal but for their last bits are a tie
    gaps = [round(abs(f.gap), 9) for f in book.findings if f.kind != "mean"]
    assert gaps == sorted(gaps, reverse=True)
    for f in book.findings:
        assert f.higher_value >= f.lower_value and f.gap == pytest.approx(
            f.higher_value - f.lower_value)
    top = book.findings[0]  # readable on its own: the report's own finding about regions
    assert (top.question, top.row) == ("region", "National")


def test_book_wide_bh_is_the_bh_of_every_test(survey, book):
    wide = tab_book(survey, replace(book.request, book_bh=True))
    ps = np.array([t.p_value for ct in book.tables for t in ct.tests if t.tested])
    reject, adjusted, _, _ = multipletests(ps, alpha=0.05, method="fdr_bh")
    kept = sorted(round(f.p_adjusted, 12) for f in wide.findings)
    assert all(f.p_adjusted < 0.05 for f in wide.findings)
    assert len(wide.findings) < len(book.findings)
    assert set(kept) <= {round(a, 12) for a in adjusted[reject]}


def test_questions_and_groups_choose_tables(survey):
    b = tab_book(survey, BookRequest(TabRequest("", "seniority"), ("advocacy", "relationship")))
    assert [t.question.id for t in b.tables] == ["advocacy", "relationship"]
    engagement = book_questions(survey.codebook, BookRequest(TabRequest(""), group="engagement"))
    assert [v.id for v in engagement] == ["views_timing", "point_of_contact"]
    with pytest.raises(EngineError, match="No question is in the group 'nope'"):
        tab_book(survey, BookRequest(TabRequest(""), group="nope"))


async def test_app_writes_the_book_and_esc_cancels(survey, tmp_path, monkeypatch):
    import openpyxl

    import heetui.tui.book_screen as screen_module
    from heetui.tui.app import HeetuiApp
    from heetui.tui.book_screen import BookScreen
    from tui_helpers import settle

    monkeypatch.chdir(tmp_path)
    app = HeetuiApp(survey)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda msg, **kw: notes.append(msg)  # type: ignore[method-assign]
        await settle(app, pilot)
        app.set_view(replace(app.view, banner="standard", weighted=True))
        await settle(app, pilot)
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("enter")  # the proposed name
        await pilot.pause()
        for _ in range(200):
            if not isinstance(app.screen, BookScreen):
                break
            await asyncio.sleep(0.05)
        written = list(tmp_path.glob("heetui-book-by-standard-weighted.xlsx"))
        assert len(written) == 1 and notes[-1] == f"Saved the tab book {written[0]}"
        sheets = openpyxl.load_workbook(written[0]).sheetnames
        assert len(sheets) >= 2 + len(survey.codebook.variables)

        def slow_book(s, req, progress):  # a book long enough to press Esc during it
            for done in range(1000):
                progress(done, 1000)
                import time
                time.sleep(0.01)
            raise AssertionError("not cancelled")

        monkeypatch.setattr(screen_module, "tab_book", slow_book)
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("enter")  # a new name: -2 (the first is taken)
        await asyncio.sleep(0.2)
        assert isinstance(app.screen, BookScreen)
        await pilot.press("escape")
        for _ in range(100):
            if not isinstance(app.screen, BookScreen):
                break
            await asyncio.sleep(0.05)
        assert notes[-1] == "Tab book cancelled; nothing was written."
        assert len(list(tmp_path.glob("*.xlsx"))) == 1


@pytest.mark.parametrize("options", [
    ["--by", "standard", "--weighted"],
    ["--by", "region/seniority", "--compare", "rest", "--correction", "bh",
     "--filter", "in_contact=1"],
])
def test_every_book_table_equals_heetui_tab(capsys, options):
    import json

    from heetui.cli.main import main

    assert main(["book", *options, "--format", "json"]) == 0
    book = json.loads(capsys.readouterr().out)
    assert len(book["tables"]) == 15
    for table in book["tables"]:
        assert main(["tab", table["question"]["id"], *options, "--format", "json"]) == 0
        assert table == json.loads(capsys.readouterr().out)


def test_book_mistakes_are_one_sentence(capsys):
    from heetui.cli.main import main

    assert main(["book", "--by", "standard"]) == 2
    assert capsys.readouterr().err == ("heetui: error: A workbook needs a file name: add -o "
                                       "FILE.xlsx.\n")
    assert main(["book", "--questions", "nope", "--format", "md"]) == 2
    assert "Unknown question 'nope'" in capsys.readouterr().err


def test_every_written_book_says_what_it_holds(capsys, tmp_path):
    from heetui.cli.main import main

    said = []
    for suffix in ("xlsx", "html", "md"):
        target = tmp_path / f"book.{suffix}"
        assert main(["book", "--by", "standard", "--questions", "relationship,words", "-o",
                     str(target)]) == 0
        said.append(capsys.readouterr().err.strip().splitlines()[-1].split(": ", 1)[1])
    assert said[0].startswith("2 tables, ") and len(set(said)) == 1, said
