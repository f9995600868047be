"""Survey platforms' exports, recognised from their layout without options.

- Qualtrics CSV: row 2 holds the question texts, row 3 ``{"ImportId":"QID1"}``; a
  multi-select split into columns ``Q5_1, Q5_2 …`` (1 or the choice text, else blank).
- SurveyMonkey CSV/XLSX: row 1 the question text, over all of a question's columns; row 2
  ``Response``, ``Open-Ended Response`` or each multi-select option's text (a column holds
  the option's text when chosen, else blank) or a matrix row's label.
- Google Forms (a ``Timestamp`` column) and Microsoft Forms (``Start time`` and
  ``Completion time``): questions as headers, checkbox answers joined with ", " or ";".
- LimeSurvey's SPSS export: variable labels ``[Option] Question``; multiple choice as 1/0
  numbers or Y/blank text.

Each recogniser fills in the ``Table`` (question texts, multi-response sets, columns kept
as survey metadata or left out) and ``Table.recognised``, the line ``heetui import``
prints; the rest of the import (``infer.build``) is the same for every file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from heetui.importers.formats import of_kind
from heetui.importers.table import MRSet, Table, Value
from heetui.survey.text import counted

MAX_SPLIT_OPTIONS = 40  # a joined-answers column with more distinct items is text
MAX_OPTION_LENGTH = 60  # the mean length of a joined column's recurring answers, at most


@dataclass
class Header:
    """How a text file's header reads: how many rows, column names, question texts."""

    rows: int = 1
    names: list[str] | None = None  # None: row 1 as it is
    labels: dict[str, str] = field(default_factory=dict)
    platform: str = ""


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for i, n in enumerate(names):
        base = n.strip() or f"column_{i + 1}"
        name, k = base, 2
        while name.lower() in seen:
            name, k = f"{base}_{k}", k + 1
        seen.add(name.lower())
        out.append(name)
    return out


def _import_id(cell: str) -> dict[str, str] | None:
    if not cell.startswith("{"):
        return None
    try:
        d = json.loads(cell)
    except ValueError:
        return None
    return d if isinstance(d, dict) and "ImportId" in d else None


def _is_qualtrics(records: list[list[str]]) -> bool:
    if len(records) < 3:
        return False
    cells = [c for c in records[2] if c]
    return bool(cells) and sum(_import_id(c) is not None for c in cells) * 2 > len(cells)


SM_ROW2 = {"response", "open-ended response"}


def _is_surveymonkey(records: list[list[str]]) -> bool:
    """Row 2 names answer columns ("Response", "Open-Ended Response"), and row 1 starts with
    SurveyMonkey's respondent columns or spans questions over blank cells."""
    if len(records) < 2 or not records[0] or not records[0][0]:
        return False
    top = [c.lower() for c in records[0]]
    return any(c.lower() in SM_ROW2 for c in records[1]) and (
        "respondent id" in top or "collector id" in top
        or ("" in top and "" in records[1]))


def csv_header(records: list[list[str]]) -> Header:
    """The header layout of a text file from its first records."""
    if _is_qualtrics(records):
        names = _unique(records[0])
        texts = records[1] + [""] * (len(names) - len(records[1]))
        return Header(3, names, {n: t for n, t in zip(names, texts, strict=False) if t},
                      "Qualtrics")
    if _is_surveymonkey(records):
        names, labels = _sm_names(records[0], records[1])
        return Header(2, names, labels, "SurveyMonkey")
    return Header()


# ---- SurveyMonkey --------------------------------------------------------------------------

SM_ID = "respondent id"
SM_DROP = {"start date", "end date", "ip address", "email address", "first name",
           "last name"}


def _sm_blocks(row1: list[str], row2: list[str]) -> list[tuple[str, list[int]]]:
    """Column indexes grouped by question: a text in row 1 starts a block, blanks continue
    it; a column with nothing in row 2 is a block of its own (respondent metadata)."""
    row2 = row2 + [""] * (len(row1) - len(row2))
    blocks: list[tuple[str, list[int]]] = []
    for i, (top, sub) in enumerate(zip(row1, row2, strict=False)):
        if top or not blocks or not sub:
            blocks.append((top, [i]))
        else:
            blocks[-1][1].append(i)
    return blocks


def _sm_names(row1: list[str], row2: list[str]) -> tuple[list[str], dict[str, str]]:
    names = [""] * len(row1)
    labels: dict[str, str] = {}
    n = 0
    sub = row2 + [""] * (len(row1) - len(row2))
    for top, cols in _sm_blocks(row1, row2):
        if len(cols) == 1 and not sub[cols[0]]:  # metadata: keep its own name
            names[cols[0]] = "respondent_id" if top.lower() == SM_ID else top
            continue
        n += 1
        for k, i in enumerate(cols, start=1):
            item = sub[i]
            name = f"Q{n}" if len(cols) == 1 else f"Q{n}_other" if _other(item) \
                else f"Q{n}_{k}"
            names[i] = name
            labels[name] = top if len(cols) == 1 or item.lower() in SM_ROW2 \
                else f"{top} - {item}"
    return _unique(names), labels


# a text column's ticked / unticked pair of words (any case)
TICK_WORDS = {("checked", "unchecked"), ("selected", "not selected"), ("ticked", "unticked")}


def tick_kind(s: pl.Series) -> tuple[str, Value | None] | None:
    """How a column marks a ticked option (the one rule for every file): ("D", counted)
    for 1 (ticked) and 0 numbers, or a ticked / unticked pair of words (``TICK_WORDS``);
    ("N", None) for one value (ticked: a 1, the option's text) or blank; None when it holds
    other answers."""
    v = s.drop_nulls()
    if v.dtype == pl.String:
        v = v.str.strip_chars()
        v = v.filter(v != "")
        words = {w.casefold(): w for w in v.unique().to_list()}
        for yes, no in TICK_WORDS:
            if set(words) <= {yes, no} and yes in words:
                return "D", words[yes]
    elif v.dtype.is_numeric() and set(v.unique().to_list()) <= {0, 1} and (v == 0).any():
        return "D", 1.0
    return ("N", None) if v.n_unique() <= 1 else None


def _other(item: str) -> bool:
    return bool(re.match(r"(other|comment)\b", item.strip(), re.IGNORECASE))


def _surveymonkey(table: Table) -> None:
    row1, row2 = table.head[0], table.head[1]
    cols = table.frame.columns
    questions = multis = 0
    for top, idx in _sm_blocks(row1, row2):
        names = [cols[i] for i in idx if i < len(cols)]
        subs = [(row2[i] if i < len(row2) else "") for i in idx]
        if len(idx) == 1 and not subs[0]:
            if top.lower() in SM_DROP:
                table.drop.add(names[0])
            elif names[0] != "respondent_id":
                table.meta.add(names[0])
            continue
        questions += 1
        if len(names) == 1:
            table.alone.add(names[0])
        pairs = list(zip(names, subs, strict=True))
        others = [c for c, s in pairs if _other(s) and len(pairs) > 1]
        table.texts |= set(others) | {c for c, s in pairs if s.lower() == "open-ended response"}
        plain = [(c, s) for c, s in pairs if s.lower() not in SM_ROW2 and c not in others]
        if len(plain) >= 2 and all(tick_kind(table.frame[c]) for c, _ in plain):
            members = plain + [(c, s) for c, s in pairs if c in others]
            table.mr_sets.append(MRSet(names[0].split("_")[0], top, "N",
                                       tuple(c for c, _ in members),
                                       option_labels=tuple(s for _, s in members)))
            multis += 1
    table.platform = "SurveyMonkey"
    table.recognised = _line("a SurveyMonkey export", questions, multis)


def _line(what: str, questions: int, multis: int) -> str:
    return f"{what}: {counted(questions, 'question')}, {multis} multi-response"


# ---- Qualtrics -----------------------------------------------------------------------------

QUALTRICS_DROP = {"startdate", "enddate", "recordeddate", "ipaddress", "recipientlastname",
                  "recipientfirstname", "recipientemail", "externaldatareference",
                  "locationlatitude", "locationlongitude"}


def _split_texts(texts: list[str]) -> tuple[str, list[str]]:
    """The question text shared by a group's columns ("Q - Selected Choice - Email") and
    what each column adds (its option)."""
    parts = [[x for x in t.split(" - ") if x.strip().lower() != "selected choice"]
             for t in texts]
    common = 0
    while all(len(p) > common + 1 for p in parts) and len({p[common] for p in parts}) == 1:
        common += 1
    question = " - ".join(parts[0][:common]) if common else ""
    items = []
    for p in parts:
        items.append(" - ".join(p[common:]))
    return question.strip(), items


def _qualtrics(table: Table) -> None:
    cols = table.frame.columns
    ids = [_import_id(c) or {} for c in table.head[2]] if len(table.head) > 2 else []
    groups: dict[str, list[tuple[str, str]]] = {}
    for i, col in enumerate(cols):
        imp = ids[i] if i < len(ids) else {}
        key = str(imp.get("ImportId", ""))
        m = re.match(r"(QID\d+)", key)
        if not m:
            if key.lower() in QUALTRICS_DROP or col.lower() in QUALTRICS_DROP:
                table.drop.add(col)
            else:
                table.meta.add(col)
            continue
        text_entry = key.upper().endswith("_TEXT") or col.upper().endswith("_TEXT")
        if text_entry:
            table.texts.add(col)
        groups.setdefault(m.group(1), [])
        if not text_entry:
            groups[m.group(1)].append((col, table.labels.get(col, col)))
    multis = 0
    for members in groups.values():
        if len(members) == 1 and not re.search(r"_\d+$", members[0][0]):
            col, text = members[0]
            table.alone.add(col)  # a question of its own (Q1), not a grid's item (Q4_1)
            table.labels[col] = re.sub(r"\s+-\s+Selected Choice$", "", text)
        kinds = {tick_kind(table.frame[c]) for c, _ in members}
        if len(members) < 2 or None in kinds:
            continue
        kind, counted = next((k for k in kinds if k and k[0] == "D"), ("N", None))
        question, items = _split_texts([t for _, t in members])
        name = re.sub(r"_\d+$", "", members[0][0])
        table.mr_sets.append(MRSet(name, question or name, kind, tuple(c for c, _ in members),
                                   counted, tuple(items)))
        multis += 1
    table.platform = "Qualtrics"
    table.recognised = _line("a Qualtrics export", len(groups), multis)


# ---- Google Forms and Microsoft Forms --------------------------------------------------------

GOOGLE_STAMPS = {"timestamp", "marca temporal", "horodateur", "zeitstempel",
                 "informazioni cronologiche", "carimbo de data/hora", "tijdstempel"}
GOOGLE_DROP = {"email address", "e-mail address", "email"}
MS_DROP = {"start time", "completion time", "email", "name", "last modified time"}


def split_options(s: pl.Series, sep: str) -> list[str] | None:
    """The options of a column of joined checkbox answers, in questionnaire order, or None
    when the column is not one (counted by polars: a column of unique comments costs no
    loop in Python). The evidence: some cell holds the separator; answers that
    recur (in at least two different cells) number 2 to ``MAX_SPLIT_OPTIONS`` and make up
    80% of all the answers given (the rest is "Other" text); some cell holds one such
    answer alone and some cell several (a choice of one label with a comma, "Yes, a lot",
    always splits the same way); and they are short (a comment's clauses are not)."""
    if s.dtype != pl.String:
        return None
    return joined_options(answer_counts(s), sep)


def answer_counts(s: pl.Series) -> pl.DataFrame:
    """Each distinct answer of a text column (``cell``, stripped, blanks left out) once, in
    the order first seen, with how many respondents gave it (``n``)."""
    cells = s.drop_nulls().to_frame("cell").group_by("cell", maintain_order=True).len("n")
    return cells.with_columns(pl.col("cell").str.strip_chars()).filter(pl.col("cell") != "") \
        .group_by("cell", maintain_order=True).agg(pl.col("n").sum())


def joined_options(answers: pl.DataFrame, sep: str) -> list[str] | None:
    """``split_options`` of a column's ``answer_counts``."""
    if not answers["cell"].str.contains(sep, literal=True).any():
        return None
    counts = answers.with_row_index("first")
    items = counts.with_columns(pl.col("cell").str.split(sep).alias("item")).explode("item") \
        .with_columns(pl.col("item").str.strip_chars()).filter(pl.col("item") != "")
    stats = items.group_by("item").agg(pl.len().alias("cells"), pl.col("n").sum(),
                                       pl.col("first").min())
    shared = stats.filter(pl.col("cells") >= 2)
    recurring, total = shared.select(pl.col("n").sum()).item(), stats.select(
        pl.col("n").sum()).item()
    longest = shared.select(pl.col("item").str.len_chars().mean()).item()
    if not 2 <= shared.height <= MAX_SPLIT_OPTIONS or recurring < 0.8 * total or \
            longest > MAX_OPTION_LENGTH:
        return None
    picks = items.filter(pl.col("item").is_in(shared["item"].implode())) \
        .group_by("first").len()["len"]
    if not ((picks == 1).any() and (picks >= 2).any()):
        return None
    orders = [[t.strip() for t in cell.split(sep) if t.strip()] for cell in counts["cell"]]
    first = dict(zip(shared["item"], shared["first"], strict=True))
    return _in_order(set(first), orders, first)


def _in_order(items: set[str], orders: list[list[str]], first: dict[str, int]) -> list[str]:
    """Items in the order the cells list them (forms join answers in questionnaire order);
    ties and contradictions fall back to the order first seen."""
    after: dict[str, set[str]] = {t: set() for t in items}
    for seq in orders:
        seq = [t for t in seq if t in items]
        for a, b in zip(seq, seq[1:], strict=False):
            if a != b and a not in after[b]:
                after[b].add(a)
    out: list[str] = []
    left = set(items)
    while left:
        ready = [t for t in left if not (after[t] & left)] or list(left)
        pick = min(ready, key=lambda t: first[t])
        out.append(pick)
        left.discard(pick)
    return out


def _stamps(s: pl.Series) -> bool:
    """A column of date-times as Google Forms writes them ("2024/05/01 10:22:33 AM GMT+1",
    "01/05/2024 10:22:33")."""
    v = s.drop_nulls().head(100).cast(pl.String)
    return v.len() > 0 and bool(v.str.contains(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[ T]\d{1,2}:"
                                               r"\d{2}").all())


def _is_google_forms(table: Table) -> bool:
    """A text table whose first column is Google Forms' timestamp, in any of its languages."""
    first = table.frame.columns[0] if table.frame.columns else ""
    return of_kind(table.kind).text and first.lower() in GOOGLE_STAMPS and \
        _stamps(table.frame[first])


def _is_microsoft_forms(table: Table) -> bool:
    """A text table with Microsoft Forms' "Start time" and "Completion time" columns."""
    lower = {c.lower() for c in table.frame.columns}
    return of_kind(table.kind).text and {"start time", "completion time"} <= lower


def _google_forms(table: Table) -> None:
    table.drop.add(table.frame.columns[0])
    _forms(table, "Google Forms", ", ", GOOGLE_DROP)


def _microsoft_forms(table: Table) -> None:
    _forms(table, "Microsoft Forms", ";", MS_DROP)


def _forms(table: Table, platform: str, sep: str, drop: set[str]) -> None:
    """Questions as headers (renamed q1, q2 …, labelled by the header), checkbox answers
    joined by ``sep`` made multi-response sets, ``drop`` (lower case) left out."""
    lower = {c.lower(): c for c in table.frame.columns}
    table.drop |= {lower[d] for d in drop if d in lower}
    rename: dict[str, str] = {}
    n = multis = 0
    for col in table.frame.columns:
        if col in table.drop or col.lower() in ("id", "respondent_id"):
            continue
        n += 1
        rename[col] = f"q{n}"
        table.labels[f"q{n}"] = col
        table.alone.add(f"q{n}")
        options = split_options(table.frame[col], sep)
        if options:
            table.mr_sets.append(MRSet(f"q{n}", col, "S", (f"q{n}",), option_labels=tuple(
                options), separator=sep))
            multis += 1
    table.frame = table.frame.rename(rename)
    table.platform = platform
    table.recognised = _line(f"a {platform} export", n, multis)


# ---- LimeSurvey (SPSS export) ------------------------------------------------------------

LIME_SYSTEM = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
               "datestamp", "ipaddr", "refurl", "token"}
LIME_DROP = {"submitdate", "startdate", "datestamp", "ipaddr", "refurl", "token", "seed"}
_BRACKET = re.compile(r"^\[(.+?)\]\s*(.+)$", re.DOTALL)


def _yes_coded(s: pl.Series) -> str | None:
    """How a LimeSurvey multiple-choice column marks a ticked option: "N" for Y/blank
    text, "D" for 1/0 numbers, None when it is not such a column."""
    v = s.drop_nulls()
    if v.dtype == pl.String:
        vals = set(v.str.strip_chars().unique().to_list()) - {""}
        return "N" if vals <= {"Y", "y"} else None
    if v.dtype.is_numeric():
        return "D" if set(v.unique().to_list()) <= {0, 1} else None
    return None


def _limesurvey(table: Table) -> None:
    cols = table.frame.columns
    system = [c for c in cols if c.lower() in LIME_SYSTEM]
    groups: dict[str, list[tuple[str, str]]] = {}
    for c in cols:
        m = _BRACKET.match(table.labels.get(c, ""))
        if m:
            groups.setdefault(m.group(2).strip(), []).append((c, m.group(1).strip()))
    for c in system:
        if c.lower() in LIME_DROP:
            table.drop.add(c)
        elif c.lower() != "id":
            table.meta.add(c)
    multis = 0
    grouped: set[str] = set()
    for question, members in groups.items():
        grouped |= {c for c, _ in members}
        ticks = [(c, item) for c, item in members if not _other(item) and not
                 re.search(r"(other|comment)$", c, re.IGNORECASE)]
        for c, item in members:
            if (c, item) not in ticks:
                table.texts.add(c)
                table.labels[c] = f"{question} - {item}"
        kinds = {_yes_coded(table.frame[c]) for c, _ in ticks}
        if len(ticks) >= 2 and len(kinds) == 1 and None not in kinds:
            kind = kinds.pop() or "N"
            name = re.sub(r"_?[A-Za-z]*\d*$", "", ticks[0][0]) or ticks[0][0]
            table.mr_sets.append(MRSet(name, question, kind, tuple(c for c, _ in ticks),
                                       1.0 if kind == "D" else None,
                                       tuple(item for _, item in ticks)))
            multis += 1
        else:
            for c, item in ticks:
                table.labels[c] = f"{question} - {item}"
    questions = len(groups) + sum(1 for c in cols if c not in grouped and c not in system)
    table.platform = "LimeSurvey"
    table.recognised = _line("a LimeSurvey export", questions, multis)


def _is_limesurvey(table: Table) -> bool:
    """An SPSS file with LimeSurvey's system columns or its ``[Option] Question`` labels."""
    if table.kind != "sav":
        return False
    system = [c for c in table.frame.columns if c.lower() in LIME_SYSTEM - {"id"}]
    groups: dict[str, int] = {}
    for c in table.frame.columns:
        m = _BRACKET.match(table.labels.get(c, ""))
        if m:
            groups[m.group(2).strip()] = groups.get(m.group(2).strip(), 0) + 1
    return len(system) >= 2 or any(n >= 2 for n in groups.values())


def _header_says(platform: str) -> Callable[[Table], bool]:
    """A text file whose header rows are ``platform``'s (read with them: ``csv_header``)."""
    return lambda table: table.platform == platform


Platform = tuple[Callable[[Table], bool], Callable[[Table], None]]
# each platform's export as (detect, build), walked in order: the first whose detect holds
# builds the table's questions (a new platform is one pair here)
PLATFORMS: tuple[Platform, ...] = (
    (_header_says("Qualtrics"), _qualtrics),
    (_header_says("SurveyMonkey"), _surveymonkey),
    (_is_google_forms, _google_forms),
    (_is_microsoft_forms, _microsoft_forms),
    (_is_limesurvey, _limesurvey),
)


def recognise(table: Table) -> None:
    """Fill in what a platform's export says beyond its columns (see the module notes)."""
    for detect, build in PLATFORMS:
        if detect(table):
            build(table)
            return
