"""Reference decodings for cxmetrics' text sources (src/read/source.rs), computed with Python's own
codecs only (no project code): `bytes.decode("latin-1")`, `bytes.decode("cp1252")`,
`bytes.decode("utf-16")` and `bytes.decode("utf-8-sig")`.

Produces tests/references/encodings/cases.json:
    {"generated_by": ..., "python": ..., "notes": [...],
     "decoded": [{"encoding": e, "hex": h, "text": t, "reference": r, "what": w}, ...],
     "errors":  [{"encoding": e, "parts": [[h, n], ...], "offset": o, "problem": p, "python": m,
                  "what": w}, ...]}

decoded: the bytes `hex` decode to `text` in cxmetrics' encoding `e` ("latin-1", "cp1252",
    "utf-16" or "utf-8"). `reference` is "python" when `bytes.fromhex(h).decode(codec) == t`, or
    "whatwg" for the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D): Python's
    cp1252 codec raises UnicodeDecodeError on them, while the WHATWG Encoding Standard
    (index-windows-1252, what browsers do) maps each to the C1 control of the same value, U+0081
    etc., which is what cxmetrics does; the expected text there is `bytes([b]).decode("latin-1")`.
    Cases: every byte value alone in latin-1 (256) and in cp1252 (251 defined + 5 "whatwg"), all 256
    bytes at once in each, survey-like sentences, text drawn at random from each repertoire
    (random.Random(20260515)), and UTF-16 little- and big-endian with their byte-order mark
    (astral characters as surrogate pairs included).

errors: bytes that cxmetrics must refuse when decoding as `e`: the concatenation of each part's
    bytes `h` repeated `n` times; `problem` is "surrogate" (an
    unpaired surrogate), "odd" (an odd final byte) or "bom" (UTF-16 without a byte-order mark);
    `offset` is the byte offset (from the start of the input, byte-order mark included) that the
    message names: Python's UnicodeDecodeError.start, or null for "bom", which Python does not
    refuse (it assumes the machine's byte order; cxmetrics requires the mark). `python` is
    Python's reason.

Rerun from the repository root: .venv/bin/python tests/references/encodings/make_encoding_cases.py
"""
import json
import os
import random
import sys

UNDEFINED_CP1252 = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
BOM_LE = b"\xff\xfe"
BOM_BE = b"\xfe\xff"

SENTENCES = [
    "respondent_id;recorded_at;touchpoint;nps;comment\n",
    "C1;2025-03-14T10:22:05Z;tienda;9;Atención rápida, ¡muy buena!\n",
    "C2;2025-03-14T11:00:00Z;entrega;3;El repartidor llegó tarde; no volveré\n",
    "Ça a été très agréable, même à l'accueil.\n",
    "Größe: Übergröße, Straße\n",
    "\"quoted\"\tfield|with;every,delimiter\r\n",
]
# The characters of cp1252 beyond Latin-1 and typical "smart" punctuation.
CP1252_SENTENCES = [
    "It’s “great” – really — €10… Š Œ Ž š œ ž Ÿ ƒ ‚ „ † ‡ ˆ ‰ ‹ › • ˜ ™\n",
    "Prix : 12 € ; « très bien » ‘ok’\n",
]
UTF16_SENTENCES = SENTENCES + CP1252_SENTENCES + [
    "Emoji 😀👍🏽 and astral 𠀀𝄞 \U0010FFFF, BMP edge \uFFFD \uFFFF \uE000\n",
    "日本語のコメント、とても良い。\n",
    "a\uFEFFb (a ZWNBSP inside the text stays)\n",
    "",
]


def hexs(b):
    return b.hex()


def cp1252_repertoire():
    chars = []
    for b in range(256):
        if b in UNDEFINED_CP1252:
            continue
        chars.append(bytes([b]).decode("cp1252"))
    return chars


def random_text(rng, repertoire, n):
    return "".join(rng.choice(repertoire) for _ in range(n))


def utf16(text, big_endian):
    return (BOM_BE + text.encode("utf-16-be")) if big_endian else (BOM_LE + text.encode("utf-16-le"))


def main():
    rng = random.Random(20260515)
    decoded = []

    def add(encoding, data, codec, what):
        text = data.decode(codec)
        decoded.append(
            {"encoding": encoding, "hex": hexs(data), "text": text, "reference": "python", "what": what}
        )

    for b in range(256):
        add("latin-1", bytes([b]), "latin-1", f"byte 0x{b:02X}")
    for b in range(256):
        if b in UNDEFINED_CP1252:
            decoded.append(
                {
                    "encoding": "cp1252",
                    "hex": f"{b:02x}",
                    "text": bytes([b]).decode("latin-1"),
                    "reference": "whatwg",
                    "what": f"byte 0x{b:02X}, undefined in cp1252: the C1 control U+{b:04X} (WHATWG)",
                }
            )
        else:
            add("cp1252", bytes([b]), "cp1252", f"byte 0x{b:02X}")
    add("latin-1", bytes(range(256)), "latin-1", "all 256 bytes")
    defined = bytes(b for b in range(256) if b not in UNDEFINED_CP1252)
    add("cp1252", defined, "cp1252", "the 251 defined bytes")

    for s in SENTENCES:
        add("latin-1", s.encode("latin-1"), "latin-1", "sentence")
        add("cp1252", s.encode("cp1252"), "cp1252", "sentence")
    for s in CP1252_SENTENCES:
        add("cp1252", s.encode("cp1252"), "cp1252", "cp1252 punctuation")
    latin1 = [chr(c) for c in range(256)]
    cp1252 = cp1252_repertoire()
    for _ in range(5):
        n = rng.randrange(1, 400)
        add("latin-1", random_text(rng, latin1, n).encode("latin-1"), "latin-1", "random text")
        add("cp1252", random_text(rng, cp1252, n).encode("cp1252"), "cp1252", "random text")

    for s in UTF16_SENTENCES:
        for big in (False, True):
            data = utf16(s, big)
            add("utf-16", data, "utf-16", "big-endian" if big else "little-endian")
    # Random text over the BMP (no surrogates) and the astral planes.
    for _ in range(5):
        chars = []
        for _ in range(rng.randrange(1, 200)):
            r = rng.random()
            if r < 0.3:
                c = rng.randrange(0x20, 0x80)
            elif r < 0.7:
                c = rng.choice([rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x10000)])
            else:
                c = rng.randrange(0x10000, 0x110000)
            chars.append(chr(c))
        s = "".join(chars)
        for big in (False, True):
            add("utf-16", utf16(s, big), "utf-16", "random text, " + ("big" if big else "little") + "-endian")

    for s in ["respondent_id,nps\nC1,9\n", "ñandú\n", ""]:
        data = b"\xef\xbb\xbf" + s.encode("utf-8")
        add("utf-8", data, "utf-8-sig", "UTF-8 with a byte-order mark")
        add("utf-8", s.encode("utf-8"), "utf-8", "UTF-8")

    # Every decoded case checked once more against its codec.
    for case in decoded:
        if case["reference"] == "python":
            codec = {"latin-1": "latin-1", "cp1252": "cp1252", "utf-16": "utf-16"}.get(
                case["encoding"], "utf-8-sig"
            )
            assert bytes.fromhex(case["hex"]).decode(codec) == case["text"]
        else:
            try:
                bytes.fromhex(case["hex"]).decode("cp1252")
            except UnicodeDecodeError:
                pass
            else:
                raise AssertionError("Python's cp1252 was expected to refuse " + case["hex"])

    errors = []

    def refuse(parts, problem, what):
        data = b"".join(part * times for part, times in parts)
        try:
            data.decode("utf-16")
        except UnicodeDecodeError as e:
            errors.append(
                {
                    "encoding": "utf-16",
                    "parts": [[hexs(part), times] for part, times in parts],
                    "offset": e.start,
                    "problem": problem,
                    "python": e.reason,
                    "what": what,
                }
            )
        else:
            raise AssertionError("Python was expected to refuse " + data.hex())

    for big in (False, True):
        enc = (lambda s: s.encode("utf-16-be")) if big else (lambda s: s.encode("utf-16-le"))
        bom = BOM_BE if big else BOM_LE
        unit = (lambda u: u.to_bytes(2, "big")) if big else (lambda u: u.to_bytes(2, "little"))
        order = "big-endian" if big else "little-endian"
        one = lambda data: [(data, 1)]  # noqa: E731
        refuse(one(bom + enc("ab") + unit(0xDC00) + enc("c")), "surrogate", f"a lone low surrogate, {order}")
        refuse(one(bom + enc("ab") + unit(0xD83D) + enc("c")), "surrogate", f"a high surrogate then a letter, {order}")
        refuse(
            one(bom + enc("a") + unit(0xD83D) + unit(0xD83D) + unit(0xDE00)),
            "surrogate",
            f"two high surrogates, {order}",
        )
        refuse(one(bom + enc("ab") + unit(0xD83D)), "surrogate", f"a high surrogate at the end, {order}")
        refuse(
            one(bom + enc("ab") + unit(0xD83D) + b"x"),
            "surrogate",
            f"a high surrogate then a lone byte at the end, {order}",
        )
        refuse(one(bom + enc("abc") + b"x"), "odd", f"an odd final byte, {order}")
        refuse(one(bom + b"x"), "odd", f"a byte-order mark and one byte, {order}")
        # Past the first 64 KiB buffer of the decoder.
        refuse(
            [(bom, 1), (enc("x"), 40000), (unit(0xDE00), 1)],
            "surrogate",
            f"a lone low surrogate after 80 kB, {order}",
        )
        refuse([(bom, 1), (enc("é"), 40001), (b"x", 1)], "odd", f"an odd final byte after 80 kB, {order}")
    for data, what in [
        ("respondent_id".encode("utf-16-le"), "UTF-16 little-endian without a byte-order mark"),
        ("respondent_id".encode("utf-16-be"), "UTF-16 big-endian without a byte-order mark"),
        (b"respondent_id,nps\n", "ASCII"),
    ]:
        errors.append(
            {
                "encoding": "utf-16",
                "parts": [[hexs(data), 1]],
                "offset": None,
                "problem": "bom",
                "python": "decodes without a byte-order mark (in the machine's byte order)",
                "what": what,
            }
        )

    out = {
        "generated_by": "tests/references/encodings/make_encoding_cases.py",
        "python": sys.version.split()[0],
        "notes": [
            "decoded[].text is bytes.fromhex(hex).decode(codec) with Python's codecs "
            "(latin-1, cp1252, utf-16, utf-8-sig), except reference == 'whatwg'.",
            "reference 'whatwg': the five bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D); "
            "Python's cp1252 raises on them, the WHATWG Encoding Standard maps each to the C1 "
            "control of the same value, as cxmetrics does.",
            "errors[].offset is Python's UnicodeDecodeError.start (byte-order mark included); "
            "null for 'bom', which Python does not refuse.",
        ],
        "decoded": decoded,
        "errors": errors,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.json")
    with open(path, "w", encoding="ascii") as f:
        json.dump(out, f, indent=0, ensure_ascii=True)
        f.write("\n")
    print(f"wrote {path}: {len(decoded)} decoded, {len(errors)} errors")


if __name__ == "__main__":
    main()
