"""What any file's columns are, whichever program wrote it, decided on the evidence of
their values (after ``platforms`` has read what a platform's layout says):

- bookkeeping that is no question: a unique, id-like text per respondent (``R_1aB…``,
  UUIDs, ``ZX7000Q…``), e-mail addresses, IP addresses, dates and times: no question, each
  with a note (a unique whole-number id is the respondent key, else such a text,
  ``infer``);
- answers joined in one cell ("Email,Phone,Post": Qualtrics joins with ",", Google Forms
  with ", ", Microsoft Forms with ";"): a multi-response set when a small set of recurring
  answers makes up nearly every cell (``platforms.split_options``); a text with the
  separator in many cells that is not such a set stays open-ended, and the report says so;
- columns sharing a prefix (``q4_email … q4_none``) that each hold a tick (0/1, 1/blank,
  Checked/Unchecked, or one answer/blank): one multi-response set, whatever the suffixes.

Each decision adds a line to ``Table.notes`` (or ``Table.unsure``) for ``heetui import``.
"""

from __future__ import annotations

import re

import polars as pl

from heetui.importers.platforms import TICK_WORDS, answer_counts, joined_options, tick_kind
from heetui.importers.table import MRSet, Table, id_name_rank

JOINERS = (";", ",", "|")  # "," also splits ", " (items are stripped)
MIN_ID_ROWS = 10  # fewer rows say too little about a column being an id
_ID_VALUE = r"^[A-Za-z0-9][A-Za-z0-9_\-{}.:]*$"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_IP = r"^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:]+)$"
_DATE = r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?\s*([AaPp][Mm])?.*)?$"
BOOKKEEPING = (("e-mail addresses", _EMAIL), ("IP addresses", _IP), ("dates and times", _DATE))
_SUFFIX = re.compile(r"^(.*?[A-Za-z0-9])[_.]([A-Za-z0-9]+)$")


def recognise_columns(table: Table) -> None:
    """Fill in ``table`` as the module notes say (platform decisions are kept)."""
    if table.drop:
        table.notes.append(f"left out {', '.join(sorted(table.drop))}: "
                           f"{table.platform or 'the file'}'s bookkeeping (dates, names, "
                           "addresses)")
    claimed = _claimed(table)
    # each text column's distinct answers, once: every test below reads those
    answers = {c: answer_counts(table.frame[c]) for c in table.frame.columns
               if c not in claimed and table.frame[c].dtype == pl.String}
    _bookkeeping(table, answers)
    _joined(table, {c: a for c, a in answers.items() if c not in table.drop})
    if not table.labelled:
        _tick_sets(table)


def _claimed(table: Table) -> set[str]:
    return table.drop | table.texts | {c for mr in table.mr_sets for c in mr.variables}


def _share(answers: pl.DataFrame, pattern: str) -> bool:
    """Whether every answer of a text column matches ``pattern``."""
    return answers.height > 0 and bool(answers["cell"].str.contains(pattern).all())


def id_like_text(s: pl.Series, answers: pl.DataFrame) -> bool:
    """A different id-like text (no spaces, a digit in most) for every row."""
    if s.len() < MIN_ID_ROWS or s.null_count() or answers.height != s.len():
        return False
    v = answers["cell"]
    if not v.str.contains(_ID_VALUE).all():
        return False
    digits = v.str.contains(r"\d").mean()
    shortest = v.str.len_chars().min()
    return isinstance(digits, float) and digits >= 0.5 and isinstance(shortest, int) \
        and shortest >= 4


def flawed_ids(col: str, s: pl.Series, answers: pl.DataFrame) -> bool:
    """A column named as ids are whose answers are single words, nearly each its own, but
    not an id-like text for every row (one repeated or missing, or other characters): ids
    all the same, and never comments."""
    return id_name_rank(col) < 2 and answers.height >= 0.9 * s.len() and \
        _share(answers, r"^\S+$")


def _bookkeeping(table: Table, answers: dict[str, pl.DataFrame]) -> None:
    left: dict[str, list[str]] = {}
    claimed = _claimed(table)
    for col in table.frame.columns:
        s = table.frame[col]
        if col in claimed:
            continue
        what = None
        if s.dtype in (pl.Date, pl.Datetime, pl.Time) or isinstance(s.dtype, pl.Datetime):
            what = "dates and times"
        elif col in answers:
            what = next((w for w, pattern in BOOKKEEPING if _share(answers[col], pattern)),
                        None)
            if what is None and id_like_text(s, answers[col]):
                table.text_ids.append(col)  # noted where the respondent key is chosen
                table.drop.add(col)
                table.meta.discard(col)
                continue
            if what is None and flawed_ids(col, s, answers[col]):
                what = "ids that cannot be the respondent key (repeated, missing, or other " \
                       "than letters and digits)"
        if what:
            table.drop.add(col)
            table.meta.discard(col)
            left.setdefault(what, []).append(col)
    for what, cols in left.items():
        table.notes.append(f"left out {', '.join(cols)}: {what}")


def _joined(table: Table, texts: dict[str, pl.DataFrame]) -> None:
    for col, answers in texts.items():
        seps = [sep for sep in JOINERS if answers["cell"].str.contains(sep, literal=True)
                .any()]
        options = None
        for sep in seps:
            options = joined_options(answers, sep)
            if options:
                table.mr_sets.append(MRSet(col, table.labels.get(col, col), "S", (col,),
                                           option_labels=tuple(options), separator=sep))
                table.notes.append(f"{col}: answers joined with {sep!r} in one cell, read "
                                   f"as a multi-response set of {len(options)} options")
                break
        if seps and not options:
            _doubt(table, col, answers, seps)


def _doubt(table: Table, col: str, answers: pl.DataFrame, seps: list[str]) -> None:
    """A text with a separator in a fifth of its answers, some answers repeated, that is
    not joined choices: kept as text, and listed as unsure."""
    given = answers.select(pl.col("n").sum()).item()
    repeated = bool((answers["n"] > 1).any())
    for sep in seps:
        holding = answers.filter(pl.col("cell").str.contains(sep, literal=True)) \
            .select(pl.col("n").sum()).item()
        if repeated and holding >= 0.2 * given:
            table.unsure.append(f"{col}: {sep!r} in many answers, but they are not a few "
                                "recurring choices; kept as text")
            return


def _tick_sets(table: Table) -> None:
    claimed = _claimed(table)
    groups: dict[str, list[str]] = {}
    for col in table.frame.columns:
        m = _SUFFIX.match(col)
        if m and col not in claimed:
            groups.setdefault(m.group(1), []).append(col)
    for prefix, cols in groups.items():
        kinds = {c: tick_kind(table.frame[c]) for c in cols}
        ticks = [c for c in cols if kinds[c] is not None]
        if len(ticks) < 2 or len({kinds[c] for c in ticks}) > 1 or \
                all(table.frame[c].null_count() == table.frame.height for c in ticks) or \
                not all(_zero_one(table.frame[c]) for c in ticks):
            continue
        suffixes = [_SUFFIX.match(c).group(2) for c in ticks]  # type: ignore[union-attr]
        numbered = all(x.isdigit() for x in suffixes)
        if numbered and all(table.frame[c].dtype.is_numeric() for c in ticks):
            continue  # q5_1, q5_2 … as 0/1 numbers: infer's dichotomies keep their codes
        kind, counted = kinds[ticks[0]] or ("N", None)
        answers = [_answer(table.frame[c]) for c in ticks]
        if None in answers or len(set(answers)) < len(answers):  # "Yes" in every column
            answers = [None] * len(ticks)
        labels = tuple(table.labels.get(c) or a or x.replace("_", " ")
                       for c, a, x in zip(ticks, answers, suffixes, strict=True))
        table.mr_sets.append(MRSet(prefix, prefix, kind, tuple(ticks), counted, labels))
        table.notes.append(f"{', '.join(ticks[:3])}{' …' if len(ticks) > 3 else ''}: "
                           f"{len(ticks)} tick columns read as one multi-response set "
                           f"{prefix}")


def _zero_one(s: pl.Series) -> bool:
    """A number column ticks with 1 (and 0) only: constants such as a wave number do not."""
    return not s.dtype.is_numeric() or set(s.drop_nulls().unique().to_list()) <= {0, 1}


def _answer(s: pl.Series) -> str | None:
    """The one answer a text tick column holds when ticked (SurveyMonkey-like "Email" or
    blank), else None."""
    if s.dtype != pl.String:
        return None
    v = s.drop_nulls().str.strip_chars()
    v = v.filter(v != "")
    if v.n_unique() != 1 or v[0].casefold() in {w for p in TICK_WORDS for w in p}:
        return None
    return str(v[0])
