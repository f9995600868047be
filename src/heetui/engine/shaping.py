"""The workspace's edits applied to a codebook: the one place a survey's model is assembled.

``shape`` reads a workspace (survey.workspace) over the bundle's codebook and returns the
codebook every command and screen uses, the SQL of its derived variables, and every entry
that does not apply, by line, in one sentence each. An entry that does not apply is left
out and reported, never dropped silently; the rest apply.

A derived variable is an expression over the columns it reads, computed within each query
(``Shaped.derived``: the survey's table selects it beside the stored columns); nothing is
materialised. One whose conditions read only stored variables is also ``Tabled``: a filter
on it is written as its answers' own conditions, which DuckDB tests as it reads the file
(``filter_sql``); and where they read only answer codes of categorical variables, a grouped
pass can group respondents by those columns first (DuckDB groups by a few stored columns
about as fast as by one, where it evaluates the CASE row by row) and compute the variable
once per group (engine.crosstab).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from dataclasses import field as data_field
from typing import Any

from heetui.engine.filters import MAX_DEPTH, Filter, condition, parse_condition
from heetui.engine.frames import shape_frames
from heetui.engine.lookup import match_answer, names
from heetui.engine.sql import Clause, ident, where
from heetui.engine.starred import shape_quotes
from heetui.engine.weighting import WeightDef, parse_weight
from heetui.errors import EngineError
from heetui.survey.codebook import (
    BannerDef,
    Codebook,
    NamedFilter,
    Net,
    Option,
    Variable,
    option_column,
)
from heetui.survey.text import safe_text
from heetui.survey.workspace import (
    SECTIONS,
    Workspace,
    WorkspaceError,
    WorkspaceProblem,
    line_of,
)

ELSE = "else"  # a derived single-choice answer given by everyone no earlier answer takes
DERIVED_GROUP = "Derived variables"
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
QUESTION_FIELDS = ("text", "label", "labels", "order", "hide", "nets", "scores", "bands")


MAX_SOURCE_GROUPS = 4096  # the most combinations of source values a derived variable is
# computed over per group (engine.crosstab's two-level pass), by its sources' answers


@dataclass(frozen=True)
class Tabled:
    """A derived variable whose conditions read only stored variables: ``columns``, its
    own (column, SQL) as in ``Shaped.derived``; ``tests``, each answer's code and its own
    condition as SQL (None: else); ``single``, whether it is single-choice (an answer is
    its condition holding where no earlier one's does). ``sources``: the stored columns it
    reads (quoted), when they are answer codes of single-choice and multi-response
    variables in at most MAX_SOURCE_GROUPS combinations (else none): a grouped pass can
    group respondents by them first and compute the variable once per group. A filter on
    it is written as its answers' conditions (``filter_sql``)."""

    sources: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]
    tests: tuple[tuple[int, str | None], ...] = ()
    single: bool = True


def filter_sql(t: Tabled, codes: tuple[int, ...]) -> str | None:
    """The condition of respondents whose answer to the derived variable ``t`` is one of
    ``codes``, written as the answers' own conditions (a single-choice answer's: it holds
    and no earlier one does), which DuckDB tests as it reads the columns (a comparison of a
    column with a value, within the file's scan), instead of computing the variable for
    every respondent. It is true exactly where the variable's column is one of ``codes``
    (elsewhere false or null, as the column's own test is: in a WHERE, a CASE WHEN or a
    COALESCE(…, FALSE) the two agree). None when a code is an 'else' answer, whose
    condition is no simpler than the variable's own SQL (and took as long, written as "no
    earlier answer holds")."""
    held: list[str] = []
    earlier: list[str] = []
    for code, test in t.tests:
        if code in codes:
            if test is None:
                return None
            held.append(" AND ".join([test] + [f"NOT COALESCE({e}, FALSE)" for e in earlier]))
        if test is not None and t.single:
            earlier.append(test)
    return "(" + " OR ".join(f"({h})" for h in held) + ")" if held else None


def filter_conditions(cb: Codebook, tabled: dict[str, Tabled],
                      filters: tuple[Filter, ...]) -> list[Clause[float]]:
    """The filters' SQL (engine.filters.condition); one on a derived variable over stored
    columns written as its answers' conditions (``filter_sql``)."""
    out: list[Clause[float]] = []
    for f in filters:
        t = tabled.get(f.variable)
        sql = None if t is None or f.ranges else filter_sql(t, f.codes)
        out.append(condition(cb, f) if sql is None else Clause(sql, []))
    return out


@dataclass(frozen=True)
class Shaped:
    codebook: Codebook
    derived: tuple[tuple[str, str], ...]  # (column, SQL), each after those it reads
    problems: tuple[WorkspaceProblem, ...]
    view: dict[str, Any]  # the app's last view, as written
    weights: tuple[WeightDef, ...] = ()  # weights to compute to targets (engine.weighting)
    tabled: dict[str, Tabled] = data_field(default_factory=dict)


class _Report:
    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.problems: list[WorkspaceProblem] = []

    def add(self, key: tuple[str, ...], message: str) -> None:
        self.problems.append(WorkspaceProblem(self.file, line_of(self.text, key),
                                              safe_text(message)))


def shape(cb: Codebook, ws: Workspace | None) -> Shaped:
    """The codebook with the workspace's edits (the codebook as it is without one)."""
    if ws is None:
        return Shaped(cb, (), (), {})
    try:
        text = ws.text()
        data = ws.read()
    except WorkspaceError as e:
        return Shaped(cb, (), (WorkspaceProblem(str(ws.path), None, str(e)),), {})
    return shape_data(cb, data, text, str(ws.path))


def shape_data(cb: Codebook, data: dict[str, Any], text: str = "", file: str = "workspace"
               ) -> Shaped:
    """The codebook with the edits ``data`` holds (a workspace's entries; ``text``, the
    file they were read from, gives the problems their lines)."""
    report = _Report(file, text)
    data = _shown(data)
    for section in data:
        if section not in SECTIONS:
            report.add((section,), f"[{section}] is not a workspace section; the sections are "
                       f"{', '.join(SECTIONS)}.")
    filters = _entries(data, "filter", report)
    questions = _entries(data, "question", report)
    stored = {name: e for name, e in questions.items() if cb.find(name) is not None}
    # conditions read the stored questions as edited (labels, nets, bands) and "@name"s
    named = _edit_questions(replace(cb, filters=_filter_entries(filters), _index={}), stored,
                            report)
    named, derived, tabled = _derive(named, _entries(data, "derived", report), report)
    cb = replace(named, filters=cb.filters, _index={})
    cb = _edit_questions(cb, {n: e for n, e in questions.items() if n not in stored}, report)
    cb = _named_filters(cb, filters, report)
    cb = _banners(cb, _entries(data, "banner", report), report)
    cb = shape_frames(cb, _entries(data, "frame", report), report.add)
    cb = shape_quotes(cb, _entries(data, "quote", report), report.add)
    weights = _weights(cb, _entries(data, "weight", report), report)
    view = data.get("view", {})
    return Shaped(cb, derived, tuple(report.problems), view if isinstance(view, dict) else {},
                  weights, tabled)


def _shown(value: Any) -> Any:
    """The file's text as a codebook's is read (survey.parse): control characters made
    visible, for every label and text is shown in terminals."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    return value


def _entries(data: dict[str, Any], section: str, report: _Report) -> dict[str, dict[str, Any]]:
    found = data.get(section, {})
    out: dict[str, dict[str, Any]] = {}
    if not isinstance(found, dict):
        report.add((section,), f"{section} must be a table of entries.")
        return out
    for name, entry in found.items():
        if isinstance(entry, dict):
            out[name] = entry
        else:
            report.add((section, name), f"{section}.{name} must be a table ([{section}.{name}]).")
    return out


# ---- questions ----------------------------------------------------------------------------

def _edit_questions(cb: Codebook, entries: dict[str, dict[str, Any]], report: _Report
                    ) -> Codebook:
    edited = {v.id: v for v in cb.variables}
    for name, entry in entries.items():
        v = cb.find(name)
        if v is None:
            report.add(("question", name), f"{name} is not a variable of this survey; its "
                       "edits are left out.")
            continue
        for field, value in entry.items():
            key = ("question", name, field)
            if field not in QUESTION_FIELDS:
                report.add(key, f"{field} is not an edit of a question; the edits are "
                           f"{', '.join(QUESTION_FIELDS)}.")
                continue
            try:
                edited[v.id] = _EDITS[field](edited[v.id], value)
            except EngineError as e:
                report.add(key, f"{v.id}.{field}: {e}")
    return replace(cb, variables=tuple(edited[v.id] for v in cb.variables), _index={})


def _codes(v: Variable, value: object, what: str) -> tuple[int, ...]:
    """Codes (or labels) of ``v``'s answers; one that is not an answer is an error."""
    if not isinstance(value, list):
        raise EngineError(f"{what} must be a list of answer codes.")
    codes: list[int] = []
    for x in value:
        found = match_answer(v, str(x)) if isinstance(x, int | str) else None
        if found is None or len(found) != 1 and not isinstance(x, str):
            raise EngineError(f"{x!r} is not an answer of {v.id} (answers: "
                              f"{', '.join(str(o.code) for o in v.options)}).")
        codes += [c for c in found if c not in codes]
    return tuple(codes)


def _words(text: str) -> str:
    """Words from the workspace as the model holds them: trimmed, and (as the codebook's
    own) control characters made visible, since every screen and file shows them."""
    return safe_text(text.strip())


def _need_options(v: Variable, what: str) -> None:
    if v.type not in ("single", "multi"):
        raise EngineError(f"{v.id} is {v.type}; only a question with answers has {what}.")


def _text(v: Variable, value: object) -> Variable:
    if not isinstance(value, str) or not value.strip():
        raise EngineError("the text must be words in quotes.")
    return replace(v, text=_words(value))


def _label(v: Variable, value: object) -> Variable:
    if not isinstance(value, str) or not value.strip():
        raise EngineError("the label must be words in quotes.")
    return replace(v, label=_words(value))


def _labels(v: Variable, value: object) -> Variable:
    _need_options(v, "answer labels")
    if not isinstance(value, dict):
        raise EngineError("labels must be a table of code = \"label\".")
    new: dict[int, str] = {}
    for code, label in value.items():
        (c,) = _codes(v, [int(code)] if str(code).lstrip("-").isdigit() else [code], "labels")
        if not isinstance(label, str) or not label.strip():
            raise EngineError(f"the label of answer {code} must be words in quotes.")
        new[c] = _words(label)
    v = replace(v, options=tuple(replace(o, label=new.get(o.code, o.label))
                                 for o in v.options))
    for c, label in new.items():
        _unique_name(v, label, c)
    return v


def _unique_name(v: Variable, label: str, code: int | None) -> None:
    """An edited label (of answer ``code``, or of a net: None) must name nothing else of
    ``v``: filters and derived variables name answers and nets by label, and a label two
    of them shared would silently change what a condition written before it means."""
    for o in v.options:
        if o.code != code and names(label, o.code, o.label):
            raise EngineError(f"{label!r} already names answer {o.code} of {v.id}; give "
                              f"{'answer ' + str(code) if code is not None else 'the net'} "
                              "a label of its own.")
    for n in v.nets:
        if names(label, None, n.label):
            raise EngineError(f"{label!r} already names a net of {v.id}; give "
                              f"{'answer ' + str(code) if code is not None else 'the net'} "
                              "a label of its own.")


def _order(v: Variable, value: object) -> Variable:
    _need_options(v, "an answer order")
    return replace(v, order=_codes(v, value, "order"))


def _hide(v: Variable, value: object) -> Variable:
    _need_options(v, "answers to hide")
    hidden = set(_codes(v, value, "hide"))
    return replace(v, options=tuple(replace(o, hidden=o.code in hidden) for o in v.options))


def _nets(v: Variable, value: object) -> Variable:
    _need_options(v, "nets")
    if not isinstance(value, list):
        raise EngineError("nets must be a list of {label = ..., codes = [...]}.")
    nets = list(v.nets)
    for net in value:
        if not isinstance(net, dict) or not isinstance(net.get("label"), str):
            raise EngineError("each net needs a label and codes: {label = \"Good\", "
                              "codes = [1, 2]}.")
        codes = _codes(v, net.get("codes"), f"the net {net['label']!r}")
        if len(codes) < 1:
            raise EngineError(f"the net {net['label']!r} has no answers.")
        _unique_name(replace(v, nets=tuple(nets)), _words(net["label"]), None)
        nets.append(Net(_words(net["label"]), codes))
    return replace(v, nets=tuple(nets))


def _scores(v: Variable, value: object) -> Variable:
    if v.type != "single":
        raise EngineError(f"{v.id} is {v.type}; only a single-choice question has scores.")
    if not isinstance(value, dict):
        raise EngineError("scores must be a table of code = value.")
    scored: dict[int, float] = {}
    for code, x in value.items():
        (c,) = _codes(v, [int(code)] if str(code).lstrip("-").isdigit() else [code], "scores")
        if isinstance(x, bool) or not isinstance(x, int | float):
            raise EngineError(f"the score of answer {code} must be a number.")
        scored[c] = float(x)
    return replace(v, options=tuple(replace(o, value=scored.get(o.code)) for o in v.options))


def _bands(v: Variable, value: object) -> Variable:
    if v.type != "numeric":
        raise EngineError(f"{v.id} is {v.type}; only a numeric question has bands.")
    if not isinstance(value, list) or not value or not all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in value):
        raise EngineError("bands must be a list of numbers, the lowest value of each band "
                          "after the first: [18, 35, 55].")
    edges = tuple(float(x) for x in value)
    if list(edges) != sorted(set(edges)):
        raise EngineError("band edges must rise: [18, 35, 55].")
    return replace(v, bands=edges)


_EDITS: dict[str, Callable[[Variable, Any], Variable]] = {
    "text": _text, "label": _label, "labels": _labels, "order": _order, "hide": _hide,
    "nets": _nets, "scores": _scores, "bands": _bands}


# ---- derived variables ----------------------------------------------------------------------

def _derive(cb: Codebook, entries: dict[str, dict[str, Any]], report: _Report
            ) -> tuple[Codebook, tuple[tuple[str, str], ...], dict[str, Tabled]]:
    """The codebook with every derived variable that applies, their SQL in an order in
    which each comes after the variables it reads, and those that can be tabled."""
    made: dict[str, Variable] = {}
    for name, entry in entries.items():
        try:
            known = replace(cb, variables=cb.variables + tuple(made.values()), _index={})
            made[name] = _derived_variable(known, name, entry)
        except EngineError as e:
            report.add(("derived", name), f"The derived variable {name}: {e}")
    pending = dict(made)
    done: list[Variable] = []
    depth: dict[str, int] = {}  # derived variables within each other, each one's own
    sql: list[tuple[str, str]] = []
    tabled: dict[str, Tabled] = {}
    while pending:
        ready = None
        trial = replace(cb, variables=cb.variables + tuple(done) + tuple(pending.values()),
                        _index={})
        for name, v in pending.items():
            try:
                conditions = [parse_condition(trial, o.when) if o.when != ELSE else ()
                              for o in v.options]
            except EngineError as e:
                report.add(("derived", name), f"The derived variable {name}: {e}")
                pending.pop(name)
                break
            reads = {f.variable for c in conditions for f in c}
            if reads & set(pending):
                continue
            ready = (name, v, conditions)
            break
        else:
            names = ", ".join(sorted(pending))
            loop = (f"The derived variables {names} are defined by each other; define one "
                    "of them" if len(pending) > 1 else
                    f"The derived variable {names} is defined by itself; define it")
            for name in pending:
                report.add(("derived", name), f"{loop} by stored variables.")
            break
        if ready is None:
            continue
        name, v, conditions = ready
        pending.pop(name)
        depth[name] = 1 + max((depth.get(f.variable, 0) for c in conditions for f in c),
                              default=0)
        if depth[name] > MAX_DEPTH:  # each level is one more expression within the last
            report.add(("derived", name), f"The derived variable {name} reads derived "
                       f"variables more than {MAX_DEPTH} deep; define it by fewer of them.")
            continue
        done.append(v)
        now = replace(cb, variables=cb.variables + tuple(done), _index={})
        tests = [_inline(where([condition(now, f) for f in c])) if c else None
                 for c in conditions]
        columns = _derived_sql(v, tests)
        sql += columns
        if not any(now.get(f.variable).derived for c in conditions for f in c):
            tabled[v.id] = Tabled(stored_sources(now, conditions) or (), tuple(columns),
                                  tuple(zip((o.code for o in v.options), tests, strict=True)),
                                  v.type == "single")
    return replace(cb, variables=cb.variables + tuple(done), _index={}), tuple(sql), tabled


def _derived_variable(cb: Codebook, name: str, entry: dict[str, Any]) -> Variable:
    if not NAME.fullmatch(name):
        raise EngineError("its name must start with a letter and hold only letters, digits "
                          "and _.")
    if cb.find(name) is not None or cb.grid(name) is not None:
        raise EngineError(f"{name} is already a variable of the survey; choose another name.")
    if cb.banner(name) is not None:  # the bundle's; a workspace banner yields to a variable
        raise EngineError(f"{name} is already a banner of the survey; choose another name.")
    kind = entry.get("type", "single")
    if kind not in ("single", "multi"):
        raise EngineError("its type must be single or multi.")
    role = entry.get("role", "segment")
    if role not in ("segment", "question"):
        raise EngineError("its role must be segment or question.")
    answers = entry.get("answers")
    if not isinstance(answers, list) or not answers:
        raise EngineError("it needs answers: [{label = \"...\", when = \"var=value & ...\"}].")
    options: list[Option] = []
    for k, a in enumerate(answers, 1):
        if not isinstance(a, dict) or not isinstance(a.get("label"), str) or not isinstance(
                a.get("when"), str) or not a["label"].strip() or not a["when"].strip():
            raise EngineError(f"answer {k} needs a label and a condition (when = "
                              "\"var=value & ...\").")
        when = a["when"].strip()
        if when.lower() == ELSE and k != len(answers):
            raise EngineError(f"only its last answer can be {ELSE!r} (everyone else).")
        options.append(Option(k, _words(a["label"]), when=ELSE if when.lower() == ELSE
                              else when))
    own = [option_column(name, o.code) for o in options] if kind == "multi" else [name]
    taken = [c for c in own if c.casefold() in _columns(cb)]
    if taken:
        raise EngineError(f"its column{'s' if len(taken) > 1 else ''} ({', '.join(taken)}) "
                          f"{'are' if len(taken) > 1 else 'is'} already the survey's; choose "
                          "another name.")
    text = entry.get("text") or entry.get("label") or name
    label = entry.get("label") or ""
    return Variable(name, _words(str(text)), kind, role, tuple(options), group=DERIVED_GROUP,
                    label=_words(str(label)))


def _columns(cb: Codebook) -> set[str]:
    """Every column the survey's table holds that the codebook knows of (the stored
    variables', packed answers, weight, id and design, and earlier derived variables'),
    casefolded as SQL compares names: a derived column may take none of them."""
    names = {c for v in cb.variables for c in v.columns()}
    names |= {b for v in cb.variables if (b := v.bits_column)}
    names |= {c for c in (cb.settings.id_column, cb.settings.weight) if c}
    names |= set(cb.settings.design.columns) if cb.settings.design else set()
    return {c.casefold() for c in names}


def _derived_sql(v: Variable, tests: list[str | None]) -> list[tuple[str, str]]:
    """The derived variable's column(s) as SQL, from each answer's condition (``tests``,
    None: else): a single-choice variable the code of the first answer whose condition
    holds (else null); a multi-response one a 0/1 column per answer, every answer whose
    condition holds."""
    if v.type == "single":
        cases = " ".join(f"WHEN {t} THEN {o.code}" if t else f"ELSE {o.code}"
                         for o, t in zip(v.options, tests, strict=True))
        return [(v.id, f"(CASE {cases} END)")]
    taken = [t for t in tests if t]
    out = []
    for o, t in zip(v.options, tests, strict=True):
        test = t or ("NOT (" + " OR ".join(f"COALESCE({x}, FALSE)" for x in taken) + ")"
                     if taken else "TRUE")
        out.append((option_column(v.id, o.code), f"COALESCE(({test})::INTEGER, 0)"))
    return out


def stored_sources(cb: Codebook, conditions: list[tuple[Filter, ...]]
                   ) -> tuple[str, ...] | None:
    """The stored columns conditions read, when they read only answer codes of stored
    single-choice and multi-response variables (an option's 0/1 column) in at most
    MAX_SOURCE_GROUPS combinations of values; else None (a numeric variable's values, or
    another derived variable)."""
    sources: dict[str, int] = {}  # column: how many values it takes, null included
    for f in (f for c in conditions for f in c):
        v = cb.get(f.variable)
        if f.ranges or v.derived or v.type not in ("single", "multi"):
            return None
        if v.type == "multi":
            sources |= {ident(v.column(code)): 3 for code in f.codes}
        else:
            sources[ident(v.id)] = len(v.options) + 1
    combinations = 1
    for n in sources.values():
        combinations *= n
    return tuple(sources) if sources and combinations <= MAX_SOURCE_GROUPS else None


def _inline(clause: Clause[float]) -> str:
    """A condition's SQL with its values written in (numbers only: answer codes, bounds),
    for the survey's table definition, which takes no parameters."""
    pieces = clause.sql.split("?")
    if len(pieces) != len(clause.params) + 1:
        raise EngineError("A derived variable's condition could not be written as SQL.")
    out = [pieces[0]]
    for value, piece in zip(clause.params, pieces[1:], strict=True):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise EngineError("A derived variable's condition could not be written as SQL.")
        out.append(repr(value) if isinstance(value, float) else str(int(value)))
        out.append(piece)
    return "(" + "".join(out) + ")"


# ---- named filters and banners --------------------------------------------------------------

def _filter_entries(entries: dict[str, dict[str, Any]], report: _Report | None = None
                   ) -> tuple[NamedFilter, ...]:
    """The named filters written in a well-formed entry (the rest reported, when asked),
    their conditions not yet read."""
    kept: list[NamedFilter] = []
    for name, entry in entries.items():
        when = entry.get("when")
        label = entry.get("label") or name
        if not NAME.fullmatch(name):
            if report:
                report.add(("filter", name), f"The filter name {name!r} must start with a "
                           "letter and hold only letters, digits and _.")
            continue
        if not isinstance(when, str) or not when.strip():
            if report:
                report.add(("filter", name), f"The filter {name} needs its conditions: "
                           "when = \"var=value & ...\".")
            continue
        kept.append(NamedFilter(name, _words(str(label)), when.strip()))
    return tuple(kept)


def _named_filters(cb: Codebook, entries: dict[str, dict[str, Any]], report: _Report
                   ) -> Codebook:
    """The named filters whose conditions apply to ``cb`` (its derived variables too)."""
    kept = _filter_entries(entries, report)
    cb = replace(cb, filters=kept, _index={})
    good = []
    for f in kept:
        try:
            parse_condition(cb, f.when)
            good.append(f)
        except EngineError as e:
            report.add(("filter", f.id), f"The filter {f.id}: {e}")
    return replace(cb, filters=tuple(good), _index={})


def _weights(cb: Codebook, entries: dict[str, dict[str, Any]], report: _Report
             ) -> tuple[WeightDef, ...]:
    kept = []
    for name, entry in entries.items():
        key = ("weight", name)
        if not NAME.fullmatch(name):
            report.add(key, f"The weight name {name!r} must start with a letter and hold only "
                       "letters, digits and _.")
        elif cb.find(name) is not None or name == cb.settings.weight:
            report.add(key, f"{name} is already a variable or weight of the survey; choose "
                       "another name for the weight.")
        else:
            try:
                kept.append(parse_weight(cb, name, entry))
            except EngineError as e:
                report.add(key, f"The weight {name}: {e}")
    return tuple(kept)


def _banners(cb: Codebook, entries: dict[str, dict[str, Any]], report: _Report) -> Codebook:
    from heetui.engine.banner import resolve_banner

    banners = list(cb.banners)
    for name, entry in entries.items():
        spans = entry.get("spans")
        key = ("banner", name)
        if not NAME.fullmatch(name):
            report.add(key, f"The banner name {name!r} must start with a letter and hold only "
                       "letters, digits and _.")
            continue
        if cb.find(name) is not None or cb.banner(name) is not None:
            report.add(key, f"{name} is already a variable or banner of the survey; choose "
                       "another name for the banner.")
            continue
        if not isinstance(spans, list) or not spans or not all(isinstance(s, str)
                                                               for s in spans):
            report.add(key, f"The banner {name} needs its spans: spans = [\"region\", "
                       "\"org_type\"].")
            continue
        try:
            resolve_banner(cb, ",".join(spans))
        except EngineError as e:
            report.add(key, f"The banner {name}: {e}")
            continue
        banners.append(BannerDef(name, _words(str(entry.get("label") or name)), tuple(spans)))
    return replace(cb, banners=tuple(banners), _index={})
