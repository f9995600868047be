"""Values that mean "no answer", imported as null and recorded on their variable.

- SPSS user-missing values (discrete codes and ranges, on numbers and on text);
- Stata's extended missing values ``.a`` … ``.z`` (pyreadstat reads them as null; their
  value labels are the reasons);
- labelled special codes of a numeric variable (``97 = Don't know`` on an age, ``0 =
  missing`` on a salary): a labelled code is special when it lies outside the range of the
  unlabelled values and either its label names a reason for no answer or it is not the
  next whole number after (or before) them, as a scale's end point ``97 = 97 or older`` is.
  A labelled code inside that range is a value, whatever its label.

One rule (``outside_scale``) decides which answers of an ordered list lose their score:
those whose label names a reason for no answer and that lie at an end of the list (after
or before every answer of the scale, as Don't know coded 6, 9 or 99 after 1–5 is). An
answer inside the list is a point of the scale, whatever its words: "No opinion", "Not
sure" or "Neither" between Agree and Disagree is the scale's midpoint and is scored.

Each becomes an entry of the variable's ``missing`` list in the codebook: the value as the
source holds it, its label and how many respondents had it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import polars as pl

from heetui.importers.table import Table, Value
from heetui.survey.codebook import MissingCode

MISSING_WORDS = re.compile(
    r"missing|refus|don.?t know|do not know|\bdk\b|d/k|\bn/?a\b|no answer|not answered|"
    r"no response|not (asked|applicable|stated|known|sure|available|ascertained)|"
    r"inapplicable|prefer not|rather not|skipped|no opinion|can.?t say|cannot say",
    re.IGNORECASE)


def no_answer(label: str) -> bool:
    """Whether a label names a reason for no answer (Don't know, Refused, Not applicable)."""
    return bool(MISSING_WORDS.search(label))


def outside_scale(labels: Sequence[str]) -> set[int]:
    """The positions in an ordered list of answers (as the source codes them) that lie
    outside its scale: the answers naming a reason for no answer at the end of the list,
    and at its start; never an answer between two others (see the module notes)."""
    lo, hi = 0, len(labels)
    while hi > lo and no_answer(labels[hi - 1]):
        hi -= 1
    while lo < hi and no_answer(labels[lo]):
        lo += 1
    return set(range(lo)) | set(range(hi, len(labels)))


def code_of(v: Value) -> int | float | str:
    """A source value as the codebook writes it: whole numbers without ``.0``."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def entry(code: Value, label: str, count: int | None) -> MissingCode:
    """A missing value's record on its variable: the value (``code_of``), its label (the
    reason) and how many respondents had it."""
    return MissingCode(code_of(code), label, count)


def _in_ranges(s: pl.Series, ranges: list[tuple[Value, Value]]) -> pl.Series:
    if s.dtype == pl.String:
        v = s.str.strip_chars_end()
        hits = [v.is_between(str(lo), str(hi)) for lo, hi in ranges if isinstance(lo, str)]
    elif s.dtype.is_numeric():
        v = s.cast(pl.Float64)
        hits = [v.is_between(float(lo), float(hi)) for lo, hi in ranges
                if not isinstance(lo, str) and not isinstance(hi, str)]
    else:
        hits = []
    mask = pl.Series(s.name, [False] * s.len())
    for h in hits:
        mask = mask | h.fill_null(False)
    return mask


def _covers(ranges: list[tuple[Value, Value]], k: Value) -> bool:
    # a range's two ends are of one kind (both text or both numbers), and k is compared only
    # with a range of its own kind; mypy cannot tie hi's kind to lo's
    return any(isinstance(k, str) == isinstance(lo, str)
               and lo <= k <= hi  # type: ignore[operator]
               for lo, hi in ranges)


def apply_user_missing(table: Table) -> dict[str, list[MissingCode]]:
    """Null the values the file declares missing; returns the codebook entries per column
    and drops their value labels (they are reasons, not answer options)."""
    recorded: dict[str, list[MissingCode]] = {}
    updates = []
    for col, ranges in table.user_missing.items():
        if col not in table.frame.columns:
            continue
        s = table.frame[col]
        mask = _in_ranges(s, ranges)
        labels = dict(table.value_labels.get(col, {}))
        hit = s.filter(mask)
        if s.dtype == pl.String:
            hit = hit.str.strip_chars_end()
        elif s.dtype.is_numeric():
            hit = hit.cast(pl.Float64)
        counts: dict[Value, int] = dict(hit.value_counts().iter_rows()) if hit.len() else {}
        for k in labels:
            if _covers(ranges, k):
                counts.setdefault(k, 0)
        if not counts:
            continue
        recorded[col] = [entry(k, labels.get(k, ""), n)
                         for k, n in sorted(counts.items(), key=lambda kv: sort_key(kv[0]))]
        table.value_labels[col] = {k: v for k, v in labels.items() if k not in counts}
        if mask.any():
            updates.append(pl.select(pl.when(mask).then(None).otherwise(s)).to_series()
                           .alias(col))
    if updates:
        table.frame = table.frame.with_columns(updates)
    return recorded


def special_codes(labels: dict[float, str], unlabelled: set[float]) -> set[float]:
    """The labelled codes of a numeric variable that stand for no answer (see the module
    notes); the other labelled codes are ordinary values (a scale's named end points)."""
    if not unlabelled:
        return {k for k, text in labels.items() if no_answer(text)}
    lo, hi = min(unlabelled), max(unlabelled)
    special = {k for k, text in labels.items() if no_answer(text) and not lo < k < hi}
    for outside, step, edge in ((sorted(k for k in labels if k > hi), 1.0, hi),
                                (sorted((k for k in labels if k < lo), reverse=True), -1.0,
                                 lo)):
        joined = True
        for k in outside:
            joined = joined and k not in special and k == edge + step
            if joined:
                edge = k
            else:
                special.add(k)
    return special


def sort_key(v: Value) -> tuple[int, float, tuple[tuple[int, int, str], ...]]:
    """Order values as a reader expects: numbers by value ("15000" before "125000"), then
    text with the numbers inside it compared as numbers ("Item 2" before "Item 10")."""
    if not isinstance(v, str):
        return (0, float(v), ())
    t = v.strip().replace(",", "") if re.fullmatch(r"-?[\d,]*\.?\d+", v.strip()) else ""
    if t:
        return (0, float(t), ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower())
                  for p in re.split(r"(\d+)", v) if p)
    return (1, 0.0, parts)
