"""Disclosure control on every route: the count that decides is the people whose comments
would be shown after every narrowing; complements are refused with their group; no source
ids by default; attributes only as far as enough respondents share them; no off switch."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import polars as pl
import pytest
from textual.widgets import Static

from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import EngineError, Filter, parse_filter
from heetui.engine.session import open_survey
from heetui.engine.verbatims import CellRef, DisclosureError, Selection, verbatims
from heetui.output.xlsx import write_xlsx
from heetui.survey.bundle import BundleError, load_bundle
from heetui.tui.app import HeetuiApp
from heetui.tui.verbatim_screen import VerbatimScreen
from helpers import make_bundle, single
from test_cli_info import run
from test_tui import running, settle

THEME = "Funding transparency and timing"


def _bundle(tmp_path, few: int = 3, many: int = 40, texts: dict[int, str] | None = None,
            **survey):
    """Segment grp: "few" respondents and "many"; everyone comments once on "why" (theme 1,
    and theme 2 for the first of "many")."""
    grp = [1] * few + [2] * many
    n = len(grp)
    texts = texts or {i + 1: f"comment number {i + 1}" for i in range(n)}
    verb = pl.DataFrame(
        {"respondent_id": list(texts), "question": ["why"] * len(texts),
         "text": list(texts.values()),
         "themes": [[1, 2] if i == few + 1 else [1] for i in texts],
         "source": ["survey"] * len(texts), "attribution": [None] * len(texts)},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    folder = make_bundle(tmp_path / "b", [
        single("grp", ["few", "many"], role="segment"),
        single("q", ["yes", "no"]),
        {"id": "why", "type": "open", "text": "Why?"}],
        {"grp": grp, "q": [1 + i % 2 for i in range(n)]}, verbatims=verb,
        key_attributes=["grp"], **survey)
    cb = (folder / "codebook.toml").read_text()
    (folder / "codebook.toml").write_text(cb.replace(
        "[[segments]]", '[[themes]]\ncode = 1\nlabel = "T"\n\n[[themes]]\ncode = 2\n'
        'label = "Rare"\n\n[[segments]]', 1))
    return folder


# ---- the count after every narrowing -----------------------------------------------------

def test_a_theme_narrowing_a_permitted_group_to_one_person_is_refused_on_the_cli():
    r = run("verbatims", "--question", "improve", "--theme", THEME,
            "--filter", "org_type=Other organisation")
    assert r.returncode == 2
    assert r.stdout == ""
    assert "Comments are hidden" in r.stderr and "1 respondent," in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    # the same group without the theme is large enough
    assert run("verbatims", "--question", "improve", "--filter",
               "org_type=Other organisation").returncode == 0


def test_theme_and_search_narrowing_in_the_engine(tmp_path):
    s = open_survey(_bundle(tmp_path))
    many = parse_filter(s.codebook, "grp=many")
    assert verbatims(s, Selection(filters=(many,))).people == 40
    with pytest.raises(DisclosureError, match="1 respondent"):
        verbatims(s, Selection(filters=(many,), themes=(2,)))  # one person carries "Rare"
    with pytest.raises(DisclosureError, match="1 respondent"):
        verbatims(s, Selection(filters=(many,), search='"number 10"'))  # one text matches
    # a search that matches nobody reveals nobody: an empty page, not a refusal
    assert verbatims(s, Selection(filters=(many,), search="zebra")).total == 0


async def test_a_theme_in_the_app_is_refused(tmp_path):
    s = open_survey(_bundle(tmp_path))
    async with running(HeetuiApp(s)) as (app, pilot):
        sel = Selection(filters=(parse_filter(s.codebook, "grp=many"),), themes=(2,))
        app.push_screen(VerbatimScreen(s, sel))
        await settle(app, pilot)
        text = str(app.screen.query_one("#vsummary", Static).render())
        assert "Comments are hidden" in text and "1 respondent" in text
        assert "comment number" not in text


# ---- complements -------------------------------------------------------------------------

def test_the_complement_of_a_refused_group_is_refused(tmp_path):
    s = open_survey(_bundle(tmp_path))
    cb = s.codebook
    ct = crosstab(s, TabRequest("q", "grp"))
    yes = ct.rows[0]
    few_cell = CellRef("q", yes.codes, yes.label, (Filter("grp", (1,)),))
    many_cell = CellRef("q", yes.codes, yes.label, (Filter("grp", (2,)),))
    total_cell = CellRef("q", yes.codes, yes.label)
    with pytest.raises(DisclosureError):
        verbatims(s, Selection(cell=few_cell))  # 2 people
    with pytest.raises(DisclosureError, match="rest of its view"):
        verbatims(s, Selection(cell=many_cell))  # Total minus it is those 2 people
    assert verbatims(s, Selection(cell=total_cell)).people == 22
    # a profile: the group of 3, the rest and everyone
    group = (parse_filter(cb, "grp=few"),)
    rest = CellRef("q", (), "", group=group, in_group=False)
    with pytest.raises(DisclosureError, match="rest of its view"):
        verbatims(s, Selection(cell=rest))
    everyone = CellRef("q", (), "", group=group, in_group=None)
    assert verbatims(s, Selection(cell=everyone)).people == 43


def test_profile_rest_of_a_one_person_group_is_refused(survey):
    """Respondent 8 is the only HEI · North West · Chair/CEO: Enter on the rest of that
    profile would show everyone but them, so it is refused like the group."""
    cb = survey.codebook
    group = (parse_filter(cb, "org_type=HEI"), parse_filter(cb, "region=North West"),
             parse_filter(cb, "seniority=Chair/CEO/Executive Director"))
    for in_group in (True, False):
        with pytest.raises(DisclosureError):
            verbatims(survey, Selection(cell=CellRef("relationship", (), "", group=group,
                                                     in_group=in_group)))


# ---- ids and attributes ------------------------------------------------------------------

def test_no_source_ids_by_default_and_attributes_only_when_shared(survey, raw):
    r = run("verbatims", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["min_group"] == 5
    comments = data["comments"]
    assert comments and all("respondent_id" not in c and "comment_id" not in c
                            for c in comments)
    assert [c["number"] for c in comments] == list(range(1, len(comments) + 1))
    # every attribute combination shown is shared by at least 5 respondents of the survey
    labels = {"Stakeholder type": ("stakeholder_type", {"HEI": 1, "NHS Trust": 2, "Other": 3}),
              "Seniority": ("seniority", {"Chair/CEO/Executive Director": 1, "Other role": 2})}
    regions = ["East of England", "Midlands", "North West", "North East and Yorkshire",
               "South West", "London", "South East", "National"]
    withheld = 0
    for c in comments:
        cond = pl.lit(True)
        for k, v in c["attributes"].items():
            if k == "Region":
                chosen = set(v.split(", ")) if v != "-" else set()
                for i, name in enumerate(regions, start=1):
                    cond &= pl.col(f"region_{i}") == (1 if name in chosen else 0)
            else:
                col, codes = labels[k]
                cond &= pl.col(col) == codes[v]
        if c["source"] == "survey":
            assert raw.filter(cond).height >= 5, c["attributes"]
        withheld += c["attributes_withheld"]
    assert withheld > 0  # some combinations are rare enough to be coarsened


def test_respondent_8_is_never_shown_with_all_three_attributes(survey):
    owner = verbatims(survey, Selection(), 0, 10**6, show_ids=True)
    theirs = [v for v in owner.items if v.respondent_id == 8]
    assert theirs  # they did comment
    for v in theirs:
        assert len(v.attributes) < 3 and v.withheld
    public = verbatims(survey, Selection(), 0, 10**6)
    assert all(v.respondent_id is None for v in public.items)


def test_source_ids_on_request():
    r = run("verbatims", "--format", "json", "--limit", "3", "--show-source-ids")
    assert r.returncode == 0, r.stderr
    assert all("respondent_id" in c for c in json.loads(r.stdout)["comments"]
               if c["source"] == "survey")


# ---- no silent off switch ----------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "-1", "2"])
def test_min_group_below_the_floor_is_refused(value):
    r = run("verbatims", "--min-group", value)
    assert r.returncode == 2 and r.stdout == ""
    assert "at least 3" in r.stderr and "Traceback" not in r.stderr


def test_min_group_below_the_floor_in_a_codebook_is_a_problem(tmp_path):
    folder = _bundle(tmp_path, min_group=-1)
    with pytest.raises(BundleError, match="min_group"):
        load_bundle(folder)


def test_min_group_in_the_engine(survey):
    with pytest.raises(EngineError, match="at least 3"):
        verbatims(survey, Selection(), min_group_size=0)


def test_every_output_states_the_threshold(tmp_path):
    folder = _bundle(tmp_path, min_group=7)
    text = run("verbatims", "--data", str(folder))
    assert text.returncode == 0 and "groups of 7+" in text.stdout
    js = run("verbatims", "--data", str(folder), "--format", "json")
    assert json.loads(js.stdout)["min_group"] == 7
    rows = list(csv.DictReader(io.StringIO(run("verbatims", "--data", str(folder),
                                                "--format", "csv").stdout)))
    assert rows and all(r["min_group"] == "7" for r in rows)


# ---- exports never carry a live formula --------------------------------------------------

def test_formulas_are_neutralised_in_csv_and_xlsx(tmp_path):
    hostile = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    texts = {i + 1: (hostile if i == 5 else f"+{i} plus" if i == 6 else f"ok {i}")
             for i in range(43)}
    folder = _bundle(tmp_path, texts=texts)
    cb = (folder / "codebook.toml").read_text().replace('label = "yes"', f"label = '{hostile}'")
    (folder / "codebook.toml").write_text(cb)
    out = run("verbatims", "--data", str(folder), "--format", "csv").stdout
    cells = [r["text"] for r in csv.DictReader(io.StringIO(out))]
    assert "'" + hostile in cells and "'+6 plus" in cells and hostile not in cells
    tab = run("tab", "q", "--data", str(folder), "--format", "csv").stdout
    assert "'" + hostile in [r["row"] for r in csv.DictReader(io.StringIO(tab))]
    s = open_survey(folder)
    path = write_xlsx(crosstab(s, TabRequest("q", "grp")), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path).active
    found = [c for row in ws.iter_rows() for c in row if c.value and hostile in str(c.value)]
    assert found and all(c.data_type == "s" for c in found)
    js = run("verbatims", "--data", str(folder), "--format", "json").stdout
    assert hostile in [c["text"] for c in json.loads(js)["comments"]]  # JSON keeps text exact
