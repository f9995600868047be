"""Disclosure control on every route: the group (filters and cell) decides before any
narrowing, and a refusal reads like an empty answer; complements, overlaps within a table
and differences within a session are refused with their group; theme tables withhold small
columns; no source ids by default; attributes only as far as enough of the group share
them; no off switch."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import openpyxl
import polars as pl
import pytest
from textual.widgets import Static

from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.audit import Audit
from heetui.engine.comments import CellRef, DisclosureError, Selection, verbatims
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.disclosure import refusal
from heetui.engine.filters import Filter, parse_filter
from heetui.engine.session import open_survey
from heetui.errors import EngineError
from heetui.output.xlsx import write_xlsx
from heetui.survey.bundle import BundleError, bundled_survey_path, load_bundle
from heetui.tui.app import HeetuiApp
from heetui.tui.table_view import CrosstabTable
from heetui.tui.verbatim_screen import VerbatimScreen
from helpers import comment_bundle as _bundle
from helpers import make_bundle, single
from tui_helpers import running, settle

THEME = "Funding transparency and timing"


# ---- a group is decided on before anything narrows it -------------------------------------

REFUSAL = refusal(5)


def _small_group(raw: pl.DataFrame, comments: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """The comments of Other organisation · Chair/CEO (polars, not the engine), and the
    command-line filters naming that group."""
    people = raw.filter((pl.col("org_type") == 7) & (pl.col("seniority") == 1))
    theirs = comments.filter(pl.col("respondent_id").is_in(people["respondent_id"].to_list())
                             & (pl.col("text").str.strip_chars() != ""))
    return theirs, ["--filter", "org_type=Other organisation", "--filter", "seniority=1"]


def test_probing_a_small_group_word_by_word_gets_one_answer(raw):
    """Words from one person's comment and words nobody wrote, themes and questions tried
    one at a time on a group of 2 commenters: every answer is the same sentence, which
    names no count (today: "would show comments of 1 respondent" against "0 comments")."""
    comments = pl.read_parquet(bundled_survey_path() / "verbatims.parquet")
    theirs, group = _small_group(raw, comments)
    assert 0 < theirs["respondent_id"].n_unique() < 5
    words = theirs["text"][0].split()[:3] + ["zzyzx", "qwertyuiop"]
    probes = [["--search", w] for w in words] + [["--theme", "1"], ["--theme", "9"],
                                                  ["--question", "improve"], []]
    answers = {(r.returncode, r.stdout, r.stderr)
               for r in (run("verbatims", *group, *p) for p in probes)}
    assert answers == {(2, "", f"heetui: error: {REFUSAL}\n")}
    assert "respondent," not in REFUSAL and not set("012346789") & set(REFUSAL)


def test_search_and_theme_within_a_permitted_group_and_the_same_refusal(tmp_path):
    s = open_survey(_bundle(tmp_path))
    cb = s.codebook
    many, few = parse_filter(cb, "grp=many"), parse_filter(cb, "grp=few")
    assert verbatims(s, Selection(filters=(many,))).people == 40
    # within a group of 40 a search or theme may narrow to one person: the whole group
    # could be read, so this shows nothing new
    assert [v.text for v in verbatims(s, Selection(filters=(many,), themes=(2,))).items] \
        == ["comment number 4"]
    assert verbatims(s, Selection(filters=(many,), search='"number 10"')).total == 1
    refusals = set()
    refused = [Selection(filters=(few,)), Selection(filters=(few,), search="number 1"),
               Selection(filters=(few,), search="zebra"), Selection(filters=(few,), themes=(2,)),
               Selection(filters=(few, many))]  # nobody at all
    for sel in [Selection(filters=(many,), search="zebra"), *refused]:  # nothing matches
        with pytest.raises(DisclosureError) as e:
            verbatims(s, sel)
        refusals.add(str(e.value))
    assert refusals == {REFUSAL}
    # a refused group's comments are not counted either (nor is a refusal's time theirs)
    assert not any(s.is_cached(("comment counts", sel)) for sel in refused)


async def test_a_small_group_in_the_app_shows_the_reason_and_no_count(tmp_path):
    s = open_survey(_bundle(tmp_path))
    async with running(HeetuiApp(s)) as (app, pilot):
        sel = Selection(filters=(parse_filter(s.codebook, "grp=few"),))
        app.push_screen(VerbatimScreen(s, sel))
        await settle(app, pilot)
        text = str(app.screen.query_one("#vsummary", Static).render())
        assert REFUSAL in text and "3 respondents" not in text
        assert "comment number" not in text


@pytest.mark.parametrize("limit", ["5000", "21"])
def test_a_search_beyond_the_bounds_is_refused_before_the_work(limit):
    words = " ".join(f"w{i}" for i in range(int(limit)))
    r = run("verbatims", "--search", words)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "at most" in r.stderr


# ---- theme tables withhold what comments would -------------------------------------------

def _commenters(raw: pl.DataFrame, comments: pl.DataFrame, question: str) -> pl.DataFrame:
    ids = comments.filter((pl.col("question") == question) & pl.col("respondent_id").is_not_null()
                          & (pl.col("text").str.strip_chars() != ""))["respondent_id"]
    return raw.filter(pl.col("respondent_id").is_in(ids.to_list()))


def test_a_theme_table_withholds_columns_of_too_few_commenters(raw):
    comments = pl.read_parquet(bundled_survey_path() / "verbatims.parquet")
    who = _commenters(raw, comments, "improve").filter(pl.col("org_type") == 7)
    expected = {f"region={i}": who.filter(pl.col(f"region_{i}") == 1).height
                for i in range(1, 9)}
    total = who.height
    assert total >= 5 and any(0 < n < 5 for n in expected.values())
    js = run("tab", "improve", "--by", "region", "--filter", "org_type=7", "--format", "json")
    assert js.returncode == 0, js.stderr
    data = json.loads(js.stdout)
    cols = {c["key"]: c for c in data["columns"]}
    assert cols["total"]["base"] == total and not cols["total"]["withheld"]
    held = 0
    for key, n in expected.items():
        c = cols[key]
        if c["withheld"]:
            assert c["base"] is None
            held += n
        else:  # shown: the independent count, not small, complement not small
            assert c["base"] == n and n >= 5 and not 0 < total - n < 5
        assert c["withheld"] or not 0 < n < 5
    assert held == 0 or held >= 5  # Total minus the shown columns gives none back
    index = [i for i, c in enumerate(data["columns"]) if c["withheld"]]
    assert index and all(r["cells"][i]["withheld"] and r["cells"][i]["count"] is None
                         for r in data["rows"] for i in index)


def test_every_output_of_a_small_theme_table_withholds_it(tmp_path):
    """A filter leaving 2 commenters: base and cells withheld in text, csv, json, md, xlsx
    and the book (today: base 2 and its percents)."""
    args = ("improve", "--filter", "org_type=7", "--filter", "seniority=1")
    text = run("tab", *args).stdout
    base = next(line for line in text.splitlines() if line.startswith("Base (unweighted)"))
    assert base.split()[-1] == "#" and "fewer than 5 commenters" in text
    assert "%" not in text.split("Base (unweighted)")[1].split("Letters:")[0]
    rows = list(csv.DictReader(io.StringIO(run("tab", *args, "--format", "csv").stdout)))
    assert rows and all(r["base"] == "" and r["count"] == "" and r["percent"] == ""
                        for r in rows)
    md = run("tab", *args, "--format", "md").stdout
    table = [line for line in md.splitlines() if line.startswith("| ") and "Total" not in line]
    # the mark is escaped as all Markdown text is (output.markup.md_text): it reads "#"
    assert table and all(line.endswith("| \\# |") for line in table)
    out = tmp_path / "t.xlsx"
    assert run("tab", *args, "--format", "xlsx", "-o", str(out)).returncode == 0
    cells = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
    assert "#" in cells and not [v for v in cells if isinstance(v, (int, float))]
    book = run("book", "--questions", "improve", "--filter", "org_type=7", "--filter",
               "seniority=1", "--format", "md").stdout
    assert "(base #)" in book and "fewer than 5 commenters" in book
    html = run("book", "--questions", "improve", "--filter", "org_type=7", "--filter",
               "seniority=1", "--format", "html").stdout
    assert 'Base (unweighted)</th><td class="v">#</td>' in html


def test_a_withheld_column_s_letters_go_at_both_levels():
    """With two levels, a withheld column's lower-case (looser) letter is gone as its
    capital is: a shown cell beating a withheld group says nothing about it."""
    r = run("tab", "improve", "--by", "org_type", "--filter", "region=1", "--sig-level",
            "0.05,0.5", "--min-test-base", "0", "--format", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    held = {c["letter"] for c in data["columns"] if c["withheld"]}
    assert held and len(held) < len(data["columns"]) - 1  # some shown, some withheld
    letters = [x for row in data["rows"] for cell in row["cells"] for x in cell["sig"]]
    assert not [x for x in letters if x.upper() in held]  # 29%bdfg before


@pytest.mark.parametrize("filters", [
    ("region=National", "hee_team=Local Directors"), ("region=1",), ("org_type=7",),
    ("seniority=1",)])
def test_columns_of_two_spans_cannot_be_subtracted(raw, filters):
    """Total less a column of one span less a column of another can leave a few people:
    in a theme table of several spans, one withheld column withholds them all, so every
    difference of shown columns is either nothing or at least the minimum (checked on
    the commenters with polars)."""
    args = [x for f in filters for x in ("--filter", f)]
    r = run("tab", "relationship_why", "--by", "org_type,stakeholder_type", *args,
            "--format", "json")
    assert r.returncode == 0, r.stderr
    columns = json.loads(r.stdout)["columns"][1:]
    assert all(c["withheld"] for c in columns) or not any(c["withheld"] for c in columns)
    comments = pl.read_parquet(bundled_survey_path() / "verbatims.parquet")
    who = _commenters(raw, comments, "relationship_why")
    cb = open_survey(bundled_survey_path()).codebook
    for f in filters:
        flt = parse_filter(cb, f)
        col = flt.variable if flt.variable in who.columns else f"{flt.variable}_{flt.codes[0]}"
        who = who.filter(pl.col(col).is_in(list(flt.codes)) if col == flt.variable
                         else pl.col(col) == 1)
    shown = [c for c in columns if not c["withheld"]]
    for a in shown:  # Total less one column of each span: the people in neither
        for b in shown:
            if a["span"] != b["span"]:
                va, vb = a["key"].split("=")[0], b["key"].split("=")[0]
                rest = who.filter((pl.col(va) != int(a["code"])) & (pl.col(vb) != int(b["code"])))
                assert rest.height == 0 or rest.height >= 5


async def test_the_apps_small_theme_table_is_withheld(survey):
    cb = survey.codebook
    filters = (parse_filter(cb, "org_type=7"), parse_filter(cb, "seniority=1"))
    async with running(HeetuiApp(survey)) as (app, pilot):
        app.set_view(replace(app.view, question="improve", filters=filters))
        await settle(app, pilot)
        t = app.query_one(CrosstabTable)
        values = [str(v).strip() for i in range(t.row_count) for v in t.get_row_at(i)[1:]]
        assert values and set(values) == {"#"}


# ---- complements and overlaps --------------------------------------------------------------
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
    with pytest.raises(DisclosureError, match="minimum group of 5"):
        verbatims(s, Selection(cell=many_cell))  # Total minus it is those 2 people
    assert verbatims(s, Selection(cell=total_cell)).people == 22
    # a profile: the group of 3, the rest and everyone
    group = (parse_filter(cb, "grp=few"),)
    rest = CellRef("q", (), "", group=group, in_group=False)
    with pytest.raises(DisclosureError, match="minimum group of 5"):
        verbatims(s, Selection(cell=rest))
    everyone = CellRef("q", (), "", group=group, in_group=None)
    assert verbatims(s, Selection(cell=everyone)).people == 43


def _two_spans(tmp_path):
    """40 respondents, all answering q = yes and commenting; segment a: 1-20 / 21-40,
    segment b: 19-38 / the rest, so a=1 and b=1 share only respondents 19 and 20."""
    ids = range(1, 41)
    verb = pl.DataFrame(
        {"respondent_id": list(ids), "question": ["why"] * 40,
         "text": [f"comment of respondent {i}" for i in ids], "themes": [[]] * 40,
         "source": ["survey"] * 40, "attribution": [None] * 40},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    return make_bundle(tmp_path / "spans", [
        single("a", ["a1", "a2"], role="segment"), single("b", ["b1", "b2"], role="segment"),
        single("q", ["yes", "no"]), {"id": "why", "type": "open", "text": "Why?"}],
        {"a": [1 if i <= 20 else 2 for i in ids], "b": [1 if 19 <= i <= 38 else 2 for i in ids],
         "q": [1] * 40}, verbatims=verb)


def test_two_spans_of_one_row_cannot_share_a_few_peoples_comments(tmp_path):
    """a1 (20 people) and b1 (20) are each allowed, but showing both lists shows the
    comments of the 2 they share (a1 and b1) twice: the cell is refused with its table's
    other columns, as the app's table hands them over."""
    s = open_survey(_two_spans(tmp_path))
    ct = crosstab(s, TabRequest("q", "a,b"))
    view = tuple(c.filters for c in ct.columns if c.filters)
    yes = ct.rows[0]
    raw = pl.read_parquet(tmp_path / "spans" / "respondents.parquet")
    assert raw.filter((pl.col("a") == 1) & (pl.col("b") == 1)).height == 2
    for col in ct.columns[1:]:
        cell = CellRef("q", yes.codes, yes.label, col.filters)
        assert verbatims(s, Selection(cell=cell)).people == 20  # alone: allowed
        with pytest.raises(DisclosureError, match="minimum group of 5"):
            verbatims(s, Selection(cell=replace(cell, view=view)))
    # a banner of one span only: its columns share nobody, and a1 is shown
    one = crosstab(s, TabRequest("q", "a"))
    cell = CellRef("q", yes.codes, yes.label, one.columns[1].filters,
                   view=tuple(c.filters for c in one.columns if c.filters))
    assert verbatims(s, Selection(cell=cell)).people == 20


async def test_the_apps_cell_carries_its_tables_other_columns(tmp_path):
    s = open_survey(_two_spans(tmp_path))
    async with running(HeetuiApp(s)) as (app, pilot):
        app.set_view(replace(app.view, question="q", banner="a,b"))
        await settle(app, pilot)
        t = app.query_one(CrosstabTable)
        t.move_cursor(row=t.get_row_index("row:1"), column=t.get_column_index("a=1"))
        await pilot.press("enter")
        await settle(app, pilot)
        text = str(app.screen.query_one("#vsummary", Static).render())
        assert REFUSAL in text and "comment of respondent" not in text


# ---- the session audit ---------------------------------------------------------------------

def test_a_session_refuses_a_group_differing_from_an_earlier_one_by_a_few(tmp_path):
    s = open_survey(_bundle(tmp_path))
    many = Selection(filters=(parse_filter(s.codebook, "grp=many"),))
    everyone = Selection()
    assert verbatims(s, everyone).people == 43 and verbatims(s, many).people == 40
    for first, then in [(many, everyone), (everyone, many)]:  # both directions
        audit = Audit()
        verbatims(s, first, earlier=audit.shown)
        audit.record(first)
        with pytest.raises(DisclosureError) as e:
            verbatims(s, then, earlier=audit.shown)
        assert str(e.value) == REFUSAL
    # a search or theme does not change the group: the same group again is allowed
    audit = Audit()
    audit.record(many)
    assert verbatims(s, replace(many, search="number"), earlier=audit.shown).people == 40
    assert not audit.record(replace(many, search="number"))


def test_the_cli_session_file_remembers_groups_and_no_comments(tmp_path):
    folder = _bundle(tmp_path)
    session = tmp_path / "session.json"
    first = run("verbatims", "--data", str(folder), "--filter", "grp=many", "--session",
                str(session))
    assert first.returncode == 0, first.stderr
    assert "comment number" not in session.read_text()
    assert run("verbatims", "--data", str(folder)).returncode == 0  # no session: allowed
    second = run("verbatims", "--data", str(folder), "--session", str(session))
    assert (second.returncode, second.stdout) == (2, "")
    assert second.stderr == f"heetui: error: {REFUSAL}\n"
    # a file that is not a session is refused in one sentence and left as it was
    other = tmp_path / "notes.txt"
    other.write_text("my notes")
    bad = run("verbatims", "--data", str(folder), "--session", str(other))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert other.read_text() == "my notes"
    same = run("verbatims", "--data", str(folder), "--filter", "grp=many", "--session",
               str(session), "-o", str(session))
    assert same.returncode == 2 and "which this command reads" in same.stderr
    assert "comment number" not in session.read_text()


def test_a_session_of_another_survey_is_refused_and_kept(tmp_path):
    session = tmp_path / "session.json"
    assert run("verbatims", "--limit", "1", "--session", str(session)).returncode == 0
    before = session.read_bytes()
    r = run("verbatims", "--data", str(_bundle(tmp_path)), "--session", str(session))
    assert (r.returncode, r.stdout) == (2, "") and "another survey" in r.stderr
    assert r.stderr.count("\n") == 1 and session.read_bytes() == before


async def test_the_app_remembers_groups_shown_while_it_runs(tmp_path):
    s = open_survey(_bundle(tmp_path))
    many = Selection(filters=(parse_filter(s.codebook, "grp=many"),))
    async with running(HeetuiApp(s)) as (app, pilot):
        app.push_screen(VerbatimScreen(s, many, app.comment_audit))
        await settle(app, pilot)
        assert "40 respondents" in str(app.screen.query_one("#vsummary", Static).render())
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("v")  # every comment: 43 people, 3 more than before
        await settle(app, pilot)
        text = str(app.screen.query_one("#vsummary", Static).render())
        assert REFUSAL in text and "comment number" not in text


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


def test_attributes_are_counted_within_the_selection(tmp_path):
    """Region North is shared by 10 respondents of the survey, but by one of those who
    answered yes: beside a comment in the q = yes selection, North would name them."""
    ids = list(range(1, 41))
    verb = pl.DataFrame(
        {"respondent_id": ids, "question": ["why"] * 40,
         "text": [f"comment {i}" for i in ids], "themes": [[]] * 40,
         "source": ["survey"] * 40, "attribution": [None] * 40},
        schema={"respondent_id": pl.UInt32, "question": pl.String, "text": pl.String,
                "themes": pl.List(pl.UInt8), "source": pl.String, "attribution": pl.String})
    reg = [1 if i <= 10 else 2 for i in ids]
    q = [1 if i == 1 or i > 10 else 2 for i in ids]
    folder = make_bundle(tmp_path / "attrs", [
        single("reg", ["North", "South"], role="segment"), single("q", ["yes", "no"]),
        {"id": "why", "type": "open", "text": "Why?"}], {"reg": reg, "q": q},
        verbatims=verb, key_attributes=["reg"])
    s = open_survey(folder)
    raw = pl.read_parquet(folder / "respondents.parquet")
    assert raw.filter(pl.col("reg") == 1).height == 10  # shared in the survey
    yes = Selection(filters=(parse_filter(s.codebook, "q=yes"),))
    page = verbatims(s, yes, 0, 100, show_ids=True)
    chosen = raw.filter(pl.col("q") == 1)
    by_id = {v.respondent_id: v for v in page.items}
    assert by_id[1].attributes == () and by_id[1].withheld
    for rid, v in by_id.items():
        for _, label in v.attributes:  # every attribute shown: 5+ of the selection share it
            code = {"North": 1, "South": 2}[label]
            assert chosen.filter(pl.col("reg") == code).height >= 5, rid
    assert [label for _, label in by_id[11].attributes] == ["South"]


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
