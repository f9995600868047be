"""The user's settings file: the defaults an analyst wants every time, and the app's keys.

One TOML file, read (never written) by the command line and the app alike:
``$HEETUI_CONFIG`` when set, else ``config.toml`` in the platform's folder for settings
(platformdirs: ``~/.config/heetui/config.toml`` on Linux). A missing file means the built-in
defaults. A mistake in the file is a ``ConfigError``: one sentence naming the file and the
line or entry at fault. Command-line options win over the file.

    [defaults]
    banner = "standard"       # tab, chart, book without --by; the app opens on it
    sig_level = [0.05, 0.10]  # one level, or two (upper-case letters at the stricter)
    decimals = 1              # decimals of percents (tab --decimals)
    theme = "textual-light"   # the app's theme
    output_folder = "~/reports"  # where exports are proposed (the app; tab's xlsx default)
    low_base = 50             # flag columns below this base (--low-base)
    min_test_base = 30        # no tests below this base (--min-test-base)

    [keys]                    # the app's keys: binding id = key, or keys joined by commas
    "table.banner" = "ctrl+b"
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TypeVar

from platformdirs import user_config_path

from heetui.errors import HeetuiError

ENV = "HEETUI_CONFIG"  # a settings file to read instead of the platform's (tests set it)
SigLevels = tuple[float, float | None]
T = TypeVar("T")
U = TypeVar("U")
MAX_DECIMALS = 3


class ConfigError(HeetuiError):
    """A mistake in the settings file, as one sentence."""


def config_path() -> Path:
    """The settings file in use (it need not exist)."""
    given = os.environ.get(ENV)
    if given:
        return Path(given).expanduser()
    return user_config_path("heetui") / "config.toml"


def parse_levels(text: str) -> SigLevels:
    """One significance level, or two as "0.05,0.10" in either order (the stricter first
    in the result); ValueError names what is wrong."""
    try:
        levels = sorted(float(x) for x in text.split(","))
    except ValueError:
        levels = []
    if not 1 <= len(levels) <= 2 or not all(0 < x < 1 for x in levels) or (
            len(levels) == 2 and levels[0] == levels[1]):
        raise ValueError(f"{text!r} is not a significance level between 0 and 1, or two "
                         "different ones such as 0.05,0.10")
    return levels[0], levels[1] if len(levels) == 2 else None


@dataclass(frozen=True)
class UserConfig:
    """What the settings file says; every default is the built-in one."""

    path: Path
    found: bool = False
    banner: str | None = None
    sig_level: SigLevels = (0.05, None)
    decimals: int = 0
    theme: str | None = None
    output_folder: Path | None = None
    low_base: int | None = None
    min_test_base: int | None = None
    keys: Mapping[str, str] = field(default_factory=dict)  # binding id -> key(s)

    def where(self, table: str, key: str) -> str:
        """``file, line N ([table] key)``: where an entry is written, for a message."""
        line = _line_of(self.path, table, key)
        at = f", line {line}" if line else ""
        return f"settings file {self.path}{at} ([{table}] {key})".replace(" ]", "]")

    def describe(self) -> str:
        """The file in use, as --help says it."""
        state = "read" if self.found else "not present: built-in defaults"
        return f"settings file: {self.path} ({state}; ${ENV} names another)"


def load_config(path: Path | None = None) -> UserConfig:
    """Read the settings file (``config_path()`` unless given); ConfigError on a mistake."""
    path = config_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return UserConfig(path)
    except OSError as e:
        raise ConfigError(f"The settings file {path} cannot be read: "
                          f"{e.strerror or e}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))  # Notepad's byte order mark is no mistake
    except UnicodeDecodeError:
        raise ConfigError(f"The settings file {path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"The settings file {path} is not valid TOML: {e}.") from None
    return _parsed(UserConfig(path, found=True), data)


def _parsed(empty: UserConfig, data: Mapping[str, object]) -> UserConfig:
    for name in data:
        if name not in ("defaults", "keys"):
            raise ConfigError(f"settings file {empty.path}: unknown section [{name}] (heetui "
                              "reads [defaults] and [keys]).")
    defaults = _table(empty, data, "defaults")
    for name in defaults:
        if name not in SETTINGS:
            raise ConfigError(f"{empty.where('defaults', name)}: unknown setting (known: "
                              f"{', '.join(SETTINGS)}).")

    def read(name: str, reader: Callable[[object], T], default: U) -> T | U:
        if name not in defaults:
            return default
        try:
            return reader(defaults[name])
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{empty.where('defaults', name)}: {e}.") from None

    keys = _table(empty, data, "keys")
    for binding, key in keys.items():
        if not isinstance(key, str) or not key.strip():
            raise ConfigError(f"{empty.where('keys', binding)}: a key is a string such as "
                              '"ctrl+b", or several joined by commas.')
    e = empty
    return UserConfig(
        e.path, True, read("banner", _text, e.banner), read("sig_level", _levels, e.sig_level),
        read("decimals", _count(0, MAX_DECIMALS), e.decimals), read("theme", _text, e.theme),
        read("output_folder", _folder, e.output_folder), read("low_base", _count(0), e.low_base),
        read("min_test_base", _count(0), e.min_test_base),
        {k: str(v) for k, v in keys.items()})


def _table(cfg: UserConfig, data: Mapping[str, object], name: str) -> dict[str, object]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{cfg.where(name, '')}: [{name}] must be a table of entries.")
    return table


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("expected a non-empty string in quotes")
    return value


def _count(low: int, high: int | None = None) -> Callable[[object], int]:
    def read(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("expected a whole number")
        if value < low or (high is not None and value > high):
            raise ValueError(f"expected a whole number from {low}"
                             + (f" to {high}" if high is not None else " up"))
        return value
    return read


def _levels(value: object) -> SigLevels:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return parse_levels(str(value))
    if isinstance(value, list) and all(isinstance(x, float | int) and not isinstance(x, bool)
                                       for x in value):
        return parse_levels(",".join(str(x) for x in value))
    raise TypeError("expected a level such as 0.05, or two such as [0.05, 0.10]")


def _folder(value: object) -> Path:
    return Path(_text(value)).expanduser()


# [defaults]: every field of UserConfig but the file's own and the keys
SETTINGS = tuple(f.name for f in fields(UserConfig) if f.name not in ("path", "found", "keys"))


def _line_of(path: Path, table: str, key: str) -> int | None:
    """The line where ``key`` is written under ``[table]`` (1-based), if it can be found."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    header = re.compile(r"^\s*\[\s*" + re.escape(table) + r"\s*\]")
    entry = re.compile(r'^\s*["\']?' + re.escape(key) + r'["\']?\s*=')
    inside = False
    for i, line in enumerate(lines, 1):
        if line.lstrip().startswith("["):
            inside = bool(header.match(line))
            if inside and not key:
                return i
        elif inside and key and entry.match(line):
            return i
    return None
