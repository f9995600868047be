"""What a screen tells about its keys: the footer's few, ranked, and the help page's all.

The footer has room for about a dozen keys at 120 columns and half that at 80. Each screen
declares its bindings most useful first (the main screen's are the app's); the footer shows
as many as fit its width, whole, in that order, and always ``?``, whose page lists every key
of the screen it was pressed on (``help_text``), with the screen's own notes
(``HELP_NOTES``) after them. Keys rebound in the settings file (tui/keymap.py) are shown as
rebound, here as in Textual's footer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from rich.cells import cell_len
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from heetui.tui.keymap import remapped
from heetui.tui.textual_internals import keymap

HELP_ACTION = "help"  # always in the footer: the rest of the keys are one key away
# the app's keys the footer of another screen shows after the screen's own
EVERYWHERE = ("quit", HELP_ACTION)
KEY_NAMES = {"escape": "Esc", "question_mark": "?", "slash": "/", "left_square_bracket": "[",
             "pagedown": "PgDn", "pageup": "PgUp", "space": "Space", "backspace": "Backspace",
             "enter": "Enter", "tab": "Tab", "f1": "F1"}
KEY_COLUMN = 12  # help: the keys' column
HELP_WIDTH = 72  # help: lines wrap here by default (the help page at 80 columns)
MIN_TEXT_WIDTH = 16  # help: a key's text wraps at no fewer characters, however narrow the
# page (on a terminal of about 20 columns the page is narrower than the keys' column)


def key_names(b: Binding) -> str:
    """Every key of a binding as a reader types it: "n, PgDn", "?, F1", "ctrl+q"."""
    keys = [k.strip() for k in b.key.split(",")]
    names = [KEY_NAMES.get(k, k) for k in keys]
    if b.key_display and len(keys) == 1:
        names = [b.key_display]
    return ", ".join(names)


def footer_actions(screen: Screen[Any]) -> Sequence[str]:
    """The actions a screen's footer shows, most useful first: the main screen's are the
    app's bindings in their order, another screen's its own, then quit and help."""
    app = screen.app
    if app.screen_stack and screen is app.screen_stack[0]:
        ranked = [b.action for b in own_bindings(app)]
    else:
        ranked = [b.action for b in own_bindings(screen, keymap(app))] + list(EVERYWHERE)
    return list(dict.fromkeys(ranked))


def footer_width(display: str, description: str) -> int:
    """Columns a footer key takes: Textual's FooterKey pads the key by one on each side and
    the description by one after it."""
    return cell_len(display) + cell_len(description) + 3


def fit(keys: Sequence[tuple[str, str, str]], width: int) -> list[int]:
    """Which of the ranked keys (action, display, description) fit in ``width`` columns,
    as indexes in rank order; the help key is kept whatever its rank."""
    sizes = [footer_width(display, desc) for _, display, desc in keys]
    pinned = [i for i, (action, _, _) in enumerate(keys) if action == HELP_ACTION]
    room = width - sum(sizes[i] for i in pinned)
    chosen = set(pinned)
    for i, size in enumerate(sizes):
        if i in chosen:
            continue
        if size > room:
            break  # a later, smaller key shown after a missing bigger one reads as random
        chosen.add(i)
        room -= size
    return sorted(chosen)


# ---- help -------------------------------------------------------------------------------


def _line(keys: str, text: str, width: int = HELP_WIDTH) -> list[str]:
    body = textwrap.wrap(text, max(width - KEY_COLUMN - 3, MIN_TEXT_WIDTH)) or [""]
    first = f"  {keys:<{KEY_COLUMN}} {body[0]}" if len(keys) <= KEY_COLUMN else \
        f"  {keys}\n  {'':<{KEY_COLUMN}} {body[0]}"
    return [first] + [f"  {'':<{KEY_COLUMN}} {rest}" for rest in body[1:]]


# Textual's own keys, described for a reader
ACTION_TEXT = {"app.focus_next": "next pane", "app.focus_previous": "previous pane",
               "screen.copy_text": "copy the text selected with the mouse"}


class KeyEntry(NamedTuple):
    keys: str  # as a reader types them, joined: "q, ctrl+q"
    text: str  # what they do
    ids: tuple[str, ...] = ()  # the bindings' ids (the settings file rebinds by id)


def key_entries(bindings: Iterable[Binding]) -> list[KeyEntry]:
    """One entry per action: its keys joined, and its tooltip (the longer text) or else its
    footer label."""
    by_action: dict[str, list[Binding]] = {}
    for b in bindings:
        by_action.setdefault(b.action, []).append(b)
    return [KeyEntry(", ".join(key_names(b) for b in group),
                     next((b.tooltip for b in group if b.tooltip),
                          ACTION_TEXT.get(action, group[0].description)),
                     tuple(b.id for b in group if b.id))
            for action, group in by_action.items()]


def key_lines(bindings: Iterable[Binding], width: int = HELP_WIDTH) -> list[str]:
    """The help page's lines of ``key_entries``."""
    return [line for e in key_entries(bindings) for line in _line(e.keys, e.text, width)]


def _keys(b: Binding) -> set[str]:
    return {k.strip() for k in b.key.split(",")}


def own_bindings(node: object, keys: Mapping[str, str] | None = None) -> list[Binding]:
    """Every binding of a screen or app (or of a class of them), its classes' merged as
    Textual merges them (a key bound again in a subclass is the subclass's), with the keys
    of ``keys`` (the app's keymap; by default, an app's own, a screen's none);
    Textual's system keys left out."""
    if keys is None:
        keys = keymap(node) if isinstance(node, App) else {}
    taken: set[str] = set()
    out: list[Binding] = []
    for cls in (node if isinstance(node, type) else type(node)).__mro__:
        for b in cls.__dict__.get("BINDINGS", ()):
            if not isinstance(b, Binding) or b.system:
                continue
            b = remapped(b, keys)
            if _keys(b) & taken:
                continue
            taken |= _keys(b)
            out.append(b)
    return out


def screen_bindings(app: App[Any], screen: Screen[Any]) -> list[Binding]:
    """The bindings that act on ``screen``: the main screen's are the app's, then Textual's
    screen keys; another screen's are its own, then the app's not turned off there."""
    own, app_keys = own_bindings(screen, keymap(app)), own_bindings(app)
    if app.screen_stack and screen is app.screen_stack[0]:
        first, then = app_keys, own
    else:
        first = own
        then = [b for b in app_keys if app.check_action(b.action, ()) is not False]
    return _merged(first, then)


def _merged(first: list[Binding], then: list[Binding]) -> list[Binding]:
    """``first``, then the bindings of ``then`` whose keys ``first`` leaves free."""
    taken = {k for b in first for k in _keys(b)}
    return first + [b for b in then if not _keys(b) & taken]


def key_table(app: type[App[Any]]) -> str:
    """The README's key table: every key of the app's main screen, as its help page lists
    them (the same entries, in the same order), with the ids the settings file rebinds them
    by, as Markdown (tests/tui/test_help_keys.py holds the README to it)."""
    from heetui.tui.chart_view import ChartView  # the chart's own keys act where it shows

    entries = key_entries(_merged(own_bindings(app, {}), own_bindings(Screen, {})))
    entries += key_entries(own_bindings(ChartView, {}))
    entries += [KeyEntry(keys, text) for keys, text in getattr(app, "HELP_KEYS", ())]
    rows = ["| key | action | id |", "|---|---|---|"]
    for e in entries:
        shown = ", ".join(f"`{k}`" for k in e.keys.split(", "))
        ids = ", ".join(f"`{i}`" for i in e.ids) or "—"  # Textual's or a widget's own key
        text = e.text.replace("<", "&lt;")  # Markdown would read <question> as a tag
        rows.append(f"| {shown} | {text} | {ids} |")
    return "\n".join(rows) + "\n"


def help_text(app: App[Any], screen: Screen[Any], width: int = HELP_WIDTH) -> str:
    """The help page of ``screen``: every key that acts there, then the screen's notes."""
    main = bool(app.screen_stack) and screen is app.screen_stack[0]
    owner: object = app if main else screen
    title = getattr(owner, "HELP_TITLE", "Keys")
    lines = [title, ""]
    lines += key_lines(screen_bindings(app, screen), width)
    for keys, text in getattr(owner, "HELP_KEYS", ()):
        lines += _line(keys, text, width)
    notes = getattr(owner, "HELP_NOTES", "")
    if notes:
        lines += ["", notes.rstrip("\n")]
    return "\n".join(lines)
