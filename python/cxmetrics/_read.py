"""Reading response files (``cx.read_responses``) into pandas or polars, keeping every rejected record."""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from functools import cached_property
from typing import Any

import numpy as np

from . import _convert, _native
from ._errors import InvalidInputError

REJECTED_COLUMNS = ("line", "field", "value", "reason")


def _require(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"this needs {module}; install it with `pip install {module}` (or `pip install cxmetrics[{module}]`)"
        ) from exc


class ReadResult:
    """What :func:`read_responses` read: the valid responses and every rejected record.

    ``data`` is a pandas DataFrame (``to_polars()`` gives a polars one), one row per valid response,
    columns in file order: ``recorded_at`` as UTC datetimes, answers as nullable integers, ``intentional``
    as nullable booleans, ``weight`` as floats, segment attributes as integers or floats when every
    value is a number and as text otherwise. ``rejected`` is a pandas DataFrame with one row per invalid
    field of a rejected record: ``line`` (the CSV header is line 1), ``field`` (empty for a whole-record
    problem), ``value`` as written, ``reason``. ``n_records`` counts every record read, ``n_rejected``
    the records rejected (a record with several invalid fields counts once), so
    ``n_records == len(data) + n_rejected``; ``n_blank`` counts the blank lines, which are not records.
    Identifiers (``respondent_id``, ``response_id``, ``touchpoint``) are text exactly as written, and an
    attribute is numeric only when every value is (an integer beyond int64, such as a 20-digit id, keeps
    its column as text).
    """

    def __init__(self, table: _native.ReadTable, path: str) -> None:
        self._table = table
        self._columns = table.columns
        self.n_records: int = table.n_records
        self.n_rejected: int = table.n_rejected
        self.n_blank: int = table.n_blank
        self.path = path

    @cached_property
    def data(self) -> Any:
        """The valid responses as a pandas DataFrame."""
        pd = _require("pandas")
        series = {}
        for column in self._columns:
            name, kind, payload, mask = column.name, column.kind, column.values, column.missing
            if kind == "int":
                values = pd.arrays.IntegerArray(payload, mask)
            elif kind == "float":
                values = payload
            elif kind == "bool":
                values = pd.array(payload, dtype="boolean")
            elif kind == "datetime_ns":
                values = pd.to_datetime(payload.view("datetime64[ns]")).tz_localize("UTC")
            else:
                values = pd.array(payload, dtype=object)
            series[name] = values
        return pd.DataFrame(series)

    def to_polars(self) -> Any:
        """The valid responses as a polars DataFrame (same columns as ``data``)."""
        pl = _require("polars")
        series = []
        for column in self._columns:
            name, kind, payload, mask = column.name, column.kind, column.values, column.missing
            if kind == "int":
                values = pl.Series(name, payload, dtype=pl.Int64)
                if mask.any():
                    values = values.scatter(np.flatnonzero(mask), None)
            elif kind == "float":
                values = pl.Series(name, payload, dtype=pl.Float64).fill_nan(None)
            elif kind == "bool":
                values = pl.Series(name, payload, dtype=pl.Boolean)
            elif kind == "datetime_ns":
                values = pl.Series(name, payload, dtype=pl.Int64).cast(pl.Datetime("ns", "UTC"))
            else:
                values = pl.Series(name, payload, dtype=pl.String)
            series.append(values)
        return pl.DataFrame(series)

    @cached_property
    def rejected(self) -> Any:
        """Every invalid field of every rejected record (pandas DataFrame: line, field, value, reason)."""
        pd = _require("pandas")
        t = self._table
        return pd.DataFrame(
            {
                "line": t.rejected_line.astype(np.int64),
                "field": pd.array(t.rejected_field, dtype=object),
                "value": pd.array(t.rejected_value, dtype=object),
                "reason": pd.array(t.rejected_reason, dtype=object),
            }
        )

    def __len__(self) -> int:
        return self.n_records - self.n_rejected

    def __repr__(self) -> str:
        return (
            f"ReadResult({self.path!r}: {len(self)} responses, {self.n_rejected} records rejected "
            f"of {self.n_records}, {self.n_blank} blank lines; columns {[c.name for c in self._columns]})"
        )

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{html.escape(self.path)}</b>: {len(self)} responses read, "
            f"<b>{self.n_rejected}</b> records rejected of {self.n_records}, {self.n_blank} blank lines.</p>"
        )
        t = self._table
        n = len(t.rejected_field)
        if not n:
            return head
        records = zip(t.rejected_line[:20].tolist(), t.rejected_field, t.rejected_value, t.rejected_reason)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in rec) + "</tr>" for rec in records)
        more = f"<p>... {n - 20} more in <code>.rejected</code></p>" if n > 20 else ""
        header = "".join(f"<th>{c}</th>" for c in REJECTED_COLUMNS)
        return f"{head}<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>{more}"


def read_responses(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    items: Mapping[str, tuple[int, int]] | None = None,
) -> ReadResult:
    """Reads survey responses from a CSV or JSON Lines file (``.jsonl``/``.ndjson``/``.json``; any
    other extension is read as CSV), keeping every rejected record.

    Fields: ``respondent_id``, ``recorded_at`` (RFC 3339) and ``touchpoint`` are required;
    ``response_id``, ``touchpoint_name``, ``channel``, ``journey_stage``, ``intentional``, ``weight``
    and ``comment`` are optional; ``nps`` (0-10), ``csat`` (1-5), ``ces`` (1-7),
    ``repurchase_intention`` (1-5) and the ``items`` you declare are answers (whole numbers on their
    scale, blank = not answered); any other field is a segment attribute. ``items`` declares custom
    scale items or changes the scale of the standard ones, e.g. ``{"csat": (1, 10), "ease": (1, 5)}``.
    JSON Lines records may nest answers and attributes in ``"answers"`` / ``"attributes"`` objects.

    Nothing is dropped silently: a record with an invalid field (an answer off its scale, a bad
    timestamp, a negative weight, a missing required field, a malformed line, a CSV quoted field never
    closed, a JSON key given twice or a field given both at the top level and under ``"attributes"``)
    is left out of ``.data`` and listed in ``.rejected`` with its line (the physical line where the
    record starts, for ``\n``, ``\r\n`` and ``\r`` line ends alike), field, value and reason; blank
    lines are counted in ``.n_blank``. Memory is bounded: a file using more than 10,000 distinct
    field names, or a sparse JSON Lines file whose table would have more than 20 million cells while
    fewer than 1 in 8 of them hold a value, raises :class:`InvalidFileError` naming the limit
    (``max_fields``, ``max_cells``) before the table is built. With ``strict=True`` the first
    one raises :class:`InvalidRecordError` (a ``ValueError``) naming the line. A file that cannot be
    opened raises ``FileNotFoundError``/``OSError``; a header without a required column
    :class:`InvalidFileError`.

    >>> import cxmetrics as cx
    >>> from cxmetrics.demo import data_path
    >>> read = cx.read_responses(data_path())
    >>> read.n_records, read.n_rejected
    (6000, 0)
    >>> read.data[["nps", "csat"]].dtypes.astype(str).tolist()
    ['Int64', 'Int64']
    >>> cx.nps(read.data["nps"]).n_missing
    136
    """
    if not isinstance(strict, (bool, np.bool_)):
        raise InvalidInputError(f"strict must be True or False, got {strict!r}")
    declared: list[tuple[str, int, int]] = []
    if items is not None:
        if not isinstance(items, Mapping):
            raise InvalidInputError(f"items must map item names to scales such as (1, 5), got {type(items).__name__}")
        for name, scale in items.items():
            if not isinstance(name, str):
                raise InvalidInputError(f"item names must be strings, got {name!r}")
            lo, hi = _convert.as_scale(scale)
            declared.append((name, lo, hi))
    name = os.fspath(path)
    if not isinstance(name, str):
        raise InvalidInputError(f"path must be a str or os.PathLike, got {type(path).__name__}")
    return ReadResult(_native.read_responses(name, bool(strict), declared), name)
