"""Type stubs of the native module ``cxmetrics._native`` (checked with ``mypy.stubtest``)."""

from typing import Any, final

import numpy as np
import numpy.typing as npt

__version__: str
FREQUENCIES: list[str]
ALERT_REASON_COLUMNS: dict[str, list[str]]
__all__ = [
    "Comparison",
    "DriverResult",
    "OutcomeResult",
    "Estimate",
    "KeyTermsTable",
    "ReadColumn",
    "ReadTable",
    "ScoreCounts",
    "__version__",
    "FREQUENCIES",
    "ALERT_REASON_COLUMNS",
    "adjust_pvalues",
    "alerts_grouped",
    "period_indices",
    "period_starts",
    "compare",
    "cusum",
    "driver_analysis",
    "ewma",
    "factorize_strings",
    "install_hooks",
    "key_terms",
    "loyalty_index",
    "mean_score",
    "minimum_detectable_difference",
    "nps",
    "nps_chart",
    "nps_from_counts",
    "nps_paired",
    "outcome_by_category",
    "p_chart",
    "read_responses",
    "text_values",
    "sample_size",
    "sample_size_per_group",
    "secure_customers",
    "funnel_grouped",
    "rank_grouped",
    "shrink_grouped",
    "shrink_score_counts",
    "shrink_summarised",
    "summarize_grouped",
    "test_against",
    "top_box",
    "top_box_from_counts",
    "trend_grouped",
]

@final
class Estimate:
    """An indicator's estimate with its confidence interval (immutable)."""

    def plot(self, *, ax: Any = None) -> Any: ...
    @property
    def indicator(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def std_error(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def effective_n(self) -> float: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def scale(self) -> tuple[int, int] | None: ...
    @property
    def successes(self) -> int | None: ...
    @property
    def promoters(self) -> float | None: ...
    @property
    def passives(self) -> float | None: ...
    @property
    def detractors(self) -> float | None: ...
    @property
    def n_promoters(self) -> int | None: ...
    @property
    def n_passives(self) -> int | None: ...
    @property
    def n_detractors(self) -> int | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str | bytes | bytearray | memoryview) -> Estimate: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self) -> str: ...

_Array = npt.NDArray[np.integer[Any] | np.floating[Any]]

def install_hooks(errors: dict[str, type[ValueError]], convert: Any, plot: Any) -> None: ...
def nps(
    scores: _Array,
    weights: npt.NDArray[np.float64] | None,
    method: str | None,
    confidence: float,
    nan_policy: str,
    employee: bool = False,
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate: ...
def nps_from_counts(detractors: int, passives: int, promoters: int, method: str, confidence: float) -> Estimate: ...
def top_box(
    scores: _Array,
    scale_min: int,
    scale_max: int,
    top: int,
    weights: npt.NDArray[np.float64] | None,
    method: str,
    confidence: float,
    nan_policy: str,
    indicator: str,
    n_resamples: int = 9999,
    seed: int | None = None,
    prior: float = 0.5,
) -> Estimate: ...
def top_box_from_counts(successes: int, n: int, method: str, confidence: float) -> Estimate: ...
def mean_score(
    scores: _Array,
    scale_min: int,
    scale_max: int,
    weights: npt.NDArray[np.float64] | None,
    confidence: float,
    nan_policy: str,
    index: bool = False,
) -> Estimate: ...

@final
class Comparison:
    """The difference between two estimates (or an estimate and a target) with its interval and test."""

    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str | bytes | bytearray | memoryview) -> Comparison: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def plot(self, *, ax: Any = None) -> Any: ...
    @property
    def indicator(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def estimate_a(self) -> float: ...
    @property
    def estimate_b(self) -> float: ...
    @property
    def difference(self) -> float: ...
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def confidence(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def std_error(self) -> float: ...
    @property
    def statistic(self) -> float: ...
    @property
    def df(self) -> float | None: ...
    @property
    def p_value(self) -> float: ...
    @property
    def alternative(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def n_a(self) -> int: ...
    @property
    def n_b(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def significant(self) -> bool: ...
    @property
    def verdict(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def _repr_html_(self) -> str: ...

def compare(
    a: Estimate, b: Estimate, method: str | None, confidence: float | None, alternative: str
) -> Comparison: ...
def nps_paired(
    before: npt.NDArray[np.float64], after: npt.NDArray[np.float64], confidence: float, alternative: str
) -> Comparison: ...
def test_against(estimate: Estimate, target: float, alternative: str) -> Comparison: ...
def adjust_pvalues(p_values: list[float], method: str) -> list[float]: ...
def sample_size(
    indicator: str,
    margin: float,
    confidence: float,
    nps_expected: tuple[float, float] | None,
    share_expected: float | None,
    sd: float | None,
    population: int | None,
) -> int: ...
def sample_size_per_group(
    indicator: str,
    difference: float,
    power: float,
    confidence: float,
    nps_expected: tuple[float, float] | None,
    share_expected: float | None,
    sd: float | None,
) -> int: ...
def minimum_detectable_difference(
    indicator: str,
    n_a: int,
    n_b: int,
    power: float,
    confidence: float,
    nps_expected: tuple[float, float] | None,
    share_expected: float | None,
    sd: float | None,
) -> float: ...
def factorize_strings(
    offsets: npt.NDArray[np.int64], data: npt.NDArray[np.uint8]
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint64]]: ...
def funnel_grouped(
    keys: npt.NDArray[np.int64] | None,
    codes: npt.NDArray[np.uint32] | None,
    n_groups: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    target: float | None,
    levels: list[float],
    overdispersion: str | None,
) -> tuple[npt.NDArray[np.int64], list[dict[str, Any]]]: ...
def rank_grouped(
    keys: npt.NDArray[np.int64] | None,
    codes: npt.NDArray[np.uint32] | None,
    n_groups: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    confidence: float,
    k: int,
    draws: int,
    seed: int,
) -> tuple[npt.NDArray[np.int64], list[dict[str, Any]]]: ...
def shrink_grouped(
    keys: npt.NDArray[np.int64] | None,
    codes: npt.NDArray[np.uint32] | None,
    n_groups: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    confidence: float,
) -> tuple[npt.NDArray[np.int64], list[dict[str, Any]]]: ...
def shrink_score_counts(
    groups: list[ScoreCounts], kind: str, top: int, method: str | None, confidence: float
) -> dict[str, Any]: ...
def shrink_summarised(
    model: str,
    value: list[float],
    lower: list[float],
    upper: list[float],
    std_error: list[float],
    effective_n: list[float],
    categories: list[list[float]] | None,
    confidence: float,
) -> dict[str, Any]: ...
def summarize_grouped(
    keys: npt.NDArray[np.int64] | None,
    codes: npt.NDArray[np.uint32] | None,
    n_groups: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    confidence: float,
    p_adjust: str,
    nan_policy: str,
) -> tuple[npt.NDArray[np.int64], list[dict[str, npt.NDArray[Any]]]]: ...
def text_values(
    offsets: npt.NDArray[np.int64], data: npt.NDArray[np.uint8], valid: npt.NDArray[np.bool_]
) -> list[str | None]: ...
def read_responses(
    path: str | None,
    data: bytes | None,
    format: str,
    name: str,
    strict: bool,
    items: list[tuple[str, int, int]],
    sep: str | None,
    columns: list[tuple[str, str]],
    encoding: str | None,
    tz: str | None,
    time_format: str | None,
) -> ReadTable: ...
def loyalty_index(
    items: list[tuple[str, npt.ArrayLike, int, int, int]],
    item_weights: list[float] | None,
    weights: npt.ArrayLike | None,
    confidence: float,
) -> Estimate: ...
def secure_customers(
    criteria: list[tuple[str, npt.ArrayLike, int, int, int]],
    weights: npt.ArrayLike | None,
    method: str,
    confidence: float,
) -> Estimate: ...
def outcome_by_category(
    nps: npt.ArrayLike, outcome: npt.ArrayLike, kind: str | None, confidence: float
) -> OutcomeResult: ...
def driver_analysis(
    outcome_name: str,
    outcome: npt.ArrayLike,
    drivers: list[tuple[str, npt.ArrayLike]],
    weights: npt.ArrayLike | None,
    method: str,
    bootstrap: int,
    confidence: float,
    seed: int | None,
    permutations: int,
    missing: str = "complete",
    outcome_kind: str | None = None,
    pseudo_r2: str = "mcfadden",
) -> DriverResult: ...
def key_terms(
    texts: list[Any],
    groups: npt.NDArray[np.int64],
    n_groups: int,
    language: str,
    min_count: int,
    prior: float,
    ngram: tuple[int, int],
    top: int,
) -> KeyTermsTable: ...
def p_chart(successes: list[int], n: list[int], sigma: float) -> dict[str, npt.NDArray[Any]]: ...
def nps_chart(
    detractors: list[int], passives: list[int], promoters: list[int], sigma: float
) -> dict[str, npt.NDArray[Any]]: ...
def ewma(values: npt.ArrayLike, target: float, sigma: float, lam: float, l: float) -> dict[str, npt.NDArray[Any]]: ...
def cusum(values: npt.ArrayLike, target: float, sigma: float, k: float, h: float) -> dict[str, npt.NDArray[Any]]: ...
def trend_grouped(
    codes: npt.NDArray[np.uint32],
    n_groups: int,
    n_periods: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    confidence: float,
    window: int,
) -> list[dict[str, npt.NDArray[Any]]]: ...
def alerts_grouped(
    codes: npt.NDArray[np.uint32],
    n_groups: int,
    n_periods: int,
    columns: list[tuple[_Array, str, int, int, int, str | None, int | None, int | None]],
    names: list[str],
    confidence: float,
    rule: str,
    p_adjust: str,
) -> list[dict[str, npt.NDArray[Any]]]: ...
def period_indices(instants: npt.NDArray[np.int64], units_per_day: int, freq: str) -> npt.NDArray[np.int64]: ...
def period_starts(first: int, last: int, freq: str) -> tuple[npt.NDArray[np.int64], list[str]]: ...

@final
class ScoreCounts:
    """Counts of scores per scale point (and weight sums when weighted): mergeable and picklable."""

    @staticmethod
    def from_scores(
        scores: Any, *, scale: tuple[int, int] = ..., weights: Any = None, nan_policy: str = "omit"
    ) -> ScoreCounts: ...
    @staticmethod
    def from_counts(
        counts: Any,
        *,
        scale: tuple[int, int] = ...,
        n_missing: int = 0,
        weight_sums: Any = None,
        weight_sq_sums: Any = None,
    ) -> ScoreCounts: ...
    def merge(self, other: ScoreCounts) -> ScoreCounts: ...
    def __add__(self, value: ScoreCounts, /) -> ScoreCounts: ...
    def __radd__(self, value: Any, /) -> ScoreCounts: ...
    @property
    def scale(self) -> tuple[int, int]: ...
    @property
    def counts(self) -> list[int]: ...
    @property
    def n(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def total_weight(self) -> float: ...
    @property
    def weight_sums(self) -> list[float] | None: ...
    @property
    def weight_sq_sums(self) -> list[float] | None: ...
    def nps(
        self,
        *,
        method: str | None = None,
        confidence: float = 0.95,
        employee: bool = False,
        n_resamples: int = 9999,
        seed: int | None = None,
        prior: float = 0.5,
    ) -> Estimate: ...
    def top_box(
        self,
        *,
        top: int = 2,
        method: str = "wilson",
        confidence: float = 0.95,
        indicator: str = "top_box",
        n_resamples: int = 9999,
        seed: int | None = None,
        prior: float = 0.5,
    ) -> Estimate: ...
    def mean_score(self, *, confidence: float = 0.95, index: bool = False) -> Estimate: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str | bytes | bytearray | memoryview) -> ScoreCounts: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class KeyTermsTable:
    @property
    def group(self) -> npt.NDArray[np.uint32]: ...
    @property
    def term(self) -> list[str]: ...
    @property
    def count(self) -> npt.NDArray[np.uint64]: ...
    @property
    def rate(self) -> npt.NDArray[np.float64]: ...
    @property
    def log_odds(self) -> npt.NDArray[np.float64]: ...
    @property
    def z_score(self) -> npt.NDArray[np.float64]: ...
    @property
    def n_comments(self) -> list[int]: ...
    @property
    def n_words(self) -> list[int]: ...
    @property
    def n_empty(self) -> int: ...
    @property
    def n_missing_group(self) -> int: ...
    @property
    def languages(self) -> tuple[int, int, int]: ...

@final
class ReadColumn:
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def values(self) -> Any: ...
    @property
    def missing(self) -> npt.NDArray[np.bool_] | None: ...

@final
class ReadTable:
    @property
    def columns(self) -> list[ReadColumn]: ...
    @property
    def rejected_line(self) -> npt.NDArray[np.uint64]: ...
    @property
    def rejected_field(self) -> list[str]: ...
    @property
    def rejected_value(self) -> list[str]: ...
    @property
    def rejected_reason(self) -> list[str]: ...
    @property
    def rejected_record(self) -> npt.NDArray[np.uint64]: ...
    @property
    def rejected_kind(self) -> list[str]: ...
    @property
    def delimiter(self) -> str | None: ...
    @property
    def encoding(self) -> str: ...
    @property
    def compressed(self) -> bool: ...
    @property
    def mappings(self) -> list[tuple[str, str, str, int]]: ...
    @property
    def name_conflicts(self) -> list[tuple[str, str, int]]: ...
    @property
    def n_records(self) -> int: ...
    @property
    def n_rejected(self) -> int: ...
    @property
    def n_blank(self) -> int: ...

@final
class OutcomeResult:
    @property
    def kind(self) -> str: ...
    @property
    def n(self) -> list[int]: ...
    @property
    def estimates(self) -> list[Estimate | None]: ...
    @property
    def difference(self) -> Comparison | None: ...
    @property
    def n_missing(self) -> int: ...
    def to_json(self) -> str: ...

@final
class DriverResult:
    @property
    def method(self) -> str: ...
    @property
    def exact(self) -> bool: ...
    @property
    def r_squared(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def bootstrap(self) -> int: ...
    @property
    def bootstrap_failed(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    @property
    def seed(self) -> int | None: ...
    @property
    def outcome_kind(self) -> str: ...
    @property
    def pseudo_r2(self) -> str | None: ...
    @property
    def fit_issues(self) -> list[tuple[list[str], str]]: ...
    @property
    def missing(self) -> str: ...
    @property
    def repaired(self) -> bool: ...
    @property
    def pair_n(self) -> list[list[int]] | None: ...
    @property
    def bootstrap_repaired(self) -> int: ...
    @property
    def driver_n(self) -> list[int]: ...
    @property
    def performance_100(self) -> list[float]: ...
    @property
    def value_range(self) -> list[tuple[float, float]]: ...
    @property
    def driver(self) -> list[str]: ...
    @property
    def importance(self) -> list[float]: ...
    @property
    def share(self) -> list[float]: ...
    @property
    def direction(self) -> list[int]: ...
    @property
    def performance(self) -> list[float]: ...
    @property
    def lower(self) -> list[float | None]: ...
    @property
    def upper(self) -> list[float | None]: ...
    @property
    def mc_error(self) -> list[float | None]: ...
    def to_json(self) -> str: ...
