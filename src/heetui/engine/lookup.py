"""Finding what a person names: a variable by its id, an answer by its code, label or
net label (any letter case), a numeric variable's bands as categories."""

from __future__ import annotations

from heetui.errors import EngineError
from heetui.survey.codebook import Codebook, Variable


def categories(v: Variable) -> Variable:
    """The variable as categories: a numeric variable with bands as its bands."""
    return v.banded if v.type == "numeric" and v.bands else v


def resolve_variable(cb: Codebook, name: str, what: str = "variable",
                     categorical: bool = False, allow_open: bool = False) -> Variable:
    """A variable by id; ``categorical`` for banners and filters (single or multi only)."""
    v = cb.find(name.strip())
    grid = cb.grid(name.strip()) if v is None else None
    if grid is not None:
        raise EngineError(f"{grid.id!r} is a grid; as a {what} take one of its items: "
                          f"{', '.join(grid.items)}.")
    if v is None:
        # every variable that would be accepted: open-ended questions tabulate by their
        # coded themes where the codebook has themes
        pool = cb.categorical if categorical else [
            x for x in cb.variables if x.type != "open" or (allow_open and cb.coded(x))]
        grids = [f"{g.id} (grid)" for g in cb.grids] if what == "question" else []
        known = ", ".join(grids + [x.id for x in pool])
        raise EngineError(f"Unknown {what} {name.strip()!r}; choose one of: {known}.")
    if categorical and v.type == "numeric":
        if v.bands:
            return v.banded
        raise EngineError(f"{v.id!r} is numeric; as a {what} it needs bands (bands = [18, 35, "
                          f"55] in its codebook entry), or filter it by value: {v.id}>=50.")
    if v.type == "open" and not allow_open:
        raise EngineError(f"{v.id!r} is an open-ended question; it has comments, not codes "
                          "to filter or tabulate (try `heetui verbatims`).")
    return v


def resolve_values(v: Variable, values: list[str]) -> tuple[int, ...]:
    codes: list[int] = []
    for raw in values:
        val = raw.strip()
        if not val:
            continue
        match = match_answer(v, val)
        if match is None:
            known = "; ".join(f"{o.code} {o.label}" for o in v.options)
            raise EngineError(f"{val!r} is not an answer of {v.id}; choose a code or label "
                              f"from: {known}.")
        codes.extend(c for c in match if c not in codes)
    if not codes:
        raise EngineError(f"The filter on {v.id} names no value; write it as {v.id}=VALUE.")
    return tuple(codes)


def names(val: str, code: int | None, label: str) -> bool:
    """Whether ``val``, as typed, names an answer (or a theme): its code's digits, or its
    label in any letter case."""
    return label.casefold() == val.casefold() or (
        val.isascii() and val.isdigit() and int(val) == code)


def match_answer(v: Variable, val: str) -> tuple[int, ...] | None:
    """The codes ``val`` names: one answer's, or a net's; None when it names none."""
    for o in v.options:
        if names(val, o.code, o.label):
            return (o.code,)
    for n in v.nets:
        if names(val, None, n.label):
            return n.codes
    return None
