"""Every supported input container gives the same result; missing values are omitted and counted."""

from __future__ import annotations

import numpy as np
import pytest

import cxmetrics as cx

NPS_SCORES = [10, 9, 0, 7, 8, 3, 10, 6, 9, 10, 2, 8, 5, 9]
FIVE_POINT = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4, 2, 3]
INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float32", "float64"]
ALL_DTYPES = INT_DTYPES + FLOAT_DTYPES


def _numbers(e: cx.Estimate) -> tuple:
    return (e.value, e.lower, e.upper, e.std_error, e.n, e.effective_n, e.n_missing)


@pytest.fixture(scope="module")
def ref_nps():
    return cx.nps(NPS_SCORES)


@pytest.fixture(scope="module")
def ref_top():
    return cx.top_box(FIVE_POINT)


@pytest.fixture(scope="module")
def ref_mean():
    return cx.mean_score(FIVE_POINT)


# --- containers and dtypes -------------------------------------------------------------------------


def test_list_and_tuple_agree(ref_nps, ref_top, ref_mean):
    assert cx.nps(tuple(NPS_SCORES)) == ref_nps
    assert cx.top_box(tuple(FIVE_POINT)) == ref_top
    assert cx.mean_score(tuple(FIVE_POINT)) == ref_mean
    # A list of floats with whole values, and NumPy scalars inside a list.
    assert cx.nps([float(v) for v in NPS_SCORES]) == ref_nps
    assert cx.nps([np.int16(v) for v in NPS_SCORES]) == ref_nps


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_every_numpy_dtype(dtype, ref_nps, ref_top, ref_mean):
    assert cx.nps(np.array(NPS_SCORES, dtype=dtype)) == ref_nps
    assert cx.top_box(np.array(FIVE_POINT, dtype=dtype)) == ref_top
    assert cx.csat(np.array(FIVE_POINT, dtype=dtype)) == cx.csat(FIVE_POINT)
    assert cx.mean_score(np.array(FIVE_POINT, dtype=dtype)) == ref_mean


def test_float16_is_accepted(ref_nps):
    assert cx.nps(np.array(NPS_SCORES, dtype=np.float16)) == ref_nps


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_non_contiguous(dtype, ref_nps):
    doubled = np.repeat(np.array(NPS_SCORES, dtype=dtype), 2)
    view = doubled[::2]
    assert not view.flags["C_CONTIGUOUS"]
    assert cx.nps(view) == ref_nps
    # Reversed view (negative stride) gives the same counts.
    rev = np.array(NPS_SCORES, dtype=dtype)[::-1]
    assert _numbers(cx.nps(rev)) == _numbers(ref_nps)
    # A column of a 2-D array (strided view).
    two_d = np.stack([np.array(NPS_SCORES, dtype=dtype), np.zeros(len(NPS_SCORES), dtype=dtype)], axis=1)
    assert cx.nps(two_d[:, 0]) == ref_nps


@pytest.mark.parametrize("dtype", [">i2", ">i4", ">i8", ">u4", ">f4", ">f8", "<i4", "<f8"])
def test_byte_orders(dtype, ref_nps, ref_mean):
    assert cx.nps(np.array(NPS_SCORES, dtype=dtype)) == ref_nps
    assert cx.mean_score(np.array(FIVE_POINT, dtype=dtype)) == ref_mean


def test_big_endian_weights():
    w = np.linspace(0.5, 2.0, len(NPS_SCORES))
    ref = cx.nps(NPS_SCORES, weights=w, method="wald")
    assert cx.nps(NPS_SCORES, weights=w.astype(">f8"), method="wald") == ref
    assert cx.nps(np.array(NPS_SCORES, dtype=">i4"), weights=w.astype(">f8"), method="wald") == ref
    w32 = w.astype("<f4")
    assert cx.nps(NPS_SCORES, weights=w32.astype(">f4"), method="wald") == cx.nps(NPS_SCORES, weights=w32, method="wald")


@pytest.mark.parametrize("dtype", ["int64", "float64", "uint8"])
def test_read_only_arrays(dtype, ref_nps):
    a = np.array(NPS_SCORES, dtype=dtype)
    a.setflags(write=False)
    assert cx.nps(a) == ref_nps
    w = np.ones(len(NPS_SCORES))
    w.setflags(write=False)
    assert cx.nps(a, weights=w, method="wald").value == pytest.approx(ref_nps.value, rel=1e-12)
    # and the input is left untouched
    assert a.tolist() == NPS_SCORES


def test_input_not_modified():
    a = np.array([10.0, np.nan, 3.0, 7.0])
    before = a.copy()
    cx.nps(a)
    np.testing.assert_array_equal(a, before)


# --- pandas ---------------------------------------------------------------------------------------


def test_pandas_series():
    pd = pytest.importorskip("pandas")
    ref = cx.nps(NPS_SCORES)
    assert cx.nps(pd.Series(NPS_SCORES, dtype="int64")) == ref
    assert cx.nps(pd.Series(NPS_SCORES, dtype="float64")) == ref
    assert cx.nps(pd.Series(NPS_SCORES, dtype="Int64")) == ref
    assert cx.nps(pd.Series(NPS_SCORES, dtype="UInt8")) == ref
    assert cx.nps(pd.Series(NPS_SCORES, dtype="Float64")) == ref
    # A non-default index is ignored (positions, not labels).
    s = pd.Series(NPS_SCORES, index=list(range(100, 100 + len(NPS_SCORES)))[::-1])
    assert cx.nps(s) == ref


def test_pandas_missing_values():
    pd = pytest.importorskip("pandas")
    ref = cx.nps(NPS_SCORES)
    with_nan = pd.Series(NPS_SCORES + [np.nan, np.nan], dtype="float64")
    e = cx.nps(with_nan)
    assert e.n_missing == 2
    assert _numbers(e)[:6] == _numbers(ref)[:6]
    nullable = pd.Series(NPS_SCORES + [pd.NA], dtype="Int64")
    e2 = cx.nps(nullable)
    assert e2.n_missing == 1 and e2.n == ref.n and e2.value == ref.value
    with pytest.raises(cx.MissingValueError, match=f"position {len(NPS_SCORES)}"):
        cx.nps(nullable, nan_policy="raise")
    obj = pd.Series([10, None, 9, pd.NA], dtype="object")
    e3 = cx.nps(obj)
    assert e3.n == 2 and e3.n_missing == 2


def test_pandas_weights():
    pd = pytest.importorskip("pandas")
    w = [1.5, 0.5, 2, 1, 1, 3, 0.25, 1, 2, 1, 0.75, 1, 1, 1]
    ref = cx.nps(NPS_SCORES, weights=w, method="wald")
    assert cx.nps(pd.Series(NPS_SCORES), weights=pd.Series(w), method="wald") == ref
    assert cx.nps(NPS_SCORES, weights=np.array(w), method="wald") == ref
    assert cx.nps(NPS_SCORES, weights=tuple(w), method="wald") == ref
    assert cx.nps(NPS_SCORES, weights=pd.Series(w, dtype="Float64"), method="wald") == ref
    # Integer weights
    wi = [1, 2, 3, 1, 1, 2, 1, 1, 2, 3, 1, 1, 1, 2]
    ref_i = cx.nps(NPS_SCORES, weights=[float(v) for v in wi], method="wald")
    assert cx.nps(NPS_SCORES, weights=wi, method="wald") == ref_i
    assert cx.nps(NPS_SCORES, weights=np.array(wi, dtype=np.int32), method="wald") == ref_i
    assert cx.nps(NPS_SCORES, weights=pd.Series(wi, dtype="Int64"), method="wald") == ref_i


# --- polars ---------------------------------------------------------------------------------------


def test_polars_series():
    pl = pytest.importorskip("polars")
    ref = cx.nps(NPS_SCORES)
    assert cx.nps(pl.Series(NPS_SCORES, dtype=pl.Int64)) == ref
    assert cx.nps(pl.Series(NPS_SCORES, dtype=pl.Float64)) == ref
    assert cx.nps(pl.Series(NPS_SCORES, dtype=pl.UInt8)) == ref
    assert cx.nps(pl.Series(NPS_SCORES, dtype=pl.Int16)) == ref
    assert cx.top_box(pl.Series(FIVE_POINT, dtype=pl.UInt8)) == cx.top_box(FIVE_POINT)
    assert cx.mean_score(pl.Series(FIVE_POINT, dtype=pl.Float32)) == cx.mean_score(FIVE_POINT)


def test_polars_nulls():
    pl = pytest.importorskip("polars")
    ref = cx.nps(NPS_SCORES)
    s = pl.Series([None] + NPS_SCORES + [None], dtype=pl.Int64)
    e = cx.nps(s)
    assert e.n_missing == 2
    assert (e.value, e.lower, e.upper, e.n) == (ref.value, ref.lower, ref.upper, ref.n)
    with pytest.raises(cx.MissingValueError, match="position 0"):
        cx.nps(s, nan_policy="raise")
    f = pl.Series(NPS_SCORES + [None], dtype=pl.Float64)
    assert cx.nps(f).n_missing == 1


def test_polars_weights():
    pl = pytest.importorskip("polars")
    w = np.linspace(0.5, 2.0, len(NPS_SCORES))
    ref = cx.nps(NPS_SCORES, weights=w, method="wald")
    assert cx.nps(pl.Series(NPS_SCORES), weights=pl.Series(w), method="wald") == ref


# --- missing values -------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan])
def test_list_with_missing(missing):
    ref = cx.nps(NPS_SCORES)
    scores = [missing] + NPS_SCORES[:5] + [missing, missing] + NPS_SCORES[5:]
    e = cx.nps(scores)
    assert e.n_missing == 3
    assert e.n == len(NPS_SCORES)
    assert (e.value, e.lower, e.upper, e.std_error) == (ref.value, ref.lower, ref.upper, ref.std_error)
    with pytest.raises(cx.MissingValueError) as info:
        cx.nps(scores, nan_policy="raise")
    assert "position 0" in str(info.value)
    with pytest.raises(cx.MissingValueError, match="position 2"):
        cx.nps([10, 9, missing, 8], nan_policy="raise")


def test_missing_counted_for_every_indicator():
    five = [5, None, 4, np.nan, 1, 2, 3]
    for fn in (cx.top_box, cx.csat, cx.mean_score):
        e = fn(five)
        assert e.n == 5 and e.n_missing == 2
        with pytest.raises(cx.MissingValueError, match="position 1"):
            fn(five, nan_policy="raise")
    e = cx.ces([7, None, 5, 1])
    assert e.n == 3 and e.n_missing == 1
    assert "1 missing" in str(cx.nps([10, None]))


def test_missing_score_with_weights_is_dropped_with_its_weight():
    scores = [10, 9, np.nan, 0, 7, 8]
    w = [1.0, 2.0, 5.0, 1.5, 1.0, 0.5]
    e = cx.nps(scores, weights=w, method="wald")
    ref = cx.nps([10, 9, 0, 7, 8], weights=[1.0, 2.0, 1.5, 1.0, 0.5], method="wald")
    assert e.n_missing == 1
    assert e.n == ref.n
    for attr in ("value", "lower", "upper", "std_error", "effective_n"):
        assert getattr(e, attr) == pytest.approx(getattr(ref, attr), rel=1e-12)


def test_nan_policy_raise_passes_clean_input():
    assert cx.nps(NPS_SCORES, nan_policy="raise") == cx.nps(NPS_SCORES)
    assert cx.mean_score(FIVE_POINT, nan_policy="raise") == cx.mean_score(FIVE_POINT)


def test_negative_zero_is_a_detractor():
    e = cx.nps([-0.0, 10.0])
    assert (e.n_detractors, e.n_promoters) == (1, 1)


def test_negative_scale_points():
    e = cx.top_box([-2, -1, 0, 1, 2, 2], scale=(-2, 2), top=2)
    assert e.successes == 3 and e.value == pytest.approx(50.0)
    assert e.scale == (-2, 2)


def test_numpy_integer_scale_top_and_counts():
    e = cx.top_box(FIVE_POINT, scale=(np.int64(1), np.int32(5)), top=np.int8(2))
    assert e == cx.top_box(FIVE_POINT)
    assert cx.nps_from_counts(np.int64(2), np.int32(3), np.uint8(5)) == cx.nps_from_counts(2, 3, 5)
    assert cx.top_box_from_counts(np.uint16(18), np.int64(20)) == cx.top_box_from_counts(18, 20)


def test_large_input_is_fast_and_exact():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 11, 2_000_000).astype(np.int8)
    counts = np.bincount(x, minlength=11)
    d, p, r = int(counts[:7].sum()), int(counts[7:9].sum()), int(counts[9:].sum())
    e = cx.nps(x, method="score")
    ref = cx.nps_from_counts(d, p, r, method="score")
    assert (e.value, e.lower, e.upper, e.n) == (ref.value, ref.lower, ref.upper, ref.n)


def test_masked_array_entries_are_missing():
    scores = np.ma.masked_array([10, 99, 0, 9], mask=[0, 1, 0, 0])
    e = cx.nps(scores, method="wald")
    assert (e.n, e.n_missing, e.n_promoters, e.n_detractors) == (3, 1, 2, 1)
    with pytest.raises(cx.MissingValueError, match="position 1"):
        cx.nps(scores, nan_policy="raise")
