from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from heetui.engine.session import Survey, open_survey
from heetui.survey.bundle import bundled_survey_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """``--snapshot-update`` runs in one process: each pytest-xdist worker runs only part of
    the snapshot tests and would take the others' snapshots for unused ones."""
    if config.getoption("--snapshot-update", default=False) and \
            getattr(config.option, "numprocesses", None):
        config.option.numprocesses, config.option.dist, config.option.tx = 0, "no", []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files holding slow tests run first: pytest-xdist hands out whole files in this order,
    so the longest start at once instead of leaving one process working alone at the end.
    The order is the same in every process (a stable sort on the marks), as xdist requires."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test run starts with an empty heetui cache (validation stamps, imports), so a
    warm ~/.cache never lets a test skip the validation it is meant to exercise; its state
    (the error log), configuration and workspaces (data) are empty folders too, never the
    user's. Set before any bundle opens; subprocesses inherit them. tmp_path_factory's
    folders are the test process's own (each pytest-xdist worker has its own), so workers
    share none of them."""
    for var in ("XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        os.environ[var] = str(tmp_path_factory.mktemp(var.lower()))


@pytest.fixture(autouse=True)
def _own_workspaces(_fresh_cache: None, tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps the workspaces it makes (and the view the app keeps in them,
    `heetui` run as a subprocess included) in a data folder of its own: one test's last
    view never opens the next test's app."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg_data_home")))


@pytest.fixture(scope="session", autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the user's own settings file (heetui.config): a path that does not
    exist stands in for it; subprocesses inherit it."""
    os.environ["HEETUI_CONFIG"] = str(tmp_path_factory.mktemp("config") / "none.toml")
    # nor set the desktop's clipboard (y's fallback, tui/clipboard): its tests set their own
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def survey(_fresh_cache: None) -> Survey:
    return open_survey()


@pytest.fixture(scope="session")
def raw() -> pl.DataFrame:
    """The bundled respondents read straight from Parquet (independent of the engine)."""
    return pl.read_parquet(bundled_survey_path() / "respondents.parquet")
