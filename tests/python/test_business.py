"""Loyalty index, secure customers and outcomes by NPS category against R (tests/references/business.R)
and statsmodels / scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

import cxmetrics as cx
from cxmetrics.demo import data_path

from conftest import approx

ITEMS = {"nps": (0, 10), "csat": (1, 5), "repurchase_intention": (1, 5)}


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return pd.read_csv(data_path())


def test_loyalty_index_matches_r(demo):
    e = cx.loyalty_index(demo, items=ITEMS)
    # R: t.test of the per-respondent index (business_R_output.txt, "unweighted").
    assert (e.n, e.n_missing) == (5511, 489)
    assert e.value == approx(71.5502328675981)
    assert e.lower == approx(71.0866018066898)
    assert e.upper == approx(72.0138639285065)
    assert e.std_error == approx(0.23649884413231)
    assert (e.indicator, e.unit, e.method) == ("loyalty_index", "index", "t")
    w = cx.loyalty_index(demo, items=ITEMS, item_weights={"nps": 2, "csat": 1, "repurchase_intention": 1})
    assert w.value == approx(73.6245690437307)
    assert w.lower == approx(73.183367795239)
    assert w.upper == approx(74.0657702922224)
    assert cx.loyalty_index(demo, items=ITEMS, item_weights=[2, 1, 1]) == w
    # R survey: svymean + confint(df = degf(design)).
    s = cx.loyalty_index(demo, items=ITEMS, weights="weight")
    assert s.value == approx(70.695941624039)
    assert s.std_error == approx(0.24910236587329)
    assert s.lower == approx(70.2076026869573)
    assert s.upper == approx(71.1842805611206)
    assert s.weighted


def test_loyalty_index_polars_and_mapping(demo):
    e = cx.loyalty_index(demo, items=ITEMS)
    assert cx.loyalty_index(pl.from_pandas(demo), items=ITEMS) == e
    assert cx.loyalty_index({k: demo[k].to_numpy() for k in ITEMS}, items=ITEMS) == e
    # One item: the satisfaction index of that item on complete respondents.
    one = cx.loyalty_index(demo, items={"csat": (1, 5)})
    assert one.value == approx(cx.satisfaction_index(demo["csat"]).value)
    assert one.upper == approx(cx.satisfaction_index(demo["csat"]).upper)


def test_loyalty_index_errors(demo):
    with pytest.raises(cx.InvalidScoreError, match=r"column \"csat\": score 6 at position 1"):
        cx.loyalty_index({"nps": [1, 2, 3], "csat": [1, 6, 2]}, items={"nps": (0, 10), "csat": (1, 5)})
    with pytest.raises(cx.InvalidInputError, match="not in the data"):
        cx.loyalty_index(demo, items={"loyalty": (1, 5)})
    with pytest.raises(cx.InvalidWeightError):
        cx.loyalty_index(demo, items=ITEMS, item_weights=[1, 0, 1])
    with pytest.raises(cx.InvalidInputError, match="lacks a weight"):
        cx.loyalty_index(demo, items=ITEMS, item_weights={"nps": 1})
    with pytest.raises(cx.LengthMismatchError):
        cx.loyalty_index({"a": [1, 2, 3], "b": [1, 2]}, items={"a": (1, 5), "b": (1, 5)})
    with pytest.raises(cx.EmptyDataError):
        cx.loyalty_index({"a": [1, None], "b": [1, 2]}, items={"a": (1, 5), "b": (1, 5)})
    with pytest.raises(cx.InvalidWeightError):
        cx.loyalty_index(demo, items=ITEMS, weights=-demo["weight"])


def test_secure_customers_matches_r(demo):
    e = cx.secure_customers(demo, nps="nps", csat="csat", repurchase="repurchase_intention")
    # R: prop.test(1532, 5511, correct = FALSE) (Wilson).
    assert (e.n, e.n_missing, e.successes) == (5511, 489, 1532)
    assert e.value == approx(27.7989475594266)
    assert e.lower == approx(26.6319025371544)
    assert e.upper == approx(28.9969216408071)
    assert e.indicator == "secure_customers"
    # Weighted: the weighted top-box share of the 0/1 "secure" flag.
    flag = ((demo["nps"] >= 9) & (demo["csat"] >= 4) & (demo["repurchase_intention"] >= 4)).astype(float)
    flag[demo[["nps", "csat", "repurchase_intention"]].isna().any(axis=1)] = np.nan
    w = cx.secure_customers(demo, nps="nps", csat="csat", repurchase="repurchase_intention", weights="weight")
    ref = cx.top_box(flag, scale=(0, 1), top=1, weights=demo["weight"])
    assert (w.value, w.lower, w.upper, w.std_error) == (ref.value, ref.lower, ref.upper, ref.std_error)
    # top=1: the very top only.
    strict = cx.secure_customers(demo, nps="nps", csat="csat", repurchase="repurchase_intention", top=1)
    assert strict.value < e.value


def test_secure_customers_errors():
    data = {"ltr": [10, 11], "sat": [5, 5], "rep": [5, 5]}
    with pytest.raises(cx.InvalidScoreError, match=r"column \"ltr\": score 11"):
        cx.secure_customers(data, nps="ltr", csat="sat", repurchase="rep")
    with pytest.raises(cx.InvalidScaleError):
        cx.secure_customers({"ltr": [10], "sat": [5], "rep": [5]}, nps="ltr", csat="sat", repurchase="rep", top=5)
    with pytest.raises(cx.UnknownMethodError):
        cx.secure_customers({"ltr": [10], "sat": [5], "rep": [5]}, nps="ltr", csat="sat", repurchase="rep", method="exact")


def test_outcomes_binary_matches_r_and_statsmodels(demo):
    frame = cx.outcomes(demo, nps="nps", outcome="repeat_purchase_90d")
    assert frame["category"].tolist() == ["detractor", "passive", "promoter", "promoter - detractor"]
    assert list(frame.columns) == ["category", "n", "value", "lower", "upper", "std_error", "p_value", "method"]
    # R: prop.test(correct = FALSE) per category (business_R_output.txt).
    refs = {
        "detractor": (1077, 28.133704735376, 25.5296252923818, 30.8932158045994),
        "passive": (2285, 51.3785557986871, 49.3286408602236, 53.4238433608749),
        "promoter": (2502, 69.9840127897682, 68.1586010365577, 71.7481534981295),
    }
    for row in frame.iloc[:3].itertuples():
        n, value, lower, upper = refs[row.category]
        assert row.n == n
        assert row.value == approx(value) and row.lower == approx(lower) and row.upper == approx(upper)
        assert row.method == "wilson"
    diff = frame.iloc[3]
    # statsmodels: Newcombe's hybrid score interval for promoters - detractors.
    lo, hi = confint_proportions_2indep(1751, 2502, 303, 1077, method="newcomb", compare="diff")
    assert diff["value"] == approx(100 * (1751 / 2502 - 303 / 1077))
    assert diff["lower"] == approx(100 * lo) and diff["upper"] == approx(100 * hi)
    assert diff["method"] == "newcombe" and diff["n"] == 1077 + 2502
    assert 0 <= diff["p_value"] < 1e-50
    assert frame.attrs["n_missing"] == int((demo["nps"].isna() | demo["repeat_purchase_90d"].isna()).sum())
    assert frame.attrs["kind"] == "binary"


def test_outcomes_numeric_matches_r_welch(demo):
    frame = cx.outcomes(demo, nps="nps", outcome="weight")  # weight as a stand-in numeric outcome
    diff = frame.iloc[3]
    # R: t.test(promoters, detractors, var.equal = FALSE).
    assert diff["value"] == approx(-0.097053911188598)
    assert diff["lower"] == approx(-0.119709204276148)
    assert diff["upper"] == approx(-0.0743986181010483)
    assert diff["p_value"] == approx(8.21186579229645e-17, rel=1e-7)
    assert diff["method"] == "welch"
    ok = demo["nps"].notna()
    y = demo.loc[ok & (demo["nps"] >= 9), "weight"]
    lo, hi = stats.t.interval(0.95, len(y) - 1, loc=y.mean(), scale=stats.sem(y))
    prom = frame.iloc[2]
    assert prom["value"] == approx(y.mean()) and prom["lower"] == approx(lo) and prom["upper"] == approx(hi)
    assert frame.attrs["kind"] == "numeric"


def test_outcomes_polars_booleans_and_small_groups():
    pdf = pl.DataFrame({"ltr": [10, 9, 3, 2, 8, None], "churned": [False, False, True, None, False, True]})
    frame = cx.outcomes(pdf, nps="ltr", outcome="churned")
    assert isinstance(frame, pl.DataFrame)
    assert frame["n"].to_list() == [1, 1, 2, 3]
    assert frame["value"].to_list()[0] == 100.0
    # Forced numeric on 0/1 data gives means (in 0-1 units); one passive is too few for a t interval.
    numeric = cx.outcomes(pdf, nps="ltr", outcome="churned", kind="numeric")
    assert numeric["value"][1] is None and numeric["value"][3] is None
    with pytest.raises(cx.InvalidScoreError, match=r"column \"outcome\""):
        cx.outcomes({"ltr": [10, 9], "spend": [1.0, 0.5]}, nps="ltr", outcome="spend", kind="binary")
    with pytest.raises(cx.UnknownMethodError):
        cx.outcomes({"ltr": [10, 9], "spend": [1.0, 0.5]}, nps="ltr", outcome="spend", kind="ordinal")
    with pytest.raises(cx.InvalidScoreError, match="not finite"):
        cx.outcomes({"ltr": [10, 9], "spend": [np.inf, 0.5]}, nps="ltr", outcome="spend")
