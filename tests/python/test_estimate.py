"""The Estimate object: attributes and types (as in _native.pyi), immutability, conversions, pickling."""

from __future__ import annotations

import copy
import json
import math
import pickle

import numpy as np
import pytest

import cxmetrics as cx

# Attribute name -> allowed types, from python/cxmetrics/_native.pyi
COMMON = {
    "indicator": (str,),
    "value": (float,),
    "lower": (float,),
    "upper": (float,),
    "confidence": (float,),
    "method": (str,),
    "std_error": (float,),
    "n": (int,),
    "effective_n": (float,),
    "n_missing": (int,),
    "unit": (str,),
    "weighted": (bool,),
}
OPTIONAL = {
    "scale": tuple,
    "successes": int,
    "promoters": float,
    "passives": float,
    "detractors": float,
    "n_promoters": int,
    "n_passives": int,
    "n_detractors": int,
}
NPS_ONLY = ("promoters", "passives", "detractors", "n_promoters", "n_passives", "n_detractors")
ALL_ATTRS = list(COMMON) + list(OPTIONAL)


def _examples() -> dict[str, cx.Estimate]:
    return {
        "nps": cx.nps([10, 9, 0, 7, None, 8, 3]),
        "nps_score": cx.nps([10, 9, 0, 7], method="score", confidence=0.9),
        "nps_counts": cx.nps_from_counts(20, 30, 50, method="wald"),
        "nps_weighted": cx.nps([10, 9, 0, 7], weights=[1.0, 2.0, 0.5, 1.0], method="wald"),
        "top_box": cx.top_box([5, 4, 1, 3, np.nan]),
        "csat": cx.csat([5, 4, 1, 3], method="jeffreys"),
        "ces": cx.ces([7, 5, 1, 3], method="clopper_pearson", confidence=0.99),
        "top_box_counts": cx.top_box_from_counts(18, 20, method="wilson_cc"),
        "top_box_weighted": cx.top_box([5, 4, 1, 3], weights=[1, 2, 3, 4], method="wald"),
        "mean": cx.mean_score([5, 4, 1, 3]),
        "mean_weighted": cx.mean_score([5, 4, 1, 3], weights=[1, 2, 3, 4], scale=(1, 5)),
    }


EXAMPLES = _examples()
INDICATOR = {
    "nps": "nps",
    "nps_score": "nps",
    "nps_counts": "nps",
    "nps_weighted": "nps",
    "top_box": "top_box",
    "csat": "csat",
    "ces": "ces",
    "top_box_counts": "top_box",
    "top_box_weighted": "top_box",
    "mean": "mean",
    "mean_weighted": "mean",
}
UNIT = {"nps": "points", "top_box": "percent", "csat": "percent", "ces": "percent", "mean": "score"}


def test_estimate_is_exported_and_not_constructible():
    assert cx.Estimate is type(EXAMPLES["nps"])
    with pytest.raises(TypeError):
        cx.Estimate()


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_attribute_types(name):
    e = EXAMPLES[name]
    for attr, types in COMMON.items():
        v = getattr(e, attr)
        assert isinstance(v, types), (attr, type(v))
        if types == (int,):
            assert not isinstance(v, bool), attr
    for attr, typ in OPTIONAL.items():
        v = getattr(e, attr)
        assert v is None or isinstance(v, typ), (attr, type(v))
    assert e.indicator == INDICATOR[name]
    assert e.unit == UNIT[e.indicator]
    is_nps = e.indicator == "nps"
    is_share = e.indicator in ("top_box", "csat", "ces")
    for attr in NPS_ONLY:
        assert (getattr(e, attr) is not None) == is_nps, attr
    assert (e.successes is not None) == is_share
    if e.scale is not None:
        assert len(e.scale) == 2 and all(isinstance(v, int) for v in e.scale)


def test_attribute_values_scale_and_flags():
    ex = EXAMPLES
    assert ex["nps"].scale == (0, 10)
    assert ex["nps_counts"].scale is None
    assert ex["top_box_counts"].scale is None
    assert ex["top_box"].scale == (1, 5)
    assert ex["ces"].scale == (1, 7)
    assert ex["mean"].scale == (1, 5)
    assert ex["nps"].n_missing == 1 and ex["top_box"].n_missing == 1 and ex["mean"].n_missing == 0
    assert ex["nps_weighted"].weighted and ex["top_box_weighted"].weighted and ex["mean_weighted"].weighted
    assert not ex["nps"].weighted and not ex["top_box_counts"].weighted
    assert ex["nps_score"].confidence == 0.9 and ex["ces"].confidence == 0.99
    assert ex["mean"].method == "t"
    for e in ex.values():
        if not e.weighted:
            assert e.effective_n == float(e.n)


@pytest.mark.parametrize("attr", ALL_ATTRS)
def test_immutable(attr):
    e = cx.nps([10, 9, 0])
    before = getattr(e, attr)
    with pytest.raises(AttributeError):
        setattr(e, attr, 1)
    with pytest.raises(AttributeError):
        delattr(e, attr)
    assert getattr(e, attr) == before


def test_no_new_attributes():
    e = cx.top_box([5, 4, 1])
    with pytest.raises(AttributeError):
        e.note = "x"  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        e.__dict__  # noqa: B018


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_to_dict(name):
    e = EXAMPLES[name]
    d = e.to_dict()
    assert isinstance(d, dict)
    for key in COMMON:
        assert key in d, key
        assert d[key] == getattr(e, key)
    assert d["scale"] == e.scale
    if e.indicator == "nps":
        for key in NPS_ONLY:
            assert d[key] == getattr(e, key)
        assert "successes" not in d or d["successes"] is None
    elif e.indicator == "mean":
        assert not set(NPS_ONLY) & set(d)
        assert d.get("successes") is None
    else:
        assert d["successes"] == e.successes
        assert not set(NPS_ONLY) & set(d)
    # a fresh dict each time (mutating it cannot touch the estimate)
    d["value"] = 123456.0
    assert e.to_dict()["value"] == e.value
    # plain Python values only
    json.dumps(e.to_dict())


def test_to_dict_exact_keys():
    base = {"indicator", "value", "lower", "upper", "confidence", "method", "std_error", "n", "effective_n", "n_missing", "unit", "weighted", "scale"}
    assert set(EXAMPLES["nps"].to_dict()) == base | set(NPS_ONLY)
    assert set(EXAMPLES["top_box"].to_dict()) == base | {"successes"}
    assert set(EXAMPLES["mean"].to_dict()) == base


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_repr(name):
    e = EXAMPLES[name]
    r = repr(e)
    assert r.startswith("Estimate(")
    assert f"indicator='{e.indicator}'" in r
    assert "value=" in r
    assert f"method='{e.method}'" in r
    assert f"n={e.n}" in r
    assert f"unit='{e.unit}'" in r


def test_repr_shows_value():
    assert "value=30" in repr(cx.nps_from_counts(20, 30, 50))
    assert "value=3.7" in repr(cx.mean_score([5, 4, 4, 3, 5, 1, 2, 5, 4, 4]))


def test_str_plain_language():
    e = cx.nps_from_counts(20, 30, 50, method="wald")
    assert str(e) == "NPS 30.0 points (95% CI 14.7 to 45.3, wald; n = 100)"
    s = str(cx.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0]))
    assert s == "NPS 20.0 points (95% CI -30.3 to 61.1, adjusted_wald; n = 10)"  # module docstring
    s = str(cx.csat([5, 4, 4, 3, 5, 1, 2, 5, 4, 4, None]))
    assert s.startswith("CSAT 70.0%") and "95% CI" in s and "wilson" in s and "n = 10" in s and "1 missing" in s
    s = str(cx.ces([7, 6, 5, 1, 2], confidence=0.9))
    assert s.startswith("CES 60.0%") and "90% CI" in s
    s = str(cx.top_box_from_counts(3, 10))
    assert s.startswith("Top-box 30.0%")
    s = str(cx.mean_score([5, 4, 4, 3, 5, 1, 2, 5, 4, 4]))
    assert s.startswith("Mean score 3.7") and "t" in s and "n = 10" in s
    for e in EXAMPLES.values():
        text = str(e)
        assert "CI" in text and "Estimate(" not in text and "\n" not in text


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_repr_html(name):
    e = EXAMPLES[name]
    html = e._repr_html_()
    assert isinstance(html, str)
    assert "<table" in html and "</table>" in html
    assert e.method in html


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_pickle_round_trip(name):
    e = EXAMPLES[name]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(e, protocol=protocol))
        assert back == e
        assert back is not e
        assert back.to_dict() == e.to_dict()
    assert copy.copy(e) == e
    assert copy.deepcopy(e) == e


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_json_round_trip(name):
    e = EXAMPLES[name]
    text = e.to_json()
    assert isinstance(text, str)
    data = json.loads(text)
    assert data["indicator"] == e.indicator
    assert data["value"] == e.value and data["lower"] == e.lower and data["upper"] == e.upper
    back = cx.Estimate.from_json(text)
    assert back == e
    assert back.to_dict() == e.to_dict()
    # floats survive exactly
    for attr in ("value", "lower", "upper", "std_error", "effective_n", "confidence"):
        assert getattr(back, attr) == getattr(e, attr)


def test_from_json_rejects_garbage():
    with pytest.raises(cx.CxError):
        cx.Estimate.from_json("not json")
    with pytest.raises(cx.CxError):
        cx.Estimate.from_json('{"value": 1}')
    with pytest.raises((cx.CxError, TypeError)):
        cx.Estimate.from_json(5)  # type: ignore[arg-type]


def test_equality():
    a = cx.nps([10, 9, 0])
    assert a == cx.nps([10, 9, 0])
    assert a != cx.nps([10, 9, 0], confidence=0.9)
    assert a != cx.nps([10, 9, 0], method="wald")
    assert a != cx.nps([10, 9, 0, None])  # n_missing differs
    assert a != cx.top_box([5, 4, 1])
    assert (a == 3) is False
    assert (a == "nps") is False
    assert a != None  # noqa: E711


def test_values_are_finite():
    for e in EXAMPLES.values():
        for attr in ("value", "lower", "upper", "std_error", "effective_n", "confidence"):
            assert math.isfinite(getattr(e, attr)), attr
