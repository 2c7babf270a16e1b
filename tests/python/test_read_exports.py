"""Real exports in (issue 15): every option of read_responses on files the tests write in each shape
(delimiters, encodings and BOM, naive and offset timestamps across a DST change, custom formats,
renamed columns, gzip, Parquet), in-memory tables from pandas, polars and pyarrow, the mapping report
and touchpoint identity. Expected instants come from Python's zoneinfo, not from the package."""

import gzip
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cxmetrics as cx

ROWS = [
    {"respondent_id": "C1", "recorded_at": "2025-03-14T10:22:05Z", "touchpoint": "tienda", "nps": 9, "region": "León"},
    {"respondent_id": "C2", "recorded_at": "2025-03-14T11:00:00+01:00", "touchpoint": "web", "nps": 3, "region": "Peña; sur"},
    {"respondent_id": "C3", "recorded_at": "2025-03-15T08:00:00Z", "touchpoint": "web", "nps": 10, "region": 'a "b", c'},
]


def csv_text(rows: list[dict], sep: str) -> str:
    names = list(rows[0])

    def quote(value: object) -> str:
        text = str(value)
        if any(c in text for c in (sep, '"', "\n", "\r", ",", ";", "\t", "|")):
            return '"' + text.replace('"', '""') + '"'
        return text

    lines = [sep.join(names)] + [sep.join(quote(row[n]) for n in names) for row in rows]
    return "\n".join(lines) + "\n"


def instants(read: cx.ReadResult) -> list[int]:
    return (read.data["recorded_at"].astype("int64") // 10**9).tolist()


EXPECTED_INSTANTS = [
    int(datetime(2025, 3, 14, 10, 22, 5, tzinfo=timezone.utc).timestamp()),
    int(datetime(2025, 3, 14, 10, 0, 0, tzinfo=timezone.utc).timestamp()),
    int(datetime(2025, 3, 15, 8, 0, 0, tzinfo=timezone.utc).timestamp()),
]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
@pytest.mark.parametrize("compressed", [False, True])
def test_every_delimiter_encoding_and_compression(tmp_path, sep: str, encoding: str, compressed: bool) -> None:
    raw = csv_text(ROWS, sep).encode(encoding)
    name = "export.csv.gz" if compressed else "export.csv"
    path = tmp_path / name
    path.write_bytes(gzip.compress(raw) if compressed else raw)
    option = {"utf-8": None, "utf-8-sig": None}.get(encoding, encoding)
    read = cx.read_responses(path, encoding=option)
    assert read.n_rejected == 0, read.rejected
    assert read.sep == sep, "sniffed"
    assert read.compressed is compressed
    assert read.data["region"].tolist() == [r["region"] for r in ROWS]
    assert read.data["nps"].tolist() == [9, 3, 10]
    assert instants(read) == EXPECTED_INSTANTS
    assert f"sep={sep!r}" in repr(read)
    # An explicit sep overrides the sniffing.
    assert cx.read_responses(path, sep=sep, encoding=option).n_rejected == 0


def test_text_in_another_encoding_is_rejected_with_the_likely_one(tmp_path) -> None:
    path = tmp_path / "cp1252.csv"
    path.write_bytes(csv_text(ROWS, ";").replace("Peña", "Peña ’quoted’").encode("cp1252"))
    read = cx.read_responses(path)
    assert read.n_rejected == 2
    assert set(read.rejected["kind"]) == {"encoding"}
    # Each reason names the encoding its bytes look like: Latin-1 for "León", cp1252 for the quotes.
    assert read.rejected["reason"].tolist()[0].endswith('encoding "latin-1"')
    assert read.rejected["reason"].tolist()[1].endswith('encoding "cp1252"')
    fixed = cx.read_responses(path, encoding="cp1252")
    assert fixed.n_rejected == 0 and fixed.data["region"].tolist()[1] == "Peña ’quoted’; sur"
    with pytest.raises(cx.InvalidFileError, match="utf-16"):
        p = tmp_path / "u16.csv"
        p.write_bytes(csv_text(ROWS, ",").encode("utf-16"))
        cx.read_responses(p)
    with pytest.raises(cx.CxError, match="encoding"):
        cx.read_responses(path, encoding="ebcdic")


def local_rows(times: list[str]) -> list[dict]:
    return [{"respondent_id": f"C{i}", "recorded_at": t, "touchpoint": "web", "nps": 9} for i, t in enumerate(times)]


def test_naive_times_need_a_zone_and_follow_its_daylight_saving_rules(tmp_path) -> None:
    # Europe/Madrid: clocks go forward on 2025-03-30 at 02:00 and back on 2025-10-26 at 03:00.
    times = [
        "2025-03-30 01:59:59",  # before the change (+01:00)
        "2025-03-30 02:30",  # skipped
        "2025-03-30T03:00:00",  # after (+02:00)
        "2025-10-26 02:30:00",  # twice
        "2025-10-26 03:30:00.25",  # after (+01:00)
        "2025-07-01T12:00:00+05:30",  # an offset wins over tz
        "2025-07-01",  # a date: local midnight
    ]
    path = tmp_path / "naive.csv"
    path.write_text(csv_text(local_rows(times), ","), encoding="utf-8")
    without = cx.read_responses(path)
    assert without.n_rejected == 6
    assert all("tz=" in r for r in without.rejected["reason"])
    read = cx.read_responses(path, tz="Europe/Madrid")
    rejected = read.rejected.set_index("line")
    assert set(rejected.index) == {3, 5}
    assert "nonexistent" in rejected.loc[3, "reason"] and "ambiguous" in rejected.loc[5, "reason"]
    assert set(rejected["kind"]) == {"timestamp"}
    madrid = ZoneInfo("Europe/Madrid")
    expected = []
    for t in [times[0], times[2], times[4], times[5], times[6]]:
        parsed = datetime.fromisoformat(t)
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=madrid)
        expected.append(parsed.timestamp())
    got = (read.data["recorded_at"].astype("int64") / 1e9).tolist()
    assert got == pytest.approx(expected, abs=1e-6)
    utc = cx.read_responses(path, tz="UTC")
    assert utc.n_rejected == 0
    with pytest.raises(cx.CxError, match="tz"):
        cx.read_responses(path, tz="Europe/Madird")


def test_custom_time_formats(tmp_path) -> None:
    times = ["14/03/2025 10:22", "2025-03-14T10:22:00Z", "31/02/2025 10:00"]
    path = tmp_path / "format.csv"
    path.write_text(csv_text(local_rows(times), ";"), encoding="utf-8")
    read = cx.read_responses(path, tz="America/Mexico_City", time_format="%d/%m/%Y %H:%M")
    assert read.rejected["line"].tolist() == [4]
    first = datetime.strptime(times[0], "%d/%m/%Y %H:%M").replace(tzinfo=ZoneInfo("America/Mexico_City"))
    assert instants(read) == [int(first.timestamp()), int(datetime(2025, 3, 14, 10, 22, tzinfo=timezone.utc).timestamp())]
    with pytest.raises(cx.CxError, match="time_format"):
        cx.read_responses(path, time_format="%Q%Q%")


def test_renamed_columns(tmp_path) -> None:
    rows = [{"Respondent": "C1", "Date": "2025-03-14T10:22:05Z", "Touchpoint": "web", "Q1 Likelihood to recommend": 9}]
    path = tmp_path / "renamed.csv"
    path.write_text(csv_text(rows, ";"), encoding="utf-8")
    mapping = {"Respondent": "respondent_id", "Date": "recorded_at", "Touchpoint": "touchpoint", "Q1 Likelihood to recommend": "nps"}
    read = cx.read_responses(path, columns=mapping)
    assert read.data["nps"].tolist() == [9]
    with pytest.raises(cx.CxError, match="regoin"):
        cx.read_responses(path, columns={**mapping, "Touchpoint": "regoin"})
    with pytest.raises(cx.InvalidFileError, match="respondent_id"):
        cx.read_responses(path)  # without the mapping
    jsonl = tmp_path / "renamed.jsonl.gz"
    jsonl.write_bytes(gzip.compress((json.dumps(rows[0]) + "\n").encode()))
    assert cx.read_responses(jsonl, columns=mapping).data["nps"].tolist() == [9]


def test_channels_are_kept_as_written_and_mappings_reported(tmp_path) -> None:
    rows = [
        {"respondent_id": "C1", "recorded_at": "2025-03-14T10:22:05Z", "touchpoint": "tp1", "touchpoint_name": "Store", "channel": "online"},
        {"respondent_id": "C2", "recorded_at": "2025-03-14T10:22:05Z", "touchpoint": "tp1", "touchpoint_name": "store", "channel": "phone"},
        {"respondent_id": "C3", "recorded_at": "2025-03-14T10:22:05Z", "touchpoint": "tp1", "touchpoint_name": "Store", "channel": "Contact Center"},
    ]
    path = tmp_path / "channels.csv"
    path.write_text(csv_text(rows, ","), encoding="utf-8")
    read = cx.read_responses(path)
    assert read.data["channel"].tolist() == ["online", "phone", "contact_center"]
    assert read.mappings.values.tolist() == [["channel", "Contact Center", "contact_center", 1]]
    assert read.name_conflicts.values.tolist() == [["tp1", "Store", 2], ["tp1", "store", 1]]
    assert "1 values mapped" in repr(read) and "conflicting names" in repr(read)
    assert read.data["touchpoint"].nunique() == 1


def frame_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent_id": ["C1", "C2", "C3", "C4"],
            "recorded_at": pd.to_datetime(["2025-03-14 10:22:05", "2025-03-14 11:00:00", "2025-03-15 08:00:00", "2025-03-16 00:00:00"]).tz_localize("UTC"),
            "touchpoint": pd.Categorical(["store", "web", "web", "store"]),
            "nps": [9.0, 11.0, np.nan, 4.0],
            "weight": [1.0, 2.0, 0.5, -1.0],
            "region": ["León", 'a "b"\nc', None, "x"],
        }
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda df: df,
        lambda df: pl.from_pandas(df),
        lambda df: pa.Table.from_pandas(df, preserve_index=False),
    ],
    ids=["pandas", "polars", "pyarrow"],
)
def test_in_memory_tables_are_validated_like_files(make) -> None:
    df = frame_rows()
    read = cx.read_responses(make(df))
    assert read.n_records == 4 and len(read) == 2
    assert read.rejected[["row", "field", "kind"]].values.tolist() == [[1, "nps", "answer"], [3, "weight", "weight"]]
    assert read.data["respondent_id"].tolist() == ["C1", "C3"]
    assert read.data["region"].tolist()[0] == "León"
    assert pd.isna(read.data["nps"].iloc[1])
    assert instants(read)[0] == int(datetime(2025, 3, 14, 10, 22, 5, tzinfo=timezone.utc).timestamp())
    assert read.sep is None
    # Naive datetimes follow the rule of files: a zone is needed.
    naive = df.assign(recorded_at=df["recorded_at"].dt.tz_localize(None))
    assert set(cx.read_responses(make(naive)).rejected["kind"]) >= {"timestamp"}
    assert cx.read_responses(make(naive), tz="UTC").n_rejected == 2


def test_parquet_files(tmp_path) -> None:
    path = tmp_path / "export.parquet"
    pq.write_table(pa.Table.from_pandas(frame_rows(), preserve_index=False), path)
    read = cx.read_responses(path)
    assert (read.n_records, len(read)) == (4, 2)
    assert read.rejected["row"].tolist() == [1, 3]
