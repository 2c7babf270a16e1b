"""cx.read_responses: typed columns for pandas and polars, every rejected record kept, strict mode."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxmetrics as cx
from cxmetrics.demo import data_path

HEADER = "respondent_id,recorded_at,touchpoint,channel,weight,nps,csat,region,comment"


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_demo_file_reads_completely_and_matches_pandas_read_csv():
    read = cx.read_responses(data_path())
    assert (read.n_records, read.n_rejected, len(read)) == (6000, 0, 6000)
    assert read.rejected.empty and list(read.rejected.columns) == ["line", "field", "value", "reason"]
    raw = pd.read_csv(data_path())
    data = read.data
    assert list(data.columns) == list(raw.columns)
    for name in ("nps", "csat", "ces", "repurchase_intention", "repeat_purchase_90d"):
        assert str(data[name].dtype) == "Int64"
        np.testing.assert_array_equal(data[name].to_numpy(dtype=float, na_value=np.nan), raw[name].to_numpy(dtype=float))
    np.testing.assert_array_equal(data["weight"].to_numpy(), raw["weight"].to_numpy())
    assert str(data["recorded_at"].dtype) == "datetime64[ns, UTC]"
    assert (data["recorded_at"] == pd.to_datetime(raw["recorded_at"], utc=True)).all()
    assert str(data["intentional"].dtype) == "boolean"
    assert (data["intentional"].to_numpy(dtype=bool) == raw["intentional"].to_numpy()).all()
    for name in ("touchpoint", "channel", "segment", "region"):
        assert data[name].tolist() == raw[name].tolist()
    assert data["comment"].isna().sum() == raw["comment"].isna().sum() > 0
    # Indicators on what was read equal those on pandas' own parse.
    assert cx.nps(data["nps"]) == cx.nps(raw["nps"])
    a = cx.summarize(data, by="touchpoint", nps="nps", csat="csat")
    b = cx.summarize(raw, by="touchpoint", nps="nps", csat="csat")
    pd.testing.assert_frame_equal(a, b)


def test_polars_output_has_the_same_values():
    read = cx.read_responses(data_path())
    frame = read.to_polars()
    assert isinstance(frame, pl.DataFrame)
    assert frame.columns == list(read.data.columns)
    assert frame.schema["nps"] == pl.Int64
    assert frame.schema["recorded_at"] == pl.Datetime("ns", "UTC")
    assert frame.schema["intentional"] == pl.Boolean
    assert frame["nps"].null_count() == read.data["nps"].isna().sum()
    assert frame["comment"].null_count() == read.data["comment"].isna().sum()
    assert cx.nps(frame["nps"]) == cx.nps(read.data["nps"])
    assert frame["recorded_at"].dt.epoch("ns").to_list()[:3] == read.data["recorded_at"].astype("int64").tolist()[:3]


def test_rejected_records_name_line_field_value_and_reason(tmp_path):
    text = "\n".join(
        [
            HEADER,
            "C1,2025-01-02T09:00:00Z,store,store,1,9,4,north,fine",
            "C2,2025-01-02T09:00:00Z,store,store,1,11,4,north,fine",
            'C3,not-a-date,store,store,-1,9,4,north,"multi\nline"',
            "C4,2025-01-02T09:00:00Z,store",
            "C5,2025-01-02T09:00:00+01:00,web,web,2.5,,5,,",
        ]
    )
    read = cx.read_responses(write(tmp_path, "r.csv", text))
    assert (read.n_records, read.n_rejected, len(read)) == (5, 3, 2)
    assert read.data["respondent_id"].tolist() == ["C1", "C5"]
    rej = read.rejected
    assert rej[["line", "field", "value"]].values.tolist() == [
        [3, "nps", "11"],
        [4, "recorded_at", "not-a-date"],
        [4, "weight", "-1"],
        [6, "", "C4,2025-01-02T09:00:00Z,store"],
    ]
    assert "outside the scale 0-10" in rej["reason"][0]
    assert "RFC 3339" in rej["reason"][1]
    assert rej["line"].dtype == np.int64
    # The valid rows keep their values; the UTC offset is converted to UTC.
    assert read.data["recorded_at"][1] == pd.Timestamp("2025-01-02T08:00:00Z")
    assert pd.isna(read.data["nps"][1]) and read.data["csat"].tolist() == [4, 5]
    assert pd.isna(read.data["region"][1])
    assert "3 records rejected of 5" in repr(read)
    assert "<table>" in read._repr_html_()


def test_strict_mode_raises_naming_the_line(tmp_path):
    text = "\n".join([HEADER, "C1,2025-01-02T09:00:00Z,store,store,1,9,4,north,x", "C2,2025-01-02T09:00:00Z,store,store,1,9,7,north,x"])
    path = write(tmp_path, "s.csv", text)
    with pytest.raises(cx.InvalidRecordError, match=r"^line 3: csat = \"7\" is invalid: outside the scale 1-5") as info:
        cx.read_responses(path, strict=True)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, cx.CxError)
    assert (err.line, err.field, err.value) == (3, "csat", "7")
    again = pickle.loads(pickle.dumps(err))
    assert (again.line, str(again)) == (3, str(err))
    assert len(cx.read_responses(path)) == 1  # not strict: the valid row is kept


def test_json_lines(tmp_path):
    lines = [
        {"respondent_id": "C1", "recorded_at": "2025-03-01T10:00:00Z", "touchpoint": "app", "answers": {"nps": 10, "ease": 4}, "attributes": {"tier": "gold"}},
        {"respondent_id": "C2", "recorded_at": "2025-03-01T11:00:00Z", "touchpoint": "app", "nps": 5, "tier": "silver", "weight": 2},
        {"respondent_id": "C3", "recorded_at": "2025-03-01T11:00:00Z", "touchpoint": "app", "nps": 5, "weight": None},
    ]
    text = "\n".join(json.dumps(x) for x in lines) + "\n{broken\n"
    path = write(tmp_path, "r.jsonl", text)
    read = cx.read_responses(path, items={"ease": (1, 5)})
    assert len(read) == 2
    assert read.rejected[["line", "field"]].values.tolist() == [[3, "weight"], [4, ""]]
    data = read.data
    assert data["nps"].tolist() == [10, 5]
    assert data["ease"].tolist()[0] == 4 and pd.isna(data["ease"][1])
    assert data["tier"].tolist() == ["gold", "silver"]
    assert data["weight"].tolist() == [1.0, 2.0]
    # Without declaring `ease`, an answer nested under "answers" is rejected (never dropped).
    plain = cx.read_responses(path)
    assert ("ease" in plain.rejected["field"].tolist()) and len(plain) == 1


def test_items_change_scales(tmp_path):
    text = "respondent_id,recorded_at,touchpoint,csat\nC1,2025-01-02T09:00:00Z,store,9\n"
    path = write(tmp_path, "i.csv", text)
    assert cx.read_responses(path).n_rejected == 1
    read = cx.read_responses(path, items={"csat": (1, 10)})
    assert read.data["csat"].tolist() == [9]
    with pytest.raises(cx.InvalidScaleError):
        cx.read_responses(path, items={"nps": (1, 5)})
    with pytest.raises(cx.InvalidRecordError, match="reserved"):
        cx.read_responses(path, items={"weight": (1, 5)})
    with pytest.raises(cx.InvalidInputError):
        cx.read_responses(path, items=[("csat", (1, 10))])  # type: ignore[arg-type]


def test_file_problems(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such.csv"):
        cx.read_responses(tmp_path / "no_such.csv")
    with pytest.raises(cx.InvalidFileError, match="recorded_at"):
        cx.read_responses(write(tmp_path, "h.csv", "respondent_id,touchpoint\nC1,x\n"))
    with pytest.raises(cx.InvalidFileError, match="empty"):
        cx.read_responses(write(tmp_path, "e.csv", ""))
    with pytest.raises(cx.InvalidInputError):
        cx.read_responses(tmp_path / "x.csv", strict="yes")  # type: ignore[arg-type]


def test_empty_and_invalid_utf8(tmp_path):
    read = cx.read_responses(write(tmp_path, "h.csv", "respondent_id,recorded_at,touchpoint,nps\n"))
    assert len(read) == 0 and list(read.data.columns) == ["respondent_id", "recorded_at", "touchpoint", "nps"]
    assert read.to_polars().height == 0
    raw = b"respondent_id,recorded_at,touchpoint,comment\nC1,2025-01-02T09:00:00Z,store,caf\xe9\n"
    read = cx.read_responses(write(tmp_path, "u.csv", raw))
    assert read.rejected[["line", "field", "reason"]].values.tolist() == [[2, "comment", "not valid UTF-8"]]
