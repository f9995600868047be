"""Infer a codebook from a table, and build the bundle's respondents and verbatims frames.

Rules (documented in docs/bundle-format.md):
- A labelled format (``InputFormat.labelled``: SPSS, Stata): a number with value labels is
  single-choice when its labels cover its valid values (at least as many distinct values
  labelled as not), else numeric with its labelled special codes made missing (see
  ``missing``); text with value labels likewise; SPSS multiple-response sets →
  multi-response; numbers without labels → numeric (a mean); long text → open-ended
  (verbatims). User-missing values are null and recorded.
- An unlabelled format (CSV, Excel, Parquet): 0/1 (or 1/blank) number columns sharing a
  prefix (``q5_1, q5_2``) → multi-response (other tick columns, joined answers and
  bookkeeping columns: see ``columns``); text with few distinct values → single-choice,
  ordered as numbers where they are numbers; whole numbers with few distinct values →
  single-choice; other numbers → numeric; other text → open-ended.
- A platform's export (``platforms``) adds question texts, multi-response sets and
  columns kept as survey metadata or left out.
- Two-sided labelled scales get scores and nets (``scales.scored``); a column named as a
  weight is proposed when it passes the weight rule (survey.weights).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from heetui.errors import SourceError
from heetui.importers.grids import Entry, GridEntry, group_grids, shared_values
from heetui.importers.missing import apply_user_missing, entry, sort_key, special_codes
from heetui.importers.scales import reading_order, scored
from heetui.importers.table import ID_NAMES, MRSet, Progress, Table, Value, id_name_rank
from heetui.survey.codebook import (
    BITS_SUFFIX,
    METADATA_GROUP,
    Codebook,
    MissingCode,
    Option,
    Settings,
    Variable,
    VarType,
    option_column,
)
from heetui.survey.parse import MAX_CODE
from heetui.survey.weights import check_weight, is_weight_name

MAX_TEXT_CATEGORIES = 30
MAX_NUMBER_CATEGORIES = 12
OPEN_TEXT_MIN_LENGTH = 25
_PREFIX = re.compile(r"^(.*?[A-Za-z].*?)[_.]?(\d+)$")


def safe_name(name: str) -> str:
    """A column name as an id: letters, digits and _ only."""
    return re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_") or "var"


def safe_id(name: str, taken: set[str], codes: range | None = None) -> str:
    """An id made of letters, digits and _, distinct from every column already taken in any
    letter case (DuckDB's column names ignore case). A multi-response variable (``codes``)
    takes its 0/1 columns ``{id}_{code}`` and its packed column too."""
    base = safe_name(name)
    out, k = base, 2

    def columns(vid: str) -> set[str]:
        own = {vid.lower()}
        if codes is not None:
            own |= {option_column(vid, c).lower() for c in codes} | {
                f"{vid}{BITS_SUFFIX}".lower()}
        return own

    while columns(out) & taken:
        out, k = f"{base}_{k}", k + 1
    taken.update(columns(out))
    return out


@dataclass
class Built:
    codebook: Codebook
    respondents: pl.DataFrame
    verbatims: pl.DataFrame | None


def _is_whole(s: pl.Series) -> bool:
    if s.dtype.is_integer():
        return True
    if not s.dtype.is_float():
        return False
    v = s.drop_nulls().drop_nans()
    return v.len() > 0 and bool((v == v.round(0)).all())


def _fits_id(s: pl.Series) -> bool:
    """Whether a whole-number column's values are 0 to 2^63 - 1 (an empty one's are)."""
    lo, hi = s.min() or 0, s.max() or 0
    return isinstance(lo, int | float) and isinstance(hi, int | float) and lo >= 0 \
        and hi < 2 ** 63




def _id_column(frame: pl.DataFrame) -> str | None:
    """The respondent key: a column named as ids are (``ID_NAMES``, else a name such as
    "Respondent ID", "ResponseKey", "resp_no") holding a different whole number from 0 to
    2^63 - 1 for every row."""
    lower = {c.lower(): c for c in frame.columns}
    named = [lower[n] for n in ID_NAMES if n in lower]
    named += [c for c in frame.columns if id_name_rank(c) == 1]
    for col in named:
        s = frame[col]
        if s.null_count() == 0 and _is_whole(s) and s.n_unique() == frame.height and \
                _fits_id(s):
            return col  # ids beyond 2^63 are not kept as ids (an integer column cannot hold
            # them); the respondents are numbered instead and the column stays a variable
    return None


def proposed_weight(table: Table, exclude: AbstractSet[str]) -> str | None:
    """The column whose name (or platform header) says it is the weight, when exactly one
    does and it is a usable weight (survey.weights); a doubtful one is reported."""
    found = [c for c in table.frame.columns if c not in exclude and (
        is_weight_name(c) or is_weight_name(table.labels.get(c, "")))]
    if len(found) > 1:
        table.unsure.append(f"{', '.join(found)} all look like weights; none is used "
                            "(choose one with --weight)")
        return None
    if not found:
        return None
    problems = check_weight(table.frame, found[0])
    if problems:
        table.unsure.append(f"{found[0]} looks like a weight but {'; '.join(problems)}: "
                            "kept as a question, not used as the weight")
        return None
    table.notes.append(f"weight: {found[0]} (named as a weight, a usable weight for every "
                       "respondent); --weight chooses another")
    return found[0]


def weight_column(table: Table, weight: str) -> str:
    """The column ``--weight`` names: by its name, else by the id an import gives it, else
    (in a platform's export, whose columns the import renamed) by the one header that reads
    so: SurveyMonkey's "weight" may be Q7. A variable label is never taken for a name."""
    columns = table.frame.columns
    for found in ([c for c in columns if c == weight],
                  [c for c in columns if safe_name(c) == weight],
                  [c for c in columns if table.platform and
                   table.labels.get(c, "").strip().casefold() == weight.strip().casefold()]):
        if len(found) == 1:
            return found[0]
    named = [f"{c} ({table.labels[c]})" if table.labels.get(c, c) != c else c
             for c in table.frame.columns[:20]]
    raise SourceError(f"The weight variable {weight!r} is not a column of the source; "
                      f"columns are: {', '.join(named)}.")


def check_weight_column(frame: pl.DataFrame, weight: str) -> None:
    """Refuse a weight that breaks the weight rule (survey.weights), in one sentence."""
    problems = check_weight(frame, weight)
    if problems:
        raise SourceError(f"The weight variable {weight!r} cannot be used: "
                          f"{'; '.join(problems)}.")


def _codes_for(keys: list[float], labels: dict[float, str]) -> tuple[dict[float, int],
                                                                       tuple[Option, ...]]:
    """Map source values to codes; keep the source codes when they fit, else 1..k."""
    keys = sorted(set(keys))
    keep = all(float(k).is_integer() and 0 <= k <= MAX_CODE for k in keys)
    mapping = {k: int(k) if keep else i + 1 for i, k in enumerate(keys)}
    options = tuple(Option(mapping[k], labels.get(k) or number_text(k),
                           source=None if keep else number_text(k)) for k in keys)
    return mapping, options


def number_text(v: float) -> str:
    """A number as an option label: whole numbers without ".0"."""
    return str(int(v)) if float(v).is_integer() else str(v)


def _uint(values: pl.Series, top: int) -> pl.Series:
    return values.cast(pl.UInt8 if top <= 255 else pl.UInt16)


@dataclass
class _Made:
    """The questions ``build`` has made so far, where each begins in the source (the place
    of its first column: questions keep the file's order), and the source columns already
    spoken for (made into a question, or the id, the weight, dropped or derived)."""

    where: dict[str, int]  # each source column's place
    used: set[str]
    questions: list[Variable] = field(default_factory=list)
    at: dict[str, int] = field(default_factory=dict)

    def add(self, var: Variable, columns: Sequence[str],
            open_texts: AbstractSet[str] = frozenset()) -> None:
        """``var``, made of ``columns``; those among ``open_texts`` stay free to be made
        into open questions of their own."""
        self.questions.append(var)
        self.at[var.id] = min(self.where.get(c, len(self.where)) for c in columns)
        self.used |= set(columns) - open_texts


def _key_and_weight(table: Table, weight: str | None) -> tuple[str | None, str | None]:
    """The respondent key column (or None) and the weight: the one given (checked; "" for
    none), else the file's own (SPSS WEIGHT BY), else one proposed by its name; each noted
    for the report."""
    id_col = respondent_key(table)
    if weight == "":
        table.notes.append("unweighted (--weight none)" + (
            f": the file's own weight {table.weight} is kept as a variable"
            if table.weight else ""))
        weight = None
    elif weight is not None:
        check_weight_column(table.frame, weight)
        if table.weight and table.weight != weight:
            table.notes.append(f"weight: {weight} (--weight), not the file's own weight "
                               f"{table.weight}, which is kept as a variable")
    elif table.weight:
        weight = _file_weight(table)
    else:
        weight = proposed_weight(table, table.drop | {id_col or ""})
    if id_col is not None:
        kind = "text" if table.frame[id_col].dtype == pl.String else "whole number"
        table.notes.append(f"respondent key: {id_col} (a different {kind} for every "
                           "respondent; --show-source-ids shows it beside each comment)")
    for c in table.text_ids:
        if c != id_col:
            table.notes.append(f"left out {c}: " + (
                "a different id for every respondent" if _usable_text_key(table, c) else
                "ids declared missing for some respondents (not the respondent key)"))
    if id_col is None:
        table.notes.append("no respondent key: respondents are numbered in file order")
    return id_col, weight


def respondent_key(table: Table) -> str | None:
    """The source's respondent key: a whole-number id column (``_id_column``), else an
    id-like text column (a platform's ``R_1aB…``: one named as ids are first), each still
    a different value on every row as the frame now is (after its user-missing values are
    made null); None when there is neither (respondents are numbered)."""
    found = _id_column(table.frame)
    if found is not None:
        return found
    return next((c for c in sorted(table.text_ids, key=id_name_rank)
                 if _usable_text_key(table, c)), None)


def _usable_text_key(table: Table, col: str) -> bool:
    """Whether an id-like text column is still a different value for every respondent, no
    value of it declared missing (SPSS user-missing)."""
    s = table.frame[col]
    declared = [lo for lo, _ in table.user_missing.get(col, [])]
    return s.dtype == pl.String and s.null_count() == 0 and not s.is_in(declared).any() \
        and s.str.strip_chars().n_unique() == table.frame.height


def _file_weight(table: Table) -> str | None:
    """The weight the file's dictionary names (SPSS opens the file weighted by it), when it
    is a usable weight; else None, reported."""
    problems = check_weight(table.frame, table.weight)
    if problems:
        table.unsure.append(f"the file names {table.weight} as its weight (WEIGHT BY) but "
                            f"{'; '.join(problems)}: imported unweighted, {table.weight} "
                            "kept as a variable (choose a weight with --weight)")
        return None
    table.notes.append(f"weight: {table.weight} (the file's own weight, saved with WEIGHT "
                       "BY); --weight VAR chooses another, --weight none imports unweighted")
    return table.weight


def build(table: Table, weight: str | None = None, progress: Progress | None = None
          ) -> Built:
    declared = apply_user_missing(table)  # SPSS user-missing values: null, recorded
    frame = table.frame
    id_col, weight = _key_and_weight(table, weight)
    taken: set[str] = {"respondent_id"}
    out: dict[str, pl.Series] = {"respondent_id": respondent_ids(frame, id_col)}
    wid = None
    if weight is not None:
        wid = safe_id(weight, taken)
        out[wid] = frame[weight].cast(pl.Float64).alias(wid)
    opens: list[tuple[str, pl.Series]] = []
    # a bundle's packed multi-response columns are derived; the bundle written here gets its own
    made = _Made({c: i for i, c in enumerate(frame.columns)},
                 {c for c in (id_col, weight) if c} | (table.drop - {weight})
                 | {c for c in frame.columns if c.endswith(BITS_SUFFIX)})
    items = _set_items(frame, table, taken, out, made)
    if not table.labelled:
        for ticks, cols in _dichotomies(frame, table, made.used | set(items), taken, out):
            made.add(ticks, cols)
    # columns of one grid share their list of answers, so their codes agree
    shared = {} if table.labelled else shared_values(
        frame, [c for c in frame.columns if c not in made.used and c not in table.texts
                and c not in table.alone and c not in items], MAX_NUMBER_CATEGORIES)
    for i, col in enumerate(frame.columns, start=1):
        if progress and (i % 10 == 0 or i == frame.width):
            progress("columns", i, frame.width)
        if col in made.used:
            continue
        missing = list(declared.get(col, []))
        var = _column(frame[col], table, taken, out, opens, missing, shared.get(col))
        if var:
            if missing:
                var = replace(var, missing=tuple(missing))
            if col in table.meta:
                var = replace(var, group=METADATA_GROUP)
            if col in items:  # its id may differ from its name: say which column it is
                var = replace(var, group=items[col], source=col)
            made.add(var, [col])
    numeric = {c for c in frame.columns if frame[c].dtype.is_numeric()}
    entries = [_named(_scored(q, numeric), table) for q in
               group_grids(made.questions, numeric, made.at, taken, safe_id, table.alone)]
    entries.sort(key=lambda q: made.at.get(q.id, 0))  # in the order of the file
    table.notes += summary(entries)
    if not any(isinstance(q, GridEntry) or q.type != "open" for q in entries):
        raise SourceError("The source has no column heetui can tabulate (no categories or "
                          "numbers).")
    verb = verbatims_frame(out["respondent_id"], opens) if opens else None
    return Built(_codebook(table, wid, entries), pl.DataFrame(list(out.values())), verb)


def _codebook(table: Table, weight: str | None, entries: list[Entry]) -> Codebook:
    """The codebook of the import's questions and grids, in their order."""
    variables: list[Variable] = []
    for e in entries:
        variables += e.variables() if isinstance(e, GridEntry) else [e]
    return Codebook(survey=_survey(table), settings=Settings(weight=weight),
                    variables=tuple(variables),
                    grids=tuple(e.grid for e in entries if isinstance(e, GridEntry)))


def _set_items(frame: pl.DataFrame, table: Table, taken: set[str],
               out: dict[str, pl.Series], made: _Made) -> dict[str, str]:
    """Make the source's multi-response sets; returns the group of each set's item
    columns, which stay questions of their own, as SPSS keeps them beside the set (a set
    packed in one column, ``S``, has no items of its own)."""
    items: dict[str, str] = {}
    for mr in table.mr_sets:
        var = mr_set(frame, mr, table, taken, out)
        if var:
            kept = set() if mr.kind == "S" else set(mr.variables) - table.texts
            made.add(var, mr.variables, table.texts | kept)
            items.update(dict.fromkeys(kept, f"{ITEMS_OF}{var.id}"))
    return items


def _scored(q: Entry, numeric: set[str]) -> Entry:
    """A question or grid with a two-sided scale given its nets and scores
    (``scales.scored``), by code where its codes are the source's own numbers: the one
    column of a single-choice question is a number column, or a grid of number columns
    (which ``group_grids`` scored by code)."""
    if isinstance(q, GridEntry):
        by_code = any(o.value is not None for o in q.scale.options)
        return replace(q, scale=scored(q.scale, by_code))
    return scored(q, q.label in numeric)


ITEMS_OF = "Items of "  # the group of a multi-response set's item questions: "Items of q7"
SHORT_LABEL = 40  # characters of a question text a platform export's label keeps


def _named(q: Entry, table: Table) -> Entry:
    """In a platform's export, whose column names the import made up (Q1, q2 …), a question
    is labelled by the start of its text (the label shows in lists and banners)."""
    if isinstance(q, GridEntry):
        return replace(q, scale=_named_variable(q.scale, table))
    return _named_variable(q, table)


def _named_variable(q: Variable, table: Table) -> Variable:
    text = " ".join(q.text.split())
    if not table.platform or not text or text == q.label:
        return q
    if len(text) > SHORT_LABEL:
        cut = text[:SHORT_LABEL].rsplit(" ", 1)[0] if " " in text[:SHORT_LABEL] else \
            text[:SHORT_LABEL]
        text = cut.rstrip(" ,;:-?") + "…"
    return replace(q, label=text)


def summary(entries: list[Entry]) -> list[str]:
    """Lines naming what the import made of the columns, by kind."""
    def ids(pick: Callable[[Entry], str | None]) -> str:
        found = [q.id + shown for q in entries if (shown := pick(q)) is not None]
        return ", ".join(found[:12]) + (f" and {len(found) - 12} more" if len(found) > 12
                                         else "")

    def var(q: Entry) -> Variable:
        return q.scale if isinstance(q, GridEntry) else q

    kinds: tuple[tuple[str, Callable[[Entry], str | None]], ...] = (
        ("multi-response sets", lambda q: f" ({len(var(q).options)} options)"
         if not isinstance(q, GridEntry) and q.type == "multi" else None),
        ("rating grids", lambda q: f" ({len(q.items)} items)"
         if isinstance(q, GridEntry) else None),
        ("scales with nets and a mean (no-answer options left out of the mean)",
         lambda q: "" if var(q).nets else None),
        ("open-ended", lambda q: "" if var(q).type == "open" else None),
        ("survey metadata (kept, not questions)",
         lambda q: "" if var(q).group == METADATA_GROUP else None))
    return [f"{name}: {ids(pick)}" for name, pick in kinds if ids(pick)]


def respondent_ids(frame: pl.DataFrame, id_col: str | None) -> pl.Series:
    """The source's id column when it has one (a text id without the spaces around it),
    else 1..n in file order."""
    if id_col is not None:
        s = frame[id_col]
        return (s.str.strip_chars() if s.dtype == pl.String else s.cast(pl.UInt64)
                ).alias("respondent_id")
    return pl.Series("respondent_id", range(1, frame.height + 1), dtype=pl.UInt32)


def _survey(table: Table) -> dict[str, Any]:
    """The codebook's [survey] table beside its settings: title, where the data came from,
    what the import recognised, decided and was unsure of."""
    frame = table.frame
    out: dict[str, Any] = {
        "title": table.title or "Imported survey",
        "provenance": f"Imported by heetui from a "
                      f"{table.platform + ' ' if table.platform else ''}{table.kind} file "
                      f"({frame.height:,} rows, {frame.width} columns).",
        "id_column": "respondent_id"}
    if table.recognised:
        out["recognised"] = table.recognised
    if table.notes or table.unsure:
        out["import_notes"] = list(table.notes)
        out["import_unsure"] = list(table.unsure)
    return out


def _dichotomies(frame: pl.DataFrame, table: Table, used: set[str], taken: set[str],
                 out: dict[str, pl.Series]) -> list[tuple[Variable, list[str]]]:
    """0/1 (or 1/blank) columns sharing a prefix as multi-response questions, each with
    the source columns it takes; their 0/1 columns go to ``out``."""
    found = []
    for prefix, cols in _dichotomy_groups(frame, used).items():
        vid = safe_id(prefix, taken, range(1, max(c for c, _ in cols) + 1))
        answered = pl.any_horizontal([frame[c].is_not_null() for _, c in cols])
        opts = []
        for code, col in cols:
            name = option_column(vid, code)
            out[name] = _tick(answered, frame[col].fill_null(0) == 1, name)
            opts.append(Option(code, table.labels.get(col, col)))
        found.append((_imported(vid, "multi", prefix, prefix, tuple(opts)),
                      [c for _, c in cols]))
    return found


def _null_where(s: pl.Series, mask: pl.Series) -> pl.Series:
    return pl.select(pl.when(mask.fill_null(False)).then(None).otherwise(s)).to_series() \
        .alias(s.name)


def _tick(answered: pl.Series | pl.Expr, hit: pl.Series | pl.Expr, name: str) -> pl.Series:
    """A multi-response option's 0/1 column: null for respondents who answered none."""
    return pl.select(pl.when(answered).then(hit.fill_null(False).cast(pl.UInt8))
                     .otherwise(None)).to_series().alias(name)


def _imported(vid: str, vtype: VarType, text: str, label: str,
              options: tuple[Option, ...] = (), group: str = "Imported") -> Variable:
    """A question the import made of the source's columns."""
    return Variable(id=vid, type=vtype, role="question", text=text, label=label, group=group,
                    options=options)


def _open(vid: str, s: pl.Series, text: str, opens: list[tuple[str, pl.Series]]
          ) -> Variable:
    opens.append((vid, s.cast(pl.String)))
    return _imported(vid, "open", text, s.name, group="Open-ended")


def _column(s: pl.Series, table: Table, taken: set[str], out: dict[str, pl.Series],
            opens: list[tuple[str, pl.Series]], missing: list[MissingCode],
            shared: list[Any] | None = None) -> Variable | None:
    """A column as a variable (or None); ``shared``: the answers its grid's columns share,
    to code it on (importers.grids)."""
    col = s.name
    text = table.labels.get(col, col)
    labels = table.value_labels.get(col) or {}
    raw = s
    if s.dtype == pl.String:  # a blank cell is no answer
        s = s.str.strip_chars()
        s = _null_where(s, s == "")
    nonnull = s.drop_nulls()
    if s.dtype.is_float():
        nonnull = nonnull.drop_nans()
    if nonnull.len() == 0:
        return None  # an empty column carries nothing to tabulate
    if col in table.texts and s.dtype == pl.String:
        return _open(safe_id(col, taken), raw, text, opens)
    if s.dtype.is_numeric():
        for k, label in labels.items():  # Stata's .a … .z: already null, recorded
            if isinstance(k, str):
                missing.append(entry(f".{k}", label, None))
        numbered = {float(k): v for k, v in labels.items() if not isinstance(k, str)}
        vid = safe_id(col, taken)
        if numbered:
            # an SPSS file that declares missing values says which codes are no answer:
            # SPSS counts every other value, labelled or not, and so does the import
            declared = table.kind == "sav" and bool(table.user_missing)
            return _labelled_number(vid, s, numbered, text, out, missing, guess=not declared)
        distinct = nonnull.n_unique()
        if not table.labelled and _is_whole(s) and \
                distinct <= MAX_NUMBER_CATEGORIES:
            return _single(vid, s, [float(x) for x in shared or nonnull.unique().to_list()],
                           {}, text, out)
        out[vid] = s.cast(pl.Float64).fill_nan(None).alias(vid)
        return _imported(vid, "numeric", text, col)
    if s.dtype == pl.String:
        named = {str(k): v for k, v in labels.items() if isinstance(k, str)}
        distinct = nonnull.n_unique()
        values = set(nonnull.unique().to_list())
        if named and len(values & set(named)) >= len(values - set(named)):
            return _text_single(safe_id(col, taken), s, sorted(values | set(named),
                                                                key=sort_key),
                                named, text, out)
        mean = nonnull.str.len_chars().mean()
        mean_len = float(mean) if isinstance(mean, int | float) else 0.0
        if distinct <= MAX_TEXT_CATEGORIES and mean_len < OPEN_TEXT_MIN_LENGTH and \
                distinct < max(3, nonnull.len() // 2):
            return _text_single(safe_id(col, taken), s, shared or reading_order(values), {},
                                text, out)
        return _open(safe_id(col, taken), raw, text, opens)
    return None  # dates, times and other types are not tabulated


def _text_single(vid: str, s: pl.Series, values: list[str], labels: dict[str, str],
                 text: str, out: dict[str, pl.Series]) -> Variable:
    """Text answers as codes 1..k, in the order given, labelled by their value labels."""
    codes = s.cast(pl.Enum(values)).to_physical().cast(pl.Int64) + 1  # value i → code i+1
    out[vid] = _uint(codes, len(values)).alias(vid)
    return _imported(vid, "single", text, s.name, tuple(
        Option(i + 1, labels.get(v) or v, source=v) for i, v in enumerate(values)))


def _labelled_number(vid: str, s: pl.Series, labels: dict[float, str], text: str,
                     out: dict[str, pl.Series], missing: list[MissingCode],
                     guess: bool = True) -> Variable:
    """A number with value labels is single-choice when labels cover its valid values (at
    least as many of its distinct values are labelled as not); otherwise it is numeric and
    (with ``guess``) its labelled special codes are missing values, recorded with their
    labels."""
    keyed = s.cast(pl.Float64).fill_nan(None)
    values = {float(v) for v in keyed.drop_nulls().unique().to_list()}
    unlabelled = values - set(labels)
    if len(values & set(labels)) >= len(unlabelled):
        return _single(vid, keyed, sorted(values | set(labels)), labels, text, out)
    special = special_codes(labels, unlabelled) if guess else set()
    if special:
        hit = keyed.filter(keyed.is_in(list(special)))
        counts = dict(hit.value_counts().iter_rows()) if hit.len() else {}
        missing += [entry(k, labels[k], int(counts.get(k, 0))) for k in sorted(special)]
        keyed = _null_where(keyed, keyed.is_in(list(special)))
    out[vid] = keyed.alias(vid)
    return _imported(vid, "numeric", text, s.name)


def _single(vid: str, s: pl.Series, values: list[float], labels: dict[float, str], text: str,
            out: dict[str, pl.Series]) -> Variable:
    mapping, options = _codes_for(values + list(labels), labels)
    top = max(mapping.values()) if mapping else 0
    if all(k == v for k, v in mapping.items()) and s.dtype.is_integer():
        out[vid] = _uint(s, top).alias(vid)  # the source's codes, kept
    else:
        keyed = s.cast(pl.Float64).fill_nan(None)
        codes = keyed.replace_strict(mapping, default=None, return_dtype=pl.Int64)
        out[vid] = _uint(codes, top).alias(vid)
    return _imported(vid, "single", text, s.name, options)


def _dichotomy_groups(frame: pl.DataFrame, used: set[str]) -> dict[str, list[tuple[int, str]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for col in frame.columns:
        if col in used:
            continue
        m = _PREFIX.match(col)
        s = frame[col]
        if not m or not s.dtype.is_numeric():
            continue
        vals = set(s.drop_nulls().unique().to_list())
        if vals and vals <= {0, 1}:
            groups.setdefault(m.group(1), []).append((int(m.group(2)), col))
    return {p: sorted(cols) for p, cols in groups.items()
            if len(cols) >= 2 and len({c for c, _ in cols}) == len(cols)
            and all(0 <= c <= MAX_CODE for c, _ in cols)}


def _ticked(s: pl.Series, mr: MRSet) -> pl.Series:
    """Whether each respondent ticked the option this column stands for."""
    if mr.kind == "N":
        if s.dtype == pl.String:
            return (s.str.strip_chars() != "").fill_null(False)
        return s.is_not_null()
    counted = 1.0 if mr.counted_value is None else mr.counted_value
    if isinstance(counted, str):
        return (s.cast(pl.String).str.strip_chars() == counted).fill_null(False)
    return (s.cast(pl.Float64) == counted).fill_null(False)


def mr_set(frame: pl.DataFrame, mr: MRSet, table: Table, taken: set[str],
            out: dict[str, pl.Series]) -> Variable | None:
    cols = [c for c in mr.variables if c in frame.columns]
    if not cols:
        return None
    if mr.kind == "S":
        return _split_set(frame[cols[0]], mr, taken, out)
    if mr.kind == "C":
        vid, opts = _category_set(frame, cols, mr, table, taken, out)
    else:
        ticks = [_ticked(frame[c], mr) for c in cols]
        # a blank is no answer; else any value is one (a dichotomy set's base choice is
        # its codebook entry's: engine.eligibility.eligibility)
        answered = pl.any_horizontal(ticks) if mr.kind == "N" else \
            pl.any_horizontal([frame[c].is_not_null() for c in cols])
        vid = safe_id(mr.name.lstrip("$"), taken, range(1, len(cols) + 1))
        names = dict(zip(mr.variables, mr.option_labels, strict=False))
        opts = []
        for i, (c, hit) in enumerate(zip(cols, ticks, strict=True), start=1):
            out[option_column(vid, i)] = _tick(answered, hit, option_column(vid, i))
            opts.append(Option(i, names.get(c) or table.labels.get(c, c)))
    var = _imported(vid, "multi", mr.label, mr.name.lstrip("$"), tuple(opts))
    return replace(var, base="answered") if mr.counted_base else var


def _category_set(frame: pl.DataFrame, cols: list[str], mr: MRSet, table: Table,
                  taken: set[str], out: dict[str, pl.Series]
                  ) -> tuple[str, list[Option]]:
    """A multiple category set (each column holds one chosen answer, a number or a text):
    an option per answer found or labelled, in reading order."""
    text = any(frame[c].dtype == pl.String for c in cols)

    def answer(s: pl.Series) -> pl.Series:
        return s.cast(pl.String).str.strip_chars().replace("", None) if text else \
            s.cast(pl.Float64).fill_nan(None)

    answers = {c: answer(frame[c]) for c in cols}
    labels: dict[Value, str] = {}
    for c in cols:
        labels.update({(str(k).strip() if text else float(k)): v
                       for k, v in table.value_labels.get(c, {}).items()})
    values = sorted({v for c in cols for v in answers[c].drop_nulls().to_list()} | set(labels),
                    key=sort_key)
    vid = safe_id(mr.name.lstrip("$"), taken, range(1, len(values) + 1))
    answered = pl.any_horizontal([answers[c].is_not_null() for c in cols])
    opts = []
    for i, v in enumerate(values, start=1):
        holds = pl.any_horizontal([(answers[c] == v).fill_null(False) for c in cols])
        out[option_column(vid, i)] = _tick(answered, holds, option_column(vid, i))
        opts.append(Option(i, labels.get(v) or (v if isinstance(v, str) else number_text(v))))
    return vid, opts


def _split_set(s: pl.Series, mr: MRSet, taken: set[str], out: dict[str, pl.Series]
               ) -> Variable:
    """Checkbox answers joined in one cell ("Email, Phone"): one 0/1 column per option,
    and "Other" for whatever else a respondent wrote."""
    options = list(mr.option_labels)
    items = s.cast(pl.String).str.split(mr.separator).list.eval(
        pl.element().str.strip_chars()).list.eval(pl.element().filter(pl.element() != ""))
    answered = items.list.len().fill_null(0) > 0
    other = items.list.eval(~pl.element().is_in(options)).list.any().fill_null(False)
    labels = options + (["Other"] if other.any() else [])
    vid = safe_id(mr.name, taken, range(1, len(labels) + 1))
    for i, label in enumerate(options, start=1):
        out[f"{vid}_{i}"] = _tick(answered, items.list.contains(label).fill_null(False),
                                  f"{vid}_{i}")
    if len(labels) > len(options):
        out[f"{vid}_{len(labels)}"] = _tick(answered, other, f"{vid}_{len(labels)}")
    return _imported(vid, "multi", mr.label, mr.name,
                     tuple(Option(i, x) for i, x in enumerate(labels, start=1)))


def verbatims_frame(ids: pl.Series, opens: list[tuple[str, pl.Series]]) -> pl.DataFrame:
    """The comments of the open questions, each by its respondent's id (of the respondents'
    own id type)."""
    parts = []
    for qid, s in opens:
        df = pl.DataFrame({"respondent_id": ids, "text": s.cast(pl.String)})
        df = df.filter(pl.col("text").is_not_null() & (pl.col("text").str.strip_chars() != ""))
        parts.append(df.with_columns(pl.lit(qid).alias("question")))
    v = pl.concat(parts)
    n = v.height
    return pl.DataFrame({
        "comment_id": pl.Series(range(1, n + 1), dtype=pl.UInt32),
        "respondent_id": v["respondent_id"], "question": v["question"], "text": v["text"],
        "themes": pl.Series([[]] * n, dtype=pl.List(pl.UInt8)),
        "source": pl.Series(["survey"] * n, dtype=pl.String),
        "attribution": pl.Series([None] * n, dtype=pl.String)})
