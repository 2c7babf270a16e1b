"""summarize with a resampling method: seeded, reproducible, and each group's interval exactly what
cx.nps / cx.csat give on that group alone with the same seed and number of resamples (issue 17:
the grouped report could not resample reproducibly)."""

import numpy as np
import pandas as pd
import pytest

import cxmetrics as cx


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 600
    return pd.DataFrame(
        {
            "store": rng.choice(["north", "south", "east"], n),
            "ltr": rng.integers(0, 11, n),
            "sat": rng.integers(1, 6, n),
        }
    )


@pytest.mark.parametrize("method", ["bootstrap", "bootstrap_bca", "bayes"])
def test_each_group_equals_the_single_sample_call(frame: pd.DataFrame, method: str) -> None:
    nps = {"column": "ltr", "method": method, "seed": 5, "n_resamples": 499}
    csat = {"column": "sat", "method": method, "seed": 8, "n_resamples": 499}
    out = cx.summarize(frame, by="store", nps=nps, csat=csat, min_n=1)
    again = cx.summarize(frame, by="store", nps=nps, csat=csat, min_n=1)
    pd.testing.assert_frame_equal(out, again)
    for store in ["north", "south", "east"]:
        part = frame[frame.store == store]
        row = out[(out.store == store) & (out.indicator == "nps")].iloc[0]
        e = cx.nps(part.ltr, method=method, seed=5, n_resamples=499)
        assert (row.lower, row.upper) == (e.lower, e.upper)
        row = out[(out.store == store) & (out.indicator == "csat")].iloc[0]
        e = cx.csat(part.sat, method=method, seed=8, n_resamples=499)
        assert (row.lower, row.upper) == (e.lower, e.upper)


def test_the_seed_changes_the_interval_and_bad_options_are_named(frame: pd.DataFrame) -> None:
    a = cx.summarize(frame, nps={"column": "ltr", "method": "bootstrap", "seed": 1, "n_resamples": 199})
    b = cx.summarize(frame, nps={"column": "ltr", "method": "bootstrap", "seed": 2, "n_resamples": 199})
    assert a.lower[0] != b.lower[0] or a.upper[0] != b.upper[0]
    with pytest.raises(cx.CxError, match="n_resamples"):
        cx.summarize(frame, nps={"column": "ltr", "method": "bootstrap", "n_resamples": 1})
    with pytest.raises(cx.CxError, match="unknown keys"):
        cx.summarize(frame, nps={"column": "ltr", "resamples": 10})
