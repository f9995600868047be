"""Compose verbatim comments for synthetic respondents and interviews.

Two random sources, kept apart. The chunk's numpy generator (shared with build.py) decides
what a comment is about: whether it is a whole comment or composed, how many sentences,
their themes, praise or criticism, and which idea each sentence expresses. A separate
``random.Random`` per chunk, seeded from that generator's state when the chunk's first
comment is asked for, decides the wording: template, slot values, joining words, openers,
closers and the odd typo. The wording therefore never shifts which respondents comment or
what they are coded to, and the writer can re-draw a wording that was already used (a whole
comment word for word, or a sentence used ``SENTENCE_CAP`` times) so that comments rarely
repeat. Re-drawing stops after ``DEDUP_LIMIT`` comments or ``REDRAW_BUDGET`` re-draws in a
chunk, whichever comes first, which bounds its memory and time in scaled copies of millions
of respondents (where the wordings run out and most draws would be re-drawn in vain).
"""

from __future__ import annotations

import bisect
import hashlib
import random
import re
from collections.abc import Sequence
from string import Formatter
from typing import TypeVar

import numpy as np

from heetui.demo.comments import (
    ALSO,
    AT_PRESENT,
    CLOSERS,
    CONCESSIONS,
    DETAILS,
    FIRST_CONCESSIONS,
    IDEAS,
    INTERVIEW_OPENERS,
    OPENERS,
    SLOTS,
    SPEAKER_SLOTS,
    SPOKEN,
    TURNS,
    TYPOS,
    WHOLE,
)

N_THEMES = len(IDEAS)
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
SPEAKER_OF_TYPE = {1: "hei", 2: "trust", 3: "other"}
SPEAKER_OF_ATTRIBUTION = {"National body/ALB": "alb", "Royal College": "college",
                          "Professional body": "professional", "HEI": "hei",
                          "NHS Trust": "trust", "Other": "other"}
KIND = {"p": 0, "c": 1, "s": 2}

SENTENCE_CAP = 2  # a sentence already used this often in the chunk is re-drawn
SENTENCE_TRIES = 6
COMMENT_TRIES = 8
DEDUP_LIMIT = 20_000  # comments per chunk that are checked against earlier ones
REDRAW_BUDGET = 20_000  # re-draws per chunk
DETAIL_SHARE = 0.18
OPENER_SHARE = 0.12
CLOSER_SHARE = 0.12
SENTENCE_END = re.compile(r"[.!?]")

Template = tuple[str, tuple[str, ...]]  # text, slot names


def _template(text: str) -> Template:
    return text, tuple(name for _, name, _, _ in Formatter().parse(text) if name)


def _templates(texts: tuple[str, ...], warm: bool, full: bool = False
               ) -> tuple[Template, ...]:
    """The templates usable in a comment: glowing ones (``+``) only in warm comments,
    fragments (``~``) only where nothing is put in front of them."""
    out = []
    for t in texts:
        glowing, t = t.startswith("+"), t.removeprefix("+")
        fragment, t = t.startswith("~"), t.removeprefix("~")
        if (warm or not glowing) and not (full and fragment):
            out.append(_template(t))
    assert out, texts
    return tuple(out)


def _cdf(p: np.ndarray) -> np.ndarray:
    """The cumulative distribution ``Generator.choice`` computes from p."""
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    return cdf


def choice_with_p(rng: np.random.Generator, cdf: list[float]) -> int:
    """``rng.choice(len(p), p=p)`` given ``_cdf(p)`` as a list: the same index from the same
    single draw, at a fraction of the cost of the general routine."""
    return bisect.bisect_right(cdf, rng.random())


def distinct_with_p(rng: np.random.Generator, p: np.ndarray, cdf: np.ndarray, k: int
                    ) -> list[int]:
    """``rng.choice(len(p), size=k, replace=False, p=p)`` as a list, draw for draw (the
    routine's own steps: draw the missing count, drop indices already found, keep each new
    index at its first occurrence), without its general checks."""
    found = [int(i) for i in cdf.searchsorted(rng.random(k), side="right")]
    if len(set(found)) == k:
        return found
    found = list(dict.fromkeys(found))
    p = p.copy()
    while len(found) < k:
        x = rng.random(k - len(found))
        p[found] = 0
        new = _cdf(p).searchsorted(x, side="right")
        found += [int(i) for i in dict.fromkeys(new.tolist())]
    return found


# (theme, kind index, idea index, warm, full sentences only) -> templates
_IDEA_TEMPLATES = {(theme, k, i, warm, full): _templates(idea, warm, full)
                   for theme, kinds in IDEAS.items() for k, ideas in enumerate(kinds)
                   for i, idea in enumerate(ideas) for warm in (False, True)
                   for full in (False, True)}
_DETAIL_TEMPLATES = {(theme, k): tuple(_template(t) for t in texts)
                     for theme, kinds in DETAILS.items() for k, texts in enumerate(kinds)}
_CLOSER_TEMPLATES = {(key, warm): _templates(texts, warm) for key, texts in CLOSERS.items()
                     for warm in (False, True)}
_WHOLE_TEMPLATES = [(tuple(_template(t) for t in why),
                     tuple(_template(t) for t in (improve or why)))
                    for why, improve, _, _ in WHOLE]
_OPENER_TEMPLATES = [tuple(tuple(_template(t) for t in texts) for texts in family)
                     for family in INTERVIEW_OPENERS]
# the whole comments a (question is relationship_why, tone) may draw from, in WHOLE's order
_FITTING = {(why, tone): [k for k, c in enumerate(WHOLE) if why and c[3] == tone or c[3] == 0]
            for why in (False, True) for tone in (-1, 0, 1)}
# theme probabilities by (stakeholder type, warm)
_THEME_P = {}
for _stype, _w in THEME_WEIGHTS.items():
    for _warm in (False, True):
        _ww = _w * (WARM_THEMES if _warm else 1.0)
        _THEME_P[_stype, _warm] = _ww / _ww.sum()
_THEME_CDF = {k: _cdf(p) for k, p in _THEME_P.items()}
SENTENCE_COUNT_P = np.array([0.5, 0.35, 0.15])  # one, two or three sentences
_SENTENCE_COUNT_CDF = _cdf(SENTENCE_COUNT_P).tolist()
_TYPO_WORDS = tuple((word, re.compile(rf"\b{word}\b"), typo) for word, typo in TYPOS.items())
_KEEP_CASE = set(SLOTS["month"]) | {"I", "I'd", "I'm", "London", "Christmas", "Easter"}


def _lower_first(text: str) -> str:
    """Lower-case the first letter after an opener, unless it starts a name or acronym."""
    word = text.split(" ", 1)[0]
    if not word or word in _KEEP_CASE or word[1:2].isupper() or word.startswith("NHS"):
        return text
    return text[0].lower() + text[1:]


def _key(text: str) -> str:
    """A comment as compared for repeats: case, curly apostrophes and a missing full stop
    do not make it new."""
    return text.casefold().replace("\u2019", "'").strip().rstrip(".")


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in SENTENCE_END.split(_key(text))) if s]


def _seed_of(rng: np.random.Generator) -> int:
    """A seed for the wording, read from the generator's state without drawing from it."""
    state = repr(rng.bit_generator.state).encode()
    return int.from_bytes(hashlib.blake2b(state, digest_size=8).digest(), "big")


Plan = list[tuple[int, str, int]]  # (theme, kind "p"/"c"/"s", idea index) per sentence
T = TypeVar("T")


def _plan(rng: np.random.Generator, question: str, tone: int, stype: int,
          sentences: int) -> Plan:
    """What a composed comment says: ``sentences`` distinct themes matched to tone. Draws
    from ``rng`` exactly as earlier versions did, so the respondents and their themes stay."""
    key = (stype, tone > 0) if (stype, tone > 0) in _THEME_P else (3, tone > 0)
    themes = distinct_with_p(rng, _THEME_P[key], _THEME_CDF[key], sentences)
    plan = []
    for i, t in enumerate(t + 1 for t in themes):
        if question == "improve":
            kind = "s" if i == 0 or tone >= 0 else "c"
        elif tone > 0:
            kind = "p" if rng.random() < 0.85 else "c"
        elif tone < 0:
            kind = "c" if rng.random() < 0.85 else "p"
        else:
            kind = "p" if rng.random() < 0.5 else "c"
        idea = int(rng.integers(len(IDEAS[t][KIND[kind]])))
        plan.append((t, kind, idea))
    return plan


class Writer:
    """Words comments for one chunk, avoiding repeats while it keeps track."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.seen: set[str] = set()
        self.uses: dict[str, int] = {}
        self.tracking = True
        self.redraws = REDRAW_BUDGET

    def _redraw(self) -> None:
        self.redraws -= 1
        self._check()

    def _check(self) -> None:
        if self.redraws <= 0 or len(self.seen) >= DEDUP_LIMIT:
            self.tracking = False
            self.seen, self.uses = set(), {}

    def _pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.r.random() * len(seq))]

    def _fill(self, template: Template, speaker: str) -> str:
        text, slots = template
        if not slots:
            return text
        values = {s: self._pick(SPEAKER_SLOTS[s][speaker] if s in SPEAKER_SLOTS else SLOTS[s])
                  for s in slots}
        return text.format(**values)

    def _fresh(self, text: str) -> bool:
        return all(self.uses.get(s, 0) < SENTENCE_CAP for s in _sentences(text))

    def _sentence(self, templates: tuple[Template, ...], speaker: str,
                  optional: bool = False) -> str:
        """One sentence from templates, re-drawn while it is used up; if every draw was,
        "" when optional, else the least used draw."""
        if not self.tracking:
            s = self._fill(self._pick(templates), speaker)
            return s[0].upper() + s[1:]
        best, best_uses = "", 0
        for attempt in range(SENTENCE_TRIES):
            if attempt:
                self._redraw()
            s = self._fill(self._pick(templates), speaker)
            s = s[0].upper() + s[1:]
            uses = max((self.uses.get(p, 0) for p in _sentences(s)), default=0)
            if uses < SENTENCE_CAP:
                return s
            if not best or uses < best_uses:
                best, best_uses = s, uses
        return "" if optional else best

    def _commit(self, text: str) -> str:
        if self.tracking and text.strip():
            self.seen.add(_key(text))
            for s in _sentences(text):
                self.uses[s] = self.uses.get(s, 0) + 1
            self._check()
        return text

    def _new(self, text: str) -> bool:
        return not self.tracking or _key(text) not in self.seen

    def compose(self, plan: Plan, question: str, tone: int, speaker: str,
                opener_family: int | None = None) -> str:
        """The comment a plan describes; interviews pass their opener family."""
        for attempt in range(COMMENT_TRIES if self.tracking else 1):
            if attempt:
                self._redraw()
            text = self._compose(plan, question, tone, speaker, opener_family)
            if self._new(text):
                break
        return self._commit(text)

    def _compose(self, plan: Plan, question: str, tone: int, speaker: str,
                 opener_family: int | None) -> str:
        r = self.r.random
        interview = opener_family is not None
        if opener_family is not None:
            family = _OPENER_TEMPLATES[opener_family][question == "improve"]
            opener = self._fill(self._pick(family), speaker)
        else:
            opener = self._pick(OPENERS[plan[0][1]]) if r() < OPENER_SHARE else ""
        parts: list[str] = []
        prev = None
        for i, (theme, kind, idea) in enumerate(plan):
            joiner: tuple[str, ...] = ()
            if kind == "p" and tone < 0:  # praise from a critic comes as a concession
                joiner = CONCESSIONS if i else FIRST_CONCESSIONS
            elif i == 0:
                pass
            elif {kind, prev} == {"p", "c"}:
                joiner = TURNS
            elif kind == "c" and prev == "s":
                joiner = AT_PRESENT
            elif interview and r() < 0.3:
                joiner = SPOKEN
            elif kind == prev and r() < 0.2:
                joiner = ALSO
            full = bool(joiner) or (i == 0 and bool(opener))
            s = self._sentence(_IDEA_TEMPLATES[theme, KIND[kind], idea, tone > 0, full],
                               speaker)
            parts.append(self._pick(joiner) + _lower_first(s) if joiner else s)
            if r() < DETAIL_SHARE:
                detail = self._sentence(_DETAIL_TEMPLATES[theme, KIND[kind]], speaker, True)
                if detail:
                    parts.append(detail)
            prev = kind
        if opener:
            parts[0] = opener + _lower_first(parts[0])
        if not interview and r() < CLOSER_SHARE:
            kinds = {kind for _, kind, _ in plan}
            key = "s" if question == "improve" else \
                "+" if kinds == {"p"} and tone > 0 else "-" if kinds == {"c"} and tone < 0 else "0"
            closer = self._sentence(_CLOSER_TEMPLATES[key, tone > 0], speaker, True)
            if closer:
                parts.append(closer)
        text = " ".join(parts)
        return text if interview else self._noise(text)

    def _noise(self, text: str) -> str:
        """The slips of people typing in a hurry: a typo, no full stop, no capitals, curly
        apostrophes pasted from a word processor."""
        r = self.r.random()
        if r < 0.04:
            found = [(pattern, typo) for word, pattern, typo in _TYPO_WORDS if word in text]
            if found:
                pattern, typo = self._pick(found)
                text = pattern.sub(typo, text, count=1)
        elif r < 0.07 and text.endswith("."):
            text = text[:-1]
        elif r < 0.085:
            text = text.lower()
        if "'" in text and self.r.random() < 0.08:
            text = text.replace("'", "\u2019")
        return text

    def whole(self, k: int, question: str, tone: int, speaker: str) -> tuple[str, list[int]]:
        """Whole comment k in one of its wordings; once every wording is used up, a comment
        composed from its themes and tone instead."""
        why, improve, themes, _ = WHOLE[k]
        templates = _WHOLE_TEMPLATES[k][question == "improve"]
        if not any(t.strip() for t in why):  # the odd blank stays as written
            return why[0], list(themes)
        for attempt in range(COMMENT_TRIES if self.tracking else 1):
            if attempt:
                self._redraw()
            text = self._fill(self._pick(templates), speaker)
            if self._new(text) and (not self.tracking or self._fresh(text)):
                return self._commit(text), list(themes)
        if themes and self.tracking:
            plan: Plan = []
            for i, t in enumerate(themes):
                kind = ("s" if i == 0 or tone >= 0 else "c") if question == "improve" else \
                    "p" if tone > 0 else "c" if tone < 0 else self._pick(("p", "c"))
                plan.append((t, kind, int(self.r.random() * len(IDEAS[t][KIND[kind]]))))
            return self.compose(plan, question, tone, speaker), list(themes)
        return self._commit(text), list(themes)


# One writer per chunk generator. Keyed by the generator's id; the entry holds the generator
# itself so the id cannot be reused while the entry lives. A few entries are kept for builds
# running side by side.
_WRITERS: dict[int, tuple[np.random.Generator, Writer]] = {}
_MAX_WRITERS = 4


def _writer_for(rng: np.random.Generator) -> Writer:
    entry = _WRITERS.get(id(rng))
    if entry is None or entry[0] is not rng:
        entry = (rng, Writer(_seed_of(rng)))
        _WRITERS[id(rng)] = entry
        while len(_WRITERS) > _MAX_WRITERS:
            del _WRITERS[next(iter(_WRITERS))]
    return entry[1]


def respondent_comment(rng: np.random.Generator, question: str, tone: int, stype: int
                       ) -> tuple[str, list[int]]:
    """A survey comment and its theme codes. Comments drawn with one generator (a chunk)
    avoid repeating each other."""
    writer = _writer_for(rng)
    speaker = SPEAKER_OF_TYPE.get(stype, "other")
    if rng.random() < 0.1:
        fitting = _FITTING[question == "relationship_why", tone]
        return writer.whole(fitting[int(rng.integers(len(fitting)))], question, tone, speaker)
    n = 1 + choice_with_p(rng, _SENTENCE_COUNT_CDF)
    plan = _plan(rng, question, tone, stype, n)
    return writer.compose(plan, question, tone, speaker), sorted(t for t, _, _ in plan)


def interview_excerpts(rng: np.random.Generator) -> list[tuple[str, str, list[int], str]]:
    """(question, text, themes, attribution) for the 61 depth interviews."""
    stype_of = {"HEI": 1, "NHS Trust": 2}
    writer = Writer(_seed_of(rng))
    out = []
    for attribution, count in INTERVIEWS:
        speaker = SPEAKER_OF_ATTRIBUTION[attribution]
        for _ in range(count):
            tone = int(rng.choice([-1, 0, 1], p=[0.3, 0.3, 0.4]))
            for question in ("relationship_why", "improve"):
                plan = _plan(rng, question, tone, stype_of.get(attribution, 3),
                             2 + int(rng.integers(3)))
                family = int(rng.integers(len(INTERVIEW_OPENERS)))
                text = writer.compose(plan, question, tone, speaker, family)
                out.append((question, text, sorted(t for t, _, _ in plan), attribution))
    return out
