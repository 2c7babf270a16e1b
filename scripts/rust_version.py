#!/usr/bin/env python3
"""Checks that the core crate's `rust-version` is what its dependency tree really needs: the highest
`rust-version` declared by the crates it depends on (normal dependencies, all features the tree
enables, as resolved in Cargo.lock). Fails when the declared value is lower (it would be untrue) or
higher (it would exclude toolchains for no reason). Run: python3 scripts/rust_version.py"""
import json
import subprocess
import sys


def version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))[:3] + (0,) * (3 - len(text.split(".")))


def main() -> int:
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--locked"], check=True, capture_output=True, text=True
        ).stdout
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next(p for p in meta["packages"] if p["name"] == "cxmetrics" and p["source"] is None)
    seen, stack = set(), [root["id"]]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes[node]["deps"]:
            if any(kind["kind"] is None for kind in dep["dep_kinds"]):
                stack.append(dep["pkg"])
    seen.discard(root["id"])
    needed = max(
        ((version(packages[i]["rust_version"]), packages[i]["name"]) for i in seen if packages[i].get("rust_version")),
    )
    declared = version(root["rust_version"])
    need_text = ".".join(map(str, needed[0][:2]))
    if declared != needed[0]:
        print(f"rust-version = {root['rust_version']}, but the dependency tree needs {need_text} ({needed[1]})")
        return 1
    print(f"rust-version = {root['rust_version']}: what the dependency tree needs ({needed[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
