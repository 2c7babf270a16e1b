"""Empirical-Bayes shrinkage of many small groups (``cx.shrink``): each group's share pulled
towards the population in proportion to how little its own answers say."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError
from ._frames import accepts_frames
from ._frames import backend as _backend
from ._frames import column as _column
from ._frames import group_codes as _group_codes
from ._frames import integer_keys as _integer_keys
from ._frames import key_array as _key_array
from ._report import _DEFAULTS, _indicator_columns, _specs


@accepts_frames
def shrink(
    data: Any,
    *,
    by: Any = None,
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    mean: Any = None,
    weights: str | None = None,
    confidence: float = 0.95,
    seed: int | None = None,
) -> Any:
    """Each group's share, raw and shrunk towards the population by empirical Bayes, for ranking
    many small groups (stores, agents, touchpoints) fairly.

    Shares (``csat=``, ``ces=``, or a dict spec with ``"top"`` and ``"scale"`` as in
    :func:`summarize`) follow the beta-binomial model: the groups' true shares are drawn from a
    Beta(alpha, beta) fitted by maximum marginal likelihood over the groups (Newton's method, stopped
    on the gradient; checked against R ``VGAM``), and each group's estimate is the mean of its posterior
    Beta(alpha + x, beta + n - x), its interval the equal-tailed posterior interval, and ``shrinkage``
    the weight of the population share in it, ``(alpha + beta) / (alpha + beta + n)`` (0 = the raw
    share, 1 = the population value). When the groups spread no more than sampling does (one group,
    identical groups), the fit is pooled: every estimate is the pooled share with shrinkage 1 and the
    Jeffreys interval of the pooled counts (``pooled`` is True). Weighted data enter as each group's
    Kish effective counts.

    Mean scores (``mean=``) follow the normal-normal model: each group's mean and squared standard
    error (a group with one answer takes the pooled within-group variance), the between-group
    variance ``tau^2`` by REML and each estimate the best linear unbiased prediction with its normal
    interval, which includes the uncertainty of the population mean: R
    ``metafor::blup(rma(yi, vi, method="REML"))``. ``shrinkage`` is ``v / (v + tau^2)``.
    NPS (``nps=``) follows the Dirichlet-multinomial model: detractors, passives and promoters with
    shares drawn from a Dirichlet fitted by maximum marginal likelihood (checked against R
    ``VGAM::dirmultinomial``); each group's estimate is the posterior mean of promoters minus
    detractors (points), with its exact standard deviation, and its interval the equal-tailed
    posterior interval, exact to about 1e-8 points (the distribution of promoters minus detractors
    inverted from its moment generating function; no random draws: ``seed`` is accepted for the
    contract and changes nothing). ``shrinkage`` is ``A / (A + n)``.

    One row per group and indicator: the ``by`` columns, ``indicator``, ``n`` (answers; weighted: Kish's
    effective number), ``raw``, ``raw_lower``, ``raw_upper`` (as :func:`summarize`), ``estimate``,
    ``lower``, ``upper``, ``shrinkage``, and the fitted prior: ``prior_mean`` and ``prior_sd`` (the
    population value and the standard deviation of the groups' true values, in the indicator's unit),
    ``pooled``. Shares are in percent, means in the scale's units. ``frame.attrs["fits"]`` (pandas)
    holds each indicator's fitted parameters (``alpha``, ``beta``; ``tau2``).

    All the models need are counts, so ``data`` may also be
    - a :func:`summarize` result: ``cx.shrink(cx.summarize(df, by="store", nps="ltr"), by="store")``
      shrinks its groups (every indicator in it, or those named with ``nps=True`` ...; ``by``
      defaults to its columns before ``indicator``; the overall rows are left out). Shares enter as
      ``effective_n * value / 100`` successes of ``effective_n``, NPS as ``effective_n`` times its
      category percentages, means by ``value`` and ``std_error``: the same as from the responses,
      up to the report's rounding;
    - a mapping of group keys to :class:`ScoreCounts` (for instance merged from partitions):
      ``cx.shrink({"a": counts_a, "b": counts_b}, by="store", nps=True)``; ``by`` names the key
      column (``"group"`` by default), and an indicator takes ``True`` or a dict with ``"top"`` and
      ``"method"``.

    >>> import pandas as pd, cxmetrics as cx
    >>> df = pd.DataFrame({"store": ["a"] * 6 + ["b"] * 40 + ["c"] * 30,
    ...                    "sat": [5] * 6 + [5, 4, 2, 3] * 10 + [4, 5, 1] * 10})
    >>> out = cx.shrink(df, by="store", csat="sat")
    >>> bool(out["estimate"][0] < out["raw"][0] == 100.0)
    True
    """
    _convert.as_seed(seed)
    indicators = {"nps": nps, "csat": csat, "ces": ces, "mean": mean}
    if isinstance(data, Mapping) and data and all(isinstance(v, _native.ScoreCounts) for v in data.values()):
        return _shrink_score_counts(data, by, indicators, weights, confidence)
    if _is_summary(data):
        return _shrink_summary(data, by, indicators, weights, confidence)
    return _grouped_frame("shrink", data, by, (nps, csat, ces, mean), weights, confidence, None)


_SHRINK_FIELDS = ("n", "raw", "raw_lower", "raw_upper", "estimate", "lower", "upper", "shrinkage")
_SUMMARY_COLUMNS = ("indicator", "value", "lower", "upper", "std_error", "n", "effective_n")


def _shrunk_columns(out: dict[str, Any], keywords: list[str], results: list[dict[str, Any]], fields: tuple[str, ...]) -> dict[str, Any]:
    """Adds each indicator's native ``fields`` (one value per group) and its prior (repeated) to
    ``out``; gives each indicator's fitted parameters (the results' numbers), for ``attrs["fits"]``."""
    rows = len(results[0]["n"]) if results else 0
    for field in fields:
        out[field] = np.concatenate([r[field] for r in results])
    for field in ("prior_mean", "prior_sd", "pooled"):
        out[field] = np.repeat([r[field] for r in results], rows)
    return {kw: {k: v for k, v in r.items() if not isinstance(v, np.ndarray)} for kw, r in zip(keywords, results)}


def _is_summary(data: Any) -> bool:
    """Whether ``data`` is a :func:`summarize` result (a pandas or polars frame with its columns)."""
    columns = getattr(data, "columns", None)
    if columns is None or isinstance(data, Mapping):
        return False
    names = [str(c) for c in columns]
    return all(c in names for c in _SUMMARY_COLUMNS)


def _result_frame(by: list[str], keys: dict[str, list[Any]], keywords: list[str], results: list[dict[str, Any]], polars: bool) -> Any:
    """The frame of shrink from the native results of each indicator over the same groups."""
    rows = len(results[0]["n"]) if results else 0
    out: dict[str, Any] = {name: [k for _ in keywords for k in keys[name]] for name in by}
    out["indicator"] = np.repeat(keywords, rows)
    fits = _shrunk_columns(out, keywords, results, _SHRINK_FIELDS)
    if polars:
        import polars as pl

        return pl.DataFrame(out, strict=False).fill_nan(None)
    import pandas as pd

    frame = pd.DataFrame(out)
    frame.attrs["fits"] = fits
    return frame


def _chosen(indicators: dict[str, Any], available: list[str], where: str) -> list[str]:
    """The indicators asked for (``nps=True`` ...), or every available one when none is."""
    asked = [k for k, v in indicators.items() if v is not None and v is not False]
    if not asked:
        return available
    missing = [k for k in asked if k not in available]
    if missing:
        raise InvalidInputError(f"shrink(): {where} has no {', '.join(missing)} (it has {', '.join(available) or 'nothing'})")
    return asked


def _shrink_score_counts(data: Mapping[Any, Any], by: Any, indicators: dict[str, Any], weights: Any, confidence: float) -> Any:
    """``cx.shrink({key: ScoreCounts, ...}, by=name, nps=True)``: one group per entry."""
    if weights is not None:
        raise InvalidInputError("shrink() on ScoreCounts takes no weights=: weighted counts carry their weights")
    conf = _convert.as_confidence(confidence)
    name = "group" if by is None else str(by)
    asked = [(k, v) for k, v in indicators.items() if v is not None and v is not False]
    if not asked:
        raise InvalidInputError("shrink() on ScoreCounts needs the indicator to shrink: nps=True, csat=True, ces=True or mean=True")
    keywords, results = [], []
    groups = list(data.values())
    for keyword, spec in asked:
        spec = {} if spec is True else spec
        if not isinstance(spec, dict) or "column" in spec:
            raise InvalidInputError(f"{keyword}= on ScoreCounts takes True or a dict with 'top' and 'method' (no column), got {spec!r}")
        kind, _scale, top = _DEFAULTS[keyword]
        top = _convert.as_count(spec.get("top", top), "top")
        method = None if spec.get("method") is None else _convert.as_name(spec["method"], "method")
        results.append(_native.shrink_score_counts(groups, kind, top, method, conf))
        keywords.append(keyword)
    return _result_frame([name], {name: list(data.keys())}, keywords, results, polars=False)


def _shrink_summary(data: Any, by: Any, indicators: dict[str, Any], weights: Any, confidence: float) -> Any:
    """``cx.shrink(cx.summarize(df, by=..., ...), by=...)``: the groups of a report."""
    if weights is not None:
        raise InvalidInputError("shrink() on a summarize result takes no weights=: its effective_n carries them")
    conf = _convert.as_confidence(confidence)
    polars = _backend(data) == "polars"
    frame = data.to_pandas() if polars else data
    names = [str(c) for c in frame.columns]
    by_list = [str(b) for b in _convert.as_column_names(by, "by")] if by is not None else names[: names.index("indicator")]
    for name in by_list:
        if name not in names:
            raise InvalidInputError(f"by column {name!r} is not in the summarize result (columns: {', '.join(names)})")
    if not by_list:
        raise InvalidInputError("shrink() on a summarize result needs by= (its group columns)")
    kinds = list(dict.fromkeys(frame["indicator"].tolist()))
    keywords = _chosen(indicators, kinds, "the summarize result")
    results, keys = [], None
    for keyword in keywords:
        part = frame[(frame["indicator"] == keyword).to_numpy()]
        # Each indicator's overall row comes first, with every key missing.
        if len(part) and bool(part[by_list].iloc[0].isna().all()):
            part = part.iloc[1:]
        group_keys = {name: part[name].tolist() for name in by_list}
        if keys is not None and group_keys != keys:
            raise InvalidInputError(f"the summarize result's {keyword} rows have other groups than its first indicator's")
        keys = group_keys
        column = lambda c: part[c].to_numpy(dtype=float).tolist()  # noqa: E731
        model = "nps" if keyword == "nps" else "mean" if keyword == "mean" else "share"
        categories = None
        if model == "nps":
            if not all(c in names for c in ("detractors", "passives", "promoters")):
                raise InvalidInputError("an NPS summary needs its detractors, passives and promoters columns")
            categories = part[["detractors", "passives", "promoters"]].to_numpy(dtype=float).tolist()
        results.append(
            _native.shrink_summarised(
                model, column("value"), column("lower"), column("upper"), column("std_error"), column("effective_n"), categories, conf
            )
        )
    assert keys is not None
    return _result_frame(by_list, keys, keywords, results, polars)


class _Groups:
    """What shrink, rank and funnel share: the indicator specs, the ``by`` columns, the weights and
    the native indicator columns, checked in that order (``check`` runs right after ``by``), then
    one native call per grouping and the result frame in the caller's library."""

    def __init__(self, function: str, data: Any, by: Any, indicators: tuple[Any, ...], weights: str | None, check: Callable[[], Any]) -> None:
        self.data = data
        self.backend = _backend(data)
        self.specs = _specs(function, *indicators)
        self.by_list: list[Any] = _convert.as_column_names(by, "by")
        if not self.by_list:
            raise InvalidInputError(f"{function}() needs by= (the column of the groups)")
        self.checked = check()
        self.weights = None if weights is None else _convert.as_weights(_column(data, weights, "weights"))
        self.columns = _indicator_columns(data, self.specs, self.weights is not None)
        self.names = [str(spec["column"]) for spec in self.specs]
        for name in self.by_list:
            _column(data, name, "by")

    def run(self, native: Callable[..., Any], *args: Any) -> tuple[dict[Any, list[Any]], list[dict[str, Any]], dict[str, Any]]:
        """``native(keys, codes, n_groups, columns, names, weights, *args)`` over the groups: the
        group keys, one result per indicator, and the frame's ``by`` and ``indicator`` columns."""
        data, by_list = self.data, self.by_list
        integer_keys = _integer_keys(data[by_list[0]], self.backend) if len(by_list) == 1 else None
        if integer_keys is not None:
            found, results = native(integer_keys, None, 0, self.columns, self.names, self.weights, *args)
            keys: dict[Any, list[Any]] = {by_list[0]: found.tolist()}
        else:
            codes, keys = _group_codes(data, by_list, self.backend)
            n_groups = len(next(iter(keys.values())))
            _, results = native(None, codes, n_groups, self.columns, self.names, self.weights, *args)
        rows = len(results[0]["n"])
        out: dict[str, Any] = {name: [value for _ in self.specs for value in keys[name]] for name in by_list}
        out["indicator"] = np.repeat([spec["keyword"] for spec in self.specs], rows)
        return keys, results, out

    def frame(self, out: dict[str, Any], attrs: dict[str, Any]) -> Any:
        """The columns as a frame of the caller's library (pandas keeps ``attrs``)."""
        if self.backend == "pandas":
            import pandas as pd

            for name in self.by_list:
                out[name] = _key_array(pd, out[name], self.data[name].dtype)
            frame = pd.DataFrame(out)
            frame.attrs.update(attrs)
            return frame
        import polars as pl

        return pl.DataFrame(out, strict=False).fill_nan(None)


def _grouped_frame(
    function: str,
    data: Any,
    by: Any,
    indicators: tuple[Any, ...],
    weights: str | None,
    confidence: float,
    ranking: tuple[int, int, int] | None,
) -> Any:
    """The frame of shrink (``ranking`` None) or rank (``(k, draws, seed)``)."""
    groups = _Groups(function, data, by, indicators, weights, lambda: _convert.as_confidence(confidence))
    conf = groups.checked
    if ranking is None:
        _, results, out = groups.run(_native.shrink_grouped, conf)
    else:
        _, results, out = groups.run(_native.rank_grouped, conf, *ranking)
    fields: tuple[str, ...] = _SHRINK_FIELDS
    if ranking is not None:
        fields += ("rank", "rank_lower", "rank_upper", "p_top", "p_bottom")
    fits = _shrunk_columns(out, [spec["keyword"] for spec in groups.specs], results, fields)
    attrs: dict[str, Any] = {"fits": fits}
    if ranking is not None:
        attrs["seed"] = ranking[2]
    return groups.frame(out, attrs)


@accepts_frames
def rank(
    data: Any,
    *,
    by: Any,
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    mean: Any = None,
    weights: str | None = None,
    confidence: float = 0.95,
    seed: int | None = None,
    k: int = 10,
    draws: int = 1000,
) -> Any:
    """Each group's rank by its shrunk estimate (:func:`shrink`), 1 the highest, with the uncertainty
    of the rank: the equal-tailed ``confidence`` interval of its rank over ``draws`` joint draws from
    the groups' posteriors (``rank_lower``, ``rank_upper``; R's type 7 quantiles of the ranks), and
    the probability of being among the ``k`` highest (``p_top``) and the ``k`` lowest
    (``p_bottom``) (Goldstein & Spiegelhalter 1996). Draw ``d`` has its own random stream of
    ``seed`` (a fresh one when None, kept in ``frame.attrs["seed"]``), so results are reproducible and do
    not depend on the threads. Ties (a pooled fit makes every posterior the same point) share their
    mid-rank, and a tied block across the cut counts for each of its groups as the fraction of the
    block inside. Posteriors are independent given the fitted prior (exact for shares and NPS; for
    means the correlation through the population mean is left out). Groups without answers are
    ranked at the prior. Columns: those of :func:`shrink`, then ``rank``, ``rank_lower``,
    ``rank_upper``, ``p_top``, ``p_bottom``.

    >>> import pandas as pd, cxmetrics as cx
    >>> df = pd.DataFrame({"store": ["a"] * 50 + ["b"] * 50 + ["c"] * 50,
    ...                    "sat": [5] * 45 + [1] * 5 + [5] * 25 + [1] * 25 + [5] * 5 + [1] * 45})
    >>> ranks = cx.rank(df, by="store", csat="sat", k=1, seed=1)
    >>> ranks["rank"].tolist(), bool(ranks["p_top"][0] > 0.99)
    ([1.0, 2.0, 3.0], True)
    """
    k = _convert.as_size(k, "k", 1)
    draws = _convert.as_size(draws, "draws", 10)
    chosen = _convert.as_seed(seed)
    if chosen is None:
        chosen = int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0])
    return _grouped_frame("rank", data, by, (nps, csat, ces, mean), weights, confidence, (k, draws, chosen))


def _level_name(level: float) -> str:
    """``0.95`` -> ``"95"``, ``0.998`` -> ``"99.8"``."""
    return f"{100 * level:.10g}"


@accepts_frames
def funnel(
    data: Any,
    *,
    by: Any,
    nps: Any = None,
    csat: Any = None,
    ces: Any = None,
    mean: Any = None,
    weights: str | None = None,
    target: float | None = None,
    limits: tuple[float, ...] = (0.95, 0.998),
    overdispersion: str | None = None,
) -> Any:
    """Spiegelhalter's (2005) funnel plot table: each group's estimate against its number of answers,
    with control limits around the target.

    The target is the overall value unless given, in the indicator's unit (points for NPS, percent for
    shares, scale units for means). The limits at each level ``q`` of ``limits`` are
    ``target +- z_q sqrt(V / n)``, where ``V`` is the indicator's per-answer variance at the target: for
    a share ``p0 (1 - p0)``, for NPS the multinomial variance at the overall promoter and detractor
    shares, for a mean the variance of all answers. ``overdispersion="multiplicative"`` widens them by
    ``sqrt(phi)``, ``phi`` the mean squared z-score after Winsorising the z-scores at 10% in each tail
    (R's type 7 quantiles), when above 1; ``"additive"`` adds the DerSimonian-Laird between-group
    variance ``tau^2``. Limits are clipped to the indicator's range. Weighted data use each group's
    weighted estimate and Kish's effective n.

    One row per group and indicator: the ``by`` columns, ``indicator``, ``n``, ``value``, ``target``,
    ``z``, and for each level (``95``, ``99.8``) ``lower_95``, ``upper_95``, ``outside_95`` (the value
    outside those limits). ``frame.attrs`` (pandas) holds ``phi`` and ``tau2`` per indicator.
    ``cx.plot.funnel(frame)`` draws it.
    """
    def check() -> tuple[list[float], str | None, float | None]:
        levels = [float(_convert.as_real(level, "limits")) for level in (limits if isinstance(limits, (list, tuple)) else [limits])]
        if not levels:
            raise InvalidInputError("limits needs at least one level, such as (0.95, 0.998)")
        od = None if overdispersion is None else _convert.as_name(overdispersion, "overdispersion")
        goal = None if target is None else float(_convert.as_real(target, "target"))
        return levels, od, goal

    groups = _Groups("funnel", data, by, (nps, csat, ces, mean), weights, check)
    levels, od, goal = groups.checked
    _, results, out = groups.run(_native.funnel_grouped, goal, levels, od)
    rows = len(results[0]["n"])
    out["n"] = np.concatenate([r["n"] for r in results])
    out["value"] = np.concatenate([r["value"] for r in results])
    out["target"] = np.repeat([r["target"] for r in results], rows)
    out["z"] = np.concatenate([r["z"] for r in results])
    for i, level in enumerate(levels):
        tag = _level_name(level)
        lower = np.concatenate([r["limits"][i][1] for r in results])
        upper = np.concatenate([r["limits"][i][2] for r in results])
        out[f"lower_{tag}"], out[f"upper_{tag}"] = lower, upper
        out[f"outside_{tag}"] = (out["value"] < lower) | (out["value"] > upper)
    spread = {spec["keyword"]: {"phi": r["phi"], "tau2": r["tau2"], "sd": r["sd"]} for spec, r in zip(groups.specs, results)}
    return groups.frame(out, {"overdispersion": spread, "levels": levels})
