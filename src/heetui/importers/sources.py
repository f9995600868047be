"""Read the files heetui imports (importers.formats) into one shape: a polars frame plus
metadata (``Table``).

One reader per format (registered in ``importers.formats.INPUT_FORMATS``) behind
``read_source``; the source file is only ever read. A text
file's first rows are looked at before its data is read: a survey platform's export carries
two or three header rows (see ``platforms.csv_header``).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import struct
from pathlib import Path
from typing import Any

import polars as pl

from heetui.errors import SourceError
from heetui.importers.formats import format_list, input_format
from heetui.importers.table import MRSet, Progress, Table, Value

SAV_CHUNK = 200_000
# cells that mean "no answer" in a text file: empty, R's write.csv default, Excel's #N/A,
# pandas' NaN; never an answer category
NA_VALUES = ["", "NA", "N/A", "n/a", "NaN", "nan", "#N/A", "NULL"]

__all__ = ["MRSet", "NA_VALUES", "Progress", "SourceError", "Table", "read_source"]


def read_source(path: Path, progress: Progress | None = None) -> Table:
    if not path.exists():
        raise SourceError(f"{path} does not exist.")
    if not path.is_file():
        raise SourceError(f"{path} is not a file.")
    suffix = path.suffix.lower()
    fmt = input_format(path)
    if fmt is None:
        raise SourceError(f"{path.name}: heetui imports {format_list('and')} "
                          f"files, not {suffix or 'files without an extension'}.")
    try:
        table = fmt.read(path, progress)
    except SourceError:
        raise
    except PermissionError:
        raise SourceError(f"{path} cannot be read (permission denied).") from None
    except Exception as e:  # the readers raise many types for corrupt files
        first = (str(e).strip().splitlines() or [type(e).__name__])[0][:160]
        raise SourceError(f"{path.name} could not be read as {suffix[1:]}: {first}") from None
    if table.frame.width == 0:
        raise SourceError(f"{path.name} has no columns.")
    if table.frame.height == 0:
        raise SourceError(f"{path.name} has a header but no rows of data.")
    # a title from a file name that is not UTF-8: its odd bytes shown as U+FFFD
    table.title = table.title.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return table


def _missing_ranges(meta: Any) -> dict[str, list[tuple[Value, Value]]]:
    """SPSS user-missing values as (low, high) ranges; a discrete value is (v, v)."""
    out: dict[str, list[tuple[Value, Value]]] = {}
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        spans: list[tuple[Value, Value]] = []
        for r in ranges or ():
            lo, hi = r.get("lo"), r.get("hi")
            if lo is None or hi is None:
                continue
            if isinstance(lo, str) or isinstance(hi, str):
                spans.append((str(lo).rstrip(), str(hi).rstrip()))
            else:
                spans.append((float(lo), float(hi)))
        if spans:
            out[col] = spans
    return out


# SPSS date formats pyreadstat leaves as numbers (seconds since 1582) unless told: as dates
SPSS_DATE_FORMATS = ("QYR", "MOYR", "WKYR")
SPSS_DATE_SECONDS = 10**9  # an SPSS date's seconds: 1614 or later, never a month's number
SPSS_NAMED_FORMATS = {
    "MONTH": ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
    "WKDAY": ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"),
}


def read_sav(path: Path, progress: Progress | None = None) -> Table:
    """SPSS: read with its user-missing values kept (``user_missing=True``), so that the
    import can count them and record their labels before it makes them missing."""
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, output_format="polars")
    total = int(meta.number_rows or 0)
    parts = []
    offset = 0
    while True:
        frame, meta = pyreadstat.read_sav(str(path), output_format="polars",
                                          row_limit=SAV_CHUNK, row_offset=offset,
                                          user_missing=True,
                                          extra_date_formats=list(SPSS_DATE_FORMATS))
        parts.append(frame)
        offset += frame.height
        if progress:
            progress("reading", offset, max(total, offset))
        if frame.height < SAV_CHUNK:
            break
    frame = pl.concat(parts) if len(parts) > 1 else parts[0]
    sets = []
    for name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        counted = spec.get("counted_value")
        sets.append(MRSet(name=name, label=spec.get("label") or name,
                          kind="D" if spec.get("is_dichotomy") else "C",
                          variables=tuple(spec.get("variable_list") or ()),
                          counted_value=None if counted is None else float(counted),
                          counted_base=bool(spec.get("is_dichotomy"))))
    labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    table = Table(frame, "sav", meta.file_label or path.stem, labels,
                  _value_labels(meta), sets, _missing_ranges(meta))
    table.weight = _column_named(dictionary_weight(path), frame.columns)
    _name_months_and_days(table, meta)
    return table


SAV_HEADER = 176  # bytes of a .sav file's header record


def dictionary_weight(path: Path) -> str | None:
    """The weight variable a .sav file's dictionary names (SPSS ``WEIGHT BY`` saved with
    the file), or None. pyreadstat does not report it, so the dictionary is read here: the
    header's weight index (a 1-based position among the variable records, a long string
    counting one record per 8 bytes) gives the variable's short name, and the long
    names record (type 7, subtype 13) its full name."""
    with path.open("rb") as f:
        head = f.read(SAV_HEADER)
        if len(head) < SAV_HEADER or head[:4] not in (b"$FL2", b"$FL3"):
            return None
        order = "<" if struct.unpack("<i", head[64:68])[0] in (2, 3) else ">"
        index = struct.unpack(order + "i", head[76:80])[0]
        if index <= 0:
            return None
        try:
            short, longs = _dictionary_names(f, order, index)
        except (SourceError, struct.error, OSError):  # pyreadstat reads it or says why
            return None
    if short is None:
        return None
    return longs.get(short.upper(), short)


def _dictionary_names(f: Any, order: str, index: int) -> tuple[str | None, dict[str, str]]:
    """Walk the dictionary records: the short name of the ``index``-th variable record and
    the long names by short name."""
    def ints(n: int) -> tuple[int, ...]:
        data = f.read(4 * n)
        if len(data) < 4 * n:
            raise SourceError("the file's dictionary ends early")
        return struct.unpack(f"{order}{n}i", data)

    short: str | None = None
    longs: dict[str, str] = {}
    seen = 0
    while True:
        (kind,) = ints(1)
        if kind == 2:  # a variable: type, label?, missing values, formats, name
            _, has_label, n_missing, _, _ = ints(5)
            name = f.read(8).decode("latin-1").strip()
            seen += 1
            if seen == index:  # a long string's continuation record has no name
                short = name or None
            if has_label:
                f.seek((ints(1)[0] + 3) // 4 * 4, 1)
            f.seek(abs(n_missing) * 8, 1)
        elif kind == 3:  # value labels: value, length byte, label padded to 8
            for _ in range(ints(1)[0]):
                size = f.read(9)[8:]
                if not size:
                    raise SourceError("the file's dictionary ends early")
                f.seek((size[0] + 8) // 8 * 8 - 1, 1)  # 1 + length rounded up to 8
        elif kind == 4:
            f.seek(4 * ints(1)[0], 1)
        elif kind == 6:
            f.seek(80 * ints(1)[0], 1)
        elif kind == 7:
            subtype, size, count = ints(3)
            data = f.read(size * count)
            if subtype == 13:  # SHORT=Long pairs separated by tabs
                for part in data.decode("utf-8", "replace").split("\t"):
                    key, _, long = part.partition("=")
                    if long:
                        longs[key.strip().upper()] = long.strip()
        else:  # 999: the end of the dictionary (or a record this reader does not know)
            return short, longs


def _column_named(name: str | None, columns: list[str]) -> str:
    """The frame's column of a dictionary name (a short name may differ in case)."""
    if name is None:
        return ""
    if name in columns:
        return name
    return next((c for c in columns if c.upper() == name.upper()), "")


def _name_months_and_days(table: Table, meta: Any) -> None:
    """SPSS shows MONTH-formatted numbers 1–12 as January…December and WKDAY 1–7 as
    Sunday…Saturday: they get those value labels (a label the file gives a code wins;
    other codes, such as a missing 99, stay as they are). A column of such a format that
    holds SPSS date values (seconds since 1582) instead is a date, left out as dates are."""
    formats = getattr(meta, "original_variable_types", None) or {}
    for col, fmt in formats.items():
        names = next((n for f, n in SPSS_NAMED_FORMATS.items() if fmt.startswith(f)), None)
        if names is None or col not in table.frame.columns:
            continue
        values = table.frame[col].drop_nulls()
        if values.dtype.is_numeric() and values.len() and values.min() > SPSS_DATE_SECONDS:
            table.drop.add(col)
            continue
        labels = table.value_labels.setdefault(col, {})
        for i, name in enumerate(names, start=1):
            labels.setdefault(float(i), name)


def _value_labels(meta: Any) -> dict[str, dict[Value, str]]:
    """Value labels keyed by float (numbers) or text (strings, Stata's ``.a`` missing)."""
    out: dict[str, dict[Value, str]] = {}
    for col, labels in (meta.variable_value_labels or {}).items():
        out[col] = {(k.rstrip() if isinstance(k, str) else float(k)): str(v)
                    for k, v in labels.items()}
    return out


def read_dta(path: Path, progress: Progress | None = None) -> Table:
    """Stata: its extended missing values (.a … .z) arrive as null; their value labels are
    kept (keyed ``"a"`` … ``"z"``) and recorded as reasons."""
    import pyreadstat

    if progress:
        progress("reading", 0, 1)
    frame, meta = pyreadstat.read_dta(str(path), output_format="polars")
    if progress:
        progress("reading", 1, 1)
    labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    return Table(frame, "dta", meta.file_label or path.stem, labels, _value_labels(meta))


DELIMITERS = ",;\t|"


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the header's number of fields most
    often (then into the most fields): Python's sniffer's where it does as well as any, as
    it does for most files (a semicolon file whose quoted comments hold commas and
    semicolons makes it answer a comma, or give up)."""
    lines = sample.splitlines(keepends=True)[:-1] or [sample]  # the last may be cut off
    head = "".join(lines[:200])

    def fit(sep: str) -> tuple[float, int]:
        rows = list(csv.reader(io.StringIO(head), delimiter=sep))
        if not rows or len(rows[0]) < 2:
            return (0.0, 0)
        return (sum(len(r) == len(rows[0]) for r in rows) / len(rows), len(rows[0]))

    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    fits = {sep: fit(sep) for sep in DELIMITERS}  # each delimiter's lines read once
    best = max(DELIMITERS, key=fits.__getitem__)
    return sniffed if fits[sniffed] >= fits[best] else best


def _encoding(head: bytes) -> str:
    """The text encoding of a file from its first bytes: a byte-order mark says UTF-8 or
    UTF-16 (little or big end); UTF-16 without one shows as a NUL in every other byte;
    else UTF-8 when the bytes decode as it, Windows-1252 (Excel's "CSV" on Windows, whose
    curly quote is byte 0x92) when they decode as that, and Latin-1 (which decodes any
    bytes) last."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and \
            not head.startswith(codecs.BOM_UTF32_LE):
        return "utf-16"
    pairs = head[:4096]
    if len(pairs) >= 4 and pairs.count(0) * 3 > len(pairs):  # ASCII text in two-byte units
        return "utf-16-le" if pairs[1::2].count(0) > pairs[0::2].count(0) else "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _as_utf8(data: bytes, enc: str) -> bytes:
    """A text file's bytes as UTF-8 with line ends polars reads: decoded by ``enc`` (a
    Windows-1252 guess that a later byte contradicts falls back to Latin-1), without a
    byte-order mark, and with old Mac line ends (CR alone) made LF."""
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        text = data.decode("latin-1" if enc == "cp1252" else enc, errors="replace")
    text = text.removeprefix("\ufeff")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    return text.encode("utf-8")


def _plain(head: bytes, enc: str) -> bool:
    """Whether polars can read the file as it is: UTF-8 with LF or CRLF line ends."""
    return enc == "utf-8" and not (b"\r" in head and b"\n" not in head)


def _head_records(sample: str, sep: str, n: int = 3) -> list[list[str]]:
    """The first ``n`` records of a text file (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(sample.lstrip("\ufeff")), delimiter=sep)
    out: list[list[str]] = []
    try:
        for row in reader:
            out.append([c.strip() for c in row])
            if len(out) == n:
                break
    except csv.Error:
        pass
    return out


def read_csv(path: Path, progress: Progress | None = None) -> Table:
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name} is empty.")
    with path.open("rb") as f:
        head = f.read(1 << 20)
    table = _read_text(_readable(path), head, path, "csv", progress)
    return table


def _read_text(source: Path | bytes, head: bytes, path: Path, kind: str,
               progress: Progress | None) -> Table:
    from heetui.importers.platforms import csv_header

    enc = _encoding(head)
    if not _plain(head, enc):  # another encoding or line end: read as UTF-8 made in memory
        data = Path(path).read_bytes() if isinstance(source, Path) else source
        source = _as_utf8(data, enc)
        head = source[: 1 << 20]
    sample = head.decode("utf-8", errors="replace")
    sep = _sniff_delimiter(sample[:65536])
    records = _head_records(sample, sep)
    header = csv_header(records)
    options: dict[str, Any] = {"separator": sep, "infer_schema_length": 10_000,
                               "truncate_ragged_lines": True, "null_values": NA_VALUES,
                               "encoding": "utf8-lossy"}
    if header.names is not None:
        options.update(has_header=False, skip_rows=header.rows, new_columns=header.names)
    if isinstance(source, Path):
        options.update(glob=False, encoding="utf8")
    frame = _load_csv(source, progress, **options)
    if header.names is None:
        frame = frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})
    if header.names is not None and frame.width > len(header.names):
        frame = frame.select(header.names)
    return Table(frame, kind, path.stem, dict(header.labels), head=records[:header.rows],
                 platform=header.platform)


INT_TYPES = ((pl.UInt8, 0, 2**8 - 1), (pl.Int8, -2**7, 2**7 - 1),
             (pl.UInt16, 0, 2**16 - 1), (pl.Int16, -2**15, 2**15 - 1),
             (pl.UInt32, 0, 2**32 - 1), (pl.Int32, -2**31, 2**31 - 1),
             (pl.UInt64, 0, 2**64 - 1), (pl.Int64, -2**63, 2**63 - 1))


def _smallest(lo: int, hi: int) -> type[pl.DataType]:
    return next((t for t, a, b in INT_TYPES if a <= lo and hi <= b), pl.Int64)


def _load_csv(source: Path | bytes, progress: Progress | None, **options: Any
              ) -> pl.DataFrame:
    """Read a CSV with each integer column in the smallest type that holds it: a first
    streaming pass finds each integer column's range, the second reads the columns already
    narrowed (a million rows of 50 answer columns then peak at about half the memory of
    reading them as 64-bit integers and narrowing afterwards)."""
    if progress:
        progress("reading", 0, 2)
    lf = pl.scan_csv(source, **options)
    schema = lf.collect_schema()
    ints = [c for c, d in schema.items() if d.is_integer()]
    casts = []
    if ints:
        bounds = lf.select([e for c in ints for e in (pl.col(c).min().alias(f"lo:{c}"),
                                                      pl.col(c).max().alias(f"hi:{c}"))]) \
            .collect(engine="streaming").row(0, named=True)
        casts = [pl.col(c).cast(_smallest(bounds[f"lo:{c}"], bounds[f"hi:{c}"]))
                 for c in ints if bounds[f"lo:{c}"] is not None]
    if progress:
        progress("reading", 1, 2)
    frame = lf.with_columns(casts).collect(engine="streaming")
    if progress:
        progress("reading", 2, 2)
    return frame


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat()
    return str(v)


# rows × columns of a sheet's used range (found from its cells, not the range it declares)
MAX_XLSX_CELLS = 20_000_000


def read_xlsx(path: Path, progress: Progress | None = None) -> Table:
    """Excel: the first worksheet, read as the CSV it would save as, so that every rule for
    text files (missing cells, platform header rows) applies alike."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows, width = _used_range(path, wb.worksheets[0], progress)
    finally:
        wb.close()
    if not width:
        raise SourceError(f"{path.name} is empty.")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for cells in rows:
        writer.writerow(cells + [""] * (width - len(cells)))
    data = buf.getvalue().encode("utf-8")
    return _read_text(data, data[: 1 << 20], path, "xlsx", progress)


def _used_range(path: Path, ws: Any, progress: Progress | None) -> tuple[list[list[str]], int]:
    """The sheet's rows as text, each without its trailing empty cells, and the width of the
    widest. The range a sheet declares (``A1:XFD1048576`` around one cell) is ignored: only
    the rows and cells the file holds are read, and a used range beyond MAX_XLSX_CELLS is
    refused as soon as it is seen."""
    total = ws.max_row or 0  # declared: only a guess for the progress bar
    ws.reset_dimensions()
    rows: list[list[str]] = []
    width = used = 0
    for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            width, used = max(width, len(cells)), i
            if used * width > MAX_XLSX_CELLS:
                raise SourceError(f"{path.name}: the first sheet's cells span at least "
                                  f"{used:,} rows by {width:,} columns, more than the "
                                  f"{MAX_XLSX_CELLS:,} cells heetui reads; delete the cells "
                                  "beyond the survey's data.")
        rows.append(cells)
        if progress and i % 10_000 == 0:
            progress("reading", i, max(total, i))
    return rows[:used], width


def _readable(path: Path) -> Path | bytes:
    """What polars can open: the path, or the file's bytes when its name is not UTF-8
    (polars takes only UTF-8 paths)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return path.read_bytes()
    return path


def read_parquet(path: Path, progress: Progress | None = None) -> Table:
    frame = pl.read_parquet(_readable(path), glob=False)
    if progress:
        progress("reading", 1, 1)
    return Table(frame, "parquet", path.stem)
