"""Reading and validating a survey bundle folder.

A bundle is ``codebook.toml`` + ``respondents.parquet`` (+ optional ``verbatims.parquet``);
either Parquet part may instead be a folder of Parquet files, hive-partitioned or not.
``load_bundle`` checks the codebook's structure and the data against it and raises
``BundleError`` listing every problem (file, field, what was expected).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heetui.errors import HeetuiError
from heetui.survey.codebook import Codebook, Variable
from heetui.survey.packed import packable, packed_expr
from heetui.survey.parse import MAX_NESTING, Problem, codebook_from_dict
from heetui.survey.weights import STATS, type_problem, weight_problems, weight_stats

if TYPE_CHECKING:
    import polars as pl

CODEBOOK = "codebook.toml"
RESPONDENTS = "respondents.parquet"
VERBATIMS = "verbatims.parquet"
VERBATIM_COLUMNS = ("respondent_id", "question", "text", "themes", "source", "attribution")
INTEGER_DTYPES = ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64")


class BundleError(HeetuiError):
    """A bundle cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "unknown problem"
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(first + more)

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    def message(self) -> str:
        """The whole list, so that no problem is left for the next attempt to find."""
        if len(self.problems) == 1:
            return f"the survey bundle has a problem: {self}"
        return f"the survey bundle has {len(self.problems)} problems:\n{self.report()}"


@dataclass(frozen=True)
class Bundle:
    path: Path
    codebook: Codebook
    respondents: Path
    verbatims: Path | None
    respondent_files: tuple[Path, ...] = ()  # the Parquet files of each part (listed once)
    verbatim_files: tuple[Path, ...] = ()


def bundled_survey_path() -> Path:
    """The HEE 2019 bundle: inside the installed package, or ``data/`` in a checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "bundled" / "hee2019"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "data" / "hee2019"


def read_codebook(path: Path) -> Codebook:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BundleError([Problem(name, "-", f"no codebook found at {path}")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise BundleError([Problem(name, "-", f"cannot be read ({e})")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BundleError([Problem(name, "-", f"is not valid TOML: {e}")]) from None
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        raise BundleError([Problem(name, "-", "nests arrays or inline tables too deeply to "
                                   f"read; a codebook needs at most {MAX_NESTING} levels")]
                          ) from None
    cb, problems = codebook_from_dict(data, name)
    if problems or cb is None:
        raise BundleError(problems)
    return cb


def load_bundle(path: Path | str, check_data: bool = True) -> Bundle:
    folder = Path(path)
    if not folder.exists():
        raise BundleError([Problem(str(folder), "-", "no such file or folder")])
    if not folder.is_dir():
        raise BundleError([Problem(str(folder), "-",
                                   "expected a bundle folder (codebook.toml + "
                                   "respondents.parquet)")])
    cb = read_codebook(folder / CODEBOOK)
    resp = folder / RESPONDENTS
    if not resp.exists():
        raise BundleError([Problem(RESPONDENTS, "-", f"is missing from {folder}")])
    verb = folder / VERBATIMS
    rfiles = parquet_files(resp)
    vfiles = parquet_files(verb) if verb.exists() else []
    for part, files in ((resp, rfiles), (verb, vfiles)):
        if part.is_dir() and not files:
            raise BundleError([Problem(part.name, "-", "is a folder without .parquet files")])
    bundle = Bundle(folder, cb, resp, verb if verb.exists() else None, tuple(rfiles),
                    tuple(vfiles))
    if check_data:
        stamp = _stamp(bundle)
        if stamp is None or not stamp.is_file():
            problems = validate_data(bundle)
            if problems:
                raise BundleError(problems)
            _remember_valid(stamp)
    return bundle


def parquet_files(path: Path) -> list[Path]:
    """The Parquet files of a bundle part: the file itself, or every ``.parquet`` file
    under a partitioned folder (hive-style ``key=value`` folders, any depth)."""
    if not path.is_dir():
        return [path]
    return sorted(f for f in path.rglob("*.parquet")
                  if f.is_file() and not any(p.startswith(".") for p in f.relative_to(path).parts))


def scan_parquet(path: Path, files: tuple[Path, ...]) -> pl.LazyFrame:
    """A lazy polars scan of a bundle part (its ``files``); partition keys become columns."""
    import polars as pl

    if path.is_dir():
        return pl.scan_parquet(list(files), hive_partitioning=True, glob=False)
    return pl.scan_parquet(path, glob=False)


def _stamp(bundle: Bundle) -> Path | None:
    """A cache file named after the bundle's files (path, size, modification time): the
    data scan is skipped when none of them changed since they last validated. The stamp
    lives in the user's cache folder; the bundle itself is never written to."""
    from heetui.survey.cache import cache_folder, cache_key

    parts = []
    for f in (bundle.path / CODEBOOK, *bundle.respondent_files, *bundle.verbatim_files):
        try:
            st = f.stat()
        except OSError:
            return None
        parts.append(f"{f.resolve()}:{st.st_size}:{st.st_mtime_ns}")
    return cache_folder("validated") / cache_key(*parts)


def _remember_valid(stamp: Path | None) -> None:
    if stamp is None:
        return
    try:  # best effort: a read-only home only costs the next scan
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    except OSError:
        pass


# beyond this, sums of squared values lose every digit that matters (or overflow)
MAX_VALUE = 1e12


def respondents(n: int) -> str:
    """The subject of a problem sentence: "1 respondent has", "2 respondents have"."""
    return f"{n:,} respondent has" if n == 1 else f"{n:,} respondents have"


@dataclass
class _Scan:
    """Checks computed in the one scan of the respondents: named expressions, and what to
    say about their values (each check reads back only the names it made)."""

    exprs: list[Any] = field(default_factory=list)  # polars expressions, each aliased
    verdicts: list[Callable[[dict[str, Any], int], None]] = field(default_factory=list)

    def name(self) -> str:
        return f"__c{len(self.exprs)}"


def validate_data(bundle: Bundle) -> list[Problem]:
    """Check the Parquet files against the codebook (one scan per file)."""
    import polars as pl

    cb = bundle.codebook
    problems: list[Problem] = []

    def bad(fld: str, msg: str, file: str = RESPONDENTS) -> None:
        problems.append(Problem(file, fld, msg))

    try:
        lf = scan_parquet(bundle.respondents, bundle.respondent_files)
        schema = lf.collect_schema()
    except Exception as e:  # polars raises several types for unreadable files
        return [Problem(RESPONDENTS, "-", f"is not a readable Parquet file ({_short(e)})")]
    seen: dict[str, str] = {}
    for name in schema.names():
        if name.lower() in seen:
            bad(name, f"differs from the column {seen[name.lower()]!r} only in letter case; "
                "DuckDB reads the two as one column, so rename one of them")
        seen.setdefault(name.lower(), name)
    scan = _Scan()
    _id_checks(scan, cb, schema, bad)
    _weight_checks(scan, cb, schema, bad)
    for v in cb.variables:
        _answer_checks(scan, v, schema, bad)
    _packed_checks(scan, cb, schema, bad)
    try:
        row = lf.select([pl.len().alias("__n"), *scan.exprs]).collect().row(0, named=True)
    except Exception as e:
        return problems + [Problem(RESPONDENTS, "-", f"could not be scanned ({_short(e)})")]
    n = row["__n"]
    if n == 0:
        bad("-", "has no respondents")
    for verdict in scan.verdicts:
        verdict(row, n)
    if bundle.verbatims is not None:
        problems += _validate_verbatims(bundle, schema.get(cb.settings.id_column))
    if cb.settings.design is not None:
        problems += _design_problems(lf, cb, schema)
    return problems


def _design_problems(lf: pl.LazyFrame, cb: Codebook, schema: Any) -> list[Problem]:
    """The design's columns exist without gaps; each stratum has at least two PSUs (a
    variance needs two) and one FPC, which is a sampling fraction in (0, 1] everywhere or a
    population count of at least the stratum's sampled PSUs everywhere (as R's survey reads
    it)."""
    import polars as pl

    d = cb.settings.design
    assert d is not None
    out: list[Problem] = []
    for name, col in (("strata", d.strata), ("cluster", d.cluster), ("fpc", d.fpc)):
        if col is not None and col not in schema:
            out.append(Problem(RESPONDENTS, col, f"the {name} column named in the codebook "
                               "(survey.design) is absent"))
    if d.fpc is not None and d.fpc in schema and not schema[d.fpc].is_numeric():
        out.append(Problem(RESPONDENTS, d.fpc, f"the FPC must be numeric, found {schema[d.fpc]}"))
    if out:
        return out
    st = pl.col(d.strata) if d.strata else pl.lit(0)
    psu = pl.col(d.cluster) if d.cluster else pl.col(cb.settings.id_column)
    fpc = pl.col(d.fpc).cast(pl.Float64) if d.fpc else pl.lit(0.5)
    nulls = lf.select([pl.col(c).null_count().alias(c) for c in d.columns]).collect()
    out += [Problem(RESPONDENTS, c, f"{respondents(n)} no value of this design column")
            for c, n in nulls.row(0, named=True).items() if n]
    if out:
        return out
    strata = (lf.group_by(st.alias("__st")).agg(psu.n_unique().alias("n"),
                                                 fpc.n_unique().alias("k"),
                                                 fpc.min().alias("f"))
              .sort("__st").collect())
    where = d.strata or d.cluster or ""
    lonely = strata.filter(pl.col("n") < 2)
    if len(lonely):
        out.append(Problem(RESPONDENTS, where, f"{len(lonely)} strata have a single PSU "
                           f"(for example {lonely['__st'][0]!r}); a variance needs two in "
                           "each: merge such strata with a neighbour"))
    if d.fpc:
        f, n = strata["f"].to_numpy(), strata["n"].to_numpy()
        fraction = bool((f <= 1).all())
        if (strata["k"] > 1).any():
            out.append(Problem(RESPONDENTS, d.fpc, "the FPC varies within a stratum; "
                               "expected one value per stratum"))
        elif (f <= 0).any() or (not fraction and (f < n).any()):
            out.append(Problem(RESPONDENTS, d.fpc, "expected sampling fractions in (0, 1] or "
                               "population counts of PSUs at least the sampled PSUs of each "
                               "stratum"))
    return out


Bad = Callable[[str, str], None]


def _id_checks(scan: _Scan, cb: Codebook, schema: Any, bad: Bad) -> None:
    import polars as pl

    idc = cb.settings.id_column
    if idc not in schema:
        bad(idc, "the respondent id column named in the codebook is absent")
        return
    ids, nulls = scan.name(), f"{scan.name()}n"
    scan.exprs += [pl.col(idc).n_unique().alias(ids), pl.col(idc).null_count().alias(nulls)]

    def verdict(row: dict[str, Any], n: int) -> None:
        if row[nulls]:
            bad(idc, f"{respondents(row[nulls])} no id")
        elif row[ids] != n:
            bad(idc, f"respondent ids must be unique; {n - row[ids]} are duplicated")

    scan.verdicts.append(verdict)


def _weight_checks(scan: _Scan, cb: Codebook, schema: Any, bad: Bad) -> None:
    wc = cb.settings.weight
    if wc is None:
        return
    if wc not in schema:
        bad(wc, "the weight column named in the codebook (survey.weight) is absent")
        return
    wrong = type_problem(schema[wc])
    if wrong is not None:
        bad(wc, wrong)
        return
    base = scan.name()
    scan.exprs += weight_stats(wc, schema[wc].is_float(), base)

    def verdict(row: dict[str, Any], n: int) -> None:
        for problem in weight_problems({k: row[f"{base}{k}"] for k in STATS}, n):
            bad(wc, problem)

    scan.verdicts.append(verdict)


def _answer_checks(scan: _Scan, v: Variable, schema: Any, bad: Bad) -> None:
    """A variable's columns exist with the right type, and hold only its codes (0/1 for a
    multi-response variable's option columns, finite values for a numeric one)."""
    import polars as pl

    if v.type == "numeric":
        if v.id not in schema:
            bad(v.id, f"column for {v.role} {v.id!r} is absent")
        elif not schema[v.id].is_numeric():
            bad(v.id, f"expected numbers, found {schema[v.id]}")
        else:
            huge = scan.name()
            scan.exprs.append((pl.col(v.id).abs() > MAX_VALUE).sum().alias(huge))

            def too_big(row: dict[str, Any], n: int) -> None:
                if row[huge]:
                    bad(v.id, f"{row[huge]} values are infinite or beyond ±{MAX_VALUE:g}")

            scan.verdicts.append(too_big)
        return
    for o_code, col in _columns_with_codes(v):
        if col not in schema:
            bad(col, f"column for {v.role} {v.id!r} is absent")
            continue
        if str(schema[col]) not in INTEGER_DTYPES:
            bad(col, f"expected integer answer codes, found {schema[col]}")
            continue
        allowed = [0, 1] if o_code is not None else [o.code for o in v.options]
        expect = "0 or 1" if o_code is not None else (
            "one of the codebook's codes " + ", ".join(str(o.code) for o in v.options))
        wrong = pl.col(col).is_not_null() & ~pl.col(col).is_in(allowed)
        count, example = scan.name(), f"{scan.name()}x"
        scan.exprs += [wrong.sum().alias(count),
                       pl.col(col).filter(wrong).first().cast(pl.Int64).alias(example)]

        def not_a_code(row: dict[str, Any], n: int, col: str = col, count: str = count,
                       example: str = example, expect: str = expect) -> None:
            if row[count]:
                bad(col, f"{row[count]} values are not {expect} (for example {row[example]})")

        scan.verdicts.append(not_a_code)


def _packed_checks(scan: _Scan, cb: Codebook, schema: Any, bad: Bad) -> None:
    """Packed columns are optional; where there, they must agree with the 0/1 columns."""
    import polars as pl

    for v in packable(cb, schema.names()):
        bc = str(v.bits_column)
        if bc not in schema:
            continue
        if str(schema[bc]) not in INTEGER_DTYPES:
            bad(bc, f"expected the packed answers of {v.id} as integers, found {schema[bc]}")
            continue
        differ = scan.name()
        scan.exprs.append(pl.col(bc).cast(pl.UInt64, strict=False)
                          .ne_missing(packed_expr(v).cast(pl.UInt64)).sum().alias(differ))

        def disagrees(row: dict[str, Any], n: int, bc: str = bc, differ: str = differ,
                      vid: str = v.id) -> None:
            if row[differ]:
                bad(bc, f"{row[differ]} values do not match the 0/1 columns of {vid}, "
                    "which this column packs (bit i = the i-th option); delete the column or "
                    "rewrite the bundle with heetui import")

        scan.verdicts.append(disagrees)


def _validate_verbatims(bundle: Bundle, id_dtype: object) -> list[Problem]:
    import polars as pl

    cb = bundle.codebook
    out: list[Problem] = []
    assert bundle.verbatims is not None
    try:
        lf = scan_parquet(bundle.verbatims, bundle.verbatim_files)
        schema = lf.collect_schema()
    except Exception as e:
        return [Problem(VERBATIMS, "-", f"is not a readable Parquet file ({_short(e)})")]
    missing = [c for c in VERBATIM_COLUMNS if c not in schema]
    if missing:
        return [Problem(VERBATIMS, c, "column is absent") for c in missing]
    wrong = _verbatim_types(schema, id_dtype)
    if wrong:
        return wrong
    nulls = _verbatim_nulls(lf, schema)
    if nulls:
        return nulls
    open_ids = [v.id for v in cb.variables if v.type == "open"]
    theme_codes = [t.code for t in cb.themes]
    row = lf.select(
        (~pl.col("question").is_in(open_ids)).sum().alias("q"),
        pl.col("question").filter(~pl.col("question").is_in(open_ids)).first().alias("qex"),
        (~pl.col("source").is_in(["survey", "interview"])).sum().alias("s"),
        (~pl.col("themes").list.eval(pl.element().is_in(theme_codes)).list.all()).sum()
        .alias("t"),
    ).collect().row(0, named=True)
    if row["q"]:
        out.append(Problem(VERBATIMS, "question", f"{row['q']} comments name a question that is "
                           f"not an open-ended question of the codebook (e.g. {row['qex']!r})"))
    if row["s"]:
        out.append(Problem(VERBATIMS, "source", f"{row['s']} comments have a source other than "
                           "'survey' or 'interview'"))
    if row["t"]:
        out.append(Problem(VERBATIMS, "themes", f"{row['t']} comments carry a theme code not "
                           "listed under [[themes]]"))
    if _kind(schema["respondent_id"]) == "null":  # interview excerpts only
        return out
    ids = scan_parquet(bundle.respondents, bundle.respondent_files).select(
        pl.col(cb.settings.id_column).alias("rid"))
    orphans = (lf.filter(pl.col("respondent_id").is_not_null())
               .join(ids, left_on="respondent_id", right_on="rid", how="anti")
               .select(pl.len()).collect().item())
    if orphans:
        out.append(Problem(VERBATIMS, "respondent_id",
                           f"{orphans} comments belong to respondent ids absent from "
                           f"{RESPONDENTS}"))
    return out


def _kind(dtype: object) -> str:
    """A Parquet column's type as the bundle format names it."""
    name = str(dtype)
    if name in INTEGER_DTYPES:
        return "integer"
    if name in ("String", "Null"):
        return {"String": "text", "Null": "null"}[name]
    if name.startswith("List(") and name[5:-1] in (*INTEGER_DTYPES, "Null"):
        return "list of integers"
    return name


def _verbatim_types(schema: Any, id_dtype: object) -> list[Problem]:
    """Each column of the comments has its documented type (a column of nulls only is
    accepted where nulls are); ``respondent_id`` is compared with the respondents' ids."""
    ids = _kind(id_dtype)
    expected = {"respondent_id": ids, "question": "text", "text": "text",
                "themes": "list of integers", "source": "text", "attribution": "text"}
    if "comment_id" in schema:
        expected["comment_id"] = "integer"
    if id_dtype is None:  # no id column: reported with the respondents' problems
        del expected["respondent_id"]
    out = []
    for col, want in expected.items():
        found = _kind(schema[col])
        nullable = col in ("respondent_id", "attribution")
        if found != want and not (nullable and found == "null"):
            what = " (the type of the respondents' ids)" if col == "respondent_id" else ""
            out.append(Problem(VERBATIMS, col, f"expected {want}{what}, found {found}"))
    return out


def _verbatim_nulls(lf: pl.LazyFrame, schema: Any) -> list[Problem]:
    """Columns every comment must fill hold no null (nor ``themes`` a null code), and
    ``comment_id``, when there, numbers each comment once."""
    import polars as pl

    required = ["question", "text", "themes", "source"]
    exprs = [pl.col(c).null_count().alias(c) for c in required]
    exprs.append(pl.col("themes").list.eval(pl.element().is_null()).list.any()
                 .fill_null(False).sum().alias("__theme"))
    if "comment_id" in schema:
        exprs += [pl.col("comment_id").null_count().alias("comment_id"),
                  (pl.len() - pl.col("comment_id").drop_nulls().n_unique()
                   - pl.col("comment_id").null_count()).alias("__dup")]
    row = lf.select(exprs).collect().row(0, named=True)
    out = [Problem(VERBATIMS, c, f"{comments(row[c])} no value; expected one for every comment")
           for c in [*required, "comment_id"] if row.get(c)]
    if row["__theme"]:
        out.append(Problem(VERBATIMS, "themes", f"{comments(row['__theme'])} a null theme "
                           "code; expected theme codes from [[themes]]"))
    if row.get("__dup"):
        out.append(Problem(VERBATIMS, "comment_id", f"{row['__dup']:,} comment ids are "
                           "duplicated; expected each comment to have its own"))
    return out


def comments(n: int) -> str:
    """The subject of a problem sentence: "1 comment has", "2 comments have"."""
    return f"{n:,} comment has" if n == 1 else f"{n:,} comments have"


def _columns_with_codes(v: Variable) -> list[tuple[int | None, str]]:
    if v.type == "multi":
        return [(o.code, v.column(o.code)) for o in v.options]
    if v.type == "single":
        return [(None, v.id)]
    return []


def _short(e: Exception) -> str:
    return str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
