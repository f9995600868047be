#!/usr/bin/env bash
# The lowest versions pyproject.toml allows, tried: installs heetui with every direct
# dependency (runtime and test extra) at its floor into a fresh virtual environment, then
# runs the tests that exercise each of them (.sav/.dta/.xlsx/CSV import, xlsx export and
# read-back, DuckDB and polars, the app). pip has no "lowest" resolution, so uv does it
# (installed from PyPI into a venv of its own). A few minutes: too long for .ci/run.
#
#   bash scripts/lowest.sh            # venvs in .lowest/ (removed first), then the tests
#   bash scripts/lowest.sh -x -q      # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
root=.lowest
rm -rf "$root"
python3 -m venv "$root/uv"
"$root/uv/bin/python" -m pip install --quiet uv
"$root/uv/bin/uv" venv --quiet --python "$(command -v python3)" "$root/venv"
"$root/uv/bin/uv" pip install --quiet --python "$root/venv/bin/python" \
    --resolution lowest-direct -e '.[test]'
echo "installed (lowest allowed direct dependencies):"
"$root/uv/bin/uv" pip list --python "$root/venv/bin/python" 2>/dev/null \
    | grep -iE '^(textual|rich|duckdb|polars|numpy|pyreadstat|xlsxwriter|openpyxl|platformdirs|tomlkit) '
# a short part of the suite: every importer and writer, the command line, a few app tests;
# the two CHECKED_AGAINST tests pin the exact Textual and xlsxwriter versions an upgrade must
# be checked against, so they hold for the pinned versions only and are left out here
"$root/venv/bin/python" -m pytest -p no:cacheprovider -o addopts= -q -k "not checked_against" "$@" \
    tests/importers/test_import_spss.py tests/importers/test_import.py tests/importers/test_import_csv.py \
    tests/output/test_export.py tests/survey/test_bundle_write.py tests/cli/test_cli_tab.py \
    tests/tui/test_save_dialog.py tests/tui/test_textual_internals.py tests/output/test_xlsxwriter_internals.py
