"""What chart tests share: reading a drawn chart back as a reader would (blocks, axis
ticks), and a survey with a numeric question (AGE) to draw distributions of."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from helpers import make_bundle, single

ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ---- reading a chart back as a reader would ---------------------------------------------

def block_of(text: str, title_start: str) -> list[str]:
    """The lines of the chart whose title starts with ``title_start``."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(title_start))
    end = next((i for i in range(start + 1, len(lines) - 1)
                if lines[i] == "" and lines[i + 1] == ""), len(lines))
    return lines[start:end]


def rule_index(lines: list[str]) -> int:
    """The first axis rule: box characters only, with ticks."""
    return next(i for i, line in enumerate(lines)
                if line.strip() and set(line.strip()) <= set("─┬┼└┘ ") and "┬" in line)


def ticks(lines: list[str], start: int = 0, stop: int | None = None) -> list[tuple[int, str]]:
    """(column, label) of each tick of the first axis, its labels matched to its ticks in
    order; ``start``/``stop`` cut one panel out of a row of panels."""
    i = rule_index(lines)
    rule, labels = lines[i][start:stop], lines[i + 1][start:stop]
    cols = [c for c, ch in enumerate(rule) if ch in "┬┼└┘"]
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", labels)]
    assert len(words) == len(cols), (rule, labels)
    return [(c + start, w) for c, (_, w) in zip(cols, words, strict=True)]


TYPES = ["HEI", "NHS Trust", "Other"]
BANDS = ["Under 35", "35 to 49", "50 and over"]


def age_bundle(folder: Path, n: int = 400) -> Path:
    """Stakeholder type, an ordered age band, AGE (numeric, some blank), a rating and a
    weight, from seeded answers: older respondents in the later types."""
    rng = np.random.default_rng(3)
    st = rng.choice([1, 2, 3], n, p=[.2, .6, .2])
    age = np.clip(np.round(rng.normal(30 + 6 * st, 9)), 18, 75).astype(int).tolist()
    for i in range(0, n, 37):
        age[i] = None
    band = [None if a is None else 1 if a < 35 else 2 if a < 50 else 3 for a in age]
    variables = [single("stakeholder_type", TYPES, "segment", label="Stakeholder type"),
                 single("age_band", BANDS, "segment", label="Age band"),
                 {"id": "AGE", "type": "numeric", "text": "How old are you?",
                  "role": "question"},
                 single("rating", ["Poor", "Fair", "Good", "Very good"], "question")]
    data = {"stakeholder_type": st.tolist(), "age_band": band, "AGE": age,
            "rating": rng.integers(1, 5, n).tolist(),
            "wt": rng.uniform(.5, 2, n).round(2).tolist()}
    return make_bundle(folder, variables, data, weight="wt")
