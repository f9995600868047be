"""What an export says about the survey it comes from: title, provenance (the bundled
survey's synthetic-data note), fieldwork and the like, and the date it was produced. One
definition for the single-table export and every tab book format."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from heetui.survey.codebook import Codebook
from heetui.survey.text import safe_text

SURVEY_FACTS = (  # (key in the codebook's [survey], label), in the order shown
    ("client", "Client"), ("agency", "Agency"), ("fieldwork", "Fieldwork"),
    ("method", "Method"), ("published", "Published"),
)


def one_line(text: object, limit: int | None = 2000) -> str:
    """Text from data or a codebook for one line: control characters visible, line breaks
    as spaces."""
    return safe_text(str(text), limit).replace("\n", " ")


_UNDATED = ContextVar("undated", default=False)


@contextmanager
def undated() -> Iterator[None]:
    """Outputs written within carry no date (a plan's, `heetui run`): the same data gives
    the same file byte for byte on any day."""
    token = _UNDATED.set(True)
    try:
        yield
    finally:
        _UNDATED.reset(token)


def produced() -> str | None:
    """Today's date, as exports say when they were produced (None: undated)."""
    return None if _UNDATED.get() else date.today().isoformat()


def survey_facts(cb: Codebook) -> list[tuple[str, str]]:
    """(label, text) pairs: the survey, its provenance, its study facts, when produced."""
    s = cb.survey
    facts = [("Survey", one_line(cb.title))]
    if s.get("provenance"):
        facts.append(("Data", one_line(s["provenance"])))
    facts += [(label, one_line(s[key])) for key, label in SURVEY_FACTS if s.get(key)]
    day = produced()
    facts.append(("Produced", f"{day} by heetui" if day else "by heetui"))
    return facts


def export_lines(cb: Codebook) -> list[str]:
    """The few lines a single exported table carries: survey and fieldwork, provenance,
    date produced."""
    facts = dict(survey_facts(cb))
    first = facts["Survey"] + (f" · Fieldwork: {facts['Fieldwork']}" if "Fieldwork" in facts
                               else "")
    return [first, *([facts["Data"]] if "Data" in facts else []),
            f"Produced {facts['Produced']}"]
