"""Grouped reports (issue 4, first part): every group's figures equal the single-sample functions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(data_path())


def _same(row, e):
    for field in ("value", "lower", "upper", "std_error", "effective_n"):
        assert row[field] == pytest.approx(getattr(e, field), rel=1e-12, abs=1e-12), field
    assert row["n"] == e.n and row["n_missing"] == e.n_missing


def test_each_group_equals_the_single_sample_functions(demo):
    out = cx.summarize(demo, by="touchpoint", nps="nps", csat="csat", ces="ces", mean={"column": "csat"})
    assert list(out.columns[:2]) == ["touchpoint", "indicator"]
    assert set(out["indicator"]) == {"nps", "csat", "ces", "mean"}
    functions = {"nps": cx.nps, "csat": cx.csat, "ces": cx.ces, "mean": cx.mean_score}
    columns = {"nps": "nps", "csat": "csat", "ces": "ces", "mean": "csat"}
    for _, row in out.iterrows():
        fn, col = functions[row["indicator"]], columns[row["indicator"]]
        if row["touchpoint"] is None or (isinstance(row["touchpoint"], float) and math.isnan(row["touchpoint"])):
            _same(row, fn(demo[col]))
            assert math.isnan(row["difference"])
            continue
        group = demo["touchpoint"] == row["touchpoint"]
        try:
            e = fn(demo.loc[group, col])
        except cx.EmptyDataError:  # e.g. CES is not asked on social media: NaN row, answers counted
            assert math.isnan(row["value"]) and row["n"] == 0 and row["n_missing"] == group.sum()
            continue
        _same(row, e)
        # versus the rest of the data, the family's default comparison
        rest = demo.loc[~group, col]
        c = cx.compare(e, fn(rest))
        assert row["difference"] == pytest.approx(c.difference, rel=1e-12)
        assert row["p_value"] == pytest.approx(c.p_value, rel=1e-12)
        assert row["small_sample"] == (e.n < 30)
    # Holm over the groups of each indicator
    nps_rows = out[(out["indicator"] == "nps") & out["p_value"].notna()]
    assert np.allclose(nps_rows["p_adjusted"], cx.adjust_pvalues(nps_rows["p_value"].to_numpy(), method="holm"))


def test_polars_gives_polars_with_the_same_numbers(demo):
    pd_out = cx.summarize(demo, by=["channel", "segment"], nps="nps", csat="csat", weights="weight")
    pl_out = cx.summarize(pl.read_csv(data_path()), by=["channel", "segment"], nps="nps", csat="csat", weights="weight")
    assert isinstance(pl_out, pl.DataFrame)
    assert pl_out.columns == list(pd_out.columns)
    converted = pl_out.to_pandas()
    for col in ("value", "lower", "upper", "difference", "p_value", "p_adjusted"):
        np.testing.assert_allclose(converted[col].to_numpy(float), pd_out[col].to_numpy(float), rtol=1e-12)
    # weighted NPS uses wald; a method without a weighted form raises instead of giving NaN
    row = pd_out[(pd_out["channel"] == "web") & (pd_out["segment"] == "new") & (pd_out["indicator"] == "nps")].iloc[0]
    sub = demo[(demo["channel"] == "web") & (demo["segment"] == "new")]
    _same(row, cx.nps(sub["nps"], weights=sub["weight"], method="wald"))
    with pytest.raises(cx.UnsupportedMethodError):
        cx.summarize(demo, by="channel", nps={"column": "nps", "method": "score"}, weights="weight")


def test_missing_group_keys_are_their_own_group():
    df = pd.DataFrame({"g": ["a", None, "a", None, "b"], "ltr": [10, 0, 9, 3, 7]})
    out = cx.summarize(df, by="g", nps={"column": "ltr", "method": "wald"}, min_n=1)
    assert out["n"].tolist() == [5, 2, 1, 2]
    assert out["value"].tolist()[1:] == [100.0, 0.0, -100.0]
    assert out["g"].iloc[3] is None or pd.isna(out["g"].iloc[3])


def test_groups_without_usable_answers_get_nan_and_errors_are_clear():
    df = pd.DataFrame({"g": ["a", "a", "b"], "ltr": [10, 9, np.nan], "sat": [5, 11, 3]})
    out = cx.summarize(df, by="g", nps="ltr", min_n=1)
    b = out[out["g"] == "b"].iloc[0]
    assert math.isnan(b["value"]) and b["n"] == 0 and b["n_missing"] == 1
    with pytest.raises(cx.InvalidScoreError, match="score 11 at position 1"):
        cx.summarize(df, by="g", csat="sat")
    with pytest.raises(cx.InvalidInputError, match="not in the data"):
        cx.summarize(df, by="nope", nps="ltr")
    with pytest.raises(cx.InvalidInputError, match="at least one"):
        cx.summarize(df, by="g")
    with pytest.raises(cx.InvalidInputError, match="data frame"):
        cx.summarize({"ltr": [1]}, nps="ltr")


def test_without_by_gives_the_overall_rows(demo):
    out = cx.summarize(demo, nps="nps", ces={"column": "ces", "scale": (1, 7), "top": 2, "method": "jeffreys"})
    assert out["indicator"].tolist() == ["nps", "ces"]
    _same(out.iloc[0], cx.nps(demo["nps"]))
    _same(out.iloc[1], cx.ces(demo["ces"], top=2, method="jeffreys"))


def test_integer_keys_take_the_fast_path_with_the_same_result():
    rng = np.random.default_rng(7)
    keys = rng.integers(-3, 40, 5000)
    ltr = rng.integers(0, 11, 5000)
    as_int = pd.DataFrame({"k": keys, "ltr": ltr})
    as_text = pd.DataFrame({"k": pd.Series(keys).map(lambda v: f"{v + 100:04d}"), "ltr": ltr})
    a = cx.summarize(as_int, by="k", nps="ltr")
    b = cx.summarize(as_text, by="k", nps="ltr")
    assert a["k"].iloc[1:].tolist() == sorted(set(keys.tolist()))
    for col in ("value", "lower", "upper", "n", "difference", "p_adjusted"):
        np.testing.assert_array_equal(a[col].to_numpy(), b[col].to_numpy())
    p = cx.summarize(pl.DataFrame({"k": keys, "ltr": ltr}), by="k", nps="ltr")
    np.testing.assert_array_equal(p["value"].to_numpy(), a["value"].to_numpy())
    assert p["k"].to_list()[1:] == a["k"].tolist()[1:]


def test_polars_string_keys_factorized_in_rust_equal_pandas():
    # Single string keys without nulls go through the Rust factorizer over the Arrow buffers: the
    # groups (byte order, which is code point order), and every figure, equal the pandas result.
    rng = np.random.default_rng(5)
    names = np.array(["web", "", "tienda", "App", "app", "ñu", "zoo", "web 2", "Ärger", "we"], dtype=object)
    n = 300_000
    frame = pd.DataFrame(
        {"tp": names[rng.integers(0, names.size, size=n)], "ltr": rng.integers(0, 11, size=n)}
    )
    want = cx.summarize(frame, by="tp", nps="ltr")
    chunked = pl.concat([pl.from_pandas(frame.iloc[: n // 3]), pl.from_pandas(frame.iloc[n // 3 :])], rechunk=False)
    assert chunked["tp"].n_chunks() == 2
    for data in (pl.from_pandas(frame), chunked):
        from cxmetrics import _report

        assert _report._string_codes(data["tp"]) is not None  # the Rust path is taken
        got = cx.summarize(data, by="tp", nps="ltr").to_pandas()
        assert got["tp"].tolist() == want["tp"].tolist()
        np.testing.assert_allclose(got["value"].to_numpy(float), want["value"].to_numpy(float), rtol=0, atol=1e-12)
        assert got["n"].tolist() == want["n"].tolist()
    # A slice (an Arrow offset that is not zero).
    part = pl.from_pandas(frame).slice(1234, 50_000)
    got = cx.summarize(part, by="tp", nps="ltr").to_pandas()
    want = cx.summarize(frame.iloc[1234 : 1234 + 50_000], by="tp", nps="ltr")
    assert got["tp"].tolist() == want["tp"].tolist()
    assert got["n"].tolist() == want["n"].tolist()
