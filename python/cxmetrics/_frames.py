"""Data frames in: which library a table comes from, its columns by name (named in errors by the
parameter that named them), float and weight columns read in place when they can be, and group
codes of key columns (hash factorization in pandas, Arrow buffers factorized in Rust for polars).
Used by the reports, trends, business indicators and drivers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError

F = TypeVar("F", bound=Callable[..., Any])

#: The data-frame libraries the package reads and what installs each.
INSTALL = {
    "pandas": "pip install pandas",
    "polars": "pip install polars",
    "pyarrow": "pip install pyarrow",
    "narwhals": "pip install narwhals",
}


def require(module: str) -> Any:
    """Imports an optional library, or raises ImportError naming the command that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        command = INSTALL.get(module, f"pip install {module}")
        raise ImportError(
            f"this needs {module}, which is not installed: {command} (from a checkout of cxmetrics, "
            f"pip install '.[{module}]' installs it with the package)"
        ) from exc


def backend(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and type(data).__name__ == "DataFrame":
        return "pandas"
    if module == "polars" and type(data).__name__ == "DataFrame":
        return "polars"
    raise InvalidInputError(
        f"data must be a data frame (pandas, polars, a pyarrow Table or any object with "
        f"__arrow_c_stream__), got {type(data).__name__}"
    )


def _is_arrow_like(data: Any) -> bool:
    return hasattr(data, "__arrow_c_stream__") and not isinstance(data, (str, bytes, Mapping))


def computable(data: Any) -> tuple[Any, str | None]:
    """The caller's data as the frame the package computes on (pandas or polars), and the kind of
    frame to give back: ``"pandas"``, ``"polars"``, ``"pyarrow"`` or None (not a frame: a mapping of
    columns, passed through). narwhals tells the libraries apart; a polars LazyFrame is collected;
    a pyarrow Table, or any object with ``__arrow_c_stream__`` (the Arrow PyCapsule interface: DuckDB,
    pandas >= 2.2, ...), is computed on in polars (zero-copy from Arrow) when polars is installed, in
    pandas otherwise, and comes back as a pyarrow Table."""
    if isinstance(data, Mapping):
        return data, None
    nw = require("narwhals")
    if nw.dependencies.is_pandas_dataframe(data):
        return data, "pandas"
    if nw.dependencies.is_polars_dataframe(data):
        return data, "polars"
    if nw.dependencies.is_polars_lazyframe(data):
        return data.collect(), "polars"
    if nw.dependencies.is_pyarrow_table(data) or _is_arrow_like(data):
        pa = require("pyarrow")
        try:
            table = data if nw.dependencies.is_pyarrow_table(data) else pa.table(data)
        except (TypeError, ValueError, pa.ArrowException) as exc:
            raise InvalidInputError(
                f"data must be a data frame (pandas, polars, a pyarrow Table or a table with "
                f"__arrow_c_stream__), got {type(data).__name__}, which Arrow does not read as a table: {exc}"
            ) from None
        try:
            import polars as pl
        except ImportError:
            return table.to_pandas(), "pyarrow"
        return pl.from_arrow(table), "pyarrow"
    return data, None


def as_kind(result: Any, kind: str | None) -> Any:
    """A result frame (pandas or polars) as the caller's kind of frame; anything else unchanged."""
    if kind != "pyarrow":
        return result
    nw = require("narwhals")
    if nw.dependencies.is_pandas_dataframe(result) or nw.dependencies.is_polars_dataframe(result):
        return nw.from_native(result, eager_only=True).to_arrow()
    return result


def accepts_frames(function: F) -> F:
    """Lets ``function(data, ...)`` take any data frame (see :func:`computable`) and give its frame
    results back in the caller's kind."""

    @functools.wraps(function)
    def wrapper(data: Any, *args: Any, **kwargs: Any) -> Any:
        native, kind = computable(data)
        return as_kind(function(native, *args, **kwargs), kind)

    return wrapper  # type: ignore[return-value]


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
