from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from heetui.engine.session import Survey, open_survey
from heetui.survey.bundle import bundled_survey_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def survey() -> Survey:
    return open_survey()


@pytest.fixture(scope="session")
def raw() -> pl.DataFrame:
    """The bundled respondents read straight from Parquet (independent of the engine)."""
    return pl.read_parquet(bundled_survey_path() / "respondents.parquet")
