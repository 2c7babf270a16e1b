"""Any data frame in, the same kind out (issue 15): pandas, polars (eager and lazy), pyarrow Tables
and any object with ``__arrow_c_stream__`` give the same figures, and frame results come back in
the caller's kind (pyarrow in, pyarrow out)."""

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import cxmetrics as cx


class ArrowStream:
    """An object that only speaks the Arrow PyCapsule stream interface (as DuckDB results do)."""

    def __init__(self, table: pa.Table) -> None:
        self._table = table

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._table.__arrow_c_stream__(requested_schema)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 800
    return pd.DataFrame(
        {
            "store": rng.choice(["north", "south", "east"], n),
            "ltr": rng.integers(0, 11, n),
            "sat": rng.integers(1, 6, n),
            "effort": rng.integers(1, 8, n),
            "bought": rng.integers(0, 2, n),
            "at": pd.date_range("2025-01-01", periods=n, freq="6h"),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )


KINDS = {
    "pandas": (lambda df: df, pd.DataFrame),
    "polars": (lambda df: pl.from_pandas(df), pl.DataFrame),
    "lazy": (lambda df: pl.from_pandas(df).lazy(), pl.DataFrame),
    "pyarrow": (lambda df: pa.Table.from_pandas(df, preserve_index=False), pa.Table),
    "stream": (lambda df: ArrowStream(pa.Table.from_pandas(df, preserve_index=False)), pa.Table),
}

CALLS = {
    "summarize": lambda d: cx.summarize(d, by="store", nps="ltr", csat="sat", weights="w", min_n=1),
    "trend": lambda d: cx.trend(d, time="at", freq="month", nps="ltr", by="store"),
    "alerts": lambda d: cx.alerts(d, time="at", by="store", freq="week", nps="ltr"),
    "outcomes": lambda d: cx.outcomes(d, nps="ltr", outcome="bought"),
}


def as_pandas(result: Any) -> pd.DataFrame:
    if isinstance(result, pa.Table):
        return result.to_pandas()
    if isinstance(result, pl.DataFrame):
        return result.to_pandas()
    return result


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_gives_the_same_figures_in_its_own_kind(frame: pd.DataFrame, call: str, kind: str) -> None:
    make, expected_type = KINDS[kind]
    reference = as_pandas(CALLS[call](frame))
    got = CALLS[call](make(frame))
    assert isinstance(got, expected_type), type(got)
    got = as_pandas(got)
    assert list(got.columns) == list(reference.columns)
    assert len(got) == len(reference)
    for column in reference.columns:
        a, b = reference[column], got[column]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            np.testing.assert_allclose(
                a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan), rtol=0, atol=0
            )
        else:
            assert [None if pd.isna(x) else x for x in a] == [None if pd.isna(x) else x for x in b], column


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_estimates_and_drivers_take_every_kind(frame: pd.DataFrame, kind: str) -> None:
    data = KINDS[kind][0](frame)
    items = {"ltr": (0, 10), "sat": (1, 5)}
    assert cx.loyalty_index(data, items=items).value == cx.loyalty_index(frame, items=items).value
    s = cx.secure_customers(data, nps="ltr", csat="sat", repurchase="sat")
    assert s.value == cx.secure_customers(frame, nps="ltr", csat="sat", repurchase="sat").value
    d = cx.drivers(data, outcome="ltr", drivers=["sat", "effort"])
    assert d.r_squared == cx.drivers(frame, outcome="ltr", drivers=["sat", "effort"]).r_squared


def test_a_non_frame_is_named() -> None:
    with pytest.raises(cx.CxError, match="data frame"):
        cx.summarize([1, 2, 3], nps="ltr")


def test_key_terms_take_arrow_columns_and_give_arrow_back() -> None:
    texts = ["slow delivery again", "great staff", "slow refund", None, "friendly staff"] * 8
    groups = ["d", "p", "d", "p", None] * 8
    reference = cx.key_terms(pd.Series(texts), pd.Series(groups), min_count=1, top=3)
    for t, g in ((pa.chunked_array([texts]), pa.chunked_array([groups])), (pa.array(texts), pa.array(groups))):
        got = cx.key_terms(t, g, min_count=1, top=3)
        assert isinstance(got, pa.Table)
        pd.testing.assert_frame_equal(got.to_pandas(), reference, check_dtype=False)
    with pytest.raises(cx.CxError, match="one column"):
        cx.key_terms(pa.table({"t": texts}), groups)
