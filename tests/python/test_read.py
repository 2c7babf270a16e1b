"""cx.read_responses: typed columns for pandas and polars, every rejected record kept, strict mode."""

from __future__ import annotations

import csv
import json
import pickle
import re

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert read.rejected.empty and list(read.rejected.columns) == ["line", "field", "value", "reason", "kind"]
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
    assert read.rejected[["line", "field"]].values.tolist() == [[2, "comment"]]
    # The reason suggests the likely encoding (issue 15).
    assert read.rejected["reason"][0].startswith("not valid UTF-8; it looks like latin-1")


_SPARSE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
import cxmetrics as cx
path, n, n_keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "w") as f:
    for i in range(n):
        f.write('{"respondent_id":"R%d","recorded_at":"2025-01-02T09:00:00Z","touchpoint":"s","k%d":1}\\n' % (i, i % n_keys))
t = time.perf_counter()
try:
    read = cx.read_responses(path)
    print(json.dumps({"ok": list(read.data.shape), "s": time.perf_counter() - t}))
except cx.CxError as e:
    print(json.dumps({"error": type(e).__name__, "message": str(e), "s": time.perf_counter() - t}))
"""


@pytest.mark.parametrize(
    ("n", "n_keys", "expect"),
    [
        (200_000, 200_000, "max_fields"),  # a new key on every record: beyond max_fields
        (200_000, 9_000, "max_cells"),  # under max_fields, but 1.8e9 dense cells (aborted the process)
        (9_990, 9_990, "max_cells"),  # the 0.9 MB file: 10^8 cells (MemoryError under 2 GB)
        (200_000, 5, None),  # dense enough: read
    ],
)
def test_many_distinct_keys_are_read_or_refused_naming_the_limit_under_2gb(tmp_path, n, n_keys, expect):
    """Issue 14 §2: memory proportional to the file, under RLIMIT_AS = 2 GB, in a few seconds."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _SPARSE, str(tmp_path / "k.jsonl"), str(n), str(n_keys)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if expect is None:
        assert out.get("ok") == [n, 3 + n_keys], out
    else:
        assert out.get("error") == "InvalidFileError" and expect in out["message"], out
    assert out["s"] < 10, out


# ---- Against reference parsers (issue 14 §1), complementing test_read_reference.py ----------------
# Line ends mixed within a file, a quote opened and never closed followed by records (the reference
# reads the lines after the opening line again), the keep/reject decision of every record derived
# from the reference parse, strict mode's line, and arbitrary non-JSON lines.

REF_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
LINE_END = re.compile(r"\r\n|\r|\n")
REF_HEADER = ["respondent_id", "recorded_at", "touchpoint", "nps", "comment"]
GOOD_TIMES = {"2025-01-02T09:00:00Z", "2025-01-02T09:00:00+01:00"}
TIMES = sorted(GOOD_TIMES | {"yesterday", "2025-13-01T00:00:00Z"})
GOOD_NPS = {""} | {str(v) for v in range(11)}
NPS = sorted(GOOD_NPS | {"11", "-1", "x", "5.5"})
ANSWERS = {"nps", "csat", "ces", "repurchase_intention"}


def n_line_ends(text: str) -> int:
    return len(LINE_END.findall(text))


# ---- CSV -----------------------------------------------------------------------------------------


def quoted(content: str, suffix: str = "") -> str:
    return '"' + content.replace('"', '""') + '"' + suffix


@st.composite
def field(draw, value: str | None = None) -> str:
    """One field: `value` (or free text) written plain or quoted (with an optional text after the
    closing quote, which Python's csv appends)."""
    if value is None:
        if draw(st.booleans()):
            content = draw(st.text(alphabet='a ,"\n\r\u00e9', max_size=8))
            return quoted(content, draw(st.sampled_from(["", "", "z", 'z"'])))
        plain = draw(st.text(alphabet='a b"\u00e9', max_size=6))
        return "x" + plain if plain.startswith('"') else plain
    return quoted(value) if draw(st.booleans()) else value


@st.composite
def ref_csv_file(draw):
    """(text, eol style); records R1..Rn with unique ids, blank lines, whitespace lines, wrong field
    counts, invalid values, quoted line breaks of every style; optionally one quote opened and never
    closed, followed by records without quotes."""
    style = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))

    def eol() -> str:
        return draw(st.sampled_from(["\n", "\r\n", "\r"])) if style == "mixed" else style

    text = ",".join(REF_HEADER) + eol()
    n = 0

    def record(quotes: bool) -> str:
        nonlocal n
        n += 1
        values = [f"R{n}", draw(st.sampled_from(TIMES)), "store", draw(st.sampled_from(NPS))]
        if quotes:
            fields = [draw(field(v)) for v in values] + [draw(field())]
        else:
            fields = values + [draw(st.text(alphabet="a b", max_size=4))]
        shape = draw(st.sampled_from(["ok"] * 6 + ["extra", "short"]))
        if shape == "extra":
            fields.append("extra")
        elif shape == "short":
            fields.pop()
        return ",".join(fields)

    def lines(quotes: bool) -> str:
        out = ""
        for kind in draw(st.lists(st.sampled_from(["record"] * 5 + ["blank", "space"]), max_size=8)):
            out += {"blank": "", "space": " "}.get(kind) if kind != "record" else record(quotes)
            out += eol()
        return out

    text += lines(True)
    unclosed = draw(st.booleans()) and draw(st.booleans())
    if unclosed:
        text += 'U,2025-01-02T09:00:00Z,store,5,"' + draw(st.text(alphabet="a ,", max_size=5)) + eol()
        text += lines(False)
    if text.endswith(("\n", "\r")) and draw(st.booleans()):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    return text, unclosed


def csv_reference(text: str, first_line: int = 1):
    """Python csv's records of `text` as (start line, fields), and its blank lines; lines counted
    from `first_line`."""
    records, blanks, prev = [], 0, 0
    # csv reads the lines of a file opened with newline="": split the same way, keeping the ends.
    chunks = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
    reader = csv.reader(iter(chunks))
    for row in reader:
        if row == []:
            blanks += 1
        else:
            records.append((first_line + prev, row))
        prev = reader.line_num
    return records, blanks


def csv_valid(row: list[str]) -> bool:
    return len(row) == len(REF_HEADER) and row[0] != "" and row[1] in GOOD_TIMES and row[3] in GOOD_NPS


def check_against(read, records, valid, blanks):
    kept = [(line, row[0]) for line, row in records if valid(row)]
    rejected = {line for line, row in records if not valid(row)}
    assert read.n_records == len(records) == len(read.data) + read.n_rejected
    assert read.n_blank == blanks
    ids = read.data["respondent_id"].tolist() if len(read.data) else []
    id_line = {row[0]: line for line, row in records if row}
    assert [(id_line[i], i) for i in ids] == kept, "kept records, in order, at their lines"
    got = read.rejected["line"].tolist()
    assert set(got) == rejected and read.n_rejected == len(rejected), read.rejected.values.tolist()
    assert got == sorted(got)
    assert not {line for line, _ in kept} & set(got), "a record is kept or rejected, not both"
    assert len({line for line, _ in records}) == len(records), "one record per start line"


@REF_SETTINGS
@given(ref_csv_file())
def test_csv_mixed_line_ends_and_unclosed_quotes_against_python_csv(tmp_path, case):
    text, unclosed = case
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    if not unclosed:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert header == REF_HEADER
            records, blanks, prev = [], 0, reader.line_num
            for row in reader:
                if row == []:
                    blanks += 1
                else:
                    records.append((prev + 1, row))
                prev = reader.line_num
        # The splitter used for the tail of an unclosed quote below agrees with csv on whole files.
        ref, ref_blanks = csv_reference(text)
        assert (ref[1:], ref_blanks) == (records, blanks)
    else:
        # The records before the unclosed quote, the unclosed record at its line, then the lines after
        # the line where the quote opened, read again from that line on.
        start = text.index("\nU,") + 1 if "\nU," in text else text.index("\rU,") + 1
        head, head_blanks = csv_reference(text[:start])
        u_line = n_line_ends(text[:start]) + 1
        end = LINE_END.search(text, start)
        rest = text[end.end() :] if end else ""
        tail, tail_blanks = csv_reference(rest, u_line + 1)
        records = head[1:] + [(u_line, ["U", "unclosed"])] + tail
        blanks = head_blanks + tail_blanks
    read = cx.read_responses(path)
    check_against(read, records, csv_valid, blanks)
    bad = [line for line, row in records if not csv_valid(row)]
    if bad:
        with pytest.raises(cx.InvalidRecordError) as info:
            cx.read_responses(path, strict=True)
        assert info.value.line == bad[0]
    else:
        assert len(cx.read_responses(path, strict=True)) == len(records)


# ---- JSON Lines ----------------------------------------------------------------------------------


class Duplicate(ValueError):
    pass


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Duplicate(keys)
    return dict(pairs)


def jsonl_valid(obj) -> bool:
    """What the reader keeps, from the reference parse: an object with the required fields, scalar
    values, nps on its scale, each name given once over top level, answers and attributes, and no
    attribute named like an answer."""
    if not isinstance(obj, dict):
        return False
    names, answers_seen = [], {}
    for key, value in obj.items():
        if key in ("answers", "attributes") and isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, (dict, list)) or (key == "attributes" and k in ANSWERS):
                    return False
                names.append(k)
                answers_seen[k] = v
        elif isinstance(value, (dict, list)):
            return False
        else:
            names.append(key)
            answers_seen[key] = value
    if len(names) != len(set(names)):
        return False
    if any(not isinstance(answers_seen.get(k), str) or not answers_seen[k] for k in ("respondent_id", "touchpoint")):
        return False
    if answers_seen.get("recorded_at") not in GOOD_TIMES:
        return False
    nps = answers_seen.get("nps")
    return nps is None or (type(nps) is int and 0 <= nps <= 10) or (isinstance(nps, str) and nps in GOOD_NPS)


@st.composite
def jsonl_line(draw, i: int) -> str:
    base = f'"respondent_id":"J{i}","recorded_at":"{draw(st.sampled_from(TIMES))}","touchpoint":"store"'
    nps = draw(st.sampled_from(["null", "0", "9", "10", "11", "-1", '"7"', "5.5"]))
    shape = draw(st.integers(0, 9))
    return [
        f'{{{base},"nps":{nps}}}',
        f'{{{base},"answers":{{"nps":{nps}}},"attributes":{{"region":"n"}}}}',
        f'  {{ {base} , "nps" : {nps} }}\t',
        f'{{{base},"nps":{nps},"nps":9}}',
        f'{{{base},"answers":{{"csat":4,"csat":5}}}}',
        f'{{{base},"attributes":{{"nps":"7"}}}}',
        f'{{{base},"region":"a","attributes":{{"region":"b"}}}}',
        f'{{{base},"nps":',
        draw(st.sampled_from(["[1]", '"x"', "5", "null", "{}", "{,}", "\u00e9"])),
        draw(st.text(alphabet=' \t{}[]":,0a\u00e9', max_size=8)),
    ][shape]


@st.composite
def ref_jsonl_file(draw) -> str:
    style = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    parts = []
    for i in range(draw(st.integers(0, 10))):
        kind = draw(st.sampled_from(["line"] * 4 + ["blank", "space"]))
        parts.append({"blank": "", "space": " \t "}.get(kind) if kind != "line" else draw(jsonl_line(i)))
        parts.append(draw(st.sampled_from(["\n", "\r\n", "\r"])) if style == "mixed" else style)
    if parts and draw(st.booleans()):
        parts.pop()  # no line end after the last line
    return "".join(parts)


def jsonl_reference(text: str):
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()  # the empty text after the last line end is not a line
    records, blanks = [], 0
    for number, line in enumerate(lines, 1):
        stripped = line.strip(" \t")
        if not stripped:
            blanks += 1
            continue
        try:
            obj = json.loads(stripped, object_pairs_hook=no_duplicates)
        except ValueError:
            obj = None
        ident = obj.get("respondent_id") if isinstance(obj, dict) else None
        records.append((number, [ident if isinstance(ident, str) else None, obj]))
    return records, blanks


@REF_SETTINGS
@given(ref_jsonl_file())
def test_jsonl_keep_or_reject_decisions_against_json_loads(tmp_path, text):
    path = tmp_path / "f.jsonl"
    path.write_bytes(text.encode())
    records, blanks = jsonl_reference(text)
    read = cx.read_responses(path)
    check_against(read, records, lambda row: jsonl_valid(row[1]), blanks)
