"""Input normalisation: lists, NumPy arrays, pandas and polars Series to 1-D NumPy arrays.

NumPy arrays of integer or float dtype pass through untouched (no copy); the native layer reads them in
place. pandas nullable dtypes (``Int64``, ``Float64``) and polars Series with nulls become float64 with
NaN for missing values. Anything that is not a number (strings, booleans, dates) is rejected.
"""

from __future__ import annotations

import numbers
import operator
from typing import Any

import numpy as np

from ._errors import InvalidCountsError, InvalidInputError, InvalidParameterError, InvalidScaleError, InvalidScoreError

_NUMERIC_KINDS = frozenset("iuf")


def _module_of(x: object) -> str:
    return type(x).__module__.split(".", 1)[0]


def _is_missing_object(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and v != v:
        return True
    return type(v).__name__ == "NAType"  # pandas.NA without importing pandas


_EXACT = 2**53  # the largest magnitude below which every integer is an exact float64


def _inexact(value: int, position: int, name: str) -> InvalidScoreError:
    """The error for an integer that float64 cannot hold exactly (it would be rounded to a
    neighbour, possibly onto the scale); no scale reaches that far (bounds are below 2**53)."""
    return InvalidScoreError(
        f"{name}: score {value} at position {position} is beyond 2**53, outside every scale; "
        "check the data or recode the value as missing"
    )


def _check_exact_integers(values: np.ndarray, missing: np.ndarray | None, name: str) -> None:
    """Raises :func:`_inexact` for the first integer of magnitude above 2**53 (missing ones skipped)."""
    big = values > _EXACT
    if values.dtype.kind == "i":
        big |= values < -_EXACT
    if missing is not None:
        big &= ~missing
    if big.any():
        position = int(np.flatnonzero(big)[0])
        raise _inexact(int(values[position]), position, name)


def _from_object_array(arr: np.ndarray, name: str) -> np.ndarray:
    """An object array (e.g. a list with None) to float64, missing as NaN; rejects non-numbers."""
    out = np.empty(arr.shape[0], dtype=np.float64)
    for i, v in enumerate(arr):
        if _is_missing_object(v):
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
            raise InvalidInputError(
                f"{name} must be numbers; found {v!r} ({type(v).__name__}) at position {i}"
            )
        elif isinstance(v, (int, np.integer)) and not -_EXACT <= int(v) <= _EXACT:
            raise _inexact(int(v), i, name)
        else:
            out[i] = float(v)
    return out


def as_array(x: Any, name: str = "scores") -> np.ndarray:
    """``x`` as a 1-D NumPy array of an integer or float dtype, missing values as NaN."""
    if x is None:
        raise InvalidInputError(f"{name} must be a 1-D sequence of numbers, got None")
    module = _module_of(x)
    if module == "polars":
        if type(x).__name__ != "Series":
            raise InvalidInputError(f"{name} must be a polars Series (one column), got {type(x).__name__}")
        if x.dtype.is_numeric():
            if x.dtype.is_integer() and x.null_count() > 0:
                # Integer columns with nulls become float64: only when every value is exact.
                _check_exact_integers(x.fill_null(0).to_numpy(), x.is_null().to_numpy(), name)
            x = x.to_numpy()  # nulls become NaN (integer columns with nulls become float64)
        else:
            raise InvalidInputError(f"{name} must be numeric, got a polars Series of dtype {x.dtype}")
    elif module == "pandas":
        if type(x).__name__ == "DataFrame":
            raise InvalidInputError(f"{name} must be one column (a Series), got a DataFrame")
        dtype = x.dtype
        if getattr(dtype, "kind", None) == "b" or str(dtype) == "boolean":
            raise InvalidInputError(f"{name} must be numbers, got booleans (dtype {dtype})")
        if isinstance(dtype, np.dtype):
            x = x.to_numpy()
        elif getattr(dtype, "kind", "O") in _NUMERIC_KINDS:
            # Nullable Int64/Float64/UInt8...: NA becomes NaN, integers only when exact in float64.
            if dtype.kind in "iu":
                missing = np.asarray(x.isna(), dtype=bool)
                _check_exact_integers(x.to_numpy(dtype=dtype.numpy_dtype, na_value=0), missing, name)
            x = x.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            x = np.asarray(x, dtype=object)
    elif isinstance(x, (bytes, bytearray, memoryview)):
        # Alike, whatever NumPy would make of each (a bytearray would become uint8 "scores").
        raise InvalidInputError(f"{name} must be a 1-D sequence of numbers, got {type(x).__name__}")
    elif isinstance(x, str) or isinstance(x, (numbers.Number, np.generic)):
        raise InvalidInputError(f"{name} must be a 1-D sequence of numbers, got a single {type(x).__name__}")
    elif isinstance(x, (set, frozenset, dict)) or hasattr(x, "__next__"):
        # Sets and dicts have no order of the caller's; iterators would be consumed.
        raise InvalidInputError(
            f"{name} must be a sequence (list, tuple, NumPy array, pandas or polars Series), got {type(x).__name__}"
        )
    elif isinstance(x, np.ma.MaskedArray):
        # Masked entries are missing answers, not the values behind the mask.
        x = np.ma.filled(x.astype(np.float64), np.nan)
    elif isinstance(x, (list, tuple)):
        # NumPy would silently turn True/False into 1/0 next to numbers.
        kinds = set(map(type, x))
        if bool in kinds or np.bool_ in kinds:
            position = next(i for i, v in enumerate(x) if isinstance(v, (bool, np.bool_)))
            raise InvalidInputError(f"{name} must be numbers; found {x[position]!r} (bool) at position {position}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as err:
        raise InvalidInputError(f"{name} must be a 1-D sequence of numbers: {err}") from None
    if arr.ndim != 1:
        raise InvalidInputError(f"{name} must be one-dimensional, got an array with {arr.ndim} dimensions")
    kind = arr.dtype.kind
    if kind in "OUS":
        # Object arrays (None among numbers) and strings: name the first non-number and its position
        # (from the original elements: NumPy would have turned the numbers of a mixed list into text).
        if isinstance(x, (list, tuple)):
            arr = np.array(x, dtype=object)
            if arr.ndim != 1:
                raise InvalidInputError(f"{name} must be one-dimensional")
        return _from_object_array(arr.astype(object), name)
    if kind == "b":
        raise InvalidInputError(f"{name} must be numbers, got booleans")
    if kind not in _NUMERIC_KINDS:
        raise InvalidInputError(f"{name} must be numbers, got dtype {arr.dtype}")
    if arr.dtype == np.float16:
        return arr.astype(np.float32)
    if kind == "f" and arr.dtype.itemsize > 8:
        # long double: only values that float64 holds exactly (5 + 2**-60 is no scale point, and
        # would become 5.0).
        narrow = arr.astype(np.float64)
        inexact = (narrow != arr) & ~np.isnan(arr)
        if inexact.any():
            position = int(np.flatnonzero(inexact)[0])
            raise InvalidScoreError(
                f"{name}: score {arr[position]!r} at position {position} has more precision than float64 "
                "holds; it is not a scale point (round it, or pass float64)"
            )
        return narrow
    if not arr.dtype.isnative:
        return arr.astype(arr.dtype.newbyteorder("="))
    return arr


def as_weights(w: Any) -> np.ndarray | None:
    """Weights as float64 (missing weights become NaN and are then rejected with their position)."""
    if w is None:
        return None
    arr = as_array(w, "weights")
    return arr if arr.dtype == np.float64 else arr.astype(np.float64)


def as_scale(scale: Any, name: str = "scale") -> tuple[int, int]:
    """``(min, max)`` from a pair of integers (a tuple, list or 1-D array; not booleans); ``name`` is
    the parameter the messages name (``csat_scale``, ``items['web']``...)."""
    if not isinstance(scale, (tuple, list, np.ndarray)) or any(isinstance(v, (bool, np.bool_)) for v in scale):
        raise InvalidScaleError(f"{name} must be a pair of integers (min, max), e.g. (1, 5); got {scale!r}")
    try:
        lo, hi = scale
        lo, hi = operator.index(lo), operator.index(hi)
    except (TypeError, ValueError):
        raise InvalidScaleError(f"{name} must be a pair of integers (min, max), e.g. (1, 5); got {scale!r}") from None
    if not (-(2**63) <= lo < 2**63 and -(2**63) <= hi < 2**63):
        raise InvalidScaleError(f"{name} = {scale!r} is out of range; the bounds must fit in 64 bits")
    return lo, hi


def as_count(value: Any, name: str) -> int:
    """A whole-number count (Python or NumPy integer) that fits in 63 bits."""
    if isinstance(value, (bool, np.bool_)):
        raise InvalidInputError(f"{name} must be an integer count, got {value!r}")
    try:
        count = operator.index(value)
    except TypeError:
        raise InvalidInputError(f"{name} must be an integer count, got {value!r}") from None
    if not -(2**63) <= count < 2**63:
        raise InvalidCountsError(f"{name} = {count} is too large; counts must be below 2**63")
    return count


def as_size(value: Any, name: str, minimum: int = 0) -> int:
    """A size given as an argument (a number of resamples, of terms, a window...): a Python or NumPy
    integer, not a boolean, at least ``minimum`` and below 2**63 (the native layer bounds it further
    where memory depends on it). A wrong type is :class:`InvalidInputError`, a value out of range
    :class:`InvalidParameterError`, never ``OverflowError``."""
    if isinstance(value, (bool, np.bool_)):
        raise InvalidInputError(f"{name} must be an integer, got {value!r}")
    try:
        size = operator.index(value)
    except TypeError:
        raise InvalidInputError(f"{name} must be an integer, got {value!r}") from None
    if not minimum <= size < 2**63:
        raise InvalidParameterError(
            f"{name} = {size} is invalid: it must be an integer of at least {minimum}",
            name,
            str(size),
            f"it must be an integer of at least {minimum}",
        )
    return size


def as_confidence(confidence: Any) -> float:
    """The confidence level as a float (its range is checked by the native layer)."""
    if isinstance(confidence, (bool, np.bool_)) or not isinstance(confidence, numbers.Real):
        raise InvalidInputError(f"confidence must be a number between 0 and 1, got {confidence!r}")
    return float(confidence)


def as_name(value: Any, name: str) -> str:
    """A method or policy name: a ``str`` that is valid Unicode (a lone surrogate cannot be passed on)."""
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string, got {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(f"{name} must be valid Unicode text, got {value!r}") from None
    return value


def as_real(value: Any, name: str, *, finite: bool = True) -> float:
    """A real-number argument (``sigma``, ``target``, ``margin``...): a Python or NumPy real, not a
    boolean (:class:`InvalidInputError` otherwise); with ``finite`` NaN and infinities are an
    :class:`InvalidParameterError` naming the parameter."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    if finite and not np.isfinite(x):
        raise InvalidParameterError(f"{name} = {x!r} is invalid: it must be finite", name, repr(x), "it must be finite")
    return x


def as_column_names(value: Any, name: str) -> list[Any]:
    """``by=``-style arguments: ``None`` (no columns), one column label, or a list or tuple of labels.
    Labels must be hashable (pandas allows non-string labels); a set, dict, generator or array is
    refused, since its order is not the caller's."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        labels = list(value)
    elif isinstance(value, (set, frozenset, dict)) or hasattr(value, "__next__") or isinstance(value, np.ndarray):
        raise InvalidInputError(f"{name} must be a column name or a list of column names (a sequence), got {type(value).__name__}")
    else:
        labels = [value]
    for label in labels:
        as_column_label(label, name)
    return labels


def as_column_label(value: Any, name: str) -> Any:
    """One column label (hashable, not None); the parameter ``name`` is named in the error."""
    if value is None or isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidInputError(f"{name} must name a column, got {value!r}")
    try:
        hash(value)
    except TypeError:
        raise InvalidInputError(f"{name} must name a column (a string or another hashable label), got {type(value).__name__}") from None
    if isinstance(value, str):
        as_name(value, name)
    return value


def as_seed(seed: Any) -> int | None:
    """A random seed: ``None`` (a fresh one) or an integer in [0, 2**64), not a boolean."""
    if seed is None:
        return None
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise InvalidInputError(f"seed must be None or an integer in [0, 2**64), got {seed!r}")
    if not 0 <= int(seed) < 2**64:
        raise InvalidInputError(f"seed must be None or an integer in [0, 2**64), got {int(seed)}")
    return int(seed)
