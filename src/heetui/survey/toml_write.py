"""A small TOML writer for codebooks, laid out for people to edit.

Top-level tables become ``[name]`` sections, lists of tables ``[[name]]`` sections, and
lists of tables inside those (options, nets) one inline table per line. Output is
deterministic, so a regenerated codebook is byte-identical.
"""

from __future__ import annotations

import json
import math
from typing import Any


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("TOML codebooks cannot hold NaN or infinity")
        return repr(v)
    if isinstance(v, str):
        # JSON string escaping is valid TOML basic-string escaping for these characters.
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _inline(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_inline(x) for x in v) + "]"
    return _scalar(v)


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else _scalar(k)


def _body(d: dict[str, Any]) -> list[str]:
    lines = []
    for k, v in d.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            lines.append(f"{_key(k)} = [")
            lines.extend(f"  {_inline(x)}," for x in v)
            lines.append("]")
        else:
            lines.append(f"{_key(k)} = {_inline(v)}")
    return lines


def dumps(data: dict[str, Any], header: str = "") -> str:
    out: list[str] = [f"# {line}" if line else "#" for line in header.splitlines()]
    for k, v in data.items():
        if isinstance(v, dict):
            scalars = {a: b for a, b in v.items() if not _is_table_list(b)}
            out += ["", f"[{_key(k)}]", *_body(scalars)]
            for a, b in v.items():
                if _is_table_list(b):
                    for item in b:
                        out += ["", f"[[{_key(k)}.{_key(a)}]]", *_body(item)]
        elif _is_table_list(v):
            for item in v:
                out += ["", f"[[{_key(k)}]]", *_body(item)]
        else:
            out.insert(0, f"{_key(k)} = {_inline(v)}")
    return "\n".join(out).lstrip("\n") + "\n"


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)
