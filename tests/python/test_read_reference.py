"""Issue 14 §1, as classes: cx.read_responses against Python's own parsers.

For generated CSV files (quoted fields with commas, doubled quotes and LF/CRLF/CR inside them, literal
quotes inside unquoted fields, text after a closing quote, blank lines, LF/CRLF/CR files, wrong field
counts, invalid values), the records and the lines they start on are those of ``csv.reader`` on
``open(path, newline="")``; for JSON Lines, those of ``json.loads`` line by line with a duplicate-detecting
``object_pairs_hook``. Every record is in ``data`` or in ``rejected``, once, at its line:
``n_records == len(data) + n_rejected`` and kept lines and rejected lines partition the reference's
record lines. Also: the issue's examples, and a file with very many distinct keys under a memory cap.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxmetrics as cx

HEADER = ["respondent_id", "recorded_at", "touchpoint", "nps", "comment"]
WHEN = "2025-01-02T09:00:00Z"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

text_in_quotes = st.lists(st.sampled_from(["a", " ", ",", '"', "\n", "\r\n", "\r", "é", "b"]), max_size=6).map("".join)
plain_text = st.lists(st.sampled_from(["a", " ", "b", 'c"d', "é"]), max_size=4).map("".join)


@st.composite
def csv_field(draw) -> str:
    """One field as written: plain, quoted, or quoted with text after the closing quote."""
    style = draw(st.sampled_from(["plain", "quoted", "trailing"]))
    if style == "plain":
        return draw(plain_text).lstrip('"')
    inner = '"' + draw(text_in_quotes).replace('"', '""') + '"'
    return inner + (draw(plain_text).replace('"', "") if style == "trailing" else "")


@st.composite
def csv_file(draw) -> tuple[str, str, int]:
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    parts = [",".join(HEADER)]
    n = draw(st.integers(0, 10))
    for i in range(n):
        parts.extend([""] * draw(st.integers(0, 2)))
        nps = draw(st.sampled_from(["", "3", "10", "11", "x", '"7"']))
        fields = [f"R{i}", WHEN, "store", nps, draw(csv_field())]
        fields.extend(draw(st.lists(csv_field(), max_size=1)) if draw(st.booleans()) else [])
        if draw(st.integers(0, 9)) == 0:
            fields = fields[:3]
        parts.append(",".join(fields))
    parts.extend([""] * draw(st.integers(0, 2)))
    text = eol.join(parts) + (eol if draw(st.booleans()) else "")
    return text, eol, n


def reference_csv(path) -> tuple[list[tuple[int, list[str]]], int]:
    """(start line, fields) of each record after the header, and the number of blank lines."""
    records, blanks = [], 0
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        previous = 0
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if row == []:
                blanks += 1
            elif start > 1:
                records.append((start, row))
    return records, blanks


def check_accounting(read, reference_lines: set[int], kept_lines: list[int]) -> None:
    rejected_lines = set(read.rejected["line"].tolist())
    assert read.n_rejected == len(rejected_lines), read.rejected
    assert read.n_records == len(read.data) + read.n_rejected == len(reference_lines)
    assert len(kept_lines) == len(set(kept_lines)) == len(read.data)
    assert set(kept_lines).isdisjoint(rejected_lines)
    assert set(kept_lines) | rejected_lines == reference_lines


@SETTINGS
@given(csv_file())
def test_csv_records_and_lines_equal_python_csv(tmp_path, generated):
    text, _eol, _n = generated
    path = tmp_path / "gen.csv"
    path.write_bytes(text.encode("utf-8"))
    records, blanks = reference_csv(path)
    read = cx.read_responses(path)
    assert read.n_blank == blanks
    by_id = {row[0]: (line, row) for line, row in records if len(row) == len(HEADER)}
    kept = read.data
    kept_lines = []
    for rid, comment in zip(kept["respondent_id"], kept["comment"]):
        line, row = by_id[rid]
        kept_lines.append(line)
        # A comment of nothing but spaces is blank (absent); any other keeps its text exactly.
        assert (row[4] if row[4].strip() else None) == (None if pd.isna(comment) else comment), (line, row)
    # Records Python's csv sees with a wrong number of fields are rejected at their own line.
    wrong = {line for line, row in records if len(row) != len(HEADER)}
    assert wrong <= set(read.rejected["line"].tolist())
    check_accounting(read, {line for line, _ in records}, kept_lines)


@st.composite
def jsonl_file(draw) -> str:
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = []
    for i in range(draw(st.integers(0, 10))):
        lines.extend(draw(st.lists(st.sampled_from(["", " ", "\t "]), max_size=2)))
        base = f'"respondent_id":"J{i}","recorded_at":"{WHEN}","touchpoint":"store"'
        nps = draw(st.sampled_from(["null", "3", "10", "11", '"5"', "1e400", "12345678901234567890"]))
        shape = draw(st.integers(0, 6))
        lines.append(
            [
                f"{{{base},\"nps\":{nps}}}",
                f"{{{base},\"answers\":{{\"nps\":{nps}}},\"attributes\":{{\"region\":\"n\"}}}}",
                f"{{{base},\"nps\":{nps},\"nps\":9}}",
                f"{{{base},\"attributes\":{{\"nps\":{nps}}}}}",
                f"{{{base},\"region\":\"a\",\"attributes\":{{\"region\":\"b\"}}}}",
                f"{{{base},\"answers\":{{\"csat\":4,\"csat\":4}}}}",
                f"{{{base},\"nps\":",
            ][shape]
        )
    return eol.join(lines) + (eol if draw(st.booleans()) else "")


class Duplicate(ValueError):
    pass


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Duplicate(keys)
    return dict(pairs)


@SETTINGS
@given(jsonl_file())
def test_jsonl_records_and_lines_equal_json_loads(tmp_path, text):
    path = tmp_path / "gen.jsonl"
    path.write_bytes(text.encode("utf-8"))
    pieces = re.split(r"\r\n|\r|\n", text)
    if pieces and pieces[-1] == "":
        pieces.pop()
    records, blanks, must_reject = {}, 0, set()
    for number, piece in enumerate(pieces, start=1):
        if piece.strip(" \t") == "":
            blanks += 1
            continue
        try:
            obj = json.loads(piece, object_pairs_hook=no_duplicates)
            records[obj["respondent_id"]] = number
            attributes = obj.get("attributes", {})
            if "nps" in attributes or set(attributes) & set(obj):
                must_reject.add(number)
        except (ValueError, Duplicate):
            must_reject.add(number)
            records[f"line {number}"] = number
    read = cx.read_responses(path)
    assert read.n_blank == blanks
    kept_lines = [records[rid] for rid in read.data["respondent_id"]]
    assert must_reject <= set(read.rejected["line"].tolist())
    check_accounting(read, set(records.values()), kept_lines)


# ---- The examples --------------------------------------------------------------------


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_unclosed_quote_rejects_its_record_and_reads_the_next_lines(tmp_path):
    h = ",".join(HEADER)
    path = write(
        tmp_path,
        "u.csv",
        f'{h}\nA,{WHEN},s,9,ok\nB,{WHEN},s,3,"never closed\nC,{WHEN},s,10,fine\nD,{WHEN},s,12,bad\n',
    )
    read = cx.read_responses(path)
    assert (len(read), read.n_rejected, read.n_records) == (2, 2, 4)
    assert read.data["respondent_id"].tolist() == ["A", "C"]
    assert read.rejected["line"].tolist() == [3, 5]
    assert "line 3" in read.rejected["reason"][0] and "never closed" in read.rejected["reason"][0]
    with pytest.raises(cx.InvalidRecordError, match="line 3"):
        cx.read_responses(path, strict=True)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_numbers_for_each_line_ending(tmp_path, eol):
    h = ",".join(HEADER)
    rows = [f"A,{WHEN},s,9,x", f"B,{WHEN},s,11,x", "", f'C,{WHEN},s,12,"two{eol}lines"']
    read = cx.read_responses(write(tmp_path, "e.csv", eol.join([h, *rows]) + eol))
    assert read.rejected["line"].tolist() == [3, 5]
    assert (read.n_records, read.n_rejected, read.n_blank) == (3, 2, 1)
    assert "1 blank lines" in repr(read) and "1 blank lines" in read._repr_html_()
    r = f'"respondent_id":"A","recorded_at":"{WHEN}","touchpoint":"s"'
    jl = cx.read_responses(write(tmp_path, "e.jsonl", eol.join([f"{{{r}}}", f'{{{r},"nps":11}}', "", f"{{{r}}}"])))
    assert jl.rejected["line"].tolist() == [2]
    assert (jl.n_records, jl.n_blank) == (3, 1)


def test_json_lines_duplicates_and_clashes_are_rejected(tmp_path):
    r = f'"respondent_id":"A","recorded_at":"{WHEN}","touchpoint":"s"'
    lines = [
        f'{{{r},"nps":11,"nps":9}}',
        f'{{{r},"nps":9,"attributes":{{"nps":"x"}}}}',
        f'{{{r},"region":"a","attributes":{{"region":"b"}}}}',
        f'{{{r},"answers":{{"nps":5}},"nps":5}}',
    ]
    read = cx.read_responses(write(tmp_path, "d.jsonl", "\n".join(lines)))
    assert (len(read), read.n_rejected) == (0, 4)
    assert read.rejected["line"].drop_duplicates().tolist() == [1, 2, 3, 4]
    fields = read.rejected.groupby("line")["field"].agg(set)
    assert fields.tolist() == [{"nps"}, {"nps"}, {"region"}, {"nps"}]
    with pytest.raises(cx.InvalidRecordError, match="line 1"):
        cx.read_responses(write(tmp_path, "d1.jsonl", lines[0]), strict=True)


def test_twenty_digit_ids_and_attributes_keep_their_text(tmp_path):
    a, b = "12345678901234567890", "12345678901234567891"
    text = f"respondent_id,recorded_at,touchpoint,account,small\n{a},{WHEN},s,{a},1\n{b},{WHEN},s,{b},2\n"
    read = cx.read_responses(write(tmp_path, "ids.csv", text))
    for frame in (read.data, read.to_polars().to_pandas()):
        assert frame["respondent_id"].tolist() == [a, b]
        assert frame["account"].tolist() == [a, b]
        assert frame["small"].tolist() == [1, 2]
    big = "12345678901234567890123"
    jl = cx.read_responses(
        write(tmp_path, "ids.jsonl", f'{{"respondent_id":{big},"recorded_at":"{WHEN}","touchpoint":"s","attributes":{{"x":1.50}}}}\n')
    )
    assert jl.data["respondent_id"].tolist() == [big]
    assert jl.to_polars()["respondent_id"].to_list() == [big]


def test_many_distinct_keys_under_a_memory_cap(tmp_path):
    """A 2 GB address-space cap: 60,000 distinct keys are refused quickly with a clear error; 2,000 are
    read (sparse columns) quickly."""
    path = tmp_path / "keys.jsonl"
    script = textwrap.dedent(
        f"""
        import resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        import cxmetrics as cx
        def write(n):
            with open({str(path)!r}, "w") as f:
                for i in range(n):
                    f.write('{{"respondent_id":"A%d","recorded_at":"{WHEN}","touchpoint":"s","k%d":%d}}\\n' % (i, i, i))
        write(60000)
        t = time.perf_counter()
        try:
            cx.read_responses({str(path)!r})
            print("read")
        except cx.CxError as e:
            print("refused", "max_fields" in str(e), "10000" in str(e), time.perf_counter() - t < 20)
        write(2000)
        t = time.perf_counter()
        read = cx.read_responses({str(path)!r})
        frame = read.data
        print("ok", len(frame), frame.shape[1], time.perf_counter() - t < 60)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["refused True True True", "ok 2000 2003 True"], out.stdout


@st.composite
def mutated_csv(draw) -> str:
    """A generated file with a few characters of its body inserted or deleted (stray quotes, commas and
    line ends included): any quoting state, unclosed quotes too."""
    text, eol, _n = draw(csv_file())
    start = len(",".join(HEADER)) + 1
    if len(text) < start:
        # A header without a line end: give it one, so that what is inserted goes into the body.
        text += eol
    for _ in range(draw(st.integers(1, 4))):
        if len(text) <= start or draw(st.booleans()):
            inserted = draw(st.sampled_from(['"', ",", "\r", "\n", "\r\n", "a", " ", '""']))
            # The body starts after the header's line end; only a line end may go right before it
            # (a blank line after the header). Anything else there would edit the header itself.
            first = start - 1 if inserted in ("\r", "\n", "\r\n") else start
            at = draw(st.integers(min(first, len(text)), len(text)))
            text = text[:at] + inserted + text[at:]
        else:
            at = draw(st.integers(start, len(text) - 1))
            text = text[:at] + text[at + 1 :]
    return text


def ends_inside_quotes(text: str) -> bool:
    """Whether Python's csv ends ``text`` inside a quoted field: a line after it would be absorbed."""
    rows = list(csv.reader(io.StringIO(text + "\nZ\n", newline="")))
    return rows[-1] != ["Z"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_csv())
def test_mutated_csv_records_and_lines_equal_python_csv(tmp_path, text):
    path = tmp_path / "mut.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        read = cx.read_responses(path)
    except cx.CxError as e:
        # Only the header can make the whole file unreadable, and it is left intact unless a line end
        # was inserted into it.
        assert "column" in str(e), e
        return
    rejected_lines = set(read.rejected["line"].tolist())
    assert read.n_rejected == len(rejected_lines)
    assert read.n_records == len(read.data) + read.n_rejected
    if ends_inside_quotes(text):
        # The record where the quote opened is rejected; the lines after it are read again, so there is
        # no single reference parse to compare with: check the accounting and the line range.
        assert rejected_lines and max(rejected_lines) <= text.count("\n") + text.count("\r") + 1
        return
    records, blanks = reference_csv(path)
    assert read.n_blank == blanks
    lines = {line for line, _ in records}
    assert read.n_records == len(records)
    assert rejected_lines <= lines
    wrong = {line for line, row in records if len(row) != len(HEADER)}
    assert wrong <= rejected_lines
    # Kept records with an identifier no other record has sit at the reference's line for it.
    ids = [row[0] for _, row in records]
    unique = {row[0]: line for line, row in records if ids.count(row[0]) == 1}
    for rid in read.data["respondent_id"]:
        if rid in unique:
            assert unique[rid] not in rejected_lines
