"""One error root: every error a person can put right is a HeetuiError, each front end
catches that root once, and a bundle's whole list of problems reaches the person."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import heetui
from heetui.errors import HeetuiError
from heetui.survey.bundle import CODEBOOK

# Exceptions that are not a person's to put right, and why.
INTERNAL = {
    "heetui.tui.book_screen.Cancelled": "raised and caught inside one screen",
    "heetui.demo.comments.MaterialError": "heetui's own packaged comments.toml is broken: a bug",
}


def _error_classes() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(heetui.__path__, "heetui."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found.append(cls)
    return found


def test_every_error_of_heetui_descends_from_the_one_root() -> None:
    classes = _error_classes()
    names = {f"{c.__module__}.{c.__qualname__}" for c in classes}
    assert {"heetui.survey.bundle.BundleError", "heetui.errors.UserError",
            "heetui.engine.disclosure.DisclosureError",
            "heetui.output.atomic.WouldReplace"} <= names
    stray = sorted(n for c, n in ((c, f"{c.__module__}.{c.__qualname__}") for c in classes)
                   if not issubclass(c, HeetuiError) and n not in INTERNAL)
    assert stray == []


def test_an_opened_file_whose_bundle_breaks_lists_every_problem(tmp_path: Path) -> None:
    """A file opened directly is imported into the cache; when that bundle has several
    problems the person sees them all, not the first one re-worded."""
    source = tmp_path / "mine.csv"
    source.write_text("respondent_id,colour\n1,red\n2,blue\n3,red\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = [sys.executable, "-m", "heetui", "tab", "colour", "--data", str(source)]
    assert subprocess.run(run, env=env, capture_output=True, check=False).returncode == 0
    (codebook,) = (tmp_path / "cache").rglob(CODEBOOK)
    text = codebook.read_text()
    codebook.write_text(text.replace('type = "single"', 'type = "sideways"', 1))
    done = subprocess.run(run, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "the survey bundle has 2 problems:" in done.stderr
    assert "found 'sideways'" in done.stderr
    assert "the codebook has no single, multi-response or numeric variable" in done.stderr


@pytest.mark.parametrize("kind", ["EngineError", "SourceError", "OutputError"])
def test_the_app_shows_any_kind_by_its_own_sentence(kind: str) -> None:
    from heetui import errors
    from heetui.tui.failures import attempt

    def fail() -> None:
        raise getattr(errors, kind)("That cannot be done here.")

    assert attempt(fail) == (None, "That cannot be done here.")
