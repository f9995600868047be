"""Writing codebooks as TOML (tomlkit), laid out for people to edit.

Top-level tables become ``[name]`` sections, lists of tables ``[[name]]`` sections, and
lists of tables inside those (options, nets) one inline table per line. Output is
deterministic, so a regenerated codebook is byte-identical; tomlkit escapes every character
TOML requires escaped (control characters, DEL) and keeps comments when a codebook an
analyst edited is read and written back.
"""

from __future__ import annotations

import math
from typing import Any

import tomlkit
from tomlkit.items import Array, Item, Table


def _item(v: Any) -> Item:
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError("TOML codebooks cannot hold NaN or infinity")
    if _is_table_list(v):
        arr: Array = tomlkit.array()
        for x in v:
            inline = tomlkit.inline_table()
            inline.update({k: _item(y) for k, y in x.items()})
            arr.append(inline)
        return arr.multiline(True)
    if isinstance(v, list | tuple):
        return tomlkit.item([_item(x) for x in v])
    # v is Any, so mypy cannot pick one of tomlkit.item's overloads; each returns an Item
    scalar: Item = tomlkit.item(v)
    return scalar


def _table(d: dict[str, Any], nested_lists: bool = False) -> Table:
    t = tomlkit.table()
    for k, v in d.items():
        if nested_lists and _is_table_list(v):
            continue
        t.add(k, _item(v))
    if nested_lists:
        for k, v in d.items():
            if _is_table_list(v):
                t.add(tomlkit.nl())
                t.add(k, tomlkit.aot())
                for x in v:
                    t[k].append(_table(x))
    return t


def dumps(data: dict[str, Any], header: str = "") -> str:
    doc = tomlkit.document()
    for line in header.splitlines():
        doc.add(tomlkit.comment(line) if line else tomlkit.comment(""))
    for k, v in data.items():
        if not isinstance(v, dict) and not _is_table_list(v):
            doc.add(k, _item(v))
    for k, v in data.items():
        if isinstance(v, dict):
            doc.add(tomlkit.nl())
            doc.add(k, _table(v, nested_lists=True))
        elif _is_table_list(v):
            aot = tomlkit.aot()
            for x in v:
                aot.append(_table(x))
            doc.add(tomlkit.nl())
            doc.add(k, aot)
    return tomlkit.dumps(doc)


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)
