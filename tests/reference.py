"""An independent reference for the engine's numbers, written from the bundle's files.

It reads the codebook TOML with tomllib and the respondents Parquet with polars, never the
engine's parsed codebook or helpers, and computes every test per respondent in numpy:
each respondent's membership of the two columns compared (0/1) enters the variance
directly, so overlaps, nesting and weights need no separate bookkeeping.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
from scipy import stats as sps


@dataclass
class Bundle:
    cb: dict
    df: pl.DataFrame
    folder: Path

    @classmethod
    def read(cls, folder: Path) -> Bundle:
        cb = tomllib.loads((folder / "codebook.toml").read_text(encoding="utf-8"))
        files = sorted(folder.glob("respondents*.parquet")) or sorted(
            (folder / "respondents").glob("*.parquet"))
        return cls(cb, pl.concat([pl.read_parquet(f) for f in files], how="vertical"), folder)

    def var(self, vid: str) -> dict:
        return next(v for v in self.cb.get("questions", []) + self.cb.get("segments", [])
                    if v["id"] == vid)

    def weights(self, weighted: bool) -> np.ndarray:
        if not weighted:
            return np.ones(self.df.height)
        return self.df[self.cb["survey"]["weight"]].to_numpy().astype(float)

    def _col(self, name: str) -> np.ndarray:
        return self.df[name].to_numpy().astype(float)  # nulls become nan

    def _comments(self, vid: str) -> pl.DataFrame:
        """An open-ended question's comments with words, by respondent (the bundle's
        verbatims.parquet read as it is: themes as stored)."""
        path = self.folder / "verbatims.parquet"
        return pl.read_parquet(path).filter(
            (pl.col("question") == vid) & pl.col("respondent_id").is_not_null()
            & (pl.col("text").str.strip_chars() != ""))

    def _commented(self, vid: str, codes: list[int] | None) -> np.ndarray:
        """Per respondent: left a comment on ``vid`` (carrying any of ``codes``)."""
        said = self._comments(vid)
        if codes is not None:
            said = said.filter(pl.col("themes").list.eval(
                pl.element().is_in(codes)).list.any())
        ids = self.df[self.cb["survey"].get("id_column", "respondent_id")]
        return ids.is_in(said["respondent_id"].unique().implode()).to_numpy()

    def answered(self, vid: str) -> np.ndarray:
        """In the question's base: eligible, and answered (a multi-response question: at
        least one option column holds a value; an open-ended one: a comment with words)."""
        v = self.var(vid)
        if v["type"] == "open":
            return self._commented(vid, None)
        if v["type"] == "multi":
            cols = np.column_stack([self._col(f"{vid}_{o['code']}") for o in v["options"]])
            ok = ~np.isnan(cols).all(axis=1)
        else:
            ok = ~np.isnan(self._col(vid))
        if "eligible" in v:
            e = v["eligible"]
            ok &= np.isin(self._col(e["variable"]), e["codes"])
        return ok

    def option(self, vid: str, codes: list[int]) -> np.ndarray:
        """0/1 per respondent: chose any of ``codes`` (nulls count as not chosen)."""
        v = self.var(vid)
        if v["type"] == "open":  # by the themes its comments carry
            return self._commented(vid, codes)
        if v["type"] == "multi":
            hit = np.zeros(self.df.height, dtype=bool)
            for c in codes:
                hit |= self._col(f"{vid}_{c}") == 1
            return hit
        return np.isin(self._col(vid), codes)

    def columns(self, vid: str) -> list[np.ndarray]:
        """Membership of each banner column of segment ``vid``, in codebook order."""
        return [self.option(vid, [o["code"]]) for o in self.var(vid)["options"]]

    def rows(self, vid: str) -> list[tuple[str, list[int]]]:
        """(label, codes) of every category and net row."""
        v = self.var(vid)
        if v["type"] == "open":
            return [(t["label"], [t["code"]]) for t in self.cb.get("themes", [])]
        return ([(o["label"], [o["code"]]) for o in v["options"]]
                + [(n["label"], n["codes"]) for n in v.get("nets", [])])

    def values(self, vid: str) -> tuple[np.ndarray, np.ndarray]:
        """(value, has a value) per respondent for the question's mean score."""
        vals = {o["code"]: o["value"] for o in self.var(vid)["options"] if "value" in o}
        x = self._col(vid)
        has = np.isin(x, list(vals))
        return np.array([vals.get(int(c), 0.0) if h else 0.0 for c, h in zip(x, has,
                                                                            strict=True)]), has

    def score(self, vid: str, sid: str) -> np.ndarray:
        s = next(s for s in self.var(vid)["scores"] if s["id"] == sid)
        x = self._col(vid)
        return 100.0 * (np.isin(x, s["plus"]).astype(float) - np.isin(x, s["minus"]))


def prop_z(w: np.ndarray, a: np.ndarray, b: np.ndarray, y: np.ndarray) -> float | None:
    """z for the difference in the share of ``y`` between columns ``a`` and ``b``
    (boolean memberships, possibly overlapping): linearised variance per respondent,
    proportion pooled over the effective bases; None when it cannot be tested."""
    a, b, y = a.astype(float), b.astype(float), y.astype(float)
    w1, w2 = (w * a).sum(), (w * b).sum()
    if w1 <= 0 or w2 <= 0:
        return None
    p1, p2 = (w * a * y).sum() / w1, (w * b * y).sum() / w2
    e1, e2 = w1 ** 2 / (w * w * a).sum(), w2 ** 2 / (w * w * b).sum()
    pbar = (e1 * p1 + e2 * p2) / (e1 + e2)
    factor = (w * w * (a / w1 - b / w2) ** 2).sum()
    var = pbar * (1 - pbar) * factor
    if var <= 1e-14 * factor or factor <= 1e-12 * (1 / e1 + 1 / e2):
        return None
    return (p1 - p2) / math.sqrt(var)


def mean_z(w: np.ndarray, a: np.ndarray, b: np.ndarray, x: np.ndarray) -> float | None:
    """z for the difference of two weighted means over columns ``a`` and ``b``: each
    respondent's residual from its column's mean, scaled by √(n/(n−1)) of the column."""
    a, b = a.astype(float), b.astype(float)
    n1, n2 = a.sum(), b.sum()
    if n1 < 2 or n2 < 2:
        return None
    w1, w2 = (w * a).sum(), (w * b).sum()
    m1, m2 = (w * a * x).sum() / w1, (w * b * x).sum() / w2
    c1, c2 = math.sqrt(n1 / (n1 - 1)), math.sqrt(n2 / (n2 - 1))
    u = w * (a * c1 * (x - m1) / w1 - b * c2 * (x - m2) / w2)
    var = (u * u).sum()
    if var <= 1e-14:
        return None
    return (m1 - m2) / math.sqrt(var)


def p_two_sided(z: float) -> float:
    return float(2 * sps.norm.sf(abs(z)))


# ---- banners of spans (side by side, nested), read from the codebook file ---------------

@dataclass
class BannerColumn:
    span: str            # the span as written: "seniority", or "region/seniority" (nested)
    labels: tuple        # (option label,) or, nested, (outer label, inner label)
    members: np.ndarray  # bool per respondent, before the table's base is applied
    outer: int | None = None  # nested: the outer option's code


def expand_banner(bundle: Bundle, by: list[str]) -> list[str]:
    """The spans of ``--by`` values: commas and repeats side by side; a name from the
    codebook's ``[[banners]]`` stands for its spans."""
    spans: list[str] = []
    for part in (p.strip() for b in by for p in b.split(",")):
        named = next((b for b in bundle.cb.get("banners", []) if b["id"] == part), None)
        spans.extend(named["spans"] if named else [part])
    return spans


def span_columns(bundle: Bundle, span: str) -> list[BannerColumn]:
    """A span's columns in codebook order; ``a/b`` is a within b: for each option of the
    outer b, each option of the inner a."""
    if "/" in span:
        inner, outer = span.split("/")
        return [BannerColumn(span, (o["label"], i["label"]),
                             bundle.option(outer, [o["code"]]) & bundle.option(inner,
                                                                                [i["code"]]),
                             o["code"])
                for o in bundle.var(outer)["options"] for i in bundle.var(inner)["options"]]
    return [BannerColumn(span, (o["label"],), bundle.option(span, [o["code"]]))
            for o in bundle.var(span)["options"]]


def filter_mask(bundle: Bundle, text: str) -> np.ndarray:
    """``VAR=V1,V2``: respondents with any of the values (codes or labels, any case)."""
    vid, _, values = text.partition("=")
    opts = bundle.var(vid)["options"]
    codes = []
    for v in (v.strip() for v in values.split(",")):
        codes.append(int(v) if v.isdigit() else
                     next(o["code"] for o in opts if o["label"].casefold() == v.casefold()))
    return bundle.option(vid, codes)


def bases(w: np.ndarray, m: np.ndarray) -> tuple[int, float, float]:
    """(respondents, Σw, Kish effective base (Σw)²/Σw²) of membership ``m``."""
    sw, sw2 = w[m].sum(), (w[m] ** 2).sum()
    return int(m.sum()), float(sw), float(sw * sw / sw2) if sw2 > 0 else 0.0


def mean_se(w: np.ndarray, m: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Weighted mean of ``x`` over ``m`` and its SE (linearised, scaled by √(n/(n−1)), as
    statsmodels' WLS with HC1 gives for an intercept)."""
    ww, xx = w[m], x[m]
    sw = ww.sum()
    mean = (ww * xx).sum() / sw
    n = len(ww)
    se = math.sqrt(n / (n - 1) * ((ww * (xx - mean)) ** 2).sum()) / sw if n > 1 else math.nan
    return float(mean), se


def adjust(p: list[float], method: str) -> list[float]:
    """Multiplicity-adjusted p-values of one family (statsmodels' multipletests)."""
    if method == "none" or not p:
        return list(p)
    from statsmodels.stats.multitest import multipletests

    adjusted = multipletests(p, method={"bonferroni": "bonferroni", "bh": "fdr_bh"}[method])[1]
    return [float(a) for a in adjusted]
