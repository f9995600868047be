"""An open survey: its bundle, one DuckDB connection, and a cache of grouped sums."""

from __future__ import annotations

import copy
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np

from heetui.engine.frames import HAND, hand_coded, themes_sql
from heetui.engine.raking import Spread
from heetui.engine.shaping import shape
from heetui.engine.sql import Clause, Param, ident
from heetui.engine.weighting import (
    WeightDef,
    WeightReport,
    column_spread,
    compute,
    digest,
    report_from_dict,
    weights_folder,
    write_weight,
)
from heetui.errors import EngineError
from heetui.sqltext import path_literal
from heetui.survey.bundle import Bundle, BundleError, bundled_survey_path, load_bundle
from heetui.survey.codebook import Codebook, Variable
from heetui.survey.workspace import Workspace, WorkspaceProblem, default_workspace

T = TypeVar("T")

CACHE_SIZE = 64
# the table name as the engine's SQL writes it (never quoted, qualified or called)
RESPONDENTS_TABLE = re.compile(r'(?<![\w".])respondents(?![\w".(])')


# In surveys of at least PERFECT_HASH_RESPONDENTS, grouping keys of up to PERFECT_HASH_BITS
# bits in all (by their type, or their column's min/max, plus one bit per key for NULL) are
# aggregated into an array indexed by the key (2^18 slots, a few MB) instead of a hash table.
# DuckDB's default is 12 bits; 18 covers a packed banner of up to 8 options by a slice of a
# packed question (two UTINYINT keys: crosstab.unsigned): a fifth less time at 10M
# respondents, but the array's fixed cost doubles the same table at 10,000 (benchmarks/NOTES).
PERFECT_HASH_BITS = 18
PERFECT_HASH_RESPONDENTS = 2_000_000

class Survey:
    """Engine handle on a bundle. Thread-safe: each query runs on its own cursor.

    ``codebook`` is the survey's model, assembled here and only here (``reshape``: the
    bundle's codebook with the workspace's edits, engine.shaping): every command and
    screen reads questions, answers, nets, weights and the design from it."""

    def __init__(self, bundle: Bundle, workspace: Workspace | None = None,
                 source: str | None = None, notes: tuple[str, ...] = (),
                 waves: tuple[str, ...] = ()) -> None:
        self.bundle = bundle
        self.workspace = workspace
        self._con = duckdb.connect(config={"enable_external_access": True})
        self._lock = threading.Lock()
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._running: dict[Hashable, Future[Any]] = {}
        self._cursors: set[duckdb.DuckDBPyConnection] = set()  # queries running now
        self._closing = False
        # the respondents table: the bundle's files, or (waves, engine.waves) several stacked
        self._source = source or parquet_source(bundle.respondents, bundle.respondent_files)
        self.notes = notes  # what opening it this way leaves out or changes
        self._waves = waves  # each wave's own table, when ``source`` stacks waves
        # and read each file's footer once (its column metadata: 0.1 → 0.05 s a query there)
        self._con.execute("SET parquet_metadata_cache = true")
        # a plain SELECT returns respondents in file order: design-based tables
        # (engine.design) read each respondent's PSU once and pair later passes with it by
        # position. DuckDB's default, set here so that no change of default can break it.
        self._con.execute("SET preserve_insertion_order = true")
        # the stored comments' columns and their DuckDB types (engine.commenters reads the
        # respondent id's)
        self.comment_columns: dict[str, str] = {}
        if bundle.verbatims is not None:
            source = parquet_source(bundle.verbatims, bundle.verbatim_files)
            self.comment_columns = {str(r[0]): str(r[1]) for r in self._con.execute(
                f"DESCRIBE SELECT * FROM {source}").fetchall()}
            # comment_id is optional in a bundle: number comments in file order when absent
            extra = "" if "comment_id" in self.comment_columns else \
                ", row_number() OVER () AS comment_id"
            self._con.execute(f"CREATE VIEW stored_verbatims AS SELECT *{extra} FROM {source}")
        self.reshape()
        if self.respondents >= PERFECT_HASH_RESPONDENTS:
            self._con.execute(f"SET GLOBAL perfect_ht_threshold = {PERFECT_HASH_BITS}")

    def reshape(self) -> None:
        """Assemble the survey's model again from the bundle's codebook and the workspace
        as its file now reads (after an edit): ``codebook``, the derived variables' columns,
        the weights computed to targets, ``workspace_problems`` and ``view``; cached
        results are dropped."""
        shaped = shape(self.bundle.codebook, self.workspace)
        problems = list(shaped.problems)
        # derived variables over stored columns: filters write their answers' conditions,
        # and those whose Tabled.sources are set a pass can group by their sources
        self.tabled = shaped.tabled
        with self._lock:
            self._cache.clear()
        source = self._source
        self._set_table(source, shaped.derived)
        self.weight_reports: dict[str, WeightReport] = {}
        for d in shaped.weights:
            try:
                path, report = self._computed_weight(shaped.codebook, d,
                                                     self._derived.table(None))
            except (EngineError, duckdb.Error) as e:
                text = str(e).splitlines()[0] if isinstance(e, duckdb.Error) else str(e)
                problems.append(WorkspaceProblem(
                    str(self.workspace.path) if self.workspace else "workspace",
                    self.workspace.line_of(("weight", d.name)) if self.workspace else None,
                    f"The weight {d.name}: {text}"))
                continue
            # each respondent's weight beside their stored answers, by position
            source = f"(SELECT * FROM {source} POSITIONAL JOIN {parquet_source(path, ())})"
            self.weight_reports[d.name] = report
            self._set_table(source, shaped.derived)
        chosen = getattr(self, "_chosen_weight", None)
        cb = shaped.codebook
        if chosen is not None and chosen in self.weight_names(cb):
            cb = self._weighted_by(cb, chosen)
        self.codebook: Codebook = cb
        self._set_comments(cb)
        problems += self._stray_comments(cb)
        self.workspace_problems = tuple(problems)
        self.view = shaped.view

    def _set_table(self, source: str, derived: tuple[tuple[str, str], ...]) -> None:
        """The respondents' table: ``source`` (the stored columns, and the computed
        weights), with the derived columns each query reads (``Derived``)."""
        with self._lock:
            self._derived = Derived(source, derived)
            # a pass reads one wave's table only where the stacked one is the waves alone
            # (a weight computed to targets is joined to the stacked rows by position)
            self._wave_tables = tuple(Derived(w, derived) for w in self._waves
                                      ) if source == self._source else ()
            self._con.execute("CREATE OR REPLACE VIEW respondents AS SELECT * FROM "
                              f"{self._derived.table(None)}")
            self.columns = frozenset(r[0] for r in self._con.execute(
                "DESCRIBE respondents").fetchall())
            self._cache.clear()

    def _set_comments(self, cb: Codebook) -> None:
        """The comments' table: the stored comments, their themes coded by the workspace's
        code frames (engine.frames) within each query."""
        if self.bundle.verbatims is None:
            return
        coded = themes_sql(cb)
        ids, added, removed = hand_coded(cb)
        with self._lock:
            self._con.execute(f"CREATE OR REPLACE TABLE {HAND} AS SELECT "
                              "unnest(?::BIGINT[]) AS comment_id, unnest(?::INTEGER[][]) AS "
                              "added, unnest(?::INTEGER[][]) AS removed",
                              [ids, added, removed])
            if coded is None:
                view = "SELECT * FROM stored_verbatims"
            else:
                hand = f" LEFT JOIN {HAND} h ON c.comment_id = h.comment_id" if ids else ""
                view = (f"SELECT c.* REPLACE ({coded} AS themes) FROM stored_verbatims c"
                        + hand)
            self._con.execute(f"CREATE OR REPLACE VIEW verbatims AS {view}")

    def _stray_comments(self, cb: Codebook) -> list[WorkspaceProblem]:
        """Comments a code frame codes by hand that are not the question's in this survey
        (a frame written for another wave): they code nothing, and are reported."""
        pairs = [(f.question, i) for f in cb.frames for t in f.themes
                 for i in (*t.added, *t.removed)]
        if not pairs or self.bundle.verbatims is None:
            return []
        rows = self._con.execute(
            "SELECT h.q, COUNT(DISTINCT h.id), list(DISTINCT h.id ORDER BY h.id)[1:3] FROM "
            "(SELECT unnest(?::VARCHAR[]) AS q, unnest(?::BIGINT[]) AS id) h ANTI JOIN "
            "stored_verbatims v ON v.comment_id = h.id AND v.question = h.q GROUP BY h.q "
            "ORDER BY h.q", [[q for q, _ in pairs], [i for _, i in pairs]]).fetchall()
        ws = self.workspace
        return [WorkspaceProblem(
            str(ws.path) if ws else "workspace", ws.line_of(("frame", q)) if ws else None,
            f"frame.{q}: {n:,} comment{'s' if n > 1 else ''} coded by hand "
            f"({', '.join(map(str, ids))}{'…' if n > 3 else ''}) {'are' if n > 1 else 'is'} "
            f"not among the comments on {q} in this survey; they code nothing.")
            for q, n, ids in rows]

    def _computed_weight(self, cb: Codebook, d: WeightDef, table: str
                         ) -> tuple[Path, WeightReport]:
        """A weight computed to its targets: read from its file when one was written for
        this definition and these data, else computed and written (engine.weighting)."""
        if d.start is not None and d.start not in self.columns:
            raise EngineError(f"its starting weight {d.start!r} is not a column of the survey.")
        if d.name in self.columns:
            raise EngineError(f"{d.name} is already a column of the survey; choose another "
                              "name for the weight.")
        files = self.bundle.respondent_files or (self.bundle.respondents,)
        identity = json.dumps([table, [(str(f), f.stat().st_size, f.stat().st_mtime_ns)
                                       for f in files]])
        key = digest(d, identity)
        path = weights_folder() / f"{d.name}-{key}.parquet"
        saved = path.with_suffix(".json")
        if path.is_file() and saved.is_file():
            try:
                return path, report_from_dict(json.loads(saved.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError, KeyError):
                pass  # computed again below
        scan, weight, report = compute(cb, d, self.query)
        write_weight(cb, d, scan, weight, path, self.query)
        saved.write_text(json.dumps(report.to_dict()), encoding="utf-8")
        return path, report

    def weight_names(self, cb: Codebook | None = None) -> list[str]:
        """The survey's weights: its own (the codebook's), then those computed to targets."""
        own = self.bundle.codebook.settings.weight
        return ([own] if own else []) + list(self.weight_reports)

    def choose_weight(self, name: str | None) -> None:
        """Weight by ``name`` (one of ``weight_names``) from now on; None: the survey's own."""
        if name is not None:
            self._known_weight(name)
        self._chosen_weight = name
        self.codebook = self._weighted_by(self.codebook, name)
        self.clear_cache()

    def _weighted_by(self, cb: Codebook, name: str | None) -> Codebook:
        """The model weighted by ``name`` (None: the survey's own weight); the note on the
        weight (a book's "Weighting") says what a weight computed to targets is."""
        own = self.bundle.codebook
        facts = dict(cb.survey)
        note = own.survey.get("weight_note")
        report = self.weight_reports.get(name) if name else None
        if report is not None:
            variables = ", ".join(dict.fromkeys(r.variable for r in report.rows))
            note = ((f"{report.label}: " if report.label != name else "")
                    + f"{report.method} weighting to targets of {variables}")
        facts.pop("weight_note", None)
        if note is not None:
            facts["weight_note"] = note
        return replace(cb, settings=replace(cb.settings, weight=name or own.settings.weight),
                       survey=facts, _index={})

    def _known_weight(self, name: str) -> None:
        if name not in self.weight_names():
            known = ", ".join(self.weight_names()) or "none"
            raise EngineError(f"There is no weight named {name!r}; the survey's weights: "
                              f"{known}.")

    def weight_spread(self, name: str) -> Spread:
        """What analysts read of any of the survey's weights (``weight_names``): its
        efficiency, effective sample size and extremes; a computed weight's from its report,
        the survey's own from one scan of its column."""
        if name in self.weight_reports:
            return self.weight_reports[name].spread
        self._known_weight(name)
        return self.cached(("weight_spread", name),
                           lambda: column_spread(self.query, ident(name)))

    @property
    def weight_sql(self) -> str:
        w = self.codebook.settings.weight
        return f"CAST({ident(w)} AS DOUBLE)" if w else "1.0"

    @cached_property
    def respondents(self) -> int:
        """Rows of the respondents table (DuckDB reads the count from the Parquet footers)."""
        return int(self.query("SELECT COUNT(*) FROM respondents")[0][0])

    def packed(self, v: Variable) -> str | None:
        """The column packing a multi-response variable's answers, if the bundle has it."""
        bits = v.bits_column
        return bits if bits is not None and bits in self.columns else None

    @property
    def waves(self) -> int:
        """How many waves' tables a pass can read one at a time (``wave``); 0 for a survey
        of one wave, or when a weight computed to targets is joined to the stacked table."""
        return len(self._wave_tables)

    def wave(self, k: int) -> Survey:
        """The survey reading the k-th wave's respondents alone (engine.waves): the same
        model, connection and columns, with a result cache of its own."""
        view = copy.copy(self)
        view._derived, view._wave_tables = self._wave_tables[k], ()
        view._cache, view._running = OrderedDict(), {}
        view.__dict__.pop("respondents", None)  # counted again, on the wave's table
        return view

    @property
    def has_weight(self) -> bool:
        return self.codebook.settings.weight is not None

    def query(self, q: str | Clause[Param]) -> list[tuple[Any, ...]]:
        """The result's rows. ``q``: SQL that takes no values, or a Clause with its own."""
        with self._cursor() as cur:
            return cur.execute(*self._sql_and_values(q)).fetchall()

    def query_arrays(self, q: str | Clause[Param]) -> list[np.ndarray]:
        """The result's columns as numpy arrays (for results of thousands of rows)."""
        with self._cursor() as cur:
            result = cur.execute(*self._sql_and_values(q)).fetchnumpy()
            return [np.asarray(a) for a in result.values()]

    def _sql_and_values(self, q: str | Clause[Param]) -> tuple[str, list[Param]]:
        sql, values = (q, []) if isinstance(q, str) else (q.sql, list(q.params))
        return self.resolve(Clause(sql, values)).sql, values

    def resolve(self, q: Clause[T]) -> Clause[T]:
        """``q`` with the respondents table written out: DuckDB binds a view's every column
        for each query (0.2 s a query at 3,000 columns, 0.04 s reading the file itself), so
        queries name the file instead, with only the derived columns ``q`` reads. (A part
        of a query resolved alone reads only the derived columns it names itself.)"""
        table = f'{self._derived.table(q.sql)} AS "respondents"'
        return Clause(RESPONDENTS_TABLE.sub(lambda _: table, q.sql), q.params)

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one query, known to ``interrupt`` while it runs."""
        cur = self._con.cursor()
        with self._lock:  # decided under the lock interrupt takes: no query slips past it
            closing = self._closing
            if not closing:
                self._cursors.add(cur)
        if closing:
            cur.close()
            raise EngineError("The survey is being closed.")
        try:
            yield cur
        except duckdb.InterruptException:
            raise EngineError("The query was stopped.") from None
        finally:
            with self._lock:
                self._cursors.discard(cur)
            cur.close()

    def interrupt(self) -> None:
        """Stop every running query and refuse new ones (the app is quitting): a long
        survey-wide computation ends now instead of holding the terminal until it is done."""
        with self._lock:
            self._closing = True
            running = list(self._cursors)
        for cur in running:
            cur.interrupt()

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, else ``compute()`` stored under it. A caller asking
        for a key another thread is computing waits for that result instead of running the
        same query again (a table prefetched in the background, then asked for)."""
        # one key is always computed by one kind of compute, so what is stored under it is T
        hit: T
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                hit = self._cache[key]
                return hit
            running = self._running.get(key)
            if running is None:
                running = self._running[key] = Future()
                owner = True
            else:
                owner = False
        if not owner:
            hit = running.result()
            return hit
        try:
            value = compute()
        except BaseException as e:
            with self._lock:
                del self._running[key]
            running.set_exception(e)
            raise
        with self._lock:
            self._cache[key] = value
            del self._running[key]
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        running.set_result(value)
        return value

    def is_cached(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._cache

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def close(self) -> None:
        self._con.close()





class Derived:
    """The respondents' table: the stored columns, and beside them the derived columns a
    query reads (computed in that query's own scan). Selecting every derived column in
    every query would make DuckDB bind every stored column too (``SELECT *``) and compute
    columns the query does not need."""

    def __init__(self, source: str, derived: tuple[tuple[str, str], ...]) -> None:
        self.source = source
        self.derived = derived  # (column, SQL), each after the columns it reads
        self._quoted = [(ident(name), sql) for name, sql in derived]
        self._tables: dict[frozenset[str], str] = {}

    def table(self, sql: str | None) -> str:
        """The table with the derived columns ``sql`` names (quoted, as the engine writes
        them) and those they read; every one with ``sql`` None."""
        need = {q for q, _ in self._quoted if sql is None or q in sql}
        for q, made in reversed(self._quoted):  # a column's inputs come before it
            if q in need:
                need |= {p for p, _ in self._quoted if p in made}
        key = frozenset(need)
        if key not in self._tables:
            made = ", ".join(f"{m} AS {q}" for q, m in self._quoted if q in need)
            self._tables[key] = (f"(SELECT *, {made} FROM {self.source})" if made
                                 else self.source)
        return self._tables[key]


def parquet_source(path: Path, files: tuple[Path, ...]) -> str:
    """A DuckDB table function over a bundle part: one file, or the files of a partitioned
    folder, whose ``key=value`` folder names become columns (filters on them skip files)."""
    if not path.is_dir():
        return f"read_parquet({path_literal(path)})"
    return (f"read_parquet([{', '.join(path_literal(f) for f in files)}], "
            "hive_partitioning = true)")


def open_survey(path: str | Path | None = None, check_data: bool = True,
                workspace: str | Path | None = None, source: str | Path | None = None,
                edits: bool = True) -> Survey:
    """Open a bundle folder (with no path, the bundled HEE 2019 survey) with its workspace:
    the file ``workspace`` names, else the default one of ``source`` (the file the person
    opened, when the bundle was imported from it; else the bundle). ``edits=False`` opens
    the survey as its codebook describes it. Files of other formats are opened above the
    engine, by heetui.opening.open_path."""
    target = Path(path) if path is not None else bundled_survey_path()
    if target.is_file():
        raise EngineError(f"{target.name} is a file, not a survey bundle folder.")
    origin = Path(source) if source is not None else target
    ws = None if not edits else Workspace(
        Path(workspace) if workspace is not None else default_workspace(origin), origin)
    try:
        return Survey(load_bundle(target, check_data=check_data), ws)
    except BundleError:
        raise
    except duckdb.Error as e:
        raise EngineError(f"The survey data could not be opened: {str(e).splitlines()[0]}") from e


def open_waves(waves: list[tuple[str, Path]], check_data: bool = True,
               workspace: str | Path | None = None, source: str | Path | None = None,
               edits: bool = True) -> Survey:
    """Bundles opened as the waves of one survey (engine.waves), in order; the workspace
    is the latest wave's (``source``: the file the person opened for it)."""
    from heetui.engine.waves import stack

    for _, path in waves:
        if Path(path).is_file():
            raise EngineError(f"{Path(path).name} is a file, not a survey bundle folder.")
    try:
        stacked = stack([(label, load_bundle(Path(p), check_data=check_data))
                         for label, p in waves])
        origin = Path(source) if source is not None else Path(waves[-1][1])
        ws = None if not edits else Workspace(
            Path(workspace) if workspace is not None else default_workspace(origin), origin)
        return Survey(stacked.bundle, ws, stacked.source, stacked.notes, stacked.waves)
    except BundleError:
        raise
    except duckdb.Error as e:
        raise EngineError("The waves could not be stacked: "
                          f"{str(e).splitlines()[0]}") from e
