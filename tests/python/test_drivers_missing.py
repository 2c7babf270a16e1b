"""cx.drivers with missing ratings (issue 20): missing="pairwise" and missing="impute" against
all-subsets computations in R (tests/references/drivers/make_drivers_missing_logistic.R, its JSON
and the CX-shaped data set it writes). The R values carry 15 significant digits."""

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
REL = 1e-11


def _data(case: dict) -> pd.DataFrame:
    if case["dataset"] == "airquality":
        frame = pd.read_csv(REFS / "data" / "airquality.csv")
        frame["w"] = 1.0 + (frame["Day"] % 3)  # the case's weights_expression: 1 + (Day %% 3)
        return frame
    return pd.read_csv(REFS / "drivers" / f"{case['dataset']}.csv")


def _analyse(case: dict, **kw):
    return cx.drivers(_data(case), outcome=case["outcome"], drivers=case["drivers"], weights=case["weights"], **kw)


@pytest.mark.parametrize("key", ["A1", "A2"])
def test_pairwise_matches_r(key):
    case = CASES[key]
    if key == "A2":
        assert case["weights_values"] == list(_data(case)["w"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", cx.RepairedCorrelationWarning)
        a = _analyse(case, missing="pairwise")
    assert a.missing == "pairwise" and not a.repaired
    assert a.r_squared == pytest.approx(case["r_squared"], rel=REL)
    frame = a.to_frame().set_index("driver").loc[case["drivers"]]
    assert frame["importance"].to_numpy() == pytest.approx(case["shapley"], rel=REL)
    assert frame["performance"].to_numpy() == pytest.approx(case["performance"], rel=REL)
    assert list(frame["direction"]) == case["direction"]
    pair_n = np.array(case["pair_n"])
    assert a.pair_n.loc[case["drivers"], case["drivers"]].to_numpy().tolist() == pair_n[1:, 1:].tolist()
    assert frame["n"].tolist() == pair_n[0, 1:].tolist()
    assert a.n + a.n_missing == case["n_rows"]
    # Johnson's weights from the same matrix still add up to its R^2.
    rw = _analyse(case, missing="pairwise", method="relative_weights")
    assert rw.to_frame()["importance"].sum() == pytest.approx(case["r_squared"], rel=1e-9)


def test_pairwise_repair_matches_nearpd_and_warns():
    case = CASES["A3"]
    assert case["repaired"] and case["min_eigen_pairwise"] < 0
    with pytest.warns(cx.RepairedCorrelationWarning, match="nearest"):
        a = _analyse(case, missing="pairwise")
    assert a.repaired
    # The repaired matrix is near-singular (condition number ~1e8): a looser tolerance.
    assert a.r_squared == pytest.approx(case["r_squared"], rel=1e-9)
    frame = a.to_frame().set_index("driver").loc[case["drivers"]]
    assert frame["importance"].to_numpy() == pytest.approx(case["shapley"], rel=1e-7)
    assert list(frame["direction"]) == case["direction"]
    assert frame["performance"].to_numpy() == pytest.approx(case["performance"], rel=REL)


@pytest.mark.parametrize("key", ["B1", "B2"])
def test_impute_matches_r(key):
    case = CASES[key]
    a = _analyse(case, missing="impute")
    assert a.missing == "impute"
    assert a.n == case["n"]
    assert a.r_squared == pytest.approx(case["r_squared"], rel=REL)
    frame = a.to_frame().set_index("driver").loc[case["drivers"]]
    assert frame["importance"].to_numpy() == pytest.approx(case["shapley"], rel=REL)
    assert frame["importance"].sum() == pytest.approx(a.r_squared, rel=1e-12)
    observed = [m for m in case["observed_means"]]
    assert frame["performance"].to_numpy() == pytest.approx(observed, rel=REL)


def test_the_issue_example_sparse_touchpoints_now_runs():
    # 12 touchpoints rated with probability 0.3-0.97: listwise deletion keeps few rows; the other
    # rules use them all.
    data = pd.read_csv(REFS / "drivers" / "cx_touchpoints.csv")
    drivers = [f"t{i:02d}" for i in range(1, 13)]
    complete = data[["overall", *drivers]].dropna()
    assert len(complete) < 100
    for rule in ("pairwise", "impute"):
        a = cx.drivers(data, outcome="overall", drivers=drivers, missing=rule, bootstrap=50, seed=3)
        frame = a.to_frame()
        assert a.n == len(data) and a.n_missing == 0
        assert frame["importance"].sum() == pytest.approx(a.r_squared, rel=1e-12)
        assert (frame["lower"] <= frame["importance"]).all() and (frame["importance"] <= frame["upper"]).all()
        assert a.bootstrap_failed == 0
        again = cx.drivers(data, outcome="overall", drivers=drivers, missing=rule, bootstrap=50, seed=3)
        assert again.to_frame().equals(frame)


def test_pairwise_refuses_pairs_never_rated_together():
    rng = np.random.default_rng(1)
    n = 200
    y = rng.normal(size=n)
    a = np.where(np.arange(n) < 100, y + rng.normal(size=n), np.nan)
    b = np.where(np.arange(n) >= 99, y + rng.normal(size=n), np.nan)  # one row with both
    with pytest.raises(cx.CxError, match="a and b are both present in 1 rows"):
        cx.drivers({"y": y, "a": a, "b": b}, outcome="y", drivers=["a", "b"], missing="pairwise")
    with pytest.raises(cx.CxError, match="missing"):
        cx.drivers({"y": y, "a": a, "b": b}, outcome="y", drivers=["a", "b"], missing="listwise")


def test_impute_adds_nothing_without_missing_values():
    data = pd.read_csv(REFS / "data" / "mtcars.csv")
    kw = dict(outcome="mpg", drivers=["cyl", "disp", "hp", "gear"])
    plain, imputed = cx.drivers(data, **kw), cx.drivers(data, **kw, missing="impute")
    assert imputed.to_frame()["importance"].to_numpy() == pytest.approx(plain.to_frame()["importance"].to_numpy(), rel=1e-13)
    pairwise = cx.drivers(data, **kw, missing="pairwise")
    assert pairwise.to_frame()["importance"].to_numpy() == pytest.approx(plain.to_frame()["importance"].to_numpy(), rel=1e-13)
