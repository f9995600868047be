"""The verbatim material of the synthetic HEE 2019 survey, read from ``comments.toml``.

The sentences verbatims.py builds comments from (each theme's ideas and their templates,
slot values, whole comments, openers, joining words, closers, typos) are data, kept in
``comments.toml`` beside this module; how a template is written, and which counts in it
are part of the random stream, is explained at the top of that file. The file ships inside
the package (the wheel takes every file under src/heetui) and is read through
``importlib.resources``, so it is found wherever and however the package is installed.

Why TOML: the material is lists of sentences nested four deep (theme, kind, idea,
wording). TOML gives each idea a heading of its own (``[[theme.praise]]``) with one
sentence a line, keeps explanatory comments beside the data, and is read by the standard
library (``tomllib``), so no dependency is added and no parser written. JSON allows no
comments and brackets every level; plain text would need a format and a parser of its own.

The file is checked as it is read: its shape, the theme codes and tones, and that every
``{slot}`` of every template has values (for every speaker, where the slot depends on who
speaks). A mistake stops the import with a message naming the entry, rather than a build
failing half-way through. The constants at the bottom keep the shapes verbatims.py and
questionnaire.py use.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from string import Formatter

DATA_FILE = "comments.toml"
# a theme's kinds of idea and detail, in the order verbatims.KIND indexes them (p, c, s)
KINDS = ("praise", "criticism", "suggestion")
OPENER_KEYS = {"p": "praise", "c": "criticism", "s": "suggestion"}  # OPENERS key -> file key
CLOSER_KEYS = {"+": "positive", "0": "neutral", "-": "negative", "s": "suggestion"}
JOINERS = ("turns", "concessions", "first_concessions", "also", "at_present", "spoken")
TONES = (-1, 0, 1)

Texts = tuple[str, ...]
Idea = Texts
ThemeIdeas = tuple[tuple[Idea, ...], tuple[Idea, ...], tuple[Idea, ...]]
ThemeDetails = tuple[Texts, Texts, Texts]
# wordings for relationship_why, wordings for improve (() to use the first), themes, tone
WholeComment = tuple[Texts, Texts, tuple[int, ...], int]
OpenerFamily = tuple[Texts, Texts]  # for relationship_why, for improve


class MaterialError(ValueError):
    """comments.toml is not in the shape this module reads."""


@dataclass(frozen=True)
class Material:
    """Everything in comments.toml, in the shapes the generator uses."""

    themes: Texts  # labels, theme code - 1 as index
    slots: dict[str, Texts]
    speaker_slots: dict[str, dict[str, Texts]]  # slot -> speaker -> values
    ideas: dict[int, ThemeIdeas]
    details: dict[int, ThemeDetails]
    whole: tuple[WholeComment, ...]
    interview_openers: tuple[OpenerFamily, ...]
    openers: dict[str, Texts]  # by OPENER_KEYS
    joiners: dict[str, Texts]  # by JOINERS
    closers: dict[str, Texts]  # by CLOSER_KEYS
    typos: dict[str, str]


def _fail(where: str, problem: str) -> MaterialError:
    return MaterialError(f"{DATA_FILE}: {where} {problem}")


def _table(value: object, where: str, keys: tuple[str, ...] | None = None,
           optional: tuple[str, ...] = ()) -> dict[str, object]:
    """A table; with keys, one holding exactly those (and any of optional)."""
    if not isinstance(value, dict):
        raise _fail(where, "should be a table")
    if keys is not None:
        missing = [k for k in keys if k not in value]
        unknown = [k for k in value if k not in keys and k not in optional]
        if missing or unknown:
            raise _fail(where, f"should hold {', '.join(keys)}"
                               + (f" (missing {', '.join(missing)})" if missing else "")
                               + (f" (unknown {', '.join(unknown)})" if unknown else ""))
    return value


def _tables(value: object, where: str) -> list[dict[str, object]]:
    """A non-empty array of tables ([[name]] sections)."""
    if not isinstance(value, list) or not value:
        raise _fail(where, "should be one or more [[sections]]")
    return [_table(v, f"{where} {i + 1}") for i, v in enumerate(value)]


def _texts(value: object, where: str) -> Texts:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(where, "should be a non-empty list of strings")
    return tuple(value)


def _int(value: object, where: str, allowed: range | tuple[int, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise _fail(where, f"should be one of {', '.join(map(str, allowed))}")
    return value


def _texts_by_key(value: object, where: str, keys: tuple[str, ...] | None = None
                  ) -> dict[str, Texts]:
    return {k: _texts(v, f"{where}.{k}") for k, v in _table(value, where, keys).items()}


def _speaker_slots(value: object) -> dict[str, dict[str, Texts]]:
    """Slot -> speaker -> values; every slot names the same speakers."""
    out = {slot: _texts_by_key(by, f"speaker_slots.{slot}")
           for slot, by in _table(value, "speaker_slots").items()}
    speakers = tuple(next(iter(out.values()), {}))
    for slot, by in out.items():
        _table(by, f"speaker_slots.{slot}", speakers)
    return out


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(where, "should be a non-empty string")
    return value


def _ideas(value: object, where: str) -> tuple[Idea, ...]:
    """A theme's ideas of one kind: [[theme.<kind>]] sections of templates."""
    return tuple(_texts(_table(idea, f"{where} {i + 1}", ("templates",))["templates"],
                        f"{where} {i + 1}: templates")
                 for i, idea in enumerate(_tables(value, where)))


def _themes(value: object) -> tuple[Texts, dict[int, ThemeIdeas], dict[int, ThemeDetails]]:
    """Labels, ideas and details of the [[theme]] sections, numbered in order from 1."""
    labels: list[str] = []
    ideas: dict[int, ThemeIdeas] = {}
    details: dict[int, ThemeDetails] = {}
    for code, theme in enumerate(_tables(value, "theme"), 1):
        where = f"theme {code}"
        _table(theme, where, ("code", "label", *KINDS, "details"))
        if theme["code"] != code:
            raise _fail(f"{where}: code", f"should be {code} (themes are numbered in order)")
        labels.append(_text(theme["label"], f"{where}: label"))
        p, c, s = (_ideas(theme[kind], f"{where} {kind} idea") for kind in KINDS)
        ideas[code] = (p, c, s)
        by_kind = _texts_by_key(theme["details"], f"{where} details", KINDS)
        details[code] = (by_kind["praise"], by_kind["criticism"], by_kind["suggestion"])
    return tuple(labels), ideas, details


def _whole(value: object, n_themes: int) -> tuple[WholeComment, ...]:
    out = []
    for i, entry in enumerate(_tables(value, "whole comment")):
        where = f"whole comment {i + 1}"
        _table(entry, where, ("themes", "tone", "why"), ("improve",))
        codes = entry["themes"]
        if not isinstance(codes, list):
            raise _fail(f"{where}: themes", "should be a list of theme codes")
        themes = tuple(_int(t, f"{where}: themes", range(1, n_themes + 1)) for t in codes)
        improve = _texts(entry["improve"], f"{where}: improve") if "improve" in entry else ()
        out.append((_texts(entry["why"], f"{where}: why"), improve, themes,
                    _int(entry["tone"], f"{where}: tone", TONES)))
    return tuple(out)


def _interview_openers(value: object) -> tuple[OpenerFamily, ...]:
    out = []
    for i, family in enumerate(_tables(value, "interview_openers")):
        by = _texts_by_key(family, f"interview_openers {i + 1}", ("why", "improve"))
        out.append((by["why"], by["improve"]))
    return tuple(out)


def _typos(value: object) -> dict[str, str]:
    typos = _table(value, "typos")
    for word, typo in typos.items():
        if not isinstance(typo, str) or not typo:
            raise _fail(f"typos.{word}", "should be a misspelling (a string)")
    return {word: str(typo) for word, typo in typos.items()}


def _templates(m: Material) -> list[tuple[str, str]]:
    """(where, text) of every template the generator fills in."""
    out = [(f"theme {code} {KINDS[k]} idea {i + 1}", t) for code, kinds in m.ideas.items()
           for k, ideas in enumerate(kinds) for i, idea in enumerate(ideas) for t in idea]
    out += [(f"theme {code} details", t) for code, kinds in m.details.items()
            for texts in kinds for t in texts]
    out += [(f"whole comment {i + 1}", t) for i, (why, improve, _, _) in enumerate(m.whole)
            for t in why + improve]
    out += [(f"interview_openers {i + 1}", t) for i, family in enumerate(m.interview_openers)
            for texts in family for t in texts]
    out += [(f"closers.{CLOSER_KEYS[key]}", t) for key, texts in m.closers.items() for t in texts]
    return out


def _check_slots(m: Material) -> None:
    """Every {slot} of every template has values; no slot is both plain and by speaker."""
    both = set(m.slots) & set(m.speaker_slots)
    if both:
        raise _fail("slots", f"and speaker_slots both define {', '.join(sorted(both))}")
    for where, text in _templates(m):
        try:
            names = [name for _, name, _, _ in Formatter().parse(text) if name is not None]
        except ValueError as e:
            raise _fail(where, f"has a template with unbalanced braces ({e}): {text!r}") from None
        for name in names:
            if name not in m.slots and name not in m.speaker_slots:
                raise _fail(where, f"uses {{{name}}}, which is in neither slots nor "
                                   f"speaker_slots: {text!r}")


def read_material(text: str) -> Material:
    """The material in a comments.toml document; MaterialError names the first entry that
    is not as expected."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise MaterialError(f"{DATA_FILE}: {e}") from None
    top = _table(doc, "the file", ("slots", "speaker_slots", "theme", "whole",
                                   "interview_openers", "openers", "joiners", "closers",
                                   "typos"))
    themes, ideas, details = _themes(top["theme"])
    openers = _texts_by_key(top["openers"], "openers", tuple(OPENER_KEYS.values()))
    closers = _texts_by_key(top["closers"], "closers", tuple(CLOSER_KEYS.values()))
    material = Material(
        themes=themes, slots=_texts_by_key(top["slots"], "slots"),
        speaker_slots=_speaker_slots(top["speaker_slots"]), ideas=ideas, details=details,
        whole=_whole(top["whole"], len(themes)),
        interview_openers=_interview_openers(top["interview_openers"]),
        openers={key: openers[name] for key, name in OPENER_KEYS.items()},
        joiners=_texts_by_key(top["joiners"], "joiners", JOINERS),
        closers={key: closers[name] for key, name in CLOSER_KEYS.items()},
        typos=_typos(top["typos"]))
    _check_slots(material)
    return material


def load() -> Material:
    """The material shipped with the package."""
    data = resources.files("heetui.demo").joinpath(DATA_FILE)
    return read_material(data.read_text(encoding="utf-8"))


MATERIAL = load()
THEMES = MATERIAL.themes
SLOTS = MATERIAL.slots
SPEAKER_SLOTS = MATERIAL.speaker_slots
IDEAS = MATERIAL.ideas
DETAILS = MATERIAL.details
WHOLE = MATERIAL.whole
INTERVIEW_OPENERS = MATERIAL.interview_openers
OPENERS = MATERIAL.openers
TURNS = MATERIAL.joiners["turns"]
CONCESSIONS = MATERIAL.joiners["concessions"]
FIRST_CONCESSIONS = MATERIAL.joiners["first_concessions"]
ALSO = MATERIAL.joiners["also"]
AT_PRESENT = MATERIAL.joiners["at_present"]
SPOKEN = MATERIAL.joiners["spoken"]
CLOSERS = MATERIAL.closers
TYPOS = MATERIAL.typos
