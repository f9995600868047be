"""The app's last view, kept in the survey's workspace (``[view]``) as plain TOML values.

``view_entry`` writes what a person chose (question, banner, filters, weighting, cells,
letters, level) as they read it: filters as ``--filter`` takes them (tui/view_command).
``restored`` reads an entry back over the view the app would open with; an entry that no
longer applies (its question or a filter's variable gone in the next wave, a value edited
by hand into something else) is left out whole, and said in one sentence. Plain data (no
Textual).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from heetui.config import parse_levels
from heetui.engine import Filter, parse_filter, resolve_banner
from heetui.errors import EngineError
from heetui.survey.codebook import Codebook
from heetui.tui.state import SHOW_CYCLE, ViewState
from heetui.tui.view_command import filter_text, number


def view_entry(cb: Codebook, view: ViewState) -> dict[str, Any]:
    """``view`` as the workspace keeps it, filters by answer code (a label may be edited
    later); a filter that has no written form is left out: the rest of the view is still
    worth returning to."""
    filters = []
    for f in view.filters:
        try:
            filters.append(filter_text(cb, f, labels=False))  # codes outlive relabelling
        except EngineError:
            continue
    levels = [view.sig_level] + ([view.loose_level] if view.loose_level else [])
    return {"question": view.question, "banner": view.banner or "", "filters": filters,
            "weighted": view.weighted, "weight": cb.settings.weight or "" if view.weighted
            else "", "show": view.show, "letters": view.letters,
            "sig_level": ",".join(number(x) for x in levels)}


def kept_weight(entry: dict[str, Any]) -> str | None:
    """The weight a kept view was weighted by (None: the survey's own, or none)."""
    weight = entry.get("weight") if entry else None
    return weight if isinstance(weight, str) and weight else None


def restored(cb: Codebook, entry: dict[str, Any], first: ViewState, weights: list[str],
             where: str = "the workspace") -> tuple[ViewState, str | None]:
    """The view ``entry`` keeps, over ``first`` (the view the app opens with without one);
    ``first`` and a sentence naming ``where`` it was kept when it no longer applies."""
    if not entry:
        return first, None
    try:
        return _read(cb, entry, first, weights), None
    except (EngineError, ValueError, TypeError) as e:
        why = e.message() if isinstance(e, EngineError) else str(e)
        return first, f"The last view kept in {where} no longer applies ({why}); " \
                      "the app opens as it does without one."


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise TypeError(f"its {key} is not text")
    return value


def _flag(entry: dict[str, Any], key: str, default: bool) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        raise TypeError(f"its {key} is not true or false")
    return value


def _read(cb: Codebook, entry: dict[str, Any], first: ViewState, weights: list[str]
          ) -> ViewState:
    question = _text(entry, "question")
    if question not in cb and cb.grid(question) is None:
        raise ValueError(f"its question {question!r} is not in the survey")
    banner = _text(entry, "banner").strip() or None
    if banner is not None:
        resolve_banner(cb, banner)
    texts = entry.get("filters", [])
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise TypeError("its filters are not a list of texts")
    filters: tuple[Filter, ...] = tuple(parse_filter(cb, t) for t in texts)
    weighted = _flag(entry, "weighted", False)
    if weighted and not weights:
        raise ValueError("it is weighted, and the survey has no weight")
    weight = entry.get("weight", "")
    if not isinstance(weight, str):
        raise TypeError("its weight is not a name")
    if weighted and weight and weight not in weights:
        raise ValueError(f"its weight {weight!r} is not one of the survey's")
    show = entry.get("show", "percent")
    if show not in SHOW_CYCLE:
        raise ValueError(f"its show {show!r} is none of {', '.join(SHOW_CYCLE)}")
    strict, loose = parse_levels(_text(entry, "sig_level") or "0.05")
    return replace(first, question=question, banner=banner, filters=filters,
                   weighted=weighted, show=show, letters=_flag(entry, "letters", True),
                   sig_level=strict, loose_level=loose)
