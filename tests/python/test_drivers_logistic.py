"""cx.drivers on a binary outcome (issue 20): logistic dominance analysis against every subset fitted
by R's glm (tests/references/drivers/make_drivers_missing_logistic.R, epsilon = 1e-14): McFadden,
Nagelkerke and Estrella pseudo-R^2, unweighted and with frequency weights, 3 to 12 drivers."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxmetrics as cx

REFS = Path(__file__).resolve().parents[1] / "references"
CASES = json.loads((REFS / "drivers" / "drivers_missing_logistic.json").read_text())["cases"]


def _data(case: dict) -> pd.DataFrame:
    if case["dataset"] == "mtcars":
        return pd.read_csv(REFS / "data" / "mtcars.csv")
    return pd.read_csv(REFS / "drivers" / f"{case['dataset']}.csv")


@pytest.mark.parametrize("key", ["C1", "C2", "C3", "C4", "C5"])
@pytest.mark.parametrize("kind", ["mcfadden", "nagelkerke", "estrella"])
def test_logistic_dominance_matches_glm(key, kind):
    case = CASES[key]
    with warnings.catch_warnings():
        warnings.simplefilter("error", cx.FitIssueWarning)
        a = cx.drivers(_data(case), outcome=case["outcome"], drivers=case["drivers"], weights=case["weights"], pseudo_r2=kind)
    assert a.outcome_kind == "binary" and a.pseudo_r2 == kind and a.exact and a.fit_issues == []
    assert a.n == case["n"]
    assert a.r_squared == pytest.approx(case[f"{kind}_full"], rel=1e-12)
    frame = a.to_frame().set_index("driver").loc[case["drivers"]]
    assert frame["importance"].to_numpy() == pytest.approx(case[f"shapley_{kind}"], rel=2e-12)
    assert frame["importance"].sum() == pytest.approx(a.r_squared, rel=1e-12)
    assert list(frame["direction"]) == case["direction"]


def test_binary_is_chosen_for_a_zero_one_outcome_and_can_be_overridden():
    case = CASES["C3"]
    data = _data(case)
    auto = cx.drivers(data, outcome="repurchase", drivers=case["drivers"])
    assert auto.outcome_kind == "binary"
    linear = cx.drivers(data, outcome="repurchase", drivers=case["drivers"], outcome_kind="continuous")
    assert linear.outcome_kind == "continuous" and linear.pseudo_r2 is None
    assert linear.r_squared != pytest.approx(auto.r_squared)
    with pytest.raises(cx.CxError, match="0 or 1"):
        cx.drivers(data, outcome="overall", drivers=case["drivers"], outcome_kind="binary")
    with pytest.raises(cx.CxError, match="pairwise"):
        cx.drivers(data, outcome="repurchase", drivers=case["drivers"], missing="pairwise")
    with pytest.raises(cx.CxError, match="relative weights"):
        cx.drivers(data, outcome="repurchase", drivers=case["drivers"], method="relative_weights")
    with pytest.raises(cx.CxError, match="pseudo_r2"):
        cx.drivers(data, outcome="repurchase", drivers=case["drivers"], pseudo_r2="cox")


def test_separation_is_reported_not_silent():
    # wt separates am in some sub-models of mtcars (R: "fitted probabilities numerically 0 or 1").
    data = _data(CASES["C1"])
    with pytest.warns(cx.FitIssueWarning, match="separation"):
        a = cx.drivers(data, outcome="am", drivers=["hp", "wt", "qsec"])
    assert any(issue == "separation" for _, issue in a.fit_issues)
    assert np.isfinite(a.to_frame()["importance"]).all()


def test_logistic_bootstrap_and_imputation():
    data = _data(CASES["C3"])
    drivers = [f"t{i:02d}" for i in range(1, 7)]
    a = cx.drivers(data, outcome="repurchase", drivers=drivers, missing="impute", bootstrap=20, seed=5)
    frame = a.to_frame()
    assert a.outcome_kind == "binary" and a.n == len(data)
    assert (frame["lower"] <= frame["upper"]).all() and a.bootstrap_failed == 0
    again = cx.drivers(data, outcome="repurchase", drivers=drivers, missing="impute", bootstrap=20, seed=5)
    assert again.to_frame().equals(frame)


def test_many_drivers_are_sampled_with_their_error():
    rng = np.random.default_rng(7)
    n, p = 400, 17
    x = rng.normal(size=(n, p))
    y = (x[:, 0] + 0.5 * x[:, 1] + rng.logistic(size=n) > 0).astype(float)
    data = {"y": y, **{f"d{j}": x[:, j] for j in range(p)}}
    a = cx.drivers(data, outcome="y", drivers=[f"d{j}" for j in range(p)], seed=11)
    frame = a.to_frame().set_index("driver")
    assert not a.exact and a.seed == 11
    assert (frame["mc_error"] > 0).all()
    assert frame["importance"].idxmax() == "d0"
    assert frame["importance"].sum() == pytest.approx(a.r_squared, rel=1e-9)
