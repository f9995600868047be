"""The layer rules, checked statically (import-linter contracts in pyproject.toml): the
front ends over output over the engine over the survey model, importers and the demo
generator beside the engine, Textual only in the app. (test_cli_info also checks at run
time that importing the engine loads no Textual.)"""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    here = Path.cwd()
    os.chdir(ROOT)  # the contracts live in pyproject.toml
    try:
        assert lint_imports(no_cache=True) == 0
    finally:
        os.chdir(here)
