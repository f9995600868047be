"""The order of text answers that form a familiar scale, as a questionnaire lists them.

A CSV or platform export holds the answers' texts, not their codes, so their order has to
be inferred. When every answer of a column is a point of one scale below, each at its own
place, the options follow the scale from its positive end ("Strongly agree" … "Strongly
disagree"), as the published tables of most surveys do; a two-sided scale's middle may read
"No opinion", "Not sure" or "Unsure" as well as "Neither" or "Neutral". Failing that, the
answers that say there is no answer (Don't know, and a "No opinion" beside a "Neither")
are left out of the scale and go last. Anything else keeps the reading order of
importers.missing.sort_key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from heetui.importers.missing import no_answer, outside_scale, sort_key
from heetui.survey.codebook import Net, Variable

# each scale from its positive end; answers on one line share a place (wordings differ)
# the middle answer of a two-sided scale, in any of its wordings
_MIDDLE = ("neither", "neutral", "no opinion", "not sure", "unsure", "undecided")
_SCALES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("strongly agree", "agree strongly", "completely agree"),
     ("agree", "tend to agree", "somewhat agree", "mostly agree", "slightly agree"),
     ("neither agree nor disagree", "neither agree or disagree", *_MIDDLE),
     ("disagree", "tend to disagree", "somewhat disagree", "mostly disagree",
      "slightly disagree"),
     ("strongly disagree", "disagree strongly", "completely disagree")),
    (("very satisfied", "extremely satisfied", "completely satisfied"),
     ("satisfied", "fairly satisfied", "somewhat satisfied", "quite satisfied"),
     ("neither satisfied nor dissatisfied", "neither satisfied or dissatisfied", *_MIDDLE),
     ("dissatisfied", "fairly dissatisfied", "somewhat dissatisfied", "quite dissatisfied"),
     ("very dissatisfied", "extremely dissatisfied", "completely dissatisfied")),
    (("excellent",), ("very good",), ("good",), ("fair", "average"), ("poor",),
     ("very poor",)),
    (("extremely likely", "very likely", "certain"),
     ("likely", "fairly likely", "somewhat likely", "quite likely"),
     ("neither likely nor unlikely", "neither likely or unlikely", *_MIDDLE),
     ("unlikely", "fairly unlikely", "somewhat unlikely", "not very likely"),
     ("very unlikely", "extremely unlikely", "not at all likely")),
    (("extremely important",), ("very important",),
     ("important", "fairly important", "somewhat important", "moderately important"),
     ("slightly important", "not very important"), ("not at all important", "unimportant")),
    (("always",), ("very often",), ("often",), ("sometimes",), ("rarely", "seldom"),
     ("never",)),
    (("very positive",), ("fairly positive", "positive", "somewhat positive"),
     ("neither positive nor negative", *_MIDDLE),
     ("fairly negative", "negative", "somewhat negative"), ("very negative",)),
    (("yes",), ("no",)),
)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def _place(scale: tuple[tuple[str, ...], ...], text: str) -> int | None:
    key = _key(text)
    return next((i for i, wordings in enumerate(scale) if key in wordings), None)


def _ranked(scale: tuple[tuple[str, ...], ...], answers: list[str]) -> list[str] | None:
    """``answers`` in the scale's order when each is a point of it, at its own place."""
    places = [_place(scale, v) for v in answers]
    known = [p for p in places if p is not None]
    if len(known) != len(answers) or len(set(known)) != len(known):
        return None
    return [v for _, v in sorted(zip(known, answers, strict=True))]


def reading_order(values: Iterable[str]) -> list[str]:
    """``values`` as options: a familiar scale in its order (no-answer texts that are not
    one of its points last), else in reading order."""
    plain = sorted(set(values), key=sort_key)
    for scale in _SCALES:
        # every answer; else all but the no-answer texts that are not on the scale; else
        # all but every no-answer text (a "No opinion" beside a "Neither")
        for every in (plain,
                      [v for v in plain if not no_answer(v) or _place(scale, v) is not None],
                      [v for v in plain if not no_answer(v)]):
            ranked = _ranked(scale, every) if len(every) >= 2 else None
            if ranked is not None:
                return ranked + [v for v in plain if v not in every]
    return plain


# the two-sided scales above (their index) with the names of their top-2 and bottom-2 nets
_NETS = {0: ("Agree", "Disagree"), 1: ("Satisfied", "Dissatisfied"), 3: ("Likely", "Unlikely"),
         6: ("Positive", "Negative")}
MIDDLE = 2  # the place of a two-sided scale's middle answer


def scored(question: Variable, by_code: bool = False) -> Variable:
    """A single-choice question or grid's scale whose answers (leaving out those outside
    the scale: importers.missing.outside_scale) are at least four points of a two-sided
    scale, both sides present, gets a top-2 and a bottom-2 net and scores, no score for an
    answer outside the scale (so it is left out of the mean). Answers the file coded with
    its own numbers (``by_code``: a .sav's 1–5) score their code, so the mean is the one
    SPSS prints; answers read from text score as the bundled survey's do, from +2 (the
    positive end) to -2. Anything else is returned as it is."""
    if question.type != "single" or question.nets:
        return question
    options = question.options
    outside = outside_scale([o.label for o in options])
    answers = [o for i, o in enumerate(options) if i not in outside]
    if len(answers) < 4:
        return question
    for index, (top, bottom) in _NETS.items():
        places = [_place(_SCALES[index], o.label) for o in answers]
        known = [p for p in places if p is not None]
        if len(known) != len(answers) or len(set(known)) != len(known) or \
                min(known) >= MIDDLE or max(known) <= MIDDLE:
            continue
        where = {o.code: p for o, p in zip(answers, known, strict=True)}
        scored_options = tuple(
            replace(o, value=float(o.code if by_code else MIDDLE - where[o.code]))
            if o.code in where else replace(o, value=None) for o in options)
        nets = (Net(top, tuple(c for c, p in where.items() if p < MIDDLE)),
                Net(bottom, tuple(c for c, p in where.items() if p > MIDDLE)))
        return replace(question, options=scored_options, nets=nets)
    return question
