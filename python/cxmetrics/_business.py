"""Indicators over several columns of the same respondents (loyalty index, secure customers) and the
link to business results (``cx.outcomes``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import _convert, _native
from ._frames import accepts_frames
from ._errors import InvalidInputError
from ._frames import floats as _floats
from ._frames import weights as _weights
from ._native import Estimate


@accepts_frames
def loyalty_index(
    data: Any,
    *,
    items: Mapping[str, tuple[int, int]],
    item_weights: Mapping[str, float] | Sequence[float] | None = None,
    weights: Any = None,
    confidence: float = 0.95,
) -> Estimate:
    """Loyalty index (IF), 0-100: each respondent's index is the (item-weighted) mean of their answers
    to the loyalty items, each rescaled to 0-100 (``100 (x - min) / (max - min)``); the indicator is
    the mean of those indexes with a t interval (weighted: linearisation variance, as R ``survey``).

    Parameters
    ----------
    data
        pandas or polars DataFrame (or a mapping of columns), one row per respondent.
    items
        Column names mapped to their scales, e.g. ``{"ltr": (0, 10), "sat": (1, 5), "rep": (1, 5)}``.
    item_weights
        One positive weight per item (a mapping by column name, or a sequence in ``items`` order);
        equal weights by default.
    weights
        Respondent weights: a column name or an array.

    Respondents missing any item are excluded and counted in ``n_missing``. The estimate has
    ``indicator == "loyalty_index"`` and unit ``"index"``.

    >>> import cxmetrics as cx
    >>> data = {"ltr": [10, 8, 6, None], "sat": [5, 4, 3, 5]}
    >>> e = cx.loyalty_index(data, items={"ltr": (0, 10), "sat": (1, 5)})
    >>> round(e.value, 4), e.n, e.n_missing
    (77.5, 3, 1)
    """
    if not isinstance(items, Mapping) or not items:
        raise InvalidInputError("items must map column names to scales, e.g. {'ltr': (0, 10), 'sat': (1, 5)}")
    columns = []
    for name, scale in items.items():
        lo, hi = _convert.as_scale(scale, f"items[{name!r}]")
        columns.append((name, _floats(data, name), lo, hi, 0))
    if item_weights is None:
        iw = None
    elif isinstance(item_weights, Mapping):
        unknown = set(item_weights) - set(items)
        if unknown:
            raise InvalidInputError(f"item_weights names columns that are not items: {sorted(unknown)}")
        missing = [name for name in items if name not in item_weights]
        if missing:
            raise InvalidInputError(f"item_weights lacks a weight for {missing}")
        iw = [_convert.as_real(item_weights[name], "item_weights") for name in items]
    elif isinstance(item_weights, (str, bytes, bytearray, memoryview)) or not isinstance(item_weights, (list, tuple, np.ndarray)):
        raise InvalidInputError(
            f"item_weights must be a mapping from item to weight or a sequence of weights, got {type(item_weights).__name__}"
        )
    else:
        iw = [_convert.as_real(w, "item_weights") for w in item_weights]
        if len(iw) != len(items):
            raise InvalidInputError(f"item_weights has {len(iw)} weights but there are {len(items)} items")
    w = _weights(data, weights)
    return _native.loyalty_index(columns, iw, w, _convert.as_confidence(confidence))


@accepts_frames
def secure_customers(
    data: Any,
    *,
    nps: str,
    csat: str,
    repurchase: str,
    csat_scale: tuple[int, int] = (1, 5),
    repurchase_scale: tuple[int, int] = (1, 5),
    top: int = 2,
    weights: Any = None,
    method: str = "wilson",
    confidence: float = 0.95,
) -> Estimate:
    """Secure customers: the share (percent) of respondents who are at once promoters (9-10 on the 0-10
    ``nps`` column), satisfied (top ``top`` of ``csat``) and likely to repurchase (top ``top`` of
    ``repurchase``), with a Wilson interval (any share ``method``; weighted with ``weights``).

    ``nps``, ``csat`` and ``repurchase`` name columns of ``data`` (pandas or polars DataFrame or a
    mapping of columns). Respondents missing any of the three answers are excluded and counted in
    ``n_missing``.

    >>> import cxmetrics as cx
    >>> data = {"ltr": [10, 9, 9, 6, 10], "sat": [5, 4, 3, 5, None], "rep": [4, 5, 5, 5, 5]}
    >>> e = cx.secure_customers(data, nps="ltr", csat="sat", repurchase="rep")
    >>> e.value, e.n, e.n_missing
    (50.0, 4, 1)
    """
    t = _convert.as_size(top, "top")
    criteria = [
        (nps, _floats(data, nps, parameter="nps"), 0, 10, 2),
        (csat, _floats(data, csat, parameter="csat"), *_convert.as_scale(csat_scale, "csat_scale"), t),
        (repurchase, _floats(data, repurchase, parameter="repurchase"), *_convert.as_scale(repurchase_scale, "repurchase_scale"), t),
    ]
    return _native.secure_customers(
        criteria, _weights(data, weights), _convert.as_name(method, "method"), _convert.as_confidence(confidence)
    )


OUTCOME_COLUMNS = ["category", "n", "value", "lower", "upper", "std_error", "p_value", "method"]


@accepts_frames
def outcomes(
    data: Any,
    *,
    nps: str,
    outcome: str,
    confidence: float = 0.95,
    kind: str = "auto",
) -> Any:
    """A business outcome among detractors, passives and promoters, and the promoter - detractor gap.

    ``outcome`` names a column of ``data``: 0/1 (or boolean) such as "bought again within 90 days" or
    "churned" gives a rate in percent with a Wilson interval; a number such as revenue gives a mean with
    a t interval (``kind="auto"`` decides by the values; ``"binary"`` or ``"numeric"`` forces it).

    Returns one row per ``category`` (``"detractor"``, ``"passive"``, ``"promoter"``) with ``n``,
    ``value``, ``lower``, ``upper``, ``std_error``, and a row ``"promoter - detractor"`` with the
    difference in ``value``, its interval and ``p_value`` (Newcombe's hybrid score interval and the
    Miettinen-Nurminen score test for rates, as ``cx.compare``; Welch for means); ``method`` names the interval. pandas in gives
    pandas out, polars in gives polars out (a mapping of columns gives pandas). Rows missing the NPS
    answer or the outcome are excluded; their number is in ``frame.attrs["n_missing"]`` (pandas).

    >>> import pandas as pd, cxmetrics as cx
    >>> df = pd.DataFrame({"ltr": [10, 9, 9, 10, 7, 8, 3, 5, 6, 0],
    ...                    "bought_again": [1, 1, 0, 1, 1, 0, 0, 1, 0, 0]})
    >>> cx.outcomes(df, nps="ltr", outcome="bought_again")[["category", "n", "value"]]
                   category  n  value
    0             detractor  4   25.0
    1               passive  2   50.0
    2              promoter  4   75.0
    3  promoter - detractor  8   50.0
    """
    kind_name = _convert.as_name(kind, "kind")
    scores = _floats(data, nps, parameter="nps")
    values = _floats(data, outcome, allow_bool=True, parameter="outcome")
    result = _native.outcome_by_category(
        scores, values, None if kind_name == "auto" else kind_name, _convert.as_confidence(confidence)
    )
    sizes, estimates, difference, n_missing = result.n, result.estimates, result.difference, result.n_missing
    rows: dict[str, list[Any]] = {name: [] for name in OUTCOME_COLUMNS}
    for category, n, e in zip(("detractor", "passive", "promoter"), sizes, estimates):
        rows["category"].append(category)
        rows["n"].append(int(n))
        for field in ("value", "lower", "upper", "std_error"):
            rows[field].append(np.nan if e is None else getattr(e, field))
        rows["p_value"].append(np.nan)
        rows["method"].append(None if e is None else e.method)
    rows["category"].append("promoter - detractor")
    rows["n"].append(int(sizes[0] + sizes[2]))
    for field, attr in (("value", "difference"), ("lower", "lower"), ("upper", "upper"), ("std_error", "std_error")):
        rows[field].append(np.nan if difference is None else getattr(difference, attr))
    rows["p_value"].append(np.nan if difference is None else difference.p_value)
    rows["method"].append(None if difference is None else difference.method)
    if type(data).__module__.split(".")[0] == "polars":
        import polars as pl

        # Missing figures are nulls in polars.
        return pl.DataFrame(rows, schema_overrides={"n": pl.Int64}, strict=False).fill_nan(None)
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("int64")
    frame.attrs["n_missing"] = int(n_missing)
    frame.attrs["kind"] = result.kind
    return frame
