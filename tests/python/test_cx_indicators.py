"""Indicators from the CX literature (issue 4, first part): eNPS, repurchase intention (IR),
satisfaction index (ISAT) and the NPS category of each score."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx

XA = [5, 4, 4, 3, 5, 1, 2, 5, 4, 4]


def test_enps_is_the_nps_labelled_for_employees():
    scores = [9, 10, 6, 8, 0, 7, 10, 9]
    for method in ("wald", "adjusted_wald", "score"):
        e, n = cx.enps(scores, method=method), cx.nps(scores, method=method)
        assert e.indicator == "enps" and n.indicator == "nps"
        assert (e.value, e.lower, e.upper, e.std_error) == (n.value, n.lower, n.upper, n.std_error)
    assert str(cx.enps(scores)).startswith("eNPS ")
    with pytest.raises(cx.IncomparableError):
        cx.compare(cx.enps(scores), cx.nps(scores))


def test_repurchase_is_a_top_box_share():
    scores = [5, 4, 1, 2, 5, 3, 4]
    r, t = cx.repurchase(scores), cx.top_box(scores)
    assert r.indicator == "repurchase" and r.unit == "percent"
    assert (r.value, r.lower, r.upper) == (t.value, t.lower, t.upper)
    assert cx.compare(r, cx.repurchase([1, 2, 5])).method == "newcombe"


def test_satisfaction_index_rescales_the_t_interval():
    # R: t.test(c(5,4,4,3,5,1,2,5,4,4))$conf.int = (2.74321478103839, 4.65678521896161), mean 3.7
    e = cx.satisfaction_index(XA)
    assert e.indicator == "satisfaction_index" and e.unit == "index"
    assert e.value == pytest.approx(100 * (3.7 - 1) / 4, rel=1e-14)
    assert e.lower == pytest.approx(100 * (2.74321478103839 - 1) / 4, rel=1e-12)
    assert e.upper == pytest.approx(100 * (4.65678521896161 - 1) / 4, rel=1e-12)
    assert e.std_error == pytest.approx(100 * cx.mean_score(XA).std_error / 4, rel=1e-14)
    # 0-10 scale
    assert cx.satisfaction_index([0, 10], scale=(0, 10)).value == 50.0
    c = cx.compare(cx.satisfaction_index([5, 4, 4, 3]), cx.satisfaction_index([1, 2, 3, 3]))
    assert c.method == "welch" and "index points" in c.verdict
    assert cx.test_against(e, 50).unit == "index"


def test_nps_category_keeps_missing_and_type():
    assert cx.nps_category([10, 9, 8, 7, 6, 0, None]).tolist() == [
        "promoter",
        "promoter",
        "passive",
        "passive",
        "detractor",
        "detractor",
        None,
    ]
    s = pd.Series([10, None, 3], dtype="Int64", index=[7, 8, 9], name="ltr")
    out = cx.nps_category(s)
    assert isinstance(out, pd.Series) and list(out.index) == [7, 8, 9] and out.name == "ltr"
    assert list(out.cat.categories) == ["detractor", "passive", "promoter"]
    assert out.isna().tolist() == [False, True, False]
    p = cx.nps_category(pl.Series("ltr", [10, None, 3]))
    assert isinstance(p, pl.Series) and p.to_list() == ["promoter", None, "detractor"]
    assert cx.nps_category(np.array([], dtype=np.uint8)).tolist() == []
    assert cx.nps_category([np.nan, np.nan]).tolist() == [None, None]
    with pytest.raises(cx.InvalidScoreError, match="score 11 at position 1"):
        cx.nps_category([10, 11])
    with pytest.raises(cx.InvalidScoreError, match="7.5"):
        cx.nps_category([7.5])
