"""Reference values for bucketing instants into calendar periods (day, ISO week, month, quarter,
year), computed in UTC with the Python standard library `datetime` only (no project code), and
cross-checked against numpy's datetime64 floor conversions.

Produces tests/references/periods.json:
    {"generated_by": "tests/references/periods.py",
     "cases": [{"unix_seconds": s, "freq": f, "index": i, "start": t, "label": l}, ...]}
one case per (instant, freq), freq in ["day", "week", "month", "quarter", "year"]:
  index  period number counted from 1970 (floor semantics, also before 1970):
         day     = days since 1970-01-01
         week    = ISO (Monday-start) weeks, week of Monday 1969-12-29 is 0 = floor((day + 3) / 7)
         month   = (year - 1970) * 12 + (month - 1)
         quarter = floor(month_index / 3)
         year    = year - 1970
  start  unix seconds of the period's first instant (UTC midnight of its first day; weeks: Monday)
  label  day "YYYY-MM-DD", week ISO "YYYY-Www" (ISO year), month "YYYY-MM", quarter "YYYYQn",
         year "YYYY"

Instants: 400 drawn uniformly (random.Random(20261203)) from [1900-01-01T00:00:00Z,
2200-12-31T23:59:59Z] in unix seconds, followed by fixed edge instants.

Rerun from the repository root: .venv/bin/python tests/references/periods.py
"""
import json
import os
import random
from datetime import date, datetime, timedelta, timezone

try:
    import numpy as np
except ImportError:  # the cross-check is optional
    np = None

FREQS = ["day", "week", "month", "quarter", "year"]
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_DATE = date(1970, 1, 1)
LO, HI = -2208988800, 7289654399


def unix(dt):
    """Unix seconds of an aware datetime (exact integer arithmetic)."""
    d = dt - EPOCH
    assert d.microseconds == 0
    return d.days * 86400 + d.seconds


def unix_of_date(d):
    return unix(datetime(d.year, d.month, d.day, tzinfo=timezone.utc))


def utc(y, mo, d, h=0, mi=0, s=0):
    return unix(datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc))


def instant(s):
    # epoch + timedelta avoids platform limits of fromtimestamp() for negative values
    return EPOCH + timedelta(seconds=s)


assert utc(1900, 1, 1) == LO and utc(2200, 12, 31, 23, 59, 59) == HI

rng = random.Random(20261203)
randoms = [rng.randint(LO, HI) for _ in range(400)]
edges = [
    0, -1, 1, 86399, 86400,
    utc(1970, 12, 31), utc(1970, 12, 31, 23, 59, 59),
    utc(1971, 1, 1), utc(1971, 1, 1, 23, 59, 59),
    utc(2024, 2, 29, 23, 59, 59),
    utc(2024, 12, 30),              # ISO 2025-W01
    utc(2020, 12, 31, 12),          # ISO 2020-W53
    utc(2021, 1, 3, 23, 59, 59),    # ISO 2020-W53
    utc(2021, 1, 4),                # ISO 2021-W01
    utc(1900, 1, 1), utc(2200, 12, 31, 23, 59, 59),
    utc(2000, 2, 29), utc(2100, 3, 1),
]
instants = randoms + edges
assert len(set(instants)) == len(instants), "duplicate instants"


def period(d, freq):
    """(index, first day, first day of the next period, label) of the period containing date d."""
    y, m = d.year, d.month
    month_index = (y - 1970) * 12 + (m - 1)
    if freq == "day":
        return (d - EPOCH_DATE).days, d, d + timedelta(days=1), d.isoformat()
    if freq == "week":
        iy, iw, wd = d.isocalendar()
        first = d - timedelta(days=wd - 1)
        index = ((d - EPOCH_DATE).days + 3) // 7
        return index, first, first + timedelta(days=7), f"{iy:04d}-W{iw:02d}"
    if freq == "month":
        first = date(y, m, 1)
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return month_index, first, nxt, f"{y:04d}-{m:02d}"
    if freq == "quarter":
        q = (m - 1) // 3  # 0..3
        first = date(y, 3 * q + 1, 1)
        nxt = date(y + 1, 1, 1) if q == 3 else date(y, 3 * q + 4, 1)
        return month_index // 3, first, nxt, f"{y:04d}Q{q + 1}"
    if freq == "year":
        return y - 1970, date(y, 1, 1), date(y + 1, 1, 1), f"{y:04d}"
    raise ValueError(freq)


cases = []
for s in instants:
    d = instant(s).date()
    for freq in FREQS:
        index, first, nxt, label = period(d, freq)
        start, next_start = unix_of_date(first), unix_of_date(nxt)
        # consistency checks
        assert period(first, freq)[0] == index, (s, freq)
        assert period(nxt, freq)[0] == index + 1, (s, freq)
        assert start <= s < next_start, (s, freq)
        if freq == "day":
            assert index == s // 86400 and start == index * 86400
        if freq == "week":
            assert first.weekday() == 0, (s, "start not a Monday")
            iy, iw, _ = first.isocalendar()
            assert f"{iy:04d}-W{iw:02d}" == label
            assert date.fromisocalendar(iy, iw, 1) == first
            assert start == (index * 7 - 3) * 86400  # week 0 starts Monday 1969-12-29
        if freq == "quarter":
            assert index == (d.year - 1970) * 4 + (d.month - 1) // 3
        cases.append({"unix_seconds": s, "freq": freq, "index": index, "start": start, "label": label})

if np is not None:  # independent cross-check with numpy datetime64 (floors toward -inf)
    by = {(c["unix_seconds"], c["freq"]): c for c in cases}
    secs = np.array(instants, dtype="int64").astype("datetime64[s]")
    for unit, freq in [("D", "day"), ("M", "month"), ("Y", "year")]:
        idx = secs.astype(f"datetime64[{unit}]").astype("int64")
        starts = secs.astype(f"datetime64[{unit}]").astype("datetime64[s]").astype("int64")
        for s, i, t in zip(instants, idx.tolist(), starts.tolist()):
            assert by[(s, freq)]["index"] == i and by[(s, freq)]["start"] == t, (s, freq)
        if freq == "day":
            for s, i in zip(instants, idx.tolist()):
                assert by[(s, "week")]["index"] == (i + 3) // 7
        if freq == "month":
            for s, i in zip(instants, idx.tolist()):
                assert by[(s, "quarter")]["index"] == i // 3
    labels = np.datetime_as_string(secs.astype("datetime64[D]"))
    for s, l in zip(instants, labels.tolist()):
        assert by[(s, "day")]["label"] == l

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "periods.json")
with open(out, "w") as f:
    # one case per line keeps the file compact and diffable
    f.write('{"generated_by": "tests/references/periods.py",\n "cases": [\n')
    f.write(",\n".join("  " + json.dumps(c) for c in cases))
    f.write("\n ]\n}\n")
with open(out) as f:
    assert json.load(f)["cases"] == cases
print(f"wrote {out}: {len(cases)} cases ({len(instants)} instants x {len(FREQS)} freqs)"
      f"{', numpy cross-check passed' if np is not None else ''}")
