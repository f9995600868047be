"""`heetui demo`: deterministic, exact at 602, proportional when scaled."""

from __future__ import annotations

import polars as pl
import pytest

from heetui.demo.build import build
from heetui.demo.generate import pick, scaled
from heetui.survey.bundle import bundled_survey_path, load_bundle


def test_regenerating_gives_byte_identical_bundle(tmp_path):
    out = build(tmp_path / "copy", 602)
    for name in ("codebook.toml", "respondents.parquet", "verbatims.parquet"):
        assert (out / name).read_bytes() == (bundled_survey_path() / name).read_bytes(), name


def test_other_seed_differs_but_keeps_bases(tmp_path):
    out = build(tmp_path / "s7", 602, seed=7)
    a = pl.read_parquet(out / "respondents.parquet")
    b = pl.read_parquet(bundled_survey_path() / "respondents.parquet")
    assert not a.equals(b)
    assert dict(a.group_by("stakeholder_type").len().iter_rows()) == {1: 76, 2: 399, 3: 127}
    assert [a[f"region_{i}"].sum() for i in range(1, 9)] == [75, 122, 68, 99, 70, 157, 71, 106]


def test_scaled_copy_keeps_proportions(tmp_path):
    out = build(tmp_path / "big", 20_000, verbatim_share=0.1)
    bundle = load_bundle(out)
    assert "scaled copy" in bundle.codebook.survey["provenance"]
    df = pl.read_parquet(out / "respondents.parquet")
    assert df.height == 20_000 and df["respondent_id"].n_unique() == 20_000
    share = dict(df.group_by("stakeholder_type").len().iter_rows())
    assert share[2] / 20_000 == pytest.approx(399 / 602, abs=0.001)
    assert df["region_6"].mean() == pytest.approx(157 / 602, abs=0.002)
    assert df["weight"].std() > 0.3
    comments = pl.read_parquet(out / "verbatims.parquet").filter(pl.col("source") == "survey")
    assert comments.height == pytest.approx(20_000 * 0.1 * 2, rel=0.1)


def test_refuses_to_overwrite(tmp_path):
    (tmp_path / "exists").mkdir()
    with pytest.raises(FileExistsError):
        build(tmp_path / "exists", 10)


def test_scaled_sums_exactly():
    assert scaled([76, 399, 127], 602, total=602) == [76, 399, 127]
    assert sum(scaled([75, 122, 68], 1000, total=1000)) == 1000


def test_pick_is_exact_and_respects_zero_weights():
    import numpy as np

    rng = np.random.default_rng(1)
    w = np.array([0, 1, 1, 0, 5, 1.0])
    chosen = pick(rng, 3, w)
    assert len(set(chosen.tolist())) == 3 and not {0, 3} & set(chosen.tolist())
