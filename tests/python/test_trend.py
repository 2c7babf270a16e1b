"""cx.trend, cx.alerts and the control charts: each period equals the single-sample functions,
periods and time zones, Montgomery's Table 9.1 example, and every chart rendered."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path

# Montgomery, Introduction to Statistical Quality Control, Table 9.1 (also IMSL's EWMA example):
# 20 observations from N(10, 1), then 10 from N(11, 1).
MONTGOMERY = [9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40, 10.08,
              9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52]


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(data_path(), parse_dates=["recorded_at"])


def test_each_period_equals_the_single_sample_functions(demo):
    frame = cx.trend(demo, time="recorded_at", nps="nps", csat="csat", by="touchpoint")
    assert list(frame.columns[:3]) == ["touchpoint", "period", "indicator"]
    months = demo["recorded_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M").dt.start_time
    for row in frame[frame["touchpoint"].isin(["delivery", "complaint"])].itertuples():
        rows = demo[(demo["touchpoint"] == row.touchpoint) & (months == row.period.tz_localize(None))]
        e = (cx.nps if row.indicator == "nps" else cx.csat)(rows[row.indicator])
        assert (row.value, row.lower, row.upper, row.n, row.n_missing) == pytest.approx(
            (e.value, e.lower, e.upper, e.n, e.n_missing), rel=1e-12
        )
    # The change is cx.compare against the previous period.
    d = frame[(frame["touchpoint"] == "delivery") & (frame["indicator"] == "nps")].reset_index(drop=True)
    before = cx.nps(demo.loc[(demo["touchpoint"] == "delivery") & (months == pd.Timestamp("2025-10-01")), "nps"])
    after = cx.nps(demo.loc[(demo["touchpoint"] == "delivery") & (months == pd.Timestamp("2025-11-01")), "nps"])
    c = cx.compare(after, before)
    assert (d.loc[10, "change"], d.loc[10, "change_lower"], d.loc[10, "change_upper"], d.loc[10, "p_value"]) == pytest.approx(
        (c.difference, c.lower, c.upper, c.p_value), rel=1e-12
    )


def test_periods_empty_periods_and_time_zones():
    at = pd.to_datetime(["2025-01-01 10:00", "2025-01-05 23:00", "2025-01-06 01:00", "2025-03-31 23:30"])
    df = pd.DataFrame({"at": at, "ltr": [10, 9, 3, 6]})
    weeks = cx.trend(df, time="at", nps="ltr", freq="week")
    # ISO weeks start on Monday: 2025-01-01 (a Wednesday) is in the week of 2024-12-30.
    assert weeks["period"].iloc[0] == pd.Timestamp("2024-12-30")
    assert weeks["period"].iloc[1] == pd.Timestamp("2025-01-06")
    assert weeks["n"].tolist()[:3] == [2, 1, 0]  # the third week is empty: n = 0, no estimate
    assert np.isnan(weeks["value"].iloc[2])
    assert len(weeks) == 14  # every week from the first to the last
    for freq, first in (("day", "2025-01-01"), ("month", "2025-01-01"), ("quarter", "2025-01-01"), ("year", "2025-01-01")):
        assert cx.trend(df, time="at", nps="ltr", freq=freq)["period"].iloc[0] == pd.Timestamp(first)
    assert cx.trend(df, time="at", nps="ltr", freq="quarter")["n"].tolist() == [4]
    # Time-zone aware: converted to UTC first. 00:30 on 1 April in Madrid is 22:30 on 31 March UTC.
    madrid = pd.DataFrame({"at": pd.to_datetime(["2025-04-01 00:30"]).tz_localize("Europe/Madrid"), "ltr": [9]})
    m = cx.trend(madrid, time="at", nps="ltr")
    assert m["period"].iloc[0] == pd.Timestamp("2025-03-01", tz="UTC")
    # Missing times are counted.
    df2 = df.copy()
    df2.loc[0, "at"] = pd.NaT
    assert cx.trend(df2, time="at", nps="ltr").attrs["n_missing_time"] == 1
    with pytest.raises(cx.InvalidInputError):
        cx.trend(df, time="ltr", nps="ltr")
    with pytest.raises(cx.InvalidInputError):
        cx.trend(df, time="at", nps="ltr", freq="fortnight")


def test_polars_and_rolling_windows(demo):
    pdf = pl.read_csv(data_path()).with_columns(pl.col("recorded_at").str.to_datetime(time_zone="UTC"))
    a = cx.trend(pdf, time="recorded_at", nps="nps", by="channel")
    b = cx.trend(demo, time="recorded_at", nps="nps", by="channel")
    assert isinstance(a, pl.DataFrame)
    np.testing.assert_allclose(a["value"].to_numpy().astype(float), b["value"].to_numpy(), rtol=1e-12)
    rolling = cx.trend(demo, time="recorded_at", nps="nps", freq="month", window=3)
    months = demo["recorded_at"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("M").dt.start_time
    last3 = demo.loc[months >= pd.Timestamp("2025-10-01"), "nps"]
    assert rolling["value"].iloc[-1] == pytest.approx(cx.nps(last3).value, rel=1e-12)
    assert rolling["n"].iloc[-1] == cx.nps(last3).n


def test_alerts_find_the_planted_delivery_drop(demo):
    found = cx.alerts(demo, time="recorded_at", by="touchpoint", freq="month", nps="nps")
    assert (found["touchpoint"] == "delivery").any()
    assert (found.loc[found["touchpoint"] == "delivery", "period"].dt.month == 11).any()
    assert (found["change"] < 0).all() and (found["p_adjusted"] < 0.05).all()
    control = cx.alerts(demo, time="recorded_at", by="touchpoint", freq="month", nps="nps", rule="control")
    assert ((control["touchpoint"] == "delivery") & (control["period"].dt.month >= 11)).any()
    steady = pd.DataFrame({"at": pd.date_range("2025-01-01", periods=200, freq="D"), "g": "a", "ltr": [10, 9, 7, 3] * 50})
    assert cx.alerts(steady, time="at", by="g", nps="ltr").empty


def test_control_charts_known_answers():
    # Montgomery Example 9.1: tabular CUSUM, k = 0.5, h = 5: C+_29 = 5.28, the first signal.
    cs = cx.cusum(MONTGOMERY, target=10, sigma=1)
    assert cs["upper_sum"].iloc[28] == pytest.approx(5.28, abs=5e-3)
    assert cs["signal"].tolist().index(True) == 28
    # EWMA, lambda = 0.1, L = 2.7: z_1 = 9.945, limits 9.73 / 10.27 at period 1 (Montgomery).
    ew = cx.ewma(MONTGOMERY, target=10, sigma=1, lam=0.1, L=2.7)
    assert ew["ewma"].iloc[0] == pytest.approx(9.945)
    assert (ew["lower_limit"].iloc[0], ew["upper_limit"].iloc[0]) == pytest.approx((9.73, 10.27), abs=5e-3)
    lam = 0.1
    steady = 10 + 2.7 * np.sqrt(lam / (2 - lam))
    assert ew["upper_limit"].iloc[-1] == pytest.approx(steady, rel=1e-3)
    # p-chart: centre 35%, limits 35 -+ 3 sqrt(.35 .65 / n_t) (they vary with n).
    pc = cx.p_chart([40, 45, 20, 10], [100, 100, 100, 20])
    assert pc["center"].iloc[0] == pytest.approx(100 * 115 / 320)
    p = 115 / 320
    assert pc["lower_limit"].iloc[3] == pytest.approx(100 * max(0, p - 3 * np.sqrt(p * (1 - p) / 20)))
    assert pc["signal"].tolist() == [False, False, True, False]
    nc = cx.nps_chart([10, 30], [20, 20], [70, 50])
    pd_, pr = 40 / 200, 120 / 200
    var1 = pr + pd_ - (pr - pd_) ** 2
    assert nc["center"].iloc[0] == pytest.approx(40.0)
    assert nc["upper_limit"].iloc[0] == pytest.approx(100 * (0.4 + 3 * np.sqrt(var1 / 100)))
    with pytest.raises(cx.CxError):
        cx.p_chart([5], [3])
    with pytest.raises(cx.CxError):
        cx.ewma([1.0], target=0, sigma=1, lam=0)


def test_every_picture_renders(tmp_path, demo):
    import matplotlib.pyplot as plt

    summary = cx.summarize(demo, by="touchpoint", nps="nps", csat="csat")
    tr = cx.trend(demo, time="recorded_at", nps="nps", by="channel")
    e = cx.nps(demo["nps"])
    axes = [
        cx.plot.trend(tr),
        cx.plot.trend(cx.trend(demo, time="recorded_at", csat="csat"), indicator="csat"),
        cx.plot.nps_bars(summary),
        cx.plot.nps_bars({"all": e, "delivery": cx.nps(demo.loc[demo["touchpoint"] == "delivery", "nps"])}),
        cx.plot.ranking(summary, indicator="nps"),
        cx.plot.control(cx.p_chart([40, 45, 20], [100, 100, 100])),
        cx.plot.control(cx.nps_chart([10, 30], [20, 20], [70, 50])),
        cx.plot.control(cx.ewma(MONTGOMERY, target=10, sigma=1, lam=0.1, L=2.7)),
        cx.plot.control(cx.cusum(MONTGOMERY, target=10, sigma=1)),
        e.plot(),
        cx.csat(demo["csat"]).plot(),
        cx.compare(cx.nps(demo["nps"][:3000]), cx.nps(demo["nps"][3000:])).plot(),
    ]
    for i, ax in enumerate(axes):
        assert ax.get_title()
        ax.figure.savefig(tmp_path / f"{i}.png")
        assert (tmp_path / f"{i}.png").stat().st_size > 1000
        plt.close(ax.figure)
    with pytest.raises(cx.InvalidInputError):
        cx.plot.trend(tr, indicator="ces")
