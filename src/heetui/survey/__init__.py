"""The survey layer: questionnaire model and bundle loading (no DuckDB, no Textual)."""

from heetui.survey.bundle import Bundle, BundleError, bundled_survey_path, load_bundle
from heetui.survey.codebook import Codebook, Net, Option, Score, Variable
from heetui.survey.parse import Problem

__all__ = ["Bundle", "BundleError", "Codebook", "Net", "Option", "Problem", "Score", "Variable",
           "bundled_survey_path", "load_bundle"]
