"""No user file is ever replaced or deleted: an output is never an input of its command,
-o never replaces a file without --force, import/demo --force replace only the files heetui
wrote; a full disk or Ctrl-C ends in one sentence and nothing half-written."""

from __future__ import annotations

import errno
import os
import pty
import re
import resource
import select
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import one_sentence
from cli_helpers import run_here as run  # main in this process: many runs
from heetui.engine.crosstab import TabRequest, crosstab
from heetui.engine.filters import parse_filter
from heetui.output.atomic import WouldReplace, atomic_path
from heetui.output.names import export_stem, free_path
from heetui.output.xlsx import write_xlsx
from heetui.survey.bundle import bundled_survey_path, load_bundle
from heetui.survey.write import MANIFEST
from helpers import make_bundle, multi, single


def _csv(path: Path) -> Path:
    path.write_text("id,q\n" + "".join(f"{i},{1 + i % 3}\n" for i in range(1, 41)))
    return path


@pytest.fixture()
def bundle(tmp_path) -> Path:
    return make_bundle(tmp_path / "b", [single("q", ["a", "b"])], {"q": [1, 2, 2, 1, 2]})


# ---- an output is never an input of the same command ------------------------------------

def test_output_naming_an_input_is_refused_by_any_name(bundle, tmp_path, monkeypatch):
    codebook = bundle / "codebook.toml"
    before = codebook.read_bytes()
    (tmp_path / "link.toml").symlink_to(codebook)
    os.link(codebook, tmp_path / "hard.toml")
    monkeypatch.chdir(bundle)
    for target in (str(codebook), "codebook.toml", "../b/./codebook.toml",
                   str(tmp_path / "link.toml"), str(tmp_path / "hard.toml"),
                   str(bundle / "respondents.parquet"), str(bundle / MANIFEST)):
        for force in ((), ("--force",)):
            msg = one_sentence(run("tab", "q", "--data", str(bundle), "-o", target, *force))
            assert "which this command reads" in msg, msg
        msg = one_sentence(run("book", "--data", str(bundle), "--format", "md", "-o", target,
                               "--force"))
        assert "which this command reads" in msg
    assert codebook.read_bytes() == before
    # beside the bundle's files is fine: an exports folder of the user's
    (bundle / "exports").mkdir()
    assert run("tab", "q", "--data", str(bundle), "-o", "exports/q.txt").returncode == 0


def test_output_naming_the_survey_file_is_refused(tmp_path, monkeypatch):
    src = _csv(tmp_path / "survey.csv")
    before = src.read_bytes()
    monkeypatch.chdir(tmp_path)
    for cmd in (("tab", "q"), ("verbatims",), ("chart", "q"), ("profile", "--filter", "q=1")):
        msg = one_sentence(run(*cmd, "--data", "survey.csv", "-o", "./survey.csv", "--force"))
        assert "survey.csv" in msg and "reads" in msg
    assert src.read_bytes() == before


def test_import_refuses_a_codebook_inside_the_bundle_it_replaces(tmp_path):
    src = _csv(tmp_path / "s.csv")
    out = tmp_path / "bundle"
    assert run("import", str(src), "-o", str(out)).returncode == 0
    edited = (out / "codebook.toml").read_text()
    msg = one_sentence(run("import", str(src), "-o", str(out), "--codebook",
                           str(out / "codebook.toml"), "--force"))
    assert "codebook.toml" in msg
    assert (out / "codebook.toml").read_text() == edited


# ---- -o never replaces a file without --force ---------------------------------------------

@pytest.mark.parametrize("command", [
    ("tab", "relationship"), ("tab", "relationship", "--format", "xlsx"),
    ("chart", "relationship"), ("profile", "--filter", "seniority=1"),
    ("book", "--questions", "relationship", "--format", "md"),
    ("book", "--questions", "relationship", "--format", "xlsx"), ("verbatims", "--limit", "2")])
def test_o_over_an_existing_file_needs_force(command, tmp_path):
    target = tmp_path / ("out.xlsx" if "xlsx" in command else "out.txt")
    target.write_text("the user's own")
    msg = one_sentence(run(*command, "-o", str(target)))
    assert "already exists" in msg and "--force" in msg
    assert target.read_text() == "the user's own"
    r = run(*command, "-o", str(target), "--force")
    assert r.returncode == 0, r.stderr
    assert target.read_bytes() != b"the user's own"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_help_of_every_command_with_o_names_force():
    for command in ("tab", "chart", "profile", "book", "verbatims"):
        text = " ".join(run(command, "--help").stdout.split())
        assert "--force" in text and "refused unless --force" in text, command


def test_a_file_appearing_meanwhile_is_never_replaced(tmp_path):
    target = tmp_path / "t.txt"
    with pytest.raises(WouldReplace), atomic_path(target) as tmp:
        tmp.write_text("mine")
        target.write_text("theirs")
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_default_xlsx_name_carries_the_view_and_is_numbered_when_taken(tmp_path):
    def tab() -> str:
        r = subprocess.run([sys.executable, "-m", "heetui", "tab", "relationship", "--by",
                            "standard", "--filter", "stakeholder_type=NHS Trust", "--weighted",
                            "--format", "xlsx"], cwd=tmp_path, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        return r.stderr

    assert "wrote heetui-relationship-by-standard-nhs-trust-weighted.xlsx" in tab()
    assert "wrote heetui-relationship-by-standard-nhs-trust-weighted-2.xlsx" in tab()


def test_one_naming_rule(survey, tmp_path):
    cb = survey.codebook
    filters = (parse_filter(cb, "stakeholder_type=NHS Trust,Other"),)
    assert export_stem(cb, "q", "a/b", filters, True) == \
        "heetui-q-by-a-within-b-nhs-trust-or-other-weighted"
    assert len(export_stem(cb, "q" * 400)) <= 120
    (tmp_path / "x.svg").write_text("")
    (tmp_path / "x-2.svg").symlink_to(tmp_path / "nowhere")  # a dangling link is taken too
    assert free_path(tmp_path, "x", "svg").name == "x-3.svg"


# ---- --force replaces only what heetui wrote ------------------------------------------------

@pytest.mark.parametrize("make", ["import", "demo"])
def test_force_keeps_files_the_user_put_in_the_bundle(make, tmp_path):
    src = _csv(tmp_path / "s.csv")
    out = tmp_path / "bundle"
    cmd = ("import", str(src)) if make == "import" else ("demo", "-n", "50")
    assert run(*cmd, "-o", str(out)).returncode == 0
    assert (out / MANIFEST).is_file()
    (out / "notes.txt").write_text("my notes")
    (out / "exports").mkdir()
    (out / "exports" / "t.xlsx").write_text("an export")
    msg = one_sentence(run(*cmd, "-o", str(out), "--force"))
    assert "notes.txt" in msg and "exports/" in msg
    assert (out / "notes.txt").read_text() == "my notes"
    assert (out / "exports" / "t.xlsx").read_text() == "an export"
    shutil.rmtree(out / "exports")
    (out / "notes.txt").unlink()
    with (out / "codebook.toml").open("a") as f:  # an edit by hand is the user's too
        f.write("\n# my edit\n")
    msg = one_sentence(run(*cmd, "-o", str(out), "--force"))
    assert "codebook.toml (changed since heetui wrote it)" in msg
    assert (out / "codebook.toml").read_text().endswith("# my edit\n")
    (out / "codebook.toml").write_text((out / "codebook.toml").read_text()[:-len("\n# my edit\n")])
    r = run(*cmd, "-o", str(out), "--force")  # as heetui left it: replaced
    assert r.returncode == 0, r.stderr
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def test_force_refuses_a_bundle_without_a_manifest(tmp_path):
    out = tmp_path / "hand-made"
    shutil.copytree(bundled_survey_path(), out)
    (out / MANIFEST).unlink(missing_ok=True)
    msg = one_sentence(run("demo", "-n", "20", "-o", str(out), "--force"))
    assert MANIFEST in msg
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in bundled_survey_path().iterdir() if p.name != MANIFEST)


# ---- a full disk: one sentence, exit 2, nothing left ----------------------------------------

WRITES = {
    "tab-xlsx": ["tab", "relationship", "--by", "standard", "--format", "xlsx", "-o",
                 "{d}/t.xlsx"],
    "book-xlsx": ["book", "--by", "standard", "-o", "{d}/b.xlsx"],
    "book-md": ["book", "--by", "standard", "-o", "{d}/b.md"],
    "import": ["import", str(bundled_survey_path() / "respondents.parquet"), "-o", "{d}/imp"],
    "demo": ["demo", "-n", "2000", "-o", "{d}/demo"],
}


def _refused_in_one_sentence(r: subprocess.CompletedProcess, folder: Path, why: str) -> None:
    assert r.returncode == 2, r.stderr[-800:]
    assert r.stderr.startswith("heetui: error: cannot read or write "), r.stderr[-800:]
    assert why in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr[-800:]
    assert list(folder.iterdir()) == []  # no partial file, no temporary file


@pytest.mark.parametrize("name", WRITES)
def test_a_file_too_large_for_the_system(name, tmp_path):
    """RLIMIT_FSIZE makes every write past 4 KiB fail (EFBIG) in xlsxwriter, DuckDB and
    polars alike, as a full disk would."""
    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    args = [a.format(d=tmp_path) for a in WRITES[name]]
    r = subprocess.run([sys.executable, "-m", "heetui", *args], capture_output=True,
                       text=True, preexec_fn=small_files, timeout=300)
    _refused_in_one_sentence(r, tmp_path, os.strerror(errno.EFBIG))


@pytest.fixture()
def tiny_disk(tmp_path, request):
    folder = tmp_path / "full"
    folder.mkdir()
    if sys.platform != "linux" or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={request.param}", "tmpfs", str(folder)],
            capture_output=True).returncode != 0:
        pytest.skip("needs a tmpfs mount (Linux, as root)")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


# sizes at which each write fails in another library: xlsxwriter's zip, polars' Parquet
# writer ("Invalid thrift: transport error", no errno), DuckDB's COPY (an IOException)
@pytest.mark.parametrize(("name", "tiny_disk"), [
    ("tab-xlsx", "4k"), ("book-xlsx", "16k"), ("book-md", "4k"), ("import", "16k"),
    ("import", "48k"), ("demo", "48k")], indirect=["tiny_disk"])
def test_a_full_disk(name, tiny_disk):
    args = [a.format(d=tiny_disk) for a in WRITES[name]]
    r = run(*args)
    _refused_in_one_sentence(r, tiny_disk, os.strerror(errno.ENOSPC))


def test_a_full_stream():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    r = run("tab", "relationship", "-o", "/dev/full")
    assert r.returncode == 2 and r.stderr == \
        "heetui: error: cannot read or write /dev/full: No space left on device.\n"
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "heetui", "tab", "relationship"],
                           stdout=full, stderr=subprocess.PIPE, text=True)
    assert r.returncode == 2 and r.stderr == ("heetui: error: cannot read or write standard "
                                              "output: No space left on device.\n")


def test_xlsxwriter_leaves_no_open_file_behind(survey, tmp_path, monkeypatch):
    """A full disk inside xlsxwriter: an OSError naming the target (not the temporary file),
    nothing left, and no "Exception ignored" from a zip file it left open."""
    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    target = tmp_path / "t.xlsx"
    with pytest.raises(OSError) as caught:
        write_xlsx(crosstab(survey, TabRequest("relationship")), target)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    import gc
    gc.collect()
    assert unraisable == [] and list(tmp_path.iterdir()) == []


# ---- Ctrl-C ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory) -> Path:
    """600,000 respondents and 30 multi-response questions, validated already: a book of it
    runs one DuckDB query per question, for seconds."""
    n, k = 600_000, 30
    rng = np.random.default_rng(1)
    data = {"seg": rng.integers(1, 4, n)}
    data.update({f"m{q}_{o}": rng.integers(0, 2, n) for q in range(k) for o in range(1, 5)})
    folder = make_bundle(tmp_path_factory.mktemp("big") / "b",
                         [single("seg", ["a", "b", "c"], "segment"),
                          *(multi(f"m{q}", ["w", "x", "y", "z"]) for q in range(k))], data)
    load_bundle(folder)  # the stamp in the test cache, which the subprocess shares
    return folder


def _read_until(fd: int, marker: bytes) -> bytes:
    """What the terminal ``fd`` shows until the pattern ``marker`` (or its end)."""
    seen = b""
    while not re.search(marker, re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", seen)):
        ready, _, _ = select.select([fd], [], [], 120)
        try:
            chunk = os.read(fd, 4096) if ready else b""
        except OSError:  # the other end closed
            chunk = b""
        if not chunk:
            break
        seen += chunk
    return seen


def test_ctrl_c_says_interrupted_and_exits_130(big_bundle):
    """SIGINT once the book's progress bar shows (stderr is a terminal here, so the bar is
    drawn), while it runs a query per question: before, DuckDB's "RuntimeError: Query
    interrupted" traceback and exit 1, or Ctrl-C ignored (exit 0)."""
    terminal, stderr = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "heetui", "book", "--data", str(big_bundle),
                             "--by", "seg", "--format", "md"],
                            stdout=subprocess.DEVNULL, stderr=stderr)
    os.close(stderr)
    try:
        _read_until(terminal, rb"tables")  # the bar, drawn once the first table is done
        assert proc.poll() is None, "the book finished before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        said = _read_until(terminal, rb"interrupted\r\n")
        proc.wait(timeout=60)  # generous: the exit takes well under a second
    finally:
        os.close(terminal)
        proc.kill()
    # 130, or killed by SIGINT when the signal lands while Python starts or ends (the
    # status a shell reports as 130 too)
    assert proc.returncode in (130, -signal.SIGINT), said[-800:]
    assert b"heetui: interrupted" in said and b"Traceback" not in said and b"Error" not in said
