"""pyproject.toml's dependencies: every package declared once, with a lower bound (tried by
scripts/lowest.sh), and an upper bound where heetui uses a library's private parts that
admits only releases of the series those parts were checked against."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from heetui import __version__
from heetui.output.xlsxwriter_internals import CHECKED_AGAINST as XLSXWRITER_CHECKED
from heetui.tui.textual_internals import CHECKED_AGAINST as TEXTUAL_CHECKED

PYPROJECT = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def _bounds() -> dict[str, list[str]]:
    """Each requirement's package name (normalised) and its specifiers, per declaration."""
    found: dict[str, list[str]] = {}
    for req in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]:
        name, spec = re.match(r"([A-Za-z0-9_.-]+)(.*)", req).groups()
        key = re.sub(r"[-_.]+", "-", name).lower()
        assert key not in found, f"{name} is declared twice"
        found[key] = [s.strip() for s in spec.split(",") if s.strip()]
    return found


def test_every_package_is_declared_once_with_a_floor():
    bounds = _bounds()
    for req in PROJECT["dependencies"]:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", req).group()).lower()
        assert any(s.startswith(">=") for s in bounds[name]), req
    assert bounds["pyreadstat"] == [">=1.3.5"]  # 1.3.0: no polars output; < 1.3.5: QYR
    assert bounds["rich"] == [">=14.2"]  # what Textual itself requires


def _next_series(version: str, depth: int) -> str:
    parts = [int(p) for p in version.split(".")[:depth]]
    parts[-1] += 1
    return ".".join(map(str, parts))


def test_private_parts_bound_the_versions_allowed():
    bounds = _bounds()
    assert f"<{_next_series(TEXTUAL_CHECKED, 2)}" in bounds["textual"]  # 8.2.x only
    assert f"<{_next_series(XLSXWRITER_CHECKED, 1)}" in bounds["xlsxwriter"]  # 3.x only


def test_version():
    r = subprocess.run([sys.executable, "-m", "heetui", "--version"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and r.stdout == f"heetui {__version__}\n"
    assert PROJECT["dynamic"] == ["version"]  # one version, read from heetui.__version__
