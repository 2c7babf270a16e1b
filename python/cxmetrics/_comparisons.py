"""Comparisons: two independent estimates, the same respondents twice (paired NPS), an estimate
against a target, and the adjustment of p-values for multiple comparisons."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError
from ._native import Comparison, Estimate


def _alternative(alternative: Any) -> str:
    return _convert.as_name(alternative, "alternative")


def compare(
    a: Estimate,
    b: Estimate,
    *,
    method: str | None = None,
    confidence: float | None = None,
    alternative: str = "two-sided",
) -> Comparison:
    """Difference ``a - b`` between two independent estimates of the same indicator (sign kept).

    Methods: NPS ``"adjusted_wald"`` (default; each group adjusted with 0.75/1.5/0.75 pseudo-counts) or
    ``"wald"``; shares ``"newcombe"`` (default; hybrid score, Newcombe 1998 method 10),
    ``"agresti_caffo"``, ``"score"`` (Miettinen-Nurminen, as statsmodels) or ``"wald"``; means
    ``"welch"``. Weighted estimates take ``"wald"`` (NPS, shares) or ``"newcombe"`` (shares, with the
    weighted Wilson limits) and ``"welch"`` (means).

    ``confidence=None`` uses the estimates' level. ``alternative``: ``"two-sided"``, ``"greater"``
    (a > b) or ``"less"`` (a < b); one-sided alternatives give one-sided intervals (as scipy).

    >>> import cxmetrics as cx
    >>> c = cx.compare(cx.top_box_from_counts(56, 70), cx.top_box_from_counts(48, 80))
    >>> round(c.lower, 2), round(c.upper, 2)
    (5.24, 33.39)
    """
    if not isinstance(a, Estimate) or not isinstance(b, Estimate):
        raise InvalidInputError("compare() takes two Estimate objects, e.g. cx.nps(...) results")
    conf = None if confidence is None else _convert.as_confidence(confidence)
    name = None if method is None else _convert.as_name(method, "method")
    return _native.compare(a, b, name, conf, _alternative(alternative))


def nps_paired(
    before: Any,
    after: Any,
    *,
    confidence: float = 0.95,
    alternative: str = "two-sided",
) -> Comparison:
    """Change in NPS of the same respondents, ``NPS(after) - NPS(before)`` in points.

    ``before[i]`` and ``after[i]`` are respondent ``i``'s 0-10 scores. The interval is
    ``mean(d) ± z sd(d)/sqrt(n)`` over the per-respondent changes of category (+1/0/-1), ddof 1.
    Pairs with a missing side are dropped and counted in ``n_missing``.
    """
    b = _convert.as_array(before, "before")
    a = _convert.as_array(after, "after")
    return _native.nps_paired(
        b.astype(np.float64, copy=False),
        a.astype(np.float64, copy=False),
        _convert.as_confidence(confidence),
        _alternative(alternative),
    )


def test_against(estimate: Estimate, target: float, *, alternative: str = "two-sided") -> Comparison:
    """Tests an estimate against a benchmark or target (in its unit: points, percent, scale).

    z test with the estimate's own standard error: for shares the variance at the estimate,
    ``p(1-p)/n`` (as statsmodels ``proportions_ztest``), weighted the linearisation variance. The
    interval is the Wald interval of the difference, ``(value - target) -+ z std_error`` (one-sided
    for a one-sided alternative), clipped to the indicator's range minus the target: not the
    estimate's own (Wilson, adjusted Wald...) interval shifted.
    """
    if not isinstance(estimate, Estimate):
        raise InvalidInputError("test_against() takes an Estimate, e.g. a cx.nps(...) result")
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, numbers.Real):
        raise InvalidInputError(f"target must be a number, got {target!r}")
    return _native.test_against(estimate, _convert.as_real(target, "target", finite=False), _alternative(alternative))


def adjust_pvalues(p_values: Any, *, method: str = "holm") -> np.ndarray:
    """Adjusted p-values in the input order, as R ``p.adjust``: ``"holm"``, ``"bh"``
    (Benjamini-Hochberg) or ``"bonferroni"``. pandas in gives pandas out (same index).

    >>> import cxmetrics as cx
    >>> cx.adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="bh").tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    values = _convert.as_array(p_values, "p_values").astype(np.float64, copy=False)
    adjusted = np.asarray(_native.adjust_pvalues(values.tolist(), _convert.as_name(method, "method")))
    if type(p_values).__module__.split(".")[0] == "pandas" and hasattr(p_values, "index"):
        import pandas as pd

        return pd.Series(adjusted, index=p_values.index, name=getattr(p_values, "name", None))  # type: ignore[return-value]
    return adjusted
