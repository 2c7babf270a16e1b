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
from ._frames import computable, require

REJECTED_COLUMNS = ("line", "field", "value", "reason", "kind")


_require = require

#: The suffixes read as files (each also gzip-compressed, with ``.gz``), and Parquet.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".ndjson", ".json")
PARQUET_SUFFIXES = (".parquet", ".pq")


def _arrow_text(payload: Any) -> Any:
    """A text column sent in Arrow's layout (offsets, bytes, validity) as a pyarrow array, without
    copying the bytes; None when pyarrow is not installed."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    offsets, data, valid = payload
    n = len(valid)
    bitmap = None if n == 0 or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data), bitmap)


def _text_list(payload: Any) -> list[Any]:
    offsets, data, valid = payload
    return _native.text_values(offsets, data, valid)


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

    def __init__(self, table: _native.ReadTable, path: str, *, in_memory: bool = False) -> None:
        self._table = table
        self._columns = table.columns
        self.n_records: int = table.n_records
        self.n_rejected: int = table.n_rejected
        self.n_blank: int = table.n_blank
        #: The CSV delimiter used (None for JSON Lines and in-memory tables).
        self.sep: str | None = None if in_memory else table.delimiter
        #: The text encoding read (``"utf-8"``, ``"latin-1"``, ``"cp1252"``, ``"utf-16"``).
        self.encoding: str = table.encoding
        #: Whether the file was gzip-compressed.
        self.compressed: bool = table.compressed
        self.path = path
        self._in_memory = in_memory

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
                arrow = _arrow_text(payload)
                if arrow is not None:
                    # pandas' pyarrow-backed string dtype: the bytes are not copied string by string.
                    values = pd.arrays.ArrowStringArray(arrow.cast("large_string"))
                else:
                    values = pd.array(_text_list(payload), dtype=object)
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
                arrow = _arrow_text(payload)
                values = pl.Series(name, _text_list(payload) if arrow is None else arrow, dtype=pl.String)
            series.append(values)
        return pl.DataFrame(series)

    @cached_property
    def rejected(self) -> Any:
        """Every invalid field of every rejected record (pandas DataFrame: ``line``, or ``row`` for an
        in-memory table, then ``field``, ``value``, ``reason`` and ``kind``)."""
        pd = _require("pandas")
        t = self._table
        where = ("row", t.rejected_record.astype(np.int64)) if self._in_memory else ("line", t.rejected_line.astype(np.int64))
        return pd.DataFrame(
            {
                where[0]: where[1],
                "field": pd.array(t.rejected_field, dtype=object),
                "value": pd.array(t.rejected_value, dtype=object),
                "reason": pd.array(t.rejected_reason, dtype=object),
                "kind": pd.array(t.rejected_kind, dtype=object),
            }
        )

    @cached_property
    def mappings(self) -> Any:
        """The values read as a known channel or journey stage while written otherwise (pandas
        DataFrame: ``field``, ``written``, ``mapped_to``, ``count`` of valid records): nothing is
        recoded without being listed here. Any other value is kept as written."""
        pd = _require("pandas")
        rows = self._table.mappings
        return pd.DataFrame(rows, columns=["field", "written", "mapped_to", "count"]).astype({"count": "int64"})

    @cached_property
    def name_conflicts(self) -> Any:
        """Touchpoints whose records give different display names (pandas DataFrame: ``touchpoint``,
        ``name``, ``count``). Each touchpoint is one group (its id) all the same."""
        pd = _require("pandas")
        rows = self._table.name_conflicts
        return pd.DataFrame(rows, columns=["touchpoint", "name", "count"]).astype({"count": "int64"})

    def __len__(self) -> int:
        return self.n_records - self.n_rejected

    def _how(self) -> str:
        """How the source was read: delimiter, encoding, compression."""
        parts = []
        if self.sep is not None:
            parts.append(f"sep={self.sep!r}")
        if not self._in_memory:
            parts.append(f"encoding={self.encoding!r}")
        if self.compressed:
            parts.append("gzip")
        return ", ".join(parts)

    def __repr__(self) -> str:
        how = self._how()
        mapped = len(self._table.mappings)
        notes = f"; {mapped} values mapped to known names (see .mappings)" if mapped else ""
        conflicts = len({t for t, _, _ in self._table.name_conflicts})
        notes += f"; {conflicts} touchpoints with conflicting names (see .name_conflicts)" if conflicts else ""
        return (
            f"ReadResult({self.path!r}{' (' + how + ')' if how else ''}: {len(self)} responses, "
            f"{self.n_rejected} records rejected of {self.n_records}, {self.n_blank} blank lines{notes}; "
            f"columns {[c.name for c in self._columns]})"
        )

    def _repr_html_(self) -> str:
        how = self._how()
        head = (
            f"<p><b>{html.escape(self.path)}</b>{' (' + html.escape(how) + ')' if how else ''}: "
            f"{len(self)} responses read, "
            f"<b>{self.n_rejected}</b> records rejected of {self.n_records}, {self.n_blank} blank lines.</p>"
        )
        t = self._table
        if t.mappings:
            items = ", ".join(f"{html.escape(w)} &rarr; {html.escape(m)} ({c})" for _, w, m, c in t.mappings[:10])
            head += f"<p>Read as known names: {items}{' ...' if len(t.mappings) > 10 else ''}</p>"
        n = len(t.rejected_field)
        if not n:
            return head
        where = t.rejected_record if self._in_memory else t.rejected_line
        records = zip(where[:20].tolist(), t.rejected_field, t.rejected_value, t.rejected_reason, t.rejected_kind)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in rec) + "</tr>" for rec in records)
        more = f"<p>... {n - 20} more in <code>.rejected</code></p>" if n > 20 else ""
        names = ("row", *REJECTED_COLUMNS[1:]) if self._in_memory else REJECTED_COLUMNS
        header = "".join(f"<th>{c}</th>" for c in names)
        return f"{head}<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>{more}"


def _in_memory_csv(source: Any) -> bytes:
    """An in-memory table as CSV bytes (header, RFC 4180 quoting, timestamps with their offset when
    they have a zone), written by pyarrow's multi-threaded CSV writer, so that it is validated by
    exactly the rules of a file."""
    pa = require("pyarrow")
    import pyarrow.csv as pacsv

    native, _ = computable(source)
    if isinstance(native, Mapping) or native is source and not hasattr(native, "columns"):
        raise InvalidInputError(
            "source must be a path or a data frame (pandas, polars, a pyarrow Table or any object with "
            f"__arrow_c_stream__), got {type(source).__name__}"
        )
    nw = require("narwhals")
    table = native if nw.dependencies.is_pyarrow_table(native) else nw.from_native(native, eager_only=True).to_arrow()
    # Dictionary (categorical) columns as their values.
    columns = [
        column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column for column in table.columns
    ]
    table = pa.Table.from_arrays(columns, names=[str(name) for name in table.column_names])
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=True))
    return sink.getvalue().to_pybytes()


def read_responses(
    source: Any,
    *,
    sep: str | None = None,
    encoding: str | None = None,
    tz: str | None = None,
    time_format: str | None = None,
    columns: Mapping[str, str] | None = None,
    items: Mapping[str, tuple[int, int]] | None = None,
    strict: bool = False,
) -> ReadResult:
    """Reads survey responses, keeping every rejected record.

    ``source`` is a path to a ``.csv``, ``.tsv``, ``.txt``, ``.jsonl``, ``.ndjson`` (or ``.json``)
    file, each also gzip-compressed (``.gz``; compression is recognised by the file's first bytes),
    or a ``.parquet`` file (read with pyarrow); or an in-memory table: a pandas or polars DataFrame, a
    pyarrow Table, or any object with ``__arrow_c_stream__``. Tables are validated by the same rules
    as files and give the same :class:`ReadResult`; their rejected rows are reported by ``row``
    (0-based position) instead of ``line``.

    Fields: ``respondent_id``, ``recorded_at`` and ``touchpoint`` are required; ``response_id``,
    ``touchpoint_name``, ``channel``, ``journey_stage``, ``intentional``, ``weight`` and ``comment``
    are optional; ``nps`` (0-10), ``csat`` (1-5), ``ces`` (1-7), ``repurchase_intention`` (1-5) and
    the ``items`` you declare are answers (whole numbers on their scale, blank = not answered); any
    other field is a segment attribute. ``items`` declares custom scale items or changes the scale of
    the standard ones, e.g. ``{"csat": (1, 10), "ease": (1, 5)}``. ``columns`` maps the export's
    names to these (``{"Respondent": "respondent_id", "Q1 Likelihood to recommend": "nps"}``); a
    target that is neither a field nor an item is an error naming it. JSON Lines records may nest
    answers and attributes in ``"answers"`` / ``"attributes"`` objects.

    ``sep``: the CSV delimiter; by default it is chosen among ``,``, ``;``, tab and ``|`` from the
    header and first records (``ReadResult.sep`` and its repr say which). ``encoding``: UTF-8 with or
    without BOM by default; ``"latin-1"``, ``"cp1252"`` and ``"utf-16"`` (with BOM) are accepted; text
    that is not valid UTF-8 is rejected with a reason naming the encoding it looks like.

    ``tz``: the IANA time zone (``"Europe/Madrid"``) or ``"UTC"`` of timestamps written without a UTC
    offset, applied with its daylight-saving rules (an ambiguous or skipped local time is a rejected
    field saying so); without it such a timestamp is rejected with a reason saying to pass ``tz=``.
    Timestamps with an offset are converted to UTC. ``time_format``: a strftime-style format
    (``"%d/%m/%Y %H:%M"``) for timestamps that are not RFC 3339 / ISO 8601 (which always work, with
    ``T`` or a space, with or without seconds and fractions).

    Channels and journey stages are kept as written; a value read as a known name written otherwise
    (``"Contact Center"`` as ``contact_center``) is listed in ``ReadResult.mappings``. A touchpoint is
    one group per id; ids whose records give different display names are listed in
    ``ReadResult.name_conflicts``.

    Nothing is dropped silently: a record with an invalid field (an answer off its scale, a bad
    timestamp, a negative weight, a missing required field, a malformed line, a CSV quoted field never
    closed, a JSON key given twice or a field given both at the top level and under ``"attributes"``)
    is left out of ``.data`` and listed in ``.rejected`` with its line (the physical line where the
    record starts, for ``\n``, ``\r\n`` and ``\r`` line ends alike), field, value, reason and
    ``kind`` (``malformed``, ``encoding``, ``missing``, ``timestamp``, ``answer``, ``weight``,
    ``duplicate``, ``value``); blank lines are counted in ``.n_blank``. Memory is bounded: a file
    using more than 10,000 distinct field names, or a sparse JSON Lines file whose table would have
    more than 20 million cells while fewer than 1 in 8 of them hold a value, raises
    :class:`InvalidFileError` naming the limit (``max_fields``, ``max_cells``) before the table is
    built. With ``strict=True`` the first invalid field raises :class:`InvalidRecordError` (a
    ``ValueError``) naming the line. A file that cannot be opened raises
    ``FileNotFoundError``/``OSError``; a header without a required column :class:`InvalidFileError`.

    >>> import cxmetrics as cx
    >>> from cxmetrics.demo import data_path
    >>> read = cx.read_responses(data_path())
    >>> read.n_records, read.n_rejected, read.sep
    (6000, 0, ',')
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
    renames: list[tuple[str, str]] = []
    if columns is not None:
        if not isinstance(columns, Mapping):
            raise InvalidInputError(
                f"columns must map the export's column names to the schema's, got {type(columns).__name__}"
            )
        for from_name, to_name in columns.items():
            if not isinstance(from_name, str) or not isinstance(to_name, str):
                raise InvalidInputError(f"columns must map strings to strings, got {from_name!r}: {to_name!r}")
            renames.append((from_name, to_name))
    for value, parameter in ((sep, "sep"), (encoding, "encoding"), (tz, "tz"), (time_format, "time_format")):
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(f"{parameter} must be a string, got {value!r}")
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        if not isinstance(name, str):
            raise InvalidInputError(f"source must be a str or os.PathLike path, got {type(source).__name__}")
        lower = name.lower()
        if lower.endswith(PARQUET_SUFFIXES):
            pq = require("pyarrow.parquet")
            data = _in_memory_csv(pq.read_table(name))
            table = _native.read_responses(
                None, data, "csv", name, bool(strict), declared, ",", renames, None, tz, time_format
            )
            return ReadResult(table, name, in_memory=True)
        table = _native.read_responses(
            name, None, "auto", name, bool(strict), declared, sep, renames, encoding, tz, time_format
        )
        return ReadResult(table, name)
    data = _in_memory_csv(source)
    label = f"<{type(source).__module__.split('.')[0]} {type(source).__name__}>"
    table = _native.read_responses(None, data, "csv", label, bool(strict), declared, ",", renames, None, tz, time_format)
    return ReadResult(table, label, in_memory=True)
