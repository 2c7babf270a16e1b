"""The customer's "why" (``cx.key_terms``): what the comments of one group say that the others don't."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError

KEY_TERM_COLUMNS = ["group", "term", "count", "rate", "log_odds", "z_score"]


def _module(x: Any) -> str:
    return type(x).__module__.split(".")[0]


def _as_list(x: Any, name: str) -> list[Any]:
    """A 1-D sequence as a list, missing values (NaN, NA, null) as None."""
    module = _module(x)
    if module == "pandas":
        if type(x).__name__ != "Series":
            raise InvalidInputError(f"{name} must be one column (a Series), got {type(x).__name__}")
        return x.astype(object).where(x.notna(), None).tolist()
    if module == "polars":
        return x.to_list()
    if module == "pyarrow":
        if not hasattr(x, "to_pylist") or type(x).__name__ in ("Table", "RecordBatch"):
            raise InvalidInputError(f"{name} must be one column (a pyarrow Array or ChunkedArray), got {type(x).__name__}")
        return x.to_pylist()
    if isinstance(x, (str, bytes)):
        raise InvalidInputError(f"{name} must be a sequence, got a single {type(x).__name__}")
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise InvalidInputError(f"{name} must be one-dimensional")
        return x.tolist()
    try:
        return list(x)
    except TypeError:
        raise InvalidInputError(f"{name} must be a sequence, got {type(x).__name__}") from None


def _group_codes(groups: Any) -> tuple[np.ndarray, list[Any]]:
    """int64 codes of sorted distinct labels (-1 for a missing label) and the labels."""
    if _module(groups) == "polars":
        import polars as pl

        labels = groups.drop_nulls().unique().sort()
        lookup = pl.DataFrame({"__label": labels, "__code": np.arange(len(labels), dtype=np.int64)})
        codes = (
            pl.DataFrame({"__label": groups})
            .join(lookup, on="__label", how="left", maintain_order="left")["__code"]
            .fill_null(-1)
            .to_numpy()
        )
        return codes.astype(np.int64), labels.to_list()
    import pandas as pd

    values = groups if _module(groups) == "pandas" else pd.Series(_as_list(groups, "groups"), dtype=object)
    try:
        codes, uniques = pd.factorize(values, sort=True)
    except TypeError:  # labels of types that do not sort together: order of appearance
        try:
            codes, uniques = pd.factorize(values, sort=False)
        except TypeError:
            raise InvalidInputError("groups must hold hashable labels (strings, numbers, booleans)") from None
    return np.asarray(codes, dtype=np.int64), list(uniques)


def key_terms(
    texts: Any,
    groups: Any,
    *,
    language: str = "auto",
    min_count: int = 5,
    prior: float = 0.01,
    ngram: tuple[int, int] = (1, 2),
    top: int = 20,
) -> Any:
    """The words and phrases that distinguish each group's comments from all the other groups'.

    For each group against the rest, terms are ranked by the log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", Political Analysis 16(4)), which
    does not just surface frequent words: ``alpha_w = prior * count_w``, ``alpha_0 = sum alpha_w``,
    ``delta_w = log((y_iw + a_w)/(n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w)/(n_j + a_0 - y_jw - a_w))``,
    ``z = delta_w / sqrt(1/(y_iw + a_w) + 1/(y_jw + a_w))``, where ``n_i`` counts every term occurrence
    of group ``i``.

    Parameters
    ----------
    texts
        Comments: list, NumPy array, pandas or polars Series, or pyarrow Array/ChunkedArray of
        strings; None/NaN/null are missing.
    groups
        One label per comment, of any hashable type (detractor/promoter, a touchpoint, a month);
        missing labels are excluded and counted.
    language
        ``"auto"`` (per comment, from the stop words it uses), ``"en"`` or ``"es"``: whose stop words
        are removed.
    min_count
        Terms seen fewer times over all groups are not reported.
    ngram
        ``(min, max)`` order of the terms: ``(1, 2)`` gives words and pairs of adjacent words (never
        across a stop word, a number, a URL or punctuation).
    top
        Terms per group.

    Tokenisation (in Rust): Unicode word boundaries, lower case, accents kept in the ``term`` shown
    but matched accent-insensitively ("atención" and "atencion" are one term; ñ is kept), numbers and
    URLs dropped.

    Returns one row per group and term, the ``top`` terms of each group by decreasing z-score:
    ``group``, ``term``, ``count`` (in the group), ``rate`` (per 1000 words of the group),
    ``log_odds``, ``z_score``. ``frame.attrs`` (pandas) holds ``n_comments`` (per group),
    ``n_empty`` (missing or empty comments, excluded), ``n_missing_group`` and ``languages``. polars
    texts give a polars DataFrame, pyarrow arrays a pyarrow Table.

    >>> import cxmetrics as cx
    >>> texts = ["late delivery again", "late delivery, rude driver", "great price", "great service"]
    >>> frame = cx.key_terms(texts, ["detractor", "detractor", "promoter", "promoter"], min_count=2)
    >>> frame[["group", "term", "count"]].head(3).values.tolist()
    [['detractor', 'delivery', 2], ['detractor', 'late', 2], ['detractor', 'late delivery', 2]]
    """
    text_list = _as_list(texts, "texts")
    codes, labels = _group_codes(groups)
    if len(codes) != len(text_list):
        raise InvalidInputError(f"texts has {len(text_list)} values but groups has {len(codes)}")
    if not (isinstance(ngram, (tuple, list)) and len(ngram) == 2):
        raise InvalidInputError(f"ngram must be a pair (min, max), e.g. (1, 2); got {ngram!r}")
    lo, hi = (_convert.as_size(v, "ngram", 1) for v in ngram)
    if not isinstance(prior, (int, float, np.floating, np.integer)) or isinstance(prior, bool):
        raise InvalidInputError(f"prior must be a positive number, got {prior!r}")
    table = (
        _native.key_terms(
            text_list,
            codes,
            len(labels),
            _convert.as_name(language, "language"),
            _convert.as_size(min_count, "min_count"),
            _convert.as_real(prior, "prior"),
            (lo, hi),
            _convert.as_size(top, "top"),
        )
    )
    columns = {
        "group": [labels[i] for i in table.group.tolist()],
        "term": table.term,
        "count": table.count.astype(np.int64),
        "rate": table.rate,
        "log_odds": table.log_odds,
        "z_score": table.z_score,
    }
    if _module(texts) == "polars":
        import polars as pl

        return pl.DataFrame(columns, strict=False)
    if _module(texts) == "pyarrow":
        import pyarrow as pa

        # pyarrow in, pyarrow out (the counts of the frame.attrs are in the table's metadata).
        table_out = pa.table({k: list(v) if isinstance(v, list) else v for k, v in columns.items()})
        return table_out.replace_schema_metadata(
            {"n_empty": str(table.n_empty), "n_missing_group": str(table.n_missing_group)}
        )
    import pandas as pd

    frame = pd.DataFrame(columns)
    frame.attrs.update(
        n_comments=dict(zip(labels, table.n_comments)),
        n_words=dict(zip(labels, table.n_words)),
        n_empty=table.n_empty,
        n_missing_group=table.n_missing_group,
        languages=dict(zip(("en", "es", "neither"), table.languages)),
    )
    return frame
