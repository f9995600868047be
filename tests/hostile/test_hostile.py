"""Hostile files, paths and environments: no data loss, nothing silently wrong, one sentence
and exit 2 for every mistake, never a traceback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import polars as pl
import pytest

from cli_helpers import one_sentence
from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.session import open_survey
from heetui.survey.bundle import bundled_survey_path
from heetui.survey.write import atomic_folder
from heetui.tui.textual_internals import notifications
from helpers import make_bundle, single


def _csv(path, rows: int = 20) -> None:
    path.write_text("id,q\n" + "".join(f"{i},{1 + i % 3}\n" for i in range(1, rows + 1)))


# ---- --data wherever it is written -------------------------------------------------------

def test_data_before_the_subcommand_is_honoured(tmp_path):
    folder = make_bundle(tmp_path / "small", [single("q", ["a", "b"])], {"q": [1, 2, 2]})
    after = run("tab", "q", "--data", str(folder), "--format", "json")
    before = run("--data", str(folder), "tab", "q", "--format", "json")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["columns"][0]["base"] == 3
    assert before.stdout == after.stdout
    assert "no such file" in one_sentence(run("--data", str(tmp_path / "nope"), "tab", "q"))
    one_sentence(run("--data", str(folder), "tab", "q", "--data", str(bundled_survey_path())))
    one_sentence(run("--data", str(folder), "import", "x.csv", "-o", "y"))


# ---- --force replaces only a heetui bundle -------------------------------------------------

def test_force_never_deletes_what_is_not_a_bundle(tmp_path):
    src = tmp_path / "small.csv"
    _csv(src)
    unrelated = tmp_path / "thesis"
    unrelated.mkdir()
    (unrelated / "chapter1.docx").write_text("years of work")
    msg = one_sentence(run("import", str(src), "-o", str(unrelated), "--force"))
    assert "not a heetui bundle" in msg
    assert (unrelated / "chapter1.docx").read_text() == "years of work"
    # the folder holding the source, and the source itself
    assert "source" in one_sentence(run("import", str(src), "-o", str(tmp_path), "--force"))
    assert "source" in one_sentence(run("import", str(src), "-o", str(src), "--force"))
    assert src.is_file() and (unrelated / "chapter1.docx").exists()
    # an existing bundle is replaced
    out = tmp_path / "bundle"
    assert run("import", str(src), "-o", str(out)).returncode == 0
    assert run("import", str(src), "-o", str(out), "--force").returncode == 0
    assert "already exists" in one_sentence(run("import", str(src), "-o", str(out)))
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def test_file_names_keep_their_case(tmp_path):
    src = tmp_path / "small.csv"
    _csv(src)
    msg = one_sentence(run("import", str(src), "-o", str(src)))
    assert "small.csv" in msg and "Small.csv" not in msg


def test_a_folder_created_meanwhile_is_never_replaced(tmp_path):
    out = tmp_path / "b"
    with pytest.raises(FileExistsError, match="another process"), atomic_folder(out) as tmp:
        (tmp / "codebook.toml").write_text("mine")
        out.mkdir()
        (out / "codebook.toml").write_text("theirs")
    assert (out / "codebook.toml").read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["b"]


def test_bundle_folders_respect_the_umask(tmp_path):
    src = tmp_path / "small.csv"
    _csv(src)
    code = ("import os, sys; os.umask(0o022); from heetui.cli.main import main; "
            f"sys.exit(main(['import', {str(src)!r}, '-o', {str(tmp_path / 'b')!r}]))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0
    assert (tmp_path / "b").stat().st_mode & 0o777 == 0o755


def test_sigterm_during_demo_leaves_no_temporary_folder(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "heetui", "demo", "-n", "3000000", "-o",
                             str(tmp_path / "big")], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(".tmp-" in p.name
                                                  for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.wait(60)
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []


# ---- paths are literal ---------------------------------------------------------------------

def test_glob_characters_in_paths_are_literal(tmp_path):
    make_bundle(tmp_path / "w1", [single("q", ["a", "b"])], {"q": [1] * 1000})
    make_bundle(tmp_path / "w?", [single("q", ["a", "b"])], {"q": [1, 2]})
    assert open_survey(tmp_path / "w?").respondents == 2
    make_bundle(tmp_path / "wave [2019]", [single("q", ["a", "b"])], {"q": [1, 2, 2]})
    assert open_survey(tmp_path / "wave [2019]").respondents == 3
    for name in ("wave1.csv", "wave2.csv"):
        _csv(tmp_path / name)
    assert "does not exist" in one_sentence(run("import", str(tmp_path / "wave?.csv"), "-o",
                                                str(tmp_path / "merged")))
    _csv(tmp_path / "wave*.csv", rows=7)
    assert run("import", str(tmp_path / "wave*.csv"), "-o", str(tmp_path / "star")
               ).returncode == 0
    assert open_survey(tmp_path / "star").respondents == 7


def test_columns_differing_only_in_case_stay_distinct(tmp_path):
    src = tmp_path / "cols.csv"
    src.write_text("X_1,X_2,x_1\n1,0,3\n0,1,5\n1,1,4\n1,0,3\n")
    assert run("import", str(src), "-o", str(tmp_path / "b")).returncode == 0
    info = json.loads(run("info", "--data", str(tmp_path / "b"), "--json").stdout)
    single_q = next(q for q in info["questions"] if q["type"] == "single")
    out = json.loads(run("tab", single_q["id"], "--data", str(tmp_path / "b"),
                         "--format", "json").stdout)
    counts = {r["label"]: r["cells"][0]["count"] for r in out["rows"]}
    assert counts == {"3": 2, "4": 1, "5": 1}  # the source's own counts


def test_validation_reads_the_columns_duckdb_reads(tmp_path):
    folder = make_bundle(tmp_path / "b", [single("q", ["a", "b"])], {"q": [1, 2]})
    df = pl.read_parquet(folder / "respondents.parquet").with_columns(
        pl.lit(1, pl.UInt8).alias("Q"))
    df.write_parquet(folder / "respondents.parquet")
    assert "letter case" in run("info", "--data", str(folder)).stderr


# ---- injection -------------------------------------------------------------------------

def test_no_escape_sequence_from_a_codebook_reaches_the_terminal(tmp_path):
    folder = make_bundle(tmp_path / "b", [single("q", ["a\x1b[2J", "b"])], {"q": [1, 2]},
                         fieldwork="\x1b[2J\x1b]0;pwned\x07", provenance="\x1b]52;c;aGk=\x07")
    r = run("info", "--data", str(folder))
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "\\x1b" in r.stdout  # shown as a visible escape
    for fmt in ("text", "md"):
        out = run("tab", "q", "--data", str(folder), "--format", fmt).stdout
        assert "\x1b" not in out


# ---- no traceback ------------------------------------------------------------------------

def test_info_on_a_survey_with_a_numeric_question(tmp_path):
    src = tmp_path / "num.csv"
    src.write_text("age,q\n" + "".join(f"{20 + i},{1 + i % 2}\n" for i in range(40)))
    assert run("import", str(src), "-o", str(tmp_path / "b")).returncode == 0
    r = run("info", "--data", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert "age (numeric)" in r.stdout


@pytest.mark.parametrize("args", [
    ["chart", "relationship", "--width", "1000000"],
    ["chart", "relationship", "--height", "100000"],
    ["verbatims", "--offset", "99999999999999999999"],
    ["verbatims", "--limit", "99999999999999999999"],
    ["tab", "relationship", "-o", "/"],
    ["tab", "relationship", "-o", "/no/such/folder/t.txt"],
    ["tab", "relationship", "-o", "/tmp/" + "x" * 300],
])
def test_bounded_sizes_and_bad_outputs_are_one_sentence(args):
    one_sentence(run(*args))


def test_an_output_pipe_is_written_into(tmp_path):
    """-o naming a pipe (or a device) writes into it and never replaces it with a file (a
    full standard output: test_writes.test_a_full_stream)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    r = run("tab", "relationship", "-o", str(fifo))
    out, _ = reader.communicate(timeout=60)
    assert r.returncode == 0, r.stderr
    assert out.startswith("relationship:") and fifo.is_fifo()
    r = subprocess.run([sys.executable, "-m", "heetui", "info"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, timeout=60,
                       preexec_fn=lambda: os.close(1))
    assert r.returncode == 2 and "Standard output is closed" in r.stderr


@pytest.mark.parametrize(("field", "value", "expect"), [
    ("key_attributes", '"region"', "expected a list"),
    ("id_column", '"weight"', "weight column"),
])
def test_codebook_mistakes_are_problems(tmp_path, field, value, expect):
    folder = tmp_path / "b"
    src = bundled_survey_path()
    folder.mkdir()
    for name in ("respondents.parquet", "verbatims.parquet"):
        (folder / name).write_bytes((src / name).read_bytes())
    text = (src / "codebook.toml").read_text()
    lines = [line for line in text.splitlines() if not line.startswith(f"{field} =")]
    at = lines.index("[survey]") + 1
    lines.insert(at, f"{field} = {value}")
    (folder / "codebook.toml").write_text("\n".join(lines) + "\n")
    r = run("info", "--data", str(folder))
    assert r.returncode == 2 and expect in r.stderr and "Traceback" not in r.stderr


def test_a_toml_date_in_the_codebook(tmp_path):
    folder = tmp_path / "b"
    src = bundled_survey_path()
    folder.mkdir()
    for name in ("respondents.parquet", "verbatims.parquet"):
        (folder / name).write_bytes((src / name).read_bytes())
    (folder / "codebook.toml").write_text((src / "codebook.toml").read_text().replace(
        'published = "October 2019"', "published = 2019-10-01"))
    r = run("info", "--data", str(folder), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["survey"]["published"] == "2019-10-01"


@pytest.mark.parametrize("bad", ["inf", "1e308"])
def test_infinite_or_huge_weights_are_refused_at_import(tmp_path, bad):
    src = tmp_path / "w.csv"
    src.write_text("id,q,w\n1,1,1\n2,2," + bad + "\n3,1,1\n")
    msg = run("import", str(src), "-o", str(tmp_path / "b"), "--weight", "w").stderr
    assert "1 weight is infinite or above" in msg
    assert not (tmp_path / "b").exists()


def test_an_id_column_beyond_64_bits_is_not_a_traceback(tmp_path):
    src = tmp_path / "ids.csv"
    src.write_text("respondent_id,q\n1e20,1\n2,2\n3,1\n")
    r = run("import", str(src), "-o", str(tmp_path / "b"))
    assert r.returncode == 0, r.stderr
    assert open_survey(tmp_path / "b").respondents == 3


def test_interrupt_stops_a_running_query_at_once(tmp_path):
    """What quitting the app does: a query still running is stopped, new ones refused."""
    import threading

    from heetui.errors import EngineError

    survey = open_survey()
    errors: list[BaseException] = []

    def slow() -> None:
        try:
            survey.query("SELECT COUNT(*) FROM range(20000000000) t(x) WHERE x % 7 = 3")
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive()  # the query takes minutes on its own
    started = time.monotonic()
    survey.interrupt()
    worker.join(30)
    assert not worker.is_alive() and time.monotonic() - started < 10
    assert errors and isinstance(errors[0], EngineError)
    with pytest.raises(EngineError):
        survey.query("SELECT 1")


def test_a_query_starting_as_the_app_quits_is_refused():
    """Quitting while a query is being started (its cursor made, not yet known to
    ``interrupt``): the query is refused, never left running past the interrupt."""
    from heetui.errors import EngineError

    survey = open_survey()
    real = survey._con

    class Racing:  # the interrupt lands right after the query's cursor is made
        def cursor(self):
            made = real.cursor()
            survey.interrupt()
            return made

        def __getattr__(self, name):
            return getattr(real, name)

    survey._con = Racing()
    with pytest.raises(EngineError, match="being closed"):
        survey.query("SELECT 1")


async def test_quitting_the_app_interrupts_its_queries():
    from heetui.tui.app import HeetuiApp

    survey = open_survey()
    calls: list[int] = []
    real = survey.interrupt
    survey.interrupt = lambda: (calls.append(1), real())[1]  # type: ignore[method-assign]
    app = HeetuiApp(survey)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert calls == [1] and app.return_code == 0


async def test_an_unexpected_error_in_the_app_is_a_notification(monkeypatch, tmp_path):
    """Any exception in a worker (a full disk, inf in the data, a bundle deleted underneath):
    one sentence on screen, the traceback in the state folder's log, the app keeps going."""
    from dataclasses import replace

    import heetui.tui.app as app_module
    from heetui.tui.app import HeetuiApp
    from tui_helpers import running, settle, status

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    real = app_module.table

    def flaky(survey, req):
        if req.banner == "seniority":
            raise ValueError("boom")
        return real(survey, req)

    monkeypatch.setattr(app_module, "table", flaky)
    async with running(HeetuiApp(open_survey())) as (app, pilot):
        app.set_view(replace(app.view, banner="seniority"))
        await settle(app, pilot)
        shown = [n.message for n in notifications(app)]
        assert any("ValueError: boom" in m and "errors.log" in m for m in shown), shown
        log = tmp_path / "state" / "heetui" / "errors.log"
        assert "Traceback" in log.read_text() and "boom" in log.read_text()
        app.set_view(replace(app.view, banner="stakeholder_type"))  # still working
        await settle(app, pilot)
        assert "Banner: Stakeholder type" in status(app)
    assert not app.return_code  # no crash: the app was never ended by the error


def test_a_csv_opened_directly_without_a_usable_cache(tmp_path):
    """XDG_CACHE_HOME a file (or a read-only home): the file opens for this session."""
    src = tmp_path / "small.csv"
    _csv(src)
    (tmp_path / "notafolder").write_text("")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "notafolder")}
    r = subprocess.run([sys.executable, "-m", "heetui", "tab", "q", "--data", str(src),
                        "--format", "json"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["columns"][0]["base"] == 20


def test_a_file_name_that_is_not_utf8_in_a_c_locale(tmp_path):
    name = os.fsdecode(b"caf\xe9.csv")
    _csv(tmp_path / name)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    r = subprocess.run([sys.executable, "-m", "heetui", "tab", "q", "--data",
                        str(tmp_path / name), "--format", "json"], capture_output=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["columns"][0]["base"] == 20
