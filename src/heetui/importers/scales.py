"""The order of text answers that form a familiar scale, as a questionnaire lists them.

A CSV or platform export holds the answers' texts, not their codes, so their order has to
be inferred. When every answer of a column (leaving out answers that say there is no
answer, such as Don't know, which go last) is a point of one scale below, each at its own
place, the options follow the scale from its positive end ("Strongly agree" … "Strongly
disagree"), as the published tables of most surveys do. Anything else keeps the reading
order of importers.missing.sort_key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from heetui.importers.missing import MISSING_WORDS, sort_key

# each scale from its positive end; answers on one line share a place (wordings differ)
_SCALES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("strongly agree", "agree strongly", "completely agree"),
     ("agree", "tend to agree", "somewhat agree", "mostly agree", "slightly agree"),
     ("neither agree nor disagree", "neither agree or disagree", "neither", "neutral"),
     ("disagree", "tend to disagree", "somewhat disagree", "mostly disagree",
      "slightly disagree"),
     ("strongly disagree", "disagree strongly", "completely disagree")),
    (("very satisfied", "extremely satisfied", "completely satisfied"),
     ("satisfied", "fairly satisfied", "somewhat satisfied", "quite satisfied"),
     ("neither satisfied nor dissatisfied", "neither satisfied or dissatisfied", "neither",
      "neutral"),
     ("dissatisfied", "fairly dissatisfied", "somewhat dissatisfied", "quite dissatisfied"),
     ("very dissatisfied", "extremely dissatisfied", "completely dissatisfied")),
    (("excellent",), ("very good",), ("good",), ("fair", "average"), ("poor",),
     ("very poor",)),
    (("extremely likely", "very likely", "certain"),
     ("likely", "fairly likely", "somewhat likely", "quite likely"),
     ("neither likely nor unlikely", "neither likely or unlikely", "neither", "neutral"),
     ("unlikely", "fairly unlikely", "somewhat unlikely", "not very likely"),
     ("very unlikely", "extremely unlikely", "not at all likely")),
    (("extremely important",), ("very important",),
     ("important", "fairly important", "somewhat important", "moderately important"),
     ("slightly important", "not very important"), ("not at all important", "unimportant")),
    (("always",), ("very often",), ("often",), ("sometimes",), ("rarely", "seldom"),
     ("never",)),
    (("very positive",), ("fairly positive", "positive", "somewhat positive"),
     ("neither positive nor negative", "neutral", "neither"),
     ("fairly negative", "negative", "somewhat negative"), ("very negative",)),
    (("yes",), ("no",)),
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def _place(scale: tuple[tuple[str, ...], ...], text: str) -> int | None:
    key = _key(text)
    return next((i for i, wordings in enumerate(scale) if key in wordings), None)


def reading_order(values: Iterable[str]) -> list[str]:
    """``values`` as options: a familiar scale in its order (no-answer texts last), else
    in reading order."""
    plain = sorted(set(values), key=sort_key)
    answers = [v for v in plain if not MISSING_WORDS.search(v)]
    none = [v for v in plain if MISSING_WORDS.search(v)]
    if len(answers) < 2:
        return plain
    for scale in _SCALES:
        places = [_place(scale, v) for v in answers]
        known = [p for p in places if p is not None]
        if len(known) == len(answers) and len(set(known)) == len(known):
            ranked = [v for _, v in sorted(zip(known, answers, strict=True))]
            return ranked + none
    return plain
