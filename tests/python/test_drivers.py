"""cx.drivers against base-R references (tests/references/drivers.R, drivers_R_output.txt), plus
result type, plots and errors."""

from __future__ import annotations

import pickle
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx
from conftest import approx

DATA = Path(__file__).resolve().parents[1] / "references" / "data"


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return pd.read_csv(DATA / "mtcars.csv")


# (driver, lmg, johnson_raw, sign, mean): drivers_R_output.txt, case (a) and (e).
CASE_A = [
    ("cyl", 0.247052033235208, 0.228479725928216, -1, 6.1875),
    ("disp", 0.24349959479564, 0.222146870540001, -1, 230.721875),
    ("hp", 0.210912899544274, 0.232174439299447, -1, 146.6875),
    ("gear", 0.0777251114079334, 0.096388603215391, 1, 3.6875),
]
CASE_E = [
    ("cyl", 0.281924771582318, 0.263457490844232, -1, 6.71111111111111),
    ("disp", 0.263765186916695, 0.245145595995044, -1, 257.956666666667),
    ("hp", 0.190126873993828, 0.208166732901169, -1, 175.288888888889),
    ("gear", 0.0603674623982281, 0.0794144751506241, 1, 3.8),
]


@pytest.mark.parametrize(("weights", "refs", "r2"), [(None, CASE_A, 0.779189638983056), ("carb", CASE_E, 0.796184294891069)])
def test_mtcars_matches_r(mtcars, weights, refs, r2):
    names = [r[0] for r in refs]
    shapley = cx.drivers(mtcars, outcome="mpg", drivers=names, weights=weights)
    johnson = cx.drivers(mtcars, outcome="mpg", drivers=names, weights=weights, method="relative_weights")
    for a in (shapley, johnson):
        assert a.r_squared == approx(r2, rel=1e-12)
        assert (a.n, a.n_missing, a.exact) == (32, 0, True)
    fs, fj = shapley.to_frame(), johnson.to_frame()
    # The table comes most important first.
    assert fs["importance"].is_monotonic_decreasing and fj["importance"].is_monotonic_decreasing
    fs = fs.set_index("driver").loc[names].reset_index()
    fj = fj.set_index("driver").loc[names].reset_index()
    assert list(fs.columns) == ["driver", "importance", "share", "direction", "performance", "performance_100", "n"]
    for (name, lmg, jw, sign, mean), s, j in zip(refs, fs.itertuples(), fj.itertuples()):
        assert s.driver == name
        assert s.importance == approx(lmg, rel=1e-10)
        assert j.importance == approx(jw, rel=1e-10)
        assert s.direction == sign and s.performance == approx(mean, rel=1e-12)
    assert fs["share"].sum() == approx(100.0)
    assert shapley.method == "shapley" and johnson.method == "relative_weights"


def test_swiss_and_listwise_deletion_with_polars():
    swiss = pl.read_csv(DATA / "swiss.csv")
    swiss_drivers = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]
    a = cx.drivers(swiss, outcome="Fertility", drivers=swiss_drivers)
    # drivers_R_output.txt, case (d).
    assert a.r_squared == approx(0.706735001592726, rel=1e-12)
    assert a.to_frame().set_index("driver").loc[swiss_drivers, "importance"].tolist() == pytest.approx(
        [0.0570912207680913, 0.171173028900234, 0.260134678624384, 0.105570150373494, 0.112765922926522], rel=1e-10
    )
    air = pd.read_csv(DATA / "airquality.csv")
    b = cx.drivers(air, outcome="Ozone", drivers=["Solar.R", "Wind", "Temp"])
    assert (b.n, b.n_missing) == (111, 42)  # case (f)
    assert b.to_frame().set_index("driver").loc[["Solar.R", "Wind", "Temp"], "importance"].tolist() == pytest.approx([0.0647358863315347, 0.227171559726158, 0.31398715394893], rel=1e-10)


def test_bootstrap_is_seeded_and_brackets_the_estimate(mtcars):
    names = ["cyl", "disp", "hp", "gear"]
    a = cx.drivers(mtcars, outcome="mpg", drivers=names, bootstrap=300, seed=11)
    b = cx.drivers(mtcars, outcome="mpg", drivers=names, bootstrap=300, seed=11)
    c = cx.drivers(mtcars, outcome="mpg", drivers=names, bootstrap=300, seed=12)
    fa = a.to_frame()
    pd.testing.assert_frame_equal(fa, b.to_frame())
    assert not fa["lower"].equals(c.to_frame()["lower"])
    assert (fa["lower"] <= fa["upper"]).all() and (fa["lower"] >= 0).all()
    assert a.seed == 11 and a.bootstrap == 300 and a.confidence == 0.95
    unseeded = cx.drivers(mtcars, outcome="mpg", drivers=names, bootstrap=20)
    assert isinstance(unseeded.seed, int)  # the seed used is reported


def test_result_type(mtcars):
    a = cx.drivers(mtcars, outcome="mpg", drivers=["wt", "hp"], bootstrap=50, seed=1)
    assert "R^2 = 0.8268" in repr(a) and "wt 59.1%" in repr(a)
    assert "<table>" in a._repr_html_() and "95% interval" in a._repr_html_()
    d = a.to_dict()
    assert d["drivers"][0]["driver"] == "wt" and d["outcome"] == "mpg"
    with pytest.raises(AttributeError):
        a.r_squared = 1.0  # type: ignore[misc]
    # Two drivers: Shapley and Johnson agree (drivers_R_output.txt, case (c)).
    j = cx.drivers(mtcars, outcome="mpg", drivers=["wt", "hp"], method="relative_weights")
    assert j.to_frame()["importance"].tolist() == pytest.approx(a.to_frame()["importance"].tolist(), rel=1e-12)
    assert pickle.loads(pickle.dumps(a.to_dict())) == d


def test_plots_render(tmp_path, mtcars):
    import matplotlib.pyplot as plt

    a = cx.drivers(mtcars, outcome="mpg", drivers=["cyl", "disp", "hp", "gear", "wt"], bootstrap=100, seed=3)
    for kind in ("bar", "quadrant"):
        ax = a.plot(kind)
        assert ax.get_title()
        ax.figure.savefig(tmp_path / f"{kind}.png")
        assert (tmp_path / f"{kind}.png").stat().st_size > 1000
        plt.close(ax.figure)
    with pytest.raises(cx.InvalidInputError):
        a.plot("pie")


def test_errors(mtcars):
    data = {"y": [1.0, 2.0, 3.0, 4.0, 5.0, 7.0], "x": [2.0, 1.0, 4.0, 3.0, 6.0, 5.0], "c": [1.0] * 6}
    with pytest.raises(cx.InvalidDriversError, match='"c" is constant'):
        cx.drivers(data, outcome="y", drivers=["x", "c"])
    data["x2"] = [2 * v for v in data["x"]]
    with pytest.raises(cx.InvalidDriversError, match=r'\["x", "x2"\] are perfectly collinear'):
        cx.drivers(data, outcome="y", drivers=["x", "x2"])
    with pytest.raises(cx.InvalidInputError, match="not in the data"):
        cx.drivers(mtcars, outcome="mpg", drivers=["nope"])
    with pytest.raises(cx.InvalidInputError):
        cx.drivers(mtcars, outcome="mpg", drivers="cyl")
    with pytest.raises(cx.UnknownMethodError):
        cx.drivers(mtcars, outcome="mpg", drivers=["cyl"], method="lmg")
    with pytest.raises(cx.EmptyDataError):
        cx.drivers({"y": [1.0, 2.0], "x": [1.0, np.nan]}, outcome="y", drivers=["x"])
    with pytest.raises(cx.InvalidWeightError):
        cx.drivers(mtcars, outcome="mpg", drivers=["cyl"], weights=-mtcars["carb"])
    with pytest.raises(cx.InvalidScoreError, match="not finite"):
        cx.drivers({"y": [1.0, 2.0, 3.0, 4.0], "x": [1.0, np.inf, 2.0, 3.0]}, outcome="y", drivers=["x"])


def test_demo_data_drivers_of_repeat_purchase():
    from cxmetrics.demo import data_path

    df = pd.read_csv(data_path())
    wide = df.pivot_table(index="respondent_id", columns="touchpoint", values="csat", aggfunc="mean")
    wide["nps"] = df.groupby("respondent_id")["nps"].mean()
    a = cx.drivers(wide, outcome="nps", drivers=["delivery", "contact_center", "store_visit"])
    assert a.n + a.n_missing == len(wide)
    assert a.to_frame()["importance"].sum() == approx(a.r_squared)
