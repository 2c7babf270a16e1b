"""cxmetrics: customer-experience indicators with honest confidence intervals.

NPS, CSAT, CES, any top-box share and mean scores from lists, NumPy arrays, pandas or polars Series,
computed in Rust. Conventions: NPS in points (-100..100), shares in percent (0..100), means in the
scale's units; ``value`` is the plain estimate; intervals are clipped to the indicator's range; nothing
is rounded. Missing answers (NaN, None, NA) are excluded and counted in ``n_missing`` with
``nan_policy="omit"`` (the default) or raise with ``nan_policy="raise"``.

>>> import cxmetrics as cx
>>> e = cx.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
>>> e.value
20.0
>>> print(e)
NPS 20.0 points (95% CI -30.3 to 61.1, adjusted_wald; n = 10)
"""

# This module only re-exports: each concept lives in its own module (_indicators, _comparisons,
# _planning, _report (grouped reports), _trend (trends, alerts, control charts), _business,
# _drivers, _text, _read (reading), _frames (data frames in)); the native module only converts and
# delegates to the Rust core. The one statement that is not a re-export, `_hooks`, hands the
# package's exception classes, conversion and plotting to the native module (which never imports the
# package); it runs first so that every later import sees them.

from __future__ import annotations

from . import _hooks  # noqa: F401  (installs the native module's hooks)
from . import plot
from ._business import loyalty_index, outcomes, secure_customers
from ._comparisons import adjust_pvalues, compare, nps_paired, test_against
from ._drivers import DriverAnalysis, FitIssueWarning, RepairedCorrelationWarning, drivers
from ._errors import (
    CxError,
    EmptyDataError,
    IncomparableError,
    InputChangedError,
    InvalidConfidenceError,
    InvalidCountsError,
    InvalidDriversError,
    InvalidFileError,
    InvalidInputError,
    InvalidParameterError,
    InvalidPlanningError,
    InvalidPValueError,
    InvalidRecordError,
    InvalidScaleError,
    InvalidScoreError,
    InvalidWeightError,
    LengthMismatchError,
    MissingValueError,
    UnknownMethodError,
    UnsupportedMethodError,
)
from ._indicators import (
    ces,
    csat,
    enps,
    mean_score,
    nps,
    nps_category,
    nps_from_counts,
    repurchase,
    satisfaction_index,
    top_box,
    top_box_from_counts,
)
from ._native import Comparison, Estimate, ScoreCounts, __version__
from ._planning import minimum_detectable_difference, sample_size, sample_size_per_group
from ._read import ReadResult, read_responses
from ._report import summarize
from ._shrink import funnel, rank, shrink
from ._text import key_terms
from ._trend import alerts, cusum, ewma, nps_chart, p_chart, trend

__all__ = [
    "__version__",
    "Estimate",
    "ScoreCounts",
    "nps",
    "nps_from_counts",
    "top_box",
    "top_box_from_counts",
    "csat",
    "ces",
    "mean_score",
    "enps",
    "repurchase",
    "satisfaction_index",
    "nps_category",
    "loyalty_index",
    "secure_customers",
    "outcomes",
    "drivers",
    "DriverAnalysis",
    "RepairedCorrelationWarning",
    "FitIssueWarning",
    "key_terms",
    "trend",
    "alerts",
    "p_chart",
    "nps_chart",
    "ewma",
    "cusum",
    "plot",
    "funnel",
    "rank",
    "shrink",
    "summarize",
    "read_responses",
    "ReadResult",
    "Comparison",
    "compare",
    "nps_paired",
    "test_against",
    "adjust_pvalues",
    "sample_size",
    "sample_size_per_group",
    "minimum_detectable_difference",
    "CxError",
    "IncomparableError",
    "InvalidFileError",
    "InvalidPlanningError",
    "InvalidPValueError",
    "InvalidRecordError",
    "EmptyDataError",
    "InvalidConfidenceError",
    "InvalidDriversError",
    "InvalidCountsError",
    "InvalidInputError",
    "InvalidParameterError",
    "InputChangedError",
    "InvalidScaleError",
    "InvalidScoreError",
    "InvalidWeightError",
    "LengthMismatchError",
    "MissingValueError",
    "UnknownMethodError",
    "UnsupportedMethodError",
]


def __dir__() -> list[str]:
    """Only the public API (``dir(cx)``, tab completion): no private modules or helpers."""
    return sorted(__all__)
