"""Several bundles opened as waves of one survey: their respondents stacked, with a
``wave`` segment (one answer per wave, in the order given) that a banner takes as a span
(``--by wave``, ``wave/stakeholder_type``), and tests between waves like any other columns
(``--compare previous``: each wave against the one before it).

Waves are matched by variable id and, within a variable, by each answer's source code (the
answer as the imported file holds it; a bundle's own code where it has none), so labels
may change from wave to wave: the latest wave's labels are shown. An answer or a variable
present in some waves only is kept (respondents of the other waves have no answer to it)
and listed in ``Stacked.notes``. Each wave keeps its own weight. Comments are not stacked
(respondent ids repeat from wave to wave): a survey opened as waves has none.

Each wave's respondents are also a table of their own, with the same columns in the same
order (a column a wave lacks is null there; the stacked table is their plain UNION ALL). A
grouped pass by a banner holding the wave runs on each wave's table (``wave_passes``),
grouped by the rest of the banner, and the wave's bits are put into the keys it returns:
a wave is a key value, so the waves' groups are disjoint, and stacked they are the groups
the pass over the stacked table gives. Each wave's pass is then the pass of a table of one
wave (the same SQL on its own file), where the pass over the stacked table also grouped by
the wave's bits beside the banner's: at 10M respondents a wave, that table took 2.56 times
one wave's (benchmarks/NOTES.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb
import numpy as np

from heetui.engine.banner import Banner, Span, key_fields
from heetui.engine.session import Survey, parquet_source
from heetui.engine.sql import ident
from heetui.engine.tabulation import Grouped
from heetui.errors import EngineError
from heetui.survey.bundle import Bundle
from heetui.survey.codebook import BITS_SUFFIX, Codebook, Option, Variable, option_column

WAVE = "wave"  # the segment naming each respondent's wave
MAX_WAVES = 255  # a wave's number is one byte in the grouping key


@dataclass(frozen=True)
class Stacked:
    bundle: Bundle  # the latest wave's, with the merged codebook and every wave's files
    source: str  # SQL of the stacked respondents table
    notes: tuple[str, ...]  # what is in some waves only
    waves: tuple[str, ...] = ()  # SQL of each wave's own table: the same columns, in order


def wave_code(k: int) -> int:
    """The code of the k-th wave (from 0) in the wave segment and in its column."""
    return k + 1


def _key(o: Option) -> str:
    return o.source if o.source is not None else str(o.code)


def _merge_options(label: str, versions: list[Variable | None], notes: list[str]
                   ) -> tuple[tuple[Option, ...], list[dict[int, int]]]:
    """The merged answers (the latest wave's, then answers of earlier waves only, given new
    codes) and, for each wave, its code → merged code."""
    present = [v for v in versions if v is not None]
    merged: dict[str, Option] = {_key(o): o for o in present[-1].options}
    taken = {o.code for o in merged.values()}
    for earlier in reversed(present[:-1]):
        for o in earlier.options:
            if _key(o) in merged:
                continue
            code = o.code if o.code not in taken else max(taken) + 1
            taken.add(code)
            merged[_key(o)] = replace(o, code=code)
    maps: list[dict[int, int]] = []
    for k, version in enumerate(versions):
        if version is None:
            maps.append({})
            continue
        maps.append({o.code: merged[_key(o)].code for o in version.options})
        keys = {_key(x) for x in version.options}
        missing = [o.label for key, o in merged.items() if key not in keys]
        if missing:
            notes.append(f"{label}: {', '.join(missing)} not in wave {k + 1}")
    return tuple(merged.values()), maps


def stack(waves: Sequence[tuple[str, Bundle]]) -> Stacked:
    """The waves' respondents stacked under one codebook (see the module's note)."""
    if len(waves) < 2:
        raise EngineError("Waves need at least two surveys: --waves 2018=PATH,2019=PATH.")
    if len(waves) > MAX_WAVES:
        raise EngineError(f"Waves are at most {MAX_WAVES} surveys; give fewer.")
    labels = [label for label, _ in waves]
    if len(set(labels)) != len(labels):
        raise EngineError("Each wave needs a name of its own: --waves 2018=PATH,2019=PATH.")
    books = [b.codebook for _, b in waves]
    latest = books[-1]
    if any(v.id == WAVE for v in latest.variables):
        raise EngineError(f"The survey already has a variable named {WAVE!r}; waves need "
                          "that name for the wave of each respondent.")
    ids = [v.id for v in latest.variables] + [
        v.id for cb in reversed(books[:-1]) for v in cb.variables if v.id not in latest]
    ids = list(dict.fromkeys(ids))
    notes: list[str] = []
    variables: list[Variable] = []
    maps: dict[str, list[dict[int, int]]] = {}
    for vid in ids:
        versions = [cb.get(vid) if vid in cb else None for cb in books]
        base = next(v for v in reversed(versions) if v is not None)
        absent = [labels[k] for k, v in enumerate(versions) if v is None]
        if absent:
            notes.append(f"{vid} is not in wave {', '.join(absent)}")
        if base.type in ("single", "multi"):
            options, maps[vid] = _merge_options(vid, versions, notes)
            base = replace(base, options=options)
        variables.append(base)
    wave = Variable(WAVE, "Wave", "single", "segment", tuple(
        Option(wave_code(k), label) for k, label in enumerate(labels)), label="Wave")
    segments_at = next((i for i, v in enumerate(variables) if v.role == "segment"), 0)
    variables.insert(segments_at, wave)
    weight = latest.settings.weight or next(
        (cb.settings.weight for cb in books if cb.settings.weight), None)
    title = f"{latest.title} (waves {', '.join(labels)})"
    merged = replace(latest, variables=tuple(variables), _index={},
                     survey={**latest.survey, "title": title},
                     settings=replace(latest.settings, weight=weight, design=None),
                     grids=latest.grids)
    if any(cb.settings.design for cb in books):
        notes.append("the sample design (strata, clusters) is left out across waves")
    columns = [_columns(b) for _, b in waves]
    packs = _packed_alike(merged, books, maps, columns)
    selects = [_select(k, b, columns[k], maps, weight, packs, notes)
               for k, (_, b) in enumerate(waves)]
    parts = _aligned(selects)
    files = tuple(f for _, b in waves for f in (b.respondent_files or (b.respondents,)))
    bundle = replace(waves[-1][1], codebook=merged, verbatims=None, verbatim_files=(),
                     respondent_files=files)
    return Stacked(bundle, "(" + " UNION ALL ".join(f"SELECT * FROM {p}" for p in parts)
                   + ")", tuple(notes), parts)


def _packed_alike(merged: Codebook, books: list[Codebook],
                  maps: dict[str, list[dict[int, int]]], columns: list[list[str]]
                  ) -> set[str]:
    """The packed columns (``Variable.bits_column``) that mean the same in every wave, kept
    in the stacked table: in each wave holding the variable, the column is there and its
    i-th option is the merged variable's i-th (a wave without the variable has none, as
    it has none of its 0/1 columns)."""
    kept = set()
    for v in merged.variables:
        if v.bits_column is None or v.id not in maps:
            continue
        merged_codes = [o.code for o in v.options]
        if all(v.id not in cb or (cb.get(v.id).bits_column == v.bits_column
                                  and v.bits_column in cols
                                  and [maps[v.id][k][o.code] for o in cb.get(v.id).options]
                                  == merged_codes[:len(cb.get(v.id).options)])
               for k, (cb, cols) in enumerate(zip(books, columns, strict=True))):
            kept.add(v.bits_column)
    return kept


def _aligned(selects: list[str]) -> tuple[str, ...]:
    """Each wave's table: its SELECT with every wave's columns, in one order, typed as the
    waves stacked type them (a column of some waves only is null in the others)."""
    con = duckdb.connect()
    try:
        stacked = con.execute("DESCRIBE SELECT * FROM (" + " UNION ALL BY NAME ".join(
            f"({s})" for s in selects) + ")").fetchall()
        own = [{r[0]: r[1] for r in con.execute(f"DESCRIBE {s}").fetchall()} for s in selects]
    finally:
        con.close()
    parts = []
    for select, types in zip(selects, own, strict=True):
        if list(types.items()) == [(name, typ) for name, typ, *_ in stacked]:
            parts.append(f"({select})")  # already so (DuckDB binds it in less time)
            continue
        cols = [ident(name) if types.get(name) == typ
                else f"CAST({ident(name)} AS {typ}) AS {ident(name)}" if name in types
                else f"NULL::{typ} AS {ident(name)}" for name, typ, *_ in stacked]
        parts.append(f"(SELECT {', '.join(cols)} FROM ({select}))")
    return tuple(parts)


def _columns(b: Bundle) -> list[str]:
    con = duckdb.connect()
    try:
        return [r[0] for r in con.execute(
            f"DESCRIBE SELECT * FROM {parquet_source(b.respondents, b.respondent_files)}"
        ).fetchall()]
    finally:
        con.close()


def _select(k: int, b: Bundle, cols: list[str], maps: dict[str, list[dict[int, int]]],
            weight: str | None, packs: set[str], notes: list[str]) -> str:
    """One wave's respondents with its codes recoded to the merged ones, its packed
    columns left out unless they mean the same in every wave (``packs``), its weight under
    the merged name."""
    drop = {c for c in cols if c.endswith(BITS_SUFFIX) and c not in packs}
    made: list[str] = []
    own = b.codebook
    for vid, per_wave in maps.items():
        codes = per_wave[k]
        if vid not in own or all(a == c for a, c in codes.items()):
            continue
        v = own.get(vid)
        if v.type == "single":
            cases = " ".join(f"WHEN {a} THEN {c}" for a, c in codes.items())
            made.append(f"(CASE {ident(vid)} {cases} END) AS {ident(vid)}")
            drop.add(vid)
        else:
            for a, c in codes.items():
                made.append(f"{ident(option_column(vid, a))} AS {ident(option_column(vid, c))}")
                drop.add(option_column(vid, a))
    mine = own.settings.weight
    if weight and mine != weight:
        if mine:
            made.append(f"{ident(mine)} AS {ident(weight)}")
            drop.add(mine)
        else:
            made.append(f"1.0 AS {ident(weight)}")
            notes.append(f"wave {k + 1} has no weight: its respondents weigh 1")
    # the wave's number, typed as the grouping key reads it
    made.append(f"{wave_code(k)}::UTINYINT AS {ident(WAVE)}")
    exclude = f" EXCLUDE ({', '.join(ident(c) for c in sorted(drop))})" if drop else ""
    return (f"SELECT *{exclude}, {', '.join(made)} FROM "
            f"{parquet_source(b.respondents, b.respondent_files)}")


# ---- grouped passes wave by wave --------------------------------------------------------

@dataclass(frozen=True)
class WavePass:
    """One wave's part of a grouped pass by a banner holding the wave: the survey reading
    that wave's table alone, the banner without the wave (so DuckDB groups by a key as
    narrow as one wave's table's), and where the bits of that pass's keys go in the whole
    banner's key, beside the wave's own."""

    survey: Survey
    banner: Banner | None
    moves: tuple[tuple[int, int, int], ...]  # (offset in the pass's key, bits, offset)
    wave_bits: int  # the wave's field in the whole banner's key

    def keyed(self, g: Grouped) -> Grouped:
        """The pass's sums under the whole banner's keys."""
        key = np.full(len(g.bkey), self.wave_bits, dtype=np.int64)
        for at, bits, to in self.moves:
            key |= ((g.bkey.astype(np.int64) >> at) & ((1 << bits) - 1)) << to
        return replace(g, bkey=key)


def wave_passes(survey: Survey, b: Banner | None) -> list[WavePass]:
    """The passes, a wave each, whose groups (``keyed``, then ``stacked``) are the groups
    of a pass by ``b`` over the stacked table; none when ``b`` does not hold the wave or
    the survey has no table of each wave (Survey.waves)."""
    if b is None or not survey.waves or WAVE not in {v.id for v in b.variables}:
        return []
    whole = key_fields(b.variables)
    rest = tuple(v for v in b.variables if v.id != WAVE)
    moves = tuple((f.offset, f.bits, whole[vid].offset)
                  for vid, f in key_fields(rest).items())
    banner = Banner(b.id, b.label, tuple(Span(v) for v in rest)) if rest else None
    at = whole[WAVE].offset
    # a single-choice variable's field holds its code + 1 (banner.key_sql)
    return [WavePass(survey.wave(k), banner, moves, (wave_code(k) + 1) << at)
            for k in range(survey.waves)]


def stacked(parts: Sequence[Grouped]) -> Grouped:
    """The groups of passes that share no group (one a wave), one pass's after another's."""
    xs = [g.xvalue for g in parts]
    return Grouped(bkey=np.concatenate([g.bkey for g in parts]),
                   qcode=np.concatenate([g.qcode for g in parts]),
                   base=np.concatenate([g.base for g in parts]),
                   items=np.concatenate([g.items for g in parts]),
                   moments=np.concatenate([g.moments for g in parts]),
                   xvalue=None if any(x is None for x in xs) else np.concatenate(
                       [x for x in xs if x is not None]))
