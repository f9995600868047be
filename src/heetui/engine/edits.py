"""Edits to a survey's workspace, made the same way from the command line and the app.

Each function turns what a person typed (answers by code or label, conditions as filters)
into one workspace entry (``Edit``); ``apply_edit`` checks that the workspace with it still
applies in full to the survey — an edit that would add a problem is refused in one
sentence and the file is left as it was — then writes it and reassembles the survey's
model (``Survey.reshape``). ``undo_edit`` puts the entry back as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from heetui.engine.filters import Filter, parse_condition
from heetui.engine.lookup import resolve_values, resolve_variable
from heetui.engine.session import Survey
from heetui.engine.shaping import ELSE, NAME, shape_data
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook, Variable
from heetui.survey.workspace import Change, Key, WorkspaceError, entry_of, not_a_table


@dataclass(frozen=True)
class Edit:
    """One workspace entry to write (``value`` None: remove it), and what it does in words.
    ``merge``, for an entry an edit adds to (nets, answer labels, hidden answers): the
    entry from its value when written, read under the workspace's lock, so that an edit
    another session made meanwhile is kept (``value`` is what it gives from the value read
    when the edit was made)."""

    key: Key
    value: Any
    description: str
    merge: Callable[[Any], Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Applied:
    """An edit written: the entry's value before it, and the file's text before and after
    it, for ``undo_edit``."""

    edit: Edit
    before: Any
    file: str
    change: Change | None = None

    @property
    def message(self) -> str:
        return f"{self.edit.description} — written to {self.file}"


def _question(survey: Survey, name: str, answers: bool = True) -> Variable:
    v = survey.codebook.find(name.strip())
    if v is None:
        resolve_variable(survey.codebook, name, "question")  # the sentence naming the choices
        raise EngineError(f"Unknown question {name!r}.")
    if answers and v.type not in ("single", "multi"):
        raise EngineError(f"{v.id} is {v.type}; only a question with answers takes this edit.")
    return v


def _entry(survey: Survey, v: Variable, field: str) -> Any:
    entry = survey.workspace.get(("question", v.id, field)) if survey.workspace else None
    return copy.deepcopy(entry)


def _answer_codes(v: Variable, answers: list[str]) -> list[int]:
    return list(resolve_values(v, answers))


def rename_question(survey: Survey, question: str, text: str | None = None,
                    label: str | None = None) -> list[Edit]:
    """New question text and/or short label."""
    v = _question(survey, question, answers=False)
    edits = []
    if text is not None:
        edits.append(Edit(("question", v.id, "text"), text.strip(),
                          f"Question text of {v.id} set to {text.strip()!r}"))
    if label is not None:
        edits.append(Edit(("question", v.id, "label"), label.strip(),
                          f"Short label of {v.id} set to {label.strip()!r}"))
    if not edits:
        raise EngineError("Give the new text or label.")
    return edits


def relabel_answer(survey: Survey, question: str, answer: str, label: str) -> Edit:
    v = _question(survey, question)
    codes = _answer_codes(v, [answer])
    if len(codes) != 1:
        raise EngineError(f"{answer!r} names a net of {v.id}, not one of its answers.")
    code = codes[0]

    def merge(labels: Any) -> Any:
        return {**(labels if isinstance(labels, dict) else {}), str(code): label.strip()}

    return Edit(("question", v.id, "labels"), merge(_entry(survey, v, "labels")),
                f"Answer {code} of {v.id} labelled {label.strip()!r}", merge)


def order_answers(survey: Survey, question: str, answers: list[str]) -> Edit:
    v = _question(survey, question)
    codes = _answer_codes(v, answers)
    return Edit(("question", v.id, "order"), codes,
                f"Answers of {v.id} ordered {', '.join(map(str, codes))}")


def hide_answers(survey: Survey, question: str, answers: list[str], hide: bool = True
                 ) -> Edit:
    v = _question(survey, question)
    codes = _answer_codes(v, answers)

    def merge(hidden: Any) -> Any:  # answers hidden by hand as labels are kept as written
        now = list(hidden) if isinstance(hidden, list) else []
        new = now + [c for c in codes if c not in now] if hide else [
            c for c in now if c not in codes]
        return (sorted(new) if all(isinstance(c, int) for c in new) else new) or None

    words = "hidden" if hide else "shown again"
    return Edit(("question", v.id, "hide"), merge(_entry(survey, v, "hide")),
                f"Answers {', '.join(map(str, codes))} of {v.id} {words}", merge)


def add_net(survey: Survey, question: str, label: str, answers: list[str]) -> Edit:
    """A net of answers of one question (codes or labels)."""
    v = _question(survey, question)
    if not label.strip():
        raise EngineError("Give the net a label.")
    codes = _answer_codes(v, answers)

    def merge(nets: Any) -> Any:
        return [*(nets if isinstance(nets, list) else []),
                {"label": label.strip(), "codes": codes}]

    return Edit(("question", v.id, "nets"), merge(_entry(survey, v, "nets")),
                f"Net {label.strip()!r} of {v.id} ({', '.join(map(str, codes))})", merge)


def set_scores(survey: Survey, question: str, scores: dict[str, float]) -> Edit:
    """Scores of a scale's answers; answers given none are left out of its mean."""
    v = _question(survey, question)
    table = {str(_answer_codes(v, [a])[0]): float(x) for a, x in scores.items()}
    return Edit(("question", v.id, "scores"), table,
                f"Scores of {v.id}: " + ", ".join(f"{c}={x:g}" for c, x in table.items()))


def set_bands(survey: Survey, question: str, edges: list[float]) -> Edit:
    v = _question(survey, question, answers=False)
    return Edit(("question", v.id, "bands"), [float(e) for e in edges],
                f"Bands of {v.id} cut at {', '.join(f'{e:g}' for e in edges)}")


def derive(survey: Survey, name: str, answers: list[tuple[str, str]], text: str = "",
           multi: bool = False, role: str = "segment") -> Edit:
    """A derived variable: each answer a label and a condition (filters joined by "&", or
    "else" for a single-choice variable's everyone else)."""
    entry: dict[str, Any] = {"text": text.strip() or name, "type": "multi" if multi
                             else "single", "role": role,
                             "answers": [{"label": label.strip(), "when": when.strip()}
                                         for label, when in answers]}
    return Edit(("derived", name), entry,
                f"Derived variable {name} ({len(answers)} answers)")


def save_filter(survey: Survey, name: str, when: str, label: str = "") -> Edit:
    """A named filter (``@name``): conditions joined by "&"."""
    name = name.removeprefix("@")
    parse_condition(survey.codebook, when)  # its mistakes said now, in the filter's words
    return Edit(("filter", name), {"label": label.strip() or name, "when": when.strip()},
                f"Filter @{name} = {when.strip()}")


def save_banner(survey: Survey, name: str, spans: list[str], label: str = "") -> Edit:
    return Edit(("banner", name), {"label": label.strip() or name, "spans": list(spans)},
                f"Banner {name} = {', '.join(spans)}")


def weigh(survey: Survey, name: str, targets: dict[str, dict[str, float]],
          **settings: Any) -> Edit:
    """A weight computed to targets (engine.weighting): per variable, each answer's target
    (by code or label); ``settings``: unit, start, min, max, tolerance, max_iterations,
    max_gap, label (None: left out)."""
    entry: dict[str, Any] = {k: v for k, v in settings.items() if v is not None}
    entry["targets"] = targets
    listed = "; ".join(f"{var} " + ", ".join(f"{a} {t:g}" for a, t in t_.items())
                       for var, t_ in targets.items())
    return Edit(("weight", name), entry, f"Weight {name} to targets: {listed}")


def plan_output(survey: Survey, name: str, command: list[str]) -> Edit:
    """An output of the tab plan: the heetui command (its words, without "heetui") that
    makes it; `heetui run` makes every one (cli.plan)."""
    import shlex

    words = command[1:] if command and command[0] == "heetui" else command
    if not words:
        raise EngineError("An output of the plan needs its command.")
    line = shlex.join(words)
    return Edit(("plan", name), {"command": line}, f"Plan output {name}: {line}")


def remove(key: Key) -> Edit:
    return Edit(key, None, f"Removed {'.'.join(key)}")


def apply_edit(survey: Survey, edit: Edit) -> Applied:
    """Write ``edit`` when the workspace with it still applies in full, and reshape the
    survey; otherwise one sentence, and the file as it was."""
    ws = survey.workspace
    if ws is None:
        raise EngineError("This survey was opened without a workspace; edits need one.")
    if edit.key[0] in ("derived", "filter", "banner") and not NAME.fullmatch(edit.key[1]):
        raise EngineError(f"The name {edit.key[1]!r} must start with a letter and hold only "
                          "letters, digits and _.")
    try:
        data = ws.read()
    except WorkspaceError as e:
        raise EngineError(str(e)) from None
    was = shape_data(survey.bundle.codebook, data)
    trial = copy.deepcopy(data)
    merged = edit.merge(copy.deepcopy(entry_of(data, edit.key))) if edit.merge else edit.value
    _put(trial, edit.key, merged, str(ws.path))
    will = shape_data(survey.bundle.codebook, trial)
    before = {p.message for p in was.problems}
    new = [p.message for p in will.problems if p.message not in before]
    if new:
        raise EngineError(new[0])
    if edit.key[0] == "question":  # labels, nets and bands: what conditions' words name
        _same_meanings(was.codebook, will.codebook)
    had = {p.message for p in survey.workspace_problems}
    try:
        change = ws.change(edit.key, edit.merge or (lambda _: edit.value))
        survey.reshape()
        # what only the data can tell (a weight's targets that cannot be met): put back
        added = [p.message for p in survey.workspace_problems if p.message not in had]
        if added:
            if not ws.restore(change):  # another session wrote since: that entry alone
                ws.set(edit.key, change.old)
            survey.reshape()
            raise EngineError(added[0])
    except WorkspaceError as e:
        raise EngineError(str(e)) from None
    return Applied(edit, change.old, str(ws.path), change)


def _meanings(cb: Codebook) -> dict[Key, tuple[tuple[Filter, ...], ...]]:
    """What each derived variable's and saved filter's conditions select, as codes."""
    out: dict[Key, tuple[tuple[Filter, ...], ...]] = {
        ("derived", v.id): tuple(() if o.when == ELSE else parse_condition(cb, o.when)
                                 for o in v.options) for v in cb.variables if v.derived}
    out.update({("filter", f.id): (parse_condition(cb, f.when),) for f in cb.filters})
    return out


def _same_meanings(was: Codebook, will: Codebook) -> None:
    """Conditions name answers by label: an edit of a question must not make a derived
    variable or saved filter select other answers than before (a swap of two answers'
    labels would, and no problem would show it)."""
    now = _meanings(will)
    for entry, meaning in _meanings(was).items():
        if entry in now and now[entry] != meaning:
            what = f"derived variable {entry[1]}" if entry[0] == "derived" else \
                f"filter @{entry[1]}"
            raise EngineError(f"This edit would change which answers the {what} selects "
                              "(its conditions name answers by label); write them with "
                              "answer codes first.")


def undo_edit(survey: Survey, applied: Applied) -> Applied:
    """Put the entry an edit wrote back as it was before it: the whole file as it was,
    byte for byte, when nothing was written to it since; else that one entry."""
    undo = Edit(applied.edit.key, applied.before, f"Undid: {applied.edit.description}")
    ws = survey.workspace
    if ws is not None and applied.change is not None:
        try:
            restored = ws.restore(applied.change)
        except WorkspaceError as e:
            raise EngineError(str(e)) from None
        if restored:
            survey.reshape()
            return Applied(undo, applied.edit.value, str(ws.path))
    return apply_edit(survey, undo)


def save_view(survey: Survey, view: dict[str, Any], default: dict[str, Any] | None = None
              ) -> None:
    """Keep what the app shows (``view``: plain TOML values) as the workspace's ``[view]``,
    written as given and without reshaping the survey (a view changes no question). Nothing
    is written when the survey has no workspace, when the entry already holds ``view``, or
    when ``view`` is ``default`` (the view the app opens with anyway) and the workspace
    file does not exist yet: looking at a survey creates no file."""
    ws = survey.workspace
    if ws is None or view == survey.view:
        return
    if view == default and not ws.path.exists():
        return
    try:
        ws.set(("view",), view)
    except WorkspaceError as e:
        raise EngineError(str(e)) from None
    survey.view = dict(view)


def _put(data: dict[str, Any], key: Key, value: Any, file: str) -> None:
    node = data
    for depth, part in enumerate(key[:-1]):
        node = node.setdefault(part, {})
        if not isinstance(node, dict):  # written by hand as a value
            raise EngineError(str(not_a_table(key[:depth + 1], file)))
    if value is None:
        node.pop(key[-1], None)
    else:
        node[key[-1]] = value


__all__ = ["ELSE", "Applied", "Edit", "add_net", "apply_edit", "derive", "hide_answers",
           "order_answers", "plan_output", "relabel_answer", "remove", "rename_question",
           "save_banner",
           "save_filter", "save_view", "set_bands", "set_scores", "undo_edit", "weigh"]
