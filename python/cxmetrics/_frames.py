"""Data frames in: which library a table comes from, its columns by name (named in errors by the
parameter that named them), float and weight columns read in place when they can be, and group
codes of key columns (hash factorization in pandas, Arrow buffers factorized in Rust for polars).
Used by the reports, trends, business indicators and drivers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError


def backend(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and type(data).__name__ == "DataFrame":
        return "pandas"
    if module == "polars" and type(data).__name__ == "DataFrame":
        return "polars"
    raise InvalidInputError(f"data must be a pandas or polars DataFrame, got {type(data).__name__}")


def key_array(pd: Any, values: list[Any], dtype: Any) -> Any:
    """Group keys (``None`` on the overall rows) as a pandas array of the key column's own kind:
    integer and boolean keys in the nullable dtype of the same width (so keys 2**53 and 2**53 + 1
    stay two int64 labels instead of one float), anything else as it comes."""
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        nullable = f"{'UInt' if dtype.kind == 'u' else 'Int'}{dtype.itemsize * 8}"
        return pd.array(values, dtype=nullable)
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        return pd.array(values, dtype="boolean")
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iub":
        return pd.array(values, dtype=dtype)
    return values


def column(data: Any, name: Any, parameter: str = "column") -> Any:
    """Column ``name`` of the data; ``parameter`` (``by``, ``weights``, ``time``...) is named in errors."""
    _convert.as_column_label(name, parameter)
    columns = list(data.columns)
    if name not in columns:
        raise InvalidInputError(f"{parameter}: column {name!r} is not in the data; columns are {columns}")
    return data[name]


def integer_keys(column: Any, backend: str) -> np.ndarray | None:
    """One integer key column without missing values as int64 (read in place when it is int64); else
    None."""
    if backend == "pandas":
        if not (isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu"):
            return None
        values = column.to_numpy()
    else:
        if not column.dtype.is_integer() or column.null_count() > 0:
            return None
        values = column.to_numpy()
    if values.dtype == np.uint64 and values.size and values.max() > np.iinfo(np.int64).max:
        return None
    return np.ascontiguousarray(values, dtype=np.int64)


def string_codes(column: Any) -> tuple[np.ndarray, list[Any]] | None:
    """Codes (in key order) and keys of a polars string column without nulls, factorized in Rust
    over its Arrow buffers; None when pyarrow is not installed."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    values = column.to_arrow()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not pa.types.is_large_string(values.type):
        values = values.cast(pa.large_string())
    _, offsets_buffer, data_buffer = values.buffers()
    start = values.offset
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[start : start + len(values) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
    codes, first_rows = _native.factorize_strings(offsets, data)
    return codes, values.take(pa.array(first_rows)).to_pylist()


def group_codes(data: Any, by: list[Any], backend: str) -> tuple[np.ndarray, dict[Any, list[Any]]]:
    """Integer group codes (missing keys are a group of their own) and the key values per group, in
    sorted key order with missing keys last."""
    for name in by:
        column(data, name, "by")
    if backend == "pandas":
        import pandas as pd

        if len(by) == 1:
            try:
                # Hash factorization, sorted, missing keys last: the groups of groupby(dropna=False).
                codes, uniques = pd.factorize(data[by[0]], sort=True, use_na_sentinel=False)
                return codes.astype(np.uint32), {by[0]: list(uniques)}
            except TypeError:  # keys that cannot be sorted together: let groupby say so
                pass
        grouped = data.groupby(by, dropna=False, sort=True, observed=True)
        codes = grouped.ngroup().to_numpy()
        # The groups' keys, in code order.
        index = grouped.size().index
        keys = {name: index.get_level_values(i).tolist() for i, name in enumerate(by)}
        return codes.astype(np.uint32), keys
    import polars as pl

    if len(by) == 1 and data[by[0]].dtype == pl.String and data[by[0]].null_count() == 0:
        found = string_codes(data[by[0]])
        if found is not None:
            codes, uniques = found
            return codes, {by[0]: uniques}
    indexed = data.select(by).with_row_index("__row")
    groups = (
        indexed.group_by(by)
        .agg(pl.col("__row"))
        .sort(by, nulls_last=True)  # sorted keys, missing last: the order of pandas' groupby
        .with_row_index("__code")
    )
    exploded = groups.select("__code", "__row").explode("__row")
    codes = np.empty(data.height, dtype=np.uint32)
    codes[exploded["__row"].to_numpy()] = exploded["__code"].to_numpy()
    keys = {name: groups[name].to_list() for name in by}
    return codes, keys


def mapping_column(data: Any, name: Any, parameter: str = "column") -> Any:
    """Column ``name`` of a pandas/polars DataFrame or a mapping of columns; ``parameter`` (the
    argument that named it) is named in errors."""
    if not isinstance(name, str):
        raise InvalidInputError(f"{parameter} must name a column (a string), got {name!r}")
    _convert.as_name(name, parameter)
    columns = list(data.keys()) if isinstance(data, Mapping) else list(getattr(data, "columns", []))
    if not columns and not isinstance(data, Mapping):
        raise InvalidInputError(
            f"data must be a pandas or polars DataFrame or a mapping of columns, got {type(data).__name__}"
        )
    if name not in columns:
        raise InvalidInputError(f"{parameter}: column {name!r} is not in the data; columns are {columns}")
    return data[name]


def floats(data: Any, name: str, *, allow_bool: bool = False, parameter: str = "column") -> np.ndarray:
    """A column as float64 (missing = NaN), read in place when it already is float64."""
    column = mapping_column(data, name, parameter)
    if allow_bool:
        dtype = getattr(column, "dtype", None)
        if str(dtype) in ("bool", "boolean", "Boolean"):
            module = type(column).__module__.split(".")[0]
            if module == "pandas":
                column = column.astype("Float64")
            elif module == "polars":
                import polars as pl

                column = column.cast(pl.Float64)
            else:
                column = np.asarray(column, dtype=np.float64)
        elif isinstance(column, (list, tuple)) or (isinstance(column, np.ndarray) and column.dtype == bool):
            column = np.asarray([np.nan if v is None else float(v) for v in column], dtype=np.float64)
    return np.asarray(_convert.as_array(column, name), dtype=np.float64)


def weights(data: Any, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        return _convert.as_weights(mapping_column(data, weights, "weights"))
    return _convert.as_weights(weights)
