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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import duckdb

from heetui.engine.sql import ident
from heetui.errors import EngineError
from heetui.survey.bundle import Bundle
from heetui.survey.codebook import BITS_SUFFIX, Option, Variable, option_column

WAVE = "wave"  # the segment naming each respondent's wave
MAX_WAVES = 255  # a wave's number is one byte in the grouping key


@dataclass(frozen=True)
class Stacked:
    bundle: Bundle  # the latest wave's, with the merged codebook and every wave's files
    source: str  # SQL of the stacked respondents table
    notes: tuple[str, ...]  # what is in some waves only


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
    wave = Variable(WAVE, "Wave", "single", "segment",
                    tuple(Option(k + 1, label) for k, label in enumerate(labels)), label="Wave")
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
    selects = [_select(k, b, maps, weight, notes) for k, (_, b) in enumerate(waves)]
    source = "(" + " UNION ALL BY NAME ".join(selects) + ")"
    files = tuple(f for _, b in waves for f in (b.respondent_files or (b.respondents,)))
    bundle = replace(waves[-1][1], codebook=merged, verbatims=None, verbatim_files=(),
                     respondent_files=files)
    return Stacked(bundle, source, tuple(notes))


def _columns(b: Bundle) -> list[str]:
    from heetui.engine.session import parquet_source

    con = duckdb.connect()
    try:
        return [r[0] for r in con.execute(
            f"DESCRIBE SELECT * FROM {parquet_source(b.respondents, b.respondent_files)}"
        ).fetchall()]
    finally:
        con.close()


def _select(k: int, b: Bundle, maps: dict[str, list[dict[int, int]]], weight: str | None,
            notes: list[str]) -> str:
    """One wave's respondents with its codes recoded to the merged ones, its packed
    columns left out (each wave packs its own answers), its weight under the merged name."""
    from heetui.engine.session import parquet_source

    cols = _columns(b)
    drop = {c for c in cols if c.endswith(BITS_SUFFIX)}
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
    made.append(f"{k + 1}::UTINYINT AS {ident(WAVE)}")  # as the grouping key reads it
    exclude = f" EXCLUDE ({', '.join(ident(c) for c in sorted(drop))})" if drop else ""
    return (f"SELECT *{exclude}, {', '.join(made)} FROM "
            f"{parquet_source(b.respondents, b.respondent_files)}")
