"""Turn a codebook dictionary (read from TOML) into a ``Codebook``, and back.

Every structural problem is collected as a ``Problem`` naming the field and what
was expected, so an analyst editing a codebook by hand sees all mistakes at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from heetui.survey.codebook import (
    CATEGORICAL_TYPES,
    GRID_TYPE,
    MIN_GROUP_FLOOR,
    MULTI_BASES,
    NEST,
    VAR_TYPES,
    BannerDef,
    Benchmark,
    Codebook,
    Design,
    Eligibility,
    Grid,
    MissingCode,
    MultiBase,
    Net,
    Option,
    Role,
    Score,
    Settings,
    Theme,
    Variable,
    item_text,
)
from heetui.survey.text import safe_text

MAX_CODE = 65535  # answer codes are stored as unsigned 8- or 16-bit integers
MAX_NESTING = 16  # tables and lists within each other; nothing beyond is read (or printed)


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.field == "-" else f"{self.file}: {self.field}"
        return f"{where}: {self.message}"


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, fld: str, message: str) -> None:
        self.problems.append(Problem(self.file, fld, message))

    def str_(self, d: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        val = d.get(key)
        if val is None:
            if required:
                self.add(f"{where}.{key}", "is missing; expected a text value")
            return ""
        if not isinstance(val, str):
            self.add(f"{where}.{key}", f"expected text, found {type(val).__name__}")
            return ""
        return safe_text(val)  # labels are shown in terminals: no control characters

    def int_(self, d: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
        val = d.get(key, default)
        if isinstance(val, bool) or not isinstance(val, int):
            self.add(f"{where}.{key}", f"expected a whole number, found {val!r}")
            return default or 0
        return val

    def codes(self, d: dict[str, Any], key: str, where: str) -> tuple[int, ...]:
        val = d.get(key)
        if not isinstance(val, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in val
        ):
            self.add(f"{where}.{key}", f"expected a list of option codes, found {val!r}")
            return ()
        return tuple(val)

    def table_list(self, d: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        val = d.get(key, [])
        if not isinstance(val, list) or not all(isinstance(x, dict) for x in val):
            self.add(f"{where}{key}", "expected a list of tables")
            return []
        return val


def _option(c: _Collector, raw: dict[str, Any], where: str) -> Option | None:
    code = raw.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        c.add(f"{where}.code", f"expected a whole-number option code, found {code!r}")
        return None
    if not (0 <= code <= MAX_CODE):
        c.add(f"{where}.code", f"option codes must be between 0 and {MAX_CODE}, found {code}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        c.add(f"{where}.label", f"option {code} has no label; expected a non-empty text")
        label = str(code)
    value = raw.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        c.add(f"{where}.value", f"expected a number (score value), found {value!r}")
        value = None
    exclusive = raw.get("exclusive", False)
    if not isinstance(exclusive, bool):
        c.add(f"{where}.exclusive", "expected true or false")
        exclusive = False
    source = raw.get("source")
    if source is not None and not isinstance(source, str):
        c.add(f"{where}.source", f"expected the answer's text in the source file, found "
                                 f"{source!r}")
        source = None
    return Option(code, safe_text(label), None if value is None else float(value), exclusive,
                  source)


def _missing(c: _Collector, raw: dict[str, Any], where: str, options: set[int]
             ) -> tuple[MissingCode, ...]:
    """A variable's ``missing`` list: source values imported as missing, with reasons."""
    out: list[MissingCode] = []
    seen: set[int | float | str] = set()
    for i, m in enumerate(c.table_list(raw, "missing", f"{where}.")):
        w = f"{where}.missing[{i}]"
        code = m.get("code")
        if isinstance(code, bool) or not isinstance(code, int | float | str) or code == "":
            c.add(f"{w}.code", f"expected the missing value as a number or a text, found "
                  f"{code!r}")
            continue
        if isinstance(code, float) and code.is_integer():
            code = int(code)
        label = m.get("label", "")
        if not isinstance(label, str):
            c.add(f"{w}.label", f"expected text (the reason), found {type(label).__name__}")
            label = ""
        count = m.get("count")
        if count is not None and (isinstance(count, bool) or not isinstance(count, int)
                                  or count < 0):
            c.add(f"{w}.count", f"expected a number of respondents, found {count!r}")
            count = None
        if code in seen:
            c.add(f"{w}.code", f"the missing value {code!r} appears more than once")
        if isinstance(code, int) and code in options:
            c.add(f"{w}.code", f"{code} is also an option; keep a code either in options "
                  "(an answer) or in missing, not both")
        seen.add(code)
        out.append(MissingCode(code, safe_text(label), count))
    return tuple(out)


def _answers(c: _Collector, raw: dict[str, Any], where: str, vid: str, vtype: str
             ) -> tuple[list[Option], list[Net], list[Score]]:
    """A variable's options, nets and scores; nets and scores name only its own codes."""
    options: list[Option] = []
    for i, o in enumerate(c.table_list(raw, "options", f"{where}.")):
        opt = _option(c, o, f"{where}.options[{i}]")
        if opt is not None:
            options.append(opt)
    seen: set[int] = set()
    for option in options:
        if option.code in seen:
            c.add(f"{where}.options", f"option code {option.code} appears more than once")
        seen.add(option.code)
    if (vtype in CATEGORICAL_TYPES or vtype == GRID_TYPE) and not options:
        c.add(f"{where}.options", f"a {vtype} variable needs at least one option")
    nets: list[Net] = []
    for i, n in enumerate(c.table_list(raw, "nets", f"{where}.")):
        label = c.str_(n, "label", f"{where}.nets[{i}]")
        codes = c.codes(n, "codes", f"{where}.nets[{i}]")
        for code in codes:
            if code not in seen:
                c.add(f"{where}.nets[{i}].codes", f"code {code} is not an option of {vid}")
        nets.append(Net(label, codes))
    scores: list[Score] = []
    for i, s in enumerate(c.table_list(raw, "scores", f"{where}.")):
        w = f"{where}.scores[{i}]"
        sc = Score(c.str_(s, "id", w), c.str_(s, "label", w), c.codes(s, "plus", w),
                   c.codes(s, "minus", w))
        for code in sc.plus + sc.minus:
            if code not in seen:
                c.add(f"{w}", f"code {code} is not an option of {vid}")
        scores.append(sc)
    return options, nets, scores


def _variable(c: _Collector, raw: dict[str, Any], where: str, role: Role) -> Variable | None:
    vid = c.str_(raw, "id", where)
    if vid and not vid.replace("_", "").isalnum():
        c.add(f"{where}.id", f"{vid!r} must contain only letters, digits and underscores")
    where = f"{where}({vid})" if vid else where
    vtype = raw.get("type", "single")
    if vtype not in VAR_TYPES:
        c.add(f"{where}.type", f"expected one of {', '.join(VAR_TYPES)}, found {vtype!r}")
        return None
    text = c.str_(raw, "text", where)
    options, nets, scores = _answers(c, raw, where, vid, vtype)
    seen = {o.code for o in options}
    missing = _missing(c, raw, where, seen if vtype != "multi" else set())
    eligible = None
    if "eligible" in raw:
        e = raw["eligible"]
        if not isinstance(e, dict):
            c.add(f"{where}.eligible", "expected a table {variable = ..., codes = [...]}")
        else:
            eligible = Eligibility(c.str_(e, "variable", f"{where}.eligible"),
                                   c.codes(e, "codes", f"{where}.eligible"))
    base = _multi_base(c, raw, where, vtype)
    bands = raw.get("bands", [])
    if not isinstance(bands, list) or not all(
            isinstance(b, int | float) and not isinstance(b, bool) for b in bands) or any(
            b >= c for b, c in zip(bands, bands[1:], strict=False)):
        c.add(f"{where}.bands", f"expected increasing numbers such as [18, 35, 55], found "
              f"{bands!r}")
        bands = []
    elif bands and vtype != "numeric":
        c.add(f"{where}.bands", "only a numeric variable has bands")
        bands = []
    return Variable(
        id=vid, text=text, type="single" if vtype == GRID_TYPE else vtype, role=role,
        bands=tuple(float(b) for b in bands),
        options=tuple(options), nets=tuple(nets), scores=tuple(scores), eligible=eligible,
        group=safe_text(str(raw.get("group", ""))), label=safe_text(str(raw.get("label", ""))),
        missing=missing, base=base, source=c.str_(raw, "source", where, required=False),
    )


def _multi_base(c: _Collector, raw: dict[str, Any], where: str, vtype: str) -> MultiBase:
    """A multi-response question's ``base``: "asked" (the default) or "answered"."""
    base = raw.get("base", "asked")
    if base not in MULTI_BASES:
        c.add(f"{where}.base", f"expected one of {', '.join(MULTI_BASES)}, found {base!r}")
        return "asked"
    if vtype != "multi" and "base" in raw:
        c.add(f"{where}.base", "only a multi-response question has a base choice")
    return "answered" if base == "answered" else "asked"


def _item_table(c: _Collector, raw: object, where: str) -> dict[str, Any] | None:
    if isinstance(raw, str):
        return {"id": raw}
    if not isinstance(raw, dict):
        c.add(where, f"expected an item id or a table {{id = ..., label = ...}}, found {raw!r}")
        return None
    return raw


def _grid(c: _Collector, raw: dict[str, Any], where: str, scale: Variable
          ) -> tuple[Grid, list[Variable]]:
    """A grid entry: its items become single-choice variables on the grid's scale (its
    options, nets, scores, eligibility and group), each with its own label and text."""
    where = f"{where}({scale.id})"
    listed = raw.get("items")
    if not isinstance(listed, list) or len(listed) < 2:
        c.add(f"{where}.items", 'expected a list of at least two items such as '
              f'[{{id = "q5_1", label = "Speed"}}, ...], found {listed!r}')
        listed = []
    codes = {o.code for o in scale.options}
    items: list[Variable] = []
    for i, it in enumerate(listed):
        w = f"{where}.items[{i}]"
        d = _item_table(c, it, w)
        if d is None:
            continue
        iid = c.str_(d, "id", w)
        if iid and not iid.replace("_", "").isalnum():
            c.add(f"{w}.id", f"{iid!r} must contain only letters, digits and underscores")
        label = c.str_(d, "label", w, required=False) or iid
        text = c.str_(d, "text", w, required=False) or item_text(scale.text, label)
        missing = _missing(c, d, w, codes) if "missing" in d else scale.missing
        items.append(replace(scale, id=iid, text=text, label=label, missing=missing,
                             grid=scale.id, source=c.str_(d, "source", w, required=False)))
    return Grid(scale.id, scale.text, tuple(v.id for v in items), scale.label,
                scale.group), items


def _names(c: _Collector, table: dict[str, Any], key: str) -> tuple[str, ...]:
    """A list of variable names; anything else is a problem (and an empty list)."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        c.add(f"survey.{key}", f"expected a list of question or segment ids such as "
              f'["region"], found {value!r}')
        return ()
    return tuple(value)


def _settings(c: _Collector, survey: dict[str, Any]) -> Settings:
    settings = Settings(
        id_column=str(survey.get("id_column", "respondent_id")),
        weight=survey.get("weight") if isinstance(survey.get("weight"), str) else None,
        low_base=c.int_(survey, "low_base", "survey", 100),
        min_test_base=c.int_(survey, "min_test_base", "survey", 30),
        min_group=c.int_(survey, "min_group", "survey", 5),
        key_attributes=_names(c, survey, "key_attributes"),
        design=_design(c, survey),
    )
    if "weight" in survey and not isinstance(survey["weight"], str):
        c.add("survey.weight", "expected the name of the weight column")
    if settings.min_group < MIN_GROUP_FLOOR:
        c.add("survey.min_group", f"is {settings.min_group}; expected at least "
              f"{MIN_GROUP_FLOOR} (smaller groups identify respondents)")
    if settings.weight is not None and settings.weight == settings.id_column:
        c.add("survey.id_column", "is the weight column; expected a column of respondent ids")
    return settings


DESIGN_KEYS = ("strata", "cluster", "fpc")


def _design(c: _Collector, survey: dict[str, Any]) -> Design | None:
    """``survey.design``: the columns of strata, clusters (PSUs) and the FPC, each optional,
    at least strata or cluster."""
    raw = survey.get("design")
    if raw is None:
        return None
    where = "survey.design"
    if not isinstance(raw, dict):
        c.add(where, 'expected a table such as {strata = "stratum", cluster = "psu"}')
        return None
    unknown = sorted(set(raw) - set(DESIGN_KEYS))
    if unknown:
        c.add(f"{where}.{unknown[0]}", f"is not a design field; expected "
              f"{', '.join(DESIGN_KEYS)}")
    names = {k: c.str_(raw, k, where, required=False) or None for k in DESIGN_KEYS}
    if names["strata"] is None and names["cluster"] is None:
        c.add(where, "names neither strata nor cluster; expected at least one of them")
        return None
    used = [n for n in names.values() if n]
    if len(set(used)) < len(used):
        c.add(where, "names one column for two fields; expected a column each")
    if survey.get("weight") in used:
        c.add(where, "names the weight column; expected the columns of strata, clusters "
              "and the FPC")
    return Design(names["strata"], names["cluster"], names["fpc"])


def _benchmarks(c: _Collector, data: dict[str, Any]
                ) -> tuple[list[Benchmark], dict[str, Any]]:
    benchmarks: list[Benchmark] = []
    bsec = data.get("benchmarks", {})
    if not isinstance(bsec, dict):
        c.add("benchmarks", "expected a [benchmarks] table")
        bsec = {}
    for i, b in enumerate(c.table_list(bsec, "items", "benchmarks.")):
        val = b.get("value")
        if isinstance(val, bool) or not isinstance(val, int | float):
            c.add(f"benchmarks.items[{i}].value", f"expected a number, found {val!r}")
            continue
        benchmarks.append(Benchmark(c.str_(b, "label", f"benchmarks.items[{i}]"), float(val),
                                    str(b.get("note", ""))))
    return benchmarks, bsec


def nesting(data: object) -> int:
    """How deeply tables and lists nest in ``data``, counted without recursion (a value
    nested thousands of levels deep must not exhaust Python's stack here or later)."""
    deepest, stack = 0, [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list | tuple):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_NESTING:
                return deepest
            stack += [(x, depth + 1) for x in value]
    return deepest


def codebook_from_dict(data: dict[str, Any], file: str = "codebook.toml") -> tuple[
    Codebook | None, list[Problem]
]:
    """Build a codebook; returns it (or None if unusable) and every problem found."""
    c = _Collector(file)
    if nesting(data) > MAX_NESTING:
        c.add("-", f"nests tables or lists more than {MAX_NESTING} levels deep; a codebook "
              "needs at most 5 (questions, a question, its options, an option)")
        return None, c.problems
    survey = data.get("survey", {})
    if not isinstance(survey, dict):
        c.add("survey", "expected a [survey] table")
        survey = {}
    if "title" not in survey:
        c.add("survey.title", "is missing; expected the survey's title")
    settings = _settings(c, survey)
    variables: list[Variable] = []
    grids: list[Grid] = []
    roles: tuple[tuple[Role, str], ...] = (("segment", "segments"), ("question", "questions"))
    for role, key in roles:
        for i, raw in enumerate(c.table_list(data, key, "")):
            v = _variable(c, raw, f"{key}[{i}]", role)
            if v is not None and raw.get("type") == GRID_TYPE:
                grid, items = _grid(c, raw, f"{key}[{i}]", v)
                grids.append(grid)
                variables += items
            elif v is not None:
                variables.append(v)
    ids: set[str] = set()
    for name in [v.id for v in variables] + [g.id for g in grids]:
        if name in ids:
            c.add(f"variables.{name}", "this id is used by more than one question, segment "
                  "or grid")
        ids.add(name)
    for name in settings.key_attributes:
        if name not in ids:
            c.add("survey.key_attributes", f"{name!r} is not a question or segment")
    for v in variables:
        if v.eligible is not None:
            target = next((x for x in variables if x.id == v.eligible.variable), None)
            if target is None:
                c.add(f"{v.id}.eligible.variable",
                      f"{v.eligible.variable!r} is not a question or segment")
            elif target.type != "single":
                c.add(f"{v.id}.eligible.variable", "must name a single-choice variable")
    themes = [Theme(c.int_(t, "code", f"themes[{i}]"), c.str_(t, "label", f"themes[{i}]"))
              for i, t in enumerate(c.table_list(data, "themes", ""))]
    benchmarks, bsec = _benchmarks(c, data)
    banners = _banners(c, data, {v.id: v for v in variables}, {g.id for g in grids})
    if not any(v.type != "open" for v in variables):
        c.add("questions", "the codebook has no single, multi-response or numeric variable")
    cb = Codebook(survey=survey, settings=settings, variables=tuple(variables),
                  themes=tuple(themes), benchmarks=tuple(benchmarks),
                  benchmark_note=str(bsec.get("note", "")), banners=banners,
                  grids=tuple(grids))
    return cb, c.problems


def _banners(c: _Collector, data: dict[str, Any], variables: dict[str, Variable],
             grids: set[str]) -> tuple[BannerDef, ...]:
    """Named banners: an id that is not a variable's, a label, and spans of single- or
    multi-response variables ("inner/outer" nests inner within outer)."""
    out: list[BannerDef] = []
    seen: set[str] = set()
    for i, raw in enumerate(c.table_list(data, "banners", "")):
        where = f"banners[{i}]"
        bid = c.str_(raw, "id", where)
        if bid and not bid.replace("_", "").isalnum():
            c.add(f"{where}.id", f"{bid!r} must contain only letters, digits and underscores")
        if bid.lower() in seen or bid in variables or bid in grids:
            c.add(f"{where}.id", f"{bid!r} is already the id of a banner, a variable or a "
                  "grid")
        seen.add(bid.lower())
        label = c.str_(raw, "label", where, required=False) or bid
        spans = raw.get("spans")
        if not isinstance(spans, list) or not spans or not all(isinstance(s, str)
                                                                 for s in spans):
            c.add(f"{where}.spans", f'expected a list of segment ids such as ["region", '
                  f'"seniority/region"], found {spans!r}')
            continue
        for s in spans:
            parts = s.split(NEST)
            bad = [p for p in parts if p not in variables or variables[p].type
                   not in CATEGORICAL_TYPES]
            if len(parts) > 2 or bad or len(set(parts)) < len(parts):
                c.add(f"{where}.spans", f"{s!r} is not a single- or multi-response variable, "
                      f"or two different ones nested as inner{NEST}outer")
        out.append(BannerDef(bid, label, tuple(spans)))
    return tuple(out)


def _option_dict(o: Option) -> dict[str, Any]:
    d: dict[str, Any] = {"code": o.code, "label": o.label}
    if o.value is not None:
        d["value"] = int(o.value) if o.value.is_integer() else o.value
    if o.exclusive:
        d["exclusive"] = True
    if o.source is not None:
        d["source"] = o.source
    return d


def _variable_dict(v: Variable) -> dict[str, Any]:
    d: dict[str, Any] = {"id": v.id, "type": v.type}
    if v.label:
        d["label"] = v.label
    d["text"] = v.text
    if v.group:
        d["group"] = v.group
    if v.eligible:
        d["eligible"] = {"variable": v.eligible.variable, "codes": list(v.eligible.codes)}
    if v.type == "multi" and v.base != "asked":
        d["base"] = v.base
    if v.bands:
        d["bands"] = [int(b) if b.is_integer() else b for b in v.bands]
    if v.options:
        d["options"] = [_option_dict(o) for o in v.options]
    if v.nets:
        d["nets"] = [{"label": n.label, "codes": list(n.codes)} for n in v.nets]
    if v.scores:
        d["scores"] = [{"id": s.id, "label": s.label, "plus": list(s.plus),
                        "minus": list(s.minus)} for s in v.scores]
    if v.missing:
        d["missing"] = [_missing_dict(m) for m in v.missing]
    if v.source:
        d["source"] = v.source
    return d


def _missing_dict(m: MissingCode) -> dict[str, Any]:
    d: dict[str, Any] = {"code": m.code}
    if m.label:
        d["label"] = m.label
    if m.count is not None:
        d["count"] = m.count
    return d


def codebook_to_dict(cb: Codebook) -> dict[str, Any]:
    """The codebook as its TOML tables: the one layout every codebook heetui writes has
    (survey.toml_write.dumps writes it). The [survey] table keeps what the codebook read
    gave it (title, provenance, notes …) with the settings' values; a setting the model
    leaves unset is not written."""
    s = cb.settings
    unset = {"weight": not s.weight, "key_attributes": not s.key_attributes,
             "design": s.design is None}
    survey = {k: v for k, v in cb.survey.items() if not unset.get(k, False)}
    survey.update({"id_column": s.id_column, "low_base": s.low_base,
                   "min_test_base": s.min_test_base, "min_group": s.min_group})
    if s.key_attributes:
        survey["key_attributes"] = list(s.key_attributes)
    if s.weight:
        survey["weight"] = s.weight
    if s.design:
        survey["design"] = {k: v for k, v in (("strata", s.design.strata),
                                              ("cluster", s.design.cluster),
                                              ("fpc", s.design.fpc)) if v}
    out: dict[str, Any] = {"survey": survey}
    if cb.themes:
        out["themes"] = [{"code": t.code, "label": t.label} for t in cb.themes]
    if cb.benchmarks:
        out["benchmarks"] = {"note": cb.benchmark_note, "items": [
            {"label": b.label, "value": b.value, **({"note": b.note} if b.note else {})}
            for b in cb.benchmarks]}
    if cb.banners:
        out["banners"] = [{"id": b.id, "label": b.label, "spans": list(b.spans)}
                          for b in cb.banners]
    if cb.segments:
        out["segments"] = _entries(cb, cb.segments)
    out["questions"] = _entries(cb, cb.questions)
    return out


def _entries(cb: Codebook, variables: list[Variable]) -> list[dict[str, Any]]:
    """Codebook entries of variables: a grid's items as one grid entry, where its first
    item stands."""
    out: list[dict[str, Any]] = []
    for v in variables:
        grid = cb.grid(v.grid) if v.grid else None
        if grid is None:
            out.append(_variable_dict(v))
        elif v.id == grid.items[0]:
            out.append(_grid_dict(grid, cb.items(grid)))
    return out


def _grid_dict(grid: Grid, items: list[Variable]) -> dict[str, Any]:
    d = _variable_dict(replace(items[0], id=grid.id, text=grid.text, label=grid.label,
                               group=grid.group, missing=(), source=""))
    d["type"] = GRID_TYPE
    d["items"] = []
    for v in items:
        it: dict[str, Any] = {"id": v.id, "label": v.label}
        if v.text != item_text(grid.text, v.label):
            it["text"] = v.text
        if v.missing:
            it["missing"] = [_missing_dict(m) for m in v.missing]
        if v.source:
            it["source"] = v.source
        d["items"].append(it)
    return d
