from __future__ import annotations

import os
from pathlib import Path

import polars as pl
import pytest

from heetui.engine.session import Survey, open_survey
from heetui.survey.bundle import bundled_survey_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test run starts with an empty heetui cache (validation stamps, imports), so a
    warm ~/.cache never lets a test skip the validation it is meant to exercise. Set before
    any bundle opens; subprocesses inherit it."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


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
