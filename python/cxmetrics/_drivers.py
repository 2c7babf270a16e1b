"""Key driver analysis (``cx.drivers``): which touchpoint ratings explain the overall indicator."""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _convert, _native
from ._frames import accepts_frames
from ._frames import floats as _floats
from ._frames import mapping_column as _column
from ._frames import weights as _weights
from ._errors import InvalidInputError

FRAME_COLUMNS = ["driver", "importance", "share", "direction", "performance", "performance_100", "n"]
SUMMARY_FIELDS = (
    "method",
    "exact",
    "r_squared",
    "n",
    "n_missing",
    "outcome_kind",
    "pseudo_r2",
    "missing",
    "repaired",
    "bootstrap",
    "bootstrap_failed",
    "bootstrap_repaired",
    "confidence",
    "seed",
)


class FitIssueWarning(UserWarning):
    """Some logistic models of ``cx.drivers`` on a binary outcome showed separation (fitted
    probabilities of 0 or 1) or did not converge; ``DriverAnalysis.fit_issues`` lists them."""


class RepairedCorrelationWarning(UserWarning):
    """The pairwise correlation matrix of ``cx.drivers(..., missing="pairwise")`` was not positive
    definite and was replaced by the nearest correlation matrix that is (Higham 2002)."""


def _require_matplotlib() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "plots need matplotlib: pip install matplotlib (or pip install 'cxmetrics[plot]')"
        ) from exc
    return plt


class DriverAnalysis:
    """The result of :func:`drivers`: R^2 split between the drivers (immutable).

    Attributes: ``r_squared``, ``method`` (``"shapley"`` or ``"relative_weights"``), ``exact`` (False
    for the Shapley sampling estimate beyond 20 drivers), ``n`` (rows used), ``n_missing`` (rows not
    used), ``missing`` (the rule), ``repaired`` and ``pair_n`` (pairwise deletion), ``bootstrap``,
    ``bootstrap_failed``, ``bootstrap_repaired``, ``confidence``, ``seed``, ``outcome``.
    """

    __slots__ = ("_r", "_outcome")

    def __init__(self, result: _native.DriverResult, outcome: str) -> None:
        object.__setattr__(self, "_r", result)
        object.__setattr__(self, "_outcome", outcome)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("DriverAnalysis is immutable")

    @property
    def outcome(self) -> str:
        """The outcome column's name."""
        return self._outcome

    @property
    def method(self) -> str:
        """``"shapley"`` or ``"relative_weights"``."""
        return self._r.method

    @property
    def exact(self) -> bool:
        """False for the Shapley sampling estimate (beyond 20 drivers)."""
        return self._r.exact

    @property
    def r_squared(self) -> float:
        """R^2 of the linear model of the outcome on every driver (weighted with weights)."""
        return self._r.r_squared

    @property
    def n(self) -> int:
        """Rows used: the complete rows (``missing="complete"``), the rows with at least two variables
        present (``"pairwise"``), the rows with an outcome (``"impute"``)."""
        return self._r.n

    @property
    def n_missing(self) -> int:
        """Rows not used."""
        return self._r.n_missing

    @property
    def outcome_kind(self) -> str:
        """``"continuous"`` (the linear model's R^2) or ``"binary"`` (a logistic model's pseudo-R^2)."""
        return self._r.outcome_kind

    @property
    def pseudo_r2(self) -> str | None:
        """The pseudo-R^2 decomposed for a binary outcome (``"mcfadden"``, ``"nagelkerke"``,
        ``"estrella"``); None for the linear model."""
        return self._r.pseudo_r2

    @property
    def fit_issues(self) -> list[tuple[list[str], str]]:
        """The subsets of drivers whose logistic fit showed separation (``"separation"``) or did not
        converge (``"not_converged"``): (drivers, issue) pairs; their last iterate is used."""
        return self._r.fit_issues

    @property
    def missing(self) -> str:
        """How rows with missing values were used: ``"complete"``, ``"pairwise"`` or ``"impute"``."""
        return self._r.missing

    @property
    def repaired(self) -> bool:
        """Whether the pairwise correlation matrix was not positive definite and was replaced by the
        nearest correlation matrix that is (``missing="pairwise"``)."""
        return self._r.repaired

    @property
    def bootstrap_repaired(self) -> int:
        """Bootstrap replicates whose pairwise correlation matrix needed the repair."""
        return self._r.bootstrap_repaired

    @property
    def pair_n(self) -> Any:
        """``missing="pairwise"``: the rows behind each correlation, a driver-by-driver pandas
        DataFrame (the diagonal: rows where the driver is present; the rows behind each driver's
        correlation with the outcome are the ``n`` column of :meth:`to_frame`). None otherwise."""
        table = self._r.pair_n
        if table is None:
            return None
        import pandas as pd

        names = list(self._r.driver)
        return pd.DataFrame(
            np.array([row[1:] for row in table[1:]], dtype=np.int64), index=pd.Index(names, name="driver"), columns=names
        )

    @property
    def bootstrap(self) -> int:
        """Bootstrap replicates asked for (0: none)."""
        return self._r.bootstrap

    @property
    def bootstrap_failed(self) -> int:
        """Replicates whose resample was degenerate, left out of the intervals."""
        return self._r.bootstrap_failed

    @property
    def confidence(self) -> float:
        """Confidence level of the bootstrap intervals."""
        return self._r.confidence

    @property
    def seed(self) -> int | None:
        """The seed used (None when nothing was random)."""
        return self._r.seed

    def _rows(self) -> list[tuple[Any, ...]]:
        r = self._r
        return list(
            zip(
                r.driver,
                r.importance,
                r.share,
                r.direction,
                r.performance,
                r.lower,
                r.upper,
                r.mc_error,
                r.driver_n,
                r.performance_100,
            )
        )

    def _r2_label(self, r2: str) -> str:
        """``R^2``, or the pseudo-R^2's name for a binary outcome (``McFadden R^2``)."""
        names = {"mcfadden": "McFadden", "nagelkerke": "Nagelkerke", "estrella": "Estrella"}
        kind = self._r.pseudo_r2
        return r2 if kind is None else f"{names[kind]} {r2}"

    def _summary(self) -> dict[str, Any]:
        return {k: getattr(self._r, k) for k in SUMMARY_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain Python: the summary fields and ``drivers``, a list of dicts."""
        out = self._summary()
        out["outcome"] = self.outcome
        names = [
            "driver",
            "importance",
            "share",
            "direction",
            "performance",
            "lower",
            "upper",
            "mc_error",
            "n",
            "performance_100",
        ]
        out["drivers"] = [dict(zip(names, row)) for row in self._rows()]
        out["pair_n"] = self._r.pair_n
        return out

    def to_frame(self) -> Any:
        """One row per driver (pandas DataFrame), the most important first: ``driver``,
        ``importance`` (raw, sums to ``r_squared``), ``share`` (percent of R^2), ``direction`` (sign
        of the coefficient in the full model), ``performance`` (the driver's mean where present),
        ``performance_100`` (that mean on 0-100, from the driver's lowest to its highest value in the
        rows used, so that ratings on different scales compare), ``n`` (rows behind its correlation
        with the outcome), and ``lower``/``upper`` when bootstrapped, ``mc_error`` for the sampling
        estimate."""
        import pandas as pd

        rows = sorted(self._rows(), key=lambda r: -r[1])
        frame = pd.DataFrame(
            {
                "driver": [r[0] for r in rows],
                "importance": np.array([r[1] for r in rows], dtype=float),
                "share": np.array([r[2] for r in rows], dtype=float),
                "direction": np.array([r[3] for r in rows], dtype=np.int64),
                "performance": np.array([r[4] for r in rows], dtype=float),
                "performance_100": np.array([r[9] for r in rows], dtype=float),
                "n": np.array([r[8] for r in rows], dtype=np.int64),
            }
        )
        if self._r.bootstrap > 0:
            frame["lower"] = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=float)
            frame["upper"] = np.array([np.nan if r[6] is None else r[6] for r in rows], dtype=float)
        if not self._r.exact:
            frame["mc_error"] = np.array([r[7] for r in rows], dtype=float)
        return frame

    def __repr__(self) -> str:
        rows = sorted(self._rows(), key=lambda r: -r[1])
        head = (
            f"DriverAnalysis({self.outcome!r} on {len(rows)} drivers, {self._r.method}"
            f"{'' if self._r.exact else ' (sampled)'}: {self._r2_label('R^2')} = {self._r.r_squared:.4g}, "
            f"n = {self._r.n}, {self._r.n_missing} missing"
        )
        body = ", ".join(f"{r[0]} {r[2]:.1f}%" for r in rows[:5])
        return f"{head}; {body}{', ...' if len(rows) > 5 else ''})"

    def _repr_html_(self) -> str:
        rows = sorted(self._rows(), key=lambda r: -r[1])
        boot = self._r.bootstrap > 0
        level = round(100 * self._r.confidence, 6)
        header = "<th>driver</th><th>importance</th><th>share of R²</th><th>direction</th><th>performance</th>"
        if boot:
            header += f"<th>{level:g}% interval</th>"
        body = ""
        for r in rows:
            cells = (
                f"<td>{html.escape(str(r[0]))}</td><td>{r[1]:.4g}</td><td>{r[2]:.1f}%</td>"
                f"<td>{'+' if r[3] > 0 else '−' if r[3] < 0 else '0'}</td><td>{r[4]:.3g}</td>"
            )
            if boot:
                cells += "<td>–</td>" if r[5] is None else f"<td>[{r[5]:.4g}, {r[6]:.4g}]</td>"
            body += f"<tr>{cells}</tr>"
        caption = (
            f"Key drivers of {html.escape(self.outcome)} ({self._r.method}"
            f"{'' if self._r.exact else ', sampled'}): {self._r2_label('R²')} = {self._r.r_squared:.4g}, n = {self._r.n}"
            f" ({self._r.n_missing} rows not used; missing values: {self._r.missing})"
        )
        return f"<table><caption>{caption}</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"

    def plot(self, kind: str = "bar", *, ax: Any = None) -> Any:
        """``kind="bar"``: importance (share of R^2) per driver, with the bootstrap intervals when
        there are any. ``kind="quadrant"``: importance against performance; the drivers that matter
        most and perform worst (top left) are the ones to fix first. Returns the matplotlib Axes."""
        plt = _require_matplotlib()
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 0.45 * len(self._rows()) + 1.8) if kind == "bar" else (7, 5.5))
        rows = self._rows()
        r2 = self._r.r_squared
        if kind == "bar":
            rows = sorted(rows, key=lambda r: r[2])
            y = np.arange(len(rows))
            shares = np.array([r[2] for r in rows])
            ax.barh(y, shares, color=["#2a7ab9" if r[3] >= 0 else "#c44e52" for r in rows])
            if self._r.bootstrap > 0 and all(r[5] is not None for r in rows):
                lo = shares - np.array([100 * r[5] / r2 for r in rows])
                hi = np.array([100 * r[6] / r2 for r in rows]) - shares
                ax.errorbar(shares, y, xerr=[np.maximum(lo, 0), np.maximum(hi, 0)], fmt="none", ecolor="black", capsize=3)
            ax.set_yticks(y, [str(r[0]) for r in rows])
            ax.set_xlabel("share of R² (%)")
            ax.set_title(f"Key drivers of {self.outcome} ({self._r2_label('R²')} = {r2:.2f}; red: negative direction)")
        elif kind == "quadrant":
            # Performance on 0-100 (each driver from its lowest to its highest value), so that
            # ratings on different scales share the axis.
            perf = np.array([r[9] for r in rows])
            share = np.array([r[2] for r in rows])
            ax.scatter(perf, share, color="#2a7ab9", zorder=3)
            # Labels kept off each other: by height, each moved up past any label it would touch.
            step = 0.045 * max(float(np.ptp(share)), 1.0)
            placed: list[tuple[float, float]] = []
            for i in np.argsort(share):
                y = float(share[i])
                for other_x, other_y in sorted(placed, key=lambda q: q[1]):
                    if abs(perf[i] - other_x) < 18 and abs(y - other_y) < step:
                        y = other_y + step
                placed.append((float(perf[i]), y))
                ax.annotate(
                    str(rows[i][0]),
                    (perf[i], share[i]),
                    xytext=(perf[i] + 1.5, y),
                    fontsize=9,
                    arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.5} if y != share[i] else None,
                )
            px, sy = float(np.mean(perf)), float(np.mean(share))
            ax.axvline(px, color="grey", linestyle="--", linewidth=1)
            ax.axhline(sy, color="grey", linestyle="--", linewidth=1)
            ax.text(0.02, 0.97, "fix first", transform=ax.transAxes, va="top", color="#c44e52", fontweight="bold")
            ax.text(0.98, 0.97, "keep it up", transform=ax.transAxes, va="top", ha="right", color="#2a7ab9")
            ax.text(0.02, 0.03, "lower priority", transform=ax.transAxes, color="grey")
            ax.text(0.98, 0.03, "possible overkill", transform=ax.transAxes, ha="right", color="grey")
            ax.set_xlim(-5, 115)
            ax.set_xlabel("performance (0-100: mean, from each driver's lowest to highest value)")
            pseudo = "pseudo-" if self._r.outcome_kind == "binary" else ""
            ax.set_ylabel(f"importance (share of {pseudo}R², %)")
            ax.set_title(f"Importance vs performance: drivers of {self.outcome}")
        else:
            raise InvalidInputError(f"kind must be 'bar' or 'quadrant', got {kind!r}")
        return ax


@accepts_frames
def drivers(
    data: Any,
    *,
    outcome: str,
    drivers: Sequence[str],
    method: str = "shapley",
    weights: Any = None,
    bootstrap: int = 0,
    confidence: float = 0.95,
    seed: int | None = None,
    missing: str = "complete",
    outcome_kind: str | None = None,
    pseudo_r2: str = "mcfadden",
) -> DriverAnalysis:
    """Key driver analysis: how much of the outcome's variance (R^2 of a linear model) each driver
    explains.

    Parameters
    ----------
    data
        pandas or polars DataFrame (or a mapping of columns), one row per respondent.
    outcome
        The column to explain (overall NPS rating, satisfaction, repurchase intention...).
    drivers
        The columns of the touchpoint ratings.
    method
        ``"shapley"`` (default): Shapley values / LMG, exact over all subsets (no refits, from the
        correlation matrix, multi-threaded) up to 20 drivers, a seeded permutation-sampling estimate
        with its Monte Carlo error (``mc_error``) beyond. ``"relative_weights"``: Johnson (2000).
    weights
        Respondent weights (a column name or an array): weighted correlations.
    bootstrap
        Number of bootstrap resamples of respondents for percentile intervals (``lower``,
        ``upper``) at ``confidence``; 0 for none.
    seed
        Seed of the bootstrap and of the sampling estimate (the seed used is reported as ``seed``).

    outcome_kind
        ``None`` (default): ``"binary"`` when every outcome value is 0 or 1 (repurchase, churn),
        ``"continuous"`` otherwise. ``"binary"``: logistic dominance analysis, the Shapley
        decomposition of a pseudo-R^2 of the logistic regression over every subset of drivers (Azen
        and Traxel 2009; R ``domir(..., glm, family=binomial)``), each subset fitted by Newton's
        method in Rust, warm-started from a neighbouring subset; ``r_squared`` is then the full
        model's pseudo-R^2, weights are frequency weights of the likelihood, exact up to 16 drivers
        and a seeded permutation-sampling estimate (1,000 orders, ``mc_error``) beyond. Fits with
        separation or without convergence are listed in ``fit_issues`` and warned about
        (:class:`FitIssueWarning`). ``"continuous"``: the linear model's R^2 (also for a 0/1 outcome).
    pseudo_r2
        For a binary outcome: ``"mcfadden"`` (default, ``1 - LL/LL0``), ``"nagelkerke"`` or
        ``"estrella"``.
    missing
        What rows with missing values contribute (customers rate only the touchpoints they used):
        ``"complete"`` (default): listwise deletion, only rows with the outcome and every driver.
        ``"pairwise"``: each correlation from the rows where both variables are present, as R
        ``cor(use="pairwise.complete.obs")`` (weighted: each pair's weighted correlation on its
        rows); when that matrix is not positive definite it is replaced by the nearest correlation
        matrix that is (Higham 2002, as R ``Matrix::nearPD(corr=TRUE)``), ``repaired`` is True and a
        :class:`RepairedCorrelationWarning` says so; ``pair_n`` gives the rows behind each pair.
        ``"impute"``: rows with an outcome; each missing rating replaced by the driver's (weighted)
        mean, plus an indicator of the missing value that counts with its driver (an approximation:
        it assumes the indicator captures how those who skipped the touchpoint differ). The
        bootstrap resamples respondents and applies the same rule to each resample.

    Rows not used are counted in ``n_missing``. A constant driver or perfectly collinear drivers
    raise :class:`InvalidDriversError` naming them; so does a pair of drivers rated together by
    fewer than 3 respondents under ``missing="pairwise"``. Checked against R ``relaimpo`` (``lmg``,
    ``genizi``) and, for the missing-value rules, against all-subsets computations in R
    (``tests/references/drivers/``).

    >>> import cxmetrics as cx
    >>> data = {"overall": [7, 9, 6, 8, 10, 4, 8, 9, 5, 7],
    ...         "delivery": [6, 9, 5, 8, 9, 3, 7, 9, 6, 6],
    ...         "web": [8, 7, 7, 6, 9, 5, 9, 8, 4, 8]}
    >>> a = cx.drivers(data, outcome="overall", drivers=["delivery", "web"])
    >>> round(a.to_frame()["importance"].sum() - a.r_squared, 12)
    0.0
    """
    if isinstance(drivers, (str, bytes, bytearray)) or not isinstance(drivers, Sequence) or not drivers:
        raise InvalidInputError("drivers must be a non-empty list of column names")
    names = [_convert.as_name(d, "drivers") for d in drivers]
    if not isinstance(outcome, str):
        raise InvalidInputError(f"outcome must be a column name, got {outcome!r}")
    _column(data, outcome, "outcome")
    columns = [(name, _floats(data, name, parameter="drivers")) for name in names]
    n_boot = _convert.as_size(bootstrap, "bootstrap")
    seed = _convert.as_seed(seed)
    result = _native.driver_analysis(
        outcome,
        _floats(data, outcome, parameter="outcome"),
        columns,
        _weights(data, weights),
        _convert.as_name(method, "method"),
        n_boot,
        _convert.as_confidence(confidence),
        seed,
        10_000,
        _convert.as_name(missing, "missing"),
        None if outcome_kind is None else _convert.as_name(outcome_kind, "outcome_kind"),
        _convert.as_name(pseudo_r2, "pseudo_r2"),
    )
    if result.fit_issues:
        shown = "; ".join(f"{' + '.join(d) or '(none)'}: {issue}" for d, issue in result.fit_issues[:5])
        more = f" and {len(result.fit_issues) - 5} more" if len(result.fit_issues) > 5 else ""
        warnings.warn(
            f"{len(result.fit_issues)} of the logistic models did not converge cleanly ({shown}{more}); "
            "their last iterate's log-likelihood is used, as R's glm does (see DriverAnalysis.fit_issues)",
            FitIssueWarning,
            stacklevel=2,
        )
    if result.repaired:
        warnings.warn(
            "the pairwise correlation matrix was not positive definite; it was replaced by the nearest "
            "correlation matrix that is (Higham 2002; see DriverAnalysis.repaired and pair_n)",
            RepairedCorrelationWarning,
            stacklevel=2,
        )
    return DriverAnalysis(result, outcome)
