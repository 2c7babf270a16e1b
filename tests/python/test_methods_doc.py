"""docs/methods.md holds the methods the code cites: every `docs/methods.md#<anchor>` cited in the
code, the README and the docs resolves to a heading, and nothing cites a METHODS.md outside the
repository."""

import pathlib
import re

import pytest

# Reads src/ and bindings/: not part of the suite run against an installed wheel.
pytestmark = pytest.mark.source_tree

ROOT = pathlib.Path(__file__).resolve().parents[2]


def anchors() -> set[str]:
    found = set()
    for line in (ROOT / "docs" / "methods.md").read_text().splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def cited_files():
    for pattern in ("src/**/*.rs", "bindings/**/*.rs", "python/**/*.py", "docs/*.md", "tests/**/*.rs", "tests/**/*.py"):
        yield from ROOT.glob(pattern)
    yield ROOT / "README.md"


def test_every_cited_anchor_exists():
    known = anchors()
    assert len(known) > 40
    missing = []
    n = 0
    for path in cited_files():
        for anchor in re.findall(r"docs/methods\.md#([\w\-]+)", path.read_text(errors="replace")):
            n += 1
            if anchor not in known:
                missing.append(f"{path.relative_to(ROOT)}: #{anchor}")
    assert n > 30, n
    assert not missing, missing


def test_no_citation_of_a_file_outside_the_repository():
    for path in cited_files():
        if path.name == "test_methods_doc.py":
            continue
        text = path.read_text(errors="replace")
        assert not re.search(r"(?<!docs/)(?<!docs/methods\.md)\bMETHODS\.md", text), path
    refs = (ROOT / "tests" / "references" / "REFERENCES.md").read_text()
    assert "/tmp/" not in refs and "/work/" not in refs
