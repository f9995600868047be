"""Compose verbatim comments for synthetic respondents and interviews."""

from __future__ import annotations

import numpy as np

from heetui.demo.comments import FRAGMENTS, INTERVIEW_OPENERS, WHOLE

N_THEMES = len(FRAGMENTS)
# theme weights by stakeholder type (1 HEI, 2 NHS Trust, 3 Other); index = theme code - 1
THEME_WEIGHTS = {
    1: np.array([3, 1, 2, 2, 3, 3, 2, 2, 2, 1, 2], dtype=float),
    2: np.array([3, 3, 3, 2, 1, 1, 2, 1, 2, 3, 2], dtype=float),
    3: np.array([1, 1, 2, 2, 3, 2, 2, 3, 2, 1, 3], dtype=float),
}
WARM_THEMES = np.array([1, 1, 1, 1, 1, 2.5, 1, 1, 4, 1, 1])
# interviews: attribution and how many of the 61 depth interviews each type gave
INTERVIEWS = (("National body/ALB", 12), ("Royal College", 8), ("Professional body", 8),
              ("HEI", 10), ("NHS Trust", 15), ("Other", 8))


def compose(rng: np.random.Generator, question: str, tone: int, stype: int,
            sentences: int) -> tuple[str, list[int]]:
    """One comment: ``sentences`` sentences from distinct themes, matched to tone."""
    w = THEME_WEIGHTS.get(stype, THEME_WEIGHTS[3]) * (WARM_THEMES if tone > 0 else 1.0)
    themes = rng.choice(N_THEMES, size=sentences, replace=False, p=w / w.sum()) + 1
    parts = []
    for i, t in enumerate(themes):
        praise, criticism, suggestion = FRAGMENTS[int(t)]
        if question == "improve":
            pool = suggestion if i == 0 or tone >= 0 else criticism
        elif tone > 0:
            pool = praise if rng.random() < 0.85 else criticism
        elif tone < 0:
            pool = criticism if rng.random() < 0.85 else praise
        else:
            pool = praise if rng.random() < 0.5 else criticism
        parts.append(pool[int(rng.integers(len(pool)))])
    return " ".join(parts), sorted(int(t) for t in themes)


def respondent_comment(rng: np.random.Generator, question: str, tone: int, stype: int
                       ) -> tuple[str, list[int]]:
    if rng.random() < 0.1:
        fitting = [c for c in WHOLE if question == "relationship_why" and c[2] == tone
                   or c[2] == 0]
        text, themes, _ = fitting[int(rng.integers(len(fitting)))]
        return text, list(themes)
    n = 1 + int(rng.choice(3, p=[0.5, 0.35, 0.15]))
    return compose(rng, question, tone, stype, n)


def interview_excerpts(rng: np.random.Generator) -> list[tuple[str, str, list[int], str]]:
    """(question, text, themes, attribution) for the 61 depth interviews."""
    stype_of = {"HEI": 1, "NHS Trust": 2}
    out = []
    for attribution, count in INTERVIEWS:
        for _ in range(count):
            tone = int(rng.choice([-1, 0, 1], p=[0.3, 0.3, 0.4]))
            for question in ("relationship_why", "improve"):
                text, themes = compose(rng, question, tone, stype_of.get(attribution, 3),
                                       2 + int(rng.integers(3)))
                opener = INTERVIEW_OPENERS[int(rng.integers(len(INTERVIEW_OPENERS)))]
                if opener:
                    head = text[0].lower() if text[1:2].islower() else text[0]
                    text = opener + head + text[1:]
                out.append((question, text, themes, attribution))
    return out
