"""Strict static types: ``mypy --strict`` on the package, with the settings in pyproject.toml
([tool.mypy]: the few libraries without type information are named there)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_mypy_strict_is_clean(tmp_path: Path):
    # a cache of its own: a warm .mypy_cache from another mypy version or config never
    # decides the result (a cold run takes about ten seconds)
    out, err, status = api.run(["--strict", "--config-file", str(ROOT / "pyproject.toml"),
                                "--cache-dir", str(tmp_path / "mypy-cache"),
                                "--no-color-output", "--no-error-summary",
                                str(ROOT / "src" / "heetui")])
    assert status == 0, f"mypy --strict src/heetui found problems:\n{out}{err}"

