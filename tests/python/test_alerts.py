"""cx.alerts against a reference written here from the documented rules and the public building
blocks (cx.trend, cx.adjust_pvalues, cx.p_chart, cx.nps_chart): same rows, same figures, for both
rules, several indicators, groups without data, pandas and polars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path

BASE = ["period", "indicator", "value", "n"]
RULE = {"change": ["change", "change_lower", "change_upper", "p_value", "p_adjusted"], "control": ["center", "lower_limit"]}


def reference(data, *, time, by, freq, rule, p_adjust="holm", confidence=0.95, **indicators):
    """The documented rule, step by step, from cx.trend and the charts (counts recomputed here)."""
    by_list = [by] if isinstance(by, str) else list(by or [])
    frame = cx.trend(data, time=time, by=by, freq=freq, confidence=confidence, **indicators)
    parts = []
    for indicator, rows in frame.groupby("indicator", sort=False):
        rows = rows.copy()
        if rule == "change":
            tested = rows["p_value"].notna()
            rows["p_adjusted"] = np.nan
            if tested.any():
                rows.loc[tested, "p_adjusted"] = cx.adjust_pvalues(rows.loc[tested, "p_value"].to_numpy(), method=p_adjust)
            parts.append(rows[(rows["change"] < 0) & (rows["p_adjusted"] < 1 - confidence)])
            continue
        column = indicators[indicator]
        for key, series in rows.groupby(by_list, sort=False) if by_list else [((), rows)]:
            if series["n"].sum() == 0:
                continue
            mask = np.ones(len(data), dtype=bool)
            for name, k in zip(by_list, key if isinstance(key, tuple) else (key,)):
                mask &= (data[name] == k).to_numpy()
            sub = data[mask & data[column].notna().to_numpy()]
            period = sub[time].dt.tz_localize(None).dt.to_period({"week": "W", "month": "M", "quarter": "Q", "day": "D", "year": "Y"}[freq]).dt.start_time
            starts = series["period"].dt.tz_localize(None) if series["period"].dt.tz is not None else series["period"]
            if indicator == "nps":
                counts = [
                    sub[sub[column].between(lo, hi)].groupby(period).size().reindex(starts.values, fill_value=0).to_numpy()
                    for lo, hi in ((0, 6), (7, 8), (9, 10))
                ]
                chart = cx.nps_chart(*counts)
            else:
                top = sub[column] >= (4 if indicator == "csat" else 5)  # top 2 of 1-5, top 3 of 1-7
                x = top.groupby(period).sum().reindex(starts.values, fill_value=0).to_numpy()
                n = sub.groupby(period).size().reindex(starts.values, fill_value=0).to_numpy()
                chart = cx.p_chart(x, n)
            hit = (series["n"].to_numpy() > 0) & (series["value"].to_numpy() < chart["lower_limit"].to_numpy())
            selected = series[hit].copy()
            selected["center"] = chart["center"].to_numpy()[hit]
            selected["lower_limit"] = chart["lower_limit"].to_numpy()[hit]
            parts.append(selected)
    keep = [*by_list, *BASE, *RULE[rule]]
    return pd.concat(parts)[keep].reset_index(drop=True) if parts else pd.DataFrame(columns=keep)


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(data_path(), parse_dates=["recorded_at"])


def planted(seed: int) -> pd.DataFrame:
    """Six stores over 20 weeks; two drop in week 12, one store answers only in the first weeks."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(6):
        for w in range(20):
            n = 0 if (s == 5 and w > 4) else int(rng.integers(5, 80))
            drop = s in (1, 3) and w >= 12
            weights = np.r_[np.full(7, 0.6 if drop else 0.15) / 7, [0.1, 0.1], np.full(2, 0.1 if drop else 0.325)]
            nps = rng.choice(11, n, p=weights / weights.sum())
            csat = rng.choice([1, 2, 3, 4, 5], n, p=[0.3, 0.2, 0.2, 0.2, 0.1] if drop else [0.05, 0.05, 0.2, 0.4, 0.3])
            at = pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=w) + pd.to_timedelta(rng.integers(0, 7 * 86400, n), unit="s")
            rows.append(pd.DataFrame({"at": at, "store": f"s{s}", "nps": nps, "csat": csat}))
    frame = pd.concat(rows, ignore_index=True)
    frame.loc[frame.index % 17 == 0, "nps"] = np.nan
    return frame


def check(found, expected, by):
    assert list(found.columns) == list(expected.columns)
    assert len(found) == len(expected)
    for column in found.columns:
        if found[column].dtype.kind == "f":
            np.testing.assert_allclose(found[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-12, atol=1e-12)
        else:
            assert found[column].astype(str).tolist() == expected[column].astype(str).tolist(), column


@pytest.mark.parametrize("rule", ["change", "control"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_alerts_equal_the_documented_rule(rule, seed):
    data = planted(seed)
    found = cx.alerts(data, time="at", by="store", freq="week", nps="nps", csat="csat", rule=rule)
    expected = reference(data, time="at", by="store", freq="week", nps="nps", csat="csat", rule=rule)
    check(found, expected, "store")
    assert len(found) > 0  # the planted drops are found, so the comparison is not vacuous
    assert set(found["store"]) <= {"s1", "s3"} or rule == "control"


@pytest.mark.parametrize("p_adjust", ["holm", "bh", "bonferroni"])
def test_alerts_on_the_demo_for_each_adjustment(demo, p_adjust):
    kwargs = dict(time="recorded_at", by="touchpoint", freq="month", nps="nps", csat="csat", ces="ces")
    for rule in ("change", "control"):
        found = cx.alerts(demo, rule=rule, p_adjust=p_adjust, **kwargs)
        check(found, reference(demo, rule=rule, p_adjust=p_adjust, **kwargs), "touchpoint")


def test_alerts_polars_and_empty():
    data = planted(4)
    found = cx.alerts(pl.from_pandas(data), time="at", by="store", nps="nps", rule="control")
    assert isinstance(found, pl.DataFrame)
    check(found.to_pandas(), cx.alerts(data, time="at", by="store", nps="nps", rule="control"), "store")
    steady = pd.DataFrame({"at": pd.date_range("2025-01-01", periods=200, freq="D"), "g": "a", "ltr": [10, 9, 7, 3] * 50})
    empty = cx.alerts(steady, time="at", by="g", nps="ltr")
    assert empty.empty and list(empty.columns) == ["g", *BASE, *RULE["change"]]
    with pytest.raises(cx.CxError, match="rule"):
        cx.alerts(steady, time="at", by="g", nps="ltr", rule="spc")
    with pytest.raises(cx.CxError, match="p_adjust"):
        cx.alerts(steady, time="at", by="g", nps="ltr", p_adjust="sidak")
