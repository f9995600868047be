"""What the workspace's command-line tests share: a SurveyMonkey-style CSV, the tables
as JSON, the files' checksums."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

from cli_helpers import run_here as run  # main in this process: many runs

SATISFIED = ["Very satisfied", "Satisfied", "Neither", "Dissatisfied", "Very dissatisfied",
             "Don't know"]
ORGS = ["NHS Trust", "University", "Charity"]
PLACES = ["London", "North", "South"]
USES = ["Email", "Phone", "Post"]


def monkey_csv(path: Path, n: int = 120, orgs: list[str] = ORGS) -> list[dict]:
    """A SurveyMonkey export (two header rows, its metadata columns) of ``n`` respondents:
    satisfaction (Q1), organisation (Q2), place (Q3), uses (Q4, multi), team size (Q5,
    numeric), a comment (Q6); the answers, as written."""
    rng = random.Random(3)
    head1 = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
             "Email Address", "First Name", "Last Name", "Custom Data 1",
             "How satisfied are you with our service?",
             "What kind of organisation do you work for?", "Where are you based?",
             "Which of these do you use?", "", "", "How many staff work in your team?",
             "Anything else?"]
    head2 = [""] * 9 + ["Response", "Response", "Response", *USES, "Open-Ended Response",
                        "Open-Ended Response"]
    rows: list[list[object]] = [head1, head2]
    answers = []
    for i in range(n):
        a = {"sat": rng.choice(SATISFIED), "org": rng.choice(orgs), "place": rng.choice(PLACES),
             "uses": [u for u in USES if rng.random() < 0.5], "staff": rng.randint(1, 60)}
        answers.append(a)
        rows.append([11_400_000_000 + i, 400_000_000, "05/01/2024 10:00:00 AM",
                     "05/01/2024 10:05:00 AM", f"10.0.0.{i}", "", "", "", "", a["sat"],
                     a["org"], a["place"], *[u if u in a["uses"] else "" for u in USES],
                     a["staff"], f"Comment {i} about the service" if i % 3 else ""])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return answers


def ok(*args: str) -> str:
    r = run(*args)
    assert r.returncode == 0, (args, r.stdout[-500:], r.stderr[-1000:])
    return r.stdout


def tab(*args: str) -> dict:
    return json.loads(ok("tab", *args, "--format", "json"))


def rows(table: dict) -> dict[str, dict]:
    return {r["label"]: r for r in table["rows"]}


def counts(table: dict, column: int = 0) -> dict[str, int]:
    """Each row's unweighted count in a column (0: Total)."""
    return {r["label"]: r["cells"][column]["count"] for r in table["rows"]
            if r["kind"] in ("category", "net")}


def checksums(*paths: Path) -> dict[str, str]:
    """sha256 of every file at or under ``paths``."""
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*")))
             if f.is_file()]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


# heetui's main() run on each command line in turn in one process of its own: what a
# person typing them one after another sees (exit status, stdout, stderr), without the
# cost of starting Python for each
_SEQUENCE = """
import contextlib, io, json, sys
from heetui.cli.main import main
seen = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
    seen.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(seen))
"""


def sequence(argvs: list[list[str]]) -> subprocess.Popen:
    """Start running the command lines ``argvs`` one after another (``results`` waits)."""
    return subprocess.Popen([sys.executable, "-c", _SEQUENCE, json.dumps(argvs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def results(p: subprocess.Popen) -> list[tuple[int, str, str]]:
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err[-2000:]
    return [tuple(r) for r in json.loads(out)]


def batch(*argvs: list[str]) -> list[str]:
    """Run command lines one after another in one process; each must succeed: their
    stdouts."""
    seen = results(sequence(list(argvs)))
    for argv, (code, _, err) in zip(argvs, seen, strict=True):
        assert code == 0, (argv, err[-1000:])
    return [out for _, out, _ in seen]
