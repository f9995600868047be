"""Edits to a survey's workspace, made the same way from the command line and the app.

Each function turns what a person typed (answers by code or label, conditions as filters)
into one workspace entry (``Edit``); ``apply_edit`` checks that the workspace with it still
applies in full to the survey — an edit that would add a problem is refused in one
sentence and the file is left as it was — then writes it and reassembles the survey's
model (``Survey.reshape``). ``undo_edit`` puts the entry back as it was.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from heetui.engine.filters import parse_condition
from heetui.engine.lookup import resolve_values, resolve_variable
from heetui.engine.session import Survey
from heetui.engine.shaping import ELSE, NAME, shape_data
from heetui.errors import EngineError
from heetui.survey.codebook import Variable
from heetui.survey.workspace import Key, WorkspaceError


@dataclass(frozen=True)
class Edit:
    """One workspace entry to write (``value`` None: remove it), and what it does in words."""

    key: Key
    value: Any
    description: str


@dataclass(frozen=True)
class Applied:
    """An edit written: the entry's value before it, for ``undo_edit``."""

    edit: Edit
    before: Any
    file: str

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
    labels = _entry(survey, v, "labels") or {}
    labels[str(code)] = label.strip()
    return Edit(("question", v.id, "labels"), labels,
                f"Answer {code} of {v.id} labelled {label.strip()!r}")


def order_answers(survey: Survey, question: str, answers: list[str]) -> Edit:
    v = _question(survey, question)
    codes = _answer_codes(v, answers)
    return Edit(("question", v.id, "order"), codes,
                f"Answers of {v.id} ordered {', '.join(map(str, codes))}")


def hide_answers(survey: Survey, question: str, answers: list[str], hide: bool = True
                 ) -> Edit:
    v = _question(survey, question)
    codes = _answer_codes(v, answers)
    now = [int(c) for c in (_entry(survey, v, "hide") or [])]
    new = sorted(set(now) | set(codes)) if hide else [c for c in now if c not in codes]
    words = "hidden" if hide else "shown again"
    return Edit(("question", v.id, "hide"), new or None,
                f"Answers {', '.join(map(str, codes))} of {v.id} {words}")


def add_net(survey: Survey, question: str, label: str, answers: list[str]) -> Edit:
    """A net of answers of one question (codes or labels)."""
    v = _question(survey, question)
    if not label.strip():
        raise EngineError("Give the net a label.")
    codes = _answer_codes(v, answers)
    nets = _entry(survey, v, "nets") or []
    nets.append({"label": label.strip(), "codes": codes})
    return Edit(("question", v.id, "nets"), nets,
                f"Net {label.strip()!r} of {v.id} ({', '.join(map(str, codes))})")


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
    before = {p.message for p in shape_data(survey.bundle.codebook, data).problems}
    trial = copy.deepcopy(data)
    _put(trial, edit.key, edit.value)
    new = [p.message for p in shape_data(survey.bundle.codebook, trial).problems
           if p.message not in before]
    if new:
        raise EngineError(new[0])
    had = {p.message for p in survey.workspace_problems}
    try:
        old, file_before, written = ws.trial_set(edit.key, edit.value)
        survey.reshape()
        # what only the data can tell (a weight's targets that cannot be met): put back
        added = [p.message for p in survey.workspace_problems if p.message not in had]
        if added:
            ws.put_back(edit.key, old, file_before, written)
            survey.reshape()
            raise EngineError(added[0])
    except WorkspaceError as e:
        raise EngineError(str(e)) from None
    return Applied(edit, old, str(ws.path))


def undo_edit(survey: Survey, applied: Applied) -> Applied:
    """Put the entry an edit wrote back as it was before it."""
    return apply_edit(survey, Edit(applied.edit.key, applied.before,
                                   f"Undid: {applied.edit.description}"))


def _put(data: dict[str, Any], key: Key, value: Any) -> None:
    node = data
    for part in key[:-1]:
        node = node.setdefault(part, {})
    if value is None:
        node.pop(key[-1], None)
    else:
        node[key[-1]] = value


__all__ = ["ELSE", "Applied", "Edit", "add_net", "apply_edit", "derive", "hide_answers",
           "order_answers", "relabel_answer", "remove", "rename_question", "save_banner",
           "save_filter", "set_bands", "set_scores", "undo_edit", "weigh"]
