"""The app's keys as data: every binding has an id, and the settings file's ``[keys]`` table
(heetui.config) rebinds them by id through Textual's keymap.

``every_binding`` lists the bindings of the app, its screens and widgets: the one list the
help pages, the footers, the README's key table and the monkey test's keys are read from.
``checked_keymap`` turns the settings' entries into a keymap, leaving out (and naming, one
sentence each) an unknown id, an unknown key name or a key taken on the same screen (the
app's keys and its main screen's table and chart are one screen); the app opens with the
rest applied and its own keys for the entries left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from textual.binding import Binding
from textual.keys import REPLACED_KEYS, Keys, _character_to_key, key_to_character

from heetui.config import UserConfig

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(k.value.rpartition("+")[2] for k in Keys
                       if not k.value.startswith("<"))


def bound_classes() -> tuple[type, ...]:
    """Every class of the app with bindings of its own (imported here, not at the top: the
    app imports this module)."""
    from heetui.tui.app import HeetuiApp
    from heetui.tui.banner_picker import BannerScreen
    from heetui.tui.book_screen import BookScreen
    from heetui.tui.chart_view import ChartView
    from heetui.tui.coding_modals import Confirm, QuestionPicker, ThemePicker
    from heetui.tui.coding_screen import CodingScreen
    from heetui.tui.copy_choice import CopyChoice
    from heetui.tui.edit_modals import EditDialog
    from heetui.tui.modals import FilterScreen, TextScreen
    from heetui.tui.profile_screen import ProfileScreen
    from heetui.tui.save_dialog import SaveDialog
    from heetui.tui.table_view import CrosstabTable
    from heetui.tui.verbatim_screen import VerbatimScreen
    from heetui.tui.weights_screen import WeightsScreen

    return (HeetuiApp, CrosstabTable, VerbatimScreen, ProfileScreen, BannerScreen,
            FilterScreen, TextScreen, SaveDialog, BookScreen, CopyChoice, ChartView, EditDialog,
            WeightsScreen, CodingScreen, ThemePicker, QuestionPicker, Confirm)


def own(cls: type) -> list[Binding]:
    """The bindings a class declares itself (not those it inherits)."""
    return [b for b in cls.__dict__.get("BINDINGS", ()) if isinstance(b, Binding)]


def every_binding() -> list[Binding]:
    """Every binding heetui declares, class by class in declaration order."""
    return [b for cls in bound_classes() for b in own(cls)]


def key_list(key: str) -> list[str]:
    return [k.strip() for k in key.split(",")]


def known_key(key: str) -> bool:
    """Whether Textual can name ``key`` ("b", "ctrl+b", "f5", "question_mark", "?")."""
    *mods, base = key.split("+")
    if not base or not set(mods) <= MODIFIERS:
        return False
    return len(base) == 1 or base in NAMED_KEYS or \
        key_to_character(REPLACED_KEYS.get(base, base)) is not None


def normal(key: str) -> str:
    """A key as Textual writes it in a keymap ("?" is "question_mark")."""
    return ",".join(_character_to_key(k) if len(k) == 1 else k for k in key_list(key))


def remapped(b: Binding, keymap: Mapping[str, str]) -> Binding:
    """The binding with the key the keymap gives its id, as Textual applies it."""
    if b.id is None or b.id not in keymap:
        return b
    return replace(b, key=keymap[b.id], key_display=None)


def checked_keymap(config: UserConfig) -> tuple[dict[str, str], list[str]]:
    """The settings' [keys] as a keymap, and a sentence for each entry left out."""
    bindings = {b.id: b for b in every_binding() if b.id}
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in config.keys.items():
        where = config.where("keys", binding_id)
        bad = [k for k in key_list(keys) if not known_key(k)]
        if binding_id not in bindings:
            problems.append(f"{where}: no key of heetui has this id (the README's key table "
                            "names them); it was left out.")
        elif bad:
            problems.append(f"{where}: {bad[0]!r} is not a key name (such as b, ctrl+b, f5 "
                            "or question_mark); it was left out.")
        else:
            keymap[binding_id] = normal(keys)
    for binding_id, other, key in _clashes(keymap):
        problems.append(f"{config.where('keys', binding_id)}: that key is taken by {other} "
                        f"({key}) on the same screen; it was left out.")
        keymap.pop(binding_id, None)
    return keymap, problems


def screens() -> list[tuple[type, ...]]:
    """The classes whose keys are live together: the app with the table and chart of its
    main screen (a focused widget's key shadows the app's), and each other screen alone."""
    from heetui.tui.app import HeetuiApp
    from heetui.tui.chart_view import ChartView
    from heetui.tui.table_view import CrosstabTable

    main = (HeetuiApp, CrosstabTable, ChartView)
    return [main, *((cls,) for cls in bound_classes() if cls not in main)]


def _clashes(keymap: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(remapped id, the other binding's id, the key) for each remapped binding whose new
    key another binding of the same screen holds, keys compared as Textual names them."""
    out: list[tuple[str, str, str]] = []
    for group in screens():
        bindings = [(cls, remapped(b, keymap)) for cls in group for b in own(cls)]
        for cls, b in bindings:
            if b.id is None or b.id not in keymap:
                continue
            mine = key_list(normal(b.key))
            for other_cls, o in bindings:
                taken = [k for k in mine if k in key_list(normal(o.key))]
                if (other_cls, o.action) != (cls, b.action) and taken:
                    out.append((b.id, o.id or o.action, taken[0]))
                    break
    return out


def all_keys(bindings: Iterable[Binding]) -> list[str]:
    """Each key of the bindings once, in order."""
    return list(dict.fromkeys(k for b in bindings for k in key_list(b.key)))
