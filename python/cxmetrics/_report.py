"""Grouped reports: one tidy row per group and indicator (``cx.summarize``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _convert, _native
from ._frames import accepts_frames
from ._errors import InvalidInputError
from ._frames import backend as _backend
from ._frames import column as _column
from ._frames import group_codes as _group_codes
from ._frames import integer_keys as _integer_keys
from ._frames import key_array as _key_array
from ._frames import string_codes as _string_codes  # noqa: F401 (tests check the Rust path through it)

# Defaults per indicator keyword: (native kind, scale, top).
_DEFAULTS: dict[str, tuple[str, tuple[int, int], int]] = {
    "nps": ("nps", (0, 10), 0),
    "csat": ("csat", (1, 5), 2),
    "ces": ("ces", (1, 7), 3),
    "mean": ("mean", (1, 5), 0),
}

COLUMNS = [
    "indicator",
    "value",
    "lower",
    "upper",
    "std_error",
    "n",
    "effective_n",
    "n_missing",
    "small_sample",
    "difference",
    "p_value",
    "p_adjusted",
]


_SPEC_KEYS = ("column", "scale", "top", "method", "n_resamples", "seed")


def _spec(keyword: str, spec: Any) -> dict[str, Any]:
    """``"column"`` or ``{"column": ..., "scale": ..., "top": ..., "method": ..., "n_resamples": ...,
    "seed": ...}`` to a full spec (``n_resamples`` and ``seed`` apply to the resampling methods)."""
    kind, scale, top = _DEFAULTS[keyword]
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict) or "column" not in spec:
        raise InvalidInputError(
            f"{keyword}= takes a column name or a dict with 'column' (and optionally 'scale', 'top', "
            f"'method'), got {spec!r}"
        )
    unknown = set(spec) - set(_SPEC_KEYS)
    if unknown:
        raise InvalidInputError(f"{keyword}= has unknown keys {sorted(unknown)}; use {', '.join(_SPEC_KEYS)}")
    return {
        "keyword": keyword,
        "kind": kind,
        "column": spec["column"],
        "scale": _convert.as_scale(spec.get("scale", scale), f"{keyword} scale"),
        "top": _convert.as_count(spec.get("top", top), "top"),
        "method": None if spec.get("method") is None else _convert.as_name(spec["method"], "method"),
        "n_resamples": None if spec.get("n_resamples") is None else _convert.as_size(spec["n_resamples"], "n_resamples"),
        "seed": None if spec.get("seed") is None else _convert.as_seed(spec["seed"]),
    }


def _specs(function: str, nps: Any, csat: Any, ces: Any, mean: Any) -> list[dict[str, Any]]:
    """The full specs of the indicators asked for (at least one)."""
    specs = [_spec(k, v) for k, v in (("nps", nps), ("csat", csat), ("ces", ces), ("mean", mean)) if v is not None]
    if not specs:
        raise InvalidInputError(f"{function}() needs at least one of nps=, csat=, ces=, mean= (a column name)")
    return specs


def _indicator_columns(data: Any, specs: list[dict[str, Any]], weighted: bool, rows: Any = None) -> list[tuple[Any, ...]]:
    """The native form of each indicator: ``(scores, kind, lo, hi, top, method)``, scores restricted
    to ``rows`` when given. A spec without a method takes the core's default (weighted NPS: Wald,
    the NPS method with a weighted form); ``weighted`` is kept for the callers' symmetry."""
    columns = []
    for spec in specs:
        scores = _convert.as_array(_column(data, spec["column"], spec["keyword"]), spec["column"])
        if rows is not None:
            scores = scores[rows]
        lo, hi = spec["scale"]
        columns.append((scores, spec["kind"], lo, hi, spec["top"], spec["method"], spec["n_resamples"], spec["seed"]))
    return columns


@accepts_frames
def summarize(
    data: Any,
    *,
    by: Any = None,
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    mean: Any = None,
    weights: str | None = None,
    min_n: int = 30,
    confidence: float = 0.95,
    p_adjust: str = "holm",
) -> Any:
    """Indicators per group in one tidy frame: one row per group and indicator, plus overall rows.

    ``nps=``, ``csat=``, ``ces=``, ``mean=`` name the columns; each may also be a dict
    ``{"column": ..., "scale": (1, 7), "top": 2, "method": "wilson"}``, and with a resampling method
    (``"bootstrap"``, ``"bootstrap_bca"``, ``"bayes"``) ``"n_resamples"`` and ``"seed"`` as in
    ``cx.nps`` (every group resampled with that seed). ``by`` is a column name or a
    list of them (missing keys form a group of their own); ``weights`` a column name (weighted NPS
    uses ``"wald"``, the NPS method with a weighted form, unless another is asked for, which raises).

    Columns: the ``by`` columns (missing on the overall rows, which come first), ``indicator`` (``"nps"``, ``"csat"``,
    ``"ces"``, ``"mean"``), ``value``, ``lower``, ``upper``, ``std_error``, ``n``, ``effective_n``,
    ``n_missing``, ``small_sample`` (``n < min_n``), and the comparison of the group with the rest of
    the data (``difference`` = group - rest, ``p_value``, ``p_adjusted`` over all groups of the
    indicator with ``p_adjust``). With ``nps=``, the columns ``detractors``, ``passives`` and
    ``promoters`` give the NPS breakdown in percent (missing on the other indicators' rows). Every group's figures are exactly what ``cx.nps`` / ``cx.csat`` /
    ``cx.ces`` / ``cx.mean_score`` give on that group alone; a group without usable answers gets NaN.

    pandas in gives pandas out; polars in gives polars out. Counting is one pass per indicator over
    integer group codes in Rust.

    >>> import pandas as pd, cxmetrics as cx
    >>> df = pd.DataFrame({"touchpoint": ["web", "web", "store", "store"], "ltr": [10, 9, 3, 9]})
    >>> cx.summarize(df, by="touchpoint", nps="ltr", min_n=1)[["touchpoint", "indicator", "value", "n"]]
      touchpoint indicator  value  n
    0        NaN       nps   50.0  4
    1      store       nps    0.0  2
    2        web       nps  100.0  2
    """
    backend = _backend(data)
    specs = _specs("summarize", nps, csat, ces, mean)
    by_list: list[Any] = _convert.as_column_names(by, "by")
    height = len(data)
    w = None if weights is None else _convert.as_weights(_column(data, weights, "weights"))
    conf = _convert.as_confidence(confidence)
    min_n = _convert.as_size(min_n, "min_n")
    method_adjust = _convert.as_name(p_adjust, "p_adjust")
    columns = _indicator_columns(data, specs, w is not None)
    names = [str(spec["column"]) for spec in specs]
    for name in by_list:
        _column(data, name, "by")
    integer_keys = _integer_keys(data[by_list[0]], backend) if len(by_list) == 1 else None
    if integer_keys is not None:
        # One integer key column: grouped in Rust straight from the keys (no factorization pass).
        found, reports = _native.summarize_grouped(
            integer_keys, None, 0, columns, names, w, conf, method_adjust, "omit"
        )
        keys: dict[Any, list[Any]] = {by_list[0]: found.tolist()}
    elif by_list:
        codes, keys = _group_codes(data, by_list, backend)
        n_groups = len(next(iter(keys.values())))
        _, reports = _native.summarize_grouped(
            None, codes, n_groups, columns, names, w, conf, method_adjust, "omit"
        )
    else:
        _, reports = _native.summarize_grouped(
            None, np.zeros(height, dtype=np.uint32), 1, columns, names, w, conf, method_adjust, "omit"
        )
        keys = {}
    rows = len(reports[0]["n"]) if by_list else 1
    out: dict[str, Any] = {}
    for name in by_list:
        out[name] = [value for _ in specs for value in [None, *keys[name]]]
    out["indicator"] = np.repeat([spec["keyword"] for spec in specs], rows)
    for field in ("value", "lower", "upper", "std_error", "n", "effective_n", "n_missing", "difference", "p_value", "p_adjusted"):
        out[field] = np.concatenate([report[field][:rows] for report in reports])
    out["small_sample"] = out["n"] < min_n
    names = [*by_list, *COLUMNS]
    if any(spec["kind"] == "nps" for spec in specs):
        # The NPS breakdown (percent; missing on the other indicators' rows), for cx.plot.nps_bars.
        for field in ("detractors", "passives", "promoters"):
            out[field] = np.concatenate([report[field][:rows] for report in reports])
        names += ["detractors", "passives", "promoters"]
    out = {name: out[name] for name in names}
    for name in ("n", "n_missing"):
        out[name] = out[name].astype(np.int64)
    if backend == "pandas":
        import pandas as pd

        for name in by_list:
            out[name] = _key_array(pd, out[name], data[name].dtype)
        return pd.DataFrame(out)
    import polars as pl

    # Missing figures (overall rows' comparisons, groups without answers) are nulls in polars.
    return pl.DataFrame(out, strict=False).fill_nan(None)
